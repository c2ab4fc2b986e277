"""Command line of the upload: ``import``, ``rollback`` and ``check-store``.

``python -m kek_data import FILE --member ID [--db PATH] [--dry-run] [--replace] [--by NAME]``
exits 0 with a German one-line summary, 1 with every error on stderr (one per line; no data
written, the rejected file is recorded), 2 when a year already has data and ``--replace`` is
missing.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from kek_data import config, db
from kek_data.errors import UnknownMember, UploadError, ValidationFailed, YearsHaveData
from kek_data.ingest import store, upload
from kek_data.ingest.reader import mb


def _who(args: argparse.Namespace) -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unbekannt"
    return args.by or f"Kommandozeile ({user})"


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
    members = {r[0] for r in db.query_rows(con, "all_member_ids")}
    if args.member not in members:
        raise UnknownMember(
            f"Mitglied „{args.member}“ gibt es nicht. Bekannt: {', '.join(sorted(members))}."
        )
    try:
        result = upload.import_file(
            con,
            config.db_path(args.db),
            None,  # streamed from the file
            path.name,
            args.member,
            _who(args),
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
        member = store.rollback(con, args.submission_id, _who(args), args.note)
    finally:
        con.close()
    print(f"Meldung Nr. {args.submission_id} von {member} zurückgenommen.")
    return 0


def cmd_check_store(args: argparse.Namespace) -> int:
    """Compare recorded submissions with the raw-file store; exit 1 on any mismatch."""
    con = db.connect(args.db, create=False)
    try:
        problems = store.check_store(con, config.db_path(args.db), deep=args.deep)
    finally:
        con.close()
    for line in problems:
        print(line, file=sys.stderr)
    if not problems:
        print(f"Dateiablage {store.files_dir(args.db)} ist vollständig.")
    return 1 if problems else 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``import``, ``rollback`` and ``check-store`` to the ``python -m kek_data`` parser."""
    p = subparsers.add_parser("import", help="Verbrauchsdaten eines Mitglieds importieren")
    p.add_argument("file", metavar="FILE", help="CSV, TXT oder XLSX")
    p.add_argument("--member", required=True, help="member_id, z. B. dsw21")
    p.add_argument("--db", help="Pfad der DuckDB-Datei (Standard: KEK_DB oder data/kek.duckdb)")
    p.add_argument("--dry-run", action="store_true", help="nur prüfen, nichts speichern")
    p.add_argument("--replace", action="store_true", help="Jahre mit Daten ersetzen")
    p.add_argument("--by", help="wer meldet (Standard: Benutzername)")
    p.set_defaults(func=cmd_import)
    p = subparsers.add_parser("rollback", help="eine Meldung zurücknehmen")
    p.add_argument("submission_id", type=int)
    p.add_argument("--db")
    p.add_argument("--by")
    p.add_argument("--note", help="Begründung")
    p.set_defaults(func=cmd_rollback)
    p = subparsers.add_parser("check-store", help="Dateiablage gegen Meldungen prüfen")
    p.add_argument("--db")
    p.add_argument("--deep", action="store_true", help="auch SHA-256 jeder Datei prüfen")
    p.set_defaults(func=cmd_check_store)
