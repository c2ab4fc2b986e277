"""Rows of an uploaded table → typed records in ``upload_typed``, or German errors.

Why: a member must learn *every* problem of a file at once, each with file, line (header =
Zeile 1) and column, e.g. ``kek_2024.csv, Zeile 7, Spalte „Menge“: „12,3,4“ ist keine Zahl.``
The checks run vectorised in DuckDB while the file is read (``sql/ingest.sql``: number regex,
lookups in maps built from ``carrier_aliases``/``unit_aliases``, a join with
``unit_conversions`` on the distinct carrier × unit pairs, a hash group count for duplicates);
German sentences are built in Python only for the first :data:`MAX_LISTED` failing cells, while the
count of all problems stays exact.

Checks: header (required columns, unknown or doubled headers), year (four digits,
:data:`kek_data.config.FIRST_YEAR` … current year), carrier (vocabulary incl. spellings, with
„Meinten Sie …?“), unit (known and fitting the carrier), quantity (strict German number
[unit], not negative, finite), duplicate year × carrier × site, values in columns without a
header, and the template's example row left in place.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import duckdb

from kek_data import config, db
from kek_data.ingest import loader, reader
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
_COL_OF_POSITION = {1: "jahr", 2: "energietraeger", 3: "menge", 4: "einheit", 6: "bemerkung"}


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
                f"{where}, Spalte „{cell.strip()}“: Die Spalte kommt doppelt vor (Spalten "
                f"{seen[canonical]} und {pos}); bitte eine davon löschen."
            )
            names.append(f"u{pos}")
        elif not key:
            names.append(f"x{pos}")
        else:
            guess = difflib.get_close_matches(key, HEADER_ALIASES, n=1, cutoff=0.6)
            hint = f" Meinten Sie „{COLUMNS[HEADER_ALIASES[guess[0]]]}“?" if guess else ""
            errors.append(
                f"{where}, Spalte „{cell.strip()}“: Unbekannte Spaltenüberschrift.{hint} Erlaubt "
                "sind Jahr, Energieträger, Menge, Einheit, Standort, Bemerkung; weitere Angaben "
                "bitte in „Bemerkung“ schreiben."
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


def validate(
    con: duckdb.DuckDBPyConnection, src: reader.Source, *, current_year: int | None = None
) -> Checked:
    """Read ``src`` into ``upload_typed`` and check every row; never raises for bad content.

    Raises :class:`~kek_data.ingest.errors.UploadError` only for files that are no table.
    """
    hm = map_header(src.header, src.file_name, src.header_line)
    last_year = current_year or date.today().year
    has = {
        "has_jahr": "jahr" in hm.present,
        "has_traeger": "energietraeger" in hm.present,
        "has_menge": "menge" in hm.present,
        "has_einheit": "einheit" in hm.present,
        "first_year": config.FIRST_YEAR,
        "last_year": last_year,
    }
    params = {
        **has,
        **lookup_params(con),
        "has_standort": "standort" in hm.present,
        "has_bemerkung": "bemerkung" in hm.present,
        "trim": GERMAN_NUMBER_TRIM_CHARS,
        "year_regex": f"{_PAD}[0-9]{{1,4}}{_PAD}",
        "simple_number": SIMPLE_NUMBER_REGEX,
        "number_regex": f"{_PAD}(?:{GERMAN_NUMBER_REGEX}){_PAD}",
        "example_prefix": EXAMPLE_PREFIX,
    }
    column_names = names_for(hm)
    loader.load(con, src, column_names, "upload_typed", params)
    if con.execute("SELECT count(*) FROM upload_lines").fetchall()[0][0]:
        con.execute(db.sql("upload_set_lines_mapped"))
    else:
        con.execute(db.sql("upload_set_lines_simple"), {"first_line": src.header_line + 1})
    if con.execute("SELECT bool_or(bad) FROM upload_typed").fetchall()[0][0]:
        loader.run(con, src, column_names(src.ncols), "upload_raw_from_csv", {})
        con.execute(db.sql("upload_bad_text"))
    else:
        con.execute(db.sql("upload_bad_none"))
    con.execute(db.sql("upload_errors"), has)
    if con.execute("SELECT bool_or(has_extra) FROM upload_typed").fetchall()[0][0]:
        names = column_names(src.ncols)
        raw = [n if i <= len(hm.names) else f"x{i}" for i, n in enumerate(names, 1)]
        loader.run(con, src, raw, "upload_raw_from_csv", {})
        con.execute(db.sql("upload_extra_errors"), {"trim": GERMAN_NUMBER_TRIM_CHARS})
    con.execute(db.sql("upload_valid_from_typed"))
    n_rows, years = con.execute(db.sql("upload_counts")).fetchall()[0]
    n_errors = int(con.execute(db.sql("upload_error_count")).fetchall()[0][0])
    positions = [hm.names.index(c) + 1 if c in hm.names else 0 for c in COLUMNS]
    rows = db.query_rows(con, "upload_error_rows", limit=MAX_LISTED, positions=positions)
    messages = Messages(con, hm, last_year)
    errors = list(hm.errors)
    row_errors: dict[int, list[str]] = {}
    for line, col, code, value, detail in rows:
        where, text = messages.text(col, code, value, detail)
        row_errors.setdefault(line, []).append(f"{where}: {text}")
        errors.append(f"{src.file_name}, Zeile {line}, {where}: {text}")
    n_errors += len(hm.errors)
    if not n_rows and not hm.errors:
        errors.append(
            f"{src.file_name}, Zeile {src.header_line + 1}, Spalte „{hm.labels['jahr']}“: Unter "
            "der Kopfzeile stehen keine Daten."
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
    """Reference lookups as bound lists: lower-case spelling → carrier_id, → canonical unit."""
    carriers = con.execute("SELECT alias_key, carrier_id FROM carrier_aliases").fetchall()
    units = con.execute("SELECT alias_key, unit FROM unit_aliases").fetchall()
    return {
        "carrier_keys": [r[0] for r in carriers],
        "carrier_ids": [r[1] for r in carriers],
        "unit_keys": [r[0] for r in units],
        "unit_ids": [r[1] for r in units],
    }


class Messages:
    """German sentences for the error codes of ``upload_errors`` (reference data loaded lazily)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, hm: HeaderMap, current_year: int):
        self.con = con
        self.hm = hm
        self.current_year = current_year
        self._ref: dict[str, object] | None = None

    @property
    def ref(self) -> dict[str, object]:
        if self._ref is None:
            con = self.con
            self._ref = {
                "carriers": dict(con.execute("SELECT carrier_id, name FROM carriers").fetchall()),
                "carrier_aliases": dict(
                    con.execute("SELECT alias_key, carrier_id FROM carrier_aliases").fetchall()
                ),
                "unit_aliases": dict(
                    con.execute("SELECT alias_key, unit FROM unit_aliases").fetchall()
                ),
                "units": con.execute(
                    "SELECT carrier_id, list(unit ORDER BY factor) FROM unit_conversions "
                    "GROUP BY carrier_id"
                ).fetchall(),
            }
        return self._ref

    def column(self, col: int, detail: str | None) -> str:
        if col >= 100:
            return f"Spalte {col - 100} (ohne Überschrift)"
        return f"Spalte „{self.hm.labels[_COL_OF_POSITION[col]]}“"

    def text(self, col: int, code: str, value: str, detail: str | None) -> tuple[str, str]:
        """(``Spalte „…“``, sentence) for one failing cell."""
        value = (value or "").strip(GERMAN_NUMBER_TRIM_CHARS)
        return self.column(col, detail), self._sentence(code, value, detail)

    def _sentence(self, code: str, value: str, detail: str | None) -> str:
        ref = self.ref
        names: dict[str, str] = ref["carriers"]  # type: ignore[assignment]
        if code == "leer":
            return "Der Wert fehlt."
        if code == "jahr_format":
            return f"„{value}“ ist kein Jahr (vierstellig, z. B. {self.current_year - 1})."
        if code == "jahr_bereich":
            return (
                f"Das Jahr {value} liegt außerhalb von {config.FIRST_YEAR} bis {self.current_year}."
            )
        if code == "traeger_unbekannt":
            aliases: dict[str, str] = ref["carrier_aliases"]  # type: ignore[assignment]
            guess = difflib.get_close_matches(value.lower(), aliases, n=1, cutoff=0.6)
            hint = (
                f" Meinten Sie {names[aliases[guess[0]]]}?"
                if guess
                else f" Erlaubt sind: {', '.join(names.values())}."
            )
            return f"„{value}“ ist kein bekannter Energieträger.{hint}"
        if code == "menge_format":
            try:
                parse_german_number(value)
            except GermanNumberError as exc:
                return str(exc)
            return f"„{value}“ ist keine Zahl."
        if code == "menge_gross":
            return f"„{value}“ ist zu groß."
        if code == "menge_negativ":
            return f"Die Menge darf nicht negativ sein („{value}“)."
        if code == "einheit_unbekannt":
            units: dict[str, str] = ref["unit_aliases"]  # type: ignore[assignment]
            guess = difflib.get_close_matches(value.lower(), units, n=1, cutoff=0.5)
            hint = f" Meinten Sie {units[guess[0]]}?" if guess else ""
            return f"„{value}“ ist keine bekannte Einheit.{hint}"
        if code == "einheit_passt_nicht":
            allowed = dict(ref["units"]).get(detail, [])  # type: ignore[call-overload]
            return (
                f"Die Einheit „{value}“ passt nicht zu {names.get(detail or '', detail)}; "
                f"erlaubt: {', '.join(allowed)}."
            )
        if code == "doppelt":
            return (
                f"Doppelte Zeile: {names.get(value, value)} für dasselbe Jahr und denselben "
                f"Standort steht schon in Zeile {detail}."
            )
        if code == "beispiel":
            return "Das ist die Beispielzeile der Vorlage; bitte durch eigene Daten ersetzen."
        if code == "extra":
            return f"Wert „{value}“ steht in einer Spalte ohne Überschrift."
        return f"„{value}“ ist ungültig."
