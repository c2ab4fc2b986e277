"""Key figures of one emission series against its target: path, gap, rates, trend, budget.

Why: every key figure of a member or of the network is computed by :func:`kpi` from one series
[t CO₂e] and one :class:`Target`, with the pure formulas of :mod:`kek_data.formulas` (linear path
between milestones, linear and compound rates, least-squares trend, budget = sum of the path).
Which series and which year a surface shows is decided once in :mod:`kek_data.report`.
Reference years (milestones, neutrality year) come from the target data, never from names.
All values in [t CO₂e], rates in [t CO₂e/a] and [%/a].
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd

from kek_data import db, formulas, status, wording
from kek_data.numbers import format_plain
from kek_data.viewer import Viewer

NETWORK = "netzwerk"


@dataclass(frozen=True)
class Target:
    """A target as agreed with the network manager; base_value [t CO₂e] resolved from data."""

    owner: str
    base_year: int
    base_value: float | None
    milestones: dict[int, float]  # year → reduction [%] vs base
    neutrality_year: int | None
    residual_pct: float
    basis: str
    source: str
    is_demo: bool
    target_id: int | None = None
    kind: str = "eigenes Ziel"  # eigenes Ziel · Vorgabe des Dachverbands · SBTi-Pfad · Netzwerkpfad
    body: str | None = None  # parent body of a 'vorgabe'
    scopes: str = "1+2"  # '1', '2' or '1+2'
    agreed_on: date | None = None
    entered_by: str = ""
    valid_from: date | None = None
    verified: bool = False
    base_derived: bool = False  # base_value taken from the base year's emissions (not entered)

    @property
    def final_year(self) -> int:
        """The last year the target says something about: neutrality year or last milestone [a]."""
        return self.neutrality_year or max(self.milestones, default=self.base_year)

    @property
    def reference_years(self) -> tuple[int, ...]:
        """Milestone years and the neutrality year, sorted [a]."""
        years = set(self.milestones) | ({self.neutrality_year} if self.neutrality_year else set())
        return tuple(sorted(years))

    def path(self, years: Iterable[int]) -> dict[int, float]:
        """Target path [t CO₂e] for the given years (empty without a base value)."""
        if self.base_value is None:
            return {}
        return formulas.target_path(
            self.base_year,
            self.base_value,
            self.milestones,
            self.neutrality_year,
            years,
            residual_pct=self.residual_pct,
        )

    def describe(self) -> str:
        """German one-liner, e.g. "−55 % bis 2030, neutral 2035 (Basis 2015)"."""
        parts = [f"−{format_plain(p)} % bis {y}" for y, p in sorted(self.milestones.items())]
        if self.neutrality_year:
            rest = f" (Rest {format_plain(self.residual_pct)} %)" if self.residual_pct else ""
            parts.append(f"neutral {self.neutrality_year}{rest}")
        return ", ".join(parts) + f" (Basis {self.base_year})"


@dataclass(frozen=True)
class Step:
    """What a series needs from its reporting year to its path value in a reference ``year``.

    ``required_pct`` is linear, in % of the emissions of the reporting year per year (the
    denominator is named by :attr:`Kpi.rate_basis`); the compound rate is
    ``required.pct_per_year``.
    """

    year: int
    path: float  # path value in year [t CO₂e]
    to_go: float  # reporting-year emissions − path value [t CO₂e]
    required: formulas.Rate  # [t CO₂e/a] linear, [%/a] compound
    required_pct: float | None  # [% of the reporting year per year], linear
    projected: float | None  # trend value in year [t CO₂e]
    trend_gap: float | None  # projected − path [t CO₂e]; positive = behind


@dataclass(frozen=True)
class Kpi:
    """Key figures of one member or the network in its reporting year ``latest_year``."""

    owner: str
    latest_year: int | None
    latest: float | None
    base_year: int | None
    base: float | None
    change_pct: float | None  # [%] vs base (negative = reduction)
    path_latest: float | None
    gap_latest: float | None  # actual − path; positive = behind
    status: str  # id of kek_data.status.LIGHTS
    steps: dict[int, Step]  # reference year → what it takes (years after latest_year)
    achieved: formulas.Rate | None  # over the trend window, ending in latest_year
    achieved_pct: float | None  # [% of the reporting year per year], linear
    zero_years: dict[int, int | None]  # trend window [a] → zero year; None = "nie"
    budget: formulas.Budget | None
    budget_end: int | None  # last year of the budget [a]
    series: dict[int, float] = field(default_factory=dict)  # years ≤ latest_year
    path: dict[int, float] = field(default_factory=dict)

    @property
    def zero_year(self) -> int | None:
        """Zero year at the trend of the standard window (:data:`formulas.WINDOW`) [a]."""
        return self.zero_years.get(formulas.WINDOW)

    @property
    def rate_basis(self) -> str:
        """The denominator of the % rates, e.g. "% der Emissionen 2025"."""
        return wording.rate_basis(self.latest_year)

    def step(self, year: int) -> Step | None:
        """The step to reference ``year``, None if the target says nothing for it."""
        return self.steps.get(year)

    def next_step(self) -> Step | None:
        """The first reference year after the reporting year."""
        return self.steps[min(self.steps)] if self.steps else None


def pct_of(t_per_year: float | None, latest: float | None) -> float | None:
    """A yearly amount [t CO₂e/a] as % of the reporting year's emissions [%/a]."""
    if t_per_year is None or not latest:
        return None
    return t_per_year / latest * 100


