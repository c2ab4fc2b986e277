"""Targets and progress: each member's path, the network path, gaps, rates and the carbon budget.

Why: the pages, the deck and the command line need the same key figures; they are assembled here
from the emissions (:mod:`kek_data.emissions`) and the pure formulas in :mod:`kek_data.paths`
(linear path between milestones, compound rates, least-squares trend, budget = sum of the path).
All values in [t CO₂e], rates in [t CO₂e/a] and [%/a].
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from kek_data import config, db, emissions, paths
from kek_data.viewer import Viewer

NETWORK = "netzwerk"


@dataclass(frozen=True)
class Target:
    """A target as agreed with the network manager; base_value [t CO₂e] resolved from data."""

    owner: str
    base_year: int
    base_value: float | None
    milestones: dict[int, float]
    neutrality_year: int | None
    residual_pct: float
    basis: str
    source: str
    is_demo: bool

    def path(self, years: range) -> dict[int, float]:
        """Target path [t CO₂e] for the given years (empty without a base value)."""
        if self.base_value is None:
            return {}
        return paths.target_path(
            self.base_year,
            self.base_value,
            self.milestones,
            self.neutrality_year,
            years,
            residual_pct=self.residual_pct,
        )

    def describe(self) -> str:
        """German one-liner, e.g. "−55 % bis 2030, neutral 2035 (Basis 2015)"."""
        parts = [f"−{p:g} % bis {y}" for y, p in sorted(self.milestones.items())]
        if self.neutrality_year:
            rest = f" (Rest {self.residual_pct:g} %)" if self.residual_pct else ""
            parts.append(f"neutral {self.neutrality_year}{rest}")
        return ", ".join(parts) + f" (Basis {self.base_year})"


@dataclass(frozen=True)
class Kpi:
    """Key figures of one member or the network at its latest reported year."""

    owner: str
    latest_year: int | None
    latest: float | None
    base_year: int | None
    base: float | None
    change_pct: float | None  # [%] vs base (negative = reduction)
    path_latest: float | None
    gap_latest: float | None  # actual − path; positive = behind
    status: str  # gruen / gelb / rot / "ohne Ziel"
    path_2030: float | None
    path_2035: float | None
    to_go_2030: float | None  # latest − path(2030) [t CO₂e]
    to_go_2035: float | None
    required_2030: paths.Rate | None
    required_2035: paths.Rate | None
    achieved: paths.Rate | None
    zero_year: int | None  # at the trend of the last five years; None = "nie"
    projected_2030: float | None  # trend value in 2030 [t CO₂e]
    projected_2035: float | None  # trend value in 2035 [t CO₂e]
    budget: paths.Budget | None
    series: dict[int, float] = field(default_factory=dict)
    path: dict[int, float] = field(default_factory=dict)


def trend_gap(projected: float | None, path_value: float | None) -> float | None:
    """Gap in a future year at the current trend: projection − path [t CO₂e] (positive = behind)."""
    if projected is None or path_value is None:
        return None
    return projected - path_value


def path_years(start: int) -> range:
    """Years a path is evaluated for: from the base year to the neutrality year 2035 [a]."""
    return range(start, max(config.NEUTRALITY_YEAR, start) + 1)


def targets(
    con: duckdb.DuckDBPyConnection, viewer: Viewer, detail: pd.DataFrame
) -> dict[str, Target]:
    """Current targets by owner (member ids the viewer may see, plus 'netzwerk').

    A target without a stored base value takes the emissions of its base year from ``detail``;
    the network's from the network total of its base year.
    """
    rows = db.query_df(con, "current_targets", **viewer.params())
    milestones: dict[int, dict[int, float]] = {}
    for target_id, year, pct in db.query_rows(con, "milestones"):
        milestones.setdefault(int(target_id), {})[int(year)] = float(pct)
    by_member = emissions.all_series(detail)
    network = emissions.series(detail)
    result = {}
    for r in rows.itertuples():
        owner = str(r.owner)
        base = None if pd.isna(r.base_value_t) else float(r.base_value_t)
        if base is None:
            values = network if owner == NETWORK else by_member.get(owner, {})
            base = values.get(int(r.base_year))
        result[owner] = Target(
            owner=owner,
            base_year=int(r.base_year),
            base_value=base,
            milestones=milestones.get(int(r.target_id), {}),
            neutrality_year=None if pd.isna(r.neutrality_year) else int(r.neutrality_year),
            residual_pct=float(r.residual_pct),
            basis=str(r.basis),
            source=str(r.source),
            is_demo=bool(r.is_demo),
        )
    return result


def latest_complete_year(
    series: Mapping[int, float], complete_years: Iterable[int] | None
) -> int | None:
    """The reporting year the key figures use [a]: the newest *complete* year.

    A year in which only some members (network) or only some energy carriers (member) were
    reported would understate the emissions and flatter gap, rates and traffic light, so the
    newest complete year is used; without any complete year, the newest year.
    """
    if not series:
        return None
    complete = [y for y in (complete_years or ()) if y in series]
    return max(complete) if complete else max(series)


def kpi(
    owner: str,
    series: dict[int, float],
    target: Target | None,
    latest_year: int | None = None,
) -> Kpi:
    """All key figures of one emission series [t CO₂e] against its target path.

    ``latest_year`` is the reporting year (default: the newest year of ``series``); rates,
    trend and budget use the years up to it, ``series`` keeps every year for charts.
    """
    full = series
    if latest_year is None:
        latest_year = max(series) if series else None
    series = {y: v for y, v in full.items() if latest_year is not None and y <= latest_year}
    latest = series[latest_year] if latest_year is not None else None
    path: dict[int, float] = {}
    if target is not None and target.base_value is not None:
        path = target.path(path_years(min(target.base_year, latest_year or target.base_year)))
    base_year = target.base_year if target else (min(series) if series else None)
    base = target.base_value if target else (series.get(base_year) if base_year else None)
    change = None
    if base and latest is not None:
        change = (latest / base - 1) * 100

    def req(year: int) -> paths.Rate | None:
        if latest_year is None or year not in path or year <= latest_year:
            return None
        return paths.required_rate(latest_year, latest, year, path[year])

    path_latest = path.get(latest_year) if latest_year is not None else None
    m, n = config.MILESTONE_YEAR, config.NEUTRALITY_YEAR
    return Kpi(
        owner=owner,
        latest_year=latest_year,
        latest=latest,
        base_year=base_year,
        base=base,
        change_pct=change,
        path_latest=path_latest,
        gap_latest=None if path_latest is None else latest - path_latest,
        status="ohne Ziel" if path_latest is None else paths.status(latest, path_latest),
        path_2030=path.get(m),
        path_2035=path.get(n),
        to_go_2030=None if m not in path or latest is None else latest - path[m],
        to_go_2035=None if n not in path or latest is None else latest - path[n],
        required_2030=req(m),
        # a target neutral by 2030 or earlier has nothing left to reach by 2035
        required_2035=(
            None
            if target is not None and target.neutrality_year and target.neutrality_year <= m
            else req(n)
        ),
        achieved=paths.achieved_rate(series) if len(series) >= 2 else None,
        zero_year=paths.trend_zero_year(series) if len(series) >= 2 else None,
        projected_2030=paths.trend_value(series, m) if len(series) >= 2 else None,
        projected_2035=paths.trend_value(series, n) if len(series) >= 2 else None,
        budget=(
            paths.carbon_budget(series, path, target.base_year, n)
            if target is not None and path
            else None
        ),
        series=full,
        path=path,
    )


def member_kpis(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> dict[str, Kpi]:
    """Key figures of every member the viewer may see, in the members' order."""
    detail = emissions.detail(con, viewer)
    goals = targets(con, viewer, detail)
    by_member = emissions.all_series(detail)
    complete = complete_member_years(con, viewer)
    result = {}
    for member_id in emissions.members(con, viewer)["member_id"]:
        series = by_member.get(member_id, {})
        year = latest_complete_year(series, complete.get(member_id))
        result[member_id] = kpi(member_id, series, goals.get(member_id), year)
    return result


