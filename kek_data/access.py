"""Access: which member a viewer sees under which name, who may write, and when a total is shown.

Why: authorisation is decided here, server-side, for every query, export and write; pages only
hide what this module already withholds. Rules (each written once):

- **Publication consent** per member (:data:`LEVELS`), set by network management with the
  member's agreement and kept with date and who set it (append-only ``member_consent``):
  ``namentlich`` — figures with the name, to other members and the public; ``gesamt`` (nur im
  Gesamtwert) — counted in totals, shown to other members as "Mitglied A" (id ``mitglied-a``),
  not to the public; ``intern`` — only network management and city see it; it still counts in
  totals. A member without a decision is ``intern``.
- **Visibility** (:func:`visibility`): network management and city see every member by name; a
  member sees itself, the ``namentlich`` members by name and the ``gesamt`` members under a
  pseudonym; the public sees the ``namentlich`` members. Files, submissions and history are
  only ever the viewer's own (or all for network and city): see :meth:`Viewer.params`.
- **Totals** (:func:`total_shown`): a total shown to a member or the public needs at least
  :data:`MIN_CONTRIBUTORS` contributing members, and the members of the total that the viewer
  does not see on their own must not be exactly one — else that one follows by subtraction.
- **Writes** (:func:`check_write`, :func:`check_manage`): see :class:`Viewer`.

Pseudonym letters follow a keyed hash of the member id (salt in ``meta``), not the public member
list, so "Mitglied A" does not tell its place in that list.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from string import ascii_uppercase
from typing import TYPE_CHECKING

import duckdb

from kek_data import named_sql as db
from kek_data.errors import AccessDenied, UnknownMember, UsageError
from kek_data.viewer import Viewer

if TYPE_CHECKING:  # annotations only: an import from the command line loads no pandas
    import pandas as pd

#: Consent levels and their German names.
LEVELS: dict[str, str] = {
    "namentlich": "namentlich",
    "gesamt": "nur im Gesamtwert",
    "intern": "intern",
}
#: The level of a member without a recorded decision.
DEFAULT_LEVEL = "intern"
#: A total shown to a member or the public needs at least this many contributing members.
MIN_CONTRIBUTORS = 3
#: What a withheld total says instead of a number.
WITHHELD = "nicht ausgewiesen (weniger als 3 Mitglieder)"


@dataclass(frozen=True)
class Consent:
    """A member's current publication consent."""

    member_id: str
    level: str
    set_at: datetime | None
    set_by: str
    note: str

    @property
    def label(self) -> str:
        """German name of the level, e.g. "nur im Gesamtwert"."""
        return LEVELS[self.level]


def consents(con: duckdb.DuckDBPyConnection) -> dict[str, Consent]:
    """member_id → current consent, for every member (default :data:`DEFAULT_LEVEL`)."""
    return {
        str(r[0]): Consent(str(r[0]), str(r[1]), r[2], str(r[3]), str(r[4]))
        for r in db.query_rows(con, "consent_current")
    }


