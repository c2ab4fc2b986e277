"""The page "Daten hochladen" through app.py (AppTest): upload, preview, confirm, history,
rollback – and the new figure on the Überblick page right after the import."""

from __future__ import annotations

import pytest

from kek_data import db, report
from kek_data.errors import AccessDenied
from kek_data.numbers import format_number
from kek_data.viewer import NETWORK_MANAGER
from tests.ingest_util import DEMO_NM, csv_bytes

PAGE = "pages/hochladen.py"
GOOD = csv_bytes(
    ["2025;Strom;1.000.000;kWh;;", "2025;Erdgas;2.000.000;kWh;;"],
    header="Jahr;Energieträger;Menge;Einheit;Standort;Bemerkung",
)


def _open(app_test, member: str = "fhdo"):
    at = app_test()
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    at.selectbox(key="upload_member").set_value(member).run()
    return at


def _latest_total(path) -> float:
    con = db.connect(path)
    try:
        return report.build(con, NETWORK_MANAGER).network.latest
    finally:
        con.close()


def _metric(at, label_start: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label_start))


def test_upload_confirm_and_see_the_new_total_on_ueberblick(app_test, seeded_db):
    before = _latest_total(seeded_db)
    at = _open(app_test)
    at.file_uploader[0].upload("fhdo_2025.csv", GOOD, "text/csv").run()
    assert not at.exception
    assert "2 Zeilen geprüft, keine Fehler" in at.success[0].value
    assert any("bereits Daten" in w.value for w in at.warning)
    assert at.button(key="upload_import").disabled  # replacing 2025 needs consent
    at.checkbox(key="upload_replace").check().run()
    at.button(key="upload_import").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("übernommen: 2 Zeilen" in s.value for s in at.success)
    after = _latest_total(seeded_db)
    assert after != before
    at.switch_page("pages/ueberblick.py").run()
    assert not at.exception
    assert _metric(at, "Emissionen 2025") == format_number(after, 0)


def test_invalid_file_shows_every_error_and_is_recorded_once(app_test, seeded_db):
    at = _open(app_test, "edg")
    bad = csv_bytes(["2024;Gass;1;kWh;;", "2024;Strom;12,3,4;kWh;;"])
    at.file_uploader[0].upload("kek_2024.csv", bad, "text/csv").run()
    assert "enthält 2 Fehler" in at.error[-1].value or any("2 Fehler" in e.value for e in at.error)
    code = at.code[0].value
    assert "kek_2024.csv, Zeile 3, Spalte „Menge“: „12,3,4“ ist keine Zahl." in code
    assert "Meinten Sie Erdgas?" in code
    at.run()  # a re-run must not record the rejection again
    con = db.connect(seeded_db)
    rejected = con.execute(
        "SELECT count(*) FROM submissions WHERE status = 'rejected' AND member_id = 'edg'"
    ).fetchall()[0][0]
    con.close()
    assert rejected == 1
    table = at.dataframe[0].value
    assert list(table["Zeile"]) == [2, 3] and all(table["Fehler"] != "")


def test_not_a_table_is_refused_with_a_clear_message(app_test):
    at = _open(app_test, "edg")
    at.file_uploader[0].upload("bild.csv", b"\x89PNG\r\n\x1a\n\0\0", "text/csv").run()
    assert any("keine Tabelle" in e.value for e in at.error)


def test_history_download_and_rollback(app_test, seeded_db):
    at = _open(app_test)
    at.file_uploader[0].upload("fhdo_2025.csv", GOOD, "text/csv").run()
    at.checkbox(key="upload_replace").check().run()
    at.button(key="upload_import").click().run()
    after = _latest_total(seeded_db)
    history = at.dataframe[-1].value
    assert history["Status"].iloc[0] == "✅ aktuell" and history["Datei"].iloc[0] == "fhdo_2025.csv"
    assert history["Status"].iloc[1] == "↩️ ersetzt"
    assert at.selectbox(key="upload_history").value == int(history["Nr."].iloc[0])
    assert "Originaldatei herunterladen" in [b.label for b in at.get("download_button")]
    at.checkbox(key="upload_rollback_sure").check().run()
    at.button(key="upload_rollback").click().run()
    assert not at.exception
    assert any("zurückgenommen" in s.value for s in at.success)
    assert _latest_total(seeded_db) != after
    assert at.dataframe[-1].value["Status"].iloc[0] == "⏪ zurückgenommen"


