"""The frame of every page: title, "Stand", the demo notice, sections, charts and tables.

Why: every page and every screenshot must show the data's date and, for demo data, the notice
**Demodaten (fiktiv)**. app.py calls :func:`style` and :func:`sidebar`; each page calls
:func:`header`, then :func:`section` for its parts (h2 under the page's h1), :func:`chart` for
every figure (with its text alternative), :func:`table` for wide tables and
:func:`how_computed` instead of naming code paths. Usage notes for page authors: /tmp/frame_api.md
(the same as the docstrings here).
"""

from __future__ import annotations

import gc
import html
import sys
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from kek_data import chart_text, frozen_reports, methodology, scope2
from kek_data.charts import DEMO_NOTICE
from kek_data.report import MemberReport, Report
from kek_data.wording import DEMO_TEXT
from ui import data, exports, stand
from ui.text import plain

#: Plotly's toolbar speaks English ("Download plot as a PNG") and its download duplicates the
#: buttons under each chart: no toolbar. Zoom by dragging, double-click resets.
PLOTLY_CONFIG = {"displayModeBar": False, "displaylogo": False}
#: Query parameter that carries a Methodik section from :func:`how_computed` to that page.
SECTION_PARAM = "abschnitt"
METHODIK = "pages/methodik.py"
HOW_LABEL = "Wie wird das berechnet?"

# Visible keyboard focus (WCAG 2.4.7, BITV 2.0): Streamlit's own ring on sidebar links is a faint
# background change. The element carrying this style and the script is hidden (no gap).
_CSS = """
[data-testid="stSidebarNav"] a:focus-visible, [data-testid="stPageLink"] a:focus-visible,
[data-testid="stMain"] a:focus-visible, summary:focus-visible, button:focus-visible,
[role="tab"]:focus-visible {
  outline: 3px solid #332288 !important; outline-offset: 2px !important;
  box-shadow: 0 0 0 5px #FFFFFF !important; border-radius: 4px;
}
[data-testid="stElementContainer"]:has(.kek-frame) { display: none; }
/* Sections are h2 for the outline but keep the size the pages had with st.subheader. */
[data-testid="stMain"] h2 { font-size: 1.75rem; }
[data-testid="stMain"] h3 { font-size: 1.4rem; }
"""
# The page is German (WCAG 3.1.1): Streamlit's index.html says lang="en". Streamlit runs this script
# once per browser tab (not again on a page switch), so it stays and watches the address: when
# how_computed() has put ?abschnitt=<anchor> there, it scrolls that heading into view (again after
# a moment, because Streamlit scrolls to the top once a new page is drawn).
_SCRIPT = """
document.documentElement.lang = "de";
if (!window.kekFrame) {
  window.kekFrame = true;
  let done = null;
  setInterval(() => {
    document.documentElement.lang = "de";
    const want = new URLSearchParams(window.location.search).get("SECTION_PARAM");
    if (!want || want === done) { if (!want) done = null; return; }
    const el = document.getElementById(want);
    if (!el) return;
    done = want;
    const go = () => el.scrollIntoView({block: "start"});
    go(); setTimeout(go, 400); setTimeout(go, 1200);
  }, 250);
}
""".replace("SECTION_PARAM", SECTION_PARAM)


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


def style() -> None:
    """Called once per run by app.py: focus ring, ``lang="de"``, scroll to a requested section."""
    st.html(
        f'<span class="kek-frame"></span><style>{_CSS}</style><script>{_SCRIPT}</script>',
        unsafe_allow_javascript=True,
    )


def sidebar() -> None:
    """Sidebar of app.py: who is looking, the data's date, the demo flag, the Datenstand."""
    viewer = data.current_viewer()
    refused = stand.choose(viewer)  # before any read: which database this run shows
    ctx = data.context(data.db_file())
    with st.sidebar:
        st.caption(f"Ansicht: {plain(viewer.label)}")  # the name comes from the login token
        st.caption(f"Stand der Daten: {ctx.as_of}")
        stand_choice(viewer, refused)
        if viewer.sees_member_data:  # the public page is location-based (BISKO) only
            st.radio(
                "Bilanzbasis",
                list(scope2.CHOICES),
                captions=scope2.CHOICE_CAPTIONS,
                key=data.BASIS_KEY,
                bind="query-params",
                help="Standortbezogen (BISKO): Strom mit dem bundesweiten Strommix – Grundlage "
                "aller Ziele. Marktbasiert: Strom mit den Faktoren der eigenen Stromverträge "
                "(mit Nachweis) und dem Reststrommix für den Rest (GHG Protocol Scope 2).",
            )
        if ctx.demo:
            st.error(DEMO_NOTICE, icon=":material/warning:")
        problems = data.startup_store_check(data.live_file())
        if problems and viewer.sees_all_members:
            st.error(
                f"Dateiablage und Datenbank passen nicht zusammen ({len(problems)} Befund(e)). "
                "Details auf der Seite „Daten hochladen“; `python -m kek_data check-store`.",
                icon=":material/error:",
            )


