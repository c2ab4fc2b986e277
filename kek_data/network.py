"""Network work (Netzwerkarbeit): working groups, meetings and events, agenda, decisions, actions.

Why: the network management turns targets into action in meetings; decisions and agreed actions
must live in one place, with owner, due date and the measure they serve, instead of in minutes
scattered over e-mail. Tables: migration 007 (append-only where they hold history: an action's
status is a log, never overwritten; view ``current_actions``).

Rules (each written once, here):

- **Who sees:** network management, city and every member see the working groups, meetings,
  decisions and actions. All of it is network-internal: the public sees none of it
  (:func:`check_read`). Members are named only through :func:`naming` (the consent rule of
  :func:`access.visibility`): a member viewer sees its own name and the ``namentlich`` members;
  every other member is „weiteres Mitglied“ — never the pseudonym „Mitglied A“, which next to an
  action text would tie the figures shown under it to a real organisation — and the person
  owning such a member's action is „Ansprechperson eines weiteren Mitglieds“. Group names,
  meeting titles, agenda, decision and action texts are written by the network management for
  all members (they must not name a member's figures). A linked measure's title is shown to a
  member only for its own measures or measures marked public (``current_measures.visibility``),
  else „Maßnahme von DSW21“ / „Maßnahme eines weiteren Mitglieds“.
- **Who writes:** the network management only (groups, meetings, decisions, actions, any status);
  a member may mark its *own* actions (owner member = viewer's member) done, with a comment.
- **Validation:** every problem at once, German and naming the field (:class:`NetworkError`);
  nothing is written unless all is right, in one transaction. Decisions and actions belong to
  meetings already held (on or before today); an Arbeitsgruppensitzung names its group.
- **Open, age, overdue:** an action is open while its status is „offen“ or „verschoben“; its age
  counts from the day of the meeting that agreed it [d]; it is overdue when open after its due
  date (after a postponement: the new due date).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

import duckdb
import pandas as pd

from kek_data import access, db
from kek_data.errors import AccessDenied, NetworkError, NetworkErrors
from kek_data.numbers import format_date
from kek_data.viewer import DEMO_USER, Viewer

NETZWERKTREFFEN = "Netzwerktreffen"
AG_SITZUNG = "Arbeitsgruppensitzung"
#: The kinds of meetings and events, in the order the forms offer them.
KINDS = (NETZWERKTREFFEN, AG_SITZUNG, "öffentliche Veranstaltung")
#: The statuses of an action; OPEN ones count as open tasks.
STATUSES = ("offen", "erledigt", "verschoben")
OPEN = ("offen", "verschoben")
DONE = "erledigt"
#: Longest text of a title, place, name or person [characters]; of an item or action text.
MAX_SHORT, MAX_TEXT = 200, 1000
#: Meetings may be entered from this year on and up to so many years ahead [a].
FIRST_YEAR, YEARS_AHEAD = 2000, 3
LABELS = {
    "held_on": "Datum", "kind": "Art", "title": "Titel", "place": "Ort",
    "group_id": "Arbeitsgruppe", "participants": "Teilnehmende", "agenda": "Tagesordnung",
    "decisions": "Beschlüsse", "name": "Name", "topic": "Thema", "members": "Mitglieder",
    "meeting_id": "Treffen", "text": "Aufgabe", "owner": "Verantwortlich",
    "due_on": "fällig am", "measure_id": "Maßnahme", "action_id": "Aufgabe", "status": "Status",
    "status_on": "Stand vom", "new_due_on": "neu fällig am", "comment": "Kommentar",
}  # fmt: skip


@dataclass(frozen=True)
class Group:
    """A working group (Arbeitsgruppe) with the members taking part (ids, network's order)."""

    group_id: int
    name: str
    topic: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class Meeting:
    """A meeting or event with participants (member ids), agenda items and decisions in order."""

    meeting_id: int
    held_on: date
    kind: str
    title: str
    place: str
    group_id: int | None
    group_name: str
    participants: tuple[str, ...]
    agenda: tuple[str, ...]
    decisions: tuple[str, ...]


@dataclass(frozen=True)
class ActionInput:
    """An action to agree: text, owner (a member and/or a person), due date, optional measure."""

    text: str
    owner_member_id: str | None = None
    owner_person: str = ""
    due_on: date | str | None = None
    measure_id: int | None = None


@dataclass(frozen=True)
class Action:
    """An agreed action with its status as of a day (see :func:`actions`)."""

    action_id: int
    meeting_id: int
    held_on: date  # the day of the meeting that agreed it
    kind: str
    meeting_title: str
    text: str
    owner_member_id: str | None
    owner_person: str
    due_on: date  # after the newest postponement
    measure_id: int | None
    status: str
    status_on: date
    comment: str

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    def age_days(self, today: date) -> int:
        """Days since the meeting that agreed the action [d]."""
        return (today - self.held_on).days

    def overdue(self, today: date) -> bool:
        """Open after its due date."""
        return self.is_open and self.due_on < today


@dataclass(frozen=True)
class Measure:
    """A measure as the network work shows it (``current_measures``, migration 008)."""

    measure_id: int
    member_id: str
    title: str
    status: str
    group_id: int | None
    public: bool


# --- wording (one place for the page, the deck and the command line) ----------------------------


def age_text(days: int) -> str:
    """„seit heute“, „seit 1 Tag“, „seit 47 Tagen“; from 8 weeks on in weeks („seit 9 Wochen“)."""
    if days <= 0:
        return "seit heute"
    if days < 56:
        return f"seit {days} Tag" + ("" if days == 1 else "en")
    return f"seit {days // 7} Wochen"


OTHER, OTHERS = "weiteres Mitglied", "weitere Mitglieder"
OTHER_PERSON = "Ansprechperson eines weiteren Mitglieds"


@dataclass(frozen=True)
class Naming:
    """How one viewer sees the members in the network work (see :func:`naming`).

    ``names``: member id → short name of the members the viewer sees by name (all of them for
    network management and city); every other member is :data:`OTHER`.
    """

    names: dict[str, str]

    def named(self, member_id: str | None) -> bool:
        """Whether the viewer sees ``member_id`` by name."""
        return (member_id or "") in self.names

    def member(self, member_id: str | None) -> str:
        """„DSW21“ or „weiteres Mitglied“ ("" without a member)."""
        if not member_id:
            return ""
        return self.names.get(member_id, OTHER)

    def members(self, member_ids: tuple[str, ...] | list[str]) -> str:
        """„DSW21, DEW21 und 3 weitere Mitglieder“ (named ones in the given order)."""
        shown = [self.names[m] for m in member_ids if m in self.names]
        rest = len(member_ids) - len(shown)
        if rest:
            shown.append(f"{rest} {OTHERS}" if rest > 1 else f"1 {OTHER}")
        return shown[0] if len(shown) == 1 else (
            f"{', '.join(shown[:-1])} und {shown[-1]}" if shown else "")  # fmt: skip

    def person(self, action: Action) -> str:
        """The owner person, or :data:`OTHER_PERSON` on an action of an unnamed member."""
        if (
            action.owner_person
            and action.owner_member_id
            and not self.named(action.owner_member_id)
        ):
            return OTHER_PERSON
        return action.owner_person


def naming(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> Naming:
    """The :class:`Naming` of ``viewer``: the members :func:`access.visibility` shows under
    their own id (not a pseudonym) are named; the public names none (it sees no network work)."""
    if not viewer.sees_member_data:
        return Naming({})
    vis = access.visibility(con, viewer)
    return Naming({m: n for m, n in member_names(con).items() if vis.shown.get(m) == m})


def owner_text(action: Action, naming: Naming) -> str:
    """„DSW21 (Frau Kaya)“, „DSW21“, „Frau Kaya“ or „weiteres Mitglied (Ansprechperson eines
    weiteren Mitglieds)“, as ``naming`` lets the viewer see them."""
    member, person = naming.member(action.owner_member_id), naming.person(action)
    if member and person:
        return f"{member} ({person})"
    return member or person or "–"


def due_text(action: Action, today: date) -> str:
    """„15.01.2027“, with „überfällig“ when open after the due date."""
    shown = format_date(action.due_on)
    return f"{shown} – überfällig" if action.overdue(today) else shown


def measure_text(measure: Measure | None, viewer: Viewer, naming: Naming) -> str:
    """The linked measure as the viewer may see it (see module doc); "" without one. A public
    measure of a member not named to the viewer keeps its title but not its owner."""
    if measure is None:
        return ""
    named = naming.named(measure.member_id)
    if viewer.sees_all_members or measure.public or measure.member_id == viewer.member_id:
        return f"{measure.title} ({naming.member(measure.member_id)})" if named else measure.title
    return f"Maßnahme von {naming.member(measure.member_id)}" if named else (
        "Maßnahme eines weiteren Mitglieds")  # fmt: skip


# --- validation ----------------------------------------------------------------------------------


def _err(field: str, message: str, prefix: str = "") -> NetworkError:
    return NetworkError(field, message, f"{prefix}{LABELS[field]}")


def _raise(errors: list[NetworkError]) -> None:
    if errors:
        raise NetworkErrors(errors)


def _date(value: object, field: str, errors: list, prefix: str = "") -> date | None:
    """A date from a ``date`` or text „TT.MM.JJJJ“ / „JJJJ-MM-TT“, within FIRST_YEAR … +3 years."""
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        text = str(value or "").strip()
        m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
        try:
            value = date(int(m[3]), int(m[2]), int(m[1])) if m else date.fromisoformat(text)
        except ValueError:
            msg = f"„{text}“ ist kein gültiges Datum (z. B. 15.01.2027)." if text else (
                "bitte angeben (z. B. 15.01.2027).")  # fmt: skip
            errors.append(_err(field, msg, prefix))
            return None
    last = date.today().year + YEARS_AHEAD
    if not FIRST_YEAR <= value.year <= last:
        errors.append(_err(field, f"{format_date(value)} liegt nicht zwischen {FIRST_YEAR} und "
                                  f"{last}.", prefix))  # fmt: skip
        return None
    return value


def _text(value: object, field: str, errors: list, required: bool = False, limit: int = MAX_SHORT,
          prefix: str = "") -> str:  # fmt: skip
    text = str(value or "").strip()
    if required and not text:
        errors.append(_err(field, "bitte angeben.", prefix))
    elif len(text) > limit:
        errors.append(_err(field, f"höchstens {limit} Zeichen (jetzt {len(text)}).", prefix))
    return text


def _items(values: list[str] | tuple[str, ...] | None, field: str, errors: list) -> list[str]:
    """Non-empty stripped lines of ``values``, each at most MAX_TEXT characters."""
    items = [str(v).strip() for v in values or () if str(v or "").strip()]
    for i, item in enumerate(items, 1):
        if len(item) > MAX_TEXT:
            errors.append(_err(field, f"Punkt {i} hat mehr als {MAX_TEXT} Zeichen."))
    return items


def _members(con, values, field: str, errors: list, prefix: str = "") -> list[str]:
    """The member ids of ``values`` (each a known member, no doubles)."""
    known = access.member_ids(con)
    chosen = list(dict.fromkeys(str(v).strip() for v in values or () if str(v or "").strip()))
    unknown = [m for m in chosen if m not in known]
    if unknown:
        errors.append(_err(field, f"{', '.join(unknown)} ist kein Mitglied des Netzwerks "
                                  f"(bekannt: {', '.join(known)}).", prefix))  # fmt: skip
    return [m for m in known if m in chosen]


def _who(viewer: Viewer, is_demo: bool, at: datetime | None) -> dict[str, object]:
    return {
        "created_by": viewer.user or viewer.label,
        "created_at": at or datetime.now().replace(microsecond=0),
        "is_demo": is_demo or viewer.user.startswith(DEMO_USER),
    }


# --- reads ---------------------------------------------------------------------------------------


def check_read(viewer: Viewer) -> None:
    """:class:`AccessDenied` for the public: the network work is network-internal."""
    if not viewer.sees_member_data:
        raise AccessDenied("Treffen, Beschlüsse und Aufgaben des Netzwerks sind intern; bitte "
                           "anmelden.")  # fmt: skip


def member_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """member id → short name of every member (the network's order)."""
    df = db.query_df(con, "members", all_members=True, member_id="")
    return dict(zip(df["member_id"], df["short_name"], strict=True))


def groups(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> list[Group]:
    """Every working group with its members, by name."""
    check_read(viewer)
    return [
        Group(int(g), n, t, tuple(m or ())) for g, n, t, m in db.query_rows(con, "network_groups")
    ]


def meetings(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> list[Meeting]:
    """Every meeting and event, oldest first (upcoming ones included)."""
    check_read(viewer)
    return [
        Meeting(int(r[0]), r[1], r[2], r[3], r[4], r[5], r[6], *(tuple(x) for x in r[7:]))
        for r in db.query_rows(con, "network_meetings")
    ]


def actions(
    con: duckdb.DuckDBPyConnection, viewer: Viewer, as_of: date | None = None
) -> list[Action]:
    """Every action agreed on or before ``as_of`` (default today) with its status on that day,
    oldest meeting first."""
    check_read(viewer)
    rows = db.query_rows(con, "actions_as_of", as_of=as_of or date.today())
    return [Action(int(r[0]), int(r[1]), *r[2:]) for r in rows]


def action_log(con: duckdb.DuckDBPyConnection, viewer: Viewer, action_id: int) -> list[tuple]:
    """Every status entry of an action, oldest first: (entry, status, date, new due, comment,
    by, at)."""
    check_read(viewer)
    return db.query_rows(con, "action_log", action_id=action_id)


def measures(con: duckdb.DuckDBPyConnection) -> dict[int, Measure]:
    """measure id → :class:`Measure` in force; empty while the measures (migration 008) are
    missing. Shown only through :func:`measure_text` (the viewer's rule)."""
    if not db.query_rows(con, "network_has_relation", name="current_measures")[0][0]:
        return {}
    df = db.query_df(con, "network_measures")
    public = df["visibility"] if "visibility" in df else [""] * len(df)
    group = df["group_id"] if "group_id" in df else [None] * len(df)
    return {
        int(r.measure_id): Measure(int(r.measure_id), str(r.member_id), str(r.title),
                                   str(getattr(r, "status", "")),
                                   None if pd.isna(g) else int(g), p == "öffentlich")
        for r, p, g in zip(df.itertuples(), public, group, strict=True)
    }  # fmt: skip


@dataclass(frozen=True)
class DeckActions:
    """The deck slide „Offene Aufgaben seit dem letzten Treffen“ for a meeting on ``meeting``.

    ``previous`` is the last Netzwerktreffen before that day (None: none recorded). ``open``: every
    action agreed at any meeting before that day and open on it (a working group's tasks count,
    the network follows them up), overdue ones first, then the oldest; ``done``: what was marked
    done after ``previous`` and up to that day (everything done, without a previous meeting).
    Status and due dates are those of that day, so a deck for a past meeting shows its state.
    Actions of the meeting day itself are its results, not its agenda: they are left out.
    """

    meeting: date
    previous: Meeting | None
    open: list[Action]
    done: list[Action]


def deck_actions(
    con: duckdb.DuckDBPyConnection, viewer: Viewer, meeting: date
) -> DeckActions | None:
    """The open and recently done actions for the deck of ``meeting`` (None for the public)."""
    if not viewer.sees_member_data:
        return None
    before = [m for m in meetings(con, viewer) if m.held_on < meeting]
    previous = next((m for m in reversed(before) if m.kind == NETZWERKTREFFEN), None)
    agreed = [a for a in actions(con, viewer, meeting) if a.held_on < meeting]
    still = sorted((a for a in agreed if a.is_open),
                   key=lambda a: (not a.overdue(meeting), a.held_on, a.action_id))  # fmt: skip
    since = previous.held_on if previous else date.min
    done = [a for a in agreed if a.status == DONE and a.status_on > since]
    return DeckActions(meeting, previous, still, done)
