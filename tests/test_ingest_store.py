"""Import, submissions, raw-file store, replace, rollback and the start-up store check."""

from __future__ import annotations

import pytest

from kek_data import db
from kek_data.ingest import (
    RollbackError,
    UploadError,
    ValidationFailed,
    YearsHaveData,
    check_store,
    history,
    rollback,
)
from kek_data.ingest.store import files_dir, raw_path, sha256_of
from kek_data.viewer import NETWORK_MANAGER as NM
from kek_data.viewer import parse
from tests.ingest_util import csv_bytes, do_import, new_db

MUSTER = parse("mitglied:dsw21", user="frau.muster@dsw21.de")


@pytest.fixture
def fresh(tmp_path):
    con, path = new_db(tmp_path)
    yield con, path
    con.close()


def _activity(con, member="dsw21"):
    return con.execute(
        "SELECT year, carrier_id, quantity, unit, site, remark, line_no FROM current_activity "
        "WHERE member_id = $m ORDER BY year, carrier_id, site",
        {"m": member},
    ).fetchall()


def _submissions(con):
    return con.execute(
        "SELECT submission_id, member_id, submitted_by, file_name, sha256, size_bytes, n_rows, "
        "status, errors FROM submissions ORDER BY submission_id"
    ).fetchall()


def test_import_writes_rows_submission_and_raw_file(fresh):
    con, path = fresh
    data = csv_bytes(["2024;Strom;1.234,5;MWh; Zentrale ;Zähler 1", "2024;Heizoel;1.000;Liter;;"])
    result = do_import(con, path, data, name="kek_2024.csv")
    assert result.n_rows == 2 and result.years == [2024] and result.replaced_years == []
    assert _activity(con) == [
        (2024, "heizoel", 1000.0, "l", "", None, 3),
        (2024, "strom", 1234.5, "MWh", "Zentrale", "Zähler 1", 2),
    ]
    (sub,) = _submissions(con)
    assert sub[1:] == ("dsw21", "Netzwerkmanagement", "kek_2024.csv", sha256_of(data), len(data), 2,
                       "imported", None)  # fmt: skip
    stored = raw_path(path, sha256_of(data))
    assert stored == files_dir(path) / sha256_of(data)[:2] / sha256_of(data)
    assert stored.read_bytes() == data == raw_path(path, sha256_of(data)).read_bytes()
    assert check_store(con, path) == []
    kwh = con.execute("SELECT sum(kwh) FROM emissions").fetchall()[0][0]
    assert kwh == pytest.approx(1234.5 * 1000 + 1000 * 10.110513888888889)
    assert "2 Zeilen für dsw21 importiert als Meldung Nr. 1 (Jahre 2024)" in result.summary()


def test_invalid_file_writes_no_rows_but_is_recorded_and_kept(fresh):
    con, path = fresh
    data = csv_bytes(["2024;Strom;1;kWh;;", "2024;Gas;x;kWh;;"])
    with pytest.raises(ValidationFailed) as exc:
        do_import(con, path, data, name="bad.csv")
    assert exc.value.errors == ["bad.csv, Zeile 3, Spalte „Menge“: „x“ ist keine Zahl."]
    assert exc.value.n_errors == 1 and exc.value.submission_id == 1
    assert con.execute("SELECT count(*) FROM activity").fetchall()[0][0] == 0
    (sub,) = _submissions(con)
    assert sub[7:] == ("rejected", "bad.csv, Zeile 3, Spalte „Menge“: „x“ ist keine Zahl.")
    assert sub[6] == 2
    assert raw_path(path, sha256_of(data)).read_bytes() == data


def test_non_table_is_recorded_and_kept(fresh):
    con, path = fresh
    data = b"<html><body>Login</body></html>"
    with pytest.raises(UploadError):
        do_import(con, path, data, name="export.csv")
    (sub,) = _submissions(con)
    assert sub[7] == "rejected" and "HTML" in sub[8]
    assert raw_path(path, sha256_of(data)).read_bytes() == data


def test_dry_run_writes_nothing(fresh):
    con, path = fresh
    result = do_import(con, path, csv_bytes(["2024;Strom;1;kWh;;"]), dry_run=True)
    assert result.submission_id is None and "Probelauf" in result.summary()
    with pytest.raises(ValidationFailed):
        do_import(con, path, csv_bytes(["2024;Strom;x;kWh;;"]), dry_run=True)
    assert _submissions(con) == []
    assert not files_dir(path).exists()


def test_replace_needs_consent_and_replaces_only_covered_years(fresh):
    con, path = fresh
    do_import(con, path, csv_bytes(["2023;Strom;1;kWh;;", "2024;Strom;2;kWh;;",
                                    "2024;Erdgas;3;kWh;;"]))  # fmt: skip
    new = csv_bytes(["2024;Strom;20;kWh;;", "2025;Strom;30;kWh;;"])
    with pytest.raises(YearsHaveData) as exc:
        do_import(con, path, new, name="neu.csv")
    assert exc.value.years == [2024]
    assert "Das Jahr 2024 hat für dieses Mitglied bereits Daten" in str(exc.value)
    assert [r[7] for r in _submissions(con)] == ["imported", "rejected"]
    assert [r[:3] for r in _activity(con)] == [
        (2023, "strom", 1.0), (2024, "erdgas", 3.0), (2024, "strom", 2.0)
    ]  # fmt: skip
    result = do_import(con, path, new, name="neu.csv", replace=True)
    assert result.replaced_years == [2024]
    assert [r[:3] for r in _activity(con)] == [
        (2023, "strom", 1.0), (2024, "strom", 20.0), (2025, "strom", 30.0)
    ]  # fmt: skip
    # other members are untouched
    do_import(con, path, csv_bytes(["2024;Strom;5;kWh;;"]), member="fhdo")
    assert [r[:3] for r in _activity(con, "fhdo")] == [(2024, "strom", 5.0)]
    assert len(_activity(con)) == 3


