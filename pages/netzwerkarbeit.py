"""Netzwerkarbeit: open actions with their age, the calendar of meetings, the working groups.

Network management, city and members read everything here (network-internal; the public never
gets the page and ``kek_data.network`` refuses it). Network management enters meetings, results,
groups and any status; a member marks its own actions done. Every write checks the viewer in
``kek_data.network_meetings``, so a forged form cannot write.
"""

from datetime import date

import pandas as pd
import streamlit as st

from kek_data import network
from kek_data import network_meetings as nm
from kek_data.numbers import format_date
from ui import data, frame
from ui import network_view as view

frame.require_app()
db_path = data.db_file()
viewer = data.current_viewer()
frame.header(
    "Netzwerkarbeit",
    "Treffen und Veranstaltungen des Netzwerks mit Tagesordnung, Beschlüssen und vereinbarten "
    "Aufgaben, die offenen Aufgaben mit ihrem Alter und die Arbeitsgruppen. Netzwerkintern.",
)
st.caption("Mitglieder ohne namentliche Freigabe erscheinen als „weiteres Mitglied“. Namen der "
           "Arbeitsgruppen, Titel, Tagesordnung, Beschlüsse und Aufgaben sieht jedes Mitglied; "
           "sie nennen keine Zahlen eines Mitglieds.")  # fmt: skip
if not viewer.sees_member_data:
    st.error("Die Netzwerkarbeit ist intern; bitte anmelden.")
    st.stop()


today = date.today()
work = data.network_work(viewer, db_path)
names, naming, actions = work["names"], work["naming"], work["actions"]
open_ = view.sort_open(actions, today)
upcoming = [m for m in work["meetings"] if m.held_on >= today]
c1, c2, c3 = st.columns(3)
c1.metric("Offene Aufgaben", len(open_))
c2.metric("davon überfällig", sum(a.overdue(today) for a in open_))
c3.metric("Nächstes Treffen", format_date(upcoming[0].held_on) if upcoming else "–")

frame.section("Offene Aufgaben")
shown = open_
if viewer.role == "mitglied" and st.toggle("Nur Aufgaben meiner Organisation", key="kek-n-own"):
    shown = [a for a in open_ if a.owner_member_id == viewer.member_id]
if shown:
    view.action_table(shown, work, viewer, today)
else:
    st.info("Keine offenen Aufgaben.")
st.caption("„offen“ zählt ab dem Treffen, das die Aufgabe vereinbart hat; überfällig ist, "
           "was nach dem (zuletzt verschobenen) Fälligkeitstag noch offen ist.")  # fmt: skip

rest = [a for a in reversed(actions) if not a.is_open]  # open ones first, then the newest
choices = (
    open_ + rest if viewer.manages else [a for a in open_ if a.owner_member_id == viewer.member_id]
)
if viewer.manages or (viewer.role == "mitglied" and choices):
    with st.form("kek-n-status", clear_on_submit=True):
        st.markdown("**Status einer Aufgabe melden**" if viewer.manages else
                    "**Eigene Aufgabe als erledigt melden**")  # fmt: skip
        pick = st.selectbox("Aufgabe", choices, format_func=lambda a: view.action_label(a, naming),
                            key="kek-n-s-action")  # fmt: skip
        s1, s2, s3 = st.columns(3)
        status = s1.selectbox("Status", network.STATUSES if viewer.manages else [network.DONE],
                              index=network.STATUSES.index(network.DONE) if viewer.manages else 0,
                              key="kek-n-s-status")  # fmt: skip
        on = s2.date_input("Stand vom", today, format="DD.MM.YYYY", key="kek-n-s-on")
        due = s3.date_input("neu fällig am (bei verschoben)", None, format="DD.MM.YYYY",
                            key="kek-n-s-due")  # fmt: skip
        comment = st.text_input("Kommentar", key="kek-n-s-comment")
        if st.form_submit_button("Status speichern", type="primary", key="kek-n-s-save") and pick:
            view.save(lambda c: nm.set_status(c, viewer, pick.action_id, status, on, comment, due),
                      f"Aufgabe „{pick.text}“: {status}.")  # fmt: skip

frame.section("Kalender")
past = [m for m in reversed(work["meetings"]) if m.held_on < today]
for title, items in (("Kommende Treffen", upcoming), ("Vergangene Treffen", past)):
    frame.subsection(title)
    for m in items:
        view.meeting(m, actions, work, viewer, today)
    if not items:
        st.info("Keine.")

