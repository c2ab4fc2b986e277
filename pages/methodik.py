"""Methodik: definitions, emission factors and conversions with their sources, demo notice."""

import streamlit as st

from kek_data import views
from kek_data.numbers import format_number
from ui import data, exports, frame

frame.require_app()
path = data.db_file()
ctx = data.context(path)
ref = data.reference_tables(path)

frame.header("Methodik", "Wie die Zahlen dieses Dashboards entstehen – und woher sie kommen.")

st.markdown(
    """
**Bilanzierung.** Emissionen werden nie gespeichert, sondern immer aus den gemeldeten Mengen
berechnet: *Menge × Umrechnung in kWh Endenergie (Heizwert) × Emissionsfaktor des Berichtsjahres*.
Die Faktoren folgen der **BISKO**-Systematik (Bilanzierungs-Systematik Kommunal, Difu/ifeu 2024),
mit der auch die Stadt Dortmund ihre Bilanz erstellt: Lebenszyklus-Faktoren inkl. Vorkette, in
g CO₂e je kWh.

**CO₂e** (CO₂-Äquivalente): alle Treibhausgase, nach ihrem Treibhauspotenzial in CO₂ umgerechnet.

**Scope 1 / Scope 2** (GHG Protocol): Scope 1 sind direkte Emissionen aus eigener Verbrennung
(Erdgas, Heizöl, Kraftstoffe, Flüssiggas, Holz) und sonstige direkte Emissionen (z. B. Kältemittel);
Scope 2 sind Emissionen aus bezogenem Strom und bezogener Fernwärme (standortbasiert, Bundesmix
bzw. Fernwärmefaktor). Scope 3 wird nicht bilanziert.

**Erdgas in kWh** wird wie auf der Gasrechnung als Brennwert (Hs) verstanden und mit Hs/Hi = 1,11
auf den Heizwert umgerechnet, auf den sich die BISKO-Faktoren beziehen.

**Zielpfade.** Jedes Mitglied hat ein eigenes Ziel (Basisjahr, Meilensteine in % gegenüber dem
Basisjahr, Neutralitätsjahr). Der Pfad verläuft linear zwischen diesen Punkten. Der Netzwerkpfad
führt von der Summe des Basisjahres zur Neutralität 2035 (Ratsbeschluss) mit einem Meilenstein
2030. Die *Summe der Mitgliederziele* zeigt, was die Mitglieder zugesagt haben – der Abstand zum
Netzwerkpfad ist die Lücke zwischen Zusage und Bedarf.

**Kennzahlen.** Sie beziehen sich auf das letzte *vollständige* Berichtsjahr: beim Netzwerk
das letzte Jahr, in dem alle Mitglieder gemeldet haben, beim Mitglied das letzte Jahr mit allen
seinen Energieträgern – ein halb gemeldetes Jahr würde die Lage zu gut aussehen lassen.
Abstand = Ist − Pfad (positiv = im Rückstand). Nötige Rate = (Ist − Pfadwert) /
Jahre bis zum Zieljahr in t CO₂e pro Jahr; in % angegeben als Anteil an den Emissionen des
Berichtsjahres pro Jahr (linear, auch für ein Ziel von 0 definiert), daneben geometrisch
(1 − (Ziel/Ist)^(1/n)), wo es diese Rate gibt. Erreichte Rate = Minderung der letzten fünf Jahre
pro Jahr, ebenso linear und geometrisch. „Null erreicht im Trend“ = lineare Regression der
letzten fünf Jahre (jenseits von 2100: „nach 2100“). CO₂-Budget = Summe der Pfadwerte vom
Basisjahr bis 2035, verbraucht = Summe der Ist-Werte.
Ampel: grün = auf/unter dem Pfad, gelb = bis 5 % darüber, rot = mehr als 5 % darüber.
"""
)
if ctx.demo:
    st.error(
        "**Demodaten (fiktiv):** Die Verbräuche und Ziele der Mitglieder in dieser Datenbank sind "
        "erfunden (Generator kek_data/demo.py, fester Startwert). Ziele mit Grundlage "
        "„veröffentlicht“ lehnen sich an veröffentlichte Ziele an; Basisjahr und Meilensteine "
        "sind trotzdem Annahmen.",
        icon=":material/warning:",
    )

st.subheader("Emissionsfaktoren")
st.caption(
    "Status „Sekundärquelle“: aus zweiter Hand übernommen, vor Verwendung in Gremien gegen die "
    "amtliche Tabelle prüfen. „abgeleitet“: berechnet (Rechenweg in der Spalte Herleitung)."
)
factors = views.factors_table(ref["factors"])
st.dataframe(
    views.german(factors, columns={"Faktor [g CO₂e/kWh]": 1}), hide_index=True, width="stretch"
)
exports.table_downloads(factors, "emissionsfaktoren")

st.subheader("Umrechnungen in kWh (Heizwert)")
conversions = views.conversions_table(ref["conversions"])
st.dataframe(views.german(conversions, columns={"Faktor": 4}), hide_index=True, width="stretch")
exports.table_downloads(conversions, "umrechnungen")

st.subheader("Zur Einordnung: Territoriale Bilanz der Stadt Dortmund")
city = data.city_balance()
st.dataframe(
    [
        {"Jahr": r["year"], "kt CO₂e": format_number(float(r["kt_co2e"]), 1),
         "Berechnungsstand": r["vintage"], "Quelle": r["source"]}
        for r in city
    ],
    hide_index=True,
    width="stretch",
)  # fmt: skip
st.caption(
    "Achtung Methodenbruch: Die Werte ab 2020 wurden neu berechnet und sind nicht direkt mit der "
    "Reihe bis 2018 vergleichbar. Das KEK-Dashboard bilanziert die Mitglieder, nicht das "
    "Stadtgebiet."
)
