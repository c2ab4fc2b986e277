"""A :class:`~kek_data.ingest.reader.Source` → one DuckDB table built by ``read_csv``.

Why: the text is parsed by DuckDB's ``read_csv`` (every option explicit, all fields text) inside
the named ``CREATE TEMP TABLE … AS`` query of the caller, so 1,000,000 rows never pass through a
Python loop. Line numbers: DuckDB skips blank lines and joins quoted line breaks, so record *i*
is on line header + 1 + *i* only in "simple" files (no ``"``, no blank line). For all others the
line of each record is computed with numpy from the positions of newlines and quote characters
(``upload_lines``: idx → line_no) and cross-checked with DuckDB's record count. Structural
problems (an unclosed quote, a stray quote) become German errors naming line and column.
"""

from __future__ import annotations

import codecs
import re
import threading
from collections.abc import Callable

import duckdb
import numpy as np

from kek_data import db
from kek_data.errors import UploadError
from kek_data.ingest import rules
from kek_data.ingest.reader import CHUNK, Source, convert

_DUCKDB_LINE = re.compile(r"CSV Error on Line: (\d+)")


def _positions(buf: np.ndarray, byte: int) -> np.ndarray:
    parts = [np.flatnonzero(buf[i : i + CHUNK] == byte) + i for i in range(0, len(buf), CHUNK)]
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)


def _count(buf: np.ndarray, byte: int) -> int:
    return sum(int(np.count_nonzero(buf[i : i + CHUNK] == byte)) for i in range(0, len(buf), CHUNK))


def _scan(src: Source) -> tuple[int, bool, bool, int]:
    """One pass in blocks (no mapping, bounded memory): newline byte, any quote, any blank
    line, number of lines."""
    assert src.path is not None
    with src.path.open("rb") as fh:
        head = fh.read(CHUNK)
        nl = 10 if b"\n" in head or b"\r" not in head else 13
        blank = re.compile(rb"\n\r?\n" if nl == 10 else rb"\r\r")
        has_quotes = has_blank = False
        n_nl, tail, block, last = 0, b"", head, b""
        while block:
            has_quotes = has_quotes or b'"' in block
            has_blank = has_blank or blank.search(tail + block) is not None
            n_nl += block.count(bytes([nl]))
            tail, last = block[-2:], block[-1:]
            block = fh.read(CHUNK)
    return nl, has_quotes, has_blank, n_nl + int(last != bytes([nl]))


def record_lines(src: Source, buf: np.ndarray, nl: int, ncols: int) -> tuple[np.ndarray, int]:
    """Line of every data record (quote-aware, blank lines skipped) and the most fields seen.

    A newline ends a record when an even number of ``"`` precede it (``""`` inside quotes
    keeps the parity). The field count is an upper bound (delimiters inside quotes count too).
    """
    nls = _positions(buf, nl)
    quotes = _positions(buf, 34)
    if quotes.size % 2:
        raise _unterminated(src, buf, nls, quotes)
    ends = nls[(np.searchsorted(quotes, nls) % 2) == 0]
    bom = 3 if bytes(buf[:3]) == b"\xef\xbb\xbf" else 0
    starts = np.concatenate(([bom], ends + 1))
    starts = starts[starts < len(buf)]
    first = buf[starts]
    nxt = buf[np.minimum(starts + 1, len(buf) - 1)]
    blank = (first == nl) | ((first == 13) & ((nxt == 10) | (starts + 1 >= len(buf))))
    starts = starts[~blank]
    if starts.size and len(src.delimiter.encode()) == 1:
        delims = _positions(buf, src.delimiter.encode()[0])
        bounds = np.searchsorted(delims, np.append(starts, len(buf)))
        ncols = max(ncols, int(np.diff(bounds).max()) + 1)
    lines = np.searchsorted(nls, starts) + 1
    return lines[1 + src.skip :] - src.skip, ncols


def _column(src: Source, column: int) -> str:
    name = src.header[column - 1].strip() if 0 < column <= len(src.header) else ""
    return f"Spalte „{name}“" if name else f"Spalte {column}"


