"""The methodology text ("Methodik"), written once for the page, the deck and the data package.

Why: the Methodik page, the deck's methodology slide and the data package's README.txt must
explain the figures in the same words; each reads :data:`SECTIONS` and only lays them out (page:
a heading per section with its :attr:`Section.anchor`, which "Wie wird das berechnet?" links
point to; slide: title and :attr:`Section.short`; README: title and every paragraph as plain
text). Numbers that are code constants are read from the code, never typed again: the Ampel's
tolerance (:data:`kek_data.status.TOLERANCE_PCT`), the trend and rate window (the ``window``
default of :mod:`kek_data.formulas`, which :func:`kek_data.progress.kpi` uses) and the trend horizon
(:data:`kek_data.wording.HORIZON`), and the publication rules (levels, the minimum of
contributors, the withheld wording) from :mod:`kek_data.access`. Values of the reference data
(factors, Hs/Hi) are quoted with their source as in ``data/*.csv``; tests/test_methodology.py
checks them against the files. The texts contain no Markdown markup, so the page's Markdown
and the README's plain text are the same characters.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from kek_data import (
    access,
    alignment,
    city,
    district_heat,
    formulas,
    scope2,
    status,
    weather,
    wedge,
)
from kek_data import wording as wd
from kek_data.charts import DEMO_NOTICE, PARTIAL_LABEL
from kek_data.numbers import format_plain
from kek_data.report import Coverage, Report


def _g(value: float) -> str:
    """A constant as German text without trailing zeros, e.g. 5.0 → "5", 2.5 → "2,5"."""
    return format_plain(value)


#: Calendar years the trend and the achieved rate use (L − n + 1 … L) [a].
TREND_WINDOW = formulas.WINDOW
RATE_WINDOW = formulas.WINDOW
#: Windows [a] for which the zero year is shown side by side.
ZERO_WINDOWS = " und ".join(str(w) for w in formulas.ZERO_YEAR_WINDOWS)
TOLERANCE = _g(status.TOLERANCE_PCT)
#: The completeness line as every surface writes it (kek_data.report.Coverage), with made-up names.
_COVERAGE_EXAMPLE = Coverage(2025, 10, tuple("abcdefgh"), (("x", 2024), ("y", 2024)), ()).text(
    {"x": "Mitglied X", "y": "Mitglied Y"}
)


#: The generic references of the Zielabgleich (data/target_references.csv), quoted from the file.
_REFS = alignment.references_table()


@dataclass(frozen=True)
class Section:
    """One section of the methodology: ``short`` is its first paragraph and the slide's text."""

    anchor: str  # link target on the Methodik page ("…/methodik#ampel")
    title: str
    short: str
    details: tuple[str, ...] = ()

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """Every paragraph, the short one first."""
        return (self.short, *self.details)

    @property
    def markdown(self) -> str:
        """The section's body as Markdown (paragraphs separated by a blank line)."""
        return "\n\n".join(self.paragraphs)


