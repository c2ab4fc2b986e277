"""An ``.xlsx`` upload → a :class:`~kek_data.ingest.reader.Source`: checks, then python-calamine.

Why: an .xlsx is a zip of XML parts, and a few KB can make any reader allocate gigabytes: a
zip bomb (entry count and unpacked size [bytes] are capped while every part is unpacked once),
or one cell far away (``XFD1000000``: calamine builds the dense rectangle up to it and the
process dies). So the first sheet's XML is scanned for its used area before calamine runs, and
for formulas without a computed value (files written by programs, never opened in Excel), which
calamine would read as empty cells. The first sheet is then written as a UTF-8 CSV copy, so that
:mod:`kek_data.ingest.loader` parses every format with DuckDB's ``read_csv``; line numbers are
the sheet's row numbers.
"""

from __future__ import annotations

import csv
import io
import posixpath
import re
import zipfile
import zlib
from decimal import Decimal
from pathlib import Path

import numpy as np

from kek_data.errors import UploadError
from kek_data.ingest.source import MAX_FIELDS, Source, temp_dir
from kek_data.numbers import format_number

MAX_ZIP_ENTRIES = 1000  #: an .xlsx has a few dozen parts
MAX_UNCOMPRESSED = 512 * 1024 * 1024  #: total unpacked size of an .xlsx [bytes]
MAX_RATIO = 250  #: unpacked / packed size of one part; real sheets stay below ~30
MIN_CELLS = 1_000_000  #: used area [cells] always allowed (calamine: ~32 bytes per cell)
BYTES_PER_CELL = 4  #: beyond that, the area may have one cell per 4 bytes of sheet XML
MAX_ROW = 1_048_576  #: Excel's last row
MAX_LISTED_FORMULAS = 5  #: formula cells named in the message
#: Errors of zipfile / zlib / calamine on damaged files (all become one German message)
DAMAGED = (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError,
           KeyError, RuntimeError, UnicodeDecodeError, OverflowError, IndexError)  # fmt: skip

_ROW = re.compile(rb'<row\b[^>]*?\sr="([0-9]+)"')
_WIDE_CELL = re.compile(rb'<c\b[^>]*?\sr="([A-Z]{2,})[0-9]')
_FORMULA = re.compile(
    rb'<c\b[^>]*?\sr="([A-Z]+[0-9]+)"[^>]*>\s*(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)\s*'
    rb"(?:<v\s*/>|<v>\s*</v>)?\s*</c>"
)
_SHEET = re.compile(rb"<sheet\b[^>]*?\br:id=\"([^\"]+)\"|<sheet\b[^>]*?\bid=\"([^\"]+)\"")


def damaged(file_name: str, exc: BaseException | None = None) -> UploadError:
    """The one message for an .xlsx that cannot be unpacked or parsed."""
    return UploadError(
        f"{file_name}: Die Datei ist ein beschädigtes ZIP/Excel und lässt sich nicht lesen"
        f"{f' ({type(exc).__name__})' if exc is not None else ''}. Bitte in Excel öffnen und "
        "erneut als „Excel-Arbeitsmappe (.xlsx)“ oder „CSV UTF-8“ speichern."
    )


def column_number(letters: bytes | str) -> int:
    """``A`` → 1, ``Z`` → 26, ``AA`` → 27, ``XFD`` → 16384."""
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode():
        n = n * 26 + ord(ch) - 64
    return n


def _first_sheet(zf: zipfile.ZipFile, names: set[str]) -> str | None:
    """Name of the first sheet's part (workbook order, as calamine reads it), if resolvable."""
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return None
    m = _SHEET.search(zf.read("xl/workbook.xml"))
    if not m:
        return None
    rid = (m.group(1) or m.group(2)).decode()
    rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    for rel in re.finditer(r"<Relationship\b[^>]*>", rels):
        if re.search(rf'\bId="{re.escape(rid)}"', rel.group(0)):
            target = re.search(r'\bTarget="([^"]+)"', rel.group(0))
            if target:
                t = target.group(1)
                part = t.lstrip("/") if t.startswith("/") else posixpath.normpath(f"xl/{t}")
                return part if part in names else None
    return None


