"""The report snapshot against figures computed by hand, and every surface against the snapshot.

The small literal database (tests/small.py) has three members and three years; every expected
number below is written out and can be checked with its docstring's table. The demo database
checks that screen, deck, data package and ``summary --json`` say the same.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation

from kek_data import access, cli, db, report, views
from kek_data.export import deck, figures, images, package
from kek_data.viewer import NETWORK_MANAGER, PUBLIC, Viewer
from tests import small

ROOT = Path(__file__).resolve().parent.parent
COVERAGE = "2025: 2 von 3 Mitgliedern vollständig · C mit 2024"
DEMO_COVERAGE = "2025: 8 von 10 Mitgliedern vollständig · Caritas, Diakonie mit 2024"


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("small") / "small.duckdb"
    small.build(path).close()
    return path


@pytest.fixture
def scon(small_db: Path):
    con = db.connect(small_db)
    yield con
    con.close()


def test_network_figures_by_hand(scon):
    rep = report.build(scon, NETWORK_MANAGER)
    n = rep.network
    assert rep.year == 2025
    # C's 2025 lacks Heizöl: C counts with 2024 (50 t), so 50 + 18 + 50 = 118.
    assert n.series == {2023: 140.0, 2024: 130.0, 2025: 118.0}
    assert n.latest == 118.0 and rep.member_total() == 118.0
    assert n.base == 140.0 and n.change_pct == pytest.approx(-15.714285714)
    assert n.path_latest == pytest.approx(120.0)  # 140 − 2 × 10
    assert n.gap_latest == pytest.approx(-2.0) and n.status == "gruen"
    s30, s35 = n.step(2030), n.step(2035)
    assert (s30.path, s30.to_go) == (pytest.approx(70.0), pytest.approx(48.0))
    assert s30.required.t_per_year == pytest.approx(9.6)  # 48 t over 5 years
    assert s30.required_pct == pytest.approx(8.1355932)  # 9,6 / 118
    assert s35.required.t_per_year == pytest.approx(11.8) and s35.required_pct == 10.0
    assert s35.required.pct_per_year is None  # no compound rate to 0 t
    assert n.rate_basis == "% der Emissionen 2025"
    assert n.achieved.t_per_year == pytest.approx(11.0)  # (140 − 118) / 2
    assert n.achieved_pct == pytest.approx(9.3220339)
    # trend: slope −11 t/a through (2024 | 129,33): zero at 2035,76 → 2036; 2030: 63,33
    assert n.zero_year == 2036
    assert s30.projected == pytest.approx(63.333333) and s30.trend_gap == pytest.approx(-6.666667)
    assert (n.budget.budget, n.budget.used, n.budget.left) == (980.0, 388.0, 592.0)
    assert n.budget_end == 2035 and rep.reference_years == (2030, 2035)


def test_members_and_completeness_by_hand(scon):
    rep = report.build(scon, NETWORK_MANAGER)
    a, b, c = rep.member["a"].kpi, rep.member["b"].kpi, rep.member["c"].kpi
    assert (a.latest_year, a.latest, a.path_latest, a.status) == (2025, 50.0, 58.0, "gruen")
    assert (b.latest_year, b.latest, b.status) == (2025, 18.0, "gruen")
    assert b.path_latest == pytest.approx(19.428571)  # 20 − 2 × 2/7
    assert list(b.steps) == [2030]  # B's target ends in 2030
    assert (c.latest_year, c.latest, c.status) == (2024, 50.0, "gelb")
    assert c.gap_latest == pytest.approx(2.142857)  # above the path, within 5 % (2,39 t)
    assert list(c.steps) == [2030, 2035, 2040]
    assert rep.member["c"].state == "teilweise" and rep.member["c"].missing_carriers == "Heizöl"
    assert rep.member["c"].partial_years == {2025}
    assert rep.lights == {"gruen": 2, "gelb": 1, "rot": 0, "ohne Ziel": 0}
    assert rep.coverage_text() == COVERAGE
    assert rep.coverage_text(2024) == "2024: 3 von 3 Mitgliedern vollständig"
    assert rep.member["c"].label(2025) == "C (2024)"


def test_member_and_public_views(scon):
    manager = report.build(scon, NETWORK_MANAGER)
    member = report.build(scon, Viewer("mitglied", "b"))
    public = report.build(scon, PUBLIC)
    for rep in (member, public):  # the network total is the same aggregate for everyone
        assert rep.network == manager.network
        assert rep.paths.equals(manager.paths)
    assert list(member.member) == ["b"] and member.network.base == 140.0
    assert member.coverage_text() == "2025: 2 von 3 Mitgliedern vollständig · 1 Mitglied mit 2024"
    assert public.member == {} and public.lights == {"gruen": 0, "gelb": 0, "rot": 0,
                                                     "ohne Ziel": 0}  # fmt: skip
    assert public.coverage_text() == member.coverage_text()
    assert public.detail.empty and set(member.detail["member_id"]) == {"b"}
    with pytest.raises(report.AccessDenied):
        member.find("a")
    # the public network chart has bars (a wide total, not long-format rows)
    fig = figures.network(public)
    bars = [t for t in fig.data if t.type == "bar" and t.x and t.x[0] is not None]
    assert [t.name for t in bars] == ["Netzwerk gesamt"]
    assert list(bars[0].y) == [140.0, 130.0, 118.0]
    fig = figures.network(member)
    assert [t.name for t in fig.data if t.type == "bar"][:2] == ["B", "Übrige Mitglieder"]


def test_partial_years_are_hatched(scon):
    rep = report.build(scon, NETWORK_MANAGER)
    fig = figures.member(rep, "c", "carrier_id")
    strom = next(t for t in fig.data if t.name == "Strom")
    assert list(strom.x) == [2023, 2024, 2025]
    assert list(strom.marker.pattern.shape) == ["", "", "/"]
    assert any(t.name.startswith("teilweise gemeldet") for t in fig.data)
    net = figures.network(rep)
    c = next(t for t in net.data if t.name == "C")
    assert list(c.y) == [50.0, 50.0, 50.0] and list(c.marker.pattern.shape) == ["", "", "/"]
    assert any(t.name.startswith("schraffiert") for t in net.data)
    index = figures.build_from(rep, "vergleich-index")
    assert [t for t in index.data if t.name == "C"][0].y[-1] is None  # off the line
    assert any("teilweise gemeldet" in (t.name or "") for t in index.data)


def test_summary_json_reads_the_report(scon):
    data = cli.summary(scon, NETWORK_MANAGER)
    assert data["network"] == {"2023": 140.0, "2024": 130.0, "2025": 118.0}
    r = data["report"]
    assert r["coverage"] == COVERAGE and r["lights"]["gruen"] == 2
    assert r["network"]["gap_t_co2e"] == -2.0 and r["network"]["zero_year"] == 2036
    assert r["network"]["steps"]["2030"]["required_t_per_year"] == 9.6
    assert r["members"]["c"]["year"] == 2024 and r["members"]["c"]["partial_years"] == [2025]
    assert sum(m["t_co2e"] for m in r["members"].values()) == 118.0


def _csv(zf: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    text = zf.read(f"csv/{name}.csv").decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_data_package_reads_the_report(scon):
    zf = zipfile.ZipFile(io.BytesIO(package.build_package(scon, NETWORK_MANAGER)))
    rows = {r["Kennung"]: r for r in _csv(zf, "kennzahlen")}
    assert rows["netzwerk"]["Emissionen [t CO₂e]"] == "118"
    assert rows["c"]["Gezähltes Jahr"] == "2024" and rows["c"]["Ampel"] == "Gelb"
    assert rows["netzwerk"]["Nötige Minderung bis 2030 [t CO₂e/a]"] == "9,6"
    per_year = _csv(zf, "emissionen_je_jahr")
    assert per_year[-1]["Netzwerk gesamt [t CO₂e]"] == "118"
    assert per_year[-1]["C [t CO₂e]"] == "50"  # counted with 2024, so the columns add up
    assert per_year[-1]["Vollständigkeit"] == COVERAGE


@pytest.mark.skipif(not images.browser_path().exists(), reason="Chromium fehlt")
def test_deck_reads_the_report(scon):
    prs = Presentation(io.BytesIO(deck.build_deck(scon, NETWORK_MANAGER)))
    text = "\n".join(
        p.text
        for s in prs.slides
        for sh in s.shapes
        if sh.has_text_frame
        for p in sh.text_frame.paragraphs
    )
    cells = [
        c.text for s in prs.slides for sh in s.shapes if sh.has_table
        for r in sh.table.rows for c in r.cells
    ]  # fmt: skip
    assert "118 t CO₂e" in text and COVERAGE in text
    assert "50 t CO₂e (2024)" in cells and "Gelb" in cells
    assert "-2 t CO₂e" in text  # gap to the network path
    assert "8,1 % pro Jahr" in text  # required to 2030, % of 2025


@pytest.fixture
def small_app(small_db: Path, app_test, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    path = tmp_path / "small.duckdb"
    path.write_bytes(small_db.read_bytes())
    con = db.connect(path)  # the Demo-Modus (no login configured) shows demo databases only
    small.mark_demo(con)
    con.close()
    monkeypatch.setenv("KEK_DB", str(path))
    return app_test


def _page(app_test, page: str | None) -> str:
    at = app_test()
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    parts = []
    for kind in ("markdown", "caption", "subheader", "warning", "info"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [f"{m.label}: {m.value}" for m in at.metric]
    for df in at.dataframe:
        parts += [" | ".join(map(str, row)) for row in df.value.itertuples(index=False)]
    return "\n".join(parts)


def test_pages_read_the_report(small_app):
    text = _page(small_app, None)
    assert COVERAGE in text
    assert "Emissionen 2025: 118" in text and "Über dem Pfad 2025: -2" in text
    assert "Veränderung ggü. 2023: -15,7 %" in text
    assert "Lücke 2030 im Trend: -7" in text and "Lücke 2035 im Trend: 8" in text
    assert "🟢 auf Kurs: **2** · 🟡 knapp: **1** · 🔴 Rückstand: **0**" in text
    assert "C | 2024 | teilweise | 50 |" in text
    assert "Netzwerk gesamt | 2025 | 2 von 3 vollständig | 118 |" in text
    text = _page(small_app, "pages/pfad.py")
    basis = "(in % der Emissionen 2025)"
    assert f"Nötig bis 2030 {basis}: 8,1 % pro Jahr" in text
    assert f"Nötig bis 2035 {basis}: 10,0 % pro Jahr" in text
    assert "Null im Trend (5 Jahre): 2036" in text and "Null im Trend (10 Jahre): 2036" in text
    assert "nötig bis 2030 10 t CO₂e pro Jahr, bis 2035 12 t CO₂e pro Jahr" in text
    text = _page(small_app, "pages/vergleich.py")
    assert COVERAGE in text
    text = _page(small_app, "pages/mitglied.py")
    assert "Emissionen 2025 [t CO₂e]: 50" in text  # A, the first member


def test_demo_surfaces_agree(con):
    """Demo: Überblick's counts and coverage are the deck's and summary's (were 3/1/6 vs 3/1/4)."""
    rep = report.build(con, NETWORK_MANAGER)
    assert rep.coverage_text() == DEMO_COVERAGE
    assert rep.lights == {"gruen": 3, "gelb": 1, "rot": 6, "ohne Ziel": 0}
    assert rep.network.latest == pytest.approx(rep.member_total())
    data = json.loads(json.dumps(cli.summary(con, NETWORK_MANAGER)))
    assert data["report"]["coverage"] == DEMO_COVERAGE
    assert data["report"]["lights"] == rep.lights
    assert round(data["report"]["network"]["t_co2e"]) == 179137


