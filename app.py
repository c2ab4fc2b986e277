"""KEK-Klimadashboard: entry point with ``st.navigation``, the pages of the viewer's role.

Run with ``bash scripts/run.sh`` (see README). Pages live in ``pages/``; they only lay out widgets
and call ``kek_data`` through the cached helpers in ``ui.data``. Who is looking (login or
Demo-Modus) comes from ``ui.auth``; which pages a role gets, from :func:`pages_for`. Hiding a page
is not the protection: every page reads through ``kek_data`` with the viewer.
"""

from pathlib import Path

import streamlit as st

from kek_data.viewer import Viewer
from ui import auth, data, frame

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
    *[
        st.Page(ROOT / f"pages/{name}.py", title=title, icon=icon)
        for name, title, icon in (
            ("ziele", "Ziele", ":material/target:"),
            ("zielabgleich", "Zielabgleich", ":material/compare_arrows:"),
        )
        if (ROOT / f"pages/{name}.py").exists()  # issue 10, built in parts
    ],
    st.Page(ROOT / "pages/strom.py", title="Strom & Verträge", icon=":material/bolt:"),
    *[
        st.Page(ROOT / f"pages/{name}.py", title=title, icon=icon)
        for name, title, icon in (
            ("massnahmen", "Maßnahmen", ":material/checklist:"),
            ("netzwerkarbeit", "Netzwerkarbeit", ":material/groups:"),
            ("berichtsrunde", "Berichtsrunde", ":material/assignment_turned_in:"),
            ("berichtsstaende", "Berichtsstände", ":material/inventory_2:"),
        )
        if (ROOT / f"pages/{name}.py").exists()  # issue 12, built in parts
    ],
    st.Page(ROOT / "pages/daten.py", title="Daten", icon=":material/table_view:"),
    st.Page(ROOT / "pages/hochladen.py", title="Daten hochladen", icon=":material/upload_file:"),
    st.Page(ROOT / "pages/export.py", title="Export", icon=":material/download:"),
    st.Page(ROOT / "pages/methodik.py", title="Methodik", icon=":material/menu_book:"),
]
UPLOAD = "Daten hochladen"
PUBLIC_PAGE = st.Page(
    ROOT / "pages/oeffentlich.py",
    title="Fortschritt des Netzwerks",
    icon=":material/public:",
    default=True,
)
#: Logins and consent (pages/zugaenge.py, another part of issue 9): only once the file exists.
ACCOUNTS_FILE = ROOT / "pages/zugaenge.py"
#: District-heat factors per network and year: network management only.
HEAT_FILE = ROOT / "pages/fernwaerme.py"


def _to_public_page() -> None:
    st.switch_page(PUBLIC_PAGE)


def pages_for(viewer: Viewer) -> tuple[list, str]:
    """The pages of the viewer's role and the navigation's position (rules from ``Viewer``).

    The public gets only the public page; every other page address (``/mitglied``, a bookmark)
    is an invisible entry that switches to it — with the public page alone, Streamlit would show
    it too, but under an English "Page not found" dialog. A member gets every page, the city all
    but the upload; network management and city also "Zugänge", network management also
    "Fernwärme-Faktoren".
    """
    accounts = (
        [st.Page(ACCOUNTS_FILE, title="Zugänge", icon=":material/key:")]
        if ACCOUNTS_FILE.exists()
        else []
    )
    if not viewer.sees_member_data:
        paths = [p.url_path for p in PAGES if p.url_path] + [ACCOUNTS_FILE.stem, HEAT_FILE.stem]
        aliases = [st.Page(_to_public_page, title=path, url_path=path) for path in paths]
        return [PUBLIC_PAGE, *aliases], "hidden"
    pages = [p for p in PAGES if viewer.writes or p.title != UPLOAD]
    pages += accounts if viewer.sees_all_members else []
    if viewer.manages and HEAT_FILE.exists():
        pages.append(st.Page(HEAT_FILE, title="Fernwärme-Faktoren", icon=":material/heat:"))
    return pages, "sidebar"


viewer = auth.current_viewer()  # may stop the page (Demo-Modus on real data, broken secrets)
pages, position = pages_for(viewer)
# expanded: all entries shown; from 13 pages on Streamlit would hide some behind an English
# "View 3 more" button (network management has 13 with Zugänge and Fernwärme-Faktoren).
navigation = st.navigation(pages, position=position, expanded=True)
st.sidebar.markdown("**KEK-Klimadashboard**  \nKonsultationskreis Energieeffizienz und Klimaschutz")
frame.style()
auth.sidebar(viewer)
frame.sidebar()
navigation.run()
frame.freeze_loaded_objects()  # once per process, after the first full run (gc.freeze)
data.public_site_at_start(data.live_file())  # a new installation gets its static public site
