"""Weather correction: heating energy with the year's climate factor, a second view beside BISKO.

Why: a cold winter raises the use of gas, oil, district heat and wood, a warm one lowers it; a
board asks how much of a reduction is its own and how much the weather's. Every figure of the
dashboard stays the BISKO balance as reported (unbereinigt); this module adds a **second view**,
labelled wherever it is shown (:data:`LABEL`), never mixed into totals, paths or the Ampel.

**The rule** (written once, in :meth:`Source.point`): an owner (a member, or the network) in
figure year Y counts each member m with the rows of its counted year c(m), as the report counts
(:func:`kek_data.report.counted_year`). KF(c) is the climate factor [-] of calendar year c, the
year whose weather the consumption saw (``data/climate_factors.csv``). Then

* heating energy H(Y) = Σ_m Σ_{heating carriers} kWh(m, c(m)) [kWh] (as reported),
* weather-corrected heating energy H'(Y) = Σ_m KF(c(m)) × Σ_{heating} kWh(m, c(m)) [kWh],
* emissions with heating corrected E'(Y) = E(Y) + Σ_m (KF(c(m)) − 1) × Σ_{heating} t(m, c(m))
  [t CO₂e]: the factor scales the kWh and with them their emissions; every other carrier (Strom,
  Diesel, …) is unchanged; E(Y) is the report's total.

The heating carriers are :data:`HEATING`. A counted year with heating energy but without a
climate factor makes H'(Y) and E'(Y) None, marked :data:`MISSING` — never silently 1,0. A factor
whose status contains :data:`UNVERIFIED` (placeholders until checked against the DWD table)
marks the result as such.

**Simplification:** the factor is applied to the whole quantity of the heating carriers,
including warm water and process heat, which the weather does not drive (an Energieausweis
corrects only the space-heating share). For members with much warm water or process heat the
corrected view overstates the weather's effect.

Which years an owner has is decided by :mod:`kek_data.report`: the network only in years whose
total the viewer may see (:func:`kek_data.access.total_shown`), a member in the years of its
counted series. Energy in [kWh] (charts: [MWh]), emissions in [t CO₂e], changes in [%].
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import duckdb
import pandas as pd

from kek_data import db, reference
from kek_data import wording as wd
from kek_data.errors import ReferenceDataError
from kek_data.numbers import format_pct, format_plain

#: The carriers the climate factor corrects (carrier ids of ``data/carriers.csv``).
HEATING: tuple[str, ...] = ("erdgas", "heizoel", "fernwaerme", "holz")
FILE = "climate_factors.csv"


def _heating_names() -> str:
    """The heating carriers' German names (data/carriers.csv): "Erdgas, … und Holz/Pellets"."""
    names = {r["carrier_id"]: r["name"] for r in reference.read_table("carriers.csv")}
    shown = [names.get(c, c) for c in HEATING]
    return ", ".join(shown[:-1]) + " und " + shown[-1]


#: "Erdgas, Heizöl, Fernwärme und Holz/Pellets" (every text naming the corrected carriers).
HEATING_NAMES = _heating_names()
#: Heading of the view on the pages.
TITLE = "Witterungsbereinigt (zweite Sicht)"
#: Label of every corrected value (legend, table, sentence).
LABEL = "witterungsbereinigt (zweite Sicht, nicht BISKO-Bilanz)"
RAW_LABEL = "unbereinigt (wie gemeldet, BISKO-Bilanz)"
MISSING = "Klimafaktor fehlt"
#: Said where the market-based basis is chosen: the view corrects the BISKO balance only.
ONLY_LOCATION = "Die witterungsbereinigte Sicht gibt es nur zur standortbezogenen Bilanz (BISKO)."
#: A climate factor whose status contains this is a placeholder, not checked against the DWD.
UNVERIFIED = "nicht geprüft"
#: Where the climate factors come from (the Methodik; each record names its own source).
DWD = (
    "Deutscher Wetterdienst (DWD), Klimafaktoren für Energieverbrauchsausweise nach "
    "Postleitzahl (Dortmund: 44137), Referenzstandort Potsdam"
)


