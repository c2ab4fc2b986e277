"""Writes under authorisation, for every ordered pair of the 10 demo members (10 × 9).

A member's viewer cannot check, import or reject a file for another member, cannot roll back
another member's submission, and cannot read another member's history or original files — also
when the page's widget values are forged, since these tests call the kek_data functions
directly with B's id and A's viewer. The city and the public write nothing; network management
writes for everyone. Refused writes change nothing, so one database serves all 90 pairs: its
row counts and raw-file folder are compared after each pair and once at the end.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from kek_data import access, db
from kek_data.errors import AccessDenied
from kek_data.ingest import check, history, import_file, read_raw, record_rejection, rollback
from kek_data.ingest.store import files_dir
from kek_data.viewer import CITY, NETWORK_MANAGER, PUBLIC, Viewer, parse
from tests.ingest_util import csv_bytes

FILE = csv_bytes(["2014;Strom;5;kWh;;"])  # 2014: before the demo data, so no year conflict
NM = replace(NETWORK_MANAGER, user="netzwerk@kek.de")


def member(member_id: str) -> Viewer:
    """The viewer of a logged-in person of ``member_id``."""
    return parse(f"mitglied:{member_id}", user=f"person@{member_id}.de", name="Person")


def _state(con, path: Path) -> tuple:
    """Row counts of every written table and the raw files kept (cheap: one query, one glob)."""
    counts = con.execute(
        "SELECT (SELECT count(*) FROM submissions), (SELECT count(*) FROM activity), "
        "(SELECT count(*) FROM submission_events)"
    ).fetchall()[0]
    return counts, sorted(p.name for p in files_dir(path).glob("??/*"))


@pytest.fixture(scope="module")
def world(demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory):
    """One seeded database with one real upload (raw file kept) per member, by the network.

    Yields (connection, path, member ids, {member: its submission id}, state before the pairs).
    """
    path = tmp_path_factory.mktemp("write") / "kek.duckdb"
    shutil.copy(demo_db_template, path)
    con = db.connect(path)
    members = access.member_ids(con)
    own: dict[str, int] = {}
    for m in members:
        data = csv_bytes([f"2014;Strom;{len(own) + 1};kWh;;"])  # distinct bytes: one file each
        own[m] = int(import_file(con, path, data, f"{m}.csv", m, NM).submission_id or 0)
    yield con, path, members, own, _state(con, path)
    con.close()


def _refused(func, *args, **kwargs) -> str:
    """The German message of the AccessDenied that ``func(*args, **kwargs)`` must raise."""
    with pytest.raises(AccessDenied) as exc:
        func(*args, **kwargs)
    return str(exc.value)


def test_the_demo_network_has_ten_members_and_90_ordered_pairs(world):
    _, _, members, own, _ = world
    assert len(members) == 10 and len(set(own.values())) == 10
    assert len([(a, b) for a in members for b in members if a != b]) == 90


def test_no_member_writes_or_reads_for_another_member(world):
    con, path, members, own, before = world
    names = dict(con.execute("SELECT member_id, short_name FROM members").fetchall())
    pairs = 0
    for a in members:
        viewer = member(a)
        for b in members:
            if a == b:
                continue
            pairs += 1
            text = _refused(import_file, con, path, FILE, "x.csv", b, viewer)
            assert "Nichts wurde geschrieben" in text
            _refused(import_file, con, path, FILE, "x.csv", b, viewer, dry_run=True)
            _refused(check, con, FILE, "x.csv", b, viewer)  # preview: B's figures
            _refused(record_rejection, con, path, FILE, "x.csv", b, viewer, ["Fehler"])
            text = _refused(rollback, con, own[b], viewer, "fremd")
            assert b not in text and names[b] not in text  # whose it is stays unsaid
            _refused(history, con, viewer, b)
            _refused(read_raw, con, path, viewer, own[b])
            assert _state(con, path) == before, (a, b)
    assert pairs == 90
    assert _state(con, path) == before


def test_each_member_reads_its_own_history_and_original_file(world):
    con, path, members, own, before = world
    for i, m in enumerate(members):
        hist = history(con, member(m), m)
        assert own[m] in set(hist["submission_id"]) and set(hist["submitted_by"]) >= {NM.user}
        assert read_raw(con, path, member(m), own[m]) == csv_bytes([f"2014;Strom;{i + 1};kWh;;"])
    assert _state(con, path) == before


def test_city_and_public_write_nothing_the_city_reads_everything(world):
    con, path, members, own, before = world
    for m in members:
        for viewer in (CITY, PUBLIC):
            _refused(import_file, con, path, FILE, "x.csv", m, viewer)
            _refused(check, con, FILE, "x.csv", m, viewer)
            _refused(record_rejection, con, path, FILE, "x.csv", m, viewer, ["Fehler"])
            _refused(rollback, con, own[m], viewer)
        assert not history(con, CITY, m).empty
        assert read_raw(con, path, CITY, own[m])
        _refused(history, con, PUBLIC, m)
        _refused(read_raw, con, path, PUBLIC, own[m])
    assert _state(con, path) == before


def test_refusals_say_why_in_german(world):
    con, path, _, own, _ = world
    assert "dürfen Sie nur Daten Ihrer eigenen Organisation" in _refused(
        import_file, con, path, FILE, "x.csv", "dew21", member("dsw21")
    )
    assert "Die Rolle Stadt darf Daten ansehen" in _refused(
        import_file, con, path, FILE, "x.csv", "dew21", CITY
    )
    assert "Zum Hochladen bitte anmelden" in _refused(rollback, con, own["dew21"], PUBLIC)
    assert f"Meldung Nr. {own['dew21']} gehört nicht zu Ihrer Organisation" in _refused(
        rollback, con, own["dew21"], member("dsw21")
    )
    # an id that does not exist gets the same answer: no oracle for other members' ids
    assert "Meldung Nr. 99999 gehört nicht zu Ihrer Organisation" in _refused(
        rollback, con, 99999, member("dsw21")
    )
    assert "anderer Mitglieder sind nicht einsehbar" in _refused(
        read_raw, con, path, member("dsw21"), 99999
    )


def test_a_member_imports_and_rolls_back_for_itself_as_its_user(con, seeded_db):
    viewer = member("dsw21")
    done = import_file(con, seeded_db, FILE, "dsw21_2014.csv", "dsw21", viewer)
    hist = history(con, viewer, "dsw21")
    row = hist[hist["submission_id"] == done.submission_id].iloc[0]
    assert row["submitted_by"] == "person@dsw21.de" and row["state"] == "aktuell"
    assert rollback(con, int(done.submission_id or 0), viewer, "falsche Datei") == "dsw21"
    hist = history(con, viewer, "dsw21")
    row = hist[hist["submission_id"] == done.submission_id].iloc[0]
    assert row["rolled_back_by"] == "person@dsw21.de" and row["state"] == "zurückgenommen"
    # a rejected file of its own is kept under its user, too
    sid = record_rejection(con, seeded_db, b"x", "kaputt.csv", "dsw21", viewer, ["kaputt"])
    assert con.execute(
        "SELECT submitted_by, status FROM submissions WHERE submission_id = ?", [sid]
    ).fetchall() == [("person@dsw21.de", "rejected")]


def test_network_management_writes_for_every_member(con, seeded_db):
    for m in access.member_ids(con):
        done = import_file(con, seeded_db, FILE, f"{m}.csv", m, NM)
        assert rollback(con, int(done.submission_id or 0), NM) == m
    by = con.execute("SELECT DISTINCT event_by FROM submission_events").fetchall()
    assert by == [("netzwerk@kek.de",)]
    who = con.execute("SELECT DISTINCT submitted_by FROM submissions WHERE NOT is_demo")
    assert who.fetchall() == [("netzwerk@kek.de",)]


def test_without_a_user_the_role_name_is_recorded(con, seeded_db):
    done = import_file(con, seeded_db, FILE, "a.csv", "edg", NETWORK_MANAGER)
    hist = history(con, NETWORK_MANAGER, "edg")
    assert hist[hist["submission_id"] == done.submission_id]["submitted_by"].iloc[0] == (
        "Netzwerkmanagement"
    )