class _SheetScan:
    """What one pass over the first sheet's XML tells: highest row, widest column, formulas."""

    def __init__(self) -> None:
        self.size = 0
        self.max_row = 0  # highest ``<row r="…">``
        self.n_rows = 0  # ``<row`` elements (rows without ``r`` are numbered in order)
        self.max_col = 26  # one-letter columns are not told apart: at most Z
        self.formulas: set[str] = set()
        self.tail = b""

    def feed(self, block: bytes) -> None:
        text = self.tail + block
        self.size += len(block)
        self.n_rows += block.count(b"<row")
        rows = _ROW.findall(text)
        if rows:
            self.max_row = max(self.max_row, max(int(r) for r in rows))
        if b'r="' in text:
            wide = set(_WIDE_CELL.findall(text))
            if wide:
                self.max_col = max(self.max_col, max(column_number(c) for c in wide))
        if b"<f" in text:
            self.formulas.update(m.decode() for m in _FORMULA.findall(text))
        self.tail = text[-4096:]


def _cell_beyond(zf: zipfile.ZipFile, part: str, max_row: int) -> bool:
    """Whether any cell reference names a row below ``max_row`` (a second pass, rarely long)."""
    n = str(max_row)
    alts = [f"{n[:i]}[{int(n[i]) + 1}-9][0-9]{{{len(n) - i - 1}}}" for i in range(len(n))
            if n[i] != "9"] + [f"[0-9]{{{len(n) + 1},}}"]  # fmt: skip
    pattern = re.compile(rf'<c\b[^>]*?\sr="[A-Z]+(?:{"|".join(alts)})"'.encode())
    tail = b""
    with zf.open(part) as fh:
        while block := fh.read(1024 * 1024):
            if pattern.search(tail + block):
                return True
            tail = block[-64:]
    return False


def check_zip(data: bytes, file_name: str) -> _SheetScan | None:
    """Entry count, declared and real unpacked size of every part, before any parser runs;
    the scan of the first sheet (None if it cannot be found)."""
    bomb = (
        f"{file_name}: Die Excel-Datei ist verdächtig (entpackt viel zu groß oder zu viele "
        "Teile) und wird aus Sicherheitsgründen nicht geöffnet."
    )
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except DAMAGED as exc:
        raise damaged(file_name, exc) from exc
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
        what = "eine OpenDocument-Tabelle (.ods)" if "content.xml" in names else "ein ZIP-Archiv"
        raise UploadError(
            f"{file_name}: Die Datei ist {what}, keine Excel-Arbeitsmappe (.xlsx). "
            "Bitte als .xlsx oder CSV speichern."
        )
    if len(infos) > MAX_ZIP_ENTRIES or sum(i.file_size for i in infos) > MAX_UNCOMPRESSED:
        raise UploadError(bomb)
    for info in infos:
        if info.file_size > MAX_RATIO * max(info.compress_size, 1024):
            raise UploadError(bomb)
    total = 0
    try:  # the declared sizes may lie: unpack with a running cap (zipfile checks the CRC)
        first = _first_sheet(zf, names)
        scan = _SheetScan() if first else None
        for info in infos:
            with zf.open(info) as part:
                while block := part.read(1024 * 1024):
                    total += len(block)
                    if total > MAX_UNCOMPRESSED:
                        raise UploadError(bomb)
                    if scan is not None and info.filename == first:
                        scan.feed(block)
        if scan is not None and first is not None:
            _check_area(zf, first, scan, file_name)
    except DAMAGED as exc:
        raise damaged(file_name, exc) from exc
    return scan