SECTIONS: tuple[Section, ...] = (
    Section(
        "bilanzgrenze",
        "Bilanzgrenze und Scopes",
        "Bilanziert werden die Mitglieder, nicht das Stadtgebiet: jedes Mitglied meldet seinen "
        "Energieverbrauch je Jahr und Energieträger, alle Standorte zusammen; erfasst sind "
        "Scope 1 und 2 nach GHG Protocol.",
        (
            "Scope 1 sind direkte Emissionen aus eigener Verbrennung (Erdgas, Heizöl, "
            "Flüssiggas, Holz/Pellets, Diesel, Benzin) und sonstige direkte Emissionen, die in "
            "t CO₂e gemeldet werden (z. B. Kältemittel). Scope 2 sind Emissionen aus bezogenem "
            "Strom und bezogener Fernwärme, standortbezogen (Bundesstrommix, Fernwärmefaktor; "
            "marktbasiert siehe unten). "
            "Quelle der Zuordnung: GHG Protocol Corporate Standard (WRI/WBCSD, rev. 2004), Kap. 4.",
            "Scope 3 (Dienstreisen, Beschaffung, Pendeln usw.) wird nicht bilanziert. Die "
            "Emissionsfaktoren enthalten jedoch die Vorkette der Energieträger (Förderung, "
            "Transport, Umwandlung); dieser Anteil wird beim jeweiligen Energieträger in "
            "Scope 1 bzw. 2 ausgewiesen, wie es die BISKO-Systematik vorsieht.",
            "CO₂e (CO₂-Äquivalente): alle Treibhausgase, nach ihrem Treibhauspotenzial in CO₂ "
            "umgerechnet.",
        ),
    ),
    Section(
        "emissionen",
        "Emissionsformel: Menge × Umrechnung × Faktor",
        "Emissionen [t CO₂e] = gemeldete Menge [Einheit] × Umrechnung [kWh je Einheit] × "
        "Emissionsfaktor des Jahres [g CO₂e/kWh] / 1.000.000.",
        (
            "Emissionen werden nie gespeichert, sondern immer aus den gemeldeten Mengen "
            "berechnet; ein geänderter Faktor wirkt daher sofort auf alle Jahre, für die er gilt. "
            "Die Umrechnung bezieht sich auf den Heizwert (Hi) der Endenergie: Heizwerte nach "
            "AG Energiebilanzen, Dichten nach DIN EN 590 (Diesel), DIN 51603-1 (Heizöl), "
            "DIN EN 228 (Benzin) und DVFG (Flüssiggas), Holzpellets nach DEPV; alle Werte mit "
            "Rechenweg in der Tabelle „Umrechnungen“.",
            "Die Faktoren folgen der BISKO-Systematik (Bilanzierungs-Systematik Kommunal, "
            "Difu/ifeu, Fortschreibung 2024), mit der auch die Stadt Dortmund ihre Bilanz "
            "erstellt: Lebenszyklus-Faktoren mit Vorkette, in g CO₂e je kWh Endenergie. Ein "
            "Faktor gilt ab seinem Jahr („gültig ab“) bis zum nächsten Eintrag desselben "
            "Energieträgers, für spätere Jahre der letzte Eintrag. Jahre, die so mit dem Faktor "
            "eines anderen Jahres einer Jahresreihe gerechnet werden, nennt die Methodik-Seite "
            "unter „Emissionsfaktoren“ („Faktor aus 2024 übertragen“), ebenso vorläufige oder "
            "geschätzte Faktoren („vorläufig“). Sonstige Emissionen werden "
            "direkt in t CO₂e (oder kg CO₂e) gemeldet und ohne Faktor übernommen.",
            "Einheiten mit Fallstricken: Kältemittel werden als Menge × GWP100 des Gases in "
            f"kg CO₂e gemeldet (z. B. {wd.REFRIGERANT_GWP}); kg oder t des Gases selbst "
            "lehnt die Prüfung ab, sonst wären sie um den GWP-Faktor zu niedrig, ebenso kg "
            "oder t ohne CO₂e bei sonstigen Emissionen. Holz in t wird "
            "mit dem Pelletwert 4,9 kWh/kg umgerechnet; Hackschnitzel (etwa 3,4–4,0 kWh/kg je "
            "nach Wassergehalt) werden nur in kWh oder MWh angenommen. Super E10 und E5 zählen "
            "mit dem Heizwert von Ottokraftstoff (9,0 kWh/l); E10 hat je Liter etwa 2–7 % "
            "weniger Energie (E10 etwa 8,4–8,7 kWh/l, Wert aus zweiter Hand), Benzin-Emissionen "
            "sind damit um wenige Prozent eher zu hoch. Eine eigene E10-Umrechnung lohnt erst "
            "mit einem geprüften Heizwert und einem Faktor für den biogenen Anteil.",
        ),
    ),
    Section(
        "erdgas",
        "Erdgas: Brennwert und Heizwert",
        "Erdgas in kWh wird wie auf der Gasrechnung als Brennwert (Hs) verstanden und mit "
        "Hs/Hi = 1,11 auf den Heizwert umgerechnet, auf den sich die BISKO-Faktoren beziehen.",
        (
            "Quelle des Verhältnisses: DVGW-Arbeitsblatt G 685 (Gasabrechnung). Gemeldete m³ "
            "werden mit der Zustandszahl 0,95 und dem Brennwert 11,0 kWh/m³ (typische Werte für "
            "H-Gas nach DVGW G 685) in Brennwert-kWh und dann ebenso in Heizwert-kWh "
            "umgerechnet. Wer Erdgas bereits in Heizwert-kWh meldet, wird um rund 10 % zu niedrig "
            "bilanziert; die Vorlage zum Hochladen weist darauf hin.",
        ),
    ),
    Section(
        "strommix",
        "Strommix-Faktoren je Jahr",
        "Strom wird mit dem Bundesstrommix des Verbrauchsjahres bewertet (standortbezogen): "
        "BISKO-Wert 2022 (505 g CO₂e/kWh), mit der UBA-Reihe des Strommix auf die anderen "
        "Jahre übertragen.",
        (
            "Eine BISKO-Jahresreihe lag nicht vor. Rechenweg: Faktor(Jahr) = 505 × UBA(Jahr) / "
            "UBA(2022), mit UBA(2022) = 433 g/kWh "
            "(direkte CO₂-Emissionen des Strommix, UBA Climate Change 23/2024, wie 1990 = "
            "764 g/kWh). So behält die Reihe das BISKO-Niveau mit Vorkette und folgt dem Verlauf "
            "des Strommix. Die UBA-Werte für 2023 (386 g/kWh, vorläufig) und 2024 (363 g/kWh, "
            "Schätzung) stehen in UBA Climate Change 13/2025 („Entwicklung der spezifischen "
            "Treibhausgas-Emissionen des deutschen Strommix in den Jahren 1990–2024“); sie und "
            "die Werte 2015–2021 sind aus zweiter Hand übernommen (Status „Sekundärquelle“) und "
            "vor der Verwendung in Gremien gegen die amtliche Tabelle zu prüfen. Jeder Wert "
            "steht mit Herleitung und Quelle in der Tabelle „Emissionsfaktoren“.",
        ),
    ),
    Section(
        "fernwaerme",
        district_heat.METHOD_TITLE,
        district_heat.METHOD_SHORT,
        district_heat.METHOD_DETAILS,
    ),
    Section(
        "pfad",
        "Zielpfad (linear zwischen Meilensteinen)",
        "Jedes Mitglied hat ein eigenes Ziel (Basisjahr, Meilensteine in % gegenüber dem "
        "Basisjahr, Neutralitätsjahr); der Zielpfad verläuft linear zwischen diesen Punkten, "
        "danach waagerecht.",
        (
            "Der Basiswert ist der hinterlegte Wert oder, wenn keiner hinterlegt ist, die "
            "Emissionen im Basisjahr. Im Neutralitätsjahr liegt der Pfad bei 0 t CO₂e oder beim "
            "vereinbarten Rest in % des Basiswerts (z. B. kompensierte Restemissionen). Vor dem "
            "Basisjahr gibt es keinen Pfad. Die lineare Form entspricht dem "
            "„absolute contraction approach“ der SBTi: jedes Jahr wird dieselbe Menge in "
            "t CO₂e gemindert.",
            "Der Netzwerkpfad führt ebenso von den Netzwerkemissionen im Basisjahr über die "
            "Meilensteine des Netzwerkziels zu dessen Neutralitätsjahr; die Jahre kommen aus "
            "dem hinterlegten Netzwerkziel, nicht aus dem Programmcode. Die „Summe der "
            "Mitgliederziele“ zeigt, was die Mitglieder zugesagt haben; ihr Abstand zum "
            "Netzwerkpfad ist die Lücke zwischen Zusage und Bedarf.",
        ),
    ),
    Section(
        "ampel",
        "Ampel mit Toleranz",
        status.legend(),
        (
            "Verglichen werden die Ist-Emissionen mit dem eigenen Zielpfad im selben Jahr, dem "
            "Berichtsjahr oder dem letzten vollständigen Jahr des Mitglieds (siehe "
            f"Vollständigkeit). Gelb heißt: höchstens {TOLERANCE} % des Pfadwerts über dem "
            f"Pfad; darüber Rot. Die Toleranz von {TOLERANCE} % bezieht sich auf den Betrag des "
            "Pfadwerts, bei einem Pfadwert von 0 t CO₂e gibt es also keine Toleranz. Ohne "
            "hinterlegtes Ziel zeigt die Ampel „ohne Ziel“. Abstand zum Pfad = Ist − Pfad; "
            "positiv heißt über dem Pfad (im Rückstand).",
        ),
    ),
    Section(
        "zerlegung",
        "Eigene Minderung und Strommix",
        "Die Veränderung seit dem Basisjahr wird in zwei Teile zerlegt: „eigene Minderung“ "
        "(weniger oder andere Energie) und „sauberere Faktoren“ (vor allem der deutsche "
        "Strommix). Beide zusammen ergeben genau die gezeigte Veränderung.",
        (
            "Methode: eine Index- bzw. Shift-Share-Zerlegung mit den Faktoren des Basisjahrs als "
            "Gewichten (Laspeyres-Form). Mit E(J) = Σ Verbrauch(Träger, J) × Faktor(Träger, J) "
            "ist die eigene Minderung = Σ Verbrauch(Träger, Jahr) × Faktor(Träger, Basisjahr) − "
            "E(Basisjahr), also der heutige Verbrauch zu den Faktoren des Basisjahrs; der Teil "
            "der Faktoren = E(Jahr) − Σ Verbrauch(Träger, Jahr) × Faktor(Träger, Basisjahr). "
            "Der Wechselwirkungsanteil (Verbrauch und Faktor ändern sich zugleich) zählt damit "
            "zu den Faktoren. Angegeben in Prozentpunkten der Emissionen des Basisjahrs, so "
            "gerundet, dass die Punkte die gezeigte Veränderung ergeben.",
            "Direkt in t CO₂e gemeldete Emissionen (ohne kWh, z. B. „sonstige“) zählen ganz "
            "zur eigenen Minderung. Ein seit dem Basisjahr neuer Energieträger wird mit seinem "
            "im Basisjahr gültigen Faktor bewertet; gibt es keinen, steht „Faktor fehlt“, der "
            "Träger zählt in keinem Teil und die Zerlegung heißt unvollständig. Gezählt werden "
            "dieselben Jahre wie in allen Kennzahlen (siehe Vollständigkeit): ein teilweise "
            "gemeldetes Jahr geht nicht ein. Die Netzwerkzerlegung ist die Summe über die "
            "gezählten Mitglieder (ein später hinzugekommenes Mitglied: Faktoren des "
            "Basisjahrs des Netzwerks) und wird nur gezeigt, wo die Netzwerksumme gezeigt wird.",
            "Quelle der Methode: B. W. Ang, „Decomposition analysis for policymaking in "
            "energy: which is the preferred method?“, Energy Policy 32 (2004) 1131–1139 "
            "(Laspeyres-Index-Zerlegung; die dort empfohlene LMDI-Form verteilt die "
            "Wechselwirkung anders, die Summe bleibt gleich). Die Aufteilung hängt von dieser "
            "Wahl ab: neuer Stromverbrauch (z. B. für E-Busse) wird mit dem höheren "
            "Strommixfaktor des Basisjahrs bewertet und verkleinert so die eigene Minderung; "
            "mit den Faktoren des Berichtsjahrs als Gewichten fiele sie größer aus.",
        ),
    ),
    Section(
        "vollstaendigkeit",
        "Vollständigkeit",
        "Eine Netzwerkzahl eines Jahres zählt ein Mitglied nur mit einer vollständigen Meldung "
        "dieses Jahres (alle seine Energieträger) oder mit seinem letzten vollständigen Jahr, "
        f"und sagt das dazu, z. B. „{_COVERAGE_EXAMPLE}“.",
        (
            "Vollständig ist ein Jahr, wenn das Mitglied jeden Energieträger gemeldet hat, den es "
            "in irgendeinem Jahr gemeldet hat; teilweise, wenn einige fehlen; fehlt, wenn keiner "
            "gemeldet ist. Ein halb gemeldetes Jahr ließe die Lage zu gut aussehen, deshalb zählt "
            "es in keiner Summe und in keiner Kennzahl, auch nicht im Trend, in den Raten oder im "
            "Budget des Mitglieds selbst: dort steht für ein früheres halb gemeldetes Jahr "
            "ebenfalls das letzte vollständige Jahr davor. Ein Mitglied ohne jedes vollständige "
            "Jahr bis dahin wird nicht gezählt und als fehlend genannt.",
            "Die eigenen Kennzahlen des Mitglieds (Ampel, Abstand, Raten) beziehen sich auf "
            "dasselbe Jahr, sodass die Netzwerksumme gleich der Summe der daneben gezeigten "
            "Mitgliederzeilen ist. In Diagrammen ist ein teilweise gemeldetes Jahr heller und "
            f"schraffiert dargestellt (Legende „{PARTIAL_LABEL}“), nie als normaler Balken.",
        ),
    ),
    Section(
        "raten",
        "Raten: linear und geometrisch",
        "Nötige und erreichte Minderung: in t CO₂e pro Jahr und in % der Emissionen des Jahres "
        "L, mit dem gezählt wird (das Berichtsjahr oder bei unvollständiger Meldung das letzte "
        "vollständige Jahr), pro Jahr (linear, auch für ein Ziel von 0 t CO₂e definiert), "
        "daneben geometrisch, wo es diese Rate gibt. Jede Prozentrate nennt ihren Nenner: "
        f"„{wd.rate_basis(2025)}“ (für L = 2025) bei nötig und erreicht, "
        f"„{wd.BASE_YEAR_BASIS}“ beim SBTi-Pfad.",
        (
            "Nötig bis zum Zieljahr Z: (Ist im Jahr L − Pfadwert Z) / (Z − L) in "
            "t CO₂e pro Jahr; geteilt durch das Ist im Jahr L ergibt die Prozentrate. "
            "Zieljahre sind die Meilensteine und das Neutralitätsjahr des eigenen Ziels sowie "
            "die Jahre des Netzwerkziels bis zum eigenen Zieljahr. Geometrisch: "
            "1 − (Pfadwert Z / Ist L)^(1/(Z − L)), der gleichbleibende Prozentsatz vom jeweiligen "
            "Vorjahr; für einen Pfadwert von 0 gibt es diese Rate nicht.",
            f"Erreicht: das Tempo des Trends, also die Steigung derselben Ausgleichsgeraden "
            f"durch die letzten {RATE_WINDOW} Kalenderjahre L − {RATE_WINDOW - 1} bis L (für "
            f"L = 2025: {wd.window_span(2025, RATE_WINDOW)}), die auch Trendwert und Nulljahr "
            "bestimmt: „erreicht“ und „beim jetzigen Tempo“ sind eine Zahl. Linear in t CO₂e pro "
            "Jahr und in % der Emissionen des Jahres L, daneben geometrisch 1 − (Gerade in L / "
            "Gerade im ersten Jahr)^(1/Jahre). Ein Ausreißer im ersten oder letzten Jahr zählt so "
            f"nur als einer von {RATE_WINDOW} Werten. Negativ heißt Zunahme. Es braucht "
            "mindestens zwei Jahre.",
        ),
    ),
    Section(
        "trend",
        "Trend",
        f"Der Trend ist die Ausgleichsgerade (kleinste Quadrate) durch die letzten "
        f"{TREND_WINDOW} Kalenderjahre L − {TREND_WINDOW - 1} bis L, die Daten haben (höchstens "
        f"{TREND_WINDOW} Werte, für L = 2025: {wd.window_span(2025, TREND_WINDOW)}); L ist das "
        "Berichtsjahr bzw. das letzte vollständige Jahr des Mitglieds.",
        (
            "Fehlende Jahre im Fenster werden ausgelassen; es braucht mindestens zwei Jahre Daten, "
            "und liegt nur ein Jahr im Fenster, ist der Trend waagerecht. Der "
            "Trendwert eines Jahres („beim jetzigen Tempo“) ist der Wert der Geraden in diesem "
            "Jahr, nicht unter 0 t CO₂e; Trendabstand = Trendwert − Pfadwert im selben Jahr.",
        ),
    ),
    Section(
        "nulljahr",
        "Nulljahr („null im Trend“)",
        "Das Nulljahr ist das erste volle Jahr, in dem die Trendgerade 0 t CO₂e erreicht; "
        f"steigt oder stagniert der Trend, heißt es „nie“, liegt es nach {wd.HORIZON}, heißt "
        f"es „nach {wd.HORIZON}“. Es hängt stark vom Zeitfenster ab (ein Ausreißerjahr wie "
        f"2020 verschiebt es um Jahre); deshalb steht es für die letzten {ZERO_WINDOWS} Jahre "
        "nebeneinander.",
        (
            "Ist das Ist im Jahr L bereits 0 oder weniger, ist das Nulljahr L. Schneidet die "
            "Gerade die Null rechnerisch vor L, obwohl L noch Emissionen hat, wird L genannt, "
            f"weil ein vergangenes Jahr keine Antwort auf „wann beim jetzigen Tempo?“ ist. "
            f"Jenseits von {wd.HORIZON} sagt eine Fortschreibung nichts Belastbares mehr.",
        ),
    ),
    Section(
        "budget",
        "CO₂-Budget",
        "CO₂-Budget = Summe der Pfadwerte vom Basisjahr bis zum Ende des Zeitraums; verbraucht "
        "= Summe der Ist-Emissionen vom Basisjahr bis zum Berichtsjahr; übrig = Budget − "
        "verbraucht (negativ = überzogen). Der Pfad braucht noch = Summe der Pfadwerte nach "
        "dem letzten Ist-Jahr bis zum Ende; ist das mehr als übrig, liegt das Netzwerk schon "
        "um die Differenz über dem Budget, selbst wenn es ab jetzt genau dem Pfad folgt. "
        "Aufgebraucht im Trend: das Jahr, in dem die Summe der Trendwerte (Abschnitt Trend) ab "
        "dem Jahr nach dem letzten Ist den Rest erreicht.",
        (
            "Der Zeitraum endet im letzten Zieljahr des Netzwerkziels (Neutralitätsjahr), bei "
            "einem Mitglied mit späterem eigenem Zieljahr in diesem. Jahre ohne Meldung "
            "zählen im Verbrauch nicht mit; beim Netzwerk ist das Ist jedes Jahres die "
            "Netzwerksumme nach der Vollständigkeitsregel. Das Budget gilt für den ganzen "
            "Zeitraum; der Anteil „verbraucht“ sagt, wie viel davon bis zum Berichtsjahr schon "
            "aufgebraucht ist.",
        ),
    ),
    Section(
        "zielabgleich",
        "Zielabgleich",
        "Der Zielabgleich misst das eigene Ziel eines Mitglieds an Bezugspfaden: der Vorgabe "
        f"seines Dachverbands, dem SBTi-Pfad (−{_REFS['sbti']['value']} % der Basis pro Jahr), dem "
        "auf seine Basis übertragenen Netzwerkpfad und der Klimaneutralität der Stadt "
        f"{_REFS['stadt']['value']}. Je Bezugsjahr zählt der strengste, also niedrigste, Wert.",
        (
            "Alle Bezugspfade beginnen bei Basisjahr und Basiswert des eigenen Ziels. Die Vorgabe "
            "des Dachverbands ist ein Pfad wie ein eigenes Ziel (linear zwischen Meilensteinen). "
            f"Der SBTi-Pfad mindert linear um {_REFS['sbti']['value']} % des Basiswerts pro Jahr "
            "bis null (1,5 °C, absolute Kontraktion). Der Netzwerkpfad wird mit seinen Anteilen "
            "übertragen: Basiswert mal Netzwerkpfad im Jahr geteilt durch Netzwerkpfad im "
            "Basisjahr des Mitglieds. Der Pfad der Stadt fällt linear auf null im Jahr "
            f"{_REFS['stadt']['value']}. Eine Vorgabe, die sich auf ein anderes Basisjahr "
            "bezieht (die EKvW nennt 1990, dafür liegen keine Daten vor), wird vereinfacht auf "
            "das Basisjahr des Mitglieds angewandt; der Hinweis steht bei ihrer Quelle. "
            "Die mitgelieferten Vorgaben sind aus zweiter Hand und als „nicht geprüft“ "
            "gekennzeichnet, bis das Netzwerkmanagement sie bestätigt.",
            "Bezugsjahre: die Jahre des Netzwerkziels, Meilensteine und Neutralitätsjahr des "
            "eigenen Ziels. Abstand = eigenes Ziel minus strengster Pfad, in t CO₂e und in % des "
            "Basiswerts; positiv = das eigene Ziel erlaubt mehr. Ambitionslücke = Summe der Ziele "
            "der Mitglieder minus Netzwerkpfad, in % des Pfadwerts. Quellen: die Tabellen der "
            "Vorgaben und Bezugspfade im Ordner data, je mit Quelle; ungeprüfte sind markiert, "
            f"Dachverbände von Mitgliedern nur im Gesamtwert „{alignment.NOT_PUBLISHED}“.",
        ),
    ),
    Section(
        "freigabe",
        "Veröffentlichung und Datenschutz",
        "Jedes Mitglied entscheidet, wer seine Zahlen sieht: "
        f"„{access.LEVELS['namentlich']}“ mit Namen für alle, „{access.LEVELS['gesamt']}“ für "
        "andere Mitglieder als „Mitglied A“, "
        f"„{access.LEVELS['intern']}“ einzeln nur für Netzwerkmanagement und Stadt.",
        (
            "Das Netzwerkmanagement hält die Freigabe mit dem Einverständnis des Mitglieds, "
            f"Datum und Person fest. „{access.LEVELS['namentlich']}“: Zahlen mit Namen für die "
            f"anderen Mitglieder und die Öffentlichkeit. „{access.LEVELS['gesamt']}“: für die "
            "anderen Mitglieder als „Mitglied A“ ohne Namen und Sektor, für die Öffentlichkeit "
            f"nur in der Summe. „{access.LEVELS['intern']}“: einzeln nur für "
            "Netzwerkmanagement und Stadt.",
            "Jedes Mitglied zählt in der Netzwerksumme, auch mit Freigabe "
            f"„{access.LEVELS['intern']}“. Eine Summe, die ein Mitglied oder die Öffentlichkeit "
            f"sieht, braucht mindestens {access.MIN_CONTRIBUTORS} beitragende Mitglieder. Fehlt "
            "in einer Ansicht genau eines der beitragenden Mitglieder, wird die Summe ebenfalls "
            "nicht gezeigt, denn dieses eine ließe sich als Summe minus die sichtbaren Mitglieder "
            f"herausrechnen. Statt der Zahl steht dann „{access.WITHHELD}“.",
            "Gemeldete Mengen, Meldungen und Originaldateien sieht jedes Mitglied nur von der "
            "eigenen Organisation; Netzwerkmanagement und Stadt sehen alles. Die Buchstaben der "
            "Pseudonyme folgen nicht der Mitgliederliste. Ohne festgehaltene Entscheidung gilt "
            f"„{access.LEVELS[access.DEFAULT_LEVEL]}“. Seiten, Foliensatz und Datenpaket zeigen "
            "dieselbe Auswahl, je nach Anmeldung. In der Netzwerkarbeit erscheint ein Mitglied "
            "ohne namentliche Freigabe als „weiteres Mitglied“ (ohne Pseudonym); Namen der "
            "Arbeitsgruppen, Titel, Tagesordnung, Beschlüsse und Aufgaben schreibt das "
            "Netzwerkmanagement für alle Mitglieder sichtbar, sie nennen keine Zahlen eines "
            "Mitglieds.",
            "Grenzen: Ein Pseudonym verbirgt den Namen, nicht das Profil. Wer die Mitglieder "
            "kennt, kann „Mitglied A“ an Energieträgern, Größe oder Zieljahr wiedererkennen; "
            f"wer das ausschließen will, wählt „{access.LEVELS['intern']}“. Ebenso lässt die "
            "Änderung der Netzwerksumme von Jahr zu Jahr, abzüglich der sichtbaren Mitglieder, "
            "die gemeinsame Änderung der übrigen erkennen; die Regel der drei Mitglieder "
            "schützt die Werte eines Jahres, nicht jede Differenz.",
        ),
    ),
    Section("stadtgebiet", "Mitglieder und Stadtgebiet", city.METHOD_SHORT, city.METHOD_DETAILS),
    Section(
        "marktbasiert",
        "Strom standortbezogen und marktbasiert",
        scope2.METHOD_SHORT,
        scope2.METHOD_DETAILS,
    ),
    Section("witterung", weather.TITLE, weather.METHOD_SHORT, weather.METHOD_DETAILS),
    Section("massnahmen", wedge.TITLE, wedge.METHOD_SHORT, wedge.METHOD_DETAILS),
    Section(
        "demodaten",
        "Demodaten",
        f"Eine Datenbank mit Demodaten trägt auf jeder Seite, jeder Folie und in jeder Datei den "
        f"Hinweis „{DEMO_NOTICE}“: Verbräuche und Ziele der Mitglieder sind dann erfunden und "
        "dienen nur der Vorführung.",
        (
            "Die Demodaten werden aus festen Profilen je Mitglied mit einem Zufallsgenerator mit "
            "festem Startwert erzeugt, auf jedem Rechner gleich. Ziele mit Grundlage "
            "„veröffentlicht“ lehnen sich an veröffentlichte Ziele an (Quelle genannt); "
            "Basisjahr und Meilensteine sind trotzdem Annahmen. Nicht in Gremien verwenden.",
        ),
    ),
)