frame.section("Arbeitsgruppen")
groups = view.group_rows(work, viewer)
if groups.empty:
    st.info("Noch keine Arbeitsgruppen.")
else:
    st.dataframe(groups, hide_index=True, width="stretch")

if not viewer.manages:
    st.stop()
frame.section("Eintragen (Netzwerkmanagement)")
PICK = {"format_func": names.get, "placeholder": "Mitglieder wählen"}
group_ids = {g.group_id: g.name for g in work["groups"]}
measure_ids = {
    network.measure_text(x, viewer, work["naming"]): k for k, x in work["measures"].items()
}
editor = pd.DataFrame(columns=view.EDITOR_COLUMNS)
columns = {
    "Mitglied": st.column_config.SelectboxColumn(options=list(names.values())),
    "fällig am": st.column_config.DateColumn(format="DD.MM.YYYY"),
    "Maßnahme": st.column_config.SelectboxColumn(options=list(measure_ids)),
}
with st.form("kek-n-meeting", clear_on_submit=True):
    st.markdown("**Neues Treffen oder neue Veranstaltung**")
    f1, f2, f3 = st.columns(3)
    held = f1.date_input("Datum", today, format="DD.MM.YYYY", key="kek-n-m-date")
    kind = f2.selectbox("Art", network.KINDS, key="kek-n-m-kind")
    group = f3.selectbox("Arbeitsgruppe", [None, *group_ids], key="kek-n-m-group",
                         format_func=lambda g: "–" if g is None else group_ids[g])  # fmt: skip
    title = f1.text_input("Titel", key="kek-n-m-title")
    place = f2.text_input("Ort", key="kek-n-m-place")
    people = st.multiselect("Teilnehmende Mitglieder", list(names), key="kek-n-m-people", **PICK)
    agenda = st.text_area("Tagesordnung (ein Punkt je Zeile)", key="kek-n-m-agenda")
    decided = st.text_area("Beschlüsse (einer je Zeile; erst ab dem Tag des Treffens)",
                           key="kek-n-m-decisions")  # fmt: skip
    st.caption(view.EDITOR_HELP)
    todo = st.data_editor(editor, num_rows="dynamic", column_config=columns, key="kek-n-m-actions")
    if st.form_submit_button("Treffen speichern", type="primary", key="kek-n-m-save"):
        view.save(lambda cur: nm.create_meeting(
            cur, viewer, held, kind, title, place, group, people, view.lines(agenda),
            view.lines(decided), view.editor_actions(todo, names, measure_ids)),
            f"{kind} „{title}“ am {held:%d.%m.%Y} gespeichert.")  # fmt: skip

with st.form("kek-n-results", clear_on_submit=True):
    st.markdown("**Beschlüsse und Aufgaben zu einem Treffen nachtragen**")
    held_ones = [m for m in upcoming if m.held_on == today] + past
    target = st.selectbox("Treffen", held_ones, key="kek-n-r-meeting",
                          format_func=lambda m: f"{m.held_on:%d.%m.%Y} · {m.title}")  # fmt: skip
    more = st.multiselect("weitere Teilnehmende", list(names), key="kek-n-r-people", **PICK)
    decided2 = st.text_area("Beschlüsse (einer je Zeile)", key="kek-n-r-decisions")
    st.caption(view.EDITOR_HELP)
    todo2 = st.data_editor(editor, num_rows="dynamic", column_config=columns, key="kek-n-r-actions")
    if st.form_submit_button("Nachtragen", type="primary", key="kek-n-r-save") and target:
        view.save(lambda cur: nm.add_results(cur, viewer, target.meeting_id, view.lines(decided2),
                                        view.editor_actions(todo2, names, measure_ids), more),
             f"Ergebnisse zu „{target.title}“ gespeichert.")  # fmt: skip

with st.form("kek-n-group", clear_on_submit=True):
    st.markdown("**Neue Arbeitsgruppe**")
    g1, g2 = st.columns(2)
    gname = g1.text_input("Name", key="kek-n-g-name")
    topic = g2.text_input("Thema", key="kek-n-g-topic")
    gmembers = st.multiselect(
        "Mitglieder", list(names), format_func=names.get, key="kek-n-g-members"
    )
    if st.form_submit_button("Arbeitsgruppe anlegen", type="primary", key="kek-n-g-save"):
        view.save(lambda cur: nm.create_group(cur, viewer, gname, topic, gmembers),
             f"Arbeitsgruppe „{gname}“ angelegt.")  # fmt: skip
