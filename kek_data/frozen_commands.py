"""Command line of the frozen annual reports: ``berichtsstand`` and its sub-commands.

- ``python -m kek_data berichtsstand [--json]`` lists every Berichtsstand, newest first;
- ``berichtsstand einfrieren JAHR [--note TEXT]`` freezes a reporting year (network management);
- ``berichtsstand aenderungen NR [--json]`` lists what changed since Berichtsstand NR, as the
  role of ``--as`` may see it.

``summary`` and ``export`` read a Berichtsstand with ``--stand NR`` (:func:`kek_data.cli.
connect_read`). The rules are :mod:`kek_data.frozen_reports`'; exit 1 on any problem.
"""

from __future__ import annotations

import argparse
import json
import math
import sys

from kek_data import db, frozen_reports
from kek_data.cli import _when, add_data_options, viewer_of
from kek_data.errors import FrozenReportError
from kek_data.numbers import format_t


def cmd_list(args: argparse.Namespace) -> int:
    """Every Berichtsstand (JSON with --json, else one German line each)."""
    con = db.connect(args.db, create=False)
    viewer = viewer_of(args, con)
    if not viewer.sees_member_data:
        raise FrozenReportError("Berichtsstände sind nur nach Anmeldung zugänglich.")
    found = frozen_reports.freezes(con)
    if args.json:
        rows = [
            {"freeze_id": f.freeze_id, "year": f.year, "frozen_at": f.frozen_at.isoformat(),
             "frozen_by": f.frozen_by, "note": f.note, "file_name": f.file_name,
             "sha256": f.sha256, "is_demo": f.is_demo}
            for f in found
        ]  # fmt: skip
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    if not found:
        print("Noch kein Berichtsstand eingefroren (python -m kek_data berichtsstand einfrieren "
              "JAHR).")  # fmt: skip
    newest: set[int] = set()
    for f in found:
        mark = "" if f.year in newest else "  (gilt)"
        newest.add(f.year)
        note = f" – {f.note}" if f.note else ""
        print(f"Nr. {f.freeze_id}  {f.year}  eingefroren am {_when(f.frozen_at)} von "
              f"{f.frozen_by}{note}{mark}")  # fmt: skip
    return 0


def cmd_freeze(args: argparse.Namespace) -> int:
    """Freeze reporting year JAHR (network management)."""
    con = db.connect(args.db, create=False)
    done = frozen_reports.freeze(con, viewer_of(args, con), args.year, args.note or "")
    print(f"{done.label}: {frozen_reports.path_of(con, done)} (SHA-256 {done.sha256[:12]}…).")
    return 0


def cmd_changes(args: argparse.Namespace) -> int:
    """What changed since Berichtsstand NR (JSON with --json)."""
    from kek_data import frozen_changes

    con = db.connect(args.db, create=False)
    viewer = viewer_of(args, con)
    frozen = frozen_reports.open(con, args.freeze_id)
    frozen_reports.check_viewer(con, frozen, viewer)
    table = frozen_changes.changes(con, frozen, viewer)
    if args.json:
        rows = [
            {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
            for r in table.astype(object).where(table.notna(), None).to_dict("records")
        ]
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1, default=str)
        print()
        return 0
    if table.empty:
        print("Keine Änderungen seit diesem Berichtsstand.")
    for r in table.itertuples(index=False):
        year = "" if r[2] is None or r[2] != r[2] else f" {r[2]}"
        values = ""
        if r[6] == r[6] and r[6] is not None:
            values = f": {_t(r[4])} → {_t(r[5])} (Δ {format_t(r[6])})"
        print(f"{r[0]} · {r[1]}{year} · {r[3]}{values}")
    return 0


def _t(value: float | None) -> str:
    return "–" if value is None or value != value else format_t(value)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``berichtsstand`` with ``einfrieren`` and ``aenderungen``."""
    top = subparsers.add_parser("berichtsstand", help="Eingefrorene Berichtsstände")
    top.add_argument("--json", action="store_true")
    add_data_options(top)
    top.set_defaults(func=cmd_list)
    sub = top.add_subparsers(dest="freeze_command", metavar="einfrieren|aenderungen")
    p = sub.add_parser("einfrieren", help="ein Berichtsjahr einfrieren (Netzwerkmanagement)")
    p.add_argument("year", metavar="JAHR", type=int)
    p.add_argument("--note", help="Anlass, z. B. „Jahresbericht 2025, Beschluss vom 15.06.“")
    add_data_options(p)
    p.set_defaults(func=cmd_freeze)
    p = sub.add_parser("aenderungen", help="was sich seit einem Berichtsstand geändert hat")
    p.add_argument("freeze_id", metavar="NR", type=int)
    p.add_argument("--json", action="store_true")
    add_data_options(p)
    p.set_defaults(func=cmd_changes)
