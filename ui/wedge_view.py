"""The section "Maßnahmen gegen die Lücke" of the pages Pfad & Lücke and Mitglied.

Shows one owner's wedge from the report (:mod:`kek_data.wedge`): the sentence how much of the
gap the decided measures close (:func:`kek_data.wording.wedge`), the chart "massnahmen"
(:mod:`kek_data.wedge_charts`, cached by :func:`ui.page_charts.chart`), the line on planned and
incomplete measures (titles are the members' text: escaped) and the link to the Methodik.
On Pfad & Lücke also the table of every wedge the viewer sees and a member selector.
"""

from __future__ import annotations

import streamlit as st

from kek_data import progress, scope2, views, wedge, wedge_build, wedge_charts, wording
from kek_data.report import Report
from kek_data.viewer import Viewer
from ui import exports, frame, page_charts
from ui.text import plain

ANCHOR = "massnahmen"


def section(rep: Report, owner: str, viewer: Viewer, db_path: str, heading: bool = True) -> None:
    """The wedge of ``owner`` (shown member id or 'netzwerk'); a short note where it has none."""
    if heading:
        frame.section(wedge.TITLE, anchor=f"{ANCHOR}-{owner}")
    w = rep.wedges.get(owner)
    if w is None:
        st.caption(_none(rep, owner))
        return
    text = wording.wedge(w)
    st.markdown(text)
    member_id = None if owner == progress.NETWORK else owner
    line = wedge_charts.summary(w)
    frame.chart(
        page_charts.chart(viewer, db_path, "massnahmen", member_id, summary=line),
        f"massnahmen-{owner}",
    )
    if more := wording.wedge_more(w):
        st.caption(plain(more))
    if member_id and not viewer.sees_all_members and member_id != viewer.member_id:
        st.caption(f"Gezeigt: {ONLY_PUBLIC} dieses Mitglieds {ONLY_PUBLIC_WHY}.")
    if owner == progress.NETWORK:
        st.caption(
            "Netzwerk: die Maßnahmen aller Mitglieder zusammen gegen Trend und Pfad des "
            "Netzwerks (interne Maßnahmen nur als Summe)."
        )
    frame.how_computed(ANCHOR)


#: What a member sees of another member's measures (kek_data.measures visibility), said once.
ONLY_PUBLIC = "nur die öffentlichen Maßnahmen"
ONLY_PUBLIC_WHY = "(interne sieht nur das Mitglied selbst und das Netzwerkmanagement)"


def _none(rep: Report, owner: str) -> str:
    """Why ``owner`` has no wedge in this view."""
    if rep.basis != scope2.TARGET_BASIS:
        return "Maßnahmen gegen die Lücke: nur in der standortbezogenen Bilanz der Ziele."
    if owner == progress.NETWORK and views.total_withheld(rep):
        return f"{views.withheld_text(rep)}."
    return (
        f"Kein Keil: es braucht einen Zielpfad mit einem Zieljahr nach {rep.year} und einen "
        "Trend aus mindestens zwei Jahren."
    )


def overview(rep: Report, viewer: Viewer, db_path: str) -> None:
    """Pfad & Lücke: the network's wedge, the table of all wedges shown, one member's wedge."""
    frame.section(wedge.TITLE, anchor=ANCHOR)
    section(rep, progress.NETWORK, viewer, db_path, heading=False)
    members = [m for m in rep.member if m in rep.wedges]
    if not members:
        return
    table = wedge_build.table(rep.wedges, rep.names)
    frame.subsection("Je Mitglied")
    c = wedge_build.COLUMNS
    shown = [c[k] for k in ("short_name", "target_year", "gap_t", "decided_t", "uncovered_t",
                            "uncovered_pct", "planned_t", "n_incomplete")]  # fmt: skip
    short = {c["gap_t"]: "Lücke [t]", c["decided_t"]: "Beschlossen [t]",
             c["uncovered_t"]: "Ungedeckt [t]", c["uncovered_pct"]: "Ungedeckt [%]",
             c["planned_t"]: "Geplant [t]", c["n_incomplete"]: "Ohne Angabe"}  # fmt: skip
    frame.table(wedge_build.german(table)[shown], labels=short)
    if not viewer.sees_all_members:  # the members' keils from what this viewer may read
        st.caption(
            f"Andere Mitglieder: {ONLY_PUBLIC} {ONLY_PUBLIC_WHY}; ihr Keil kann daher kleiner "
            "sein, als ihn das Netzwerkmanagement sieht. Das Netzwerk zählt alle Maßnahmen."
        )
    exports.table_downloads(table, "massnahmen-luecke")
    chosen = st.selectbox(
        "Keil eines Mitglieds", members, format_func=rep.names.get, key="wedge-member"
    )
    section(rep, chosen, viewer, db_path, heading=False)