@dataclass(frozen=True)
class ClimateFactor:
    """The climate factor [-] of calendar ``year`` for Dortmund, with status and source."""

    year: int
    factor: float  # [-]: heating energy × factor = weather-corrected heating energy
    status: str  # e.g. "nicht geprüft (Platzhalter)"
    source: str

    @property
    def verified(self) -> bool:
        """False while the status says :data:`UNVERIFIED` (a placeholder)."""
        return UNVERIFIED not in self.status


def factors(con: duckdb.DuckDBPyConnection) -> dict[int, ClimateFactor]:
    """year → climate factor, from the database's copy of ``data/climate_factors.csv``.

    Reference data, the same for every viewer. A factor not above 0 is a
    :class:`ReferenceDataError` naming file, year and column."""
    out: dict[int, ClimateFactor] = {}
    for year, factor, status, source in db.query_rows(con, "climate_factors"):
        if not factor > 0:
            raise ReferenceDataError(
                f"{FILE}, Jahr {year}, Spalte factor: „{format_plain(factor)}“ ist kein "
                "Klimafaktor (muss größer als 0 sein, mit Dezimalpunkt, z. B. 1.08)."
            )
        out[int(year)] = ClimateFactor(int(year), float(factor), str(status), str(source))
    return out


def span(years: Iterable[int]) -> str:
    """Years as runs, e.g. "2015–2019, 2021"."""
    runs: list[list[int]] = []
    for y in sorted(set(years)):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


@dataclass(frozen=True)
class Point:
    """One owner's heating energy and emissions in figure ``year`` [a], raw and corrected."""

    year: int
    raw_kwh: float  # heating energy as reported [kWh]
    corrected_kwh: float | None  # Σ kWh × climate factor [kWh]; None: Klimafaktor fehlt
    raw_t: float  # emissions total as the report counts it (BISKO) [t CO₂e]
    corrected_t: float | None  # total with the heating carriers corrected [t CO₂e]; None: fehlt
    missing: tuple[int, ...] = ()  # counted years with heating energy but no climate factor
    unverified: tuple[int, ...] = ()  # counted years whose factor is "nicht geprüft"

    @property
    def mark(self) -> str:
        """ "Klimafaktor fehlt (2026)", "nicht geprüft" or ""."""
        if self.missing:
            return f"{MISSING} ({span(self.missing)})"
        return UNVERIFIED if self.unverified else ""


def _moved(pct: float) -> tuple[str, str]:
    """("sank", "um 12,3 %"), ("stieg", "um 2,0 %") or ("blieb", "gleich") for a change [%]."""
    text = format_pct(abs(pct), 1)
    if text == format_pct(0.0, 1):
        return "blieb", "gleich"
    return ("sank" if pct < 0 else "stieg"), f"um {text}"


def _change(start: float | None, end: float | None) -> float | None:
    return None if start is None or end is None or start <= 0 else (end / start - 1) * 100


