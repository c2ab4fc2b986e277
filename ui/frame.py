"""The frame of every page: title, "Stand", the demo notice and chart display.

Why: every page and every screenshot must show the data's date and, for demo data, the notice
**Demodaten (fiktiv)**. app.py calls :func:`sidebar`; each page calls :func:`header`.
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from kek_data.charts import DEMO_NOTICE
from ui import data, exports

DEMO_TEXT = (
    f"**{DEMO_NOTICE}** – Alle Verbrauchs- und Emissionswerte sowie die Ziele auf dieser Seite "
    "sind erfunden und dienen nur der Vorführung. Nicht in Gremien verwenden."
)


def require_app() -> None:
    """First call of every page: make sure the page runs inside app.py, never on its own.

    Why: with a ``pages/`` folder beside app.py, Streamlit starts in its old multipage mode and
    runs a page opened by its own address (``/hochladen``) *without* app.py (no navigation, no
    sidebar, later no login) until some visitor has opened ``/``. This switches the mode off
    (as app.py's ``st.navigation`` does) and reruns, which then goes through app.py to the same
    page. Uses Streamlit's ``PagesManager`` flag (Streamlit pinned in requirements.txt).
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def sidebar() -> None:
    """Sidebar of app.py: who is looking, the data's date, the demo flag."""
    ctx = data.context(data.db_file())
    viewer = data.current_viewer()
    with st.sidebar:
        st.caption(f"Ansicht: {viewer.label}")
        st.caption(f"Stand der Daten: {ctx.as_of}")
        if ctx.demo:
            st.error(DEMO_NOTICE, icon=":material/warning:")
        problems = data.startup_store_check(data.db_file())
        if problems and viewer.sees_all_members:
            st.error(
                f"Dateiablage und Datenbank passen nicht zusammen ({len(problems)} Befund(e)). "
                "Details auf der Seite „Daten hochladen“; `python -m kek_data check-store`.",
                icon=":material/error:",
            )


def header(title: str, intro: str | None = None) -> None:
    """Page title, the demo notice (when demo data are shown) and an optional intro line."""
    ctx = data.context(data.db_file())
    st.title(title)
    if ctx.demo:
        st.warning(DEMO_TEXT, icon=":material/warning:")
    if intro:
        st.caption(intro)


def chart(fig: go.Figure, name: str) -> None:
    """Show a figure exactly as exported (``theme=None``) plus its download buttons."""
    st.plotly_chart(fig, theme=None, width="stretch", key=f"chart-{name}")
    exports.chart_downloads(fig, name)
