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
    config,
    db,
    demo,
    emissions,
    factor_years,
    frozen_reports,
    reference,
    scope2,
)
from kek_data.numbers import format_date
from kek_data.report import Report
from kek_data.report import build as build_report
from kek_data.viewer import Viewer


@st.cache_resource(show_spinner="Datenbank wird geöffnet …")
def connection(db_path: str) -> duckdb.DuckDBPyConnection:
    """The process-wide connection; a new file is created and seeded with demo data. A
    Berichtsstand's file opens read-only after its checksum check (FrozenReportError)."""
    frozen = _frozen_of(db_path)
    if frozen is not None:
        return frozen_reports.connect_frozen(db_path, frozen)
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


@st.cache_resource(show_spinner=False)
def public_site_at_start(db_path: str) -> bool:
    """Once per process: build the public static site in the background where none exists yet
    (a new installation; afterwards :func:`data_changed` keeps it current). True if started."""
    from ui import public_refresh

    if (config.public_dir(db_path) / "index.html").exists():
        return False
    public_refresh.after_change(db_path, connection(db_path))
    return True


def live_file() -> str:
    """The live database file of this process (``KEK_DB`` or ``data/kek.duckdb``): every write,
    the login table and the raw-file store use it."""
    return str(config.db_path())


def db_file() -> str:
    """The database the pages read: the live file, or the Berichtsstand this session chose in
    the sidebar (checked for the viewer there, ``ui.stand.choose``). Read helpers take it as
    ``db_path``; writes go through :func:`cursor`, which is always live."""
    return str(st.session_state.get(VALID_STAND) or live_file())


@contextmanager
def cursor(db_path: str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor for one call (thread-safe use of DuckDB): of the live database, or of
    ``db_path`` (a Berichtsstand is read-only) for the read helpers."""
    cur = connection(db_path or live_file()).cursor()
    try:
        yield cur
    finally:
        cur.close()


def current_viewer() -> Viewer:
    """Who is looking: the login or demo role of this session (see ``ui.auth``)."""
    from ui import auth

    return auth.current_viewer()


def data_changed() -> None:
    """Drop every cached query result and chart after data changed (import, rollback, targets,
    consent: a consent change changes what every role sees) and rebuild the public static site
    in the background where its content changed (``ui.public_refresh``)."""
    st.cache_data.clear()
    from ui import page_charts, public_refresh

    page_charts.clear()

    live = live_file()  # writes go to the live file only
    public_refresh.after_change(live, connection(live))  # the static public site follows


@st.cache_data(show_spinner=False)
def context(db_path: str) -> charts.Context:
    """ "Stand" and demo flag for captions and chart source lines."""
    with cursor(db_path) as cur:
        as_of = emissions.data_as_of(cur)
        return charts.Context(
            as_of=format_date(as_of.date()) if as_of else "–", demo=emissions.is_demo(cur)
        )


@st.cache_data(show_spinner=False)
def has_real_data(db_path: str) -> bool:
    """Whether the database holds real data (``emissions.has_real_data``): no Demo-Modus then.
    Always asks the live database too (a demo Berichtsstand must not open real live data)."""
    if db_path != live_file() and has_real_data(live_file()):
        return True
    with cursor(db_path) as cur:
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
    with cursor(db_path) as cur:
        return emissions.shown(cur, audience, table)


@st.cache_data(show_spinner=False)
def years(db_path: str) -> list[int]:
    """Years with any emissions data [a], oldest first: no figures (a total of fewer than three
    members must not reach a member or the public, see ``access.total_shown``)."""
    with cursor(db_path) as cur:
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


def view_basis(viewer: Viewer) -> str:
    """The basis ``viewer`` reads: the sidebar's choice (:func:`basis`) for those who see member
    data, else the default (the public page has no choice)."""
    return basis() if viewer.sees_member_data else scope2.DEFAULT


def report(
    viewer: Viewer, db_path: str, year: int | None = None, basis_: str | None = None
) -> Report:
    """Every key figure of reporting ``year`` (default: newest) for ``viewer`` (report.build),
    consent-filtered and pseudonymised, on the view's balance basis (:func:`basis`, or
    ``basis_``); shared by every user of the same role and member."""
    chosen = basis_ or view_basis(viewer)
    year = year if year is not None else stand(db_path).year  # a Berichtsstand: its year
    return _report(viewer.audience, db_path, year, chosen)


@st.cache_data(show_spinner=False)
def _report(audience: Viewer, db_path: str, year: int | None, basis_: str) -> Report:
    with cursor(db_path) as cur:
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
    with cursor(db_path) as cur:
        return emissions.activity_table(cur, audience)


def factor_note(db_path: str) -> str:
    """The sentence naming every year computed with another year's or a provisional factor
    (``factor_years.note``) over all members' data ("" without marks): every viewer sees network
    totals made of them, and it names only carriers and years, no member's figures. On the
    market basis the residual mix's years are named too."""
    viewer = current_viewer()
    return _factor_note(db_path, view_basis(viewer))