def kpi(
    owner: str,
    series: Mapping[int, float],
    target: Target | None,
    latest_year: int | None,
    reference_years: Iterable[int] = (),
    horizon: int | None = None,
    after: int | None = None,
) -> Kpi:
    """All key figures of one emission series [t CO₂e] against its target path.

    ``latest_year`` is the reporting year; only years up to it count. ``reference_years`` are
    the network's reference years, added to the target's own (milestones, neutrality year) up to
    the target's final year; steps are given for years after ``after`` (default:
    ``latest_year``; the report passes its reporting year, so a member counted with an older year
    gets no step to a year the report already covers). ``horizon`` is the last year of the
    budget, the same for every series so budgets compare (default: the target's final year);
    the path runs to the later of the horizon and the target's final year.
    """
    series = {y: v for y, v in series.items() if latest_year is not None and y <= latest_year}
    latest = series.get(latest_year) if latest_year is not None else None
    path: dict[int, float] = {}
    steps: dict[int, Step] = {}
    end = horizon
    if target is not None and target.base_value is not None:
        end = horizon or target.final_year
        start = min([target.base_year, *series])
        path = target.path(range(start, max(end, target.final_year) + 1))
    base_year = target.base_year if target else (min(series) if series else None)
    base = target.base_value if target else (series.get(base_year) if base_year else None)
    change = None if not base or latest is None else (latest / base - 1) * 100
    trend = len(series) >= 2
    if target is not None and path and latest is not None and latest_year is not None:
        wanted = set(target.reference_years) | set(reference_years)
        first = max(latest_year, after or latest_year)
        for year in sorted(y for y in wanted if first < y <= target.final_year):
            rate = formulas.required_rate(latest_year, latest, year, path[year])
            projected = formulas.trend_value(series, year) if trend else None
            steps[year] = Step(
                year=year,
                path=path[year],
                to_go=latest - path[year],
                required=rate,
                required_pct=pct_of(rate.t_per_year, latest),
                projected=projected,
                trend_gap=None if projected is None else projected - path[year],
            )
    path_latest = path.get(latest_year) if latest_year is not None else None
    achieved = formulas.achieved_rate(series) if trend else None
    return Kpi(
        owner=owner,
        latest_year=latest_year,
        latest=latest,
        base_year=base_year,
        base=base,
        change_pct=change,
        path_latest=path_latest,
        gap_latest=None if path_latest is None or latest is None else latest - path_latest,
        status=status.NO_TARGET if latest is None else status.light(latest, path_latest),
        steps=steps,
        achieved=achieved,
        achieved_pct=None if achieved is None else pct_of(achieved.t_per_year, latest),
        zero_years={
            w: formulas.trend_zero_year(series, w) if trend else None
            for w in formulas.ZERO_YEAR_WINDOWS
        },
        budget=(
            formulas.carbon_budget(series, path, target.base_year, end)
            if target is not None and path and end is not None
            else None
        ),
        budget_end=end if path else None,
        series=series,
        path=path,
    )


def targets(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    member_series: Mapping[str, Mapping[int, float]],
    network_series: Mapping[int, float],
    *,
    purpose: str = "ziel",
    as_of: date | None = None,
) -> dict[str, Target]:
    """Targets in force on ``as_of`` (default today) by owner (member ids the viewer may see,
    plus 'netzwerk'); ``purpose`` 'ziel' (the agreed targets) or 'vorgabe' (parent bodies').

    A target without a stored base value takes the emissions of its base year: a member's from
    ``member_series``, the network's from ``network_series`` (the network total of all members,
    whoever is looking).
    """
    rows = db.query_df(
        con, "current_targets", purpose=purpose, as_of=as_of or date.today(), **viewer.params()
    )
    milestones: dict[int, dict[int, float]] = {}
    for target_id, year, pct in db.query_rows(con, "milestones"):
        milestones.setdefault(int(target_id), {})[int(year)] = float(pct)
    result = {}
    for r in rows.itertuples():
        owner = str(r.owner)
        base = None if pd.isna(r.base_value_t) else float(r.base_value_t)
        derived = base is None
        if base is None:
            values = network_series if owner == NETWORK else member_series.get(owner, {})
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
            target_id=int(r.target_id),
            kind=str(r.kind or "eigenes Ziel"),
            body=None if pd.isna(r.body) else str(r.body),
            scopes=str(r.scopes or "1+2"),
            agreed_on=None if pd.isna(r.agreed_on) else pd.Timestamp(r.agreed_on).date(),
            entered_by="" if pd.isna(r.entered_by) else str(r.entered_by),
            valid_from=None if pd.isna(r.valid_from) else pd.Timestamp(r.valid_from).date(),
            verified=bool(r.verified) if not pd.isna(r.verified) else False,
            base_derived=derived,
        )
    return result
