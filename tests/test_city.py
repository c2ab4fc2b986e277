"""Members and the city (kek_data.city): share and both changes against values computed by hand."""

from __future__ import annotations

import pytest

from kek_data import access, city, methodology, report
from kek_data.viewer import NETWORK_MANAGER, Viewer
from tests.test_app import _text

ROWS = [  # the shape of data/city_balance.csv, made-up values
    {"year": "2018", "kt_co2e": "4000", "vintage": "Bilanz 2018", "source": "Ratsvorlage X"},
    {"year": "2014", "kt_co2e": "5000", "vintage": "Bilanz 2018", "source": "Ratsvorlage X"},
    {"year": "2020", "kt_co2e": "3000", "vintage": "Neuberechnung", "source": "Presse Y"},
]
CITY = city.balance(ROWS)


def test_share_and_both_changes_by_hand():
    # common years 2014 and 2018 (2016 has no city value, 2022 no network value)
    net = {2014: 200_000.0, 2016: 190_000.0, 2018: 150_000.0}
    c = city.compare(net, CITY)
    assert c is not None and c.city_years == (2014, 2018, 2020)
    assert (c.year, c.base_year, c.span) == (2018, 2014, "2014–2018")
    assert c.share_pct == pytest.approx(150_000 / 4_000_000 * 100)  # 3,75 %
    assert c.network_change_pct == pytest.approx(-25.0)  # 150 / 200 − 1
    assert c.city_change_pct == pytest.approx(-20.0)  # 4000 / 5000 − 1
    assert c.method_break == ""  # both ends "Bilanz 2018"
    assert c.share_text() == (
        "Netzwerksumme 2018: 150.000 t CO₂e, das entspricht 3,8 % der Territorialbilanz der "
        "Stadt Dortmund (4.000.000 t CO₂e)"
    )
    assert c.rates_text() == "Veränderung 2014–2018: Mitglieder -25,0 %, Stadt Dortmund -20,0 %."
    assert c.text().endswith(city.OVERLAP)


def test_a_span_across_the_recalculation_is_flagged():
    c = city.compare({2018: 100.0, 2020: 90.0}, CITY)
    assert c is not None and (c.base_year, c.year) == (2018, 2020)
    assert c.city_change_pct == pytest.approx(-25.0)  # 3000 / 4000 − 1
    assert c.method_break == "Methodenbruch: Neuberechnung ab 2020"
    assert c.rates_text().endswith("(Methodenbruch: Neuberechnung ab 2020).")


def test_one_or_no_common_year():
    one = city.compare({2020: 60_000.0, 2021: 50_000.0}, CITY)
    assert one is not None and one.base_year is None and one.share_pct == pytest.approx(2.0)
    assert one.network_change_pct is None and one.method_break == ""
    assert city.compare({2015: 1.0, 2021: 1.0}, CITY) is None
    assert city.compare({}, CITY) is None  # every total withheld: nothing to show


def test_demo_network_beside_the_city(con):
    """Demo: the network's 2022 total / 3.406.500 t; common base 2016 (network from 2015, city
    2014 and 2016); 2016 → 2022 crosses the recalculation of 2020."""
    rep = report.build(con, NETWORK_MANAGER)
    net = rep.network.series
    c = rep.city
    assert c is not None and (c.base_year, c.year) == (2016, 2022) and min(net) == 2015
    assert c.network_t == net[2022] and c.city_t == pytest.approx(3_406_500)
    assert c.share_pct == pytest.approx(net[2022] / 3_406_500 * 100)
    assert c.network_change_pct == pytest.approx((net[2022] / net[2016] - 1) * 100)
    assert c.city_change_pct == pytest.approx((3406.5 / 4334.83 - 1) * 100)  # -21,4 %
    assert c.method_break == "Methodenbruch: Neuberechnung ab 2020"
    assert report.build(con, NETWORK_MANAGER, 2019).city.year == 2018  # the reporting year's


def test_withheld_totals_show_nothing(con):
    """All but Caritas named: DSW21 may see no network total, so no share and no rates."""
    for m in access.member_ids(con):
        if m != "caritas":
            access.set_consent(con, NETWORK_MANAGER, m, "namentlich")
    rep = report.build(con, Viewer("mitglied", "dsw21"))
    assert rep.network.series == {} and rep.city is None


def test_methodik_cites_every_source_of_the_city_file():
    text = methodology.section("stadtgebiet").markdown
    assert city.OVERLAP in text and "Methodenbruch: Neuberechnung ab 2020" in text
    for c in city.balance():
        assert c.source in text and str(c.year) in text


def test_overview_shows_members_and_city(app_test, con, monkeypatch):
    c = report.build(con, NETWORK_MANAGER).city
    monkeypatch.setenv("KEK_DEMO_ROLE", "netzwerk")
    at = app_test()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    text = _text(at)
    assert "Mitglieder und Stadtgebiet" in text and city.OVERLAP in text
    assert c.share_text() in text and c.rates_text() in text
    assert f"Anteil an der Stadtbilanz {c.year}" in text


def test_city_file_reads():
    assert [c.year for c in city.balance()] == [1990, 2012, 2014, 2016, 2018, 2020, 2022]
