"""Target agreements (kek_data/targets.py, kek_data/target_history.py) on the small literal DB.

tests/small.py: member a emits 70 t CO₂e in 2023 (its base year), b 20, c 50, the network
(all three, complete in 2023) 140; a's target is −60 % by 2030, neutral 2035, residual 0.
Every expected number is computed by hand in the comment beside it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from kek_data import db, progress, reference, report, target_history, targets
from kek_data.errors import AccessDenied, TargetError, TargetErrors
from kek_data.viewer import CITY, NETWORK_MANAGER, PUBLIC, Viewer
from tests import small
from tests.targets_util import counts

MANAGER = replace(NETWORK_MANAGER, user="test:manager")
MEMBER_A = Viewer(role="mitglied", member_id="a", name="A", user="test:a")


@pytest.fixture
def scon(tmp_path: Path):
    con = small.build(tmp_path / "small.duckdb")
    yield con
    con.close()


def draft(**changes) -> targets.Draft:
    """a's target as tests/small.py has it, with ``changes``."""
    base = targets.Draft(
        owner="a", base_year=2023, base_value=None, milestones={2030: 60.0},
        neutrality_year=2035, residual_pct=0.0, scopes="1+2", kind="eigenes Ziel",
        source="Vereinbarung vom 30.11.2026", agreed_on=date(2026, 11, 30),
    )  # fmt: skip
    return replace(base, **changes)


def test_path_with_several_milestones_and_a_residual_share(scon):
    # base 2015 = 1.000 t; 2025: −30 % → 700; 2030: −60 % → 400; 2035: residual 10 % → 100.
    # Linear between anchors: 2020 = 1.000 + (700 − 1.000) × 5/10 = 850;
    # 2028 = 700 + (400 − 700) × 3/5 = 520; 2033 = 400 + (100 − 400) × 3/5 = 220; flat after.
    d = draft(base_year=2015, base_value=1000.0, milestones={2025: 30.0, 2030: 60.0},
              residual_pct=10.0)  # fmt: skip
    targets.add_version(scon, MANAGER, d)
    t = targets.current(scon, MANAGER)["a"]
    assert not t.base_derived and t.base_value == 1000.0
    path = t.path([2015, 2020, 2025, 2028, 2030, 2033, 2035, 2040])
    expected = {2015: 1000, 2020: 850, 2025: 700, 2028: 520, 2030: 400, 2033: 220, 2035: 100,
                2040: 100}  # fmt: skip
    assert path == pytest.approx(expected)
    assert t.describe() == "−30 % bis 2025, −60 % bis 2030, neutral 2035 (Rest 10 %) (Basis 2015)"


def test_derived_base_is_the_report_base(scon):
    assert targets.derived_base(scon, "a", 2023) == pytest.approx(70.0)  # 40 + 30
    assert targets.derived_base(scon, "netzwerk", 2023) == pytest.approx(140.0)  # 70 + 20 + 50
    assert targets.derived_base(scon, "a", 2015) is None
    rep = report.build(scon, NETWORK_MANAGER)
    assert rep.member["a"].target.base_value == targets.derived_base(scon, "a", 2023)
    assert rep.network_target.base_value == targets.derived_base(scon, "netzwerk", 2023)


BAD = [
    (dict(milestones={2030: 120.0}), "milestones",
     "Minderung 120 % im Jahr 2030: höchstens 100 % möglich."),
    (dict(milestones={2030: -5.0}), "milestones",
     "Minderung -5 % im Jahr 2030: mindestens 0 % (eine Zunahme ist kein Minderungsziel)."),
    (dict(milestones={2040: 90.0}), "milestones",
     "Meilenstein 2040 liegt nach dem Neutralitätsjahr 2035."),
    (dict(milestones={2035: 90.0}), "milestones",
     "Meilenstein 2035 fällt auf das Neutralitätsjahr: dort gilt der Restanteil (bitte den "
     "Meilenstein entfernen)."),
    (dict(milestones={2020: 10.0}), "milestones",
     "Meilenstein 2020 liegt nicht nach dem Basisjahr 2023."),
    (dict(milestones={}, neutrality_year=None), "milestones",
     "Bitte mindestens einen Meilenstein oder ein Neutralitätsjahr angeben."),
    (dict(base_year=2015, milestones={2030: 50.0}), "base_year",
     "Für das Basisjahr 2015 liegen keine Emissionsdaten vor: bitte den Basiswert angeben oder "
     "ein Basisjahr mit Daten wählen."),
    (dict(base_value=-3.0), "base_value",
     "Der Basiswert muss größer als 0 t CO₂e sein (leer = aus den Daten)."),
    (dict(neutrality_year=2020, milestones={}), "neutrality_year",
     "Neutralitätsjahr 2020 liegt nicht nach dem Basisjahr 2023."),
    (dict(residual_pct=120.0), "residual_pct",
     "Restanteil 120 %: erlaubt sind 0 bis 100 % des Basiswerts."),
    (dict(milestones={2028: 60.0, 2030: 40.0}), "milestones",
     "Meilenstein 2030: Minderung 40 % ist kleiner als 60 % im Jahr 2028 – der Pfad stiege "
     "wieder an."),
    (dict(neutrality_year=None, residual_pct=5.0), "residual_pct",
     "Ein Restanteil gilt nur im Neutralitätsjahr: bitte eines angeben."),
    (dict(residual_pct=50.0), "residual_pct",
     "Restanteil 50 % ist mehr, als nach dem Meilenstein 2030 (−60 %) übrig ist – der Pfad "
     "stiege bis 2035 wieder an."),
    (dict(source="  "), "source",
     "Bitte die Quelle angeben (z. B. Vereinbarung vom …, Beschluss, Website)."),
    (dict(owner="x"), "owner", "Unbekanntes Mitglied „x“ (bekannt: netzwerk, a, b, c)."),
    (dict(purpose="vorgabe", kind="Vorgabe des Dachverbands"), "body",
     "Bitte den Dachverband angeben, von dem die Vorgabe stammt."),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "field", "message"), BAD)
