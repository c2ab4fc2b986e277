"""Page Berichtsrunde (AppTest through app.py): network management, a member, the city; and a
Chromium screenshot of the page (tests/browser.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kek_data import db, rounds
from kek_data.viewer import NETWORK_MANAGER, Viewer
from tests.test_app import _run, _text
from tests.test_network_page import _form_button as _button

PAGE = "pages/berichtsrunde.py"


def _open(app_test, monkeypatch, role: str):
    monkeypatch.setenv("KEK_DEMO_ROLE", role)
    return _run(app_test, PAGE)


def test_manager_sees_the_round_at_a_glance(app_test, monkeypatch):
    at = _open(app_test, monkeypatch, "netzwerk")
    text = _text(at)
    assert not at.main.error, [e.value for e in at.main.error]
    assert at.selectbox(key="kek-r-year").value == 2025  # the round being finished
    assert "Freigegeben 6 von 10" in text and "Überfällig 2" in text
    table = at.dataframe[0].value
    assert len(table) == 10
    row = table.set_index("Mitglied")
    assert row.loc["Caritas", "Status"].startswith("angefragt")
    assert row.loc["Caritas", "überfällig"].startswith("seit ")
    assert row.loc["Ev. Kirchenkreis", "Begründung"] == "fehlt (Rückstand)"
    assert (row["offene Fragen"] > 0).sum() == 1
    assert "gegeben" in set(row["Begründung"])
    for part in ("Berichtsrunde 2025 eröffnen oder ändern", "Status setzen",
                 "Frage an ein Mitglied", "Sprung-Schwelle 15 %"):  # fmt: skip
        assert part in text, part


def test_manager_sets_a_status_and_asks_a_question(app_test, monkeypatch, seeded_db):
    at = _open(app_test, monkeypatch, "netzwerk")
    at.selectbox(key="kek-r-s-member").select("edg")
    at.selectbox(key="kek-r-s-status").select("freigegeben")
    _button(at, "kek-r-s-save").click().run()
    assert not at.main.error, [e.value for e in at.main.error]
    assert any("EDG 2025: freigegeben" in s.value.replace("\\", "") for s in at.success)
    assert "Freigegeben 7 von 10" in _text(at)  # rerun after saving: the table is current
    at.selectbox(key="kek-r-q-member").select("dsw21")
    at.text_area(key="kek-r-q-text").input("Diesel **2025**?")
    _button(at, "kek-r-q-save").click().run()
    assert not at.main.error
    # a refusal is shown in German, nothing written: geprüft → freigegeben skipped from angefragt
    at.selectbox(key="kek-r-s-member").select("caritas")
    at.selectbox(key="kek-r-s-status").select("geprüft")
    _button(at, "kek-r-s-save").click().run()
    assert any("geht es nur weiter zu „eingereicht“" in e.value.replace("\\", "")
               for e in at.main.error)  # fmt: skip


def test_member_sees_only_its_row_and_gives_a_reason(app_test, monkeypatch, seeded_db):
    at = _open(app_test, monkeypatch, "mitglied:ekkdo")
    text = _text(at)
    assert not at.main.error, [e.value for e in at.main.error]
    table = at.dataframe[0].value
    assert list(table["Mitglied"]) == ["Ev. Kirchenkreis"]
    assert "Ihre Meldung" in text and "Status setzen" not in text
    assert "Heizöl 2025 um 11 %" in text.replace("\\", "")  # the open question is shown
    at.text_area(key="kek-r-a-text").input("Tankstand ist berücksichtigt.")
    _button(at, "kek-r-a-save").click().run()
    at.text_area(key="kek-r-r-text").input("Sanierung des Gemeindehauses verschoben.")
    _button(at, "kek-r-r-save").click().run()
    assert not at.main.error, [e.value for e in at.main.error]
    con = db.connect(seeded_db)
    try:
        row = rounds.overview(con, NETWORK_MANAGER, 2025).row("ekkdo")
    finally:
        con.close()
    assert not row.open_questions and row.reason is not None
    assert row.reason.entered_by.startswith("demo:")


def test_city_reads_without_forms(app_test, monkeypatch):
    at = _open(app_test, monkeypatch, "stadt")
    text = _text(at)
    assert len(at.dataframe[0].value) == 10
    assert "Status setzen" not in text and "Eintragen" not in text


@pytest.mark.browser
def test_screenshot_of_the_round(seeded_db, tmp_path):
    from tests.browser import CHROMIUM, CHROMIUM_ARGS, ROOT, streamlit_server, wait_until_idle

    pytest.importorskip("playwright")
    from playwright.sync_api import sync_playwright

    shots = Path(os.environ.get("KEK_SHOTS", ROOT / "tests" / "artifacts" / "screenshots"))
    shots.mkdir(parents=True, exist_ok=True)
    with streamlit_server(seeded_db) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 1800})
        page.goto(f"{url}/berichtsrunde")
        wait_until_idle(page, 60_000)
        page.get_by_text("Die Runde auf einen Blick").wait_for(timeout=60_000)
        page.screenshot(path=str(shots / "berichtsrunde.png"), full_page=True)
        assert page.get_by_text("Freigegeben").count() >= 1
        browser.close()


def test_member_confirms_a_jump(app_test, monkeypatch, seeded_db):
    con = db.connect(seeded_db)
    try:  # a stricter threshold: DEW21's Erdgas 19,68 → 17,21 GWh (−12,5 %) is flagged
        demo = Viewer(role="netzwerk", user="demo:netzwerk")  # the Demo-Modus shows demo data only
        rounds.open_round(con, demo, 2025, "2026-05-31", 10.0)
    finally:
        con.close()
    at = _open(app_test, monkeypatch, "mitglied:dew21")
    assert at.dataframe[0].value["offene Sprünge"].iloc[0] == 1
    assert at.selectbox(key="kek-r-j-jump").value.subject == "erdgas"
    _button(at, "kek-r-j-save").click().run()  # no comment: refused, German, naming the field
    assert any("Kommentar: bitte angeben" in e.value.replace("\\", "") for e in at.main.error)
    at.text_input(key="kek-r-j-comment").input("Heizungstausch im Verwaltungsgebäude.")
    _button(at, "kek-r-j-save").click().run()
    assert not at.main.error, [e.value for e in at.main.error]
    assert at.dataframe[0].value["offene Sprünge"].iloc[0] == 0