@st.cache_data(show_spinner=False)
def _factor_note(db_path: str, basis_: str) -> str:
    if not has_data(db_path):
        return ""
    with cursor(db_path) as cur:
        return factor_years.page_note(cur, market=basis_ == scope2.MARKT)


@st.cache_data(show_spinner=False)
def reference_tables(db_path: str) -> dict[str, pd.DataFrame]:
    """Factors and conversions with sources, for the Methodik page."""
    with cursor(db_path) as cur:
        return {
            "factors": db.query_df(cur, "factors"),
            "conversions": db.query_df(cur, "conversions"),
        }


@st.cache_data(show_spinner=False)
def carrier_names(db_path: str) -> dict[str, str]:
    """carrier_id → German name."""
    with cursor(db_path) as cur:
        return reference.carrier_names(cur)


@st.cache_data(show_spinner=False)
def city_balance() -> list[dict[str, str]]:
    """Dortmund's territorial balance [kt CO₂e] with vintage and source (``data/``)."""
    return reference.read_table("city_balance.csv")


def scope2_years(viewer: Viewer, db_path: str) -> list:
    """Electricity on both bases per visible member and year (kek_data.scope2.years)."""
    return _scope2_years(viewer.audience, db_path)


@st.cache_data(show_spinner=False)
def _scope2_years(audience: Viewer, db_path: str) -> list:
    with cursor(db_path) as cur:
        return scope2.years(cur, audience)


def contracts_table(viewer: Viewer, db_path: str) -> pd.DataFrame:
    """The contracts in force of the visible members (kek_data.contracts.current)."""
    return _contracts_table(viewer.audience, db_path)


@st.cache_data(show_spinner=False)
def _contracts_table(audience: Viewer, db_path: str) -> pd.DataFrame:
    from kek_data import contracts

    with cursor(db_path) as cur:
        return contracts.current(cur, audience)


# --- network work (issue 12: kek_data.network) -------------------------------------------------


def network_work(viewer: Viewer, db_path: str) -> dict:
    """Groups, meetings, actions (status of today), the viewer's naming of the members
    (``network.naming``) and measures of the network work (``kek_data.network``; AccessDenied
    for the public), shared per audience and day."""
    from datetime import date

    return _network_work(viewer.audience, db_path, date.today())


@st.cache_data(show_spinner=False)
def _network_work(audience: Viewer, db_path: str, today: object) -> dict:
    from kek_data import network

    with cursor() as cur:
        return {
            "groups": network.groups(cur, audience),
            "meetings": network.meetings(cur, audience),
            "actions": network.actions(cur, audience, today),  # type: ignore[arg-type]
            "naming": (naming := network.naming(cur, audience)),
            "names": naming.names,  # only the members the viewer sees by name
            "measures": network.measures(cur),
        }


