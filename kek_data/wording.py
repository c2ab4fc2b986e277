"""German wording of key figures (pages and slides): tonnes, signed gaps, yearly rates.

Why: the deck shows the same numbers in tiles, tables and sentences; one place decides how they
read ("216.416 t CO₂e", "+14.397 t CO₂e", "6,7 % pro Jahr") so tests can find them again.
Tonnes [t CO₂e] without decimals (as the chart axes), percentages with one decimal; yearly rates
are the linear shares the report computes (``Kpi.achieved_pct``, ``Step.required_pct``: % of
the reporting year's emissions per year, named by ``Kpi.rate_basis``). The traffic light's words
are in :mod:`kek_data.status`.
"""

from __future__ import annotations

from kek_data import formulas
from kek_data.numbers import format_number, format_pct, format_t

#: The trend window in words, e.g. "letzten 5 Jahre" (see :data:`kek_data.formulas.WINDOW`).
LAST_YEARS = f"letzten {formulas.WINDOW} Jahre"
#: Beyond this year a trend extrapolation says nothing useful [a].
HORIZON = 2100


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


def t_rate(rate: formulas.Rate | None) -> str:
    """Linear rate [t CO₂e/a] with unit, e.g. "14.575 t CO₂e pro Jahr"; "–" if missing."""
    if rate is None:
        return "–"
    return f"{format_number(rate.t_per_year, 0)} t CO₂e pro Jahr"


def rate(pct: float | None) -> str:
    """A yearly reduction [%/a], e.g. "6,7 % pro Jahr"; "–" if missing."""
    return "–" if pct is None else f"{format_number(pct, 1)} % pro Jahr"


def rate_cell(pct: float | None) -> str:
    """A yearly reduction for a table cell, e.g. "6,7 %"."""
    return format_pct(pct, 1)


def compound(rate: formulas.Rate | None) -> str:
    """Compound rate [%/a] as text, "–" where not defined (a target of 0 has none)."""
    if rate is None or rate.pct_per_year is None:
        return "–"
    return f"{format_pct(rate.pct_per_year)}/a"


def zero_year(year: int | None) -> str:
    """Year the trend reaches zero, "nie" when emissions do not fall, "nach 2100" beyond that."""
    if year is None:
        return "nie"
    return f"nach {HORIZON}" if year > HORIZON else str(year)
