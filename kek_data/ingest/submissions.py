"""Recorded submissions as a viewer may use them: history, original files, rollback, store check.

Why: a member may see and roll back its own submissions only; network management all, the city
sees all but writes nothing, the public nothing (:mod:`kek_data.access`). Each function takes
the :class:`~kek_data.viewer.Viewer` and reads the submission's member from the database, never
from the caller, so a forged widget value or command-line argument is refused here. Writes
record ``viewer.user`` (or the role's name). Low-level storage: :mod:`kek_data.ingest.store`.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import TYPE_CHECKING

import duckdb

from kek_data import access, db
from kek_data.errors import AccessDenied, RollbackError, StoreError
from kek_data.ingest.store import IMPORTED, ROLLED_BACK, files_dir, raw_path, sender, sha256_of
from kek_data.viewer import Viewer

if TYPE_CHECKING:
    import pandas as pd


def read_raw(
    con: duckdb.DuckDBPyConnection,
    db_path: str | os.PathLike[str] | None,
    viewer: Viewer,
    submission_id: int,
) -> bytes:
    """The original bytes of submission ``submission_id``, for download.

    Only for viewers who may read that member's files (:func:`kek_data.access.check_files`; the
    member is read from the database, not taken from the caller).
    """
    row = db.query_rows(con, "submission_by_id", submission_id=submission_id)
    if not row and not viewer.sees_all_members:  # a member learns nothing about foreign ids
        access.check_files(viewer, "")
    if not row:
        raise StoreError(f"Meldung Nr. {submission_id} gibt es nicht.")
    _, member_id, _, sha256, _, _ = row[0]
    access.check_files(viewer, str(member_id))
    path = raw_path(db_path, str(sha256))
    try:
        return path.read_bytes()
    except OSError as exc:
        raise StoreError(f"Die Originaldatei {path} fehlt im Dateiablage-Ordner.") from exc


def rollback(
    con: duckdb.DuckDBPyConnection, submission_id: int, viewer: Viewer, note: str | None = None
) -> str:
    """Withdraw an imported submission: append a ``rolled_back`` event; return its member_id.

    The viewer must be allowed to write for the submission's member (read from the database:
    :func:`kek_data.access.check_write`), else :class:`AccessDenied` and nothing is written;
    the event records ``viewer.user`` (or its label). The years it covered show the previous
    state again (the newest earlier active submission).
    """
    row = db.query_rows(con, "submission_by_id", submission_id=submission_id)
    if not row and not viewer.sees_all_members:  # missing and foreign ids: the same answer
        _check_rollback(viewer, "", submission_id)
    if not row:
        raise RollbackError(f"Meldung Nr. {submission_id} gibt es nicht.")
    _, member_id, status, _, file_name, rolled_back = row[0]
    _check_rollback(viewer, str(member_id), submission_id)
    if status != IMPORTED:
        raise RollbackError(
            f"Meldung Nr. {submission_id} ({file_name}) wurde abgelehnt und hat keine Daten."
        )
    if rolled_back:
        raise RollbackError(
            f"Meldung Nr. {submission_id} ({file_name}) ist bereits zurückgenommen."
        )
    db.execute(
        con,
        "insert_submission_event",
        submission_id=submission_id,
        event=ROLLED_BACK,
        event_at=datetime.now(),
        event_by=sender(viewer),
        note=note,
    )
    return str(member_id)


def _check_rollback(viewer: Viewer, member_id: str, submission_id: int) -> None:
    """:func:`access.check_write` for a rollback; a member is not told whose submission it is."""
    try:
        access.check_write(viewer, member_id)
    except AccessDenied as exc:
        if viewer.role != "mitglied":
            raise
        raise AccessDenied(
            f"Meldung Nr. {submission_id} gehört nicht zu Ihrer Organisation; Sie dürfen nur "
            "eigene Meldungen zurücknehmen. Nichts wurde geschrieben."
        ) from exc


def history(con: duckdb.DuckDBPyConnection, viewer: Viewer, member_id: str) -> pd.DataFrame:
    """The member's submissions, newest first, with years, state and who rolled back.

    Only for viewers who may read that member's files (:func:`kek_data.access.check_files`).
    """
    access.check_files(viewer, member_id)
    return db.query_df(con, "submission_history", member_id=member_id)


def check_store_as(
    con: duckdb.DuckDBPyConnection,
    db_path: str | os.PathLike[str] | None,
    viewer: Viewer,
    *,
    deep: bool = False,
) -> list[str]:
    """:func:`check_store` for a viewer: its lines name every member's files, so only viewers
    who see all members (network management, city) get them, else :class:`AccessDenied`."""
    if not viewer.sees_all_members:
        raise AccessDenied("Die Dateiablage prüfen nur Netzwerkmanagement und Stadt.")
    return check_store(con, db_path, deep=deep)


def check_store(
    con: duckdb.DuckDBPyConnection,
    db_path: str | os.PathLike[str] | None,
    *,
    deep: bool = False,
) -> list[str]:
    """Start-up check: German lines for recorded files missing on disk and unrecorded files.

    Compares sizes [bytes]; ``deep=True`` also recomputes every SHA-256 (slow for big stores).
    Demo submissions have no file. An unrecorded file is an upload whose database commit was
    lost (crash, torn write-ahead log): import it again with ``python -m kek_data import``.
    An empty list means all is well. The process's start-up check (no viewer); the lines name
    every member's files: show them only through :func:`check_store_as`.
    """
    problems = []
    recorded: set[str] = set()
    for submission_id, sha, file_name, size, is_demo in db.query_rows(con, "recorded_files"):
        if is_demo:
            continue
        recorded.add(sha)
        path = raw_path(db_path, sha)
        if not path.is_file():
            problems.append(
                f"Meldung Nr. {submission_id} ({file_name}): Die Originaldatei fehlt ({path})."
            )
        elif path.stat().st_size != size or (deep and sha256_of(path.read_bytes()) != sha):
            problems.append(
                f"Meldung Nr. {submission_id} ({file_name}): Die Originaldatei ist verändert "
                f"({path})."
            )
    root = files_dir(db_path)
    if root.is_dir():
        for path in sorted(root.glob("??/*")):
            if path.name.startswith("."):
                continue
            if path.name not in recorded:
                problems.append(
                    f"Die Datei {path} ist in keiner Meldung verzeichnet (Import nach Absturz "
                    "verloren?). Bitte prüfen und ggf. erneut importieren."
                )
    return problems