def test_template_downloads_are_offered(app_test):
    at = _open(app_test)
    labels = [b.label for b in at.get("download_button")]
    assert "Vorlage als CSV (Excel)" in labels and "Vorlage als Excel (.xlsx)" in labels


def test_year_filled_meanwhile_by_another_session_is_an_error_not_a_crash(app_test, seeded_db):
    year = 2014  # the demo data start in 2015
    at = _open(app_test, "edg")
    new_year = csv_bytes([f"{year};Strom;5;kWh;;"])
    at.file_uploader[0].upload("edg_new.csv", new_year, "text/csv").run()
    assert not at.warning or not any("bereits Daten" in w.value for w in at.warning)
    from kek_data.ingest import import_file

    con = db.connect(seeded_db)
    import_file(
        con, seeded_db, csv_bytes([f"{year};Strom;6;kWh;;"]), "andere.csv", "edg", NETWORK_MANAGER
    )
    con.close()
    at.button(key="upload_import").click().run()
    assert not at.exception
    assert any(f"Das Jahr {year} hat für dieses Mitglied bereits" in e.value for e in at.error)


# --- user-supplied text shown only as text; every KekError as a German message --------------

EVIL = "![x](http://host/p.png).csv"
#: EVIL as the page writes it into Markdown: every punctuation character backslash-escaped
EVIL_SHOWN = r"\!\[x\]\(http\:\/\/host\/p\.png\)\.csv"


def test_file_name_is_shown_as_text_in_the_success_box(app_test):
    at = _open(app_test, "edg")
    at.file_uploader[0].upload(EVIL, csv_bytes(["2014;Strom;5;kWh;;"]), "text/csv").run()
    assert not at.exception
    assert at.success[0].value == (
        f"**{EVIL_SHOWN}**: 1 Zeile geprüft, keine Fehler (UTF-8, Trennzeichen „\\;“)."
    )


def test_file_name_and_header_cell_are_shown_as_text_in_error_boxes(app_test):
    at = _open(app_test, "edg")
    bad = csv_bytes(["2014;Gass;5;kWh;;"])
    at.file_uploader[0].upload(EVIL, bad, "text/csv").run()
    assert at.error[0].value.startswith(f"**{EVIL_SHOWN}** enthält 1 Fehler.")
    # the messages name the file without folders ("/" in a name): a code block shows it as is
    assert at.code[0].value.startswith("p.png).csv, Zeile 2, Spalte „Energieträger“")
    at = _open(app_test, "edg")
    empty_first = b"\r\n;;;\r\nJahr;Menge\r\n"
    at.file_uploader[0].upload("**fett** :red[rot] $x$.csv", empty_first, "text/csv").run()
    assert at.error[0].value == (
        r"\*\*fett\*\* \:red\[rot\] \$x\$\.csv\, Zeile 1\, Spalte 1\: Die erste Zeile ist leer\. "
        r"Die Kopfzeile \(Jahr\;Energieträger\;Menge\;Einheit\) muss in Zeile 1 stehen\."
    )


def test_store_check_lines_show_file_names_as_text(app_test, seeded_db):
    from kek_data.ingest import import_file
    from kek_data.ingest.store import files_dir

    evil = "![x](p.png).csv"  # no "/": kept as the file's name (a relative address)
    con = db.connect(seeded_db)
    import_file(con, seeded_db, csv_bytes(["2014;Strom;5;kWh;;"]), evil, "edg", DEMO_NM)
    con.close()
    for raw in files_dir(seeded_db).glob("??/*"):
        raw.unlink()
    at = _open(app_test, "edg")
    lines = [e.value for e in at.error if e.value.startswith("Dateiablage: ")]
    assert lines and all(evil not in line for line in lines)
    assert any(r"\(\!\[x\]\(p\.png\)\.csv\)\: Die Originaldatei fehlt" in ln for ln in lines)


