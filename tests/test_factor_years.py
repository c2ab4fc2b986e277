"""No silent factor years: each year computed with another year's or a provisional factor is marked.

The view ``emissions`` names the factor record of each row (migration 005); kek_data.factor_years
marks „Faktor aus J übertragen“, „vorläufig“, „Faktor fehlt“ and Fernwärme at the German average
(fallback, migration 006; networks: tests/test_district_heat.py). Values are not changed.
"""

from __future__ import annotations

from kek_data import factor_years, report
from kek_data.export import package
from kek_data.ingest import import_file
from kek_data.viewer import NETWORK_MANAGER as NM
from tests.ingest_util import csv_bytes, new_db


def test_every_year_of_the_demo_states_its_factor(con):
    rows = factor_years.read(con, NM)
    assert sorted({r.year for r in rows}) == list(range(2015, 2026))
    strom = {r.year: r for r in rows if r.carrier_id == "strom"}
    # the Strom series has a record for 2015–2024; 2025 reuses the 2024 estimate
    assert {y for y, r in strom.items() if r.carried} == {2025}
    assert strom[2025].factor_year == 2024
    assert {y for y, r in strom.items() if r.provisional} == {2023, 2024, 2025}
    # one factor for all years by design (BISKO fuel values): not marked; none missing
    assert not any(r.notes for r in rows if r.carrier_id not in ("strom", "fernwaerme"))
    # the demo has no district-heat network: Fernwärme is the German average, marked fallback
    assert all(r.fallback and not r.carried for r in rows if r.carrier_id == "fernwaerme")
    assert factor_years.lines(rows) == [
        "Fernwärme 2015–2025: Bundesdurchschnitt (kein lokaler Netzfaktor hinterlegt)",
        "Strom 2023–2024: vorläufig",
        "Strom 2025: Faktor aus 2024 übertragen, vorläufig",
    ]


def test_a_1990_to_2025_series_marks_every_carried_year(tmp_path):
    con, path = new_db(tmp_path)
    rows = [f"{y};Strom;1;MWh;Rathaus;" for y in range(1990, 2026)]
    assert import_file(con, path, csv_bytes(rows), "kek.csv", "dsw21", NM).n_rows == 36
    got = factor_years.read(con, NM)
    carried = {r.year: r.factor_year for r in got if r.carried}
    assert carried == {**{y: 1990 for y in range(1991, 2015)}, 2025: 2024}
    assert factor_years.lines(got) == [
        "Strom 1991–2014: Faktor aus 1990 übertragen",
        "Strom 2023–2024: vorläufig",
        "Strom 2025: Faktor aus 2024 übertragen, vorläufig",
    ]
    # values unchanged: 1 MWh in 2000 at the 1990 factor 891 g/kWh = 0,891 t
    (t,) = con.execute("SELECT t_co2e FROM emissions WHERE year = 2000").fetchone()
    assert round(t, 6) == 0.891


def test_a_carrier_without_factor_is_marked_missing():
    row = factor_years.FactorYear(2020, "x", "X", None, "", series=False, direct=False)
    assert row.notes == ("Faktor fehlt",)
    direct = factor_years.FactorYear(2020, "sonstige", "Sonstige", None, "", False, True)
    assert direct.notes == ()


def test_the_methodik_page_names_the_carried_and_provisional_years(app_test, monkeypatch):
    monkeypatch.setenv("KEK_DEMO_ROLE", "netzwerk")
    at = app_test()
    at.run()
    at.switch_page("pages/methodik.py").run()
    assert not at.exception, [e.value for e in at.exception]
    (text,) = [m.value for m in at.markdown if m.value.startswith("Faktorjahre")]
    assert "Strom 2025: Faktor aus 2024 übertragen, vorläufig" in text
    assert "Strom 2023–2024: vorläufig" in text and "spätere Revision" in text
    assert "Fernwärme 2015–2025: Bundesdurchschnitt (kein lokaler Netzfaktor hinterlegt)" in text


def test_the_public_page_says_the_network_total_uses_a_provisional_factor(app_test, monkeypatch):
    """The public sees the 2025 total; its electricity factor is carried from 2024 (vorläufig)."""
    monkeypatch.setenv("KEK_DEMO_ROLE", "oeffentlich")
    at = app_test()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    (text,) = [c.value for c in at.caption if c.value.startswith("Faktorjahre")]
    assert "Strom 2025: Faktor aus 2024 übertragen, vorläufig" in text


def test_the_data_package_marks_the_factor_of_each_emissions_row(con):
    items = package.build_tables(report.build(con, NM), con)
    df = next(t for t in items if t.name == "emissionen").frame
    notes = df.groupby(["year", "carrier_id"])["factor_note"].first()
    assert notes[(2025, "strom")] == "Faktor aus 2024 übertragen, vorläufig"
    assert notes[(2023, "strom")] == "vorläufig" and notes[(2022, "strom")] == ""
    assert notes[(2015, "fernwaerme")] == "Bundesdurchschnitt (kein lokaler Netzfaktor hinterlegt)"
    assert set(notes[notes != ""].index.get_level_values("carrier_id")) == {"strom", "fernwaerme"}


def test_summary_json_names_the_marked_factor_years(con):
    from kek_data import cli

    notes = cli.summary(con, NM)["factor_notes"]
    assert "Strom 2025: Faktor aus 2024 übertragen, vorläufig" in notes
    assert "Strom 2023–2024: vorläufig" in notes