def consent_history(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> pd.DataFrame:
    """Every consent decision, newest first (member_id, level, set_at, set_by, note).

    Network and city see all; a member its own; the public nothing.
    """
    if not viewer.sees_member_data:
        raise AccessDenied("Die Freigaben sind nur nach der Anmeldung sichtbar.")
    return db.query_df(con, "consent_history", **viewer.params())


def parse_level(text: str) -> str:
    """The level key of ``text`` (``namentlich``, ``gesamt``/``nur im Gesamtwert``, ``intern``)."""
    key = text.strip().lower()
    key = {"nur im gesamtwert": "gesamt", "gesamtwert": "gesamt"}.get(key, key)
    if key not in LEVELS:
        raise UsageError(
            f"Unbekannte Freigabe „{text}“. Erlaubt: namentlich, gesamt (nur im Gesamtwert), "
            "intern."
        )
    return key


def set_consent(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    member_id: str,
    level: str,
    note: str = "",
    *,
    at: datetime | None = None,
    is_demo: bool = False,
) -> Consent:
    """Record ``member_id``'s consent ``level`` as set by ``viewer`` (network management only)."""
    check_manage(viewer, "die Veröffentlichungsfreigabe ändern")
    check_member(con, member_id)
    key = parse_level(level)
    when = at or datetime.now().replace(microsecond=0)
    who = viewer.user or viewer.label
    db.execute(
        con, "insert_consent", member_id=member_id, level=key, set_at=when, set_by=who,
        note=note.strip(), is_demo=is_demo,
    )  # fmt: skip
    return Consent(member_id, key, when, who, note.strip())


def member_ids(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every member id of the network, in the network's order."""
    return [str(r[0]) for r in db.query_rows(con, "all_member_ids")]


def check_member(con: duckdb.DuckDBPyConnection, member_id: str) -> None:
    """:class:`UnknownMember` unless ``member_id`` is a member of the network."""
    known = member_ids(con)
    if member_id not in known:
        raise UnknownMember(f"Unbekanntes Mitglied „{member_id}“. Bekannt: {', '.join(known)}.")


def check_viewer(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> None:
    """A member viewer's organisation must exist (``--as mitglied:xyz`` with a typo)."""
    if viewer.role == "mitglied":
        check_member(con, str(viewer.member_id))


def check_write(viewer: Viewer, member_id: str) -> None:
    """:class:`AccessDenied` unless ``viewer`` may upload or roll back for ``member_id``."""
    if viewer.writes_for(member_id):
        return
    if viewer.role == "mitglied":
        raise AccessDenied(
            f"Als Mitglied „{viewer.member_id}“ dürfen Sie nur Daten Ihrer eigenen Organisation "
            f"hochladen oder zurücknehmen, nicht für „{member_id}“. Nichts wurde geschrieben."
        )
    if viewer.role == "stadt":
        raise AccessDenied(
            "Die Rolle Stadt darf Daten ansehen und exportieren, aber nichts hochladen oder "
            "zurücknehmen. Nichts wurde geschrieben."
        )
    raise AccessDenied("Zum Hochladen bitte anmelden. Nichts wurde geschrieben.")


def check_files(viewer: Viewer, member_id: str) -> None:
    """:class:`AccessDenied` unless ``viewer`` may read ``member_id``'s submissions, raw files
    and consent history: network and city all, a member its own only, the public none (the row
    filter of :meth:`Viewer.params` in Python)."""
    if viewer.sees_all_members or (viewer.role == "mitglied" and member_id == viewer.member_id):
        return
    if viewer.role == "mitglied":
        raise AccessDenied(
            "Meldungen, Originaldateien und Freigaben anderer Mitglieder sind nicht einsehbar; "
            "Sie sehen nur die Ihrer eigenen Organisation."
        )
    raise AccessDenied(
        "Meldungen, Originaldateien und Freigaben sind nur nach der Anmeldung einsehbar."
    )


def check_manage(viewer: Viewer, action: str = "diese Einstellung ändern") -> None:
    """:class:`AccessDenied` unless ``viewer`` is network management."""
    if not viewer.manages:
        raise AccessDenied(
            f"Nur das Netzwerkmanagement darf {action} (angemeldet als {viewer.role_label}). "
            "Nichts wurde geschrieben."
        )


def pseudonym(index: int) -> tuple[str, str]:
    """(id, name) of the ``index``-th pseudonym: ("mitglied-a", "Mitglied A"), … "Mitglied AA"."""
    letters = ""
    n = index
    while True:
        letters = ascii_uppercase[n % 26] + letters
        n = n // 26 - 1
        if n < 0:
            break
    return f"mitglied-{letters.lower()}", f"Mitglied {letters}"


@dataclass(frozen=True)
class Visibility:
    """What one viewer sees of the members.

    ``shown`` maps a visible member's real id to the id the viewer sees (itself, or a pseudonym
    ``mitglied-a``); ``names`` holds (name, short_name, sector) under that id. Members missing
    from ``shown`` are withheld from the viewer (they still count in totals).
    """

    viewer: Viewer
    shown: Mapping[str, str]
    names: Mapping[str, tuple[str, str, str]]
    order: Mapping[str, int]  # shown id → sort order (pseudonyms after the named members)

    @property
    def everything(self) -> bool:
        """True when the viewer sees every member by name (network management, city)."""
        return self.viewer.sees_all_members

    def frame(self, df: pd.DataFrame) -> pd.DataFrame:
        """``df`` (with a ``member_id`` column) reduced to visible members, ids as shown; name
        columns (``name``, ``short_name``, ``sector``, ``mitglied``) and ``sort_order`` follow.
        Rows come in the viewer's member order (pseudonyms last, stable within a member), so a
        pseudonym's rows never stand at its member's place in the public member list."""
        if self.everything or df.empty and "member_id" not in df:
            return df.reset_index(drop=True)
        out = df[df["member_id"].isin(list(self.shown))].copy()
        out["member_id"] = out["member_id"].map(self.shown)
        for col, pos in (("name", 0), ("short_name", 1), ("sector", 2), ("mitglied", 1)):
            if col in out:
                out[col] = out["member_id"].map(lambda m, p=pos: self.names[m][p])
        if "sort_order" in out:
            out["sort_order"] = out["member_id"].map(self.order)
        rank = out["member_id"].map(self.order)
        out = out.iloc[rank.to_numpy().argsort(kind="stable")]
        return out.reset_index(drop=True)

    def sees(self, member_id: str) -> bool:
        """Whether the real member ``member_id`` is visible (by name or pseudonym)."""
        return member_id in self.shown


def visibility(
    con: duckdb.DuckDBPyConnection, viewer: Viewer, members: pd.DataFrame | None = None
) -> Visibility:
    """The :class:`Visibility` of ``viewer`` under the current consents (see module doc)."""
    frame = members if members is not None else db.query_df(
        con, "members", all_members=True, member_id=""
    )  # fmt: skip
    rows = {
        str(r.member_id): (str(r.name), str(r.short_name), str(r.sector), int(r.sort_order))
        for r in frame.itertuples()
    }
    if viewer.sees_all_members:
        return Visibility(
            viewer,
            {m: m for m in rows},
            {m: v[:3] for m, v in rows.items()},
            {m: v[3] for m, v in rows.items()},
        )
    levels = {m: c.level for m, c in consents(con).items()}
    shown: dict[str, str] = {}
    names: dict[str, tuple[str, str, str]] = {}
    order: dict[str, int] = {}
    for m, (name, short, sector, sort) in rows.items():
        level = levels.get(m, DEFAULT_LEVEL)
        if m == viewer.member_id or level == "namentlich":
            shown[m], names[m], order[m] = m, (name, short, sector), sort
    if viewer.sees_member_data:
        (salt,) = db.query_rows(con, "pseudonym_salt")[0]
        hidden = [m for m in rows if levels.get(m, DEFAULT_LEVEL) == "gesamt" and m not in shown]
        hidden.sort(key=lambda m: hashlib.sha256(f"{salt}:{m}".encode()).hexdigest())
        start = max(order.values(), default=0) + 1
        for i, m in enumerate(hidden):
            alias, label = pseudonym(i)
            shown[m], names[alias], order[alias] = alias, (label, label, "–"), start + i
    return Visibility(viewer, shown, names, order)


def total_shown(vis: Visibility, contributors: Iterable[str]) -> bool:
    """Whether a total over ``contributors`` (real member ids) may be shown to the viewer.

    Always for network management and city; else at least :data:`MIN_CONTRIBUTORS`
    contributors, and not exactly one of them withheld from the viewer (subtraction).
    """
    members: Collection[str] = set(contributors)
    if vis.everything:
        return True
    if len(members) < MIN_CONTRIBUTORS:
        return False
    withheld = [m for m in members if not vis.sees(m)]
    return len(withheld) != 1
