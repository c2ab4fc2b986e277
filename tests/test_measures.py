"""Measures (kek_data/measures.py): rules, append-only versions and log, savings, visibility.

Savings are checked against hand-computed values on the small literal database
(tests/small.py: Strom 400 g CO₂e/kWh, Heizöl 300 g CO₂e/kWh from 2000, one record each).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from kek_data import access, db, measures
from kek_data.errors import AccessDenied, MeasureErrors
from kek_data.viewer import CITY, NETWORK_MANAGER, PUBLIC, Viewer
from tests import small

NET = Viewer(role="netzwerk", name="NM", user="nm@kek.de")
A = Viewer(role="mitglied", member_id="a", user="mia@a.de")
B = Viewer(role="mitglied", member_id="b", user="bo@b.de")

BASE = {
    "title": "LED-Beleuchtung",
    "field": "Strom & Erneuerbare",
    "status": "beschlossen",
    "start_year": 2025,
    "end_year": 2026,
    "completion_pct": 20.0,
    "saving_quantity": 50_000.0,
    "saving_unit": "kWh",
    "saving_carrier_id": "strom",
    "responsible": "Frau Kaya",
}


@pytest.fixture
def scon(tmp_path: Path):
    con = small.build(tmp_path / "small.duckdb")
    yield con
    con.close()


def fields_of(exc: pytest.ExceptionInfo) -> dict[str, str]:
    return {e.field: str(e) for e in exc.value.errors}


# --- rules ---------------------------------------------------------------------------------------


def test_rules_name_the_field(scon):
    bad = {**BASE, "title": "", "status": "fertig", "field": "Garten", "start_year": 2030,
           "end_year": 2027, "completion_pct": 120.0, "visibility": "geheim"}  # fmt: skip
    with pytest.raises(MeasureErrors) as exc:
        measures.add(scon, NET, "a", bad)
    got = fields_of(exc)
    assert got["title"].startswith("Titel: Bitte einen Titel")
    assert "„fertig“ ist nicht erlaubt" in got["status"] and "in Umsetzung" in got["status"]
    assert got["field"].startswith("Handlungsfeld:")
    assert got["end_year"] == "Ende: Das Ende (2027) liegt vor dem Beginn (2030)."
    assert got["completion_pct"].startswith("Umsetzung: Bitte den Umsetzungsstand")
    assert got["visibility"].startswith("Sichtbarkeit:")
    assert not db.query_rows(scon, "all_measure_versions")  # nothing written


def test_rules_years_done_and_saving_forms(scon):
    cases = [
        ({"start_year": 1980}, "start_year", "zwischen 1990 und 2050"),
        ({"end_year": 2051}, "end_year", "zwischen 1990 und 2050"),
        ({"status": "umgesetzt", "completion_pct": 80.0}, "completion_pct", "100 %"),
        ({"saving_t_per_year": 5.0}, "saving_t_per_year", "nur in einer Form"),
        ({"saving_quantity": None, "saving_unit": None, "saving_carrier_id": None},
         "saving_t_per_year", "erwartete Einsparung angeben"),
        ({"saving_quantity": -5.0}, "saving_quantity", "positive Zahl"),
        ({"saving_unit": "l"}, "saving_unit", "„l“ lässt sich für Strom nicht umrechnen"),
        ({"saving_carrier_id": "sonstige", "saving_unit": "t CO₂e"}, "saving_carrier_id",
         "Energieträger"),
        ({"group_id": 999}, "group_id", "Arbeitsgruppe Nr. 999 gibt es nicht"),
    ]  # fmt: skip
    for change, field, text in cases:
        with pytest.raises(MeasureErrors) as exc:
            measures.add(scon, NET, "a", {**BASE, **change})
        got = fields_of(exc)
        assert field in got and text in got[field], (change, got)
    t_only = {**BASE, "saving_quantity": None, "saving_unit": None, "saving_carrier_id": None}
    with pytest.raises(MeasureErrors, match="positive Zahl in t CO₂e"):
        measures.add(scon, NET, "a", {**t_only, "saving_t_per_year": 0.0})
    assert measures.add(scon, NET, "a", {**t_only, "saving_t_per_year": 12.5}) > 0
    assert set(measures.DECIDED) < set(measures.STATUSES) and len(measures.STATUSES) == 5


# --- append-only versions and the log ------------------------------------------------------------


def test_update_appends_and_log_says_what_changed(scon):
    mid = measures.add(scon, NET, "a", BASE, "Beschluss Vorstand")
    before = db.query_df(scon, "all_measure_versions")
    measures.update(
        scon, A, mid, {"status": "in Umsetzung", "completion_pct": 60}, "Halle 1 fertig"
    )
    after = db.query_df(scon, "all_measure_versions")
    assert len(after) == len(before) + 1
    assert after.iloc[: len(before)].equals(before)  # every earlier row unchanged
    measures.update(scon, NET, mid, {"status": "umgesetzt", "completion_pct": 100.0}, "fertig")
    assert db.query_df(scon, "all_measure_versions").iloc[: len(after)].equals(after)
    entries = measures.log(scon, A, mid)
    assert [e.version_no for e in entries] == [1, 2, 3]
    assert entries[0].text == "angelegt" and entries[0].comment == "Beschluss Vorstand"
    assert entries[1].text == "Status: beschlossen → in Umsetzung; Umsetzung: 20 % → 60 %"
    assert entries[1].by == "mia@a.de" and entries[1].comment == "Halle 1 fertig"
    assert entries[2].text == "Status: in Umsetzung → umgesetzt; Umsetzung: 60 % → 100 %"
    cur = measures.current(scon, A, "a")
    assert list(cur["status"]) == ["umgesetzt"] and list(cur["version_no"]) == [3]
    lines = measures.log_lines(entries)
    assert lines[0].endswith("nm@kek.de: Status: in Umsetzung → umgesetzt; Umsetzung: 60 % → "
                             "100 % – fertig")  # fmt: skip


def test_update_needs_comment_and_a_change(scon):
    mid = measures.add(scon, NET, "a", BASE)
    with pytest.raises(MeasureErrors) as exc:
        measures.update(scon, NET, mid, {}, " ")
    got = fields_of(exc)
    assert got["comment"].startswith("Kommentar: Bitte kurz sagen")
    assert "Nichts geändert" in got["status"]
    with pytest.raises(MeasureErrors, match="umgesetzt“ heißt 100 %"):
        measures.update(scon, NET, mid, {"status": "umgesetzt"}, "fertig")
    with pytest.raises(MeasureErrors, match="Nr. 77 gibt es nicht"):
        measures.update(scon, NET, 77, {"status": "geplant"}, "x")
    assert len(db.query_rows(scon, "all_measure_versions")) == 1


# --- savings -------------------------------------------------------------------------------------


def test_savings_from_energy_and_direct(scon):
    strom = measures.add(scon, NET, "a", BASE)  # 50.000 kWh × 400 g = 20 t
    oil = measures.add(scon, NET, "a", {**BASE, "title": "Kesseltausch", "saving_carrier_id":
                                        "heizoel", "saving_unit": "l", "saving_quantity": 10_000,
                                        "start_year": 2024, "end_year": 2024})  # fmt: skip
    direct = measures.add(
        scon,
        NET,
        "b",
        {
            **BASE,
            "saving_quantity": None,
            "saving_unit": None,
            "saving_carrier_id": None,
            "saving_t_per_year": 7.5,
        },
    )
    s = measures.savings(scon, NET).set_index("measure_id")
    assert s.loc[strom, "saving_t"] == pytest.approx(50_000 * 400 / 1e6)  # 20 t
    assert s.loc[strom, "effect_year"] == 2027
    assert s.loc[strom, "saving_basis"] == "50.000 kWh Strom × 400 g CO₂e/kWh (Faktor 2027)"
    # 10.000 l Heizöl × 10,1105 kWh/l (42.821 kJ/kg × 0,85 kg/l / 3.600) × 300 g = 30,33 t
    kwh = 10_000 * 42_821 * 0.85 / 3600
    assert s.loc[oil, "saving_t"] == pytest.approx(kwh * 300 / 1e6)
    assert s.loc[oil, "saving_basis"] == (
        "10.000 l Heizöl = 101.105 kWh × 300 g CO₂e/kWh (Faktor 2025)"
    )
    assert s.loc[direct, "saving_t"] == 7.5 and s.loc[direct, "saving_basis"] == "direkt angegeben"
    assert not s["incomplete"].any()
    for col in ("member_id", "title", "field", "status", "start_year", "end_year",
                "completion_pct", "visibility", "group_id"):  # fmt: skip
        assert col in s.columns


def test_savings_missing_factor_is_incomplete(scon):
    mid = measures.add(scon, NET, "a", {**BASE, "saving_carrier_id": "erdgas"})  # no factor
    row = measures.savings(scon, NET).set_index("measure_id").loc[mid]
    assert math.isnan(row["saving_t"]) and bool(row["incomplete"])
    assert row["saving_basis"] == ("50.000 kWh Erdgas: kein Emissionsfaktor für 2027 – "
                                   "Einsparung unvollständig")  # fmt: skip


def test_savings_carried_factor_is_marked(scon):
    scon.execute("INSERT INTO emission_factors VALUES ('strom', 2024, 380, 'vorläufig', 'x', 't')")
    mid = measures.add(scon, NET, "a", {**BASE, "end_year": 2030})
    row = measures.savings(scon, NET).set_index("measure_id").loc[mid]
    assert row["saving_t"] == pytest.approx(50_000 * 380 / 1e6)
    assert row["factor_year"] == 2024
    assert row["saving_basis"] == (
        "50.000 kWh Strom × 380 g CO₂e/kWh (Faktor 2031: Faktor aus 2024 übertragen, vorläufig)"
    )


# --- visibility and writes -----------------------------------------------------------------------


def test_visibility_per_role(scon):
    a_intern = measures.add(scon, NET, "a", BASE)
    a_public = measures.add(scon, NET, "a", {**BASE, "title": "PV", "visibility": "öffentlich"})
    b_intern = measures.add(scon, NET, "b", BASE)
    b_public = measures.add(scon, NET, "b", {**BASE, "title": "E-Bus", "visibility": "öffentlich"})
    c_public = measures.add(scon, NET, "c", {**BASE, "title": "WP", "visibility": "öffentlich"})
    access.set_consent(scon, NET, "b", "namentlich")
    access.set_consent(scon, NET, "c", "gesamt")  # pseudonymised: its measures never
    ids = lambda v: set(measures.savings(scon, v)["measure_id"])  # noqa: E731
    everything = {a_intern, a_public, b_intern, b_public, c_public}
    assert ids(NET) == ids(CITY) == everything
    assert ids(A) == {a_intern, a_public, b_public}
    assert ids(B) == {b_intern, b_public, a_public} - {a_public}  # a: no consent (intern)
    assert ids(PUBLIC) == set() and measures.current(scon, PUBLIC).empty
    assert set(measures.current(scon, A, "b")["measure_id"]) == {b_public}
    with pytest.raises(AccessDenied):
        measures.log(scon, A, b_intern)


def test_writes_checked_against_the_stored_member(scon):
    b_id = measures.add(scon, B, "b", BASE)
    with pytest.raises(AccessDenied, match="nur Maßnahmen Ihrer eigenen Organisation"):
        measures.add(scon, A, "b", BASE)
    with pytest.raises(AccessDenied, match="nicht für „b“"):
        measures.update(scon, A, b_id, {"status": "geplant"}, "x")
    with pytest.raises(AccessDenied, match="Rolle Stadt"):
        measures.add(scon, CITY, "a", BASE)
    with pytest.raises(AccessDenied, match="anmelden"):
        measures.add(scon, PUBLIC, "a", BASE)
    assert len(db.query_rows(scon, "all_measure_versions")) == 1
    demo = Viewer(role="mitglied", member_id="a", user="demo:mitglied:a")
    mid = measures.add(scon, demo, "a", BASE)
    assert bool(measures.current(scon, NET).set_index("measure_id").loc[mid, "is_demo"])
    assert not bool(measures.current(scon, NET).set_index("measure_id").loc[b_id, "is_demo"])


# --- demo and command line -----------------------------------------------------------------------


def test_demo_measures_plausible(con):
    s = measures.savings(con, NETWORK_MANAGER)
    per_member = s.groupby("member_id")
    assert per_member.size().min() >= 3
    assert set(access.member_ids(con)) == set(s["member_id"])
    assert set(s["status"]) == set(measures.STATUSES)
    assert s["is_demo"].all() and not s["incomplete"].any()
    assert (s["saving_carrier_id"].notna()).sum() >= 5
    assert (s["visibility"] == "öffentlich").sum() >= 3
    versions = db.query_df(con, "all_measure_versions").groupby("measure_id").size()
    assert (versions >= 2).sum() >= 5


def test_cli_measures_json(seeded_db):
    run = subprocess.run(
        [sys.executable, "-m", "kek_data", "measures", "--json", "--db", str(seeded_db)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    data = json.loads(run.stdout)
    assert len(data) >= 30
    for item in data:
        assert {"member", "title", "status", "start_year", "end_year",
                "saving_t_co2e_per_year"} <= set(item)  # fmt: skip
        assert item["status"] in measures.STATUSES
        assert item["saving_t_co2e_per_year"] is None or item["saving_t_co2e_per_year"] > 0
    run = subprocess.run(
        [sys.executable, "-m", "kek_data", "measures", "--json", "--db", str(seeded_db),
         "--as", "mitglied:dsw21", "--member", "dsw21"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert {m["member"] for m in json.loads(run.stdout)} == {"dsw21"}
