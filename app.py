"""KEK-Klimadashboard: entry point with ``st.navigation``.

Run with ``bash scripts/run.sh`` (see README). Pages live in ``pages/``; they only lay out widgets
and call ``kek_data`` through the cached helpers in ``ui.data``.
"""

from pathlib import Path

import streamlit as st

from ui import frame

ROOT = Path(__file__).resolve().parent

st.set_page_config(
    page_title="KEK-Klimadashboard Dortmund",
    page_icon="🌍",
    layout="wide",
)

# One flat list, no sections ("Netzwerk", "Daten"): with sections Streamlit 1.67 draws each
# section title as a <div> inside the <ul> and the links of the later sections as <li> outside any
# list — invalid for screen readers (axe rules "list"/"listitem", 9 nodes on every page). Eight
# entries read well without headings; the order keeps the former grouping.
PAGES = [
    st.Page(ROOT / "pages/ueberblick.py", title="Überblick", icon=":material/home:", default=True),
    st.Page(ROOT / "pages/mitglied.py", title="Mitglied", icon=":material/apartment:"),
    st.Page(ROOT / "pages/vergleich.py", title="Vergleich", icon=":material/bar_chart:"),
    st.Page(ROOT / "pages/pfad.py", title="Pfad & Lücke", icon=":material/flag:"),
    st.Page(ROOT / "pages/daten.py", title="Daten", icon=":material/table_view:"),
    st.Page(ROOT / "pages/hochladen.py", title="Daten hochladen", icon=":material/upload_file:"),
    st.Page(ROOT / "pages/export.py", title="Export", icon=":material/download:"),
    st.Page(ROOT / "pages/methodik.py", title="Methodik", icon=":material/menu_book:"),
]

navigation = st.navigation(PAGES)
st.sidebar.markdown("**KEK-Klimadashboard**  \nKonsultationskreis Energieeffizienz und Klimaschutz")
frame.style()
frame.sidebar()
navigation.run()
