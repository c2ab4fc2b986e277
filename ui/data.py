"""Cached access to ``kek_data`` for the pages.

One DuckDB connection per process (``st.cache_resource``) and a cursor per call, so sessions in
different threads never share a cursor. Query results are cached with ``st.cache_data``; every
function that returns member data takes the viewer, because the cache is shared by all users, and
keys its cache by ``viewer.audience`` (role and member, not the person), so the users of one role
share one result. Member tables pass the publication consent in one place
(``emissions.shown``; the report applies the same ``access.visibility``); the activity table
with file names stays the viewer's own. :func:`data_changed` clears the caches after an import,
rollback or consent change.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import pandas as pd
import streamlit as st

from kek_data import (
    charts,
    comparison_charts,
    config,
    db,
    demo,
    emissions,
    factor_years,
    reference,
    scope2,
)
from kek_data.numbers import format_date
from kek_data.report import Report
from kek_data.report import build as build_report
from kek_data.viewer import NETWORK_MANAGER, Viewer
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
    """Drop every cached query result after data changed (import, rollback, targets, consent:
    a consent change changes what every role sees)."""
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
def has_real_data(db_path: str) -> bool:
    """Whether the database holds real data (``emissions.has_real_data``): no Demo-Modus then."""
    with cursor() as cur:
        return emissions.has_real_data(cur)


def members(viewer: Viewer, db_path: str) -> pd.DataFrame:
    """Members the viewer sees under the consent (member_id, name, short_name, sector,
    sort_order): own organisation, named members, pseudonyms; all for network and city."""
    return _shown(viewer.audience, db_path, "members")


def detail(viewer: Viewer, db_path: str) -> pd.DataFrame:
    """[kWh] and [t CO₂e] per visible member, year, carrier and scope (``emissions.detail``)."""
    return _shown(viewer.audience, db_path, "detail")


@st.cache_data(show_spinner=False)
def _shown(audience: Viewer, db_path: str, table: str) -> pd.DataFrame:
    with cursor() as cur:
        return emissions.shown(cur, audience, table)


@st.cache_data(show_spinner=False)
def years(db_path: str) -> list[int]:
    """Years with any emissions data [a], oldest first: no figures (a total of fewer than three
    members must not reach a member or the public, see ``access.total_shown``)."""
    with cursor() as cur:
        return [int(y) for y in emissions.network_totals(cur)["year"]]


def has_data(db_path: str) -> bool:
    """True once any emissions data exist (the report needs at least one year)."""
    return bool(years(db_path))


#: Session key (and query parameter) of the balance basis chosen in the sidebar.
BASIS_KEY = "basis"


def basis() -> str:
    """The balance basis of this view: the sidebar's choice ('standort' or 'markt'), else
    the default (location-based, BISKO). A value that is no basis falls back to the default."""
    value = str(st.session_state.get(BASIS_KEY) or st.query_params.get(BASIS_KEY))
    return scope2.CHOICES.get(value, value if value in scope2.BASES else scope2.DEFAULT)


def report(
    viewer: Viewer, db_path: str, year: int | None = None, basis_: str | None = None
) -> Report:
    """Every key figure of reporting ``year`` (default: newest) for ``viewer`` (report.build),
    consent-filtered and pseudonymised, on the view's balance basis (:func:`basis`, or
    ``basis_``); shared by every user of the same role and member."""
    chosen = basis_ or (basis() if viewer.sees_member_data else scope2.DEFAULT)
    return _report(viewer.audience, db_path, year, chosen)


@st.cache_data(show_spinner=False)
def _report(audience: Viewer, db_path: str, year: int | None, basis_: str) -> Report:
    with cursor() as cur:
        return build_report(cur, audience, year, basis_)


def completeness(viewer: Viewer, db_path: str) -> pd.DataFrame:
    """Status visible member × year (see ``emissions.completeness``)."""
    return _shown(viewer.audience, db_path, "completeness")


def activity_table(viewer: Viewer, db_path: str) -> pd.DataFrame:
    """Current activity rows with their submission, file names included: the viewer's own
    organisation only (all for network and city; SQL filter, ``emissions.activity_table``)."""
    return _activity_table(viewer.audience, db_path)


@st.cache_data(show_spinner=False)
def _activity_table(audience: Viewer, db_path: str) -> pd.DataFrame:
    with cursor() as cur:
        return emissions.activity_table(cur, audience)


def factor_note(db_path: str) -> str:
    """The sentence naming every year computed with another year's or a provisional factor
    (``factor_years.note``) over all members' data ("" without marks): every viewer sees network
    totals made of them, and it names only carriers and years, no member's figures. On the
    market basis the residual mix's years are named too."""
    viewer = current_viewer()
    return _factor_note(db_path, basis() if viewer.sees_member_data else scope2.DEFAULT)


