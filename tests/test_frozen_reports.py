"""Frozen annual reports: unchanged after corrections, checked, per viewer, all or nothing."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from kek_data import cli, db, frozen_changes, frozen_reports, ingest, progress, report
from kek_data.errors import AccessDenied, FrozenReportError
from kek_data.export import package
from kek_data.viewer import NETWORK_MANAGER, parse
from tests.ingest_util import csv_bytes

MANAGER = replace(NETWORK_MANAGER, user="cli:test")
YEAR = 2024


@pytest.fixture
def frozen(con):
    """A Berichtsstand of 2024 of the demo database: (freeze, summary at freezing)."""
    before = cli.summary(con, NETWORK_MANAGER, YEAR)
    return frozen_reports.freeze(con, MANAGER, YEAR, "Jahresbericht 2024"), before


def _reopen(con, done):
    return frozen_reports.open(con, done.freeze_id)


def test_freeze_writes_file_row_and_marker(con, frozen, seeded_db):
    done, before = frozen
    path = frozen_reports.folder(seeded_db) / f"kek-{YEAR}-{done.freeze_id}.duckdb"
    assert path.is_file() and frozen_reports.sha256_file(path) == done.sha256
    assert done.frozen_by == "cli:test" and done.note == "Jahresbericht 2024"
    assert done.figures["network"] == before["network"]
    assert done.figures["members"] == before["members"]
    snap = _reopen(con, done)
    st = frozen_reports.stand(snap)
    assert st.frozen and st.year == YEAR and st.freeze_id == done.freeze_id
    assert st.label.startswith(f"Berichtsstand {YEAR}, eingefroren am ")
    assert st.label.endswith("von cli:test")
    assert frozen_reports.stand(con).label.startswith("Live-Daten (Stand ")
    # the snapshot is read-only
    with pytest.raises(Exception, match="read-only"):
        snap.execute("DELETE FROM emission_factors")
    assert not list(frozen_reports.folder(seeded_db).glob(".*.tmp"))


def test_snapshot_unchanged_after_live_corrections(con, frozen, seeded_db):
    done, before = frozen
    viewer = parse("mitglied:dsw21", user="cli:dsw21")
    # corrections: a new file for dsw21 2024, a rollback, a factor, a new target version
    data = csv_bytes(["2024;Strom;1000000;kWh;Zentrale;Korrektur"])
    ingest.import_file(con, seeded_db, data, "korrektur.csv", "dsw21", viewer, replace=True)
    first = con.execute(
        "SELECT min(submission_id) FROM active_submissions WHERE member_id = 'caritas'"
    ).fetchone()[0]
    ingest.rollback(con, first, MANAGER)
    con.execute("UPDATE emission_factors SET g_co2e_per_kwh = g_co2e_per_kwh * 1.2 "
                "WHERE carrier_id = 'erdgas'")  # fmt: skip
    con.execute(
        "INSERT INTO targets (owner, set_at, base_year, basis, source, purpose, kind, "
        "valid_from, entered_by) VALUES ('dsw21', now(), 2015, 'netto', 'neu', 'ziel', "
        "'eigenes Ziel', current_date, 'cli:test')"
    )
    live_now = cli.summary(con, NETWORK_MANAGER, YEAR)
    assert live_now["network"] != before["network"]  # the live data did change
    snap = _reopen(con, done)
    again = frozen_reports.figures(snap, YEAR)
    assert again["network"] == done.figures["network"] == before["network"]
    assert again["members"] == before["members"]
    assert again["target_ids"] == done.figures["target_ids"]
    rep = report.build(snap, NETWORK_MANAGER, YEAR)
    assert rep.network.series[YEAR] == pytest.approx(before["network"][str(YEAR)], abs=1e-6)
    table = frozen_changes.changes(con, snap, NETWORK_MANAGER)
    areas = set(table["Bereich"])
    assert {"Emissionen", "Meldungen", "Ziele", "Faktoren"} <= areas
    what = " ".join(table["Änderung"])
    assert "korrektur.csv" in what and "neu übernommen" in what
    assert "zurückgezogen oder ersetzt" in what and "Faktor erdgas" in what
    dsw = table[(table["Bereich"] == "Emissionen") & (table["Mitglied"] == "DSW21")]
    assert YEAR in set(dsw["Jahr"])
    row = dsw[dsw["Jahr"] == YEAR].iloc[0]
    assert row["Berichtsstand [t CO₂e]"] == pytest.approx(before["members"]["dsw21"][str(YEAR)])
    assert row["Δ [t CO₂e]"] == pytest.approx(row["Live [t CO₂e]"] - row["Berichtsstand [t CO₂e]"])


def test_target_versions_valid_at_freezing(con):
    """A version entered before freezing but valid only later never applies in the snapshot."""
    old = progress.targets(con, NETWORK_MANAGER, {}, {})["dsw21"].target_id
    later = date.today() + timedelta(days=30)
    con.execute(
        "INSERT INTO targets (owner, set_at, base_year, basis, source, purpose, kind, "
        "valid_from, entered_by) VALUES ('dsw21', now(), 2015, 'netto', 'später', 'ziel', "
        "'eigenes Ziel', ?, 'cli:test')",
        [later],
    )
    done = frozen_reports.freeze(con, MANAGER, YEAR)
    snap = _reopen(con, done)
    far = date(2099, 1, 1)
    assert progress.targets(snap, NETWORK_MANAGER, {}, {}, as_of=far)["dsw21"].target_id == old
    assert progress.targets(con, NETWORK_MANAGER, {}, {}, as_of=far)["dsw21"].target_id != old


def test_tampered_or_missing_file_is_refused(con, frozen, seeded_db):
    done, _ = frozen
    path = frozen_reports.folder(seeded_db) / done.file_name
    raw = bytearray(path.read_bytes())
    raw[4096] ^= 0xFF
    path.write_bytes(bytes(raw))
    with pytest.raises(FrozenReportError, match="Prüfsumme stimmt nicht"):
        _reopen(con, done)
    path.unlink()
    with pytest.raises(FrozenReportError, match="fehlt"):
        _reopen(con, done)


def test_member_sees_on_a_frozen_report_what_it_sees_live(con, frozen):
    done, _ = frozen
    snap = _reopen(con, done)
    for spec in ("mitglied:dsw21", "mitglied:caritas", "stadt"):
        viewer = parse(spec)
        frozen_reports.check_viewer(con, snap, viewer)
        then, now = report.build(snap, viewer, YEAR), report.build(con, viewer, YEAR)
        assert then.names == now.names
        assert then.network.series == now.network.series
    member = parse("mitglied:dsw21")
    con.execute("UPDATE emission_factors SET g_co2e_per_kwh = g_co2e_per_kwh * 1.2")
    table = frozen_changes.changes(con, snap, member)
    assert set(table["Mitglied"]) <= {"DSW21", frozen_changes.NETWORK, "alle"}
    with pytest.raises(FrozenReportError):
        frozen_reports.check_viewer(con, snap, parse("oeffentlich"))


def test_consent_restricted_since_freezing_limits_the_snapshot(con, frozen):
    from kek_data import access

    done, _ = frozen
    snap = _reopen(con, done)
    named = [m for m, c in access.consents(con).items() if c.level == "namentlich"]
    assert named
    access.set_consent(con, MANAGER, named[0], "intern", "widerrufen")
    with pytest.raises(FrozenReportError, match="eingeschränkt"):
        frozen_reports.check_viewer(con, snap, parse("mitglied:dsw21"))
    frozen_reports.check_viewer(con, snap, NETWORK_MANAGER)  # network and city still read it


def test_only_network_management_freezes_and_only_years_with_data(con, seeded_db):
    with pytest.raises(AccessDenied):
        frozen_reports.freeze(con, parse("mitglied:dsw21"), YEAR)
    with pytest.raises(FrozenReportError, match="keine Daten"):
        frozen_reports.freeze(con, MANAGER, 1999)
    assert frozen_reports.freezes(con) == []
    assert not frozen_reports.folder(seeded_db).exists() or not list(
        frozen_reports.folder(seeded_db).iterdir()
    )


@pytest.mark.parametrize("where", ["figures", "replace", "insert"])
def test_a_failing_freeze_leaves_no_row_and_no_file(con, seeded_db, monkeypatch, where):
    def boom(*args, **kwargs):
        raise OSError("Platte voll")

    if where == "figures":
        monkeypatch.setattr(frozen_reports, "figures", boom)
    elif where == "replace":
        monkeypatch.setattr(frozen_reports.os, "replace", boom)
    else:
        real = db.execute

        def failing(c, name, **params):
            if name == "freeze_insert":
                raise OSError("Platte voll")
            return real(c, name, **params)

        monkeypatch.setattr(frozen_reports.db, "execute", failing)
    with pytest.raises(OSError):
        frozen_reports.freeze(con, MANAGER, YEAR)
    assert con.execute("SELECT count(*) FROM report_freezes").fetchone()[0] == 0
    assert list(frozen_reports.folder(seeded_db).iterdir()) == []
    assert con.execute("SELECT count(*) FROM duckdb_databases() "
                       "WHERE database_name = 'kek_freeze'").fetchone()[0] == 0  # fmt: skip


def test_a_year_frozen_again_is_a_new_berichtsstand(con):
    first = frozen_reports.freeze(con, MANAGER, YEAR, "erste Fassung")
    second = frozen_reports.freeze(con, MANAGER, YEAR, "korrigiert")
    listed = frozen_reports.freezes(con)
    assert [f.freeze_id for f in listed] == [second.freeze_id, first.freeze_id]
    assert first.file_name != second.file_name


def test_older_schema_is_migrated_and_compared(con, frozen, monkeypatch, tmp_path):
    """A snapshot of an older schema opens as a migrated copy; equal figures say nothing, a
    migration that changes a figure is named on the Stand."""
    done, _ = frozen
    known = db.migrations()
    noop = tmp_path / "998_noop.sql"
    noop.write_text("SELECT 1;", encoding="utf-8")
    monkeypatch.setattr(db, "migrations", lambda: [*known, (998, noop)])
    snap = _reopen(con, done)
    assert db.schema_version(snap) == 998
    assert frozen_reports.stand(snap).drift == ""
    assert frozen_reports.figures(snap, YEAR)["network"] == done.figures["network"]
    change = tmp_path / "999_factor.sql"
    change.write_text("UPDATE emission_factors SET g_co2e_per_kwh = g_co2e_per_kwh * 2;")
    monkeypatch.setattr(db, "migrations", lambda: [*known, (999, change)])
    label = frozen_reports.stand(_reopen(con, done)).label
    assert "mit heutiger Berechnung abweichend: Netzwerk" in label


def test_package_and_summary_say_which_stand(con, frozen):
    done, _ = frozen
    snap = _reopen(con, done)

    def readme(c) -> str:
        with zipfile.ZipFile(io.BytesIO(package.build_package(c, NETWORK_MANAGER, YEAR))) as zf:
            return zf.read("README.txt").decode("utf-8-sig")

    assert f"Datenstand: Berichtsstand {YEAR}, eingefroren am " in readme(snap)
    assert "Datenstand: Live-Daten (Stand " in readme(con)


def test_cli_list_freeze_changes_and_stand(seeded_db, capsys):
    assert cli.main(["berichtsstand", "einfrieren", str(YEAR), "--note", "Bericht",
                     "--db", str(seeded_db)]) == 0  # fmt: skip
    assert "eingefroren am" in capsys.readouterr().out
    assert cli.main(["berichtsstand", "--json", "--db", str(seeded_db)]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed[0]["year"] == YEAR and listed[0]["note"] == "Bericht"
    fid = str(listed[0]["freeze_id"])
    assert cli.main(["berichtsstand", "aenderungen", fid, "--db", str(seeded_db)]) == 0
    assert "Keine Änderungen" in capsys.readouterr().out
    assert cli.main(["summary", "--json", "--stand", fid, "--db", str(seeded_db)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["stand"].startswith(f"Berichtsstand {YEAR}") and out["report"]["year"] == YEAR
    code = cli.main(["berichtsstand", "einfrieren", str(YEAR), "--as", "mitglied:dsw21",
                     "--db", str(seeded_db)])  # fmt: skip
    assert code == 1 and "Netzwerkmanagement" in capsys.readouterr().err
    assert cli.main(["summary", "--stand", "77", "--db", str(seeded_db)]) == 1
    assert "gibt es nicht" in capsys.readouterr().err


def test_demo_freeze_is_demo_and_a_real_one_counts_as_real_data(con):
    from kek_data import emissions

    demo_nm = replace(NETWORK_MANAGER, user="demo:netzwerk")
    assert frozen_reports.freeze(con, demo_nm, YEAR).is_demo
    assert not emissions.has_real_data(con)


def test_files_live_next_to_the_database(seeded_db):
    assert frozen_reports.folder(seeded_db) == Path(seeded_db).resolve().parent / "berichtsstaende"


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 9), "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_deck_says_berichtsstand_or_live_data(con, frozen, monkeypatch):
    from pptx import Presentation

    from kek_data.export import deck

    png = _png()
    monkeypatch.setattr(deck.images, "render", lambda *a, **k: png)  # no browser needed
    done, _ = frozen

    def title_and_footer(c) -> tuple[str, str]:
        prs = Presentation(io.BytesIO(deck.build_deck(c, NETWORK_MANAGER, year=YEAR, members=[])))
        first = " ".join(s.text_frame.text for s in prs.slides[0].shapes if s.has_text_frame)
        second = " ".join(s.text_frame.text for s in prs.slides[1].shapes if s.has_text_frame)
        return first, second

    title, footer = title_and_footer(_reopen(con, done))
    assert f"Berichtsstand {YEAR}, eingefroren am " in title
    assert f"Berichtsstand {YEAR} (Nr. {done.freeze_id})" in footer
    title, _ = title_and_footer(con)
    assert "Live-Daten (Stand " in title


def test_changes_name_measures_and_round_statuses(con, frozen):
    done, _ = frozen
    con.execute(
        "INSERT INTO round_status_log (year, member_id, status, comment, entered_at, entered_by) "
        "VALUES (2024, 'dsw21', 'freigegeben', '', now(), 'cli:test')"
    )
    found = con.execute(
        "SELECT measure_id, title FROM current_measures WHERE member_id = 'dsw21' "
        "AND status <> 'verworfen' ORDER BY measure_id LIMIT 1"
    ).fetchone()
    if found:
        con.execute(
            "CREATE TEMP TABLE bump AS SELECT * FROM measure_versions WHERE measure_id = ? "
            "ORDER BY version_no DESC LIMIT 1",
            [found[0]],
        )
        con.execute("UPDATE bump SET version_no = version_no + 1, status = 'verworfen'")
        con.execute("INSERT INTO measure_versions SELECT * FROM bump")
    snap = _reopen(con, done)
    table = frozen_changes.changes(con, snap, parse("mitglied:dsw21"))
    rounds = table[table["Bereich"] == "Berichtsrunde"]
    assert list(rounds["Änderung"]) and "→ freigegeben" in rounds["Änderung"].iloc[0]
    if found:
        measures = table[table["Bereich"] == "Maßnahmen"]
        assert any(found[1] in t and "→ verworfen" in t for t in measures["Änderung"])
    other = frozen_changes.changes(con, snap, parse("mitglied:caritas"))
    assert other[other["Bereich"].isin(["Berichtsrunde", "Maßnahmen"])].empty
