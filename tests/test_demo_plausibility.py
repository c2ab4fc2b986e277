"""The demo data are fictional but plausible (issue 11): checked against usual magnitudes.

- DSW21 diesel 2015: 5.143.837 l ≈ 180 buses × 28.577 l (a city bus: 40–50 l/100 km at
  55.000–65.000 km/a ≈ 22.000–32.500 l); it was 8,4 million l (≈ 47.000 l per bus).
- DSW21 electricity 2021 → 2025: +4.786 MWh, about what 30 e-buses draw (≈ 1,2 kWh/km ×
  60.000 km ≈ 72 MWh each, 2,2 GWh) plus the light rail's own trend; it was +20.000 MWh.
- Stadt Dortmund 2015: 72.653 t CO₂e, the magnitude of the BISKO sector "kommunale
  Verwaltung" (≈ 70 kt); it was ≈ 121 kt (1,7×).
"""

from __future__ import annotations

import pytest

from kek_data import report
from kek_data.viewer import NETWORK_MANAGER


def _quantity(con, member: str, carrier: str, year: int) -> float:
    return con.execute(
        "SELECT sum(quantity) FROM current_activity WHERE member_id = ? AND carrier_id = ? "
        "AND year = ?",
        [member, carrier, year],
    ).fetchone()[0]


def test_dsw21_diesel_per_bus(con):
    diesel = _quantity(con, "dsw21", "diesel", 2015)
    assert diesel == pytest.approx(5_143_837)
    assert 22_000 <= diesel / 180 <= 32_500  # litres per bus and year


def test_dsw21_e_bus_power_ramp(con):
    ramp = _quantity(con, "dsw21", "strom", 2025) - _quantity(con, "dsw21", "strom", 2021)
    assert ramp == pytest.approx(4785.6, abs=0.1)  # [MWh]
    assert ramp < 6_000  # 30 e-buses ≈ 2.200 MWh/a, plus the rail trend of +1 %/a


def test_city_administration_near_the_bisko_sector(con):
    stadt = report.build(con, NETWORK_MANAGER).member["stadt"].kpi.series
    assert stadt[2015] == pytest.approx(72_653, abs=1)
    assert min(stadt.values()) >= 45_000 and max(stadt.values()) <= 75_000
