"""The data package: every table of the dashboard as CSV and XLSX, with a German README, in a ZIP.

Why: members, the council's staff and journalists ask for "the numbers behind the charts". The
package holds them as the viewer's report has them (consent, pseudonyms, withheld totals; the
reported quantities only of the own organisation), with units and the meaning of every column.
Values: [t CO₂e], energy [kWh] (net calorific value), factors [g CO₂e/kWh], rates [%/a].
"""

from __future__ import annotations

import io
import textwrap
import zipfile
from collections.abc import Sequence
from datetime import datetime

import duckdb
import pandas as pd

from kek_data import (
    access,
    alignment_charts,
    db,
    emissions,
    factor_years,
    formulas,
    frozen_reports,
    methodology,
    report,
    status,
    views,
)
from kek_data import wording as wd
from kek_data.export import figures, package_method, tables
from kek_data.export.package_columns import MEMBER, SHORT, YEAR, T, Table, _c
from kek_data.export.tables import Column
from kek_data.numbers import format_date
from kek_data.report import Report
from kek_data.viewer import Viewer

#: The longer trend window of the zero year [a] (formulas.ZERO_YEAR_WINDOWS).
ZERO_LONG = max(formulas.ZERO_YEAR_WINDOWS)


def _members(snap: Report) -> Table:
    name = _c("name", "Name", text="vollständiger Name der Organisation")
    cols = [MEMBER, name, SHORT, _c("sector", "Sektor", text="Tätigkeitsbereich")]
    sectors = {m: views.sector(r) for m, r in snap.member.items()}  # none for a pseudonym
    frame = snap.members.assign(sector=snap.members["member_id"].map(sectors).fillna(""))
    text = "Die Mitglieder, die diese Ansicht sieht (siehe Ansicht oben)."
    return Table("mitglieder", "Mitglieder", text, frame, cols)


def _emissions(snap: Report, con: duckdb.DuckDBPyConnection) -> Table:
    short = dict(zip(snap.members["member_id"], snap.members["short_name"], strict=True))
    detail = snap.detail  # in the viewer's member order (access.Visibility.frame)
    # Marks per member (members on different district-heat networks differ in one year); a
    # member the viewer sees under a pseudonym gets the marks of the common factor ('bund').
    rows = factor_years.read(con, snap.viewer, by_member=True)
    notes = {(r.member_id, r.year, r.carrier_id): ", ".join(r.notes) for r in rows}
    common = {(r.year, r.carrier_id): ", ".join(r.notes) for r in rows if r.origin == "bund"}
    df = detail.assign(
        short_name=detail["member_id"].map(short),
        carrier=detail["carrier_id"].map(lambda c: snap.carrier_names.get(c, c)),
        factor_note=[
            notes.get((m, int(y), c), common.get((int(y), c), ""))
            for m, y, c in zip(
                detail["member_id"], detail["year"], detail["carrier_id"], strict=True
            )  # fmt: skip
        ],
    )
    cols = [
        MEMBER,
        SHORT,
        YEAR,
        _c("carrier", "Energieträger", text="Energieträger nach BISKO (z. B. Strom, Erdgas)"),
        _c("scope", "Scope", "int", text="1 = direkte Emissionen (Brennstoffe, Kraftstoffe), "
           "2 = Strom und Fernwärme"),  # fmt: skip
        _c("kwh", "Endenergie", "number", "kWh", "Verbrauch in kWh (Heizwert), alle Standorte",
           fmt="#,##0"),  # fmt: skip
        _c("t_co2e", "Emissionen", "number", T, "Endenergie × Emissionsfaktor des Jahres / 10⁶"),
        _c("rows_without_factor", "Zeilen ohne Faktor", "int",
           text="Meldezeilen, für die kein Emissionsfaktor vorliegt (nicht eingerechnet)"),
        _c("factor_note", "Faktor", text="„Faktor aus J übertragen“: gerechnet mit dem Faktor "
           "eines anderen Jahres; „vorläufig“: vorläufiger oder geschätzter Faktor; leer: "
           "Faktor des Jahres"),
    ]  # fmt: skip
    return Table(
        "emissionen",
        "Emissionen",
        "Emissionen je Mitglied, Jahr, Energieträger und Scope (Standorte summiert).",
        df,
        cols,
    )


