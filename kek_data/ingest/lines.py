"""Line checks of a CSV upload before any parser: widths, lengths and line ends, in one pass.

Why: a 100 KB file of one row with 50.000 fields cost DuckDB 46 s and 1,5 GB (a table of as
many columns), a 2 MB one over 10 minutes. :func:`check_lines` refuses a line with far more
fields than the header, or longer than :data:`MAX_LINE_BYTES`, with a German message naming the
line, in one numpy pass in 8-MB blocks (~0,2 s for 76 MB; bench/bench_bad_input.py), so
every later cost is bounded by the file's size. The same pass counts the line ends:
:func:`one_line_end` reads a file mixing CRLF and LF with LF throughout (so both import paths
agree) and refuses a lone CR beside them, naming its line.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from kek_data.errors import UploadError
from kek_data.ingest import source
from kek_data.ingest.source import DELIMITER_NAMES, MAX_FIELDS, Source, mb, temp_dir
from kek_data.numbers import format_number

MAX_EXTRA_FIELDS = 100  #: fields a line may have beyond the header (Excel pads, users slip)
MAX_LINE_BYTES = 1024 * 1024  #: longest line [bytes]; = max_line_size in sql upload_file


def one_line_end(src: Source, ends: tuple[int, int, int]) -> None:
    """A file mixing CRLF and LF (``ends``: their counts and lone CR's) gets a copy with LF
    throughout: same lines, same line numbers, so both import paths read it alike.

    A lone CR beside LF/CRLF is refused with its line: whether it ends a line is a guess (old
    Mac files end every line with CR and are read as such).
    """
    assert src.path is not None
    crlf, lf, cr = ends
    if cr and (crlf or lf):
        raise UploadError(
            f"{src.file_name}, Zeile {_lone_cr_line(src.path) - src.skip}: Die Datei mischt "
            "Zeilenenden (ein einzelnes CR-Zeichen neben Zeilenumbrüchen LF/CRLF). Bitte die "
            "Datei in Excel öffnen und als „CSV UTF-8“ neu speichern."
        )
    if not (crlf and lf):
        return
    if src.temp is None:
        src.temp = temp_dir()
    target = Path(src.temp.name) / "upload-lf.csv"
    with src.path.open("rb") as fh, target.open("wb") as out:
        carry = b""
        while block := fh.read(source.CHUNK):
            block = carry + block
            carry = b"\r" if block.endswith(b"\r") else b""
            out.write(block[: len(block) - len(carry)].replace(b"\r\n", b"\n"))
        out.write(carry)
    src.path = target


def _lone_cr_line(path: Path) -> int:
    """Physical line (counting LF) of the first CR not followed by LF."""
    lines, prev = 1, b""
    with path.open("rb") as fh:
        while block := fh.read(source.CHUNK):
            text = prev + block
            m = re.search(rb"\r(?!\n)", text[:-1]) if len(text) > 1 else None
            if m:
                return lines + text.count(b"\n", 0, m.start())
            lines += text[:-1].count(b"\n")
            prev = text[-1:]
    return lines


def check_lines(src: Source) -> tuple[int, int, int]:
    """Refuse, before any parser, a line with far more fields than the header or too long;
    the counts of CRLF, lone LF and lone CR line ends.

    One pass in blocks with numpy (newline positions; delimiters located only in blocks with a
    line long enough to hold that many), so the cost is linear in the file's size. A line may
    have at most :data:`MAX_EXTRA_FIELDS` fields more than the header and never more than
    :data:`MAX_FIELDS`; delimiters inside ``"…"`` on the same line do not count.
    """
    assert src.path is not None
    delim = src.delimiter.encode()
    limit = min(MAX_FIELDS, len(src.header) + MAX_EXTRA_FIELDS)
    crlf = lf = cr = 0
    if src.path.stat().st_size == 0:
        return crlf, lf, cr
    with src.path.open("rb") as fh:
        head = fh.read(65536)
        fh.seek(0)
        nl = 10 if b"\n" in head or b"\r" not in head else 13
        block = np.empty(source.CHUNK, dtype=np.uint8)  # one buffer, filled block by block
        line_no, carry_len, carry_fields, prev = 1, 0, 0, 0
        while n_read := fh.readinto(memoryview(block)):
            crlf, lf, cr, line_no, carry_len, carry_fields, prev = _block(
                src, block[:n_read], nl, delim, limit, (crlf, lf, cr),
                (line_no, carry_len, carry_fields, prev),
            )  # fmt: skip
    return crlf, lf, cr


def _block(
    src: Source,
    buf: np.ndarray,
    nl: int,
    delim: bytes,
    limit: int,
    ends_so_far: tuple[int, int, int],
    state: tuple[int, int, int, int],
) -> tuple[int, int, int, int, int, int, int]:
    """One block of :func:`check_lines`: the line-end counts and the state carried on."""
    crlf, lf, cr = ends_so_far
    line_no, carry_len, carry_fields, prev = state
    nls = np.flatnonzero(buf == nl)
    n_cr = int(np.count_nonzero(buf == 13))
    lfs = nls if nl == 10 else np.flatnonzero(buf == 10)
    before = buf[lfs[lfs > 0] - 1]
    n_crlf = int(np.count_nonzero(before == 13)) + int(prev == 13 and len(lfs) > 0 and lfs[0] == 0)
    crlf, lf, cr = crlf + n_crlf, lf + len(lfs) - n_crlf, cr + n_cr - n_crlf
    prev = int(buf[-1])
    ends = np.append(nls, len(buf))
    lengths = np.diff(np.concatenate(([-1], ends))) - 1  # without the newline
    lengths[0] += carry_len
    counts = np.zeros(len(ends), dtype=np.int64)
    if len(delim) == 1 and int(lengths.max()) >= limit - 1:
        ds = np.flatnonzero(buf == delim[0])
        counts = np.diff(np.concatenate(([0], np.searchsorted(ds, ends))))
    elif len(delim) == 1:  # no line here is wide: count only the one going on
        last_start = int(ends[-2]) + 1 if len(ends) > 1 else 0
        counts[-1] = np.count_nonzero(buf[last_start:] == delim[0])
    counts[0] += carry_fields
    for i in np.flatnonzero((counts + 1 > limit) | (lengths > MAX_LINE_BYTES)):
        fields = int(counts[i]) + 1
        start = int(ends[i - 1]) + 1 if i > 0 else 0
        line = bytes(buf[start : int(ends[i])])
        if fields > limit and (i > 0 or not carry_len) and b'"' in line:
            fields = len(re.sub(rb'"[^"]*"', b"", line).split(delim))
        if fields > limit or lengths[i] > MAX_LINE_BYTES:
            raise _too_wide(src, line_no + int(i), fields, int(lengths[i]), limit)
    line_no += len(nls)
    carry_len, carry_fields = int(lengths[-1]), int(counts[-1])
    return crlf, lf, cr, line_no, carry_len, carry_fields, prev


def _too_wide(src: Source, physical: int, fields: int, length: int, limit: int) -> UploadError:
    line = physical - src.skip
    where = f"{src.file_name}, Zeile {line}"
    name = DELIMITER_NAMES.get(src.delimiter, f"„{src.delimiter}“")
    if length > MAX_LINE_BYTES and fields <= limit:
        return UploadError(
            f"{where}: Die Zeile ist {mb(length)} lang; erlaubt sind höchstens "
            f"{mb(MAX_LINE_BYTES)} je Zeile. Bitte die Zeile kürzen oder prüfen, ob die Datei "
            "Zeilenumbrüche enthält."
        )
    if line <= 1:
        return UploadError(
            f"{where}: Die Kopfzeile hat {format_number(fields, 0)} Felder (Trennzeichen "
            f"{name}); erlaubt sind höchstens {format_number(MAX_FIELDS, 0)}. Bitte die leeren "
            "Spalten rechts der Tabelle löschen und erneut speichern."
        )
    return UploadError(
        f"{where}: Die Zeile hat {format_number(fields, 0)} Felder, die Kopfzeile nur "
        f"{format_number(len(src.header), 0)} (erlaubt sind höchstens "
        f"{format_number(limit, 0)}). Bitte die überzähligen Trennzeichen ({name}) in "
        "dieser Zeile entfernen."
    )
