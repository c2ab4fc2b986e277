"""Writes of the network work (groups, meetings, decisions, actions, status) and its demo year.

Rules and reads: :mod:`kek_data.network` (the module doc says who may write what). Every write
checks the viewer from the server side, validates everything at once (German messages naming
the field, :class:`~kek_data.errors.NetworkErrors`) and writes in one transaction; the status of
an action is appended to its log, nothing is overwritten. ``transaction=False`` only inside an
open transaction (the demo year, :mod:`kek_data.network_demo`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import date, datetime

import duckdb

from kek_data import access, db
from kek_data import network as nw
from kek_data.errors import AccessDenied, NetworkError
from kek_data.numbers import format_date
from kek_data.viewer import Viewer


def _tx(con: duckdb.DuckDBPyConnection, transaction: bool):
    return db.transaction(con) if transaction else contextlib.nullcontext(con)


def create_group(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    name: str,
    topic: str = "",
    members: Sequence[str] = (),
    *,
    is_demo: bool = False,
    at: datetime | None = None,
    transaction: bool = True,
) -> int:
    """Add a working group with the members taking part; return its id."""
    access.check_manage(viewer, "Arbeitsgruppen anlegen")
    errors: list[NetworkError] = []
    name = nw._text(name, "name", errors, required=True)
    topic = nw._text(topic, "topic", errors, limit=nw.MAX_TEXT)
    chosen = nw._members(con, members, "members", errors)
    if name and any(g.name.casefold() == name.casefold() for g in nw.groups(con, viewer)):
        errors.append(nw._err("name", f"eine Arbeitsgruppe „{name}“ gibt es schon."))
    nw._raise(errors)
    with _tx(con, transaction):
        who = nw._who(viewer, is_demo, at)
        (gid,) = db.query_rows(con, "insert_working_group", name=name, topic=topic, **who)[0]
        for m in chosen:
            db.execute(con, "insert_working_group_member", group_id=gid, member_id=m)
    return int(gid)


def _check_results(con, held_on: date | None, decisions, actions, errors: list, today: date):
    """Decisions and actions validated; they need a meeting held on or before ``today``."""
    items = nw._items(decisions, "decisions", errors)
    checked: list[dict] = []
    if (items or actions) and held_on and held_on > today:
        errors.append(nw._err("decisions", f"Beschlüsse und Aufgaben erst ab dem Tag des Treffens "
                                           f"({format_date(held_on)}) eintragen."))  # fmt: skip
    known = nw.measures(con) if any(a.measure_id for a in actions) else {}
    for i, a in enumerate(actions, 1):
        pre = f"Aufgabe {i} – " if len(actions) > 1 else ""
        text = nw._text(a.text, "text", errors, required=True, limit=nw.MAX_TEXT, prefix=pre)
        owner = nw._members(con, [a.owner_member_id] if a.owner_member_id else [], "owner",
                            errors, pre)  # fmt: skip
        person = nw._text(a.owner_person, "owner", errors, prefix=pre)
        if not owner and not person and not a.owner_member_id:
            errors.append(nw._err("owner", "bitte ein Mitglied oder eine Person angeben.", pre))
        due = nw._date(a.due_on, "due_on", errors, pre)
        if due and held_on and due < held_on:
            errors.append(nw._err("due_on", f"{format_date(due)} liegt vor dem Treffen "
                                            f"({format_date(held_on)}).", pre))  # fmt: skip
        if a.measure_id is not None and int(a.measure_id) not in known:
            errors.append(nw._err("measure_id", f"Maßnahme {a.measure_id} gibt es nicht.", pre))
        measure = None if a.measure_id is None else int(a.measure_id)
        checked.append({"text": text, "owner_member_id": (owner or [None])[0],
                        "owner_person": person, "due_on": due, "measure_id": measure})  # fmt: skip
    return items, checked


def _write_results(con, meeting_id: int, items: list[str], checked: list[dict], who) -> list[int]:
    for text in items:
        db.execute(con, "insert_decision", meeting_id=meeting_id, text=text, **who)
    return [
        int(db.query_rows(con, "insert_action", meeting_id=meeting_id, **a, **who)[0][0])
        for a in checked
    ]


def create_meeting(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    held_on: date | str | None,
    kind: str,
    title: str,
    place: str = "",
    group_id: int | None = None,
    participants: Sequence[str] = (),
    agenda: Sequence[str] = (),
    decisions: Sequence[str] = (),
    actions: Sequence[nw.ActionInput] = (),
    *,
    is_demo: bool = False,
    at: datetime | None = None,
    transaction: bool = True,
    today: date | None = None,
) -> int:
    """Add a meeting or event (past or upcoming) with participants, agenda, decisions and
    actions; return its id."""
    access.check_manage(viewer, "Treffen eintragen")
    errors: list[NetworkError] = []
    day = nw._date(held_on, "held_on", errors)
    if kind not in nw.KINDS:
        errors.append(nw._err("kind", f"„{kind}“ geht nicht; bitte eine der Arten "
                                      f"{', '.join(nw.KINDS)}."))  # fmt: skip
    title = nw._text(title, "title", errors, required=True)
    place = nw._text(place, "place", errors)
    if group_id is not None and int(group_id) not in {g.group_id for g in nw.groups(con, viewer)}:
        errors.append(nw._err("group_id", f"Arbeitsgruppe {group_id} gibt es nicht."))
    elif group_id is None and kind == nw.AG_SITZUNG:
        errors.append(nw._err("group_id", "bei einer Arbeitsgruppensitzung bitte die Gruppe "
                                          "wählen."))  # fmt: skip
    chosen = nw._members(con, participants, "participants", errors)
    items = nw._items(agenda, "agenda", errors)
    results = _check_results(con, day, decisions, list(actions), errors, today or date.today())
    nw._raise(errors)
    with _tx(con, transaction):
        who = nw._who(viewer, is_demo, at)
        (mid,) = db.query_rows(con, "insert_meeting", held_on=day, kind=kind, title=title,
                               place=place, group_id=group_id, **who)[0]  # fmt: skip
        for m in chosen:
            db.execute(con, "insert_participant", meeting_id=mid, member_id=m)
        for text in items:
            db.execute(con, "insert_agenda_item", meeting_id=mid, text=text)
        _write_results(con, mid, *results, who)
    return int(mid)


def add_results(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    meeting_id: int,
    decisions: Sequence[str] = (),
    actions: Sequence[nw.ActionInput] = (),
    participants: Sequence[str] = (),
    *,
    today: date | None = None,
) -> list[int]:
    """Add decisions, actions and participants to a recorded meeting once it was held; return
    the ids of the new actions."""
    access.check_manage(viewer, "Beschlüsse und Aufgaben eintragen")
    errors: list[NetworkError] = []
    meeting = next((m for m in nw.meetings(con, viewer) if m.meeting_id == meeting_id), None)
    if meeting is None:
        nw._raise([nw._err("meeting_id", f"Treffen {meeting_id} gibt es nicht.")])
    chosen = nw._members(con, participants, "participants", errors)
    results = _check_results(con, meeting.held_on, decisions, list(actions), errors,
                             today or date.today())  # fmt: skip
    if not (results[0] or results[1] or chosen or errors):
        errors.append(nw._err("decisions", "bitte mindestens einen Beschluss, eine Aufgabe oder "
                                           "Teilnehmende angeben."))  # fmt: skip
    nw._raise(errors)
    with db.transaction(con):
        for m in chosen:
            db.execute(con, "insert_participant", meeting_id=meeting_id, member_id=m)
        return _write_results(con, meeting_id, *results, nw._who(viewer, False, None))


def set_status(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    action_id: int,
    status: str,
    status_on: date | str | None = None,
    comment: str = "",
    new_due_on: date | str | None = None,
    *,
    is_demo: bool = False,
    at: datetime | None = None,
    transaction: bool = True,
    today: date | None = None,
) -> None:
    """Append a status (offen · erledigt · verschoben with ``new_due_on``) of action
    ``action_id`` as of ``status_on`` (default today). Network management: any action and
    status; a member: only „erledigt“ for its own actions, with a comment."""
    found = db.query_rows(con, "action_owner", action_id=action_id)
    if not found:
        nw._raise([nw._err("action_id", f"Aufgabe {action_id} gibt es nicht.")])
    owner, held_on = found[0]
    if not viewer.manages:
        if viewer.role != "mitglied" or owner != viewer.member_id:
            raise AccessDenied(
                "Aufgaben ändert das Netzwerkmanagement; ein Mitglied meldet nur seine eigenen "
                "Aufgaben als erledigt. Nichts wurde geschrieben."
            )
        if status != nw.DONE:
            raise AccessDenied("Als Mitglied können Sie eine eigene Aufgabe nur als erledigt "
                               "melden. Nichts wurde geschrieben.")  # fmt: skip
    errors: list[NetworkError] = []
    now = today or date.today()
    if status not in nw.STATUSES:
        errors.append(nw._err("status", f"„{status}“ geht nicht; bitte {', '.join(nw.STATUSES)}."))
    day = nw._date(status_on or now, "status_on", errors)
    if day and not held_on <= day <= now:
        errors.append(nw._err("status_on", f"{format_date(day)} liegt nicht zwischen dem Treffen "
                                           f"({format_date(held_on)}) und heute."))  # fmt: skip
    comment = nw._text(comment, "comment", errors, limit=nw.MAX_TEXT,
                       required=status == "verschoben" or not viewer.manages)  # fmt: skip
    due = None
    if status == "verschoben":
        due = nw._date(new_due_on, "new_due_on", errors)
        if due and day and due < day:
            errors.append(nw._err("new_due_on", f"{format_date(due)} liegt vor dem Stand vom "
                                                f"{format_date(day)}."))  # fmt: skip
    nw._raise(errors)
    who = nw._who(viewer, is_demo, at)
    with _tx(con, transaction):
        db.execute(con, "insert_action_status", action_id=action_id, status=status, status_on=day,
                   new_due_on=due, comment=comment, entered_by=who["created_by"],
                   entered_at=who["created_at"], is_demo=who["is_demo"])  # fmt: skip