def _per_year(snap: Report) -> Table:
    wide, older = figures.counted_wide(snap)
    df = pd.DataFrame({"year": [y for y in snap.years if y <= snap.year]})
    cols = [YEAR]
    for m in snap.members.itertuples():
        if m.member_id in wide:
            df[m.member_id] = [wide[m.member_id].get(y) for y in df["year"]]
            cols.append(_c(m.member_id, m.short_name, "number", T, f"Emissionen von {m.name}"))
    df["network"] = [snap.network.series.get(y) for y in df["year"]]
    text = f"Summe aller Mitglieder; leer: {access.WITHHELD}"
    cols.append(_c("network", "Netzwerk gesamt", "number", T, text))
    df["coverage"] = [snap.coverage_text(y) for y in df["year"]]
    cols.append(_c("coverage", "Vollständigkeit", text="welche Mitglieder mit welchem Jahr zählen"))
    return Table(
        "emissionen_je_jahr",
        "Emissionen je Jahr",
        "Emissionen je Jahr: eine Spalte je Mitglied und die Netzwerksumme. Ein Mitglied mit "
        "unvollständiger Meldung zählt mit seinem letzten vollständigen Jahr (Spalte "
        "Vollständigkeit), so dass die Spalten die Netzwerksumme ergeben.",
        df,
        cols,
    )


def _paths(snap: Report) -> Table:
    cols = [
        YEAR,
        _c("actual", "Ist", "number", T, "Emissionen des Netzwerks (leer = noch kein Wert)"),
        _c("network_path", "Netzwerkpfad", "number", T,
           "Referenzpfad des Netzwerks: linear zwischen Basisjahr, Meilenstein und 2035"),
        _c("members_path", "Summe der Mitgliederziele", "number", T,
           "Summe der Zielpfade der einzelnen Mitglieder"),
    ]  # fmt: skip
    return Table(
        "pfade",
        "Pfade",
        "Ist-Emissionen, Netzwerkpfad und Summe der Zielpfade der Mitglieder bis 2035.",
        snap.paths,
        cols,
    )


def _alignment(snap: Report) -> Table:
    cols = [MEMBER, SHORT, _c("year", "Jahr", "year", text="Bezugsjahr"),
            _c("path", "Pfad", text="eigenes Ziel oder Bezugspfad (Methodik: Zielabgleich)"),
            _c("allowed", "Erlaubt", "number", T, "Wert, den der Pfad im Jahr erlaubt"),
            _c("strictest", "Strengster Pfad", text="strengster = niedrigster Wert des Jahres"),
            _c("gap", "Abstand des eigenen Ziels", "number", T, "positiv = eigenes Ziel schwächer"),
            _c("gap_pct", "Abstand", "number", "% der Basis", "in % des Basiswerts"),
            _c("past", "Nicht nach dem Berichtsjahr", text="ja = Jahr ≤ Berichtsjahr")]  # fmt: skip
    keys = [c.key for c in cols[2:]]
    frames = [
        alignment_charts.table(al).set_axis(keys, axis=1).assign(
            member_id=m, short_name=snap.names[m])[[c.key for c in cols]]
        for m, al in snap.alignment.items() if al.checks
    ]  # fmt: skip
    frame = pd.concat(frames) if frames else pd.DataFrame(columns=[c.key for c in cols])
    text = "Zielabgleich: eigenes Ziel gegen die Bezugspfade je Mitglied und Bezugsjahr."
    return Table("zielabgleich", "Zielabgleich", text, frame, cols)