def test_rollback_restores_the_previous_state_and_keeps_everything(fresh):
    con, path = fresh
    do_import(con, path, csv_bytes(["2024;Strom;1;kWh;;"]))
    second = do_import(con, path, csv_bytes(["2024;Strom;2;kWh;;", "2025;Strom;3;kWh;;"]),
                       replace=True)  # fmt: skip
    assert [r[:3] for r in _activity(con)] == [(2024, "strom", 2.0), (2025, "strom", 3.0)]
    assert rollback(con, second.submission_id, MUSTER, "Zahlen falsch") == "dsw21"
    assert [r[:3] for r in _activity(con)] == [(2024, "strom", 1.0)]
    assert con.execute("SELECT count(*) FROM activity").fetchall()[0][0] == 3
    events = con.execute("SELECT submission_id, event, event_by, note FROM submission_events")
    assert events.fetchall() == [(2, "rolled_back", "frau.muster@dsw21.de", "Zahlen falsch")]
    with pytest.raises(RollbackError, match="bereits zurückgenommen"):
        rollback(con, second.submission_id, NM)
    with pytest.raises(RollbackError, match="gibt es nicht"):
        rollback(con, 99, NM)
    hist = history(con, NM, "dsw21")
    assert list(hist["state"]) == ["zurückgenommen", "aktuell"]
    assert list(hist["rolled_back_by"])[0] == "frau.muster@dsw21.de"


def test_rejected_submission_cannot_be_rolled_back(fresh):
    con, path = fresh
    with pytest.raises(ValidationFailed):
        do_import(con, path, csv_bytes(["2024;Strom;x;kWh;;"]))
    with pytest.raises(RollbackError, match="abgelehnt"):
        rollback(con, 1, NM)


def test_history_states(fresh):
    con, path = fresh
    do_import(con, path, csv_bytes(["2024;Strom;1;kWh;;"]))
    do_import(con, path, csv_bytes(["2024;Strom;2;kWh;;"]), replace=True)
    with pytest.raises(ValidationFailed):
        do_import(con, path, csv_bytes(["2024;Strom;x;kWh;;"]))
    hist = history(con, NM, "dsw21")
    assert list(hist["state"]) == ["abgelehnt", "aktuell", "ersetzt"]
    years = [list(y) if hasattr(y, "__iter__") else None for y in hist["years"]]
    assert years == [None, [2024], [2024]]


def test_same_file_twice_is_stored_once(fresh):
    con, path = fresh
    data = csv_bytes(["2024;Strom;1;kWh;;"])
    do_import(con, path, data)
    do_import(con, path, data, replace=True)
    assert len(list(files_dir(path).glob("??/*"))) == 1
    assert check_store(con, path) == []


def test_check_store_reports_missing_changed_and_unrecorded_files(fresh):
    con, path = fresh
    data = csv_bytes(["2024;Strom;1;kWh;;"])
    do_import(con, path, data)
    stray = raw_path(path, "ab" + "0" * 62)
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"lost")
    problems = check_store(con, path)
    assert len(problems) == 1 and "in keiner Meldung verzeichnet" in problems[0]
    raw_path(path, sha256_of(data)).write_bytes(data + b"x")
    assert any("verändert" in p for p in check_store(con, path))
    raw_path(path, sha256_of(data)).unlink()
    assert any("Originaldatei fehlt" in p for p in check_store(con, path))


def test_check_store_deep_compares_hashes(fresh):
    con, path = fresh
    data = csv_bytes(["2024;Strom;1;kWh;;"])
    do_import(con, path, data)
    raw_path(path, sha256_of(data)).write_bytes(data.replace(b"1", b"2"))
    assert check_store(con, path) == []
    assert "verändert" in check_store(con, path, deep=True)[0]


@pytest.mark.parametrize(
    ("step", "row"),
    [
        ("upload_direct_finish", "2024;Strom;1;kWh;;"),  # direct path (simple file)
        ("insert_activity_from_upload", '2024;Strom;1;kWh;"Haus A";'),  # full check (quotes)
    ],
)
def test_failed_transaction_leaves_nothing(fresh, monkeypatch, step, row):
    """An error after the rows are appended but before COMMIT rolls back the whole import."""
    con, path = fresh
    real = db.execute

    def broken(con_, name, /, **params):
        if name == step:
            real(con_, name, **params)
            raise RuntimeError("Stromausfall")
        return real(con_, name, **params)

    monkeypatch.setattr(db, "execute", broken)
    with pytest.raises(RuntimeError):
        do_import(con, path, csv_bytes([row]))
    assert con.execute("SELECT count(*) FROM activity").fetchall()[0][0] == 0
    assert con.execute("SELECT count(*) FROM submissions").fetchall()[0][0] == 0


def test_demo_submissions_need_no_file(con, seeded_db):
    assert check_store(con, seeded_db) == []


def test_raw_file_not_durable_means_no_commit(fresh, monkeypatch):
    """The raw file is fsynced before COMMIT; if that fails, the import is rolled back."""
    from kek_data.ingest import StoreError, store

    con, path = fresh

    def full_disk(*args, **kwargs):
        raise StoreError("Die Originaldatei kann nicht gespeichert werden (Platte voll).")

    monkeypatch.setattr(store, "keep_raw", full_disk)
    with pytest.raises(StoreError, match="Platte voll"):
        do_import(con, path, csv_bytes(["2024;Strom;1;kWh;;"]))
    assert con.execute("SELECT count(*) FROM activity").fetchall()[0][0] == 0
    assert con.execute("SELECT count(*) FROM submissions").fetchall()[0][0] == 0
