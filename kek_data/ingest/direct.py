"""Direct import of a simple, valid file: one pass from ``read_csv`` into ``activity``.

Why: the full check (:mod:`kek_data.ingest.validate`) builds a temp table of every record with
all its flags, then copies the valid rows; for 1,000,000 rows that costs twice the time and
memory of the file. Most large files are machine-written and valid, so they are appended
straight away, in one transaction, under a placeholder submission id (:data:`PENDING`):

1. only a "simple" CSV qualifies: UTF-8 or Windows-1252 (German Excel's "CSV
   (Trennzeichen-getrennt)"; transcoded to UTF-8 in one streaming pass first), no quote
   character, no NUL byte, a header that maps without error
   (:func:`kek_data.ingest.validate.map_header`);
2. ``upload_direct_insert`` appends every record, typed by the same ``upload_cells`` query as
   the full check; a record that any rule of ``sql/upload_rules.sql`` hits (or an empty
   record) raises inside DuckDB (``error()``);
3. the record count must equal the line count (so there is no blank line, and record *i* is on
   line *i* + 2), no set rule of ``upload_rules.sql`` (duplicates) may hit, and the years must
   not have data already unless ``replace``;
4. then the submission row is appended, the rows get its id and their line numbers, the raw
   file is awaited (fsynced), and the transaction commits.

Whenever a step says no, the transaction is rolled back and :func:`try_import` returns None: the
full check runs and produces every German message. The rules are the same definitions on both
paths (:mod:`kek_data.ingest.rules`), so the fast path can only be faster, never
say something different. Quantities [unit as reported]; totals [kWh] and [t CO₂e].
"""

from __future__ import annotations

import codecs
import contextlib
from collections.abc import Callable
from pathlib import Path

import duckdb

from kek_data import config, db
from kek_data.errors import ImportFailed, UploadError, YearsHaveData
from kek_data.ingest import loader, reader, rules, store, validate
from kek_data.ingest.outcome import Imported

PENDING = -1  #: submission_id of rows appended but not yet checked (never committed)
HEAD = 65536  #: bytes read to sniff encoding, dialect and header [bytes]
#: DuckDB errors that mean "this file is not simple" (the full check explains it)
DECLINE = (duckdb.InvalidInputException, duckdb.ConversionException)


class Shape:
    """What one pass over the raw bytes tells: line breaks, NUL bytes, last byte.

    Fed block by block by :class:`kek_data.ingest.store.Keeper` while DuckDB parses.
    """

    def __init__(self) -> None:
        self.newlines = 0
        self.has_nul = False
        self.last = b""

    def __call__(self, block: bytes) -> None:
        self.newlines += block.count(b"\n")
        self.has_nul = self.has_nul or b"\x00" in block
        if block:
            self.last = block[-1:]

    def records(self, skip: int) -> int:
        """Data records if every line is one record: lines minus header and ``sep=`` line."""
        lines = self.newlines + (1 if self.last not in (b"", b"\n") else 0)
        return lines - 1 - skip


class _Refused(Exception):
    """Years have data and ``replace`` is False: roll back, then record the rejection."""

    def __init__(self, fields: dict[str, object], exc: YearsHaveData):
        super().__init__(str(exc))
        self.fields, self.exc = fields, exc


def _head(data: bytes | None, path: Path | None) -> bytes:
    if data is not None:
        return data[:HEAD]
    assert path is not None
    with path.open("rb") as fh:
        return fh.read(HEAD)


def _has_quote(data: bytes | None, path: Path | None) -> bool:
    """Whether a ``"`` occurs anywhere (memchr over the bytes, or the file in blocks)."""
    if data is not None:
        return b'"' in data
    assert path is not None
    with path.open("rb") as fh:
        while block := fh.read(reader.CHUNK):
            if b'"' in block:
                return True
    return False


def _transcoded(path: Path, head: bytes, file_name: str) -> reader.Source | None:
    """A Windows-1252 file on disk as a UTF-8 copy, in one streaming pass (bounded memory)."""
    temp = reader.temp_dir()
    target = Path(temp.name) / "upload-utf8.csv"
    dec = codecs.getincrementaldecoder("cp1252")("kek-c1")  # as reader.convert decodes
    with path.open("rb") as fh, target.open("wb") as out:
        while block := fh.read(reader.CHUNK):
            out.write(dec.decode(block).encode())
        out.write(dec.decode(b"", final=True).encode())
    with target.open("rb") as fh:
        utf8_head = fh.read(HEAD)
    src = reader.read_csv_source(utf8_head, file_name, validate.known_header, target)
    src.temp, src.encoding = temp, "Windows-1252"
    return src