@dataclass(frozen=True)
class Series:
    """The second view of one owner (shown member id or 'netzwerk'): year → :class:`Point`."""

    owner: str
    base_year: int | None  # start of the change the sentence says (the owner's base year) [a]
    points: dict[int, Point]
    factors: tuple[ClimateFactor, ...] = ()  # the climate factors applied, by year

    @property
    def has_heat(self) -> bool:
        """True if the owner reported any heating energy in its years."""
        return any(p.raw_kwh > 0 for p in self.points.values())

    def change(self, corrected: bool) -> float | None:
        """Change of the heating energy from :attr:`base_year` to the last year [%]."""
        if self.base_year is None or not self.points:
            return None
        start, end = self.points[self.base_year], self.points[max(self.points)]
        if corrected:
            return _change(start.corrected_kwh, end.corrected_kwh)
        return _change(start.raw_kwh, end.raw_kwh)

    def text(self) -> str:
        """The German sentences, e.g. "Witterungsbereinigt sank die Heizenergie seit 2015 um
        18,0 %, unbereinigt um 12,0 %. Emissionen 2025 mit witterungsbereinigter Heizenergie:
        …"; missing and unverified climate factors are said."""
        if not self.has_heat or self.base_year is None:
            return f"Keine Heizenergie ({HEATING_NAMES}) gemeldet."
        raw, corrected = self.change(False), self.change(True)
        end = self.points[max(self.points)]
        since = f"seit {self.base_year}"
        if raw is None:
            return f"Ohne Heizenergie {self.base_year} lässt sich keine Veränderung angeben."
        verb, amount = _moved(raw)
        missing = sorted({y for p in (self.points[self.base_year], end) for y in p.missing})
        if corrected is None:
            text = (
                f"Witterungsbereinigt: {MISSING} für {span(missing)}; unbereinigt {verb} die "
                f"Heizenergie {since} {amount}."
            )
        else:
            c_verb, c_amount = _moved(corrected)
            raw_part = amount if verb == c_verb else f"{verb} sie {amount}"
            text = (
                f"Witterungsbereinigt {c_verb} die Heizenergie {since} {c_amount}, "
                f"unbereinigt {raw_part}."
            )
        if end.corrected_t is not None:
            text += (
                f" Emissionen {end.year} mit witterungsbereinigter Heizenergie: "
                f"{wd.t(end.corrected_t)} (BISKO-Bilanz: {wd.t(end.raw_t)})."
            )
        statuses = sorted({f.status for f in self.factors if not f.verified})
        if statuses:
            text += f" Klimafaktoren: {', '.join(statuses)}."
        return text

    def caption(self) -> str:
        """Source and status of the climate factors applied, grouped by years, and what is
        corrected."""
        grouped: dict[tuple[str, str], list[int]] = {}
        for f in self.factors:
            grouped.setdefault((f.source, f.status), []).append(f.year)
        parts = [
            f"Klimafaktoren {span(ys)}, Status „{st}“, Quelle: {src}"
            for (src, st), ys in grouped.items()
        ]
        missing = sorted({y for p in self.points.values() for y in p.missing})
        if missing:
            parts.append(f"{MISSING}: {span(missing)}")
        head = "; ".join(parts)
        return (head + ". " if head else "") + (
            f"Bereinigt werden nur {HEATING_NAMES} (ganze Menge, auch Warmwasser und "
            "Prozesswärme); die BISKO-Bilanz bleibt unbereinigt."
        )


class Source:
    """Heating energy and emissions per member and year, with the climate factors."""

    def __init__(self, detail: pd.DataFrame, climate: Mapping[int, ClimateFactor]) -> None:
        """``detail``: :func:`kek_data.emissions.detail` rows of every member (member_id, year,
        carrier_id, kwh, t_co2e); ``climate``: :func:`factors`."""
        keys = ["member_id", "year"]
        heat = detail[detail["carrier_id"].isin(HEATING)].groupby(keys)[["kwh", "t_co2e"]].sum()
        total = detail.groupby(keys)["t_co2e"].sum()
        self.heat: dict[tuple[str, int], tuple[float, float]] = {
            (str(m), int(y)): (float(kwh), float(t))
            for (m, y), kwh, t in zip(heat.index, heat["kwh"], heat["t_co2e"], strict=True)
        }
        self.total = {(str(m), int(y)): float(t) for (m, y), t in total.items()}
        self.climate = dict(climate)

    def point(self, year: int, counted: Mapping[str, int]) -> Point:
        """The point of figure ``year`` for the members in ``counted`` (member id → counted
        year [a]), under the rule in the module doc."""
        raw_kwh = corrected_kwh = raw_t = extra_t = 0.0
        missing: set[int] = set()
        unverified: set[int] = set()
        for m, used in counted.items():
            kwh, t = self.heat.get((m, used), (0.0, 0.0))
            raw_kwh += kwh
            raw_t += self.total.get((m, used), 0.0)
            kf = self.climate.get(used)
            if not kwh:
                continue  # nothing to correct
            if kf is None:
                missing.add(used)
                continue
            if not kf.verified:
                unverified.add(used)
            corrected_kwh += kwh * kf.factor
            extra_t += t * (kf.factor - 1)
        return Point(
            year=year,
            raw_kwh=raw_kwh,
            corrected_kwh=None if missing else corrected_kwh,
            raw_t=raw_t,
            corrected_t=None if missing else raw_t + extra_t,
            missing=tuple(sorted(missing)),
            unverified=tuple(sorted(unverified)),
        )

    def series(
        self, owner: str, counted: Mapping[int, Mapping[str, int]], base_year: int | None
    ) -> Series:
        """The owner's series over ``counted`` (figure year → {member id → counted year}, as
        :mod:`kek_data.report` counts); the change runs from ``base_year`` if it is among
        the years, else from the first year."""
        points = {y: self.point(y, members) for y, members in sorted(counted.items()) if members}
        start = base_year if base_year in points else min(points, default=None)
        used = {c for members in counted.values() for c in members.values()}
        applied = tuple(self.climate[y] for y in sorted(used) if y in self.climate)
        return Series(owner, start, points, applied)