def complete_member_years(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> dict[str, set[int]]:
    """member_id → years with every energy carrier the member ever reported."""
    comp = emissions.completeness(con, viewer)
    done = comp[comp["status"] == "vollständig"]
    result: dict[str, set[int]] = {}
    for member_id, year in zip(done["member_id"], done["year"], strict=True):
        result.setdefault(str(member_id), set()).add(int(year))
    return result


def complete_network_years(con: duckdb.DuckDBPyConnection) -> set[int]:
    """Years in which every member that ever reported has reported (aggregate) [a]."""
    totals = emissions.network_totals(con)
    if totals.empty:
        return set()
    most = int(totals["members_reporting"].max())
    return {int(y) for y in totals.loc[totals["members_reporting"] == most, "year"]}


def network_kpi(con: duckdb.DuckDBPyConnection) -> Kpi:
    """Key figures of the network total against the network's reference path (aggregate)."""
    from kek_data.viewer import NETWORK_MANAGER  # aggregate over all members, shown to everyone

    detail = emissions.detail(con, NETWORK_MANAGER)
    goals = targets(con, NETWORK_MANAGER, detail)
    series = emissions.series(detail)
    year = latest_complete_year(series, complete_network_years(con))
    return kpi(NETWORK, series, goals.get(NETWORK), year)


def network_paths(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per year: actual network total, network path, and the sum of the members' own paths.

    The last two show the gap between what the members promised and what 2035 needs [t CO₂e].
    """
    from kek_data.viewer import NETWORK_MANAGER

    detail = emissions.detail(con, NETWORK_MANAGER)
    goals = targets(con, NETWORK_MANAGER, detail)
    actual = emissions.series(detail)
    net = goals.get(NETWORK)
    start = min([*actual, *(t.base_year for t in goals.values())], default=config.MILESTONE_YEAR)
    years = path_years(start)
    network_path = net.path(years) if net else {}
    members_sum: dict[int, float] = {}
    for owner, goal in goals.items():
        if owner == NETWORK:
            continue
        for year, value in goal.path(years).items():
            members_sum[year] = members_sum.get(year, 0.0) + value
    return pd.DataFrame(
        {
            "year": list(years),
            "actual": [actual.get(y, math.nan) for y in years],
            "network_path": [network_path.get(y, math.nan) for y in years],
            "members_path": [members_sum.get(y, math.nan) for y in years],
        }
    )