def _kpi_row(owner: str, name: str, k, target, years: Sequence[int]) -> dict:
    b = k.budget
    row = {
        "owner": owner, "name": name, "latest_year": k.latest_year, "latest": k.latest,
        "base_year": k.base_year, "base": k.base, "change_pct": k.change_pct,
        "path_latest": k.path_latest, "gap_latest": k.gap_latest,
        "status": status.LIGHTS[k.status].word, "rate_basis": k.rate_basis,
        "ach_t": None if k.achieved is None else k.achieved.t_per_year,
        "ach_pct": k.achieved_pct,
        "ach_compound": None if k.achieved is None else k.achieved.pct_per_year,
        "zero_year": k.zero_year, "zero_year_10": k.zero_years.get(ZERO_LONG),
        "budget": None if b is None else b.budget, "used": None if b is None else b.used,
        "left": None if b is None else b.left,
        "path_rest": None if b is None else b.path_rest, "over": None if b is None else b.over,
        "exhausted": None if b is None else b.exhausted_year,
        "target": target.describe() if target else "", "source": target.source if target else "",
    }  # fmt: skip
    for y in years:
        step = k.step(y)
        row |= {
            f"path_{y}": None if step is None else step.path,
            f"to_go_{y}": None if step is None else step.to_go,
            f"req_t_{y}": None if step is None else step.required.t_per_year,
            f"req_pct_{y}": None if step is None else step.required_pct,
            f"req_compound_{y}": None if step is None else step.required.pct_per_year,
            f"projected_{y}": None if step is None else step.projected,
        }
    return row


def kpi_columns(years: Sequence[int], end: int | None) -> list[Column]:
    """Columns of the key-figure table; one group per reference year of the network target."""
    head = [
        _c("owner", "Kennung", text="Kennung des Mitglieds oder „netzwerk“"),
        _c("name", "Name"),
        _c("latest_year", "Gezähltes Jahr", "year",
           text="Berichtsjahr oder, bei unvollständiger Meldung, letztes vollständiges Jahr"),
        _c("latest", "Emissionen", "number", T, "Emissionen im gezählten Jahr"),
        _c("base_year", "Basisjahr", "year", text="Basisjahr des Ziels"),
        _c("base", "Basiswert", "number", T, "Emissionen im Basisjahr"),
        _c("change_pct", "Veränderung ggü. Basisjahr", "number", "%", "negativ = Minderung"),
        _c("path_latest", "Zielpfad im gezählten Jahr", "number", T, "Wert des eigenen Zielpfads"),
        _c("gap_latest", "Abstand zum Pfad", "number", T, "Ist − Pfad; positiv = über dem Pfad"),
        _c("status", "Ampel", text=status.legend()),
        _c("rate_basis", "Bezug der Prozentraten", text="Nenner der Raten in %/a"),
    ]  # fmt: skip
    steps = []
    for y in years:
        steps += [
            _c(f"path_{y}", f"Zielpfad {y}", "number", T, f"Pfadwert {y}"),
            _c(f"to_go_{y}", f"Bis {y} zu mindern", "number", T,
               f"Emissionen im gezählten Jahr − Pfad {y}"),
            _c(f"req_t_{y}", f"Nötige Minderung bis {y}", "number", "t CO₂e/a",
               f"gleiche Menge pro Jahr bis zum Pfadwert {y}"),
            _c(f"req_pct_{y}", f"Nötige Minderung bis {y} (Prozent)", "number", "%/a",
               "nötige Minderung pro Jahr in % der Emissionen im gezählten Jahr (linear)"),
            _c(f"req_compound_{y}", f"Nötige Minderung bis {y} (geometrisch)", "number", "%/a",
               "gleichbleibender Prozentsatz pro Jahr; leer, wenn der Pfadwert 0 t ist"),
            _c(f"projected_{y}", f"Trendwert {y}", "number", T,
               f"Wert {y} beim linearen Trend der {wd.LAST_YEARS} (nicht unter 0)"),
        ]  # fmt: skip
    tail = [
        _c("ach_t", "Erreichte Minderung", "number", "t CO₂e/a",
           f"Durchschnitt der {wd.LAST_YEARS}"),
        _c("ach_pct", "Erreichte Minderung (Prozent)", "number", "%/a",
           "erreichte Minderung pro Jahr in % der Emissionen im gezählten Jahr; negativ = Zunahme"),
        _c("ach_compound", "Erreichte Minderung (geometrisch)", "number", "%/a",
           f"gleichbleibender Prozentsatz der {wd.LAST_YEARS}; negativ = Zunahme"),
        _c("zero_year", f"Null im Trend ({formulas.WINDOW} Jahre)", "year",
           text="Jahr, in dem der Trend 0 erreicht; leer = nie (Trend fällt nicht); "
           f"nach {wd.HORIZON} ohne Aussagekraft (Seiten und Folien: „nach {wd.HORIZON}“)"),
        _c("zero_year_10", f"Null im Trend ({ZERO_LONG} Jahre)", "year",
           text=f"dasselbe mit dem Trend der letzten {ZERO_LONG} Jahre: zeigt, wie stark das "
           "Nulljahr vom Zeitfenster abhängt"),
        _c("budget", f"CO₂-Budget bis {end}", "number", T, f"Summe der Pfadwerte Basisjahr–{end}"),
        _c("used", "Budget verbraucht", "number", T,
           "Summe der Ist-Emissionen bis zum Berichtsjahr"),
        _c("left", "Budget übrig", "number", T, "Budget − verbraucht; negativ = überzogen"),
        _c("path_rest", "Pfad braucht noch", "number", T,
           "Summe der Pfadwerte nach dem letzten Ist-Jahr bis zum Budgetende"),
        _c("over", "Schon über dem Budget", "number", T,
           "Pfad braucht noch − Budget übrig; positiv = selbst auf dem Pfad wird das Budget "
           "überschritten"),
        _c("exhausted", "Budget aufgebraucht", "year",
           text="Jahr, in dem der Trend das übrige Budget aufbraucht; leer = nicht bis zum Ende"),
        _c("target", "Ziel", text="Ziel in Worten (Minderung gegenüber dem Basisjahr)"),
        _c("source", "Quelle des Ziels"),
    ]  # fmt: skip
    return head + steps + tail