# --- end network work ---------------------------------------------------------------------------


# --- frozen annual reports (issue 12: kek_data.frozen_reports; the choice: ui/stand.py) -------

#: Session key of the Berichtsstand file checked for this session's viewer (ui.stand.choose).
VALID_STAND = "_kek_stand_file"


@st.cache_data(show_spinner=False)
def _freezes(live_path: str) -> list[frozen_reports.Freeze]:
    with cursor(live_path) as cur:
        return frozen_reports.freezes(cur)


def freezes() -> list[frozen_reports.Freeze]:
    """Every Berichtsstand of the live database, newest first (cleared by data_changed)."""
    return _freezes(live_file())


def _frozen_of(db_path: str) -> frozen_reports.Freeze | None:
    """The Berichtsstand whose file ``db_path`` is (None for the live file)."""
    path = config.db_path(db_path)
    if path.parent.name != frozen_reports.FOLDER:
        return None
    for found in freezes():
        if found.file_name == path.name:
            return found
    raise frozen_reports.FrozenReportError(f"{path.name} ist kein Berichtsstand dieser Datenbank.")


@st.cache_data(show_spinner=False)
def stand(db_path: str) -> frozen_reports.Stand:
    """Live data or which Berichtsstand ``db_path`` holds (frozen_reports.stand)."""
    with cursor(db_path) as cur:
        return frozen_reports.stand(cur)


# --- end frozen annual reports ---------------------------------------------------------------


# --- reporting round (issue 12: kek_data.rounds) ------------------------------------------------


def round_overview(viewer: Viewer, db_path: str, year: int) -> object:
    """The round of ``year`` as of today (``kek_data.rounds.overview``; a member gets its own
    row only, the public AccessDenied), shared per audience and day."""
    from datetime import date

    return _round_overview(viewer.audience, db_path, year, date.today())


@st.cache_data(show_spinner=False)
def _round_overview(audience: Viewer, db_path: str, year: int, today: object) -> object:
    from kek_data import rounds

    with cursor() as cur:
        return rounds.overview(cur, audience, year, today)  # type: ignore[arg-type]


def round_years(viewer: Viewer, db_path: str) -> dict:
    """Reporting year → its round in force (``kek_data.rounds.rounds``)."""
    return _round_years(viewer.audience, db_path)


@st.cache_data(show_spinner=False)
def _round_years(audience: Viewer, db_path: str) -> dict:
    from kek_data import rounds

    with cursor() as cur:
        return rounds.rounds(cur, audience)


# --- end reporting round ------------------------------------------------------------------------


# --- measures (issue 12: kek_data.measures) -----------------------------------------------------


def measures_table(viewer: Viewer, db_path: str) -> pd.DataFrame:
    """The measures in force the viewer sees, with their savings (``kek_data.measures.savings``)."""
    return _measures_table(viewer.audience, db_path)


@st.cache_data(show_spinner=False)
def _measures_table(audience: Viewer, db_path: str) -> pd.DataFrame:
    from kek_data import measures

    with cursor(db_path) as cur:
        return measures.savings(cur, audience)


def measure_log(viewer: Viewer, db_path: str, measure_id: int) -> list:
    """The log of one visible measure, oldest first (``kek_data.measures.log``)."""
    return _measure_log(viewer.audience, db_path, int(measure_id))


@st.cache_data(show_spinner=False)
def _measure_log(audience: Viewer, db_path: str, measure_id: int) -> list:
    from kek_data import measures

    with cursor(db_path) as cur:
        return measures.log(cur, audience, measure_id)


@st.cache_data(show_spinner=False)
def measure_choices(db_path: str) -> tuple[dict, dict]:
    """(carrier id → (name, units), working group id → name) for the measure forms."""
    from kek_data import measures

    with cursor(db_path) as cur:
        return measures.units(cur), measures.groups(cur)


# --- end measures -------------------------------------------------------------------------------