def test_second_rollback_of_the_same_submission_is_a_german_message(app_test, seeded_db):
    """Two sessions take back the same submission: the second learns why, in German."""
    from kek_data.ingest import import_file
    from ui import upload

    con = db.connect(seeded_db)
    done = import_file(
        con, seeded_db, csv_bytes(["2014;Strom;5;kWh;;"]), "a.csv", "edg", NETWORK_MANAGER
    )
    con.close()
    sid = done.submission_id
    assert upload.rollback(sid, NETWORK_MANAGER) == (
        True,
        f"Meldung Nr. {sid} wurde zurückgenommen.",
    )
    assert upload.rollback(sid, NETWORK_MANAGER) == (
        False,
        f"Meldung Nr. {sid} (a.csv) ist bereits zurückgenommen.",
    )
    assert upload.rollback(99_999, NETWORK_MANAGER) == (False, "Meldung Nr. 99999 gibt es nicht.")
    at = _open(app_test, "edg")  # the page shows the state of the first rollback
    assert not at.exception
    history = at.dataframe[-1].value
    assert history["Status"].iloc[0] == "⏪ zurückgenommen" and history["Nr."].iloc[0] == sid


# --- roles: a member uploads for itself only; the city and the public write nothing ----------


def test_a_member_sees_no_selector_and_only_its_own_history(app_test, seeded_db, monkeypatch):
    from kek_data.ingest import history

    monkeypatch.setenv("KEK_DEMO_ROLE", "mitglied:dsw21")
    at = app_test()
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not [s for s in at.selectbox if s.key == "upload_member"]
    assert any(h.value == "Bisherige Meldungen von DSW21" for h in at.header)
    con = db.connect(seeded_db)
    own = history(con, NETWORK_MANAGER, "dsw21")
    con.close()
    assert sorted(at.dataframe[-1].value["Nr."]) == sorted(own["submission_id"])
    at.file_uploader[0].upload("dsw21_2014.csv", csv_bytes(["2014;Strom;5;kWh;;"])).run()
    at.button(key="upload_import").click().run()
    assert not at.exception and any("übernommen: 1 Zeile" in s.value for s in at.success)
    con = db.connect(seeded_db)
    rows = con.execute(
        "SELECT member_id, submitted_by FROM submissions WHERE file_name = 'dsw21_2014.csv'"
    ).fetchall()
    con.close()
    assert rows == [("dsw21", "demo:mitglied:dsw21")]  # the real (demo) user, own member


def test_forged_member_in_the_upload_helpers_is_refused(app_test, seeded_db):
    """Widget values come from the client: the helpers pass the viewer, kek_data refuses."""
    from kek_data.ingest import import_file
    from kek_data.viewer import parse
    from ui import upload

    con = db.connect(seeded_db)
    done = import_file(con, seeded_db, csv_bytes(["2014;Strom;5;kWh;;"]), "a.csv", "edg",
                       NETWORK_MANAGER)  # fmt: skip
    con.close()
    dsw21 = parse("mitglied:dsw21", user="demo:mitglied:dsw21")
    ok, message = upload.rollback(int(done.submission_id or 0), dsw21)
    assert not ok and "gehört nicht zu Ihrer Organisation" in message
    assert upload.store_problems(dsw21) == []  # the lines would name every member's files
    loader = upload.original(int(done.submission_id or 0), done_sha(seeded_db, done), dsw21)
    assert loader is not None
    with pytest.raises(AccessDenied):
        loader()
    with pytest.raises(AccessDenied):
        upload.history("edg", dsw21)


def done_sha(path, done) -> str:
    con = db.connect(path)
    try:
        return con.execute(
            "SELECT sha256 FROM submissions WHERE submission_id = ?", [done.submission_id]
        ).fetchall()[0][0]
    finally:
        con.close()


def test_city_reaching_the_page_is_told_so_and_gets_no_upload(app_test, monkeypatch):
    at = _open(app_test, "edg")
    at.session_state["kek_demo_role"] = "stadt"  # e.g. the role changed in another tab
    at.run()
    assert not at.exception and not at.file_uploader  # navigation: no upload page for the city
    assert [t.value for t in at.title] == ["Überblick"]
    # and if the page is reached anyway (the page's own guard), it says so and offers nothing
    import ui.data
    from kek_data.viewer import CITY, PUBLIC

    at = _open(app_test, "edg")
    for viewer, label in ((CITY, "Stadt"), (PUBLIC, "Öffentlich")):
        monkeypatch.setattr(ui.data, "current_viewer", lambda v=viewer: v)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert [t.value for t in at.title] == ["Daten hochladen"]
        assert any(f"Als {label} können Sie hier keine Daten" in w.value for w in at.warning)
        assert not at.file_uploader and not at.dataframe and not at.get("download_button")