def _kpis(snap: Report) -> Table:
    years = [y for y in snap.reference_years if y > snap.year]
    cols = kpi_columns(years, snap.network.budget_end)
    net = snap.network
    rows = [_kpi_row("netzwerk", "Netzwerk gesamt", net, snap.network_target, years)]
    for r in snap.member.values():
        rows.append(_kpi_row(r.member_id, r.name, r.kpi, r.target, years))
    return Table(
        "kennzahlen",
        "Kennzahlen",
        f"Kennzahlen des Netzwerks und jedes Mitglieds für das Berichtsjahr {snap.year} "
        f"({snap.coverage_text()}).",
        pd.DataFrame(rows, columns=[c.key for c in cols]),
        cols,
    )


def _completeness(snap: Report) -> Table:
    cols = [
        MEMBER,
        YEAR,
        _c("status", "Status", text="vollständig, teilweise oder fehlt"),
        _c("present", "Gemeldete Energieträger", "int"),
        _c("expected", "Erwartete Energieträger", "int",
           text="Energieträger, die das Mitglied in irgendeinem Jahr gemeldet hat"),
        _c("missing_carriers", "Es fehlen", text="fehlende Energieträger"),
    ]  # fmt: skip
    return Table(
        "vollstaendigkeit",
        "Vollständigkeit",
        "Vollständigkeit der Meldungen je Mitglied und Jahr.",
        snap.completeness,
        cols,
    )


