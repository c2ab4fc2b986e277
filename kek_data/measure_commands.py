"""Command line of the measures: ``measures`` and ``import-measures``.

``python -m kek_data measures [--json] [--member ID]`` lists the measures in force the role sees
(:func:`kek_data.measures.savings`): JSON objects with ``member``, ``title``, ``status``,
``start_year``, ``end_year``, ``saving_t_co2e_per_year`` (rounded to 0,1 t; null without a
factor) and more; without ``--json`` a German table. ``measures vorlage DATEI`` writes the
template. ``python -m kek_data import-measures DATEI --member ID [--dry-run]`` checks and stores a
measures file with the exit codes of ``import``: 0 with a German summary, 1 with every problem on
stderr (file, line, column; nothing written), also for a refused member. Writes record the user
``cli:<Benutzername>``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kek_data import access, config, db, measure_import, measures
from kek_data.cli import add_data_options, viewer_of
from kek_data.errors import MeasureImportErrors, UsageError
from kek_data.ingest.reader import mb
from kek_data.numbers import format_number


def _json_rows(df) -> list[dict]:
    """One JSON object per measure (values [t CO₂e/a], [%], [a])."""

    def num(v, digits: int = 1):
        return None if v is None or v != v else round(float(v), digits)

    return [
        {"measure_id": int(r.measure_id), "member": r.member_id, "title": r.title,
         "status": r.status, "field": r.field, "start_year": int(r.start_year),
         "end_year": int(r.end_year), "effect_year": int(r.effect_year),
         "completion_pct": num(r.completion_pct), "visibility": r.visibility,
         "saving_t_co2e_per_year": num(r.saving_t), "saving_basis": r.saving_basis,
         "responsible": r.responsible, "working_group": None if r.group_name != r.group_name
         else r.group_name, "version": int(r.version_no)}
        for r in df.itertuples()
    ]  # fmt: skip


def cmd_list(args: argparse.Namespace) -> int:
    """The measures the role sees (JSON with --json, else a German table)."""
    con = db.connect(args.db, create=False)
    try:
        viewer = viewer_of(args, con)
        if args.member:
            access.check_member(con, args.member)
        df = measures.savings(con, viewer, args.member)
    finally:
        con.close()
    if args.json:
        json.dump(_json_rows(df), sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    if df.empty:
        print("Keine Maßnahmen (oder keine, die diese Rolle sehen darf).")
    for r in df.itertuples():
        saving = "unvollständig" if r.incomplete else f"{format_number(r.saving_t, 1)} t CO₂e/a"
        print(f"Nr. {r.measure_id}  {r.member_id}  {r.title}  ·  {r.status}  ·  "
              f"{r.start_year}–{r.end_year}  ·  {format_number(r.completion_pct, 0)} %  ·  "
              f"{saving} ({r.saving_basis})  ·  {r.visibility}")  # fmt: skip
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    """Write the template (CSV for German Excel)."""
    Path(args.file).write_bytes(measure_import.template_csv())
    print(f"Vorlage {args.file} geschrieben.")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Check and store a measures file (exit codes of ``import``: 0 ok, 1 any problem)."""
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
        measures.check_write(viewer, member)  # before naming any member in a message
        access.check_member(con, member)
        result = measure_import.import_file(
            con, viewer, member, path.read_bytes(), path.name, dry_run=args.dry_run
        )
    except MeasureImportErrors as exc:
        for line in exc.errors:
            print(line, file=sys.stderr)
        print("Nichts wurde gespeichert.", file=sys.stderr)
        return 1
    finally:
        con.close()
    prefix = "Prüfung ohne Speichern – " if args.dry_run else ""
    print(prefix + result.summary(path.name))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``measures`` (with ``vorlage``) and ``import-measures`` to the command line."""
    p = sub.add_parser("measures", help="Maßnahmen der Mitglieder mit Einsparung zeigen")
    p.add_argument("--json", action="store_true")
    p.add_argument("--member", metavar="MITGLIED", help="nur dieses Mitglied")
    add_data_options(p)
    p.set_defaults(func=cmd_list)
    actions = p.add_subparsers(dest="action")
    s = actions.add_parser("vorlage", help="Vorlage für Maßnahmen (CSV für Excel) schreiben")
    s.add_argument("file", metavar="DATEI")
    add_data_options(s)  # accepted like every command (the template reads no data)
    s.set_defaults(func=cmd_template)
    p = sub.add_parser("import-measures", help="Maßnahmen eines Mitglieds aus CSV/XLSX importieren")
    p.add_argument("file", metavar="FILE", help="CSV, TXT oder XLSX (Vorlage: measures vorlage)")
    p.add_argument("--member", help="member_id, z. B. dsw21 (Standard bei --as mitglied:ID: ID)")
    p.add_argument("--dry-run", action="store_true", help="nur prüfen, nichts speichern")
    add_data_options(p)
    p.set_defaults(func=cmd_import)
