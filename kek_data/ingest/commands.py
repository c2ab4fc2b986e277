"""Command line of the upload: ``import``, ``rollback`` and ``check-store``.

``python -m kek_data import FILE [--member ID] [--as ROLLE] [--db PATH] [--dry-run] [--replace]``
exits 0 with a German one-line summary, 1 with every error on stderr (one per line; no data
written, the rejected file is recorded), 2 when a year already has data and ``--replace`` is
missing. ``--as mitglied:X`` imports for X (``--member`` defaults to X); importing or rolling
back for another member is refused (exit 1, nothing written, nothing recorded). Submissions
and rollbacks record the user ``cli:<Benutzername>``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kek_data import access, config, db
from kek_data.cli import add_data_options, viewer_of
from kek_data.errors import UploadError, UsageError, ValidationFailed, YearsHaveData
from kek_data.ingest import submissions, upload
from kek_data.ingest.reader import mb


def cmd_import(args: argparse.Namespace) -> int:
    """Import one file for one member (see module docstring for the exit codes)."""
    path = Path(args.file)
    if not path.is_file():
        print(f"Fehler: Datei {path} nicht gefunden.", file=sys.stderr)
        return 1
    if path.stat().st_size > config.max_upload_bytes():
        print(
            f"{path.name}: Die Datei ist {mb(path.stat().st_size)} groß; erlaubt sind höchstens "
            f"{mb(config.max_upload_bytes())} (KEK_MAX_UPLOAD_MB).",
            file=sys.stderr,
        )
        return 1
    con = db.connect(args.db, create=False)
    try:
        viewer = viewer_of(args, con)
        member = args.member or viewer.member_id
        if not member:
            raise UsageError("Bitte das Mitglied angeben: --member ID (z. B. --member dsw21).")
        access.check_write(viewer, member)  # before naming any member in a message
        access.check_member(con, member)
        result = upload.import_file(
            con,
            config.db_path(args.db),
            None,  # streamed from the file
            path.name,
            member,
            viewer,
            replace=args.replace,
            dry_run=args.dry_run,
            source_path=path,
            memory_limit_mb=config.import_memory_mb(),
        )
    except ValidationFailed as exc:
        for line in exc.errors:
            print(line, file=sys.stderr)
        return 1
    except UploadError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except YearsHaveData as exc:
        print(f"{path.name}: {exc}", file=sys.stderr)
        return 2
    finally:
        con.close()
    print(result.summary())
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    """Withdraw an imported submission (its years show the previous data again)."""
    con = db.connect(args.db, create=False)
    try:
        member = submissions.rollback(con, args.submission_id, viewer_of(args, con), args.note)
    finally:
        con.close()
    print(f"Meldung Nr. {args.submission_id} von {member} zurückgenommen.")
    return 0


def cmd_check_store(args: argparse.Namespace) -> int:
    """Compare recorded submissions with the raw-file store; exit 1 on any mismatch."""
    con = db.connect(args.db, create=False)
    try:
        viewer = viewer_of(args, con)
        path = config.db_path(args.db)
        problems = submissions.check_store_as(con, path, viewer, deep=args.deep)
    finally:
        con.close()
    for line in problems:
        print(line, file=sys.stderr)
    if not problems:
        print(f"Dateiablage {submissions.files_dir(args.db)} ist vollständig.")
    return 1 if problems else 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``import``, ``rollback`` and ``check-store`` to the ``python -m kek_data`` parser."""
    p = subparsers.add_parser("import", help="Verbrauchsdaten eines Mitglieds importieren")
    p.add_argument("file", metavar="FILE", help="CSV, TXT oder XLSX")
    p.add_argument("--member", help="member_id, z. B. dsw21 (Standard bei --as mitglied:ID: ID)")
    p.add_argument("--dry-run", action="store_true", help="nur prüfen, nichts speichern")
    p.add_argument("--replace", action="store_true", help="Jahre mit Daten ersetzen")
    add_data_options(p)
    p.set_defaults(func=cmd_import)
    p = subparsers.add_parser("rollback", help="eine Meldung zurücknehmen")
    p.add_argument("submission_id", type=int)
    p.add_argument("--note", help="Begründung")
    add_data_options(p)
    p.set_defaults(func=cmd_rollback)
    p = subparsers.add_parser("check-store", help="Dateiablage gegen Meldungen prüfen")
    add_data_options(p)
    p.add_argument("--deep", action="store_true", help="auch SHA-256 jeder Datei prüfen")
    p.set_defaults(func=cmd_check_store)
