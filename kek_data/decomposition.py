"""Own effort vs grid mix: the change since the base year split into activity and factors.

Why: a member's board asks "how much of our reduction is ours?". With emissions
E(Y) = Σ_c kWh(c, Y) × f(c, Y) / 10⁶ [t CO₂e] (carrier c, factor f [g CO₂e/kWh] of year Y), the
change E(Y) − E(B) since the base year B is split (an index or shift-share decomposition with
the base year's factors as weights, as in a Laspeyres quantity index) into

* the **activity part** ("eigene Minderung": using less or different energy)
  A = Σ_c kWh(c, Y) × f(c, B) / 10⁶ − E(B), this year's activity at the base year's factors, and
* the **factor part** ("sauberere Faktoren", mostly the German electricity mix)
  F = E(Y) − Σ_c kWh(c, Y) × f(c, B) / 10⁶.

A + F = E(Y) − E(B) exactly. Carriers reported directly in [t CO₂e] (no kWh, e.g. "sonstige")
count fully in the activity part. A carrier new since B takes the factor valid in B
(``emission_factors``); without one it is named in :attr:`Decomposition.missing_factor`, counted
in neither part (:attr:`Decomposition.unassigned`) and the result is incomplete. A row without a
factor in Y has no emissions in E(Y) (as every figure) and marks the result incomplete too.

Which years count is decided by :mod:`kek_data.report` (its counted values), so the total change
equals the change the report shows. The factor of carrier c in year X for member m is the one the
``emissions`` view used for m's rows (t / kWh), else any member's of that year, else the record
valid in X. Values in [t CO₂e], shares in [percentage points of E(B)].
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import duckdb
import pandas as pd

from kek_data import db
from kek_data.numbers import format_number

#: German names of the two parts (charts, tables, sentence).
ACTIVITY_LABEL = "eigene Minderung"
FACTOR_LABEL = "sauberere Faktoren (v. a. Strommix)"

#: One member's activity rows of one year: carrier_id → (kWh or None, t CO₂e or None).
Rows = Mapping[str, tuple[float | None, float | None]]


@dataclass(frozen=True)
class Decomposition:
    """The change of ``owner`` from ``base_year`` to ``year`` [a] split in two parts [t CO₂e]."""

    owner: str
    base_year: int
    year: int
    base: float  # E(B) [t CO₂e]
    latest: float  # E(Y) [t CO₂e]
    activity: float  # activity part [t CO₂e]
    factors: float  # factor part [t CO₂e]
    unassigned: float = 0.0  # [t CO₂e] of carriers without a base-year factor (in neither part)
    missing_factor: tuple[str, ...] = ()  # carrier ids: "Faktor fehlt"

    @property
    def change(self) -> float:
        """E(Y) − E(B) [t CO₂e] = activity + factors + unassigned."""
        return self.latest - self.base

    @property
    def complete(self) -> bool:
        """False when a factor was missing (then the parts do not add up to the change)."""
        return not self.missing_factor

    def points(self, value: float) -> float | None:
        """``value`` [t CO₂e] in percentage points of E(B) [%-Punkte]."""
        return value / self.base * 100 if self.base else None

    @property
    def factor_share(self) -> float | None:
        """Share of the change that comes from the factors [%]."""
        return self.factors / self.change * 100 if self.change else None

    def text(self, names: Mapping[str, str] | None = None) -> str:
        """The sentence, e.g. "Von −32,2 % Veränderung 2015–2025 sind −19,1 Punkte eigene
        Minderung und −13,1 Punkte sauberere Faktoren (v. a. Strommix)." (``names``: carrier
        names); the end year is the one counted (a member counted with 2024 says 2024)."""
        if not self.base:
            return f"Ohne Emissionen {self.base_year} lässt sich die Veränderung nicht zerlegen."
        # Rounded so that the points said add up to the total said (0,1 points).
        total, activity = (round(self.points(v) or 0.0, 1) for v in (self.change, self.activity))
        rest = round(self.points(self.unassigned) or 0.0, 1)
        factors = round(total - activity - rest, 1)
        text = (
            f"Von {_signed(total)} % Veränderung {self.base_year}–{self.year} sind "
            f"{_signed(activity)} "
            f"Punkte {ACTIVITY_LABEL} und {_signed(factors)} Punkte {FACTOR_LABEL}."
        )
        if self.missing_factor:
            who = ", ".join((names or {}).get(c, c) for c in self.missing_factor)
            text += (
                f" Unvollständig: Faktor fehlt für {who} in {self.base_year} "
                f"({_signed(rest)} Punkte in keinem Teil)."
            )
        return text

    def as_json(self) -> dict[str, float | int | bool]:
        """``{"activity": t, "factors": t, ...}`` for ``summary --json`` [t CO₂e]."""
        return {
            "base_year": self.base_year,
            "activity": round(self.activity, 6),
            "factors": round(self.factors, 6),
            "unassigned": round(self.unassigned, 6),
            "complete": self.complete,
        }


def _signed(value: float | None) -> str:
    """Percentage points with a real minus sign, e.g. "−19,1", "+2,0", "0,0"."""
    text = format_number(value, 1)
    if text.startswith("-"):
        return "−" + text[1:]
    return "+" + text if any(c in "123456789" for c in text) else text


def split(
    owner: str,
    base_year: int,
    year: int,
    base_rows: Iterable[Rows],
    now_rows: Iterable[tuple[Rows, Mapping[str, float | None]]],
) -> Decomposition:
    """The decomposition from the base year's rows and this year's rows (see module doc).

    ``base_rows``: per counted member its rows of the base year; ``now_rows``: per counted member
    its rows of ``year`` with the base-year factor [g CO₂e/kWh] of each carrier (None = missing).
    """
    base = sum(t for rows in base_rows for _, t in rows.values() if t is not None)
    latest = at_base = unassigned = 0.0
    missing: set[str] = set()
    for rows, factor in now_rows:
        for carrier, (kwh, t) in rows.items():
            if t is None:  # no factor in this year: not in E(Y) either
                missing.add(carrier)
                continue
            latest += t
            if kwh is None:  # reported directly in t CO₂e: all activity
                at_base += t
            elif factor.get(carrier) is None:
                missing.add(carrier)
                unassigned += t
            else:
                at_base += kwh * float(factor[carrier]) / 1e6
    return Decomposition(
        owner=owner,
        base_year=base_year,
        year=year,
        base=base,
        latest=latest,
        activity=at_base - base,
        factors=latest - at_base - unassigned,
        unassigned=unassigned,
        missing_factor=tuple(sorted(missing)),
    )


class Source:
    """Rows and factors of the emissions detail, looked up by member, year and carrier."""

    def __init__(self, detail: pd.DataFrame, records: pd.DataFrame) -> None:
        """``detail``: :func:`kek_data.emissions.detail` rows of every member;
        ``records``: :func:`factor_records`."""
        grouped = detail.groupby(["member_id", "year", "carrier_id"], sort=False)[
            ["kwh", "t_co2e"]
        ].sum(min_count=1)
        self.rows: dict[tuple[str, int], dict[str, tuple[float | None, float | None]]] = {}
        self.used: dict[tuple[str, int, str], float] = {}
        self.any_used: dict[tuple[int, str], float] = {}
        for (m, y, c), kwh, t in zip(grouped.index, grouped["kwh"], grouped["t_co2e"], strict=True):
            key = (str(m), int(y))
            kwh_v = None if pd.isna(kwh) else float(kwh)
            t_v = None if pd.isna(t) else float(t)
            self.rows.setdefault(key, {})[str(c)] = (kwh_v, t_v)
            if kwh_v and t_v is not None:
                self.used[(str(m), int(y), str(c))] = t_v / kwh_v * 1e6
                self.any_used.setdefault((int(y), str(c)), t_v / kwh_v * 1e6)
        self.records: dict[str, list[tuple[int, float]]] = {}
        for c, valid_from, value in zip(
            records["carrier_id"], records["valid_from"], records["g_co2e_per_kwh"], strict=True
        ):
            self.records.setdefault(str(c), []).append((int(valid_from), float(value)))

    def factor(self, member_id: str, year: int, carrier: str) -> float | None:
        """The factor of ``carrier`` in ``year`` for ``member_id`` [g CO₂e/kWh] or None."""
        if (member_id, year, carrier) in self.used:
            return self.used[(member_id, year, carrier)]
        if (year, carrier) in self.any_used:
            return self.any_used[(year, carrier)]
        valid = [v for start, v in self.records.get(carrier, []) if start <= year]
        return valid[-1] if valid else None

    def of(
        self,
        owner: str,
        base_year: int,
        year: int,
        base_counted: Mapping[str, int],
        now_counted: Mapping[str, int],
    ) -> Decomposition:
        """The decomposition of a set of members: ``base_counted`` / ``now_counted`` map each
        member counted in ``base_year`` / ``year`` to the year whose report counts [a]. A member
        not counted in the base year takes the factors valid in ``base_year``."""
        base_rows = [self.rows.get((m, used), {}) for m, used in base_counted.items()]
        now_rows = []
        for m, used in now_counted.items():
            rows = self.rows.get((m, used), {})
            at = base_counted.get(m, base_year)
            now_rows.append((rows, {c: self.factor(m, at, c) for c in rows}))
        return split(owner, base_year, year, base_rows, now_rows)


def factor_records(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Emission factor records: carrier_id, valid_from [a], g_co2e_per_kwh [g CO₂e/kWh], status.

    Reference data, the same for every viewer (no member data)."""
    return db.query_df(con, "decomposition_factors")


def series(
    source: Source, owner: str, counted: Mapping[int, Mapping[str, int]], base_year: int | None
) -> dict[int, Decomposition]:
    """year → decomposition against ``base_year`` for every year ≥ it in ``counted``
    (year → {member id → counted year}, as :mod:`kek_data.report` counts); empty without a
    counted base year."""
    if base_year is None or not counted.get(base_year):
        return {}
    base = counted[base_year]
    return {
        y: source.of(owner, base_year, y, base, members)
        for y, members in sorted(counted.items())
        if y >= base_year
    }