def _source(
    data: bytes | None, path: Path | None, file_name: str, size: int
) -> reader.Source | None:
    """The CSV as DuckDB reads it (UTF-8), or None when the file is no simple CSV."""
    head = _head(data, path)
    if size > config.max_upload_bytes() or head.startswith(
        (b"PK\x03\x04", codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    ):
        return None
    try:
        reader.check_bytes(head, file_name)
    except UploadError:
        return None
    if _has_quote(data, path):
        return None
    if data is None and not reader.utf8_start(head):  # Windows-1252 on disk
        assert path is not None
        src = _transcoded(path, head, file_name)
    else:  # UTF-8 is read in place; bytes in Windows-1252 are converted by the reader
        src = reader.read_csv_source(
            data if data is not None else head, file_name, validate.known_header, path
        )
    if head.count(b"\n") < 1 + src.skip:  # header line longer than the head: DuckDB skips it
        src.close()  # unchecked, so its encoding is unknown; the full check reads it all
        return None
    return src


def try_import(
    con: duckdb.DuckDBPyConnection,
    keeper: store.Keeper,
    shape: Shape,
    data: bytes | None,
    path: Path | None,
    *,
    file_name: str,
    member_id: str,
    submitted_by: str,
    replace: bool,
    current_year: int,
    memory_limit_mb: int | None = None,
    progress: Callable[[float, str], None] = lambda fraction, text: None,
) -> Imported | None:
    """Import a simple valid file in one pass; None (nothing written) when it does not qualify.

    ``keeper`` stores the raw bytes and feeds ``shape`` meanwhile; ``data`` are the bytes
    (page) or None with ``path`` (command line). ``memory_limit_mb`` [MiB] caps DuckDB for the
    duration (instance-wide: only for a process of its own). Raises
    :class:`~kek_data.ingest.errors.YearsHaveData` (after recording the rejection) when years
    have data and ``replace`` is False.
    """
    try:
        src = _source(data, path, file_name, keeper.size)
    except UploadError:
        return None
    if src is None:
        return None
    try:
        hm = validate.map_header(src.header, file_name, src.header_line)
        if hm.errors:
            return None
        src.ncols = len(src.header)
        params = {
            **validate.rule_params(con, hm, current_year),
            "pending": PENDING,
            "member_id": member_id,
        }
        names = validate.names_for(hm)(src.ncols)
        if memory_limit_mb:
            with contextlib.suppress(duckdb.OutOfMemoryException):  # already above: no cap
                db.execute(con, "set_memory_limit", limit=f"{int(memory_limit_mb)}MiB")
        db.execute(con, "upload_begin")
        progress(0.3, f"{reader.mb(keeper.size)} werden geprüft und geschrieben …")
        try:
            done = _append(con, keeper, shape, src, names, params, replace, submitted_by, progress)
        except DECLINE:
            db.rollback(con)
            return None
        except _Refused as refused:
            db.rollback(con)
            keeper.durable()
            store.record_rejected(con, **refused.fields, errors=[str(refused.exc)])
            raise refused.exc from None
        except duckdb.OutOfMemoryException as exc:
            db.rollback(con)
            raise ImportFailed(
                f"{file_name}: Für den Import reicht der Arbeitsspeicher nicht ({exc}). Es wurde "
                "nichts übernommen. Bitte die Datei aufteilen oder KEK_IMPORT_MEMORY_MB erhöhen."
            ) from exc
        except BaseException:
            db.rollback(con)
            raise
        if done is None:
            db.rollback(con)
        return done
    finally:
        if memory_limit_mb:
            db.execute(con, "upload_reset_memory_limit")
        src.close()
        con.execute(db.sql("upload_drop"))


def _append(
    con: duckdb.DuckDBPyConnection,
    keeper: store.Keeper,
    shape: Shape,
    src: reader.Source,
    names: list[str],
    params: dict,
    replace: bool,
    submitted_by: str,
    progress: Callable[[float, str], None],
) -> Imported | None:
    """Steps 2–4 inside the open transaction; None to roll back (not simple after all)."""
    n_rows = loader.run(con, src, names, "upload_direct_insert", params)
    keeper.inspected.wait()
    if keeper.error is not None:
        raise keeper.error
    if shape.has_nul or n_rows == 0 or n_rows != shape.records(src.skip):
        return None
    db.execute(con, "upload_rows_from_pending")
    for number, rule in rules.set_rules():
        if con.execute(rules.set_rule_sql("upload_set_rule_count", number, rule)).fetchall()[0][0]:
            return None
    con.execute(db.sql("upload_valid_from_pending"))
    member_id = params["member_id"]
    totals = db.query_rows(con, "upload_year_summary", member_id=member_id)
    years = [int(r[0]) for r in totals]
    existing = [
        int(r[0]) for r in db.query_rows(con, "upload_years_with_data", member_id=member_id)
    ]
    fields = {**keeper.submission(member_id, submitted_by, src.file_name), "n_rows": n_rows}
    if existing and not replace:
        raise _Refused(fields, YearsHaveData(member_id, existing))
    sid = store.record(con, **fields, status=store.IMPORTED)
    db.execute(
        con,
        "upload_direct_finish",
        submission_id=sid,
        first_line=src.header_line + 1,
        pending=PENDING,
    )
    keeper.durable()
    progress(0.9, store.COMMITTING)
    db.execute(con, "upload_commit")
    kwh = sum(r[2] or 0.0 for r in totals)
    t_co2e = sum(r[3] or 0.0 for r in totals)
    return Imported(
        sid, params["member_id"], src.file_name, n_rows, years, existing, kwh, t_co2e, direct=True
    )
