"""AppTest of the frozen reports: the Datenstand choice, the banner, the frozen figure on
Überblick, the read-only write pages and the page Berichtsstände."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from kek_data import db, frozen_reports, report
from kek_data.numbers import format_number
from kek_data.viewer import NETWORK_MANAGER
from tests.test_app import _run, _text

MANAGER = replace(NETWORK_MANAGER, user="cli:test")


def _freeze_and_correct(seeded_db, year: int = 2024) -> tuple[frozen_reports.Freeze, float]:
    """Freeze ``year``, then change a factor in the live data; return the freeze and the
    frozen network total of ``year`` [t CO₂e]."""
    con = db.connect(seeded_db)
    try:
        done = frozen_reports.freeze(con, MANAGER, year, "Jahresbericht")
        before = report.build(con, NETWORK_MANAGER, year).network.series[year]
        con.execute("UPDATE emission_factors SET g_co2e_per_kwh = g_co2e_per_kwh * 1.5")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return done, before


def _choose(at, done):
    box = next(s for s in at.sidebar.selectbox if s.label == "Datenstand")
    box.set_value(str(done.freeze_id)).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_choosing_a_berichtsstand_shows_banner_and_frozen_figure(app_test, seeded_db):
    done, before = _freeze_and_correct(seeded_db)
    at = _run(app_test)
    live = _text(at)
    assert "Live-Daten (Stand" in live
    _choose(at, done)
    text = _text(at)
    assert "eingefroren am" in text and "Berichtsstand 2024" in text
    assert any("eingefrorener Berichtsstand" in str(w.value) for w in at.warning)
    assert format_number(before, 0) in text  # the frozen network total of 2024 on Überblick
    con = db.connect(seeded_db)
    try:
        corrected = report.build(con, NETWORK_MANAGER, 2024).network.series[2024]
    finally:
        con.close()
    assert format_number(corrected, 0) not in text  # not the corrected live figure


def test_upload_page_on_a_frozen_stand_refuses(app_test, seeded_db):
    done, _ = _freeze_and_correct(seeded_db)
    at = _run(app_test)
    _choose(at, done)
    at.switch_page("pages/hochladen.py").run()
    assert not at.exception
    assert frozen_reports.READ_ONLY in _text(at)
    assert not at.get("file_uploader")


def test_unknown_stand_in_the_address_falls_back_to_live(app_test, seeded_db):
    _freeze_and_correct(seeded_db)
    at = app_test()
    at.query_params["stand"] = "Berichtsstand 1999"
    at.run()
    assert not at.exception
    text = _text(at)
    assert "gibt es nicht" in text and "Live-Daten (Stand" in text


def test_tampered_berichtsstand_is_refused_with_a_message(app_test, seeded_db):
    done, _ = _freeze_and_correct(seeded_db)
    path = frozen_reports.folder(seeded_db) / done.file_name
    with path.open("r+b") as fh:
        fh.seek(5000)
        fh.write(b"x")
    at = _run(app_test)
    _choose(at, done)
    text = _text(at)
    assert "Prüfsumme stimmt nicht" in text and "Live-Daten (Stand" in text


def test_page_berichtsstaende_freezes_and_lists_changes(app_test, seeded_db):
    at = _run(app_test, "pages/berichtsstaende.py")
    assert "Noch kein Berichtsstand" in _text(at)
    at.checkbox[0].check()
    at.text_input[0].input("Jahresbericht")
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    text = _text(at)
    assert "angelegt" in text and "Keine Änderungen seit diesem Berichtsstand" in text
    files = list(frozen_reports.folder(seeded_db).glob("*.duckdb"))
    assert len(files) == 1


def test_member_on_a_frozen_stand_sees_its_own_changes_only(app_test, seeded_db):
    done, _ = _freeze_and_correct(seeded_db)
    at = _run(app_test)
    next(s for s in at.sidebar.selectbox if s.label == "Demo-Rolle").set_value(
        "mitglied:dsw21"
    ).run()
    _choose(at, done)
    assert "Berichtsstand 2024" in _text(at)
    at.switch_page("pages/berichtsstaende.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not any(b.label == "Einfrieren" for b in at.button)  # only network management
    shown = at.dataframe[-1].value
    assert set(shown["Mitglied"]) <= {"DSW21", "Netzwerk (Summe)", "alle"}
    assert "DSW21" in set(shown["Mitglied"])


def test_every_page_that_enters_data_is_read_only_on_a_frozen_stand(app_test, seeded_db):
    from ui.frame import WRITE_PAGES

    done, _ = _freeze_and_correct(seeded_db)
    at = _run(app_test)
    _choose(at, done)
    root = Path(__file__).resolve().parent.parent
    for name in sorted(WRITE_PAGES):
        if not (root / "pages" / f"{name}.py").exists():
            continue  # built in parts (issue 12)
        at.switch_page(f"pages/{name}.py").run()
        assert not at.exception, (name, [e.value for e in at.exception])
        assert frozen_reports.READ_ONLY in _text(at), name
        assert not at.get("form"), name
