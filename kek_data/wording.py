"""German wording of key figures (pages and slides): tonnes, signed gaps, yearly rates, lights.

Why: the deck shows the same numbers in tiles, tables and sentences; one place decides how they
read ("216.416 t CO₂e", "+14.397 t CO₂e", "6,7 % pro Jahr") so tests can find them again.
Tonnes [t CO₂e] without decimals (as the chart axes), percentages with one decimal; yearly rates
in % of the reporting year's emissions, as the chart "Minderung pro Jahr" shows them.
"""

from __future__ import annotations

import inspect

from kek_data import paths
from kek_data.numbers import format_number, format_pct, format_t

STATUS_WORD = {"gruen": "Grün", "gelb": "Gelb", "rot": "Rot", "ohne Ziel": "ohne Ziel"}
#: Tolerance of the yellow light [%], read from :func:`kek_data.paths.status`.
TOLERANCE = inspect.signature(paths.status).parameters["tolerance_pct"].default
STATUS_TEXT = {
    "gruen": "auf oder unter dem Zielpfad",
    "gelb": f"höchstens {format_number(TOLERANCE, 0)} % über dem Zielpfad",
    "rot": f"mehr als {format_number(TOLERANCE, 0)} % über dem Zielpfad",
    "ohne Ziel": "kein Zielpfad hinterlegt",
}


def t(value: float | None) -> str:
    """[t CO₂e] without decimals, e.g. "216.416 t CO₂e"; "–" if missing."""
    return format_t(value, 0)


def signed_t(value: float | None) -> str:
    """A gap [t CO₂e] with sign, e.g. "+14.397 t CO₂e" or "-454 t CO₂e"."""
    text = format_t(value, 0)
    return "+" + text if text[:1].isdigit() and text[:1] != "0" else text


def change(value: float | None) -> str:
    """A change [%] with sign, e.g. "-32,2 %"."""
    return format_pct(value, 1, signed=True)


def t_rate(rate: paths.Rate | None) -> str:
    """Linear rate [t CO₂e/a] with unit, e.g. "14.575 t CO₂e pro Jahr"; "–" if missing."""
    if rate is None:
        return "–"
    return f"{format_number(rate.t_per_year, 0)} t CO₂e pro Jahr"


def rate_pct(rate: paths.Rate | None, latest: float | None) -> float | None:
    """A rate as % of the reporting year's emissions per year [%/a].

    The definition of :func:`kek_data.views.rates_table` and the chart "Minderung pro Jahr":
    linear, so it exists for a target of 0 t CO₂e too.
    """
    if rate is None or not latest:
        return None
    return rate.t_per_year / latest * 100


def rate(rate: paths.Rate | None, latest: float | None) -> str:
    """A yearly reduction, e.g. "6,7 % pro Jahr" (see :func:`rate_pct`); "–" if missing."""
    value = rate_pct(rate, latest)
    return "–" if value is None else f"{format_number(value, 1)} % pro Jahr"


def rate_cell(rate: paths.Rate | None, latest: float | None) -> str:
    """A yearly reduction for a table cell, e.g. "6,7 %"."""
    return format_pct(rate_pct(rate, latest), 1)


#: Beyond this year a trend extrapolation says nothing useful [a].
HORIZON = 2100


def zero_year(year: int | None) -> str:
    """Year the trend reaches zero, "nie" when emissions do not fall, "nach 2100" beyond that."""
    if year is None:
        return "nie"
    return f"nach {HORIZON}" if year > HORIZON else str(year)
