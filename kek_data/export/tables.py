"""Tables → CSV in the German Excel dialect and XLSX with real numbers, safe against formulas.

Why: the network manager opens exports in German Excel. CSV: ``;`` between fields, decimal comma,
UTF-8 with BOM (else Excel shows "CO‚Äö"), CRLF line ends, numbers without thousands separator and
without rounding, dates as ``TT.MM.JJJJ``. XLSX: numeric cells with number formats (``#,##0.0``
shows as 1.234,5 in German Excel), bold frozen header, filter and column widths.

Formula injection: a text cell that begins with ``=``, ``+``, ``-``, ``@``, tab, CR or LF (also
the full-width forms) would run as a formula when a user opens the file. In CSV such a cell gets
a leading ``'``; in XLSX every text cell is written with ``write_string`` (never a formula), and
such cells additionally carry Excel's quote-prefix style so that editing them keeps them text.
Control characters (``\\x00``–``\\x1f`` except tab/LF/CR, ``\\x7f``) and lone surrogates are
removed because they corrupt XLSX files; cells are cut at Excel's limit of 32,767 characters.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

import pandas as pd
import xlsxwriter

from kek_data.charts import DEMO_NOTICE
from kek_data.errors import TableExportError

Kind = Literal["text", "int", "year", "number", "date", "datetime", "bool"]

#: Characters that make a spreadsheet cell a formula (OWASP "CSV injection") and full-width twins.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
EXCEL_MAX_CHARS = 32_767
DEMO_LINE = f"{DEMO_NOTICE}: alle Werte sind erfunden und dienen nur der Vorführung."
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    """One exported column: source ``key``, German ``header``, kind, number format and meaning.

    ``unit`` and ``description`` feed the README of the data package; ``number_format`` is an
    Excel format code (locale-independent: ``#,##0.0`` is shown as ``1.234,5`` in German Excel).
    """

    key: str
    header: str
    kind: Kind = "text"
    number_format: str | None = None
    unit: str = ""
    description: str = ""

    @property
    def excel_format(self) -> str | None:
        """The Excel number format of the column's cells."""
        if self.number_format:
            return self.number_format
        return {
            "int": "#,##0",
            "year": "0",
            "number": "#,##0.0",
            "date": "DD.MM.YYYY",
            "datetime": "DD.MM.YYYY HH:MM",
        }.get(self.kind)


@dataclass(frozen=True)
class Sheet:
    """One table of a workbook: sheet ``name`` (≤ 31 characters), data and its columns."""

    name: str
    frame: pd.DataFrame
    columns: Sequence[Column] | None = None


def infer_columns(df: pd.DataFrame) -> list[Column]:
    """Columns from the frame's dtypes; the header is the column name as it is."""
    columns = []
    for key in df.columns:
        s = df[key]
        name = str(key)
        if pd.api.types.is_bool_dtype(s):
            kind: Kind = "bool"
        elif pd.api.types.is_integer_dtype(s):
            kind = "year" if name.lower() in ("year", "jahr", "basisjahr") else "int"
        elif pd.api.types.is_float_dtype(s):
            kind = "number"
        elif pd.api.types.is_datetime64_any_dtype(s):
            kind = "datetime"
        else:
            kind = "text"
        columns.append(Column(name, name, kind))
    return columns


def clean_text(value: object) -> str:
    """Text of a cell without control characters, CR as LF, cut to Excel's 32,767 characters."""
    text = _CONTROL.sub("", str(value).replace("\r\n", "\n").replace("\r", "\n"))
    if len(text) > EXCEL_MAX_CHARS:
        text = text[: EXCEL_MAX_CHARS - 1] + "…"
    return text


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula (see :data:`FORMULA_START`)."""
    return text.startswith(FORMULA_START)


def neutralise(text: str) -> str:
    """Text safe for a CSV cell: cleaned and, if formula-like, prefixed with ``'``."""
    text = clean_text(text)
    return "'" + text if is_formula_like(text) else text


def _missing(value: object) -> bool:
    if value is None or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _plain_number(value: float) -> str:
    """Exact decimal text of a float with a comma, never in exponent form: 1234.5 → ``1234,5``."""
    if not math.isfinite(value):
        raise TableExportError(f"Unendlicher Zahlenwert {value!r} kann nicht exportiert werden.")
    text = format(Decimal(repr(float(value))), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text.replace(".", ",")


def csv_cell(value: object, kind: Kind) -> str:
    """One value as CSV text in the German dialect (empty for missing values)."""
    if _missing(value):
        return ""
    if kind == "text":
        return neutralise(str(value))
    if kind == "bool":
        return "ja" if value else "nein"
    if kind in ("int", "year"):
        return str(int(value))  # type: ignore[call-overload]
    if kind == "number":
        return _plain_number(float(value))  # type: ignore[arg-type]
    if kind in ("date", "datetime"):
        stamp = pd.Timestamp(value)  # type: ignore[arg-type]
        if kind == "date" or (stamp.hour, stamp.minute, stamp.second) == (0, 0, 0):
            return stamp.strftime("%d.%m.%Y")
        return stamp.strftime("%d.%m.%Y %H:%M:%S" if stamp.second else "%d.%m.%Y %H:%M")
    raise TableExportError(f"Unbekannter Spaltentyp {kind!r}.")


def to_csv(
    df: pd.DataFrame, columns: Sequence[Column] | None = None, *, demo: bool = False
) -> bytes:
    """The table as CSV bytes (German Excel dialect); with ``demo`` a first line says so."""
    cols = list(columns) if columns else infer_columns(df)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", quotechar='"', lineterminator="\r\n")
    if demo:
        writer.writerow([neutralise(DEMO_LINE)])
    writer.writerow([neutralise(c.header) for c in cols])
    data = [df[c.key].tolist() for c in cols]
    for row in zip(*data, strict=True):
        writer.writerow([csv_cell(v, c.kind) for v, c in zip(row, cols, strict=True)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name (≤ 31 characters, no ``[]:*?/\\``)."""
    base = _BAD_SHEET_CHARS.sub("_", clean_text(name)).strip("'") or "Tabelle"
    candidate, n = base[:31], 1
    while candidate.lower() in {t.lower() for t in taken}:
        n += 1
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)] + suffix
    taken.add(candidate)
    return candidate


def to_xlsx(
    sheets: Sequence[Sheet],
    *,
    demo: bool = False,
    source: str = "Quelle: KEK-Klimadashboard",
    title: str = "KEK-Klimadashboard Dortmund",
) -> bytes:
    """A workbook with one sheet per table.

    Row 1 of every sheet carries ``source`` (and, for demo data, the demo notice in red);
    row 2 the bold, frozen header with a filter; the data follow from row 3.
    """
    buffer = io.BytesIO()
    options = {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
    with xlsxwriter.Workbook(buffer, options) as wb:
        wb.set_properties(
            {
                "title": title,
                "author": "KEK-Klimadashboard",
                "comments": DEMO_LINE if demo else source,
            }
        )
        styles = _Styles(wb)
        taken: set[str] = set()
        for sheet in sheets:
            _write_sheet(wb, styles, sheet, sheet_name(sheet.name, taken), demo, source)
    return buffer.getvalue()


def table_to_xlsx(
    df: pd.DataFrame,
    columns: Sequence[Column] | None = None,
    *,
    demo: bool = False,
    name: str = "Daten",
    source: str = "Quelle: KEK-Klimadashboard",
) -> bytes:
    """One table as a one-sheet workbook (see :func:`to_xlsx`)."""
    return to_xlsx([Sheet(name, df, columns)], demo=demo, source=source)


class _Styles:
    """The cell formats of one workbook (xlsxwriter formats belong to their workbook)."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self.wb = wb
        self.note = wb.add_format({"italic": True, "font_color": "#555555"})
        self.demo = wb.add_format({"bold": True, "font_color": "#B2182B"})
        self.header = wb.add_format(
            {"bold": True, "bg_color": "#F2F2F2", "bottom": 1, "text_wrap": True, "valign": "top"}
        )
        self.text = wb.add_format({})
        self.quoted = wb.add_format({"quote_prefix": True})
        self._numbers: dict[str, Any] = {}

    def number(self, code: str) -> Any:
        if code not in self._numbers:
            self._numbers[code] = self.wb.add_format({"num_format": code})
        return self._numbers[code]


def _write_sheet(
    wb: xlsxwriter.Workbook, st: _Styles, sheet: Sheet, name: str, demo: bool, source: str
) -> None:
    ws = wb.add_worksheet(name)
    df = sheet.frame
    cols = list(sheet.columns) if sheet.columns else infer_columns(df)
    if demo:
        ws.write_string(0, 0, clean_text(f"{source} · {DEMO_LINE}"), st.demo)
    else:
        ws.write_string(0, 0, clean_text(source), st.note)
    widths = [min(max(len(c.header), 8), 40) for c in cols]
    for j, c in enumerate(cols):
        ws.write_string(1, j, clean_text(c.header), st.header)
    for j, c in enumerate(cols):
        fmt = st.number(c.excel_format) if c.excel_format else None
        for i, value in enumerate(df[c.key].tolist(), start=2):
            width = _write_cell(ws, st, i, j, value, c.kind, fmt)
            widths[j] = max(widths[j], min(width, 60))
    for j, width in enumerate(widths):
        ws.set_column(j, j, width + 2)
    ws.freeze_panes(2, 0)
    ws.autofilter(1, 0, 1 + len(df), max(len(cols) - 1, 0))
    ws.set_row(1, 32 if any(len(c.header) > 30 for c in cols) else None)


def _write_cell(ws: Any, st: _Styles, row: int, col: int, value: object, kind: Kind, fmt) -> int:
    """Write one cell (real number, date or plain text); return its display width [chars]."""
    if _missing(value):
        ws.write_blank(row, col, None, fmt)
        return 0
    if kind == "text":
        text = clean_text(value)
        ws.write_string(row, col, text, st.quoted if is_formula_like(text) else st.text)
        return max((len(line) for line in text.splitlines()), default=0)
    if kind == "bool":
        ws.write_string(row, col, "ja" if value else "nein", st.text)
        return 4
    if kind in ("date", "datetime"):
        stamp = pd.Timestamp(value)  # type: ignore[arg-type]
        ws.write_datetime(row, col, stamp.to_pydatetime(), fmt)
        return 16 if kind == "datetime" else 10
    number = float(value)  # type: ignore[arg-type]
    if not math.isfinite(number):
        raise TableExportError(
            f"Unendlicher Zahlenwert in Zeile {row + 1} kann nicht exportiert werden."
        )
    if kind in ("int", "year"):
        ws.write_number(row, col, int(number), fmt)
    else:
        ws.write_number(row, col, number, fmt)
    return len(f"{number:,.1f}")
