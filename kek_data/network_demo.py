"""The demo year of the network work: working groups, meetings, actions, status entries.

Why: a new user must see a working Netzwerkarbeit page and deck slide at once. From
``data/demo_network_groups.csv``, ``demo_network_meetings.csv``, ``demo_network_actions.csv``
and ``demo_network_status.csv`` (Demodaten (fiktiv)), written with the same checks as every
entry (:mod:`kek_data.network_meetings`), flagged ``is_demo``, inside the transaction of
:func:`kek_data.demo.seed`. Groups come before the demo measures (a measure may name its group by
name), meetings after them (an action finds its measure by member and title; a missing measure
leaves the action unlinked).
"""

from __future__ import annotations

from datetime import date, datetime

import duckdb

from kek_data import db, reference
from kek_data import network as nw
from kek_data.network_meetings import create_group, create_meeting, set_status
from kek_data.viewer import Viewer

#: The demo generator as the writer of the demo year (``is_demo``; kek_data.demo).
DEMO_WRITER = Viewer(role="netzwerk", name="Demo-Generator", user="Demo-Generator")


def _split(cell: str) -> list[str]:
    return [x.strip() for x in cell.split("|") if x.strip()]


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 18, 0)


def seed_groups(con: duckdb.DuckDBPyConnection) -> None:
    """The demo working groups (``data/demo_network_groups.csv``), inside demo.seed's
    transaction."""
    for g in reference.read_table("demo_network_groups.csv"):
        create_group(con, DEMO_WRITER, g["name"], g["topic"], _split(g["members"]),
                     is_demo=True, at=datetime(2025, 11, 3, 9, 0), transaction=False)  # fmt: skip


def seed_meetings(con: duckdb.DuckDBPyConnection) -> None:
    """The demo year of meetings (``data/demo_network_meetings.csv``) with their actions
    (``demo_network_actions.csv``, measures found by member and title — missing ones are left
    unlinked) and status entries (``demo_network_status.csv``)."""
    groups = {g.name: g.group_id for g in nw.groups(con, DEMO_WRITER)}
    by_title = {(m.member_id, m.title): m.measure_id for m in nw.measures(con).values()}
    actions: dict[str, list[tuple[str, nw.ActionInput]]] = {}
    for a in reference.read_table("demo_network_actions.csv"):
        measure = by_title.get((a["measure_member"], a["measure_title"]))
        item = nw.ActionInput(
            a["text"], a["owner_member"] or None, a["owner_person"], a["due_on"], measure
        )
        actions.setdefault(a["meeting"], []).append((a["key"], item))
    keys: dict[str, int] = {}
    for m in reference.read_table("demo_network_meetings.csv"):
        day = date.fromisoformat(m["held_on"])
        mine = actions.get(m["key"], [])
        mid = create_meeting(
            con, DEMO_WRITER, day, m["kind"], m["title"], m["place"],
            groups[m["group"]] if m["group"] else None, _split(m["participants"]),
            _split(m["agenda"]), _split(m["decisions"]), [a for _, a in mine],
            is_demo=True, at=_at(day), transaction=False,
        )  # fmt: skip
        ids = [r[0] for r in db.query_rows(con, "network_action_ids", meeting_id=mid)]
        keys |= {k: int(i) for (k, _), i in zip(mine, ids, strict=True)}
    for s in reference.read_table("demo_network_status.csv"):
        day = date.fromisoformat(s["status_on"])
        set_status(
            con, DEMO_WRITER, keys[s["action"]], s["status"], day, s["comment"],
            s["new_due_on"] or None, is_demo=True, at=_at(day), transaction=False,
        )  # fmt: skip
