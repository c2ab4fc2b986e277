"""Page Netzwerkarbeit (AppTest through app.py): network management and a member."""

from __future__ import annotations

from datetime import date, datetime

from kek_data import db, network
from kek_data.viewer import NETWORK_MANAGER
from tests.test_app import _run, _text

PAGE = "pages/netzwerkarbeit.py"


def _open(app_test, monkeypatch, role: str):
    monkeypatch.setenv("KEK_DEMO_ROLE", role)
    return _run(app_test, PAGE)


def _form_button(at, key: str):
    return next(b for b in at.button if b.key == key)


def test_manager_sees_calendar_actions_groups_and_forms(app_test, monkeypatch, seeded_db):
    at = _open(app_test, monkeypatch, "netzwerk")
    text = _text(at)
    parts = ("Offene Aufgaben", "Kalender", "Kommende Treffen", "Vergangene Treffen",
             "Arbeitsgruppen", "Neues Treffen oder neue Veranstaltung",
             "Neue Arbeitsgruppe")  # fmt: skip
    for part in parts:
        assert part in text, part
    days = [datetime.strptime(e.label[:12].replace("\\", ""), "%d.%m.%Y").date()
            for e in at.expander]  # fmt: skip
    ahead = [d for d in days if d >= date.today()]
    assert days == sorted(ahead) + sorted(set(days) - set(ahead), reverse=True)  # next first
    assert len(days) == 14
    tables = [e.value for e in at.dataframe]
    actions = tables[0]
    assert {"Aufgabe", "Verantwortlich", "offen", "fällig", "Maßnahme"} <= set(actions.columns)
    assert actions["offen"].str.startswith("seit ").all()
    assert actions["fällig"].str.endswith("überfällig").any()
    assert any("AG Mobilität & Fuhrpark" in set(t.get("Arbeitsgruppe", [])) for t in tables)
    assert not at.main.error


def test_manager_records_a_meeting_and_a_status(app_test, monkeypatch, seeded_db):
    at = _open(app_test, monkeypatch, "netzwerk")
    at.text_input(key="kek-n-m-title").input("Netzwerktreffen <b>:red[laut]</b>")
    at.multiselect(key="kek-n-m-people").select("dsw21").select("edg")
    at.text_area(key="kek-n-m-agenda").input("Begrüßung\nOffene Aufgaben")
    _form_button(at, "kek-n-m-save").click().run()
    assert not at.exception and not at.main.error, [e.value for e in at.main.error]
    assert any("gespeichert" in s.value for s in at.success)
    assert any("\\:red\\[laut\\]" in s.value for s in at.success)  # user text escaped
    # a status: the first open action in the form's list is marked done
    at.text_input(key="kek-n-s-comment").input("Im Treffen besprochen")
    at.selectbox(key="kek-n-s-status").select("erledigt")
    _form_button(at, "kek-n-s-save").click().run()
    assert not at.main.error, [e.value for e in at.main.error]
    con = db.connect(seeded_db)
    try:
        titles = [m.title for m in network.meetings(con, NETWORK_MANAGER)]
        assert "Netzwerktreffen <b>:red[laut]</b>" in titles
        (demo,) = con.execute("SELECT bool_and(is_demo) FROM meetings").fetchone()
        assert demo  # written in the Demo-Modus: demo data
        log = con.execute("SELECT comment, entered_by FROM action_status_log "
                          "ORDER BY entry_id DESC LIMIT 1").fetchone()  # fmt: skip
        assert log == ("Im Treffen besprochen", "demo:netzwerk")
    finally:
        con.close()


def test_empty_title_is_refused_naming_the_field(app_test, monkeypatch):
    at = _open(app_test, monkeypatch, "netzwerk")
    _form_button(at, "kek-n-m-save").click().run()
    assert any("Titel\\: bitte angeben" in e.value for e in at.main.error)  # escaped


def test_member_reads_and_marks_only_its_own_action_done(app_test, monkeypatch, seeded_db):
    at = _open(app_test, monkeypatch, "mitglied:dsw21")
    text = _text(at)
    assert "Kalender" in text and "Arbeitsgruppen" in text
    assert "Neues Treffen oder neue Veranstaltung" not in text  # no manager forms
    assert "Eigene Aufgabe als erledigt melden" in text
    assert at.selectbox(key="kek-n-s-status").options == ["erledigt"]
    assert all("DSW21" in o for o in at.selectbox(key="kek-n-s-action").options)
    at.toggle(key="kek-n-own").set_value(True).run()
    assert set(at.dataframe[0].value["Verantwortlich"]) == {"DSW21 (K. Hoffmann)"}
    at.text_input(key="kek-n-s-comment").input("Markterkundung versandt")
    _form_button(at, "kek-n-s-save").click().run()
    assert not at.main.error, [e.value for e in at.main.error]
    con = db.connect(seeded_db)
    try:
        done = [a for a in network.actions(con, NETWORK_MANAGER, date.today())
                if a.owner_member_id == "dsw21" and a.status == "erledigt"]  # fmt: skip
        assert [a.comment for a in done] == ["Markterkundung versandt"]
    finally:
        con.close()


def test_city_reads_without_forms(app_test, monkeypatch):
    at = _open(app_test, monkeypatch, "stadt")
    text = _text(at)
    assert "Offene Aufgaben" in text and "Arbeitsgruppen" in text
    assert not [b for b in at.button if str(b.key).startswith("kek-n-")]  # writes nothing


def test_action_editor_rows_become_actions():
    import pandas as pd

    from ui import network_view as view

    df = pd.DataFrame(
        [["Angebot einholen", "DSW21", "", pd.Timestamp("2027-01-31"), "PV (DSW21)"],
         [None, None, None, None, None],
         ["Bericht", None, "L. Brandt", "2027-02-15", None]],
        columns=view.EDITOR_COLUMNS,
    )  # fmt: skip
    got = view.editor_actions(df, {"dsw21": "DSW21"}, {"PV (DSW21)": 7})
    assert [(a.text, a.owner_member_id, a.owner_person, a.measure_id) for a in got] == [
        ("Angebot einholen", "dsw21", "", 7),
        ("Bericht", None, "L. Brandt", None),
    ]
    assert got[0].due_on == date(2027, 1, 31) and got[1].due_on == "2027-02-15"
