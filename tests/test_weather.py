"""The weather-corrected second view (kek_data/weather.py), by hand.

Literal fixture, one member "m", climate factors 2023 = 1,1 and 2024 = 0,9:

    year  Erdgas kWh / t    Fernwärme kWh / t   Strom kWh / t   heating kWh   total t
    2023  100.000 / 20      50.000 / 10         80.000 / 32     150.000       62
    2024   80.000 / 16      50.000 / 10         80.000 / 32     130.000       58

Corrected heating energy = kWh × factor: 2023 150.000 × 1,1 = 165.000 kWh, 2024 130.000 × 0,9 =
117.000 kWh. Corrected total = total + (factor − 1) × heating t (Strom unchanged): 2023
62 + 0,1 × 30 = 65 t, 2024 58 − 0,1 × 26 = 55,4 t CO₂e.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kek_data import access, db, methodology, reference, report, weather, weather_charts
from kek_data.errors import FigureError, ReferenceDataError
from kek_data.export import figures
from kek_data.viewer import NETWORK_MANAGER, PUBLIC, Viewer
from tests import small

DETAIL = pd.DataFrame(
    [
        ("m", 2023, "erdgas", 1, 100_000.0, 20.0),
        ("m", 2023, "fernwaerme", 2, 50_000.0, 10.0),
        ("m", 2023, "strom", 2, 80_000.0, 32.0),
        ("m", 2024, "erdgas", 1, 80_000.0, 16.0),
        ("m", 2024, "fernwaerme", 2, 50_000.0, 10.0),
        ("m", 2024, "strom", 2, 80_000.0, 32.0),
    ],
    columns=["member_id", "year", "carrier_id", "scope", "kwh", "t_co2e"],
)
CHECKED = "geprüft (Test)"


def _climate(status: str = CHECKED, **factors: float) -> dict[int, weather.ClimateFactor]:
    values = factors or {"y2023": 1.1, "y2024": 0.9}
    return {
        int(k[1:]): weather.ClimateFactor(int(k[1:]), v, status, "tests/test_weather.py")
        for k, v in values.items()
    }


def _series(climate: dict[int, weather.ClimateFactor]) -> weather.Series:
    counted = {2023: {"m": 2023}, 2024: {"m": 2024}}
    return weather.Source(DETAIL, climate).series("m", counted, 2023)


def test_hand_computed_kwh_and_t():
    s = _series(_climate())
    p23, p24 = s.points[2023], s.points[2024]
    assert (p23.raw_kwh, p23.corrected_kwh) == pytest.approx((150_000, 165_000))
    assert (p24.raw_kwh, p24.corrected_kwh) == pytest.approx((130_000, 117_000))
    assert (p23.raw_t, p23.corrected_t) == pytest.approx((62, 65))
    assert (p24.raw_t, p24.corrected_t) == pytest.approx((58, 55.4))
    assert p23.mark == p24.mark == ""
    # 130.000 / 150.000 − 1 = −13,33 %; 117.000 / 165.000 − 1 = −29,09 %
    assert s.change(False) == pytest.approx(-13.333, abs=1e-3)
    assert s.change(True) == pytest.approx(-29.091, abs=1e-3)
    assert s.text() == (
        "Witterungsbereinigt sank die Heizenergie seit 2023 um 29,1 %, unbereinigt um 13,3 %. "
        "Emissionen 2024 mit witterungsbereinigter Heizenergie: 55 t CO₂e (BISKO-Bilanz: 58 t "
        "CO₂e)."
    )


def test_placeholder_factors_are_marked_not_verified():
    s = _series(_climate("nicht geprüft (Platzhalter)"))
    assert s.points[2024].mark == "nicht geprüft" and s.points[2024].unverified == (2024,)
    assert s.text().endswith(" Klimafaktoren: nicht geprüft (Platzhalter).")
    assert "Status „nicht geprüft (Platzhalter)“" in s.caption()
    fig = weather_charts.heating(s, weather_charts.title(s, "M"), _ctx())
    assert fig.layout.title.text == (
        "M: Heizenergie unbereinigt und witterungsbereinigt (Klimafaktoren nicht geprüft)"
    )


def _ctx():
    from kek_data.charts import Context

    return Context(as_of="15.03.2026", demo=True)


def test_missing_factor_is_marked_and_none():
    s = _series(_climate(y2023=1.1))  # no factor for 2024
    p = s.points[2024]
    assert p.corrected_kwh is None and p.corrected_t is None and p.raw_kwh == 130_000
    assert p.mark == "Klimafaktor fehlt (2024)" and p.missing == (2024,)
    assert s.change(True) is None
    assert s.text() == (
        "Witterungsbereinigt: Klimafaktor fehlt für 2024; unbereinigt sank die Heizenergie "
        "seit 2023 um 13,3 %."
    )
    assert "Klimafaktor fehlt: 2024" in s.caption()
    fig = weather_charts.heating(s, "t", _ctx())
    corrected = next(t for t in fig.data if t.name == weather.LABEL)
    assert list(corrected.y) == [pytest.approx(165.0), None]  # [MWh], never 130 × 1,0
    notes = [a for a in fig.layout.annotations if a.name == weather_charts.MISSING_NOTE]
    assert [(a.x, a.text) for a in notes] == [(2024, "Klimafaktor fehlt")]


def test_no_heating_energy_needs_no_factor():
    strom = DETAIL[DETAIL["carrier_id"] == "strom"]
    s = weather.Source(strom, {}).series("m", {2023: {"m": 2023}}, 2023)
    p = s.points[2023]
    assert (p.raw_kwh, p.corrected_kwh, p.raw_t, p.corrected_t, p.mark) == (0, 0, 32, 32, "")
    assert not s.has_heat and s.text().startswith("Keine Heizenergie (Erdgas, Heizöl,")


@pytest.fixture
def scon(tmp_path: Path):
    """tests/small.py with climate factors 2023 = 1,2, 2024 = 1,1, 2025 = 0,9 (Heizöl heats)."""
    path = tmp_path / "small.duckdb"
    small.build(path).close()
    con = db.connect(path)
    con.execute("DELETE FROM climate_factors")
    con.executemany(
        "INSERT INTO climate_factors VALUES (?, ?, 'geprüft (Test)', 'tests/test_weather.py')",
        [(2023, 1.2), (2024, 1.1), (2025, 0.9)],
    )
    yield con
    con.close()


def test_network_follows_the_completeness_rule(scon):
    # 2025: A 60.000 kWh Heizöl × 0,9 = 54.000; B none; C's 2025 lacks Heizöl, so C counts with
    # 2024: 100.000 × 1,1 = 110.000 → raw 160.000, corrected 164.000 kWh. Emissions 118 t
    # (report) + (0,9 − 1) × 18 t + (1,1 − 1) × 30 t = 119,2 t CO₂e.
    rep = report.build(scon, NETWORK_MANAGER, 2025)
    net = rep.weather["netzwerk"]
    p = net.points[2025]
    assert (p.raw_kwh, p.corrected_kwh) == pytest.approx((160_000, 164_000))
    assert (p.raw_t, p.corrected_t) == pytest.approx((118, 119.2))
    # 2023: (100.000 + 100.000) × 1,2 = 240.000 kWh; 140 t + 0,2 × 60 t = 152 t
    assert (net.points[2023].corrected_kwh, net.points[2023].corrected_t) == pytest.approx(
        (240_000, 152)
    )
    for y, point in net.points.items():  # raw values are the report's BISKO totals
        assert point.raw_t == pytest.approx(rep.network.series[y])
    # C's own series ends with its counted year 2024
    assert set(rep.weather["c"].points) == set(rep.member["c"].kpi.series) == {2023, 2024}


def test_withheld_network_total_is_not_shown_to_a_member(scon):
    manager = Viewer("netzwerk", name="Netzwerk", user="nm@example.org")
    access.set_consent(scon, manager, "b", "namentlich", "Test")  # only C withheld from A
    rep = report.build(scon, Viewer("mitglied", "a"), 2025)
    assert rep.network.series == {} and rep.weather["netzwerk"].points == {}
    assert set(rep.weather) == {"netzwerk", "a", "b"}  # nothing of C
    with pytest.raises(FigureError) as exc:
        figures.build_from(rep, "witterung")
    assert access.WITHHELD in str(exc.value)
    assert figures.build_from(rep, "witterung", "a").layout.title.text.startswith("A:")
    assert report.build(scon, NETWORK_MANAGER, 2025).weather["netzwerk"].points


def test_public_sees_only_shown_members_and_the_shown_total(con):
    rep = report.build(con, PUBLIC)
    assert set(rep.weather) == {"netzwerk", *rep.member}
    assert set(rep.weather["netzwerk"].points) == set(rep.network.series)


def test_every_demo_year_has_a_factor_or_is_marked(con):
    rep = report.build(con, NETWORK_MANAGER)
    climate = weather.factors(con)
    for owner, s in rep.weather.items():
        for y, p in s.points.items():
            assert p.corrected_kwh is not None or p.missing, (owner, y)
            assert p.mark, (owner, y)  # placeholders: "nicht geprüft", else "Klimafaktor fehlt"
    assert set(rep.years) <= set(climate)
    net = rep.weather["netzwerk"]
    heat = rep.detail[rep.detail["carrier_id"].isin(weather.HEATING)]
    assert net.points[2020].raw_kwh == pytest.approx(heat[heat["year"] == 2020]["kwh"].sum())
    assert net.text().startswith("Witterungsbereinigt sank die Heizenergie seit 2015 um ")


def test_the_file_never_looks_verified():
    """Until each value is checked against the DWD table every row says so (then change this)."""
    rows = reference.read_table(weather.FILE)
    assert [int(r["year"]) for r in rows] == list(range(2015, 2026))
    for r in rows:
        assert r["status"] == "nicht geprüft (Platzhalter)", r["year"]
        assert "nicht gegen die DWD-Tabelle geprüft" in r["source"], r["year"]
        assert 1.0 <= float(r["factor"]) <= 1.2
    assert "PLATZHALTER" in (reference.config.DATA_DIR / weather.FILE).read_text("utf-8")


def test_a_factor_not_above_zero_is_a_reference_error(scon):
    scon.execute("UPDATE climate_factors SET factor = 0 WHERE year = 2024")
    with pytest.raises(ReferenceDataError, match="climate_factors.csv, Jahr 2024, Spalte factor"):
        weather.factors(scon)


def test_named_chart_has_house_style_and_label(con):
    rep = report.build(con, NETWORK_MANAGER)
    fig = figures.build_from(rep, "witterung")
    assert [t.name for t in fig.data] == [weather.RAW_LABEL, weather.LABEL]
    assert "zweite Sicht, nicht BISKO-Bilanz" in weather.LABEL
    assert fig.layout.separators == ",." and fig.layout.yaxis.title.text == "MWh"
    texts = [a.text for a in fig.layout.annotations]
    assert any(t.startswith("Quelle: KEK-Klimadashboard, Stand 15.03.2026") for t in texts)
    assert "DEMODATEN (FIKTIV)" in texts
    net = rep.weather["netzwerk"]
    assert list(fig.data[1].y) == pytest.approx(
        [p.corrected_kwh / 1000 for p in net.points.values()]
    )
    member = figures.build_from(rep, "witterung", "dsw21")
    assert member.layout.title.text.startswith("DSW21: Heizenergie")


def test_market_basis_has_no_weather_view(con):
    rep = report.build(con, NETWORK_MANAGER, basis="markt")
    assert rep.weather == {}
    with pytest.raises(FigureError, match="nur zur standortbezogenen Bilanz"):
        figures.build_from(rep, "witterung")


def test_methodology_section():
    s = methodology.section("witterung")
    assert s.title == weather.TITLE
    said = ["Potsdam", "Deutscher Wetterdienst", "44137", "bleiben unbereinigt", "Warmwasser"]
    said += ["Klimafaktor fehlt", "nicht geprüft (Platzhalter)", "Platzhalter"]
    for text in said:
        assert text in s.markdown, text


@pytest.mark.parametrize(
    ("page", "role"),
    [("pages/mitglied.py", "netzwerk"), ("pages/ueberblick.py", "netzwerk"),
     ("pages/mitglied.py", "mitglied:dsw21"), ("pages/ueberblick.py", "mitglied:dsw21")],
)  # fmt: skip
def test_pages_show_the_expander(app_test, monkeypatch, page, role):
    monkeypatch.setenv("KEK_DEMO_ROLE", role)
    at = app_test()
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert weather.TITLE in [e.label for e in at.expander]
    text = "\n".join(str(m.value) for m in at.markdown)
    assert "Witterungsbereinigt sank die Heizenergie seit 2015 um" in text
    captions = "\n".join(str(c.value) for c in at.caption)
    assert "Status „nicht geprüft (Platzhalter)“" in captions and "Potsdam" in captions
