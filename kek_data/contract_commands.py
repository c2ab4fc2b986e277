"""Command line of the electricity contracts (market-based Scope 2): ``vertraege``.

``python -m kek_data vertraege [--json] [--member ID]`` lists each visible member's electricity
per year on both bases (:func:`kek_data.scope2.years`) and the contracts in force;
``vertraege import DATEI --member ID`` checks and stores a contracts file (every problem on
stderr with file, line and column, exit 1, nothing written); ``vertraege vorlage DATEI`` writes the
template; ``vertraege zuruecknehmen --member ID --year JAHR`` withdraws one year's contracts.
All take ``--db`` and ``--as ROLLE[:MITGLIED]``; writes follow the upload's rights.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kek_data import contracts, db, scope2
from kek_data.cli import add_data_options, viewer_of
from kek_data.errors import ContractErrors, UsageError
from kek_data.numbers import format_count


def cmd_list(args: argparse.Namespace) -> int:
    """Both bases per member and year, and the contracts in force (JSON with --json)."""
    con = db.connect(args.db, create=False)
    try:
        viewer = viewer_of(args, con)
        rows = scope2.years(con, viewer)
        rows = [r for r in rows if not args.member or r.member_id == args.member]
        current = contracts.current(con, viewer)
    finally:
        con.close()
    if args.member:
        current = current[current["member_id"] == args.member]
    if args.json:
        data = {
            "years": [
                {"member_id": r.member_id, "year": r.year, "strom_kwh": r.kwh,
                 "contract_kwh": r.contract_kwh, "t_co2e_location": r.location_t,
                 "t_co2e_market": r.market_t, "notes": list(r.notes)}
                for r in rows
            ],
            "contracts": json.loads(current.to_json(orient="records", date_format="iso")),
        }  # fmt: skip
        json.dump(data, sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
        print()
        return 0
    for r in rows:
        print(scope2.sentence(r, r.member_id))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Check and store a contracts file; every problem on stderr, exit 1."""
    path = Path(args.file)
    if not path.is_file():
        raise UsageError(f"Datei {path} gibt es nicht.")
    con = db.connect(args.db, create=False)
    try:
        viewer = viewer_of(args, con)
        try:
            upload_id, found = contracts.import_file(
                con, viewer, args.member, path.read_bytes(), path.name
            )
        except ContractErrors as exc:
            for line in exc.errors:
                print(f"Fehler: {line}", file=sys.stderr)
            print("Nichts wurde gespeichert.", file=sys.stderr)
            return 1
    finally:
        con.close()
    years = ", ".join(str(y) for y in sorted({c.year for c in found}))
    print(f"{format_count(len(found), 'Vertrag', 'Verträge')} für {years} gespeichert "
          f"(Meldung Nr. {upload_id}).")  # fmt: skip
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    """Write the template (CSV for German Excel)."""
    Path(args.file).write_bytes(contracts.template_csv())
    print(f"Vorlage {args.file} geschrieben.")
    return 0


def cmd_withdraw(args: argparse.Namespace) -> int:
    """Withdraw one year's contracts of a member."""
    con = db.connect(args.db, create=False)
    try:
        contracts.withdraw(con, viewer_of(args, con), args.member, args.year)
    finally:
        con.close()
    print(f"Verträge {args.member} {args.year} zurückgenommen: marktbasiert zählt dieser Strom "
          "jetzt zum Reststrommix.")  # fmt: skip
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``vertraege`` and its sub-commands to the command line."""
    p = sub.add_parser("vertraege", help="Stromverträge (marktbasiertes Scope 2) zeigen/melden")
    p.add_argument("--json", action="store_true")
    p.add_argument("--member", metavar="MITGLIED", help="nur dieses Mitglied")
    add_data_options(p)
    p.set_defaults(func=cmd_list)
    actions = p.add_subparsers(dest="action")
    s = actions.add_parser("import", help="Datei mit Stromverträgen prüfen und speichern")
    s.add_argument("file", metavar="DATEI")
    s.add_argument("--member", required=True, metavar="MITGLIED")
    add_data_options(s)
    s.set_defaults(func=cmd_import)
    s = actions.add_parser("vorlage", help="Vorlage (CSV für Excel) schreiben")
    s.add_argument("file", metavar="DATEI")
    add_data_options(s)  # accepted like every command (the template reads no data)
    s.set_defaults(func=cmd_template)
    s = actions.add_parser("zuruecknehmen", help="Verträge eines Jahres zurücknehmen")
    s.add_argument("--member", required=True, metavar="MITGLIED")
    s.add_argument("--year", required=True, type=int, metavar="JAHR")
    add_data_options(s)
    s.set_defaults(func=cmd_withdraw)
