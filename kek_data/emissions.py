"""Emissions derived from activity × conversion × factor, by member, year, carrier and scope.

Why: emissions are never stored; the SQL view ``emissions`` (``sql/migrations``) computes
kWh [kWh, net calorific value] = quantity × conversion factor and
t CO₂e = kWh × emission factor [g CO₂e/kWh] / 10⁶ (BISKO, factor valid in the activity year).
These functions shape the view's rows for pages, exports and the command line; each takes the
viewer so that member data never reach someone who may not see them.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from kek_data import access, db, reference
from kek_data.viewer import DEMO_USER, NETWORK_MANAGER, Viewer


def members(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> pd.DataFrame:
    """Members the viewer may see: member_id, name, short_name, sector, sort_order."""
    return db.query_df(con, "members", **viewer.params())


def detail(con: duckdb.DuckDBPyConnection, viewer: Viewer, basis: str = "standort") -> pd.DataFrame:
    """[kWh] and [t CO₂e] per member_id, year, carrier_id, scope (sites summed).

    ``basis``: 'standort' (location-based, BISKO; the default of every figure) or 'markt'
    (market-based Scope 2, :mod:`kek_data.scope2`)."""
    df = db.query_df(con, "emissions_detail", basis=basis, **viewer.params())
    return df.astype({"year": "int64", "scope": "int64"})


def network_totals(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Network total per year [t CO₂e] and members_reporting; aggregate, visible to everyone."""
    df = db.query_df(con, "network_totals")
    return df.astype({"year": "int64", "members_reporting": "int64"})


def series(df: pd.DataFrame, member_id: str | None = None) -> dict[int, float]:
    """year → t CO₂e from :func:`detail` rows, for one member or (None) all rows summed."""
    if member_id is not None:
        df = df[df["member_id"] == member_id]
    grouped = df.groupby("year")["t_co2e"].sum()
    return {int(y): float(v) for y, v in grouped.items()}


def completeness(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> pd.DataFrame:
    """Status per member and year: 'vollständig', 'teilweise' or 'fehlt'.

    Expected carriers of a member are those it reported in any year; a year is complete when all
    of them are present, partial when some are, missing when none are. Columns: member_id, year,
    status, present, expected, missing_carriers (German names, comma separated).
    """
    return db.query_df(con, "completeness", **viewer.params())


def all_series(df: pd.DataFrame) -> dict[str, dict[int, float]]:
    """member_id → (year → t CO₂e) from :func:`detail` rows, grouped once."""
    grouped = df.groupby(["member_id", "year"])["t_co2e"].sum()
    result: dict[str, dict[int, float]] = {}
    for (member_id, year), value in grouped.items():
        result.setdefault(str(member_id), {})[int(year)] = float(value)
    return result


def activity_table(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> pd.DataFrame:
    """Current activity rows as reported (quantity in the reported unit) with their submission."""
    return db.query_df(con, "activity_table", **viewer.params())


def shown(con: duckdb.DuckDBPyConnection, viewer: Viewer, table: str) -> pd.DataFrame:
    """:func:`members`, :func:`detail` or :func:`completeness` (``table``) of every member the
    viewer sees under the publication consent (:func:`kek_data.access.visibility`: the viewer's
    own organisation, named members, "Mitglied A" for *nur im Gesamtwert*), ids and names as
    shown, rows in the viewer's member order (pseudonyms last, so no list position leaks).

    The one place the pages' member tables pass the consent rule (the report applies the same
    visibility to its own copies). Units as in the functions named.
    """
    read = {"members": members, "detail": detail, "completeness": completeness}[table]
    return access.visibility(con, viewer).frame(read(con, NETWORK_MANAGER))


def data_as_of(con: duckdb.DuckDBPyConnection):
    """Timestamp of the newest submission behind the current data ("Stand"), or None."""
    return db.query_rows(con, "data_as_of")[0][0]


def is_demo(con: duckdb.DuckDBPyConnection) -> bool:
    """True when any current data or target comes from the demo generator."""
    return bool(db.query_rows(con, "demo_flags")[0][0])


def has_real_data(con: duckdb.DuckDBPyConnection) -> bool:
    """True when any current submission or member target is real data (not demo, not uploaded
    in the Demo-Modus): then the Demo-Modus (no login) must not show the database, even if demo
    data are mixed in."""
    files = {
        "network_file": reference.NETWORK_TARGET_FILE,
        "parent_file": reference.PARENT_TARGETS_FILE,
    }
    return bool(db.query_rows(con, "real_data", demo_prefix=DEMO_USER, **files)[0][0])