def _check_area(zf: zipfile.ZipFile, part: str, scan: _SheetScan, file_name: str) -> None:
    """Refuse a used area calamine would have to allocate far beyond the file's size."""
    if scan.max_col > MAX_FIELDS:
        raise UploadError(
            f"{file_name}: Das erste Tabellenblatt reicht bis Spalte {scan.max_col}; erlaubt sind "
            f"höchstens {MAX_FIELDS} Spalten. Bitte die leeren oder überzähligen Spalten rechts "
            "der Tabelle löschen (auch Formatierungen) und erneut speichern."
        )
    rows = max(scan.max_row, scan.n_rows)
    if rows > MAX_ROW or _cell_beyond(zf, part, max(rows, 1)):
        rows = MAX_ROW + 1
    cells = rows * scan.max_col
    if rows > MAX_ROW or cells > max(MIN_CELLS, scan.size // BYTES_PER_CELL):
        last = "über Zeile " + format_number(MAX_ROW, 0) if rows > MAX_ROW else (
            "bis Zeile " + format_number(rows, 0))  # fmt: skip
        col = f" und Spalte {scan.max_col}" if scan.max_col > 26 else ""
        raise UploadError(
            f"{file_name}: Das erste Tabellenblatt reicht {last}{col}, enthält aber nur wenige "
            "Zellen. Bitte die leeren Zeilen und Spalten unter und rechts der Tabelle löschen "
            "und erneut speichern."
        )


def _formula_error(file_name: str, cells: set[str]) -> UploadError:
    order = sorted(cells, key=lambda c: (int(re.sub(r"[A-Z]", "", c)), column_number(
        re.sub(r"[0-9]", "", c))))  # fmt: skip
    first = order[0]
    row, col = re.sub(r"[A-Z]", "", first), re.sub(r"[0-9]", "", first)
    more = order[1:MAX_LISTED_FORMULAS]
    listed = f" (ebenso {', '.join(more)}" if more else ""
    if len(order) > MAX_LISTED_FORMULAS:
        listed += f" und {len(order) - MAX_LISTED_FORMULAS} weitere"
    listed += ")" if listed else ""
    return UploadError(
        f"{file_name}, Zeile {row}, Spalte {col}: Zelle {first} enthält eine Formel ohne "
        f"berechneten Wert{listed} – bitte die Datei in Excel öffnen, neu berechnen und speichern "
        "(oder die Formeln durch Werte ersetzen)."
    )


def cell_text(value: object) -> str:
    """An Excel cell as text: numbers exactly in German notation (``1234,5``), years as ``2024``."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "WAHR" if value else "FALSCH"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(Decimal(repr(value)), "f").replace(".", ",")
    if hasattr(value, "strftime"):
        fmt = "%d.%m.%Y %H:%M" if getattr(value, "hour", 0) else "%d.%m.%Y"
        return value.strftime(fmt)
    return str(value)


def read_xlsx_source(data: bytes, file_name: str) -> Source:
    """First sheet of an .xlsx (python-calamine) after the zip checks, as a UTF-8 CSV copy.

    Leading empty rows and columns are skipped; line numbers are the sheet's row numbers.
    """
    from python_calamine import CalamineWorkbook

    scan = check_zip(data, file_name)
    if scan is not None and scan.formulas:
        raise _formula_error(file_name, scan.formulas)
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = wb.get_sheet_by_index(0)
        if sheet.width > MAX_FIELDS:
            raise UploadError(
                f"{file_name}: Das erste Tabellenblatt hat {sheet.width} Spalten; erlaubt sind "
                f"höchstens {MAX_FIELDS}. Bitte die überzähligen Spalten rechts löschen."
            )
        rows = sheet.to_python(skip_empty_area=True)
        first_row = sheet.start[0] if sheet.start else 0
    except (UploadError, KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine's own error types; a Rust panic is a BaseException
        raise UploadError(
            f"{file_name}: Die Excel-Datei lässt sich nicht lesen ({type(exc).__name__}: "
            f"{str(exc)[:200]}). Bitte in Excel öffnen und erneut speichern."
        ) from exc
    if not rows or not any(cell_text(v) for v in rows[0]):
        raise UploadError(
            f"{file_name}, Zeile {first_row + 1}, Spalte 1: Das erste Tabellenblatt ist leer "
            "oder beginnt nicht mit der Kopfzeile."
        )
    temp = temp_dir()
    path = Path(temp.name) / "upload.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";", lineterminator="\n")
        for row in rows:
            writer.writerow([cell_text(v) for v in row])
    return Source(
        file_name=file_name,
        kind="xlsx",
        encoding="Excel (.xlsx)",
        delimiter=";",
        header=[cell_text(v) for v in rows[0]],
        path=path,
        lines=np.arange(first_row + 2, first_row + 1 + len(rows), dtype=np.int64),
        header_line=first_row + 1,
        temp=temp,
    )
