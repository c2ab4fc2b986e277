"""Members and the city: the network's share of Dortmund's territorial balance, both rates.

Why: a committee asks how the network compares with the city. The member inventories
(corporate, Scope 1+2) and the city's territorial balance (BISKO, ``data/city_balance.csv``)
overlap — a member's electricity and heat are in both — so the two must never be added; what
can be shown is the network's share of the city's balance and both changes over the same span.

**The rule** (written once, in :func:`compare`): the years are those in which both a city value
and a network total the viewer may see exist (the report's ``network.series``, which holds only
years whose total :func:`kek_data.access.total_shown` allows; totals are never recomputed here).
The share uses the latest such year; both changes run from the earliest such year (the common
base year) to that latest year. The network's own base year is not used, since the city has no
value for it in general (demo: network from 2015, city 2014 and 2016 → common base 2016). A span
whose two ends have different vintages in the city file crosses a method break and is flagged
("Methodenbruch: Neuberechnung ab 2020").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kek_data import reference
from kek_data import wording as wd
from kek_data.numbers import format_pct

CITY_FILE = "city_balance.csv"
#: Said wherever members and city appear together.
OVERLAP = (
    "Mitgliederbilanzen (Unternehmen, Scope 1+2) und die Territorialbilanz der Stadt (BISKO) "
    "überschneiden sich und dürfen nicht addiert werden."
)


@dataclass(frozen=True)
class CityYear:
    """One year of the city's territorial balance [kt CO₂e] with vintage and source."""

    year: int
    kt_co2e: float
    vintage: str  # Berechnungsstand, e.g. "Bilanz 2018", "Neuberechnung"
    source: str

    @property
    def t_co2e(self) -> float:
        """The value in [t CO₂e]."""
        return self.kt_co2e * 1000


def balance(rows: Sequence[Mapping[str, str]] | None = None) -> tuple[CityYear, ...]:
    """The city's balance by year, from ``data/city_balance.csv`` (or ``rows`` of that shape)."""
    rows = reference.read_table(CITY_FILE) if rows is None else rows
    years = (
        CityYear(int(r["year"]), float(r["kt_co2e"]), r["vintage"].strip(), r["source"].strip())
        for r in rows
    )
    return tuple(sorted(years, key=lambda c: c.year))


def _change(start: float, end: float) -> float:
    return (end / start - 1) * 100


@dataclass(frozen=True)
class Comparison:
    """The network beside the city: share in ``year``, both changes ``base_year`` → ``year``."""

    city_years: tuple[int, ...]  # every year of the city's balance [a]
    year: int  # latest year with a network total and a city value [a]
    network_t: float  # [t CO₂e]
    city_t: float  # [t CO₂e]
    base_year: int | None  # common base year; None if only one common year [a]
    network_change_pct: float | None  # [%] base_year → year, negative = reduction
    city_change_pct: float | None  # [%] base_year → year
    method_break: str  # e.g. "Methodenbruch: Neuberechnung ab 2020"; "" if none in the span

    @property
    def share_pct(self) -> float:
        """The network's total as a share of the city's balance in :attr:`year` [%]."""
        return self.network_t / self.city_t * 100

    @property
    def span(self) -> str:
        """ "2016–2022", or the single year."""
        return f"{self.base_year}–{self.year}" if self.base_year else str(self.year)

    def share_text(self) -> str:
        """E.g. "Netzwerksumme 2022: 256.890 t CO₂e, das entspricht 7,5 % der Territorialbilanz
        der Stadt Dortmund (3.406.500 t CO₂e)"."""
        return (
            f"Netzwerksumme {self.year}: {wd.t(self.network_t)}, das entspricht "
            f"{format_pct(self.share_pct, 1)} der Territorialbilanz der Stadt Dortmund "
            f"({wd.t(self.city_t)})"
        )

    def rates_text(self) -> str:
        """Both changes over the common span, with the method break if the span crosses it."""
        if self.base_year is None:
            return f"Nur {self.year} liegt für Netzwerk und Stadt vor; keine Veränderung."
        text = (
            f"Veränderung {self.span}: Mitglieder {wd.change(self.network_change_pct)}, Stadt "
            f"Dortmund {wd.change(self.city_change_pct)}"
        )
        return text + (f" ({self.method_break})." if self.method_break else ".")

    def text(self) -> str:
        """The whole comparison in German sentences, the overlap warning last."""
        return f"{self.share_text()}. {self.rates_text()} {OVERLAP}"


def compare(network: Mapping[int, float], city: Sequence[CityYear]) -> Comparison | None:
    """The comparison under the rule in the module doc; None without a common year.

    ``network``: the network totals the viewer may see, year → [t CO₂e] (the report's
    ``network.series``); ``city``: :func:`balance`.
    """
    by_year = {c.year: c for c in city}
    common = sorted(y for y in network if y in by_year)
    if not common:
        return None
    first, last = common[0], common[-1]
    end = by_year[last]
    base = by_year[first] if first != last else None
    breaks = ""
    if base is not None and base.vintage != end.vintage:
        since = min(c.year for c in city if c.vintage == end.vintage and c.year > first)
        breaks = f"Methodenbruch: {end.vintage} ab {since}"
    return Comparison(
        city_years=tuple(c.year for c in city),
        year=last,
        network_t=network[last],
        city_t=end.t_co2e,
        base_year=None if base is None else first,
        network_change_pct=None if base is None else _change(network[first], network[last]),
        city_change_pct=None if base is None else _change(base.t_co2e, end.t_co2e),
        method_break=breaks,
    )


def _years(years: list[int]) -> str:
    return ", ".join(str(y) for y in years)


def sources(city: Sequence[CityYear] | None = None) -> str:
    """The city file's sources, one per distinct source with its years, for the Methodik."""
    city = balance() if city is None else city
    grouped: dict[tuple[str, str], list[int]] = {}
    for c in city:
        grouped.setdefault((c.vintage, c.source), []).append(c.year)
    return "; ".join(f"{_years(ys)} ({vintage}): {src}" for (vintage, src), ys in grouped.items())


#: The Methodik section's paragraphs (kek_data.methodology lays them out).
METHOD_SHORT = (
    "Der Überblick zeigt den Anteil des Netzwerks an der Territorialbilanz der Stadt Dortmund "
    "und beide Veränderungen nebeneinander. " + OVERLAP
)
METHOD_DETAILS = (
    "Anteil = Netzwerksumme [t CO₂e] / (Stadtbilanz [kt CO₂e] × 1.000), im letzten Jahr, für das "
    "beide vorliegen. Beide Veränderungen laufen vom ersten gemeinsamen Jahr (gemeinsames "
    "Basisjahr) bis zu diesem Jahr; das Basisjahr des Netzwerkziels wird dafür nicht verwendet, "
    "weil die Stadt dafür meist keinen Wert hat (Beispiel Demodaten: Netzwerk ab 2015, Stadt "
    "2014 und 2016 → 2016). Es zählen nur Jahre, deren Netzwerksumme die Ansicht zeigen darf.",
    "Die Werte der Stadt ab 2020 wurden neu berechnet (Berechnungsstand „Neuberechnung“) und "
    "sind mit der Reihe bis 2018 („Bilanz 2018“) nicht direkt vergleichbar; eine Veränderung "
    "über diesen Bruch trägt den Hinweis „Methodenbruch: Neuberechnung ab 2020“.",
    "Quellen der Stadtbilanz: " + sources() + ".",
)