@st.cache_data(show_spinner=False)
def _factor_note(db_path: str, basis_: str) -> str:
    if not has_data(db_path):
        return ""
    with cursor() as cur:
        rows = factor_years.read(cur, NETWORK_MANAGER)
        if basis_ == scope2.MARKT:
            rows += factor_years.residual(cur, NETWORK_MANAGER)
        return factor_years.note(factor_years.lines(rows))


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


def completeness_chart(viewer: Viewer, db_path: str) -> chart_text.Shown:
    """The completeness grid (visible member × year) as the Daten page shows it, built once per
    audience and data state: at 1.000 members its figure, screen copy and text take about 0,6 s."""
    return _completeness_chart(viewer.audience, db_path)


@st.cache_data(show_spinner=False)
def _completeness_chart(audience: Viewer, db_path: str) -> chart_text.Shown:
    comp = completeness(audience, db_path)
    shown = members(audience, db_path)
    names = dict(zip(shown["member_id"], shown["short_name"], strict=True))
    return chart_text.shown(comparison_charts.completeness_heatmap(comp, names, context(db_path)))


def chart(
    viewer: Viewer,
    db_path: str,
    name: str,
    member_id: str | None = None,
    chosen: tuple[str, ...] | None = None,
    summary: str | None = None,
) -> chart_text.Shown:
    """The named chart of the viewer's report (``export.figures.build_from``) as a page shows
    it, built once per audience, basis, choice and data state instead of on every rerun."""
    chosen_basis = basis() if viewer.sees_member_data else scope2.DEFAULT
    return _chart(viewer.audience, db_path, name, member_id, chosen, summary, chosen_basis)


@st.cache_data(show_spinner=False)
def _chart(
    viewer: Viewer,
    db_path: str,
    name: str,
    member_id: str | None = None,
    chosen: tuple[str, ...] | None = None,
    summary: str | None = None,
    basis_: str = scope2.DEFAULT,
) -> chart_text.Shown:
    from kek_data.export import figures

    rep = report(viewer, db_path, basis_=basis_)  # the basis is part of the cache key
    fig = figures.build_from(rep, name, member_id, None if chosen is None else list(chosen))
    return chart_text.shown(fig, summary)


def scope2_years(viewer: Viewer, db_path: str) -> list:
    """Electricity on both bases per visible member and year (kek_data.scope2.years)."""
    return _scope2_years(viewer.audience, db_path)


@st.cache_data(show_spinner=False)
def _scope2_years(audience: Viewer, db_path: str) -> list:
    with cursor() as cur:
        return scope2.years(cur, audience)


def contracts_table(viewer: Viewer, db_path: str) -> pd.DataFrame:
    """The contracts in force of the visible members (kek_data.contracts.current)."""
    return _contracts_table(viewer.audience, db_path)


@st.cache_data(show_spinner=False)
def _contracts_table(audience: Viewer, db_path: str) -> pd.DataFrame:
    from kek_data import contracts

    with cursor() as cur:
        return contracts.current(cur, audience)