def test_every_rule_names_its_field_and_nothing_is_written(scon, changes, field, message):
    before = counts(scon)
    with pytest.raises(TargetErrors) as caught:
        targets.add_version(scon, MANAGER, draft(**changes))
    assert [(e.field, e.message) for e in caught.value.errors] == [(field, message)]
    assert counts(scon) == before


def test_all_problems_at_once(scon):
    problems = targets.validate(
        scon, draft(milestones={2030: 120.0, 2040: 50.0}, residual_pct=-1.0, source="")
    )
    assert [e.field for e in problems] == ["milestones", "milestones", "residual_pct", "source"]
    assert all(isinstance(e, TargetError) for e in problems)


def test_milestone_input():
    assert targets.parse_milestone("2030:55,5") == (2030, 55.5)
    with pytest.raises(TargetError, match="bitte Jahr:Minderung") as caught:
        targets.parse_milestone("2030-55")
    assert caught.value.field == "milestones"
    assert targets.milestone_table([(2030, 55.0), (None, None), (2040.0, 80.0)]) == {
        2030: 55.0,
        2040: 80.0,
    }
    with pytest.raises(TargetErrors) as caught:
        targets.milestone_table([(2030, None), (2040, 1.0), (2040, 2.0)])
    assert [e.message for e in caught.value.errors] == [
        "Meilenstein in Zeile 1: die Minderung in % fehlt.",
        "Meilenstein 2040 ist doppelt angegeben.",
    ]


def test_a_new_version_changes_the_report_and_the_old_stays(scon):
    # old: 70 t in 2023, −60 % by 2030 → 28 t; path 2025 = 70 + (28 − 70) × 2/7 = 58
    assert report.build(scon, NETWORK_MANAGER).member["a"].kpi.path_latest == pytest.approx(58)
    target_id = targets.add_version(scon, MANAGER, draft(milestones={2030: 80.0}))
    # new: −80 % by 2030 → 14 t; path 2025 = 70 + (14 − 70) × 2/7 = 54; actual 50 → gap −4
    member = report.build(scon, NETWORK_MANAGER).member["a"]
    assert member.kpi.path_latest == pytest.approx(54)
    assert member.kpi.gap_latest == pytest.approx(-4)
    assert member.target.target_id == target_id and member.target.entered_by == "test:manager"
    assert member.target.valid_from == date.today() and member.target.basis == "vereinbart"
    history = target_history.versions(scon, MANAGER, "a")
    assert [v.in_force for v in history] == [True, False]
    assert history[0].changes == [
        "Meilenstein 2030: −60 % → −80 %",
        "Vereinbart am: – → 30.11.2026",
        "Quelle: „Vereinbarung vom 30.11.2026“",
        "Annahme bestätigt",  # entered by the network management: no longer an assumption
    ]
    assert history[1].changes == ["neu"] and history[1].target.milestones == {2030: 60.0}
    # yesterday's report still uses the old version (valid_from = the day it was entered)
    members, network = targets.series(scon)
    yesterday = date.today() - timedelta(days=1)
    old = progress.targets(scon, MANAGER, members, network, as_of=yesterday)["a"]
    assert old.milestones == {2030: 60.0}


