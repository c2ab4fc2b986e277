"""Rows of an uploaded table → typed records in ``upload_typed``, or German errors.

Why: a member must learn *every* problem of a file at once, each with file, line (header =
Zeile 1) and column, e.g. ``kek_2024.csv, Zeile 7, Spalte „Menge“: „12,3,4“ ist keine Zahl.``
The checks run vectorised in DuckDB while the file is read: the typed cells of every record
(``upload_cells`` in ``sql/ingest.sql``: number regex, lookups in maps built from
``carrier_aliases``/``unit_aliases``/``unit_conversions``) and the rules of
``sql/upload_rules.sql`` (:mod:`kek_data.ingest.rules`, the same for the direct import): year
range, spellings, number grammar, unit fit, text length, the template's example row, values in
columns without a header, duplicate year × carrier × site. German sentences are built in Python
(:class:`Messages`, from each rule's message) only for the first :data:`MAX_LISTED` failing
cells, while the count of all problems stays exact. The header is checked here (required
columns, unknown or doubled headers).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import duckdb

from kek_data import config, db, wording
from kek_data.ingest import loader, reader, rules
from kek_data.ingest.outcome import shown
from kek_data.numbers import (
    GERMAN_NUMBER_REGEX,
    GERMAN_NUMBER_TRIM_CHARS,
    GermanNumberError,
    format_number,
    parse_german_number,
)

MAX_LISTED = 200  #: error lines listed per file; the count line says how many more
EXAMPLE_PREFIX = "BEISPIEL –"  #: remark of the template's example row (kek_data.ingest.template)
#: canonical column → German label (the order is the template's column order)
COLUMNS = {
    "jahr": "Jahr",
    "energietraeger": "Energieträger",
    "menge": "Menge",
    "einheit": "Einheit",
    "standort": "Standort",
    "bemerkung": "Bemerkung",
}
REQUIRED = ("jahr", "energietraeger", "menge", "einheit")
HEADER_ALIASES = {
    "jahr": "jahr",
    "energieträger": "energietraeger",
    "energietraeger": "energietraeger",
    "menge": "menge",
    "einheit": "einheit",
    "standort": "standort",
    "bemerkung": "bemerkung",
}
_PAD = f"[{GERMAN_NUMBER_TRIM_CHARS}]*"
#: The common case of :data:`GERMAN_NUMBER_REGEX` (no padding, only ``.`` groups): such cells
#: are converted with two replacements; tests check it accepts a subset of the full grammar.
SIMPLE_NUMBER_REGEX = "[-+]?(?:[0-9]+|[1-9][0-9]{0,2}(?:\\.[0-9]{3})+)(?:,[0-9]+)?"
_COL_OF_POSITION = dict(enumerate(COLUMNS, start=1))


def header_key(cell: str) -> str:
    """Header cell as compared: NFC, trimmed (incl. BOM, no-break spaces), lower case."""
    text = unicodedata.normalize("NFC", cell).strip(GERMAN_NUMBER_TRIM_CHARS + "\ufeff")
    return re.sub(r"\s+", " ", text).lower()


def known_header(cell: str) -> bool:
    """True for a header cell naming one of :data:`COLUMNS` (used to detect the delimiter)."""
    return header_key(cell) in HEADER_ALIASES


@dataclass
class HeaderMap:
    """Column identifiers for the header positions, labels as written, and header errors."""

    names: list[str]
    labels: dict[str, str]
    present: set[str]
    errors: list[str] = field(default_factory=list)


def map_header(cells: list[str], file_name: str, header_line: int = 1) -> HeaderMap:
    """Map header cells to canonical columns (any order, case and surrounding spaces ignored)."""
    names: list[str] = []
    labels = dict(COLUMNS)
    seen: dict[str, int] = {}
    errors = []
    where = f"{file_name}, Zeile {header_line}"
    for pos, cell in enumerate(cells, start=1):
        key = header_key(cell)
        canonical = HEADER_ALIASES.get(key)
        if canonical and canonical not in seen:
            seen[canonical] = pos
            labels[canonical] = cell.strip(GERMAN_NUMBER_TRIM_CHARS + "\ufeff")
            names.append(canonical)
        elif canonical:
            errors.append(
                f"{where}, Spalte „{shown(cell.strip())}“: Die Spalte kommt doppelt vor (Spalten "
                f"{seen[canonical]} und {pos}); bitte eine davon löschen."
            )
            names.append(f"u{pos}")
        elif not key:
            names.append(f"x{pos}")
        else:
            guess = difflib.get_close_matches(key, HEADER_ALIASES, n=1, cutoff=0.6)
            hint = f" Meinten Sie „{COLUMNS[HEADER_ALIASES[guess[0]]]}“?" if guess else ""
            errors.append(
                f"{where}, Spalte „{shown(cell.strip())}“: Unbekannte Spaltenüberschrift.{hint} "
                "Erlaubt sind Jahr, Energieträger, Menge, Einheit, Standort, Bemerkung; weitere "
                "Angaben bitte in „Bemerkung“ schreiben."
            )
            names.append(f"u{pos}")
    for col in REQUIRED:
        if col not in seen:
            errors.append(
                f"{where}, Spalte „{COLUMNS[col]}“: Die Spalte fehlt. Erwartet wird die Kopfzeile "
                "Jahr;Energieträger;Menge;Einheit (optional Standort;Bemerkung)."
            )
    return HeaderMap(names=names, labels=labels, present=set(seen), errors=errors)


@dataclass
class Checked:
    """Result of validating one file; the typed rows stay in ``upload_typed`` for the import."""

    file_name: str
    encoding: str
    delimiter: str
    n_rows: int  # data rows (empty lines not counted)
    years: list[int]
    errors: list[str]  # German lines: the first MAX_LISTED, then a count line
    n_errors: int  # exact number of problems
    row_errors: dict[int, list[str]]  # line → messages without file/line prefix (for the preview)

    @property
    def ok(self) -> bool:
        """True when the file can be imported."""
        return self.n_errors == 0


def names_for(hm: HeaderMap) -> Callable[[int], list[str]]:
    """Column names for n fields: header names, absent canonical columns, then ``x<pos>``.

    Absent canonical columns are read as trailing columns that must stay empty (so the table
    query can name every column); at least one padding column catches one field too many.
    """

    def names(n: int) -> list[str]:
        out = hm.names + [c for c in COLUMNS if c not in hm.present and c not in hm.names]
        return out + [f"x{i}" for i in range(len(out) + 1, max(n, len(out) + 1) + 1)]

    return names


def rule_params(con: duckdb.DuckDBPyConnection, hm: HeaderMap, last_year: int) -> dict[str, object]:
    """The bound parameters of ``upload_cells`` and the rules (both import paths)."""
    return {
        "has_jahr": "jahr" in hm.present,
        "has_traeger": "energietraeger" in hm.present,
        "has_menge": "menge" in hm.present,
        "has_einheit": "einheit" in hm.present,
        "has_standort": "standort" in hm.present,
        "has_bemerkung": "bemerkung" in hm.present,
        "first_year": config.FIRST_YEAR,
        "last_year": last_year,
        **lookup_params(con),
        "trim": GERMAN_NUMBER_TRIM_CHARS,
        "year_regex": f"{_PAD}[0-9]{{1,4}}{_PAD}",
        "simple_number": SIMPLE_NUMBER_REGEX,
        "number_regex": f"{_PAD}(?:{GERMAN_NUMBER_REGEX}){_PAD}",
        "example_prefix": EXAMPLE_PREFIX,
    }


def validate(
    con: duckdb.DuckDBPyConnection, src: reader.Source, *, current_year: int | None = None
) -> Checked:
    """Read ``src`` into ``upload_typed`` and check every row; never raises for bad content.

    Raises :class:`~kek_data.ingest.errors.UploadError` only for files that are no table.
    """
    hm = map_header(src.header, src.file_name, src.header_line)
    last_year = current_year or date.today().year
    params = rule_params(con, hm, last_year)
    column_names = names_for(hm)
    loader.load(con, src, column_names, "upload_typed", params)
    if db.query_rows(con, "upload_lines_count")[0][0]:
        con.execute(db.sql("upload_set_lines_mapped"))
    else:
        con.execute(db.sql("upload_set_lines_simple"), {"first_line": src.header_line + 1})
    any_bad, any_extra = db.query_rows(con, "upload_any_bad")[0]
    if any_bad:
        loader.run(con, src, column_names(src.ncols), "upload_raw_from_csv", {})
        con.execute(db.sql("upload_bad_text"))
    else:
        con.execute(db.sql("upload_bad_none"))
    rules.execute(con, "upload_errors", params)
    extra = rules.extra_rule()
    if any_extra and extra is not None:
        names = column_names(src.ncols)
        raw = [n if i <= len(hm.names) else f"x{i}" for i, n in enumerate(names, 1)]
        loader.run(con, src, raw, "upload_raw_from_csv", {})
        db.execute(con, "upload_extra_errors", trim=GERMAN_NUMBER_TRIM_CHARS, rule=extra)
    con.execute(db.sql("upload_rows_from_typed"))
    for number, rule in rules.set_rules():
        con.execute(rules.set_rule_sql("upload_set_rule_errors", number, rule))
    con.execute(db.sql("upload_valid_from_typed"))
    n_rows, years = db.query_rows(con, "upload_counts")[0]
    n_errors = int(db.query_rows(con, "upload_error_count")[0][0])
    positions = [hm.names.index(c) + 1 if c in hm.names else 0 for c in COLUMNS]
    rows = db.query_rows(con, "upload_error_rows", limit=MAX_LISTED, positions=positions)
    messages = Messages(con, hm, last_year)
    errors = list(hm.errors)
    row_errors: dict[int, list[str]] = {}
    for line, col, rule_no, value, detail in rows:
        where, text = messages.text(col, rule_no, value, detail)
        row_errors.setdefault(line, []).append(f"{where}: {text}")
        errors.append(f"{src.file_name}, Zeile {line}, {where}: {text}")
    n_errors += len(hm.errors)
    if not n_rows and not hm.errors:
        errors.append(
            f"{src.file_name}, Zeile {src.header_line + 1}, Spalte „{shown(hm.labels['jahr'])}“: "
            "Unter der Kopfzeile stehen keine Daten."
        )
        n_errors += 1
    if n_errors > len(errors):
        errors.append(
            f"{src.file_name}: … und {format_number(n_errors - len(errors), 0)} weitere Fehler "
            f"(insgesamt {format_number(n_errors, 0)}). Die ersten {len(errors)} sind oben "
            "aufgeführt."
        )
    return Checked(
        file_name=src.file_name,
        encoding=src.encoding,
        delimiter=src.delimiter,
        n_rows=int(n_rows),
        years=[int(y) for y in years or []],
        errors=errors,
        n_errors=n_errors,
        row_errors=row_errors,
    )


def lookup_params(con: duckdb.DuckDBPyConnection) -> dict[str, list]:
    """Reference lookups as bound lists: lower-case spelling → carrier_id, → canonical unit,
    carrier → its units (the unit fit)."""
    carriers = db.query_rows(con, "upload_carrier_aliases")
    units = db.query_rows(con, "upload_unit_aliases")
    fits = db.query_rows(con, "upload_units_of_carriers")
    return {
        "carrier_keys": [r[0] for r in carriers],
        "carrier_ids": [r[1] for r in carriers],
        "unit_keys": [r[0] for r in units],
        "unit_ids": [r[1] for r in units],
        "fit_carriers": [r[0] for r in fits],
        "fit_units": [list(r[1]) for r in fits],
    }


class Messages:
    """German sentences from the rules' messages (reference data loaded lazily)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, hm: HeaderMap, current_year: int):
        self.con = con
        self.hm = hm
        self.current_year = current_year
        self.rules = rules.all_rules()
        self._ref: dict[str, dict] | None = None

    @property
    def ref(self) -> dict[str, dict]:
        if self._ref is None:
            con = self.con
            self._ref = {
                "carriers": dict(db.query_rows(con, "upload_carrier_names")),
                "carrier_aliases": dict(db.query_rows(con, "upload_carrier_aliases")),
                "unit_aliases": dict(db.query_rows(con, "upload_unit_aliases")),
                "units": dict(db.query_rows(con, "upload_units_of_carriers")),
            }
        return self._ref

    def column(self, col: int) -> str:
        if col >= 100:
            return f"Spalte {col - 100} (ohne Überschrift)"
        return f"Spalte „{shown(self.hm.labels[_COL_OF_POSITION[col]])}“"

    def text(
        self, col: int, rule_no: int, value: str | None, detail: str | None
    ) -> tuple[str, str]:
        """(``Spalte „…“``, sentence) for one failing cell."""
        value = (value or "").strip(GERMAN_NUMBER_TRIM_CHARS)
        message = self.rules[rule_no].message
        return self.column(col), message.format_map(_Placeholders(self, value, detail))

    def carrier_hint(self, value: str) -> str:
        names, aliases = self.ref["carriers"], self.ref["carrier_aliases"]
        guess = difflib.get_close_matches(value.lower()[:100], aliases, n=1, cutoff=0.6)
        if guess:
            return f" Meinten Sie {names[aliases[guess[0]]]}?"
        return f" Erlaubt sind: {', '.join(names.values())}."

    def unit_hint(self, value: str) -> str:
        units = self.ref["unit_aliases"]
        guess = difflib.get_close_matches(value.lower()[:100], units, n=1, cutoff=0.5)
        return f" Meinten Sie {units[guess[0]]}?" if guess else ""

    def number_problem(self, value: str) -> str:
        if len(value) <= 100:
            try:
                parse_german_number(value)
            except GermanNumberError as exc:
                return str(exc)
        return f"„{shown(value)}“ ist keine Zahl."


class _Placeholders(dict):
    """The placeholders of a rule's message, computed when the message uses them."""

    def __init__(self, messages: Messages, value: str, detail: str | None):
        super().__init__()
        self.m, self.value, self.detail = messages, value, detail

    def __missing__(self, key: str) -> str:
        m, value, detail = self.m, self.value, self.detail
        names = m.ref["carriers"]
        compute = {
            "value": lambda: shown(value),
            "detail": lambda: shown(detail),
            "first_year": lambda: str(config.FIRST_YEAR),
            "last_year": lambda: str(m.current_year),
            "example_year": lambda: str(m.current_year - 1),
            "carrier_hint": lambda: m.carrier_hint(value),
            "unit_hint": lambda: m.unit_hint(value),
            "number_problem": lambda: m.number_problem(value),
            "value_carrier": lambda: shown(names.get(value, value)),
            "detail_carrier": lambda: shown(names.get(detail or "", detail)),
            "allowed_units": lambda: ", ".join(m.ref["units"].get(detail, [])),
            "gwp_example": lambda: wording.REFRIGERANT_GWP,
        }
        return compute[key]()
