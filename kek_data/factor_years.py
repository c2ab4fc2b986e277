"""Which emission factor each year is computed with: its own, another year's, or a provisional one.

Why: the view ``emissions`` takes the factor record valid in the activity year (valid from its
``valid_from`` until the carrier's next record). For a carrier with a year series (Strom) a year
without a record of its own reuses an earlier year's value: the 1990 factor for 1991–2014, the
2024 estimate for 2025. That is not hidden: per year and carrier with data, this module names
the factor's year and status (columns ``factor_year``, ``factor_status`` of the view, migration
005) and marks every year computed with another year's factor („Faktor aus 2024 übertragen“),
every provisional or estimated factor („vorläufig“) and every year without one („Faktor fehlt“).
Carriers with a single record (the BISKO fuel factors) have one factor for all years by design;
they are not marked. Fernwärme is the exception (:mod:`kek_data.district_heat`): a year computed
with the German average is marked as fallback („Bundesdurchschnitt (kein lokaler Netzfaktor
hinterlegt)“), and a network's factor records are a year series of their own, so a year using an
earlier year's network factor is marked „Faktor aus J übertragen“ (the line names the network:
„Fernwärme (Netz dew21-innenstadt) 2023“). Computed values are unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from kek_data import db, district_heat
from kek_data.viewer import NETWORK_MANAGER, Viewer

#: words in a factor's status that make it provisional (a later revision may change the figure)
PROVISIONAL = ("vorläufig", "Schätzung")
MISSING = "Faktor fehlt"
#: a status word for values not checked against the official table (e.g. the residual mix)
UNCHECKED = "nicht geprüft"
#: the name of the residual mix in the marks (market-based Scope 2)
RESIDUAL = "Strom marktbasiert (Reststrommix)"


@dataclass(frozen=True)
class FactorYear:
    """The factor behind one year and carrier: ``factor_year`` [a] (None: none), its status."""

    year: int
    carrier_id: str
    name: str
    factor_year: int | None
    status: str
    series: bool  # the carrier has a year series (more than one factor record, or a network's)
    direct: bool  # reported directly in t CO₂e: needs no factor
    origin: str = "bund"  # 'netz': a district-heat network's factor, 'bund': emission_factors
    network: str = ""  # the district-heat network's id (origin 'netz')
    member_id: str | None = None  # read(by_member=True) only

    @property
    def missing(self) -> bool:
        """No factor although the carrier needs one."""
        return not self.direct and self.factor_year is None

    @property
    def carried(self) -> bool:
        """Computed with an earlier year's factor of a year series."""
        return self.series and self.factor_year is not None and self.factor_year != self.year

    @property
    def fallback(self) -> bool:
        """Fernwärme computed with the German average: no local network factor for the year."""
        return (
            self.carrier_id == district_heat.CARRIER
            and self.origin != "netz"
            and self.factor_year is not None
        )

    @property
    def label(self) -> str:
        """The carrier's name, with the network for a network factor: „Fernwärme (Netz x)“."""
        return f"{self.name} (Netz {self.network})" if self.network else self.name

    @property
    def provisional(self) -> bool:
        """The factor is provisional or an estimate."""
        return any(word in self.status for word in PROVISIONAL)

    @property
    def notes(self) -> tuple[str, ...]:
        """German marks of this year: „Faktor fehlt“, the fallback of Fernwärme, „Faktor aus J
        übertragen“, „vorläufig“, „nicht geprüft“."""
        if self.missing:
            return (MISSING,)
        notes = [district_heat.FALLBACK] if self.fallback else []
        if self.carried:
            notes.append(f"Faktor aus {self.factor_year} übertragen")
        if self.provisional:
            notes.append("vorläufig")
        if UNCHECKED in self.status:
            notes.append(UNCHECKED)
        return tuple(notes)


def read(
    con: duckdb.DuckDBPyConnection, viewer: Viewer, by_member: bool = False
) -> list[FactorYear]:
    """Every year and carrier with data the viewer may see, with the factor used; with
    ``by_member`` one row per member as well (:attr:`FactorYear.member_id`)."""
    return [
        FactorYear(
            year=int(year),
            carrier_id=carrier_id,
            name=name,
            factor_year=None if factor_year is None else int(factor_year),
            status=status or "",
            series=n_records > 1 or origin == "netz",
            direct=kind == "direkt",
            origin=origin,
            network=network,
            member_id=member_id,
        )
        for year, carrier_id, name, kind, factor_year, status, n_records, origin, network, member_id, _ in (  # noqa: E501
            db.query_rows(con, "factor_years", by_member=by_member, **viewer.params())
        )
    ]


def residual(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> list[FactorYear]:
    """The residual-mix record behind each year with electricity not under contract
    (market-based, :mod:`kek_data.scope2`): carried years and unchecked values are marked."""
    return [
        FactorYear(
            int(y),
            "strom",
            RESIDUAL,
            None if fy is None else int(fy),
            status or "",
            series=True,
            direct=False,
        )  # fmt: skip
        for y, fy, status in db.query_rows(con, "residual_years", **viewer.params())
    ]


def marked(rows: list[FactorYear]) -> list[FactorYear]:
    """The rows with at least one mark."""
    return [r for r in rows if r.notes]


def _span(years: list[int]) -> str:
    """„1991–2014, 2025“ from sorted years (runs of consecutive years joined)."""
    runs: list[list[int]] = []
    for y in years:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


def lines(rows: list[FactorYear]) -> list[str]:
    """German lines per carrier (and network) and mark, e.g. „Strom 1991–2014: Faktor aus 1990
    übertragen“, „Fernwärme (Netz dew21-innenstadt) 2023: Faktor aus 2022 übertragen“."""
    groups: dict[tuple[str, str], set[int]] = {}
    for r in marked(rows):
        groups.setdefault((r.label, ", ".join(r.notes)), set()).add(r.year)
    return [f"{name} {_span(sorted(years))}: {note}" for (name, note), years in groups.items()]


def page_note(con: duckdb.DuckDBPyConnection, market: bool = False) -> str:
    """The factor note under the charts of a page or the public site: the marks over every
    member's data (the figures' years, whoever looks), plus the residual-mix years where the
    figures are ``market``-based."""
    rows = read(con, NETWORK_MANAGER)
    if market:
        rows += residual(con, NETWORK_MANAGER)
    return note(lines(rows))


def note(found: list[str]) -> str:
    """The sentence every surface shows with :func:`lines` (empty without marks)."""
    if not found:
        return ""
    return (
        "Faktorjahre der gezeigten Zahlen: " + "; ".join(found) + ". „übertragen“: das Jahr hat "
        "keinen eigenen Faktor der Jahresreihe und wird mit dem genannten Jahr gerechnet; "
        "„vorläufig“: vorläufiger oder geschätzter Wert, eine spätere Revision kann die Zahlen "
        "dieser Jahre ändern."
    ) + (
        f" „{UNCHECKED}“: Wert nicht gegen die amtliche Tabelle geprüft (Methodik)."
        if any(UNCHECKED in line for line in found)
        else ""
    )