def test_a_version_valid_from_a_later_day_is_not_yet_in_force(scon):
    target_id = targets.add_version(scon, MANAGER, draft(milestones={2030: 80.0}))
    later = date.today() + timedelta(days=30)
    scon.execute("UPDATE targets SET valid_from = ? WHERE target_id = ?", [later, target_id])
    assert targets.current(scon, MANAGER)["a"].milestones == {2030: 60.0}
    assert targets.current(scon, MANAGER, as_of=later)["a"].milestones == {2030: 80.0}
    assert [v.in_force for v in target_history.versions(scon, MANAGER, "a")] == [False, True]


def test_base_value_change_and_confirm(scon):
    targets.add_version(scon, MANAGER, draft(base_value=1234.0))
    assert target_history.versions(scon, MANAGER, "a")[0].changes[0] == (
        "Basiswert: aus Daten → 1.234 t CO₂e"
    )
    before = counts(scon)
    targets.confirm(scon, MANAGER, "netzwerk", agreed_on=date(2026, 12, 1))
    net = target_history.versions(scon, CITY, "netzwerk")
    assert net[0].changes == ["Vereinbart am: – → 01.12.2026", "Annahme bestätigt"]
    assert net[0].target.verified and net[0].target.milestones == {2030: 50.0}
    assert net[0].target.base_derived  # still derived: 140 t (70 + 20 + 50)
    assert targets.current(scon, MANAGER)["netzwerk"].base_value == pytest.approx(140)
    assert counts(scon) == (before[0] + 1, before[1] + 1)


@pytest.mark.parametrize("viewer", [CITY, MEMBER_A, PUBLIC], ids=["stadt", "mitglied", "public"])
def test_only_network_management_adds(scon, viewer):
    before = counts(scon)
    with pytest.raises(AccessDenied, match="Nur das Netzwerkmanagement darf Ziele festlegen"):
        targets.add_version(scon, viewer, draft(milestones={2030: 80.0}))
    with pytest.raises(AccessDenied):
        targets.confirm(scon, viewer, "netzwerk")
    assert counts(scon) == before


def test_who_reads_which_targets(scon):
    assert len(target_history.versions(scon, CITY, "b")) == 1
    assert len(target_history.versions(scon, MEMBER_A, "a")) == 1
    assert len(target_history.versions(scon, MEMBER_A, "netzwerk")) == 1
    with pytest.raises(AccessDenied, match="nur die Ziele Ihrer eigenen Organisation"):
        target_history.versions(scon, MEMBER_A, "b")
    with pytest.raises(AccessDenied, match="nur nach der Anmeldung"):
        target_history.versions(scon, PUBLIC, "netzwerk")
    assert set(targets.current(scon, MEMBER_A)) == {"a", "netzwerk"}


def test_a_parent_body_target(scon):
    d = draft(purpose="vorgabe", kind="Vorgabe des Dachverbands", body="Dachverband X",
              milestones={2030: 100.0}, neutrality_year=None, source="Beschluss 2021")  # fmt: skip
    targets.add_version(scon, MANAGER, d)
    (v,) = target_history.versions(scon, MEMBER_A, "a", "vorgabe")
    assert (v.target.body, v.target.kind, v.changes) == (
        "Dachverband X", "Vorgabe des Dachverbands", ["neu"],
    )  # fmt: skip
    assert targets.current(scon, MANAGER)["a"].milestones == {2030: 60.0}  # the 'ziel' is kept
    assert db.query_rows(scon, "target_versions", owner="a", purpose="vorgabe")


def test_confirming_a_parent_body_target_keeps_it_on_the_members_own_base(scon):
    """A 'vorgabe' measured from the member's own base (reference.OWN_BASE) stays so when the
    manager confirms it: a's own base is 2023 = 70 t; the vorgabe's stored base year 2015 has
    no data (small.py starts in 2023), so a version anchored there could not even be derived."""
    d = draft(purpose="vorgabe", kind="Vorgabe des Dachverbands", body="Dachverband X",
              base_year=2015, milestones={2030: 100.0}, neutrality_year=None,
              source="Beschluss 2021", own_base=True)  # fmt: skip
    targets.add_version(scon, MANAGER, d)
    targets.confirm(scon, MANAGER, "a", "vorgabe")
    now = targets.current(scon, MANAGER, "vorgabe")["a"]
    assert now.verified and now.basis == reference.OWN_BASE
    rep = report.build(scon, NETWORK_MANAGER)
    # linear from a's 70 t in 2023 to 0 in 2030 (−100 %): 2025 = 70 × (1 − 2/7) = 50
    parent = next(r for r in rep.alignment["a"].references if r.ref_id == "vorgabe")
    assert parent.path[2025] == pytest.approx(50.0)
