"""Paths, limits and settings, read from the environment once.

Why: the dashboard, the command line, tests and benchmarks must agree on where the database
lives and which limits apply; a deployment changes them without code (``KEK_DB``,
``KEK_MAX_UPLOAD_MB``).
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DEFAULT_DB = DATA_DIR / "kek.duckdb"

#: Dortmund's neutrality year (council decision) [a]: the horizon of paths and budgets only
#: while no network target is stored; every other reference year comes from the target data.
NEUTRALITY_YEAR = 2035

#: Earliest plausible reporting year (BISKO base year of most municipal balances) [a].
FIRST_YEAR = 1990


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The database file: the explicit argument, else ``KEK_DB``, else ``data/kek.duckdb``."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("KEK_DB")
    return Path(env) if env else DEFAULT_DB


def import_memory_mb() -> int:
    """DuckDB memory cap of the direct import in the ``import`` command [MiB].

    ``KEK_IMPORT_MEMORY_MB``, default 256. Why: a direct import of 1,000,000 rows (76 MiB) then
    peaks at about 3.5 × the file size instead of 4–4.5 × at the same speed
    (bench/bench_import.py); below ~150 MiB DuckDB gets slower. The full check is not capped
    (its temp tables would spill to disk and take 40 % longer).
    """
    return int(float(os.environ.get("KEK_IMPORT_MEMORY_MB", "256")))


def max_upload_bytes() -> int:
    """Largest accepted upload [bytes]; default 200 MB admits the 1,000,000-row benchmark file."""
    return int(float(os.environ.get("KEK_MAX_UPLOAD_MB", "200")) * 1024 * 1024)


def public_dir(db: str | os.PathLike[str] | None = None) -> Path:
    """Where the public static site is written (``export public``, ``public_site.refresh``):
    ``KEK_PUBLIC_DIR``, else ``oeffentlich`` next to the database file (:func:`db_path`)."""
    env = os.environ.get("KEK_PUBLIC_DIR")
    return Path(env) if env else db_path(db).parent / "oeffentlich"


def public_auto() -> bool:
    """Whether the dashboard rebuilds the public site after every change of data or consent
    (``KEK_PUBLIC_SITE``: "auto", the default, or "aus"; the button on the Export page and
    ``export public`` work either way)."""
    return os.environ.get("KEK_PUBLIC_SITE", "auto").strip().lower() != "aus"


def public_url() -> str:
    """The public site's address for the embed snippets (``KEK_PUBLIC_URL``, e.g.
    ``https://www.dortmund.de/kek``); "" gives addresses relative to the site."""
    return os.environ.get("KEK_PUBLIC_URL", "").strip().rstrip("/")
