"""Migrations in order: a database file made at schema version 1 gets version 2 on opening."""

from __future__ import annotations

from unittest import mock

import duckdb
import pytest

from kek_data import db, emissions, reference
from kek_data.viewer import NETWORK_MANAGER

#: The view `emissions` as version 1 created it (its own copy of the formula), for an old file.
VERSION_1_EMISSIONS = """
CREATE VIEW emissions AS
SELECT ca.member_id, ca.year, ca.carrier_id, c.scope, ca.site, ca.submission_id,
    CASE WHEN uc.target_unit = 'kWh' THEN ca.quantity * uc.factor END AS kwh,
    CASE WHEN uc.target_unit = 'kWh' THEN ca.quantity * uc.factor * ef.g_co2e_per_kwh / 1e6
         ELSE ca.quantity * uc.factor END AS t_co2e
FROM current_activity ca
JOIN carriers c ON c.carrier_id = ca.carrier_id
JOIN unit_conversions uc ON uc.carrier_id = ca.carrier_id AND uc.unit = ca.unit
ASOF LEFT JOIN emission_factors ef ON ef.carrier_id = ca.carrier_id AND ca.year >= ef.valid_from
"""


def _version_1_file(path) -> None:
    """A file as version 1 of the program left it, with one member's 2024 diesel and Strom."""
    con = duckdb.connect(str(path))
    (_, first), *_ = db.migrations()
    con.execute(first.read_text(encoding="utf-8"))
    con.execute(VERSION_1_EMISSIONS)
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP)")
    con.execute("INSERT INTO schema_version VALUES (1, now()::TIMESTAMP)")
    # reference tables of version 1; the file stays at version 1. The network target is left
    # out, and the parent bodies' targets: today's code writes them with the columns of version 4
    # (db.connect adds them later).
    with (
        mock.patch.object(reference, "_sync_network_target"),
        mock.patch.object(reference, "_sync_parent_targets"),
        mock.patch.object(reference, "_sync_method_factors"),  # tables of version 6
    ):
        reference.sync(con)
    con.execute(
        "INSERT INTO submissions (member_id, submitted_by, submitted_at, file_name, sha256,"
        " size_bytes, n_rows, status) VALUES ('edg', 't', now()::TIMESTAMP, 'x.csv', 'h', 1, 2,"
        " 'imported')"
    )
    con.execute(
        "INSERT INTO activity VALUES (1, 2, 'edg', 2024, 'diesel', 1000, 'l', '', NULL),"
        " (1, 3, 'edg', 2022, 'strom', 1000, 'MWh', '', NULL)"
    )
    assert db.schema_version(con) == 1
    con.close()


def test_version_1_file_gets_the_one_emission_formula(tmp_path):
    path = tmp_path / "v1.duckdb"
    _version_1_file(path)
    con = db.connect(path)
    versions = [
        r[0] for r in con.execute("SELECT version FROM schema_version ORDER BY 1").fetchall()
    ]
    assert versions == list(range(1, db.latest_version() + 1))
    view = con.execute("SELECT sql FROM duckdb_views() WHERE view_name = 'emissions'").fetchone()[0]
    assert "activity_t_co2e(" in view and "g_co2e_per_kwh / 1e6" not in view
    d = emissions.detail(con, NETWORK_MANAGER).set_index(["year", "carrier_id"])
    # 1.000 l Diesel × 9,904667 kWh/l × 331 g/kWh / 1e6 = 3,278445 t; Strom 2022: 1.000 MWh × 505
    assert d.loc[(2024, "diesel"), "t_co2e"] == pytest.approx(3.278445, rel=1e-6)
    assert d.loc[(2022, "strom"), "t_co2e"] == pytest.approx(505.0, rel=1e-9)


def test_the_formula_macros_by_hand(tmp_path):
    con = db.connect(tmp_path / "neu.duckdb")
    kwh, t = con.execute(
        "SELECT activity_kwh(2, 10, 'kWh'), activity_t_co2e(2, 10, 'kWh', 500)"
    ).fetchone()
    assert (kwh, t) == (20.0, 0.01)  # 2 × 10 = 20 kWh; 20 kWh × 500 g/kWh / 1e6 = 0,01 t
    kwh, t = con.execute(
        "SELECT activity_kwh(3, 1, 't CO₂e'), activity_t_co2e(3, 1, 't CO₂e', NULL)"
    ).fetchone()
    assert (kwh, t) == (None, 3.0)  # reported directly as t CO₂e: no kWh


def test_the_emission_formula_is_written_once():
    """activity × conversion × factor appears in one SQL file only (migration 002)."""
    texts = {p.relative_to(db.SQL_DIR).as_posix(): p.read_text(encoding="utf-8")
             for p in db.SQL_DIR.rglob("*.sql")}  # fmt: skip
    with_formula = sorted(name for name, text in texts.items() if "g_co2e_per_kwh / 1e6" in text)
    assert with_formula == ["migrations/002_emission_formula.sql"]
