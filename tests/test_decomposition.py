"""The decomposition "eigene Minderung und Strommix" (kek_data/decomposition.py), by hand.

Two carriers, base year 2015: Strom 100.000 kWh × 400 g/kWh = 40 t, Erdgas 50.000 kWh × 200 g/kWh
= 10 t, E(B) = 50 t CO₂e. Activity part = Σ kWh(Y) × f(B) − E(B); factor part = E(Y) − Σ kWh(Y) ×
f(B) (kWh × g / 10⁶ = t).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kek_data import access, cli, db, decomposition, methodology, report
from kek_data.viewer import NETWORK_MANAGER, Viewer
from tests import small

BASE = {"strom": (100_000.0, 40.0), "erdgas": (50_000.0, 10.0)}
F_BASE = {"strom": 400.0, "erdgas": 200.0}


def _split(now: dict, factors: dict = F_BASE) -> decomposition.Decomposition:
    return decomposition.split("x", 2015, 2025, [BASE], [(now, factors)])


def test_factor_change_only():
    # Same kWh; Strom factor 400 → 300 g/kWh: E(Y) = 100.000 × 300 / 10⁶ + 10 = 30 + 10 = 40 t.
    # At base factors: 100.000 × 400 / 10⁶ + 50.000 × 200 / 10⁶ = 40 + 10 = 50 → activity 50 − 50
    # = 0; factors 40 − 50 = −10 t (−20 points of 50 t).
    d = _split({"strom": (100_000.0, 30.0), "erdgas": (50_000.0, 10.0)})
    assert (d.base, d.latest, d.activity, d.factors) == pytest.approx((50, 40, 0, -10))
    assert d.points(d.factors) == pytest.approx(-20)
    assert d.text() == (
        "Von −20,0 % Veränderung 2015–2025 sind 0,0 Punkte eigene Minderung und −20,0 Punkte "
        "sauberere Faktoren (v. a. Strommix)."
    )


def test_activity_change_only():
    # Strom 80.000 kWh at unchanged 400 g/kWh = 32 t, Erdgas unchanged 10 t: E(Y) = 42 t.
    # At base factors also 32 + 10 = 42 → activity 42 − 50 = −8 t, factors 42 − 42 = 0.
    d = _split({"strom": (80_000.0, 32.0), "erdgas": (50_000.0, 10.0)})
    assert (d.latest, d.activity, d.factors) == pytest.approx((42, -8, 0))
    assert d.factor_share == pytest.approx(0)


def test_both_change():
    # Strom 80.000 kWh × 300 g = 24 t, Erdgas 40.000 kWh × 200 g = 8 t: E(Y) = 32 t.
    # At base factors: 80.000 × 400 / 10⁶ + 40.000 × 200 / 10⁶ = 32 + 8 = 40 t.
    # Activity 40 − 50 = −10 t (−20 points); factors 32 − 40 = −8 t (−16 points); sum −18 t = −36 %.
    d = _split({"strom": (80_000.0, 24.0), "erdgas": (40_000.0, 8.0)})
    assert (d.activity, d.factors, d.change) == pytest.approx((-10, -8, -18))
    assert d.activity + d.factors == pytest.approx(d.change)
    assert (
        "Von −36,0 % Veränderung 2015–2025 sind −20,0 Punkte eigene Minderung und −16,0" in d.text()
    )
    assert d.as_json()["activity"] == pytest.approx(-10) and d.complete


def test_direct_emissions_count_as_activity_and_missing_factor_in_neither():
    # "sonstige" 5 t directly (no kWh): all activity. A new carrier "holz" 10.000 kWh = 0,3 t
    # without a base-year factor: in neither part, named, incomplete.
    now = {**BASE, "sonstige": (None, 5.0), "holz": (10_000.0, 0.3)}
    d = _split(now, {**F_BASE, "holz": None})
    assert (d.activity, d.factors, d.unassigned) == pytest.approx((5, 0, 0.3))
    assert d.activity + d.factors + d.unassigned == pytest.approx(d.change)
    assert not d.complete and d.missing_factor == ("holz",)
    assert "Faktor fehlt für Holz in 2015" in d.text({"holz": "Holz"})


def test_new_carrier_takes_the_factor_valid_in_the_base_year():
    import pandas as pd

    detail = pd.DataFrame(
        [
            ("m", 2015, "strom", 2, 100_000.0, 40.0),
            ("m", 2025, "strom", 2, 100_000.0, 30.0),
            ("m", 2025, "erdgas", 1, 50_000.0, 10.0),
        ],  # fmt: skip
        columns=["member_id", "year", "carrier_id", "scope", "kwh", "t_co2e"],
    )
    records = pd.DataFrame(
        {
            "carrier_id": ["erdgas", "erdgas"],
            "valid_from": [2000, 2020],
            "g_co2e_per_kwh": [240.0, 200.0],
            "status": ["x", "x"],
        }  # fmt: skip
    )
    d = decomposition.Source(detail, records).of("m", 2015, 2025, {"m": 2015}, {"m": 2025})
    # At base factors: 100.000 × 400 / 10⁶ + 50.000 × 240 / 10⁶ (record of 2000) = 40 + 12 = 52
    # → activity 52 − 40 = +12 t; factors 40 − 52 = −12 t.
    assert (d.activity, d.factors) == pytest.approx((12, -12))


def test_demo_parts_add_up_to_the_reported_change(con):
    rep = report.build(con, NETWORK_MANAGER)
    for owner in ["netzwerk", *rep.member]:
        d = rep.decomposed(owner)
        kpi = rep.network if owner == "netzwerk" else rep.member[owner].kpi
        assert d is not None and d.complete, owner
        assert d.base == pytest.approx(kpi.base)
        assert d.activity + d.factors == pytest.approx(kpi.change_pct / 100 * kpi.base), owner
    net = rep.decomposed("netzwerk")
    assert 35 < net.factor_share < 50  # the issue: about 42 % from the factors since 2015
    summary = cli.summary(con, NETWORK_MANAGER)["decomposition"]
    assert summary["netzwerk"][str(rep.year)]["factors"] == pytest.approx(net.factors, abs=1e-5)
    assert set(summary) == {"netzwerk", *rep.member}


@pytest.fixture
def scon(tmp_path: Path):
    path = tmp_path / "small.duckdb"
    small.build(path).close()
    con = db.connect(path)
    yield con
    con.close()


def test_partial_year_is_not_used(scon):
    # C's 2025 lacks Heizöl: C counts with 2024 (50 t), network 2025 = 50 + 18 + 50 = 118 t vs
    # 2023: 70 + 20 + 50 = 140 t. Factors constant in tests/small.py: all −22 t is activity.
    rep = report.build(scon, NETWORK_MANAGER, 2025)
    net = rep.decomposed("netzwerk")
    assert (net.base, net.latest, net.activity, net.factors) == pytest.approx((140, 118, -22, 0))
    c = rep.decomposed("c")
    assert (c.year, c.latest, c.activity) == pytest.approx((2024, 50, 0))


def test_member_gets_no_network_decomposition_where_the_total_is_withheld(scon):
    manager = Viewer("netzwerk", name="Netzwerk", user="nm@example.org")
    access.set_consent(scon, manager, "b", "namentlich", "Test")  # only C withheld from A
    rep = report.build(scon, Viewer("mitglied", "a"), 2025)
    assert rep.decomposed("netzwerk") is None
    assert rep.decomposed("a") is not None
    assert "netzwerk" not in cli.summary(scon, Viewer("mitglied", "a"), 2025)["decomposition"]
    assert report.build(scon, NETWORK_MANAGER, 2025).decomposed("netzwerk") is not None


def test_methodology_section():
    s = methodology.section("zerlegung")
    assert s.title == "Eigene Minderung und Strommix"
    assert "Shift-Share" in s.markdown and "Energy Policy" in s.markdown


@pytest.mark.parametrize("page", ["pages/mitglied.py", "pages/ueberblick.py"])
def test_pages_show_the_sentence(app_test, monkeypatch, page):
    monkeypatch.setenv("KEK_DEMO_ROLE", "netzwerk")
    at = app_test()
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    text = "\n".join(str(m.value) for m in at.markdown)
    assert "Punkte eigene Minderung und" in text
    assert any(s.value == "Eigene Minderung und Strommix" for s in [*at.subheader, *at.header])


def test_deck_overview_and_member_slide_say_it(con):
    import io
    from datetime import date

    from pptx import Presentation

    from kek_data.export import deck, images

    if not images.browser_path().exists():
        pytest.skip("Chromium für den Bildexport fehlt")
    rep = report.build(con, NETWORK_MANAGER)
    data = deck.build_deck(con, NETWORK_MANAGER, members=["dsw21"], meeting_date=date(2026, 5, 20))
    slides = list(Presentation(io.BytesIO(data)).slides)

    def said(slide) -> str:
        return " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)

    assert rep.decomposed("netzwerk").text() in said(slides[1])
    member = next(s for s in slides if "Dortmunder Stadtwerke" in said(s) or "DSW21" in said(s))
    assert rep.decomposed("dsw21").text() in said(member)