def _unterminated(src: Source, buf: np.ndarray, nls: np.ndarray, quotes: np.ndarray) -> UploadError:
    """The error for an odd number of quote characters: line and column of the open quote."""
    delim = src.delimiter.encode()[0]
    opener = int(quotes[-1])
    for q in quotes[::-1]:  # the last quote that starts a field (after delimiter or line start)
        if q == 0 or buf[q - 1] in (10, 13, delim):
            opener = int(q)
            break
    line = int(np.searchsorted(nls, opener)) + 1
    line_start = int(nls[line - 2]) + 1 if line >= 2 else 0
    segment = bytes(buf[line_start:opener]).decode("utf-8", "replace")
    column = len(re.sub(r'"[^"]*"', "", segment).split(src.delimiter))
    return UploadError(
        f"{src.file_name}, Zeile {line - src.skip}, {_column(src, column)}: Das "
        'Anführungszeichen (") wird nicht geschlossen; der Rest der Datei wäre ein einziges Feld. '
        'Bitte das Anführungszeichen entfernen oder verdoppeln ("").'
    )


def bad_quote_field(line: str, delimiter: str) -> int:
    """1-based field of a line where a quoted field is followed by something else than ``;``."""
    i, field_no = 0, 1
    while i < len(line):
        if line[i] == '"':
            j = i + 1
            while j < len(line):
                if line[j] == '"' and line[j + 1 : j + 2] == '"':
                    j += 2
                elif line[j] == '"':
                    break
                else:
                    j += 1
            if j + 1 < len(line) and line[j + 1] != delimiter:
                return field_no
            i = j + 1
        nxt = line.find(delimiter, i)
        if nxt < 0:
            break
        i, field_no = nxt + 1, field_no + 1
    return 1


def _csv_error(src: Source, exc: duckdb.Error) -> UploadError:
    text = str(exc)
    m = _DUCKDB_LINE.search(text)
    original = re.search(r"Original Line: ?\r?\n?([^\n]*)", text)
    column = bad_quote_field(original.group(1), src.delimiter) if original else 1
    line = f", Zeile {int(m.group(1)) - src.skip}" if m else ", Zeile 1"
    if original and '"' not in original.group(1):  # no quote: do not blame one
        return UploadError(
            f"{src.file_name}{line}: Die Zeile lässt sich nicht lesen (ungewöhnliche Zeilenenden "
            "oder Steuerzeichen?). Bitte die Datei in Excel öffnen und als „CSV UTF-8“ neu "
            "speichern."
        )
    return UploadError(
        f"{src.file_name}{line}, {_column(src, column)}: Die Zeile lässt sich nicht lesen "
        "(Anführungszeichen mitten im Feld?). Ein Feld mit Anführungszeichen muss ganz in "
        '"…" stehen, innere Anführungszeichen verdoppelt ("").'
    )


class Utf8Check(threading.Thread):
    """Strict UTF-8 check of the whole file in blocks, in the background while DuckDB reads.

    DuckDB validates UTF-8 only in the columns it stores, so a Windows-1252 byte in, say, the
    carrier column would otherwise pass as a garbled name. ``bytes.decode`` keeps the GIL, but
    the importing thread waits inside DuckDB (which releases it) meanwhile.
    """

    def __init__(self, data: bytes):
        super().__init__(name="kek-utf8-check", daemon=True)
        self.data = data
        self.bad_at: int | None = None  # byte offset of the first invalid sequence

    def run(self) -> None:
        data = self.data
        if data.isascii():
            return
        dec = codecs.getincrementaldecoder("utf-8")("strict")
        for i in range(0, len(data), CHUNK):
            try:
                dec.decode(data[i : i + CHUNK], final=i + CHUNK >= len(data))
            except UnicodeDecodeError as exc:
                self.bad_at = i + exc.start
                return

    def result(self) -> int | None:
        """Wait; the offset of the first invalid byte, or None when the file is UTF-8."""
        self.join()
        return self.bad_at


def run(
    con: duckdb.DuckDBPyConnection, src: Source, names: list[str], sql_name: str, params: dict
) -> int:
    """Execute the named CTAS over ``read_csv($path, …)`` with this file's dialect; its rows.

    The query gets the upload rules put in (:func:`kek_data.ingest.rules.sql`).
    """
    file_params = {
        "path": str(src.path),
        "delim": src.delimiter,
        "skip": src.skip + 1,
        "parallel": src.parallel,
        "columns": {n: "VARCHAR" for n in names},
    }
    return int(rules.execute(con, sql_name, {**params, **file_params}).fetchall()[0][0])


