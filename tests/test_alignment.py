"""Zielabgleich (kek_data/alignment.py) and the network's Ambitionslücke, against hand-computed
numbers on the small literal database (tests/small.py), plus the seeding of the parent bodies'
targets from data/parent_targets.csv and the pages Zielabgleich and Überblick."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import pytest

from kek_data import access, alignment, alignment_charts, config, db, progress, reference, report
from kek_data.viewer import NETWORK_MANAGER, PUBLIC, Viewer
from tests import small


@pytest.fixture
def scon(tmp_path: Path):
    con = small.build(tmp_path / "small.duckdb")
    yield con
    con.close()


def _vorgabe(con, owner: str, body: str, neutral: int | None, milestones=None, **kw) -> None:
    """A parent body's target for ``owner`` (applied to the member's own base)."""
    values = dict(
        owner=owner, set_at=datetime(2026, 1, 1), base_year=2023, base_value_t=None,
        neutrality_year=neutral, residual_pct=0.0, basis=reference.OWN_BASE, source="Testquelle",
        is_demo=False, purpose="vorgabe", kind=reference.KIND_PARENT, body=body, scopes="1+2",
        agreed_on=None, entered_by="test", valid_from=date(2000, 1, 1), verified=False,
    )  # fmt: skip
    values.update(kw)
    (target_id,) = db.query_rows(con, "insert_target", **values)[0]
    for year, pct in (milestones or {}).items():
        db.execute(con, "insert_milestone", target_id=target_id, year=year, reduction_pct=pct)


def test_parent_body_stricter_by_hand(scon):
    # B: base 2023 = 20 t, −10 % by 2030 (18 t), no neutrality year: flat 18 t after 2030.
    # Its parent body: neutral 2030, applied to B's base (2023, 20 t).
    _vorgabe(scon, "b", "Testverband", 2030)
    al = report.build(scon, NETWORK_MANAGER).alignment["b"]
    assert (al.base_year, al.base) == (2023, pytest.approx(20.0))
    assert [c.year for c in al.checks] == [2030, 2035]  # network's years ∪ B's milestone
    c2030, c2035 = al.checks
    # 2030: Vorgabe 0 · SBTi 20 × (1 − 0,042 × 7) = 14,12 · network 20 × 0,5 = 10 ·
    # city 20 × (2035 − 2030) / (2035 − 2023) = 8,333…
    assert c2030.allowed == pytest.approx(
        {"vorgabe": 0.0, "sbti": 14.12, "netzwerk": 10.0, "stadt": 20 * 5 / 12}
    )
    assert c2030.pledge == pytest.approx(18.0)
    assert c2030.strictest == "vorgabe"
    assert c2030.gap == pytest.approx(18.0)  # 18 − 0
    assert c2030.gap_pct == pytest.approx(90.0)  # 18 / 20 base
    assert c2030.gaps["sbti"] == pytest.approx(18 - 14.12)
    # SBTi's rate is a share of the base year, and says so (not "% pro Jahr" alone)
    assert al.reference("sbti").name == "SBTi-Pfad 1,5 °C (−4,2 % des Basisjahrs pro Jahr)"
    assert not c2030.past  # reporting year 2025
    assert c2030.sentence == (
        "Das eigene Ziel ist bis 2030 schwächer als die Vorgabe des Dachverbands Testverband "
        "(−100 % bis 2030): Abstand 18 t CO₂e."
    )
    # 2035: Vorgabe 0 · SBTi 20 × (1 − 0,042 × 12) = 9,92 · network 0 · city 0; ties → Vorgabe
    assert c2035.allowed["sbti"] == pytest.approx(9.92)
    assert c2035.strictest == "vorgabe" and c2035.gap == pytest.approx(18.0)
    table = alignment_charts.table(al)
    row = table[(table["Jahr"] == 2030) & (table["Strengster Pfad"] == "strengster")]
    assert row["Pfad"].item() == "Vorgabe des Dachverbands (Testverband)"
    assert row["Abstand [% der Basis]"].item() == pytest.approx(90.0)
    assert "Testquelle (nicht geprüft)" in " ".join(alignment_charts.sources(al))


def test_own_target_at_least_as_strict(scon):
    # A: base 70 t, −60 % by 2030 (28 t), neutral 2035. 2030: SBTi 70 × 0,706 = 49,42,
    # network 35, city 70 × 5/12 = 29,17 → strictest city 29,17 ≥ 28: A is at least as strict.
    al = report.build(scon, NETWORK_MANAGER).alignment["a"]
    c2030 = al.checks[0]
    assert c2030.strictest == "stadt"
    assert c2030.allowed["stadt"] == pytest.approx(70 * 5 / 12)
    assert c2030.gap == pytest.approx(28 - 70 * 5 / 12)
    assert c2030.sentence.startswith(
        "Das eigene Ziel ist bis 2030 mindestens so streng wie alle Bezugspfade"
    )
    assert al.reference("vorgabe") is None  # no parent body for A
    # trend through 70, 60, 50 (2023–2025): −10 t/a → 2027: 30 t
    assert al.trend[2027] == pytest.approx(30.0)
    assert al.actual == {2023: 70.0, 2024: 60.0, 2025: 50.0}


def test_reference_paths_by_hand():
    # SBTi: 100 × (1 − 0,042 × n), floored at 0 (n = 24 → −0,8 → 0)
    assert alignment.sbti_path(2015, 100.0, [2014, 2015, 2025, 2039], 4.2) == pytest.approx(
        {2015: 100.0, 2025: 58.0, 2039: 0.0}
    )
    # network base 2015, −55 % by 2030, neutral 2035; member base 2020 = 40 t.
    # Shape N: 2020 = 1 − 0,55 × 5/15 = 0,81667, 2030 = 0,45, 2035 = 0.
    # Scaled: 40 × N(y) / N(2020): 2030 = 40 × 0,45 / 0,81667 = 22,041
    net = progress.Target("netzwerk", 2015, None, {2030: 55.0}, 2035, 0.0, "", "", False)
    path = alignment.scaled_network_path(net, 2020, 40.0, [2020, 2030, 2035])
    assert path == pytest.approx({2020: 40.0, 2030: 40 * 0.45 / (1 - 0.55 * 5 / 15), 2035: 0.0})
    # city: 40 t in 2020 → 0 in 2035, linear: 2030 = 40 × 5/15
    assert alignment.city_path(2020, 40.0, [2030], 2035) == pytest.approx({2030: 40 / 3})


def test_pseudonymised_member_shows_no_parent_body(scon):
    _vorgabe(scon, "b", "Testverband", 2030)
    nm = Viewer(role="netzwerk", name="t", user="t")
    for member_id, level in (("a", "namentlich"), ("b", "gesamt"), ("c", "namentlich")):
        access.set_consent(scon, nm, member_id, level, "Test")
    rep = report.build(scon, Viewer(role="mitglied", member_id="a", user="t"))
    (pseudo,) = [m for m in rep.member if m not in ("a", "c")]
    ref = rep.alignment[pseudo].reference("vorgabe")
    assert ref.name == "Vorgabe des Dachverbands (nicht veröffentlicht)"
    assert ref.source == alignment.NOT_PUBLISHED
    assert "Testverband" not in " ".join(rep.alignment[pseudo].sentences)


def test_ambition_gap_by_hand(scon):
    # network base 2023 = 70 + 20 + 50 = 140 t; path 2030 = 70, 2035 = 0.
    # pledges 2030: A 28 + B 18 + C 35 = 81 → gap 11 (11 / 70 = 15,7 %);
    # 2035: A 0 + B 18 + C 17,5 (35 → 0 in 2040) = 35,5 → gap 35,5, no % of a path of 0.
    rep = report.build(scon, NETWORK_MANAGER)
    g2030, g2035 = rep.ambition_gaps()
    assert (g2030.pledged, g2030.needed, g2030.gap) == pytest.approx((81.0, 70.0, 11.0))
    assert g2030.pct == pytest.approx(11 / 70 * 100)
    assert g2030.text() == (
        "Ambitionslücke 2030: Die Ziele der Mitglieder ergeben zusammen 81 t CO₂e, der "
        "Netzwerkpfad verlangt 70 t CO₂e: Lücke +11 t CO₂e (15,7 % des Pfadwerts)."
    )
    assert (g2035.gap, g2035.pct) == (pytest.approx(35.5), None)
    # one member withheld from the public (intern): the sum of the pledges is not shown
    nm = Viewer(role="netzwerk", name="t", user="t")
    for member_id, level in (("a", "namentlich"), ("b", "namentlich"), ("c", "intern")):
        access.set_consent(scon, nm, member_id, level, "Test")
    hidden = report.build(scon, PUBLIC).ambition_gap(2030)
    assert hidden.withheld and hidden.value_text() == access.WITHHELD
    assert access.WITHHELD in hidden.text()


def test_ambition_gap_is_not_shown_while_a_counted_member_has_no_target(scon):
    """Without B's target the pledges would sum to 28 + 35 = 63 t against 70 t: "no gap" by
    omission. The report names B instead and shows no sum of the pledges at all."""
    scon.execute("DELETE FROM target_milestones WHERE target_id IN "
                 "(SELECT target_id FROM targets WHERE owner = 'b')")  # fmt: skip
    scon.execute("DELETE FROM targets WHERE owner = 'b'")
    rep = report.build(scon, NETWORK_MANAGER)
    assert rep.unpledged == "B" and rep.paths["members_path"].isna().all()
    gap = rep.ambition_gap(2030)
    assert gap.gap is None and gap.value_text() == "unvollständig"
    assert gap.text() == (
        "Ambitionslücke 2030: nicht ausgewiesen, denn ohne Ziel: B (die Summe der Zusagen wäre "
        "unvollständig)."
    )
    # a viewer who may not see B learns only that one member lacks a target
    assert report.build(scon, PUBLIC).unpledged == "1 Mitglied"


def _vorgaben(con):
    return db.query_rows(
        con,
        "file_vorgaben",
        entered_by=reference.PARENT_TARGETS_FILE,
    )


def test_parent_targets_seeded_once_and_never_override_a_manager(tmp_path: Path):
    con = db.connect(tmp_path / "kek.duckdb")
    rows = _vorgaben(con)
    assert {r[1]: r[2] for r in rows} == {
        "caritas": "Deutscher Caritasverband", "diakonie": "Diakonie Deutschland",
        "ekkdo": "Evangelische Kirche von Westfalen",
        "fhdo": "Land NRW (klimaneutrale Landesverwaltung)",
    }  # fmt: skip
    assert all(r[-1] is False for r in rows)  # verified "nein"
    reference._sync_parent_targets(con, config.DATA_DIR)  # same file: nothing appended
    assert len(_vorgaben(con)) == 4
    count = "SELECT count(*) FROM targets WHERE purpose = 'vorgabe'"
    assert con.execute(count).fetchone()[0] == 4
    # the network manager enters a version for caritas (valid from today)
    _vorgabe(con, "caritas", "Deutscher Caritasverband", 2028, entered_by="nm@kek",
             valid_from=date.today())  # fmt: skip
    # the file changes: a new file version is appended, the manager's stays in force
    data = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, data)
    text = (data / "parent_targets.csv").read_text(encoding="utf-8")
    (data / "parent_targets.csv").write_text(
        text.replace(";;;2030;0;Deutscher", ";;;2031;0;Deutscher")
    )
    reference._sync_parent_targets(con, data)
    assert con.execute(count).fetchone()[0] == 6
    goals = progress.targets(con, NETWORK_MANAGER, {}, {}, purpose="vorgabe")
    assert goals["caritas"].neutrality_year == 2028 and goals["caritas"].entered_by == "nm@kek"
    assert goals["ekkdo"].milestones == {2035: 90.0} and goals["ekkdo"].neutrality_year == 2045
    con.close()


def test_zielabgleich_page_for_caritas(app_test, monkeypatch):
    monkeypatch.setenv("KEK_DEMO_ROLE", "netzwerk")
    at = app_test()
    at.run()
    at.switch_page("pages/zielabgleich.py").run()
    at.selectbox(key="member").set_value("caritas").run()
    assert not at.exception, [e.value for e in at.exception]
    text = "\n".join(str(m.value) for m in at.markdown)
    assert "Deutscher Caritasverband" in text
    assert "schwächer als die Vorgabe des Dachverbands Deutscher Caritasverband" in text
    assert "nicht geprüft" in text
    assert len(at.dataframe) >= 1


def test_overview_shows_the_ambition_gap(app_test, monkeypatch, seeded_db):
    monkeypatch.setenv("KEK_DEMO_ROLE", "netzwerk")
    con = db.connect(seeded_db)
    gaps = report.build(con, NETWORK_MANAGER).ambition_gaps()
    con.close()
    at = app_test()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    for gap in gaps:
        assert metrics[gap.label] == gap.value_text()
    assert gaps[0].text() in "\n".join(str(c.value) for c in at.caption)