#: Anchor names on the Methodik page, in page order (targets of "Wie wird das berechnet?").
ANCHORS: tuple[str, ...] = tuple(s.anchor for s in SECTIONS)


def section(anchor: str) -> Section:
    """The section with ``anchor``; ``KeyError`` for an unknown anchor (a broken link)."""
    for s in SECTIONS:
        if s.anchor == anchor:
            return s
    raise KeyError(f"Unbekannter Methodik-Abschnitt: {anchor}")


def plain_text(width: int = 96, indent: str = "") -> list[str]:
    """Every section as plain-text lines: its title, then each paragraph wrapped to ``width``
    with a hanging indent (as the README's column lists)."""
    wrap = textwrap.TextWrapper(
        width=width,
        initial_indent=indent,
        subsequent_indent=indent + "    ",
        break_on_hyphens=False,
    )
    lines: list[str] = []
    for s in SECTIONS:
        lines += ["", indent + s.title]
        for paragraph in s.paragraphs:
            kept = paragraph.replace("z. B.", "z.\u00a0B.")  # never "z." at a line end
            lines += [line.replace("\u00a0", " ") for line in wrap.wrap(kept)]
    return lines


def audience(report: Report) -> list[str]:
    """What a surface (data package, deck) holds for the report's viewer, one German line each:
    the consent and total rules (:mod:`kek_data.access`) applied to this view."""
    viewer = report.viewer
    if viewer.sees_all_members:
        return [
            f"Ansicht {viewer.role_label}: alle Mitglieder mit Namen, unabhängig von der "
            f"Freigabe. Weitergabe nur nach Freigabe: „{access.LEVELS['namentlich']}“ mit Namen, "
            f"„{access.LEVELS['gesamt']}“ nur ohne Namen, „{access.LEVELS['intern']}“ gar nicht "
            "einzeln."
        ]
    own = "die eigene Organisation, " if viewer.member_id else ""
    hidden = (
        f" und ohne Namen („Mitglied A“ …, ohne Sektor) die mit „{access.LEVELS['gesamt']}“"
        if viewer.sees_member_data
        else ""
    )
    return [
        f"Ansicht {viewer.role_label}: enthalten sind {own}die Mitglieder mit Freigabe "
        f"„{access.LEVELS['namentlich']}“{hidden}; die übrigen zählen nur in der Netzwerksumme.",
        f"Eine Netzwerksumme erscheint nur mit mindestens {access.MIN_CONTRIBUTORS} beitragenden "
        "Mitgliedern, von denen nicht genau eines in dieser Ansicht fehlt; sonst steht dort "
        f"„{access.WITHHELD}“ (im Datenpaket: leere Zelle).",
    ]


def facts(report: Report) -> list[str]:
    """What the methodology means for this database and reporting year, one German line each.

    The network target as stored (its years and source come from the target data) and the
    completeness line of the reporting year (:meth:`kek_data.report.Report.coverage_text`).
    """
    target = report.network_target
    if target is None:
        lines = ["Netzwerkpfad: kein Netzwerkziel hinterlegt."]
    else:
        lines = [
            f"Netzwerkpfad: {target.describe()}.",
            f"Quelle des Netzwerkziels: {target.source}",
        ]
    return [*lines, f"Vollständigkeit {report.coverage_text()}"]
