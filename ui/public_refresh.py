"""The public static site follows the data: rebuilt in the background after every change.

Why: the city's website serves the static copy (``kek_data.export.public_site``) to any number
of readers; it must show what the public page shows, without anyone remembering to export it.
:func:`ui.data.data_changed` (called after every import, rollback, target, measure and consent
change) calls :func:`after_change`; the rebuild runs in one background thread per process, so
the click that changed the data does not wait for the images, and happens only when the
public content's fingerprint changed (``public_site.refresh``). Changes that arrive while a
rebuild runs are taken up by one more rebuild afterwards. A failure is logged, never shown to
the user who changed the data; the network manager sees the site's state on the Export page.
"""

from __future__ import annotations

import logging
import threading

import duckdb

from kek_data import config
from kek_data.errors import KekError

_log = logging.getLogger(__name__)
_LOCK = threading.Lock()
#: live database file → the process's connection to it, waiting for a rebuild
_pending: dict[str, duckdb.DuckDBPyConnection] = {}
_running = False


def after_change(db_path: str, con: duckdb.DuckDBPyConnection) -> None:
    """Schedule a rebuild of the public site of ``db_path`` (if ``config.public_auto()``),
    read through a cursor of ``con``, the process's one connection (``ui.data.connection``)."""
    global _running
    if not config.public_auto():
        return
    with _LOCK:
        _pending[db_path] = con
        if _running:
            return
        _running = True
    threading.Thread(target=_work, name="kek-public-site", daemon=True).start()


def _work() -> None:
    global _running
    while True:
        with _LOCK:
            if not _pending:
                _running = False
                return
            path, con = _pending.popitem()
        rebuild(path, con)


def rebuild(db_path: str, con: duckdb.DuckDBPyConnection) -> bool:
    """Rebuild now (True if the public content had changed); errors are logged."""
    from kek_data.export import public_site

    try:
        cur = con.cursor()
    except duckdb.Error:  # the connection was closed meanwhile (tests, shutdown)
        return False
    try:
        return public_site.refresh(cur, config.public_dir(db_path))
    except (KekError, duckdb.Error, OSError):
        _log.exception("Öffentliche Seite für %s nicht erzeugt", db_path)
        return False
    finally:
        cur.close()


def idle(timeout: float = 60.0) -> bool:
    """Wait until no rebuild runs (tests, shutdown); True if idle within ``timeout`` [s]."""
    import time

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with _LOCK:
            if not _running:
                return True
        time.sleep(0.05)
    return False