def _activity(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> Table:
    cols = [
        MEMBER,
        _c("mitglied", "Mitglied"),
        YEAR,
        _c("energietraeger", "Energieträger"),
        _c("quantity", "Menge", "number", text="gemeldete Menge in der Einheit der Spalte Einheit",
           fmt="#,##0.###"),
        _c("unit", "Einheit", text="Einheit wie gemeldet (z. B. kWh, MWh, m³, l)"),
        _c("site", "Standort"),
        _c("remark", "Bemerkung"),
        _c("submission_id", "Meldung Nr.", "int", fmt="0"),
        _c("file_name", "Datei", text="Name der hochgeladenen Datei"),
        _c("submitted_at", "Eingang", "datetime", text="Zeitpunkt des Uploads"),
    ]  # fmt: skip
    return Table(
        "aktivitaetsdaten",
        "Aktivitätsdaten",
        "Die gültigen Verbrauchsmeldungen, wie eingereicht (Menge in der gemeldeten Einheit)"
        + ("." if viewer.sees_all_members else ", nur die der eigenen Organisation."),
        emissions.activity_table(con, viewer),
        cols,
    )


def _factors(con: duckdb.DuckDBPyConnection) -> Table:
    cols = [
        _c("carrier_id", "Kennung Energieträger"),
        _c("name", "Energieträger"),
        _c("valid_from", "Gültig ab", "year", text="gilt ab diesem Jahr bis zum nächsten Eintrag"),
        _c("g_co2e_per_kwh", "Emissionsfaktor", "number", "g CO₂e/kWh",
           "je kWh Endenergie (Heizwert), mit Vorkette (BISKO)"),
        _c("status", "Status", text="Sekundärquelle, abgeleitet, vorläufig, Schätzung, Annahme"),
        _c("derivation", "Herleitung"),
        _c("source", "Quelle"),
    ]  # fmt: skip
    return Table(
        "emissionsfaktoren",
        "Emissionsfaktoren",
        "Emissionsfaktoren mit Quelle und Herleitung.",
        db.query_df(con, "factors"),
        cols,
    )


def _conversions(con: duckdb.DuckDBPyConnection) -> Table:
    cols = [
        _c("carrier_id", "Kennung Energieträger"),
        _c("name", "Energieträger"),
        _c("unit", "Einheit", text="gemeldete Einheit"),
        _c("factor", "Faktor", "number", text="Menge [Einheit] × Faktor = Menge [Zieleinheit]",
           fmt="#,##0.0###"),
        _c("target_unit", "Zieleinheit", text="kWh (Heizwert) oder t CO₂e"),
        _c("derivation", "Herleitung"),
        _c("source", "Quelle"),
    ]  # fmt: skip
    return Table(
        "umrechnungen",
        "Umrechnungen",
        "Umrechnung gemeldeter Einheiten in kWh (Heizwert) mit Quelle.",
        db.query_df(con, "conversions"),
        cols,
    )


def build_tables(snap: Report, con: duckdb.DuckDBPyConnection) -> list[Table]:
    """Every table the viewer may see: members as in the report; reported quantities (with file
    names) only of the own organisation (none for the public)."""
    members = [_members(snap), _emissions(snap, con), _per_year(snap)] if snap.member else []
    result = [*members, _paths(snap), _kpis(snap), *([_completeness(snap)] if snap.member else [])]
    if snap.member:
        result.append(_alignment(snap))
    result.append(package_method.decomposition(snap))
    result.append(package_method.wedge(snap))  # issue 12: Maßnahmen gegen die Lücke
    if snap.viewer.sees_member_data:  # electricity and quantities: own organisation or all
        result += [package_method.electricity(snap, con), _activity(con, snap.viewer)]
    return result + [_factors(con), _conversions(con)]


def readme(
    snap: Report, items: Sequence[Table], workbook: str, now: datetime, stand_label: str = ""
) -> str:
    """The German README.txt: contents, formats, units and every column of every table;
    ``stand_label`` says live data or which Berichtsstand (kek_data.frozen_reports.stand)."""
    wrap = textwrap.TextWrapper(width=96, subsequent_indent="    ")
    lines = [
        "KEK-Klimadashboard Dortmund – Datenpaket",
        "=" * 40,
        "",
        f"Stand der Daten: {snap.ctx.as_of} · Berichtsjahr {snap.year} · erstellt am "
        f"{format_date(now.date())} um {now:%H:%M} Uhr · Ansicht: {snap.viewer.label}",
        f"{snap.basis_label}; marktbasierter Strom in der Tabelle „Strom Scope 2“.",
        *([f"Datenstand: {stand_label}"] if stand_label else []),
        "",
    ]
    if snap.ctx.demo:
        lines += [f"ACHTUNG – {tables.DEMO_LINE} Nicht in Gremien verwenden.", ""]
    for text in methodology.audience(snap):
        lines += wrap.wrap(text)
    lines.append("")
    lines += ["Inhalt", "------", f"{workbook}: alle Tabellen als Blätter einer Excel-Datei"]
    lines += [f"csv/{t.name}.csv: {t.title}" for t in items]
    lines += ["", "Formate", "-------"]
    for text in (
        "CSV: Trennzeichen Semikolon, Dezimalkomma, keine Tausenderpunkte, ungerundet; "
        "Zeichensatz UTF-8 mit BOM, Zeilenende CRLF – deutsches Excel öffnet die Dateien per "
        "Doppelklick richtig. Datum TT.MM.JJJJ, leere Zelle = kein Wert."
        + (
            " Bei Demodaten steht in Zeile 1 ein Hinweis, die Spaltenköpfe in Zeile 2."
            if snap.ctx.demo
            else ""
        ),  # fmt: skip
        "XLSX: Zahlen als echte Zahlen mit Zahlenformat, Zeile 1 Quelle und Stand"
        + (" mit Demohinweis" if snap.ctx.demo else "")
        + ", Zeile 2 Spaltenköpfe (fixiert, mit Filter).",
        "Schutz: Text, der mit =, +, -, @, Tabulator oder Zeilenumbruch beginnt, wird nie als "
        "Formel gespeichert (CSV: vorangestelltes ', XLSX: Textzelle mit Präfix).",
    ):
        lines += wrap.wrap(text)
    lines += ["", "Einheiten", "---------"]
    for text in (
        "t CO₂e: Tonnen CO₂-Äquivalente (Scope 1 und 2, Faktoren mit Vorkette nach BISKO)",
        "kWh: Kilowattstunden Endenergie, bezogen auf den Heizwert",
        "g CO₂e/kWh: Gramm CO₂-Äquivalente je kWh Endenergie",
        "%/a: Prozent pro Jahr; t CO₂e/a: Tonnen pro Jahr",
    ):
        lines.append(f"- {text}")
    lines += ["", "Methodik", "--------"]
    lines += wrap.wrap("Dieselben Abschnitte wie auf der Seite „Methodik“ des Dashboards. Für "
                       "dieses Datenpaket gilt:")  # fmt: skip
    for fact in methodology.facts(snap):
        lines += wrap.wrap(f"- {fact}")
    lines += methodology.plain_text(width=96)
    lines += ["", "Tabellen", "--------"]
    for t in items:
        lines += ["", f"{t.title} (csv/{t.name}.csv, Blatt „{t.title}“)"]
        lines += wrap.wrap(t.description)
        for c in t.columns:
            text = f"- {c.header}" + (f": {c.description}" if c.description else "")
            lines += wrap.wrap(text)
    lines += [
        "",
        "Quelle: KEK-Klimadashboard (Konsultationskreis Energieeffizienz und Klimaschutz).",
    ]
    return "\r\n".join(lines) + "\r\n"


def build_package(con: duckdb.DuckDBPyConnection, viewer: Viewer, year: int | None = None) -> bytes:
    """ZIP bytes: ``README.txt``, one XLSX with every table and ``csv/<table>.csv``."""
    snap = report.build(con, viewer, year)
    items = build_tables(snap, con)
    now = datetime.now()
    demo = snap.ctx.demo
    stand = frozen_reports.stand(con)  # issue 12: live data or a frozen Berichtsstand
    source = f"Quelle: KEK-Klimadashboard, Stand {snap.ctx.as_of}"
    source += f" · {stand.label}" if stand.frozen else ""
    workbook = f"KEK_Daten_{snap.year}.xlsx"
    sheets = [tables.Sheet(t.title, t.frame, t.columns) for t in items]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("README.txt", "\ufeff" + readme(snap, items, workbook, now, stand.label))
        zf.writestr(workbook, tables.to_xlsx(sheets, demo=demo, source=source))
        for t in items:
            zf.writestr(f"csv/{t.name}.csv", tables.to_csv(t.frame, t.columns, demo=demo))
    return buffer.getvalue()