def file_status() -> str:
    """What ``data/climate_factors.csv`` holds, one German sentence for the Methodik: its years
    and statuses, and whether any value is still a placeholder."""
    rows = reference.read_table(FILE)
    years = span(int(r["year"]) for r in rows) or "keine"
    statuses = ", ".join(sorted({r["status"].strip() for r in rows}))
    if any(UNVERIFIED in r["status"] for r in rows):
        return (
            f"Die mitgelieferten Klimafaktoren ({years}) haben den Status „{statuses}“: es sind "
            "Platzhalter in plausibler Größenordnung, bis sie je Jahr gegen die Tabelle des DWD "
            "geprüft und mit Abrufdatum eingetragen sind; bis dahin nennen Satz, Diagrammtitel "
            f"und Bildunterschrift der Sicht den Status „{UNVERIFIED}“."
        )
    return f"Klimafaktoren liegen für {years} vor (Status: {statuses or '–'})."


#: The Methodik section's paragraphs (kek_data.methodology lays them out).
METHOD_SHORT = (
    "Als zweite Sicht zeigen Überblick und Mitglied die Heizenergie witterungsbereinigt: "
    f"{HEATING_NAMES} mal dem Klimafaktor des Verbrauchsjahrs. Die "
    "BISKO-Bilanz, alle Summen, Pfade und die Ampel bleiben unbereinigt; die bereinigten Werte "
    f"tragen überall den Hinweis „{LABEL}“."
)
METHOD_DETAILS = (
    "Ein Klimafaktor ist das Verhältnis der Gradtagzahl am Referenzstandort Potsdam "
    "(langjähriges Mittel) zur Gradtagzahl am Standort im Verbrauchszeitraum. Ein warmes Jahr "
    "hat weniger Gradtage und einen Faktor über 1: sein Heizverbrauch wird auf ein "
    "durchschnittliches Jahr hochgerechnet, der eines kalten Jahres heruntergerechnet. Quelle: "
    f"{DWD}; verwendet wird je Kalenderjahr der Faktor des Zeitraums Januar bis Dezember.",
    f"Heizenergie witterungsbereinigt = gemeldete kWh von {HEATING_NAMES} mal Klimafaktor. "
    "Die Emissionen dieser Träger ändern sich im selben Verhältnis, alle "
    "anderen Träger (Strom, Kraftstoffe, sonstige Emissionen) bleiben unverändert. Jedes "
    "Mitglied zählt mit seinem gezählten Jahr (Regel der Vollständigkeit) und dem Klimafaktor "
    "dieses Jahres; die Netzwerksumme erscheint nur, wo die Ansicht sie zeigen darf. "
    + ONLY_LOCATION,
    "Vereinfachung: Der Faktor gilt für die ganze Menge dieser Träger, auch für Warmwasser und "
    "Prozesswärme, die nicht vom Wetter abhängen (ein Energieausweis bereinigt nur den "
    "Heizanteil). Bei viel Warmwasser oder Prozesswärme überzeichnet die Sicht den Einfluss "
    f"des Wetters. Fehlt für ein Jahr der Klimafaktor, steht dort „{MISSING}“ statt eines "
    "Werts (nie stillschweigend 1).",
    file_status(),
)
