"""Cached access to ``kek_data`` for the pages.

One DuckDB connection per process (``st.cache_resource``) and a cursor per call, so sessions in
different threads never share a cursor. Query results are cached with ``st.cache_data``; every
function that returns member data takes the viewer as an argument, because the cache is shared by
all users. :func:`data_changed` clears the caches after an import or rollback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import pandas as pd
import streamlit as st

from kek_data import charts, comparison_charts, config, db, demo, emissions, reference
from kek_data.numbers import format_date
from kek_data.report import Report
from kek_data.report import build as build_report
from kek_data.viewer import Viewer
from ui import chart_text


@st.cache_resource(show_spinner="Datenbank wird geöffnet …")
def connection(db_path: str) -> duckdb.DuckDBPyConnection:
    """The process-wide connection; a new file is created and seeded with demo data."""
    is_new = not config.db_path(db_path).exists()
    con = db.connect(db_path)
    if is_new:
        demo.seed(con)
    return con


@st.cache_resource(show_spinner=False)
def startup_store_check(db_path: str) -> list[str]:
    """Once per process: every recorded submission has its raw file and every file is recorded.

    German problem lines (empty when consistent); shown loudly in the sidebar (see ui.frame).
    """
    from kek_data import ingest

    with cursor() as cur:
        return ingest.check_store(cur, db_path)


def db_file() -> str:
    """The database file of this process (``KEK_DB`` or ``data/kek.duckdb``)."""
    return str(config.db_path())


@contextmanager
def cursor() -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor of the shared connection for one call (thread-safe use of DuckDB)."""
    cur = connection(db_file()).cursor()
    try:
        yield cur
    finally:
        cur.close()


def current_viewer() -> Viewer:
    """Who is looking: the login or demo role of this session (see ``ui.auth``)."""
    from ui import auth

    return auth.current_viewer()


def data_changed() -> None:
    """Drop every cached query result after data changed (import, rollback, targets)."""
    st.cache_data.clear()


@st.cache_data(show_spinner=False)
def context(db_path: str) -> charts.Context:
    """ "Stand" and demo flag for captions and chart source lines."""
    with cursor() as cur:
        as_of = emissions.data_as_of(cur)
        return charts.Context(
            as_of=format_date(as_of.date()) if as_of else "–", demo=emissions.is_demo(cur)
        )


@st.cache_data(show_spinner=False)
def members(viewer: Viewer, db_path: str) -> pd.DataFrame:
    """Members the viewer may see (member_id, name, short_name, sector, sort_order)."""
    with cursor() as cur:
        return emissions.members(cur, viewer)


@st.cache_data(show_spinner=False)
def detail(viewer: Viewer, db_path: str) -> pd.DataFrame:
    """[kWh] and [t CO₂e] per member, year, carrier and scope (see ``emissions.detail``)."""
    with cursor() as cur:
        return emissions.detail(cur, viewer)


@st.cache_data(show_spinner=False)
def network_totals(db_path: str) -> pd.DataFrame:
    """Network total per year [t CO₂e] and members reporting (aggregate)."""
    with cursor() as cur:
        return emissions.network_totals(cur)


def has_data(db_path: str) -> bool:
    """True once any emissions data exist (the report needs at least one year)."""
    return not network_totals(db_path).empty


@st.cache_data(show_spinner=False)
def report(viewer: Viewer, db_path: str, year: int | None = None) -> Report:
    """Every key figure of reporting ``year`` (default: newest) for ``viewer`` (report.build)."""
    with cursor() as cur:
        return build_report(cur, viewer, year)


@st.cache_data(show_spinner=False)
def completeness(viewer: Viewer, db_path: str) -> pd.DataFrame:
    """Status member × year (see ``emissions.completeness``)."""
    with cursor() as cur:
        return emissions.completeness(cur, viewer)


@st.cache_data(show_spinner=False)
def activity_table(viewer: Viewer, db_path: str) -> pd.DataFrame:
    """Current activity rows with their submission (see ``emissions.activity_table``)."""
    with cursor() as cur:
        return emissions.activity_table(cur, viewer)


@st.cache_data(show_spinner=False)
def reference_tables(db_path: str) -> dict[str, pd.DataFrame]:
    """Factors and conversions with sources, for the Methodik page."""
    with cursor() as cur:
        return {
            "factors": db.query_df(cur, "factors"),
            "conversions": db.query_df(cur, "conversions"),
        }


@st.cache_data(show_spinner=False)
def carrier_names(db_path: str) -> dict[str, str]:
    """carrier_id → German name."""
    with cursor() as cur:
        return reference.carrier_names(cur)


@st.cache_data(show_spinner=False)
def city_balance() -> list[dict[str, str]]:
    """Dortmund's territorial balance [kt CO₂e] with vintage and source (``data/``)."""
    return reference.read_table("city_balance.csv")


@st.cache_data(show_spinner=False)
def completeness_chart(viewer: Viewer, db_path: str) -> chart_text.Shown:
    """The completeness grid (member × year) as the Daten page shows it, built once per data
    state: at 1.000 members its figure, screen copy and text take about 0,6 s."""
    with cursor() as cur:
        comp = emissions.completeness(cur, viewer)
        members = emissions.members(cur, viewer)
        names = dict(zip(members["member_id"], members["short_name"], strict=True))
    return chart_text.shown(comparison_charts.completeness_heatmap(comp, names, context(db_path)))


@st.cache_data(show_spinner=False)
def chart(
    viewer: Viewer,
    db_path: str,
    name: str,
    member_id: str | None = None,
    chosen: tuple[str, ...] | None = None,
    summary: str | None = None,
) -> chart_text.Shown:
    """The named chart of the report (``export.figures.build_from``) as a page shows it, built
    once per viewer, choice and data state instead of on every rerun."""
    from kek_data.export import figures

    rep = report(viewer, db_path)
    fig = figures.build_from(rep, name, member_id, None if chosen is None else list(chosen))
    return chart_text.shown(fig, summary)
