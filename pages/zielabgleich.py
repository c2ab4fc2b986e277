"""Zielabgleich: which target binds a member — own target against parent body, SBTi, network."""

import streamlit as st

from kek_data import alignment_charts, scope2, views
from ui import data, frame, page_charts
from ui.text import plain

frame.require_app()
db_path = data.db_file()
viewer = data.current_viewer()

frame.header(
    "Zielabgleich",
    "Das eigene Ziel eines Mitglieds gegen die Bezugspfade: Vorgabe des Dachverbands, SBTi-Pfad, "
    "Netzwerkpfad und Klimaneutralität der Stadt 2035.",
    targets_page=True,
)
rep = data.report(viewer, db_path, basis_=scope2.TARGET_BASIS) if data.has_data(db_path) else None
mine = frame.chosen_member(rep, viewer.member_id)  # stops without members for this view
member_id = mine.member_id
al = rep.alignment[member_id]
frame.section(mine.name)
if mine.target:
    st.markdown(f"**Eigenes Ziel:** {plain(mine.target.describe())}")
if not al.checks:
    st.info(al.note or "Für dieses Mitglied gibt es keinen Zielabgleich.")
    st.stop()

frame.subsection("Welches Ziel bindet")
for text in al.sentences:
    st.markdown(f"- {plain(text)}")

frame.chart(page_charts.alignment_chart(viewer, db_path, member_id), f"zielabgleich-{member_id}")

frame.subsection("Bezugsjahre und Pfade")
table = alignment_charts.table(al)
frame.table(
    views.german(table),
    labels={
        "Abstand des eigenen Ziels [t CO₂e]": "Abstand [t]",
        "Nicht nach dem Berichtsjahr": "vergangen",
    },
)
st.caption(
    f"Abstand = eigenes Ziel minus Bezugspfad im Jahr; positiv = das eigene Ziel erlaubt mehr "
    f"(ist schwächer). Prozent: Anteil am Basiswert {al.base_year} des eigenen Ziels. "
    f"„vergangen“: das Jahr liegt nicht nach dem Berichtsjahr {rep.year}."
)

frame.subsection("Quellen der Bezugspfade")
for line in alignment_charts.sources(al):
    st.markdown(f"- {plain(line)}")
frame.how_computed("zielabgleich")
