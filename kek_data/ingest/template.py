"""The downloadable Erfassungsvorlage (CSV for German Excel and XLSX) with one example row.

Why: members fill in what they can open in Excel. The CSV is German Excel's own dialect
(``;`` separated, decimal comma, UTF-8 with BOM so Excel shows umlauts, CRLF line ends); the
XLSX has the same columns on the first sheet and the notes on a second sheet. The example row's
remark starts with :data:`~kek_data.ingest.validate.EXAMPLE_PREFIX`; an upload that still
contains it is rejected, so the example never becomes data.
"""

from __future__ import annotations

import io
from datetime import date

from kek_data import reference, wording
from kek_data.ingest.validate import COLUMNS, EXAMPLE_PREFIX

EXAMPLE_QUANTITY = 123456.7  #: [kWh] gross calorific value (Hs), as on a gas bill


def example_row(year: int | None = None) -> list[str]:
    """The example row as text cells (German number), for the previous year by default."""
    year = year or date.today().year - 1
    return [
        str(year),
        "Erdgas",
        "123.456,7",
        "kWh",
        "Hauptgebäude",
        f"{EXAMPLE_PREFIX} Erdgas-kWh wie auf der Gasrechnung (Brennwert Hs), bitte ersetzen",
    ]


def hints() -> list[str]:
    """German notes on the format, shown on the page and on the template's second sheet."""
    units: dict[str, list[str]] = {}
    for row in reference.read_table("unit_conversions.csv"):
        units.setdefault(row["carrier_id"], []).append(row["unit"])
    carriers = [
        f"{c['name']}: {', '.join(units.get(c['carrier_id'], []))}"
        for c in reference.read_table("carriers.csv")
    ]
    return [
        "Eine Zeile je Jahr und Energieträger (und ggf. Standort); die erste Zeile ist die "
        "Kopfzeile: Jahr;Energieträger;Menge;Einheit;Standort;Bemerkung "
        "(Standort und Bemerkung sind freiwillig, die Reihenfolge ist beliebig).",
        "Zahlen in deutscher Schreibweise: Komma vor den Nachkommastellen, Tausenderpunkte "
        "erlaubt (1.234.567,8). „1.5“ ist mehrdeutig und wird abgelehnt.",
        "Erdgas in kWh, MWh oder GWh bitte wie auf der Gasrechnung angeben: Das Dashboard liest "
        "diese Werte als Brennwert (Hs) und rechnet mit Hs/Hi = 1,11 auf den Heizwert um.",
        "Kältemittel und sonstige direkte Emissionen als kg CO₂e oder t CO₂e angeben: "
        f"nachgefüllte Menge in kg × GWP des Kältemittels (z. B. {wording.REFRIGERANT_GWP}); "
        "kg oder t ohne CO₂e werden abgelehnt.",
        "Holz in t wird als Pellets (4,9 kWh/kg) umgerechnet. Hackschnitzel bitte in kWh oder "
        "MWh angeben (Wärmemengenzähler oder Heizwert laut Lieferschein), ihr Heizwert hängt vom "
        "Wassergehalt ab (etwa 3,4–4,0 kWh/kg).",
        "Super E10 und E5 werden wie Benzin mit 9,0 kWh/l gerechnet; E10 hat je Liter einige "
        "Prozent weniger Energie, die Emissionen sind damit eher etwas zu hoch.",
        "Ein Jahr, das schon Daten hat, wird nach Bestätigung vollständig durch die neue Datei "
        "ersetzt; die alte Meldung bleibt erhalten und kann wiederhergestellt werden.",
        "Die Beispielzeile bitte überschreiben oder löschen.",
        "Erlaubte Einheiten je Energieträger – " + "; ".join(carriers) + ".",
    ]


def template_csv(year: int | None = None) -> bytes:
    """The CSV template: UTF-8 with BOM, ``;``, CRLF, header plus the example row."""
    lines = [";".join(COLUMNS.values()), ";".join(example_row(year))]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def template_xlsx(year: int | None = None) -> bytes:
    """The XLSX template: sheet „Daten“ (header, example row) and sheet „Hinweise“."""
    import xlsxwriter

    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    number = wb.add_format({"num_format": "#,##0.0"})
    ws = wb.add_worksheet("Daten")
    ws.write_row(0, 0, list(COLUMNS.values()), bold)
    row = example_row(year)
    ws.write_number(1, 0, int(row[0]))
    ws.write_string(1, 1, row[1])
    ws.write_number(1, 2, EXAMPLE_QUANTITY, number)
    ws.write_row(1, 3, row[3:])
    for col, width in enumerate((8, 18, 16, 10, 20, 70)):
        ws.set_column(col, col, width)
    ws.freeze_panes(1, 0)
    notes = wb.add_worksheet("Hinweise")
    notes.set_column(0, 0, 120)
    notes.write(0, 0, "Hinweise zur Erfassungsvorlage des KEK-Klimadashboards", bold)
    for i, text in enumerate(hints(), start=2):
        notes.write_string(i, 0, text)
    wb.close()
    return buffer.getvalue()