def load(
    con: duckdb.DuckDBPyConnection,
    src: Source,
    names_for: Callable[[int], list[str]],
    sql_name: str,
    params: dict,
) -> int:
    """Build the caller's table from the file and ``upload_lines``; the number of records.

    ``names_for(n)`` gives the column identifiers for ``n`` fields (bound as a parameter value,
    never formatted into SQL). A non-UTF-8 byte found by DuckDB switches to Windows-1252.
    """
    con.execute(db.sql("upload_drop"))
    checker = None
    if src.encoding.startswith("UTF-8") and src.data:
        checker = Utf8Check(src.data)
        checker.start()
    try:
        lines = _load(con, src, names_for, sql_name, params)
    except duckdb.InvalidInputException as exc:
        if "Invalid unicode" not in str(exc) or checker is None:
            if "parameter" in str(exc).lower():  # a programming error, not the file's
                raise
            raise _csv_error(src, exc) from exc
        lines = None
    bad_at = checker.result() if checker is not None else None
    if lines is None or bad_at is not None:
        if src.encoding != "UTF-8":  # a BOM promised UTF-8
            line = src.data.count(b"\n", 0, bad_at or 0) + 1 - src.skip
            raise UploadError(
                f"{src.file_name}, Zeile {line}, Spalte 1: Die Datei ist als UTF-8 gekennzeichnet "
                "(BOM), enthält aber Zeichen in einer anderen Kodierung. Bitte in Excel erneut "
                "als „CSV UTF-8“ speichern."
            )
        convert(src, "cp1252", "Windows-1252")
        con.execute(db.sql("upload_drop"))
        lines = _load(con, src, names_for, sql_name, params)
    if not len(lines):  # simple file: record i is on line header + 1 + i
        con.execute(db.sql("upload_lines_none"))
        return src.n_records
    import pandas as pd  # only files with a line map need it; an import stays light otherwise

    frame = pd.DataFrame({"idx": np.arange(len(lines), dtype=np.int64), "line_no": lines})
    con.register("upload_line_frame", frame)
    try:
        con.execute(db.sql("upload_lines_from_frame"))
    finally:
        con.unregister("upload_line_frame")
    return src.n_records


def _load(
    con: duckdb.DuckDBPyConnection,
    src: Source,
    names_for: Callable[[int], list[str]],
    sql_name: str,
    params: dict,
) -> np.ndarray:
    """Fast path (record i on line i + 2) when provable, else the numpy line map."""
    assert src.path is not None
    src.ncols = len(src.header)
    if src.lines is not None:  # xlsx: one record per sheet row, lines known
        src.parallel = False
        src.n_records = run(con, src, names_for(src.ncols), sql_name, params)
        return src.lines[: src.n_records]
    nl, has_quotes, blank, n_nl = _scan(src)
    if not has_quotes and not blank:
        src.parallel = True
        try:
            src.n_records = run(con, src, names_for(src.ncols), sql_name, params)
        except duckdb.InvalidInputException as exc:
            if "Expected Number of Columns" not in str(exc):
                raise
        else:
            if src.n_records == n_nl - 1 - src.skip:
                return np.empty(0, dtype=np.int64)
        con.execute(db.sql("upload_drop"))
    buf = np.memmap(src.path, dtype=np.uint8, mode="r")
    lines, src.ncols = record_lines(src, buf, nl, src.ncols)
    src.parallel = not has_quotes
    src.n_records = run(con, src, names_for(src.ncols), sql_name, params)
    if src.n_records != len(lines):
        raise UploadError(
            f"{src.file_name}, Zeile 1, Spalte 1: Die Datei lässt sich nicht eindeutig in Zeilen "
            f"zerlegen ({src.n_records} Datensätze, {len(lines)} Zeilen erkannt). Bitte "
            "Anführungszeichen prüfen oder als Excel-Arbeitsmappe (.xlsx) hochladen."
        )
    return lines
