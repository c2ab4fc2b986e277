"""Database, reference data, demo data, emissions and key figures: bytes in, rows out."""

from __future__ import annotations

import json
import subprocess
import sys

import duckdb
import pytest

from kek_data import cli, config, db, demo, emissions, reference, report
from kek_data.errors import DatabaseError, ReferenceDataError
from kek_data.viewer import NETWORK_MANAGER, PUBLIC, Viewer

ROOT = db.SQL_DIR.parent.parent


def test_migration_from_empty_file(tmp_path):
    path = tmp_path / "neu.duckdb"
    con = db.connect(path)
    assert db.schema_version(con) == db.latest_version()
    tables = {
        r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    assert {"members", "submissions", "activity", "targets", "emission_factors"} <= tables
    assert con.execute("SELECT count(*) FROM members").fetchone()[0] == 10
    con.close()
    # reopening applies nothing and keeps the data
    con = db.connect(path)
    assert con.execute("SELECT count(*) FROM schema_version").fetchone()[0] == db.latest_version()


def test_old_file_is_migrated(tmp_path):
    """A file at version 0 (created before versioning, empty) gets every migration in order."""
    path = tmp_path / "alt.duckdb"
    duckdb.connect(str(path)).close()
    con = db.connect(path)
    versions = [
        r[0] for r in con.execute("SELECT version FROM schema_version ORDER BY 1").fetchall()
    ]
    assert versions == [v for v, _ in db.migrations()]


def test_newer_file_is_refused(tmp_path):
    path = tmp_path / "neuer.duckdb"
    con = db.connect(path)
    con.execute("INSERT INTO schema_version VALUES (999, now()::TIMESTAMP)")
    con.close()
    with pytest.raises(DatabaseError, match="Schema-Version 999"):
        db.connect(path)


def test_reference_files_have_sources():
    for name in ("emission_factors.csv", "unit_conversions.csv"):
        for row in reference.read_table(name):
            assert row["source"].strip(), (name, row)


def test_every_reference_file_has_as_many_fields_per_row_as_its_header():
    """An unquoted ";" in a source text used to cut the source silently (DictReader)."""
    for path in sorted(config.DATA_DIR.glob("*.csv")):
        reference.read_table(path.name)  # raises ReferenceDataError on a bad row


def test_a_row_with_an_extra_field_names_file_and_line(tmp_path):
    (tmp_path / "x.csv").write_text("# Kommentar\na;source\n1;Quelle; mit Semikolon\n", "utf-8")
    with pytest.raises(ReferenceDataError, match=r"x.csv, Zeile 3: 3 Felder statt 2"):
        reference.read_table("x.csv", tmp_path)


def test_emission_of_one_row_by_hand(tmp_path):
    """1.000 l Diesel in 2024: 1000 × 9,904667 kWh/l × 331 g/kWh / 1e6 = 3,278445 t CO₂e."""
    con = db.connect(tmp_path / "h.duckdb")
    con.execute(
        "INSERT INTO submissions (member_id, submitted_by, submitted_at, file_name, sha256,"
        " size_bytes, n_rows, status) VALUES ('edg', 'test', now()::TIMESTAMP, 'x.csv', 'h', 1, 2,"
        " 'imported')"
    )
    con.execute(
        "INSERT INTO activity VALUES (1, 2, 'edg', 2024, 'diesel', 1000, 'l', '', NULL),"
        " (1, 3, 'edg', 2024, 'erdgas', 1110, 'kWh', '', NULL),"
        " (1, 4, 'edg', 2022, 'strom', 1000, 'MWh', '', NULL)"
    )
    d = emissions.detail(con, NETWORK_MANAGER).set_index(["year", "carrier_id"])
    assert d.loc[(2024, "diesel"), "kwh"] == pytest.approx(9904.666667, rel=1e-9)
    assert d.loc[(2024, "diesel"), "t_co2e"] == pytest.approx(3.278445, rel=1e-6)
    # Erdgas kWh are Brennwert: 1.110 kWh(Hs) / 1,11 = 1.000 kWh(Hi) × 247 g = 0,247 t
    assert d.loc[(2024, "erdgas"), "t_co2e"] == pytest.approx(0.247, rel=1e-9)
    # Strom 2022: 1.000.000 kWh × 505 g/kWh = 505 t; factor of the activity year
    assert d.loc[(2022, "strom"), "t_co2e"] == pytest.approx(505.0, rel=1e-9)


def test_demo_is_deterministic_and_flagged(con):
    assert demo.demo_rows() == demo.demo_rows()
    assert emissions.is_demo(con)
    n = con.execute("SELECT count(*) FROM activity").fetchone()[0]
    assert n == len(demo.demo_rows())
    members = con.execute("SELECT count(DISTINCT member_id) FROM activity").fetchone()[0]
    assert members == 10
    years = con.execute("SELECT min(year), max(year) FROM activity").fetchone()
    assert years == (2015, 2025)
    assert demo.seed(con) == 0  # never seeds twice


def test_viewer_filters_member_data(con):
    member = Viewer(role="mitglied", member_id="fhdo")
    assert set(emissions.detail(con, member)["member_id"]) == {"fhdo"}
    assert emissions.detail(con, PUBLIC).empty
    assert list(emissions.members(con, member)["member_id"]) == ["fhdo"]
    # the report follows the demo consent (data/demo_consent.csv): named members by name, the
    # "nur im Gesamtwert" members as pseudonyms, the intern ones (EKK, Caritas, Diakonie) not
    seen = list(report.build(con, member).member)
    assert seen == ["dsw21", "dew21", "edg", "fhdo", "stadt", "mitglied-a", "mitglied-b"]
    assert list(report.build(con, PUBLIC).member) == ["dsw21", "dew21", "edg", "fhdo", "stadt"]
    # aggregate network totals are the same for everyone. Under the completeness rule (issue 8,
    # item 2) 2025 counts Caritas and Diakonie with their complete 2024: 179.137 t, not the
    # 177.920 t of the raw 2025 rows the old expectation summed (their partial 2025 inside).
    manager = report.build(con, NETWORK_MANAGER).network
    assert manager.latest == pytest.approx(179137.486, abs=0.001)
    assert report.build(con, member).network == manager
    assert report.build(con, PUBLIC).network == manager


def test_network_kpi_consistent_with_members(con):
    rep = report.build(con, NETWORK_MANAGER)
    kpi = rep.network
    # the network total is the sum of the members' counted values (Caritas, Diakonie: 2024)
    assert kpi.latest == pytest.approx(sum(k.latest for k in rep.kpis.values()))
    assert kpi.latest == pytest.approx(rep.member_total())
    assert {m: k.latest_year for m, k in rep.kpis.items() if k.latest_year != 2025} == {
        "caritas": 2024,
        "diakonie": 2024,
    }
    # network path: base 2015 total, −55 % in 2030, 0 in 2035, linear in between
    base = kpi.series[2015]
    assert base == pytest.approx(259839.584, abs=0.001) and kpi.base == base
    assert rep.reference_years == (2030, 2035) and list(kpi.steps) == [2030, 2035]
    assert kpi.path[2015] == pytest.approx(base)
    assert kpi.step(2030).path == pytest.approx(base * 0.45)
    assert kpi.step(2035).path == 0
    assert kpi.path[2020] == pytest.approx(base - 5 * (base * 0.55) / 15)
    assert kpi.step(2030).to_go == pytest.approx(kpi.latest - base * 0.45)
    assert kpi.step(2030).required.t_per_year == pytest.approx((kpi.latest - base * 0.45) / 5)
    assert kpi.step(2030).required_pct == pytest.approx(
        kpi.step(2030).required.t_per_year / kpi.latest * 100
    )
    assert kpi.rate_basis == "% der Emissionen 2025"
    assert kpi.budget_end == 2035
    assert kpi.budget.budget == pytest.approx(sum(kpi.path[y] for y in range(2015, 2036)))


def test_network_paths_sum_member_targets(con):
    rep = report.build(con, NETWORK_MANAGER)
    df = rep.paths.set_index("year")
    kpis = rep.kpis
    assert df.loc[2030, "members_path"] == pytest.approx(sum(k.path[2030] for k in kpis.values()))
    assert df.loc[2030, "network_path"] == pytest.approx(rep.network.step(2030).path)
    assert df.loc[2025, "actual"] == pytest.approx(rep.network.latest)


def test_completeness_marks_gaps(con):
    comp = emissions.completeness(con, NETWORK_MANAGER).set_index(["member_id", "year"])
    # demo profile: Hafen AG has no Heizöl in 2016 and 2019
    assert comp.loc[("hafen", 2016), "status"] == "teilweise"
    assert "Heizöl" in comp.loc[("hafen", 2016), "missing_carriers"]
    assert comp.loc[("hafen", 2017), "status"] == "vollständig"


def test_cli_init_and_summary_round_trip(tmp_path, capsys):
    path = tmp_path / "cli.duckdb"
    assert cli.main(["init", "--demo", "--db", str(path)]) == 0
    capsys.readouterr()
    assert cli.main(["summary", "--json", "--db", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    con = db.connect(path)
    detail = emissions.detail(con, NETWORK_MANAGER)
    # "network" follows the completeness rule (issue 8, item 2): 2025 counts Caritas and
    # Diakonie with 2024 (179.137 t); the raw 2025 rows (177.920 t) held their partial years.
    assert data["network"]["2025"] == pytest.approx(179137.486, abs=0.001)
    assert emissions.series(detail)[2025] == pytest.approx(177919.598, abs=0.001)
    assert data["network"]["2024"] == pytest.approx(emissions.series(detail)[2024])  # complete
    assert data["report"]["coverage"] == (
        "2025: 8 von 10 Mitgliedern vollständig · Caritas, Diakonie mit 2024"
    )
    assert data["report"]["network"]["t_co2e"] == data["network"]["2025"]
    assert data["members"]["dsw21"]["2015"] == pytest.approx(
        emissions.series(detail, "dsw21")[2015]
    )
    assert "sonstige" not in data["activity"]["dew21"]["2020"]
    kwh = detail[(detail.member_id == "dsw21") & (detail.year == 2019)]
    assert data["activity"]["dsw21"]["2019"]["diesel"] == pytest.approx(
        float(kwh[kwh.carrier_id == "diesel"]["kwh"].iloc[0])
    )


def test_cli_subprocess_env_and_german_error(tmp_path):
    path = tmp_path / "env.duckdb"
    env = {"KEK_DB": str(path), "PATH": "/usr/bin:/bin"}
    run = subprocess.run(
        [sys.executable, "-m", "kek_data", "init", "--demo"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "Demodaten" in run.stdout
    assert path.exists()
    # a file that is not a database: German message, exit code 1
    bad = tmp_path / "kaputt.duckdb"
    bad.write_bytes(b"kein DuckDB" * 100)
    run = subprocess.run(
        [sys.executable, "-m", "kek_data", "summary", "--json", "--db", str(bad)],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 1
    assert "Fehler: Datenbank" in run.stderr
    assert "Traceback" not in run.stderr


def test_incomplete_latest_year_does_not_drive_key_figures(con):
    """One member reports 2026 with one carrier only: network and member keep 2025."""
    con.execute(
        "INSERT INTO submissions (member_id, submitted_by, submitted_at, file_name, sha256,"
        " size_bytes, n_rows, status) VALUES ('sparkasse', 'test', now()::TIMESTAMP, 'x.csv',"
        " 'h', 1, 1, 'imported')"
    )
    sid = con.execute("SELECT max(submission_id) FROM submissions").fetchone()[0]
    con.execute(
        "INSERT INTO activity VALUES ($sid, 2, 'sparkasse', 2026, 'strom', 5000000, 'kWh', '',"
        " NULL)",
        {"sid": sid},
    )
    # the default reporting year stays 2025 (1 of 10 members reported 2026, and only in part),
    # and 2025 is untouched by the partial 2026
    rep = report.build(con, NETWORK_MANAGER)
    assert rep.year == 2025 and rep.network.latest_year == 2025
    assert rep.network.latest == pytest.approx(179137.486, abs=0.001)
    sparkasse = rep.member["sparkasse"].kpi
    assert sparkasse.latest_year == 2025
    assert sparkasse.latest == pytest.approx(sparkasse.series[2025])
    # members whose newest year lacks a carrier (demo: Caritas, Diakonie 2025) use 2024
    assert rep.member["caritas"].kpi.latest_year == 2024
    # in a report of 2026 the partial 2026 does not count: Sparkasse counts with 2025, marked
    rep = report.build(con, NETWORK_MANAGER, 2026)
    sparkasse = rep.member["sparkasse"]
    assert sparkasse.kpi.latest_year == 2025 and sparkasse.partial_years == {2026}
    assert sparkasse.state == "teilweise" and 2026 in sparkasse.reported  # drawn, hatched
    assert ("sparkasse", 2025) in rep.coverage.older and rep.coverage.complete == ()


def test_zero_year_wording():
    from kek_data import wording

    assert wording.zero_year(None) == "nie"
    assert wording.zero_year(2054) == "2054"
    assert wording.zero_year(2305) == "nach 2100"


def test_rollback_keeps_the_error_that_ended_the_transaction(tmp_path):
    """db.rollback undoes an open transaction and is silent when DuckDB already ended it."""
    con = db.connect(tmp_path / "kek.duckdb")
    con.execute("BEGIN TRANSACTION")
    con.execute("CREATE TABLE t (x INTEGER)")
    db.rollback(con)
    assert not con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 't'"
    ).fetchall()[0][0]
    db.rollback(con)  # no transaction open any more (as after a failed COMMIT): no new error
    con.close()


def test_shown_tables_follow_the_consent(con):
    """emissions.shown: the pages' member tables under the consent, pseudonyms last."""
    member = Viewer(role="mitglied", member_id="ekkdo")  # intern itself
    seen = ["dsw21", "dew21", "edg", "ekkdo", "fhdo", "stadt", "mitglied-a", "mitglied-b"]
    assert list(emissions.shown(con, member, "members")["member_id"]) == seen
    for table in ("detail", "completeness"):
        ids = list(dict.fromkeys(emissions.shown(con, member, table)["member_id"]))
        assert ids == seen, table
    assert list(emissions.shown(con, PUBLIC, "members")["member_id"]) == [
        "dsw21", "dew21", "edg", "fhdo", "stadt"
    ]  # fmt: skip
    everything = emissions.shown(con, NETWORK_MANAGER, "detail")
    assert everything.equals(emissions.detail(con, NETWORK_MANAGER))
    assert emissions.shown(con, member, "members").iloc[-1]["sector"] == "–"