def test_default_year_needs_half_of_the_members_complete(small_db, tmp_path):
    """One member's early, partial upload of 2026 does not become the headline year."""
    path = tmp_path / "early.duckdb"
    path.write_bytes(small_db.read_bytes())
    con = db.connect(path)
    sid = con.execute("SELECT max(submission_id) FROM submissions").fetchone()[0]
    con.execute(
        "INSERT INTO activity (submission_id, line_no, member_id, year, carrier_id, quantity, "
        "unit) VALUES (?, 99, 'b', 2026, 'strom', 1, 'kWh')",
        [sid],
    )
    assert report.build(con, NETWORK_MANAGER).year == 2025  # 1 of 3 complete in 2026
    explicit = report.build(con, NETWORK_MANAGER, 2026)
    assert (
        explicit.coverage_text()
        == "2026: 1 von 3 Mitgliedern vollständig · A mit 2025 · C mit 2024"
    )
    con.close()


def test_a_year_with_fewer_than_three_members_is_withheld(small_db, tmp_path):
    """C starts reporting in 2024: the 2023 total of A and B alone is not shown to a member or
    the public (access.MIN_CONTRIBUTORS), 2024 and 2025 are; every surface says so."""
    path = tmp_path / "late.duckdb"
    path.write_bytes(small_db.read_bytes())
    con = db.connect(path)
    con.execute("DELETE FROM activity WHERE member_id = 'c' AND year = 2023")
    for viewer in (PUBLIC, Viewer("mitglied", "a")):
        rep = report.build(con, viewer)
        assert sorted(rep.network.series) == [2024, 2025], viewer
        assert not views.total_withheld(rep) and views.withheld_years(rep) == [2023]
        assert views.withheld_text(rep) == f"Netzwerksumme 2023: {access.WITHHELD}"
        assert [int(x) for x in figures.network(rep).data[0].x] == [2024, 2025]
    rep = report.build(con, NETWORK_MANAGER)
    assert sorted(rep.network.series) == [2023, 2024, 2025] and views.withheld_years(rep) == []
    con.close()


def test_pages_say_which_years_are_withheld(small_db, app_test, monkeypatch, tmp_path):
    path = tmp_path / "late.duckdb"
    path.write_bytes(small_db.read_bytes())
    con = db.connect(path)
    con.execute("DELETE FROM activity WHERE member_id = 'c' AND year = 2023")
    small.mark_demo(con)  # the Demo-Modus shows demo data only
    con.close()
    monkeypatch.setenv("KEK_DB", str(path))
    monkeypatch.setenv("KEK_DEMO_ROLE", "mitglied:a")
    for page in (None, "pages/pfad.py"):
        text = _page(app_test, page)
        assert f"Netzwerksumme 2023: {access.WITHHELD}" in text, page
