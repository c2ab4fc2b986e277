"""The :class:`Source` of an upload (what every reader produces) and what all readers share.

Why a module of its own: :mod:`.reader` (CSV), :mod:`.xlsx` and :mod:`.lines` all build or
check a Source; keeping it here keeps the three free of import cycles.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kek_data.numbers import format_number

CHUNK = 8 * 1024 * 1024  #: decode / scan block [bytes]
MAX_FIELDS = 200  #: fields of any line, the header's too (the template has 6 columns)
DELIMITER_NAMES = {";": "Semikolon", "\t": "Tabulator", ",": "Komma"}


@dataclass
class Source:
    """An uploaded file that is a table: its dialect, header cells and where DuckDB reads it."""

    file_name: str
    kind: str  # "csv" or "xlsx"
    encoding: str  # German label, e.g. "UTF-8 mit BOM", "Windows-1252", "Excel (.xlsx)"
    delimiter: str
    header: list[str]
    path: Path | None = None  # UTF-8 text for read_csv
    skip: int = 0  # lines before the header (a ``sep=`` line)
    lines: np.ndarray | None = None  # xlsx: sheet row of each data row (CSV: computed on load)
    header_line: int = 1
    ncols: int = 0  # fields read per record (set by loader.load)
    n_records: int = 0  # records DuckDB read (set by loader.load)
    parallel: bool = True  # DuckDB's parallel CSV reader usable (no quoted line breaks)
    temp: tempfile.TemporaryDirectory | None = None
    data: bytes = b""  # the original bytes (kept for a late Windows-1252 conversion)

    def close(self) -> None:
        """Delete the decoded temp copy, if one was made."""
        if self.temp is not None:
            self.temp.cleanup()
            self.temp = None


def mb(n_bytes: int) -> str:
    """Size in German MB with one decimal, e.g. ``61,2 MB`` (1 MB = 1024² bytes)."""
    return f"{format_number(n_bytes / 1024 / 1024, 1)} MB"


def temp_dir() -> tempfile.TemporaryDirectory:
    """A private temp folder, in RAM (``/dev/shm``) where available: copies cost ~0 there."""
    shm = Path("/dev/shm")
    base = str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None
    return tempfile.TemporaryDirectory(prefix="kek-upload-", dir=base)