def header(title: str, intro: str | None = None, targets_page: bool = False) -> None:
    """Page title (the page's only h1), the demo notice (for demo data), the balance basis and
    an optional intro line. A ``targets_page`` (Ziele, Zielabgleich) is always on the targets'
    basis and says so when the sidebar chose another."""
    ctx = data.context(data.db_file())
    st.title(title, anchor=False)
    if ctx.demo:
        st.warning(DEMO_TEXT, icon=":material/warning:")
    stand_banner(sys._getframe(1).f_code.co_filename)
    chosen = data.basis() if data.current_viewer().sees_member_data else scope2.DEFAULT
    basis = scope2.TARGET_BASIS if targets_page else chosen
    st.caption(scope2.label(basis))
    if targets_page and chosen != basis:
        st.info(scope2.TARGETS_PAGE, icon=":material/info:")
    elif basis != scope2.TARGET_BASIS:
        st.info(scope2.NO_TARGETS, icon=":material/info:")
    if intro:
        st.caption(intro)


def section(title: str, anchor: str | None = None) -> None:
    """A part of a page: an h2 under the page's h1 (use instead of ``st.subheader``).

    ``anchor`` is the element id (e.g. ``"ampel"`` on Methodik, the target of
    ``how_computed("ampel")``); by default Streamlit derives one from the title.
    """
    st.header(title, anchor=anchor)


def subsection(title: str, anchor: str | None = None) -> None:
    """A part of a :func:`section`: an h3."""
    st.subheader(title, anchor=anchor)


def chart(fig: go.Figure | chart_text.Shown, name: str, summary: str | None = None) -> None:
    """Show a figure with its text alternative and its download buttons.

    On the page: the title as wrapping text, the plot (legend below it, no English toolbar), one
    line with the key numbers (``summary``; by default derived from the figure, see
    :func:`kek_data.chart_text.describe`) and the source, and the figure's data as a table in an
    expander. The downloads (PNG/SVG/PDF) export ``fig`` exactly as given.
    """
    shown = fig if isinstance(fig, chart_text.Shown) else chart_text.shown(fig, summary)
    fig = shown.fig
    title = chart_text.title_of(fig)
    if title:
        st.markdown(f"**{html.escape(title)}**")
    st.plotly_chart(
        shown.screen,
        theme=None,
        width="stretch",
        key=f"chart-{name}",
        config=PLOTLY_CONFIG,
        alt=f"Diagramm: {title or name}. Zahlen in der Zeile darunter und in der Tabelle.",
    )
    text = shown.summary
    source = chart_text.source_of(fig)
    st.caption(" · ".join(p for p in (text, source) if p))
    with st.expander("Daten des Diagramms als Tabelle", icon=":material/table_view:"):
        st.dataframe(shown.arrow, hide_index=True, width="content")
    exports.chart_downloads(shown.spec, name)


def table(
    df: pd.DataFrame,
    labels: Mapping[str, str] | None = None,
    *,
    hide_index: bool = True,
    width: str = "stretch",
) -> None:
    """A table whose long column names are shown short, the full name as the column's help.

    Why: Streamlit sizes columns to their header; headers such as "Noch zu mindern bis 2030
    [t CO₂e]" push the right half of a table out of sight at 1440 px. ``labels`` maps a column
    name to its short label (e.g. ``{"Noch zu mindern bis 2030 [t CO₂e]": "Rest 2030 [t]"}``);
    hovering the header shows the full name. Downloads keep the full names. (No pinned first
    column: Streamlit draws pinned cells in grey, below 4,5:1 contrast.)
    """
    labels = labels or {}
    config = {
        col: st.column_config.Column(labels.get(col, col), help=col if col in labels else None)
        for col in df.columns
        if col in labels
    }
    st.dataframe(df, hide_index=hide_index, width=width, column_config=config)


