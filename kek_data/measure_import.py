"""Measures from a file: the template „Maßnahmen“ (CSV/XLSX) and its import.

Why: members keep their measure lists in Excel; re-typing 20 measures in a form is where errors
come from. The file is read like every upload (:func:`kek_data.ingest.reader.open_source`:
size, binary/HTML/old-Excel checks, UTF-8 with or without BOM, Windows-1252, UTF-16, ``;``/tab/
``,``, XLSX); every problem of the file is listed at once with file, line and column, and
nothing is written unless the whole file is fine (one transaction, :func:`measures.add_many`).

Semantics (decided): each row without „Nr.“ adds a new measure for the member; a row with „Nr.“
(the number the page and ``measures`` show) is a new version of that measure — it must belong to
the member and needs a „Kommentar“ (it goes into the log); a row identical to the measure in
force is left as it is. The rules are those of the form (:func:`kek_data.measures.problems`);
an empty „Umsetzung %“ is 0 (100 for „umgesetzt“), an empty „Sichtbarkeit“ intern.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import duckdb

from kek_data import db, measures
from kek_data.errors import GermanNumberError, MeasureImportErrors, UploadError
from kek_data.ingest import reader
from kek_data.ingest.outcome import shown
from kek_data.ingest.validate import EXAMPLE_PREFIX, header_key
from kek_data.numbers import format_count, parse_german_number
from kek_data.viewer import Viewer

#: canonical column → German label (the template's order)
COLUMNS = {
    "nr": "Nr.",
    "title": "Titel",
    "description": "Beschreibung",
    "field": "Handlungsfeld",
    "status": "Status",
    "start_year": "Beginn",
    "end_year": "Ende",
    "completion_pct": "Umsetzung %",
    "saving_t_per_year": "Einsparung t CO₂e/a",
    "saving_quantity": "Einsparung Energie je Jahr",
    "saving_unit": "Einheit",
    "saving_carrier_id": "Energieträger",
    "responsible": "Verantwortlich",
    "group_id": "Arbeitsgruppe",
    "visibility": "Sichtbarkeit",
    "comment": "Kommentar",
}
REQUIRED = ("title", "field", "status", "start_year", "end_year")
HEADERS = {header_key(label): col for col, label in COLUMNS.items()} | {
    "nr": "nr", "nummer": "nr", "maßnahme nr.": "nr", "measure_id": "nr",
    "umsetzung": "completion_pct", "umsetzung in %": "completion_pct",
    "einsparung t co2e/a": "saving_t_per_year", "einsparung [t co₂e/a]": "saving_t_per_year",
    "einsparung energie": "saving_quantity", "menge": "saving_quantity",
    "energietraeger": "saving_carrier_id", "ag": "group_id",
}  # fmt: skip
MAX_ROWS = 2000


@dataclass(frozen=True)
class Row:
    """One checked row: ``measure_id`` None = a new measure."""

    line_no: int
    measure_id: int | None
    draft: measures.Draft
    comment: str


def template_csv() -> bytes:
    """The template for German Excel (``;``, decimal comma, UTF-8 with BOM, CRLF) with two
    example rows (rejected on import until replaced)."""
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    w.writerow(COLUMNS.values())
    w.writerow(
        [
            "",
            "LED-Beleuchtung Verwaltung",
            "alle Büros und Flure",
            "Strom & Erneuerbare",
            "beschlossen",
            "2026",
            "2027",
            "0",
            "",
            "120.000",
            "kWh",
            "Strom",
            "Frau Muster",
            "",
            "intern",
            f"{EXAMPLE_PREFIX} Einsparung als Energie, bitte ersetzen",
        ]
    )
    w.writerow(["", "E-Fahrzeuge im Fuhrpark", "", "Mobilität & Fuhrpark", "geplant", "2027",
                "2029", "", "45,5", "", "", "", "Herr Beispiel", "", "öffentlich",
                f"{EXAMPLE_PREFIX} Einsparung in t CO₂e/a, bitte ersetzen"])  # fmt: skip
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def hints() -> list[str]:
    """German notes shown beside the template."""
    return [
        "Eine Zeile je Maßnahme. Kopfzeile: " + ";".join(COLUMNS.values()) + ".",
        "Pflicht: Titel, Handlungsfeld ("
        + ", ".join(measures.FIELDS)
        + "), Status ("
        + ", ".join(measures.STATUSES)
        + "), Beginn und Ende (Jahre).",
        "Einsparung je Jahr entweder in t CO₂e/a oder als Energie mit Einheit und Energieträger "
        "(z. B. 120.000 kWh Erdgas, 5.000 l Diesel); sie wird mit dem Faktor des Jahres nach dem "
        "Ende umgerechnet.",
        "Ohne Nr. legt jede Zeile eine neue Maßnahme an; mit der Nr. einer bestehenden Maßnahme "
        "wird sie als neue Version gespeichert (Kommentar nötig, steht im Verlauf).",
    ]


def _lookup(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, object]]:
    """Spellings accepted per column → stored value (lists, carriers, units, groups)."""

    def key(text: str) -> str:
        return re.sub(r"\s+", " ", text.strip().lower().replace(" und ", " & "))

    units = measures.units(con)
    carriers = {key(n): c for c, (n, _) in units.items()} | {c: c for c in units}
    carriers |= {key(a): c for a, c in db.query_rows(con, "upload_carrier_aliases") if c in units}
    unit_names = {key(a): u for a, u in db.query_rows(con, "upload_unit_aliases")}
    unit_names |= {key(u): u for _, us in units.values() for u in us}
    group_names = {key(n): g for g, n in measures.groups(con).items()}
    group_names |= {str(g): g for g in measures.groups(con)}
    return {
        "field": {key(v): v for v in measures.FIELDS},
        "status": {key(v): v for v in measures.STATUSES},
        "visibility": {key(v): v for v in measures.VISIBILITIES} | {"oeffentlich": "öffentlich"},
        "saving_carrier_id": carriers,
        "saving_unit": unit_names,
        "group_id": group_names,
        "_key": key,  # type: ignore[dict-item]
    }


def _cells_to_values(cells: dict[str, str], look: dict) -> tuple[dict, list[tuple[str, str]]]:
    """Typed values of one row and the problems of reading it ``(column, German text)``."""
    errs: list[tuple[str, str]] = []
    out: dict[str, object] = {}
    key = look["_key"]
    for col, text in cells.items():
        if not text:
            continue
        if col in ("nr", "start_year", "end_year"):
            if text.isdigit():
                out[col] = int(text)
            else:
                errs.append((col, f"„{shown(text)}“ ist keine ganze Zahl."))
        elif col in ("completion_pct", "saving_t_per_year", "saving_quantity"):
            try:
                out[col] = parse_german_number(text.removesuffix("%").strip())
            except GermanNumberError:
                errs.append((col, f"„{shown(text)}“ ist keine Zahl (deutsche Schreibweise, "
                                  "z. B. 120.000 oder 12,5)."))  # fmt: skip
        elif col in look:
            value = look[col].get(key(text))
            if value is None:
                if col in ("field", "status", "visibility"):
                    allowed = ", ".join(dict.fromkeys(look[col].values()))
                    errs.append((col, f"„{shown(text)}“ ist nicht erlaubt; erlaubt: {allowed}."))
                else:
                    errs.append((col, f"„{shown(text)}“ ist unbekannt."))
            else:
                out[col] = value
        else:
            out[col] = text
    if "completion_pct" not in out and "completion_pct" not in dict(errs):
        out["completion_pct"] = 100.0 if out.get("status") == "umgesetzt" else 0.0
    return out, errs


def parse(con: duckdb.DuckDBPyConnection, data: bytes, file_name: str, member_id: str) -> list[Row]:
    """The checked rows of a measures file for ``member_id``; :class:`MeasureImportErrors`
    listing every problem (file, line, column)."""
    try:
        src = reader.open_source(data, file_name, known=lambda c: header_key(c) in HEADERS)
    except UploadError as exc:
        raise MeasureImportErrors([str(exc)]) from exc
    try:
        text = src.path.read_text(encoding="utf-8-sig")
    finally:
        src.close()
    rows = list(csv.reader(io.StringIO(text), delimiter=src.delimiter))[src.skip :]
    first = src.header_line
    if not rows:
        raise MeasureImportErrors([f"{file_name}, Zeile 1: Die Datei ist leer."])
    errors: list[str] = []
    names: list[str | None] = []
    for pos, cell in enumerate(rows[0], 1):
        col = HEADERS.get(header_key(cell))
        if col is None and header_key(cell):
            errors.append(
                f"{file_name}, Zeile {first}, Spalte {pos} „{shown(cell)}“: Unbekannte "
                f"Spaltenüberschrift. Erlaubt sind {', '.join(COLUMNS.values())}."
            )
        elif col is not None and col in names:
            errors.append(
                f"{file_name}, Zeile {first}, Spalte {pos} „{shown(cell)}“: Die Spalte "
                f"„{COLUMNS[col]}“ kommt doppelt vor; bitte eine davon löschen."
            )
        names.append(col)
    for col in REQUIRED:
        if col not in names:
            errors.append(f"{file_name}, Zeile {first}: Die Spalte „{COLUMNS[col]}“ fehlt.")
    if errors:
        raise MeasureImportErrors(errors)
    if len(rows) - 1 > MAX_ROWS:
        raise MeasureImportErrors([f"{file_name}: mehr als {MAX_ROWS} Zeilen; bitte aufteilen."])
    look, found = _lookup(con), []
    current = {int(r.measure_id): r for r in measures.current(
        con, Viewer(role="netzwerk"), member_id).itertuples()}  # fmt: skip
    for offset, row in enumerate(rows[1:], 1):
        line = first + offset
        if not any(c.strip() for c in row):
            continue
        cells = {n: c.strip() for n, c in zip(names, row, strict=False) if n}
        problems: list[tuple[str, str]] = []
        if any(v.startswith(EXAMPLE_PREFIX) for v in cells.values()):
            problems.append(("comment", "Das ist eine Beispielzeile der Vorlage: bitte ersetzen "
                                        "oder löschen."))  # fmt: skip
        else:
            values, problems = _cells_to_values(cells, look)
            row_id = values.get("nr")
            if row_id is not None and int(row_id) not in current:
                problems.append(
                    (
                        "nr",
                        f"Eine Maßnahme Nr. {row_id} von „{member_id}“ gibt es "
                        "nicht; für eine neue Maßnahme die Nr. leer lassen.",
                    )
                )
            elif row_id is not None and not values.get("comment"):
                problems.append(("comment", "Bei einer Änderung (mit Nr.) bitte sagen, was sich "
                                            "geändert hat (steht im Verlauf)."))  # fmt: skip
            draft = measures.Draft.of(values)
            unread = {col for col, _ in problems}  # no second message at an unread cell
            problems += [(e.field, e.message) for e in measures.problems(con, draft)
                         if e.field not in unread]  # fmt: skip
        for col, msg in problems:
            label = COLUMNS.get(col, measures.LABELS.get(col, col))
            errors.append(f"{file_name}, Zeile {line}, Spalte „{label}“: {msg}")
        if not problems:
            found.append(Row(line, row_id, draft, str(values.get("comment") or "")))
    if not found and not errors:
        errors.append(f"{file_name}, Zeile {first + 1}: Unter der Kopfzeile stehen keine Daten.")
    if errors:
        raise MeasureImportErrors(errors)
    return found


def _unchanged(con: duckdb.DuckDBPyConnection, member_id: str, row: Row) -> bool:
    cur = measures.current(con, Viewer(role="netzwerk"), member_id)
    match = cur[cur["measure_id"] == row.measure_id]
    return not match.empty and measures.Draft.of(match.iloc[0].to_dict()) == row.draft


@dataclass(frozen=True)
class Result:
    """What an import did: ``added`` and ``updated`` measure ids, ``unchanged`` rows."""

    added: list[int]
    updated: list[int]
    unchanged: int

    def summary(self, file_name: str) -> str:
        """One German line, e.g. „massnahmen.csv: 3 Maßnahmen neu, 1 Maßnahme geändert.“"""
        parts = [
            f"{format_count(len(self.added), 'Maßnahme', 'Maßnahmen')} neu",
            f"{format_count(len(self.updated), 'Maßnahme', 'Maßnahmen')} geändert",
        ]
        if self.unchanged:
            parts.append(f"{format_count(self.unchanged, 'Zeile', 'Zeilen')} unverändert")
        return f"{file_name}: {', '.join(parts)}."


def import_file(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    member_id: str,
    data: bytes,
    file_name: str,
    dry_run: bool = False,
) -> Result:
    """Check and store a measures file for ``member_id`` (module doc); nothing written on any
    problem (:class:`MeasureImportErrors`, :class:`AccessDenied`)."""
    measures.check_write(viewer, member_id)
    rows = parse(con, data, file_name, member_id)
    todo = [r for r in rows if r.measure_id is None or not _unchanged(con, member_id, r)]
    upd = [r for r in todo if r.measure_id is not None]
    if dry_run:
        return Result([], [], len(rows) - len(todo))
    ids = measures.add_many(con, viewer, member_id, [
        (r.measure_id, r.draft, r.comment or f"Import {file_name}") for r in todo
    ])  # fmt: skip
    added = [i for i, r in zip(ids, todo, strict=True) if r.measure_id is None]
    return Result(added, [int(r.measure_id) for r in upd], len(rows) - len(todo))
