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
from kek_data.wedge import Wedge

#: The trend window in words, e.g. "letzten 5 Jahre" (see :data:`kek_data.formulas.WINDOW`);
#: with the years where the reporting year is known: :func:`last_years`.
LAST_YEARS = f"letzten {formulas.WINDOW} Jahre"
#: Denominator of SBTi-like rates: a share of the base year's emissions.
BASE_YEAR_BASIS = "% des Basisjahrs"
#: Beyond this year a trend extrapolation says nothing useful [a].
HORIZON = 2100
#: The label of demo data on every page, chart, slide and file made from them.
DEMO_NOTICE = "Demodaten (fiktiv)"
#: The demo notice at the top of every page (Markdown), and of the public static site.
DEMO_TEXT = (
    f"**{DEMO_NOTICE}** – Alle Verbrauchs- und Emissionswerte sowie die Ziele auf dieser Seite "
    "sind erfunden und dienen nur der Vorführung. Nicht in Gremien verwenden."
)


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


def window_span(latest_year: int, window: int = formulas.WINDOW) -> str:
    """The calendar years of the trend window ending in ``latest_year``, e.g. "2021–2025"."""
    first, last = formulas.window_years(latest_year, window)
    return f"{first}–{last}"


def last_years(latest_year: int | None, window: int = formulas.WINDOW) -> str:
    """The trend window said exactly, e.g. "letzten 5 Jahre (2021–2025)" for 2025."""
    if latest_year is None:
        return f"letzten {window} Jahre"
    return f"letzten {window} Jahre ({window_span(latest_year, window)})"


def rate_basis(year: int | None) -> str:
    """Denominator of the linear % rates: the reporting year, e.g. "% der Emissionen 2025"."""
    return f"% der Emissionen {year}"


def rate(pct: float | None, basis: str | None = None) -> str:
    """A yearly reduction [%/a], e.g. "6,7 % pro Jahr"; with its denominator ``basis`` (see
    :func:`rate_basis`, :data:`BASE_YEAR_BASIS`) "6,7 % der Emissionen 2025 pro Jahr"; "–"
    if missing."""
    if pct is None:
        return "–"
    unit = basis if basis else "%"
    return f"{format_number(pct, 1)} {unit} pro Jahr"


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


def zero_years(years: dict[int, int | None]) -> str:
    """Zero year per trend window [a], e.g. "2045 (5 Jahre) · 2055 (10 Jahre)"."""
    return " · ".join(f"{zero_year(y)} ({w} Jahre)" for w, y in sorted(years.items()))


def zero_years_short(years: dict[int, int | None]) -> tuple[str, str]:
    """(label, value) for a table cell: ("Null im Trend (5 / 10 Jahre)", "2046 / 2047")."""
    windows = sorted(years)
    label = f"Null im Trend ({' / '.join(str(w) for w in windows)} Jahre)"
    return label, " / ".join(zero_year(years[w]) for w in windows)


def budget(b: formulas.Budget, end: int | None, who: str = "das Netzwerk") -> str:
    """The carbon budget in sentences: what is left, what the path still needs, whether
    ``who`` is already over, and when the trend uses the rest up, e.g. "Budget bis 2035:
    1.060.868 t CO₂e übrig; der Pfad braucht für 2026–2035 noch 1.121.739 t CO₂e – das
    Netzwerk liegt damit schon 60.871 t CO₂e über dem Budget. Beim jetzigen Trend ist der Rest
    2031 aufgebraucht." All values [t CO₂e]."""
    if b.left <= 0:
        return f"Budget bis {end} schon um {t(-b.left)} überschritten (Ist bis {b.exhausted_year})."
    text = f"Budget bis {end}: {t(b.left)} übrig"
    if b.rest_years is not None:
        first, last = b.rest_years
        years = str(first) if first == last else f"{first}–{last}"
        text += f"; der Pfad braucht für {years} noch {t(b.path_rest)} – "
        text += (
            f"{who} liegt damit schon {t(b.over)} über dem Budget"
            if b.over > 0
            else f"es bleiben {t(-b.over)} Reserve"
        )
    text += "."
    if b.exhausted_year is not None:
        return text + f" Beim jetzigen Trend ist der Rest {b.exhausted_year} aufgebraucht."
    return text + f" Beim jetzigen Trend reicht der Rest bis {end}."


#: The refrigerant example every surface gives (upload rules, template, Methodik): GWP100 of
#: R-410A (50 % HFC-32, 50 % HFC-125) in IPCC AR6 (WG I, 2021, Tab. 7.SM.7: 771 / 3.740) and AR5
#: (2013: 677 / 3.170); the dashboard asks for kg CO₂e and does not convert masses itself.
REFRIGERANT_GWP = "R-410A: GWP 2.256 nach IPCC AR6, 1.924 nach AR5 – bitte den Bericht nennen"


#: The decided measures (kek_data.measures.DECIDED: beschlossen, in Umsetzung, umgesetzt) in a
#: sentence; "begonnen" names "in Umsetzung", the largest stack, so that no reader misses it.
DECIDED_MEASURES = "beschlossenen, begonnenen und umgesetzten Maßnahmen"


def wedge(w: Wedge) -> str:
    """How much of the gap the decided measures close (:mod:`kek_data.wedge`), e.g. "Die
    beschlossenen, begonnenen und umgesetzten Maßnahmen schließen 18 von 35 t CO₂e (51,4 %) der
    Lücke bis 2030; ungedeckt bleiben 17 t CO₂e (48,6 %)." Without a gap in the trend it says
    so."""
    if not w.has_gap:
        return (
            f"Kein Abstand im Trend: beim jetzigen Tempo liegen die Emissionen {w.target_year} "
            f"bei {t(w.trend[w.target_year])}, der Pfad verlangt {t(w.path[w.target_year])}; "
            f"die {DECIDED_MEASURES} mindern zusätzlich {t(w.decided_t)}."
        )
    more = f" (ihr Keil: {t(w.decided_t)})" if w.decided_t > w.gap_t else ""
    return (
        f"Die {DECIDED_MEASURES} schließen {format_number(w.covered_t, 0)} "
        f"von {t(w.gap_t)} ({format_pct(w.covered_pct)}) der Lücke bis {w.target_year}{more}; "
        f"ungedeckt bleiben {t(w.uncovered_t)} ({format_pct(w.uncovered_pct)})."
    )


def wedge_more(w: Wedge) -> str:
    """The second line under :func:`wedge`: the planned measures and the incomplete ones."""
    parts = []
    if w.uncovered_t > 0 and w.planned_t:
        parts.append(
            f"Mit den geplanten Maßnahmen ({t(w.planned_t)}) blieben "
            f"{t(w.uncovered_with_planned_t)} ({format_pct(w.uncovered_with_planned_pct)}) "
            "ungedeckt."
        )
    if w.n_incomplete:
        named = f": {', '.join(w.incomplete_titles)}" if w.incomplete_titles else ""
        parts.append(
            f"{w.n_incomplete} von {w.n_measures} Maßnahmen ohne Einsparangabe sind nicht "
            f"eingerechnet{named}."
        )
    if not w.n_measures:
        parts.append("Noch keine Maßnahmen eingetragen.")
    return " ".join(parts)
