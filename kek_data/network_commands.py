"""Command line of the network work: ``netzwerk [--json]`` lists meetings and open actions.

``python -m kek_data netzwerk [--json] [--as ROLLE] [--db PFAD]``: the meetings (upcoming
first, next first; then the past ones, newest first) with kind, title, participants and
decisions, and the open actions with age, owner, due date (overdue marked) and measure. The
network work is network-internal: ``--as oeffentlich`` is refused (exit 1). Rules and reads:
:mod:`kek_data.network`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from dataclasses import asdict
from datetime import date

from kek_data import db, network
from kek_data.cli import add_data_options, viewer_of
from kek_data.numbers import format_count, format_date


def _listing(con, viewer, today: date) -> dict[str, list[dict]]:
    """Meetings and open actions as the viewer may see them: ids, names and persons of members
    not named to the viewer (``network.naming``) are left out („weiteres Mitglied“)."""
    naming, measures = network.naming(con, viewer), network.measures(con)
    meetings = network.meetings(con, viewer)
    ahead = [m for m in meetings if m.held_on >= today]
    past = [m for m in reversed(meetings) if m.held_on < today]
    acts = sorted((a for a in network.actions(con, viewer, today) if a.is_open),
                  key=lambda a: (not a.overdue(today), a.held_on, a.action_id))  # fmt: skip
    return {
        "meetings": [
            asdict(m)
            | {
                "participants": [p for p in m.participants if naming.named(p)],
                "participants_text": naming.members(m.participants),
                "participant_count": len(m.participants),
                "upcoming": m.held_on >= today,
            }
            for m in ahead + past
        ],
        "open_actions": [
            asdict(a)
            | {
                "age_days": a.age_days(today),
                "overdue": a.overdue(today),
                "owner_member_id": a.owner_member_id if naming.named(a.owner_member_id) else None,
                "owner_person": naming.person(a),
                "owner": network.owner_text(a, naming),
                "measure": network.measure_text(measures.get(a.measure_id), viewer, naming),
            }  # fmt: skip
            for a in acts
        ],
    }


def cmd_list(args: argparse.Namespace) -> int:
    """Meetings and open actions of the network (JSON with --json)."""
    with contextlib.closing(db.connect(args.db, create=False)) as con:
        data = _listing(con, viewer_of(args, con), date.today())
    if args.json:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=1, sort_keys=True, default=str)
        print()
        return 0
    print("Treffen (kommende, dann vergangene):")
    for m in data["meetings"]:
        facts = (f"{m['participant_count']} Teilnehmende, "
                 f"{format_count(len(m['decisions']), 'Beschluss', 'Beschlüsse')}")  # fmt: skip
        print(f"  {format_date(m['held_on'])} · {m['kind']} · {m['title']} ({facts})")
    print(f"Offene Aufgaben: {len(data['open_actions'])}")
    for a in data["open_actions"]:
        due = format_date(a["due_on"]) + (" – überfällig" if a["overdue"] else "")
        extra = f" · Maßnahme: {a['measure']}" if a["measure"] else ""
        print(f"  {a['text']} · {a['owner']} · {network.age_text(a['age_days'])} · fällig "
              f"{due}{extra}")  # fmt: skip
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``netzwerk`` to the command line."""
    p = sub.add_parser("netzwerk", help="Treffen und offene Aufgaben des Netzwerks")
    p.add_argument("--json", action="store_true", help="als JSON")
    add_data_options(p)
    p.set_defaults(func=cmd_list)