def chosen_member(rep: Report | None, own: str | None) -> MemberReport:
    """The member a member page shows: a selector (key ``member``) of the members ``rep`` shows
    the viewer, preselecting the viewer's ``own`` organisation; stops the page with a note when
    the report has no members for this view (or ``rep`` is None: no data)."""
    if rep is None or not rep.member:
        st.info("Für diese Ansicht sind keine Mitgliedsdaten freigegeben oder vorhanden.")
        st.stop()
    names = rep.names
    ids = list(names)
    member_id = st.selectbox(
        "Mitglied",
        ids,
        index=ids.index(own) if own in names else 0,
        format_func=names.get,
        key="member",
        disabled=len(names) == 1,
    )
    return rep.find(member_id)


def how_computed(anchor: str) -> None:
    """A small link "Wie wird das berechnet?" to the section ``anchor`` of the Methodik page.

    Use instead of captions that name code paths ("Berechnung: kek_data/progress.py"); the code
    trail belongs in docstrings. ``anchor`` is one of ``kek_data.methodology.ANCHORS``; the
    Methodik page gives that section's heading the same id, and the link scrolls there.
    """
    methodology.section(anchor)  # an unknown anchor is a broken link: KeyError, caught by tests
    st.page_link(
        METHODIK,
        label=HOW_LABEL,
        icon=":material/help:",
        query_params={SECTION_PARAM: anchor},
    )


# --- frozen annual reports (issue 12) ----------------------------------------------------------

#: Pages that enter data: on a frozen Berichtsstand they show only READ_ONLY (their reads would
#: mix live tables into a frozen view, their forms write the live database).
WRITE_PAGES = {"hochladen", "zugaenge", "fernwaerme", "ziele", "strom", "massnahmen",
               "netzwerkarbeit", "berichtsrunde"}  # fmt: skip
STAND_HELP = (
    "Live-Daten: der aktuelle Stand mit allen Korrekturen. Ein Berichtsstand ist die "
    "unveränderte Kopie aller Zahlen, Ziele, Faktoren und Status vom Tag des Einfrierens "
    "(Seite „Berichtsstände“)."
)


def stand_choice(viewer, refused: str = "") -> None:
    """The sidebar's "Datenstand" (address ``?stand=…``) for viewers who see member data, once a
    Berichtsstand exists; ``refused`` is the reason a chosen one fell back to the live data."""
    if refused:
        st.warning(plain(refused), icon=":material/inventory_2:")
    options = stand.options()
    if viewer.sees_member_data and len(options) > 1:
        st.selectbox("Datenstand", list(options), format_func=options.get, key=stand.KEY,
                     bind="query-params", help=STAND_HELP)  # fmt: skip


def stand_banner(page_file: str = "") -> None:
    """On a frozen Berichtsstand: the banner naming it, and on a page that enters data
    (:data:`WRITE_PAGES`) the read-only note, then the page stops. Live: the caption
    "Live-Daten (Stand …)"."""
    found = data.stand(data.db_file())
    if not found.frozen:
        st.caption(found.label)
        return
    st.warning(f"**{plain(found.label)}** – eingefrorener Berichtsstand, unverändert seit dem "
               "Einfrieren; spätere Korrekturen zeigt „Live-Daten“.",
               icon=":material/inventory_2:")  # fmt: skip
    if Path(page_file).stem in WRITE_PAGES:
        read_only()
        st.stop()


def read_only() -> bool:
    """For write forms: on a frozen Berichtsstand show READ_ONLY and return True (skip the
    form); False on the live data."""
    if not stand.is_frozen():
        return False
    st.info(frozen_reports.READ_ONLY, icon=":material/lock:")
    return True


@st.cache_resource(show_spinner=False)
def freeze_loaded_objects() -> bool:
    """Move everything loaded by the first full run (modules, reference data, warm caches) out
    of the garbage collector's reach (``gc.freeze``): later collections then scan only what the
    sessions create. With ``runner.postScriptGC = false`` (.streamlit/config.toml) this keeps
    memory in check without a full collection after every run (bench/bench_load.py)."""
    gc.freeze()
    return True
