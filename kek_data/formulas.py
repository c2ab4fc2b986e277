"""Formulas: target paths, required/achieved reduction rates, trend and carbon budget.

Pure layer-1 module: stdlib only, no I/O, no project imports. Every series is a
``Mapping[int, float]`` from year to emissions in [t CO₂e].

Methodology
-----------
* **Target path** – a member's path is a piecewise *linear* line through its anchor points
  (base year, milestones, neutrality year), like the SBTi "absolute contraction approach",
  which reduces absolute emissions by the same amount [t CO₂e] every year between targets.
  After the last anchor the path stays flat.
* **Rates** – reported two ways: the linear rate [t CO₂e/a] (what the path uses) and the
  *compound* rate [%/a], i.e. the constant yearly percentage that leads from the start to the
  end value (``1 − (end/start)^(1/n)``). A compound rate can never reach 0, so it is ``None``
  for a neutrality target of 0 [t CO₂e]; the linear rate is the meaningful figure there.
* **Achieved rate** – the slope of the trend line (one "current pace"), not the difference of
  two single years.
* **Window** – trend and achieved rate look at the last ``window`` calendar years
  ``L − window + 1 … L`` (only the years present), i.e. five years 2021–2025 for L = 2025.
* **Trend** – an ordinary least-squares line through the window. It answers "when do we reach
  zero at the current pace?" and "where are we in year X at the current pace?". The zero year
  is sensitive to the window, so surfaces show it for every window of :data:`ZERO_YEAR_WINDOWS`.
* **Carbon budget** – the cumulative emissions [t CO₂e] the path allows over a period,
  compared with the cumulative actual emissions so far; what the path still needs after the
  last actual year (``path_rest``), how far that is over what is left (``over``), and the year
  in which the trend uses up what is left (``exhausted_year``).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = [
    "Budget",
    "Rate",
    "WINDOW",
    "ZERO_YEAR_WINDOWS",
    "achieved_rate",
    "carbon_budget",
    "required_rate",
    "target_path",
    "trend_value",
    "trend_zero_year",
]


#: Calendar years the trend and the achieved rate look at [a]: the years L − WINDOW + 1 … L
#: that have data (five years 2021–2025 for L = 2025).
WINDOW = 5
#: Windows [a] for which surfaces show the zero year side by side (how sensitive it is).
ZERO_YEAR_WINDOWS = (5, 10)


@dataclass(frozen=True)
class Rate:
    """A yearly reduction rate.

    ``t_per_year`` [t CO₂e/a]: linear reduction per year (positive = reduction, negative =
    increase). ``pct_per_year`` [%/a]: compound reduction per year (positive = reduction);
    ``None`` where no finite compound rate exists (start or end value ≤ 0).
    """

    t_per_year: float
    pct_per_year: float | None


@dataclass(frozen=True)
class Budget:
    """Carbon budget of a period, all values in [t CO₂e].

    ``budget``: cumulative emissions the path allows; ``used``: cumulative actual emissions so
    far; ``left``: ``budget − used`` (negative = budget overdrawn); ``years_used``: first and
    last year that went into ``used`` (``None`` if no actual year lies in the period).
    ``path_rest``: what the path still needs in the years ``rest_years`` after the last actual
    year up to the end (``None`` = no year left); ``over``: ``path_rest − left`` (positive = even
    following the path exactly from now on, the budget is exceeded by that much);
    ``exhausted_year``: the year in which the trend uses up ``left`` (the last actual year if
    ``left ≤ 0``; ``None`` if the trend does not use it up by the end year).
    """

    budget: float
    used: float
    left: float
    years_used: tuple[int, int] | None
    path_rest: float = 0.0
    rest_years: tuple[int, int] | None = None
    exhausted_year: int | None = None

    @property
    def over(self) -> float:
        """What the path still needs beyond what is left [t CO₂e]; positive = already over."""
        return self.path_rest - self.left


def _anchors(
    base_year: int,
    base_value: float,
    milestones: Mapping[int, float],
    neutrality_year: int | None,
    residual_pct: float,
) -> list[tuple[int, float]]:
    """Anchor points (year, [t CO₂e]) of a path, sorted by year; neutrality beats milestones."""
    points: dict[int, float] = {base_year: float(base_value)}
    for year, pct in milestones.items():
        if year <= base_year:
            raise ValueError(f"Zwischenziel {year} liegt nicht nach dem Basisjahr {base_year}.")
        points[year] = base_value * (1.0 - pct / 100.0)
    if neutrality_year is not None:
        if neutrality_year <= base_year:
            raise ValueError(
                f"Neutralitätsjahr {neutrality_year} liegt nicht nach dem Basisjahr {base_year}."
            )
        points[neutrality_year] = base_value * residual_pct / 100.0
    return sorted(points.items())


def target_path(
    base_year: int,
    base_value: float,
    milestones: Mapping[int, float],
    neutrality_year: int | None,
    years: Iterable[int],
    residual_pct: float = 0.0,
) -> dict[int, float]:
    """Return the member's target path [t CO₂e] for each requested year ≥ ``base_year``.

    ``milestones`` maps a target year to the reduction [%] versus the base year;
    ``residual_pct`` [%] is the share of the base value still emitted in the neutrality year.
    Values are linearly interpolated between anchors and held flat after the last anchor, so
    the UI can draw the path far beyond the neutrality year. Years before ``base_year`` are
    omitted because a path has no meaning before its baseline.

    Raises ``ValueError`` if a milestone or the neutrality year is not after ``base_year``.
    """
    anchors = _anchors(base_year, base_value, milestones, neutrality_year, residual_pct)
    result: dict[int, float] = {}
    for year in sorted(set(years)):
        if year < base_year:
            continue
        result[year] = _interpolate(anchors, year)
    return result


def _interpolate(anchors: list[tuple[int, float]], year: int) -> float:
    """Linear interpolation [t CO₂e] between sorted anchors; flat after the last one."""
    if year >= anchors[-1][0]:
        return anchors[-1][1]
    for (y0, v0), (y1, v1) in itertools.pairwise(anchors):
        if y0 <= year <= y1:
            return v0 + (v1 - v0) * (year - y0) / (y1 - y0)
    return anchors[0][1]  # before the first anchor (not reached: filtered by the caller)


def required_rate(
    current_year: int, current_value: float, target_year: int, target_value: float
) -> Rate:
    """Average reduction needed to get from the current value to the target value.

    ``t_per_year`` [t CO₂e/a] = (current − target) / (target_year − current_year); negative
    means the emissions may still rise and the target is met. ``pct_per_year`` [%/a] is the
    compound rate ``(1 − (target/current)^(1/n)) × 100``; it is ``None`` when the target is
    ≤ 0 (a neutrality target of 0 can never be reached by a percentage cut, only by the linear
    rate) or when the current value is ≤ 0.

    If the current value is already ≤ 0 and the target is not lower, nothing remains to be
    reduced: ``Rate(0.0, None)``. Raises ``ValueError`` if ``target_year <= current_year``,
    because a rate needs at least one year to act.
    """
    n = target_year - current_year
    if n <= 0:
        raise ValueError(f"Zieljahr {target_year} liegt nicht nach dem Jahr {current_year}.")
    if current_value <= 0:
        if target_value >= current_value:
            return Rate(0.0, None)
        return Rate((current_value - target_value) / n, None)
    t_per_year = (current_value - target_value) / n
    if target_value <= 0:
        return Rate(t_per_year, None)
    return Rate(t_per_year, (1.0 - (target_value / current_value) ** (1.0 / n)) * 100.0)


def window_years(last_year: int, window: int = WINDOW) -> tuple[int, int]:
    """First and last calendar year of the window ending in ``last_year`` [a]."""
    if window < 1:
        raise ValueError("Das Zeitfenster muss mindestens 1 Jahr umfassen.")
    return last_year - window + 1, last_year


def _window(series: Mapping[int, float], window: int) -> list[tuple[int, float]]:
    """Points (year, [t CO₂e]) of the years ``L − window + 1 … L`` present, sorted by year."""
    if window < 1:
        raise ValueError("Das Zeitfenster muss mindestens 1 Jahr umfassen.")
    if not series:
        return []
    first, _ = window_years(max(series), window)
    return sorted((y, float(v)) for y, v in series.items() if y >= first)


def achieved_rate(series: Mapping[int, float], window: int = WINDOW) -> Rate | None:
    """Average reduction actually achieved over the last ``window`` years [a]: the pace of the
    trend.

    ``t_per_year`` [t CO₂e/a] is the falling slope of the same least-squares line the trend and
    the zero year use (:func:`trend_value`), so "erreicht" and "beim jetzigen Tempo" are one
    figure; positive for a reduction. ``pct_per_year`` [%/a] is the compound rate between the
    line's values in the window's first and last present year, ``None`` if the first is ≤ 0 or
    the last < 0. One noisy end year moves the line, not the whole rate. Returns ``None`` if the
    window holds fewer than two years, because a single point has no rate.
    """
    points = _window(series, window)
    if len(points) < 2:
        return None
    x_mean, y_mean, slope = _fit(points)
    first_year, last_year = points[0][0], points[-1][0]
    first = y_mean + slope * (first_year - x_mean)
    last = y_mean + slope * (last_year - x_mean)
    if first <= 0 or last < 0:
        return Rate(-slope, None)
    return Rate(-slope, (1.0 - (last / first) ** (1.0 / (last_year - first_year))) * 100.0)


def _fit(points: list[tuple[int, float]]) -> tuple[float, float, float]:
    """Least-squares line as (mean year [a], mean value [t CO₂e], slope [t CO₂e/a])."""
    n = len(points)
    x_mean = sum(y for y, _ in points) / n
    y_mean = sum(v for _, v in points) / n
    sxx = sum((y - x_mean) ** 2 for y, _ in points)
    sxy = sum((y - x_mean) * (v - y_mean) for y, v in points)
    return x_mean, y_mean, (sxy / sxx if sxx else 0.0)


def trend_zero_year(series: Mapping[int, float], window: int = WINDOW) -> int | None:
    """First whole year in which the current trend reaches ≤ 0 [t CO₂e], or ``None`` ("nie").

    The trend is the least-squares line through the years ``L − window + 1 … L`` present. Returns
    ``L`` if the last value is already ≤ 0. Returns ``None`` if the line does not fall (slope
    ≥ 0) or fewer than two years are available. A zero crossing before ``L`` (possible with
    noisy data while the last value is still positive) is reported as ``L``, because a year in
    the past is no useful answer to "when at the current pace?".
    """
    points = _window(series, window)
    if not points:
        return None
    last_year, last_value = points[-1]
    if last_value <= 0:
        return last_year
    if len(points) < 2:
        return None
    x_mean, y_mean, slope = _fit(points)
    if slope >= 0:
        return None
    root = x_mean - y_mean / slope
    return max(math.ceil(round(root, 9)), last_year)


def trend_value(series: Mapping[int, float], year: int, window: int = WINDOW) -> float:
    """Value [t CO₂e] of the current trend line in ``year``, floored at 0.

    Used to project "at the current pace" (e.g. the value in a target year). With a single
    year in the window the trend is flat at that value. Raises ``ValueError`` for an empty
    series.
    """
    points = _window(series, window)
    if not points:
        raise ValueError("Für einen Trend werden Messwerte benötigt.")
    if len(points) == 1:
        return max(points[0][1], 0.0)
    x_mean, y_mean, slope = _fit(points)
    return max(y_mean + slope * (year - x_mean), 0.0)


def carbon_budget(
    actual: Mapping[int, float],
    path: Mapping[int, float],
    start_year: int,
    end_year: int,
    window: int = WINDOW,
) -> Budget:
    """Cumulative budget the path allows versus emissions used so far, in [t CO₂e].

    ``budget`` sums the path values for ``start_year … end_year`` (inclusive, years present in
    the path); ``used`` sums the actual values for ``start_year … min(end_year, latest actual
    year)``. ``left`` may be negative: then the whole period's budget is already overdrawn.
    ``path_rest`` sums the path values of the years after the latest actual year (at the
    earliest ``start_year``) up to ``end_year``; ``exhausted_year`` is the first of those years
    in which the cumulative trend values (:func:`trend_value` over ``window``) reach ``left``.
    Raises ``ValueError`` if ``end_year < start_year``.
    """
    if end_year < start_year:
        raise ValueError(f"Endjahr {end_year} liegt vor dem Startjahr {start_year}.")
    budget = sum(v for y, v in path.items() if start_year <= y <= end_year)
    used_years = sorted(y for y in actual if start_year <= y <= end_year)
    used = sum(actual[y] for y in used_years)
    years_used = (used_years[0], used_years[-1]) if used_years else None
    left = float(budget - used)
    first_rest = max(max(actual) + 1, start_year) if actual else start_year
    rest = list(range(first_rest, end_year + 1))
    path_rest = sum(path.get(y, 0.0) for y in rest)
    exhausted = _exhausted_year(actual, left, rest, window, end_year)
    return Budget(
        float(budget),
        float(used),
        left,
        years_used,
        path_rest=float(path_rest),
        rest_years=(rest[0], rest[-1]) if rest else None,
        exhausted_year=exhausted,
    )


def _exhausted_year(
    actual: Mapping[int, float], left: float, rest: list[int], window: int, end_year: int
) -> int | None:
    """First year of ``rest`` in which the cumulative trend [t CO₂e] reaches ``left``; the
    last actual year up to ``end_year`` if nothing is left."""
    if not actual:
        return None
    if left <= 0:
        return max((y for y in actual if y <= end_year), default=max(actual))
    total = 0.0
    for year in rest:
        total += trend_value(actual, year, window)
        if total >= left - 1e-9:
            return year
    return None
