"""The checks of a reporting round: jumps against the year before and "behind the own path".

Why: the network management must see at a glance which member-year needs a second look before
it is released. Both checks read the figures of the report snapshot (:func:`kek_data.report.build`:
``detail`` = the ``emissions`` view per member, year, carrier; ``completeness``; the member's
:class:`kek_data.progress.Kpi`), never a formula of their own.

Rules (written once, here):

- **Jump (Sprung):** a member-year *Y* is flagged when, against *Y − 1*, the member's total
  [t CO₂e] or one energy carrier changes by more than the round's threshold share (default
  :data:`DEFAULT_JUMP_PCT` % of the value of *Y − 1*). A carrier is compared in its **energy
  [kWh]** — the quantity the member reported and can check against its invoices (a change of the
  emission factor is not the member's to confirm); a carrier reported without energy (e.g.
  refrigerants in kg CO₂e) in t CO₂e. The total is compared only when both years are complete
  (a partial year is shown as „teilweise“ by the completeness rule, not as a jump), a carrier
  only when it is reported in both years. Changes below :data:`MIN_CHANGE_T` t CO₂e (of the
  total, or of the carrier's emissions) are ignored: a small heating-oil tank swinging by 40 %
  is not worth a question.
- **Behind the own path:** the member's traffic light in the reporting year is „Rot“
  (:data:`kek_data.status.RED`, "🔴 Rückstand": more than the tolerance above the own path); a
  yellow light is within the tolerance and needs no reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from kek_data import status
from kek_data.numbers import format_number, format_pct
from kek_data.report import COMPLETE, MemberReport, Report

#: Default jump threshold of a new round [% of the year before].
DEFAULT_JUMP_PCT = 25.0
#: Changes smaller than this are never flagged [t CO₂e].
MIN_CHANGE_T = 1.0
#: The subject of a jump of the member's total.
TOTAL = "gesamt"


@dataclass(frozen=True)
class Jump:
    """A change of ``subject`` ('gesamt' or a carrier id) from ``year − 1`` to ``year``.

    ``previous``/``current`` in ``unit`` ('t CO₂e' or 'kWh'); ``change_pct`` [%] signed.
    """

    member_id: str
    year: int
    subject: str
    label: str  # "Gesamt" or the carrier's German name
    unit: str
    previous: float
    current: float
    change_pct: float


def _pct(previous: float, current: float) -> float | None:
    return None if previous <= 0 else (current / previous - 1) * 100


def jumps(rep: Report, threshold_pct: float) -> dict[str, list[Jump]]:
    """member id → the flagged jumps of the report's year against the year before (see module
    docstring), total first, then carriers in the order of their names."""
    year = rep.year
    det = rep.detail[rep.detail["year"].isin([year - 1, year])]
    comp = rep.completeness
    complete = {
        (str(m), int(y))
        for m, y, s in zip(comp["member_id"], comp["year"], comp["status"], strict=True)
        if s == COMPLETE
    }
    per_carrier = det.groupby(["member_id", "carrier_id", "year"])[["kwh", "t_co2e"]].sum()
    totals = det.groupby(["member_id", "year"])["t_co2e"].sum()
    result: dict[str, list[Jump]] = {}

    def flag(member_id: str, subject: str, label: str, unit: str, prev: float, cur: float,
             delta_t: float) -> None:  # fmt: skip
        pct = _pct(prev, cur)
        if pct is not None and abs(delta_t) >= MIN_CHANGE_T and abs(pct) > threshold_pct:
            result.setdefault(member_id, []).append(
                Jump(member_id, year, subject, label, unit, prev, cur, pct)
            )

    for member_id in sorted({str(m) for m in det["member_id"]}):
        if (member_id, year) in complete and (member_id, year - 1) in complete:
            prev, cur = float(totals[(member_id, year - 1)]), float(totals[(member_id, year)])
            flag(member_id, TOTAL, "Gesamt", "t CO₂e", prev, cur, cur - prev)
        carriers = sorted(
            {c for (m, c, _y) in per_carrier.index if m == member_id},
            key=lambda c: rep.carrier_names.get(c, c),
        )
        for carrier in carriers:
            try:
                before = per_carrier.loc[(member_id, carrier, year - 1)]
                now = per_carrier.loc[(member_id, carrier, year)]
            except KeyError:
                continue  # not reported in both years
            delta_t = float(now["t_co2e"] - before["t_co2e"])
            name = rep.carrier_names.get(carrier, carrier)
            if before["kwh"] > 0 and now["kwh"] > 0:
                flag(member_id, carrier, name, "kWh", float(before["kwh"]), float(now["kwh"]),
                     delta_t)  # fmt: skip
            else:
                flag(member_id, carrier, name, "t CO₂e", float(before["t_co2e"]),
                     float(now["t_co2e"]), delta_t)  # fmt: skip
    return result


def behind(row: MemberReport) -> bool:
    """Whether the member is behind its own path in the reporting year (traffic light red)."""
    return row.kpi.status == status.RED


def jump_text(j: Jump) -> str:
    """„Heizöl: 4.004.633 → 3.548.740 kWh (−11,4 %)“."""
    decimals = 0 if j.unit == "kWh" else 1
    return (f"{j.label}: {format_number(j.previous, decimals)} → "
            f"{format_number(j.current, decimals)} {j.unit} "
            f"({format_pct(j.change_pct, signed=True)})")  # fmt: skip
