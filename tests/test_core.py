"""Database, reference data, demo data, emissions and key figures: bytes in, rows out."""

from __future__ import annotations

import json
import subprocess
import sys

import duckdb
import pytest

from kek_data import cli, db, demo, emissions, progress, reference
from kek_data.errors import DatabaseError
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
            assert None not in row.values(), f"{name}: zu viele Felder in {row}"


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
    assert set(progress.member_kpis(con, member)) == {"fhdo"}
    # aggregate network totals are the same for everyone
    assert progress.network_kpi(con).latest == pytest.approx(
        emissions.series(emissions.detail(con, NETWORK_MANAGER))[2025]
    )


def test_network_kpi_consistent_with_members(con):
    kpi = progress.network_kpi(con)
    members = progress.member_kpis(con, NETWORK_MANAGER)
    assert kpi.latest == pytest.approx(sum(k.series[2025] for k in members.values()))
    # network path: base 2015 total, −55 % in 2030, 0 in 2035, linear in between
    base = kpi.series[2015]
    assert kpi.path[2015] == pytest.approx(base)
    assert kpi.path_2030 == pytest.approx(base * 0.45)
    assert kpi.path_2035 == 0
    assert kpi.path[2020] == pytest.approx(base - 5 * (base * 0.55) / 15)
    assert kpi.to_go_2030 == pytest.approx(kpi.latest - base * 0.45)
    assert kpi.required_2030.t_per_year == pytest.approx((kpi.latest - base * 0.45) / 5)
    assert kpi.budget.budget == pytest.approx(sum(kpi.path[y] for y in range(2015, 2036)))


def test_network_paths_sum_member_targets(con):
    df = progress.network_paths(con).set_index("year")
    kpis = progress.member_kpis(con, NETWORK_MANAGER)
    assert df.loc[2030, "members_path"] == pytest.approx(sum(k.path[2030] for k in kpis.values()))


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
    assert data["network"]["2025"] == pytest.approx(emissions.series(detail)[2025])
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
    network = progress.network_kpi(con)
    assert network.latest_year == 2025
    assert 2026 in network.series  # still drawn, but not used for the key figures
    sparkasse = progress.member_kpis(con, NETWORK_MANAGER)["sparkasse"]
    assert sparkasse.latest_year == 2025
    assert sparkasse.latest == pytest.approx(sparkasse.series[2025])
    # members whose newest year lacks a carrier (demo: Caritas, Diakonie 2025) use 2024
    assert progress.member_kpis(con, NETWORK_MANAGER)["caritas"].latest_year == 2024


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
