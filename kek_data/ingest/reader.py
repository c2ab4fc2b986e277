"""Bytes of an uploaded file → a :class:`Source`: a UTF-8 text file plus its dialect and header.

Why: members send whatever German Excel writes (CSV in UTF-8, UTF-8 with BOM or Windows-1252,
UTF-16 "Unicode-Text" with or without BOM, ``sep=;`` first lines, trailing empty columns and
rows, mixed line ends, or ``.xlsx``). The file is checked for being a table at all (size limit,
binary, HTML/XML, PDF, old ``.xls``; zip bombs in :mod:`kek_data.ingest.xlsx`) and decoded in
Python only when it is not UTF-8 already (Windows-1252 is one byte per character, decoded in
blocks). Before any parser, one pass in blocks over the text refuses lines far wider than the
header or too long (:mod:`kek_data.ingest.lines`; a 100 KB line of 50.000 fields would cost DuckDB
minutes and gigabytes), so every later cost is bounded by the file's size. A file mixing
CRLF, LF and CR line ends is read with LF throughout (each line end stays one line break).
``.xlsx`` files become a UTF-8 CSV copy too, so that :mod:`kek_data.ingest.loader` parses every
format with DuckDB's ``read_csv``. Every failure to read a file is an :class:`UploadError`.

Line numbers are those a spreadsheet shows: the header is Zeile 1 (a ``sep=`` line, which Excel
hides, is not counted); in ``.xlsx`` files they are the sheet's row numbers.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Callable
from pathlib import Path

from kek_data import config
from kek_data.errors import UploadError
from kek_data.ingest.source import CHUNK, DELIMITER_NAMES, MAX_FIELDS, Source, mb, temp_dir

__all__ = ["CHUNK", "DELIMITER_NAMES", "MAX_FIELDS", "Source", "mb", "temp_dir"]  # and below

DELIMITERS = (";", "\t", ",")
_SEP_LINE = re.compile(rb"^sep=(.)\r?$", re.IGNORECASE)


def _c1(err: UnicodeDecodeError) -> tuple[str, int]:
    """Windows-1252's five unassigned bytes decode to U+0081 … like the WHATWG standard."""
    return "".join(chr(b) for b in err.object[err.start : err.end]), err.end


codecs.register_error("kek-c1", _c1)


def check_bytes(data: bytes, file_name: str, max_bytes: int | None = None) -> None:
    """Reject what is no table before parsing: size, empty, binary, HTML/XML, old Excel, PDF."""
    limit = config.max_upload_bytes() if max_bytes is None else max_bytes
    if len(data) > limit:
        raise UploadError(
            f"{file_name}: Die Datei ist {mb(len(data))} groß; erlaubt sind höchstens {mb(limit)}."
            " Bitte die Daten auf mehrere Dateien (z. B. je Jahr) aufteilen."
        )
    body = data.removeprefix(codecs.BOM_UTF8)
    if not re.search(rb"[^ \t\r\n;,]", body):
        raise UploadError(f"{file_name}: Die Datei ist leer.")
    head = body[:4096]
    if head.startswith(b"PK\x03\x04"):
        return  # zip: checked by read_xlsx
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UploadError(
            f"{file_name}: Das ist eine alte Excel-Datei (.xls) oder ein anderes Office-Dokument. "
            "Bitte in Excel als „Excel-Arbeitsmappe (.xlsx)“ oder „CSV UTF-8“ speichern."
        )
    if head.startswith(b"%PDF"):
        raise UploadError(f"{file_name}: Das ist ein PDF, keine Tabelle. Bitte CSV oder XLSX.")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or utf16_without_bom(head):
        return
    sample = data[:65536]
    controls = sum(sample.count(bytes([b])) for b in (*range(0, 9), 11, 14, *range(16, 27)))
    if b"\x00" in data or controls > len(sample) // 100:
        raise UploadError(
            f"{file_name}: Die Datei ist keine Tabelle (Binärdaten). Bitte eine CSV-Datei "
            "(Semikolon-getrennt) oder eine Excel-Arbeitsmappe (.xlsx) hochladen."
        )
    start = head.lstrip().lower()
    if start.startswith((b"<!doctype", b"<html", b"<table", b"<?xml", b"<head", b"<body", b"<")):
        raise UploadError(
            f"{file_name}: Die Datei ist eine HTML- oder XML-Seite, keine Tabelle. In Excel "
            "bitte „Speichern unter“ → „CSV UTF-8 (durch Trennzeichen getrennt)“ wählen."
        )


def utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when the start looks like UTF-16 text without BOM, else None.

    Text in UTF-16 has a NUL in every second byte (Latin letters, digits, ``;``), the other
    bytes nearly never; what decodes must be text (few control characters).
    """
    sample = data[:4096]
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 8 or b"\x00" not in sample:
        return None
    half = len(sample) // 2
    for codec, zeros, other in (
        ("utf-16-le", sample[1::2], sample[0::2]),
        ("utf-16-be", sample[0::2], sample[1::2]),
    ):
        if zeros.count(0) >= 0.7 * half and other.count(0) <= 0.02 * half:
            text = sample.decode(codec, "replace")
            controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n")
            return codec if controls <= len(text) // 100 else None
    return None


def utf8_start(data: bytes) -> bool:
    """Whether the first 64 KiB are valid UTF-8 (DuckDB checks the rest while reading)."""
    sample = data[:65536]
    if sample.isascii():
        return True
    try:
        codecs.getincrementaldecoder("utf-8")("strict").decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _write_converted(data: bytes, encoding: str, target: Path) -> None:
    """Decode ``encoding`` in blocks and write UTF-8 (cp1252 is one byte per character)."""
    dec = codecs.getincrementaldecoder(encoding)("kek-c1" if encoding == "cp1252" else "strict")
    with target.open("wb") as out:
        for i in range(0, len(data), CHUNK):
            out.write(dec.decode(data[i : i + CHUNK], final=i + CHUNK >= len(data)).encode())


def _header_cells(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter, quotechar='"'), [])
    except csv.Error:
        return line.split(delimiter)


def detect_delimiter(header: str, first_row: str, known: Callable[[str], bool]) -> str:
    """``;`` unless tab or comma splits the header into more known column names.

    Ranks by known header names, then by equal field counts in header and first data row,
    then by number of fields; ``;`` wins ties (German Excel's list separator).
    """

    def score(d: str) -> tuple[int, int, int, int]:
        cells = _header_cells(header, d)
        row = _header_cells(first_row, d) if first_row else cells
        return (sum(known(c) for c in cells), len(row) == len(cells), len(cells), d == ";")

    return max(DELIMITERS, key=score)


def read_csv_source(
    data: bytes,
    file_name: str,
    known: Callable[[str], bool] = lambda c: False,
    path: Path | None = None,
) -> Source:
    """Pick the encoding (BOM → strict UTF-8 → Windows-1252) and sniff the dialect.

    ``path`` is the same bytes on disk (e.g. the stored raw file); DuckDB then reads UTF-8 in
    place, otherwise a UTF-8 copy goes to a temp folder (``data`` may then be only the file's
    start: a file that needs converting is refused, the caller reads it whole). A non-UTF-8 byte
    after the first 64 KiB is found by DuckDB while reading; :func:`load` then converts and
    reads again. Raises :class:`UploadError` for a line far too wide or long
    (:func:`kek_data.ingest.lines.check_lines`).
    """
    src = Source(file_name=file_name, kind="csv", encoding="UTF-8", delimiter=";", header=[])
    src.data = data
    partial = path is not None and path.stat().st_size != len(data)
    utf16 = utf16_without_bom(data)
    if partial and (utf16 or data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))):
        raise UploadError(f"{file_name}: UTF-16 wird nur vollständig gelesen.")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        convert(src, "utf-16", "UTF-16")
    elif utf16:
        convert(src, utf16, "UTF-16 ohne BOM")
    elif data.startswith(codecs.BOM_UTF8):
        src.encoding = "UTF-8 mit BOM"
    elif not utf8_start(data):
        if partial:
            raise UploadError(f"{file_name}: Windows-1252 wird nur vollständig gelesen.")
        convert(src, "cp1252", "Windows-1252")
    if src.path is None:
        if path is None:
            src.temp = temp_dir()
            path = Path(src.temp.name) / "upload.csv"
            path.write_bytes(data)
        src.path = path
    try:
        with src.path.open("rb") as fh:
            top = fh.read(65536).removeprefix(codecs.BOM_UTF8)
        lines = top.split(b"\n" if b"\n" in top or b"\r" not in top else b"\r", 3)
        m = _SEP_LINE.match(lines[0])
        if m:
            src.skip = 1
            lines = lines[1:]
        text = [ln.rstrip(b"\r").decode("utf-8", "replace") for ln in lines[:2]] or [""]
        if not text[0].strip(" \t\ufeff"):
            raise UploadError(
                f"{file_name}, Zeile 1, Spalte 1: Die erste Zeile ist leer. Die Kopfzeile "
                "(Jahr;Energieträger;Menge;Einheit) muss in Zeile 1 stehen."
            )
        if m:
            src.delimiter = m.group(1).decode()
        elif max(text[0].count(d) for d in DELIMITERS) >= MAX_FIELDS:  # refused below: no sniff
            src.delimiter = max(DELIMITERS, key=text[0].count)
        else:
            src.delimiter = detect_delimiter(text[0], text[1] if len(text) > 1 else "", known)
        src.header = _header_cells(text[0], src.delimiter)
        from kek_data.ingest import lines as line_check  # needs this module's Source

        line_check.one_line_end(src, line_check.check_lines(src))
    except UploadError:
        src.close()
        raise
    except (UnicodeError, csv.Error, ValueError, IndexError) as exc:  # e.g. "sep=" + odd byte
        src.close()
        raise unreadable(file_name, exc) from exc
    except BaseException:
        src.close()
        raise
    return src


def unreadable(file_name: str, exc: BaseException) -> UploadError:
    """The message for a file that a reader fails on in a way no check foresaw."""
    return UploadError(
        f"{file_name}: Die Datei lässt sich nicht lesen ({type(exc).__name__}). Bitte als "
        "„CSV UTF-8“ oder „Excel-Arbeitsmappe (.xlsx)“ neu speichern."
    )


def convert(src: Source, codec: str, label: str) -> None:
    """Write the UTF-8 form of ``src.data`` to a temp file and read from there."""
    if src.temp is None:
        src.temp = temp_dir()
    target = Path(src.temp.name) / "upload-utf8.csv"
    try:
        _write_converted(src.data, codec, target)
    except UnicodeDecodeError as exc:
        raise UploadError(f"{src.file_name}: Die {label}-Datei ist beschädigt.") from exc
    src.path, src.encoding = target, label


def open_source(
    data: bytes,
    file_name: str,
    known: Callable[[str], bool] = lambda c: False,
    path: Path | None = None,
    max_bytes: int | None = None,
) -> Source:
    """Check the bytes and return the readable :class:`Source` (CSV/TXT or XLSX by content).

    Every failure to read the file is an :class:`UploadError` (a damaged file may make the zip,
    zlib or Excel reader raise anything).
    """
    from kek_data.ingest import xlsx

    check_bytes(data, file_name, max_bytes)
    try:
        if data.startswith(b"PK\x03\x04"):
            return xlsx.read_xlsx_source(data, file_name)
        return read_csv_source(data, file_name, known, path)
    except UploadError:
        raise
    except (*xlsx.DAMAGED, csv.Error) as exc:
        raise unreadable(file_name, exc) from exc
