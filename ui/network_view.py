"""View helpers of the page Netzwerkarbeit: tables and meeting texts from ``kek_data.network``.

Every user-supplied text that goes through Markdown (expander labels, agenda, decisions) is
escaped with :func:`ui.text.plain`; table cells are plain text already.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pandas as pd
import streamlit as st

from kek_data import network
from kek_data.errors import FieldErrors, KekError
from kek_data.network import Action, Meeting
from kek_data.numbers import format_count, format_date
from kek_data.viewer import Viewer
from ui import data
from ui.text import plain

#: Columns of the action editor of the results form (German headers).
EDITOR_COLUMNS = ["Aufgabe", "Mitglied", "Person", "fällig am", "Maßnahme"]
EDITOR_HELP = (
    "Vereinbarte Aufgaben, eine je Zeile: verantwortlich ein Mitglied und/oder eine "
    "Person, fällig am (nicht vor dem Treffen), optional die Maßnahme, der sie dient."
)


def save(write: Callable, said: str) -> None:
    """Run ``write(cursor)``, drop the caches and say ``said``; or show every problem (nothing
    was written)."""
    try:
        with data.cursor() as cur:
            write(cur)
    except FieldErrors as exc:
        st.error("Nicht gespeichert:  \n" + "  \n".join(plain(e) for e in exc.errors))
    except KekError as exc:
        st.error(f"Nicht gespeichert: {plain(exc)}")
    else:
        data.data_changed()
        st.success(plain(said), icon=":material/check:")


def sort_open(actions: list[Action], today: date) -> list[Action]:
    """Open actions, overdue first, then the oldest."""
    return sorted((a for a in actions if a.is_open),
                  key=lambda a: (not a.overdue(today), a.held_on, a.action_id))  # fmt: skip


def action_rows(actions: list[Action], work: dict, viewer: Viewer, today: date) -> pd.DataFrame:
    """The open actions as a table: age, owner, due date (overdue marked), linked measure."""
    naming, measures = work["naming"], work["measures"]
    return pd.DataFrame(
        [{"Aufgabe": a.text, "Verantwortlich": network.owner_text(a, naming),
          "offen": network.age_text(a.age_days(today)),
          "fällig": network.due_text(a, today),
          "Status": a.status + (f" ({a.comment})" if a.comment and a.status != "offen" else ""),
          "vereinbart": f"{format_date(a.held_on)} · {a.meeting_title}",
          "Maßnahme": network.measure_text(measures.get(a.measure_id), viewer, naming) or "–"}
         for a in actions],
        columns=["Aufgabe", "Verantwortlich", "offen", "fällig", "Maßnahme", "Status",
                 "vereinbart"],
    )  # fmt: skip


#: Column widths of the actions table [px]: the five that matter first fit the page's width at
#: 1440 px (about 850 px of table); longer texts are cut with "…" (full text on hover), status
#: and meeting follow by scrolling sideways.
ACTION_COLUMNS = {
    "Aufgabe": st.column_config.TextColumn("Aufgabe", width=280),
    "Verantwortlich": st.column_config.TextColumn("Verantwortlich", width=160),
    "offen": st.column_config.TextColumn("offen", width=95),
    "fällig": st.column_config.TextColumn("fällig", width=150),
    "Maßnahme": st.column_config.TextColumn("Maßnahme", width=165),
}


def action_table(actions: list[Action], work: dict, viewer: Viewer, today: date) -> None:
    """:func:`action_rows` as a table with :data:`ACTION_COLUMNS`."""
    rows = action_rows(actions, work, viewer, today)
    st.dataframe(rows, hide_index=True, width="stretch", column_config=ACTION_COLUMNS)


def action_label(a: Action, naming: network.Naming) -> str:
    """A select-box option for an action (plain text)."""
    owner = network.owner_text(a, naming)
    return f"{a.text} – {owner} ({a.status}, vereinbart {format_date(a.held_on)})"


def meeting(m: Meeting, actions: list[Action], work: dict, viewer: Viewer, today: date) -> None:
    """One meeting as an expander: kind, date, place, group, participants, agenda, decisions,
    the actions it agreed."""
    naming = work["naming"]
    label = f"{format_date(m.held_on)} · {m.kind} · {m.title}"
    decided = format_count(len(m.decisions), "Beschluss", "Beschlüsse") if m.decisions else ""
    facts = [f"{len(m.participants)} Teilnehmende" if m.participants else "", decided]
    with st.expander(plain(" · ".join([label, *filter(None, facts)]))):
        where = " · ".join(filter(None, [m.place, m.group_name]))
        if where:
            st.caption(plain(where))
        if m.participants:
            st.markdown("**Teilnehmende:** " + plain(naming.members(m.participants)))
        if m.agenda:
            st.markdown("**Tagesordnung**  \n" + "  \n".join(
                f"{i}\\. {plain(t)}" for i, t in enumerate(m.agenda, 1)))  # fmt: skip
        if m.decisions:
            st.markdown("**Beschlüsse**  \n" + "  \n".join(f"– {plain(t)}" for t in m.decisions))
        mine = [a for a in actions if a.meeting_id == m.meeting_id]
        if mine:
            st.markdown("**Vereinbarte Aufgaben**")
            action_table(mine, work, viewer, today)


def group_rows(work: dict, viewer: Viewer) -> pd.DataFrame:
    """The working groups: topic, members, linked measures (``current_measures.group_id``),
    sessions held."""
    naming, measures = work["naming"], work["measures"]
    rows = []
    for g in work["groups"]:
        linked = [network.measure_text(x, viewer, naming) for x in measures.values()
                  if x.group_id == g.group_id]  # fmt: skip
        held = [m for m in work["meetings"] if m.group_id == g.group_id]
        rows.append({"Arbeitsgruppe": g.name,
                     "Mitglieder": naming.members(g.members),
                     "Sitzungen": len(held), "Maßnahmen": "; ".join(linked) or "–",
                     "Thema": g.topic})  # fmt: skip
    return pd.DataFrame(rows)


def editor_actions(df: pd.DataFrame, members: dict[str, str], measures: dict[str, int]) -> list:
    """The filled rows of the action editor as :class:`network.ActionInput` (labels → ids)."""
    by_name = {v: k for k, v in members.items()}
    out = []
    for r in df.fillna("").to_dict("records"):
        if not any(str(r[c]).strip() for c in EDITOR_COLUMNS):
            continue
        due = r["fällig am"]
        due = due.date() if isinstance(due, datetime) else due  # a pandas Timestamp
        out.append(network.ActionInput(
            str(r["Aufgabe"]), by_name.get(r["Mitglied"]) or None, str(r["Person"]),
            due if isinstance(due, date) else str(due), measures.get(r["Maßnahme"])))  # fmt: skip
    return out


def lines(text: str) -> list[str]:
    """The non-empty lines of a text area (one item a line)."""
    return [t.strip() for t in (text or "").splitlines() if t.strip()]
