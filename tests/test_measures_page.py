"""The page "Maßnahmen" (pages/massnahmen.py) through app.py in the Demo-Modus, per role.

Network management adds a measure through the form (it is stored for the chosen member, as demo
data, with the demo user); a member sees its own measures and the public ones of named members,
never another member's intern measure, and updates its own with a comment (a new version in the
log); the city reads only.
"""

from __future__ import annotations

from kek_data import db, measures
from kek_data.viewer import NETWORK_MANAGER

PAGE = "pages/massnahmen.py"


def ran(at, page: str | None = None):
    (at.switch_page(page) if page else at).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _open(app_test, monkeypatch, role: str):
    monkeypatch.setenv("KEK_DEMO_ROLE", role)
    return ran(ran(app_test()), PAGE)


def _table(at):
    return at.dataframe[0].value


def _button(at, key: str):
    return next(b for b in at.button if b.key == key)


def test_network_adds_a_measure_through_the_form(app_test, monkeypatch, seeded_db):
    at = _open(app_test, monkeypatch, "netzwerk")
    assert len(_table(at)) >= 30 and "Maßnahmen" in at.header[0].value
    at.selectbox(key="new_member").set_value("hafen")
    at.text_input(key="new_title").input("Kranbahnen elektrisch")
    at.selectbox(key="new_field").set_value("Prozesse")
    at.selectbox(key="new_status").set_value("beschlossen")
    at.number_input(key="new_start").set_value(2026)
    at.number_input(key="new_end").set_value(2028)
    at.number_input(key="new_t").set_value(75.5)
    _button(at, "new_go").click()
    ran(at)
    assert any("gespeichert" in s.value for s in at.success), [e.value for e in at.error]
    table = _table(at)
    row = table[table["Titel"] == "Kranbahnen elektrisch"].iloc[0]
    assert row["Mitglied"] == "Hafen AG" and row["Einsparung [t CO₂e/a]"] == "75,5"
    with db.connect(seeded_db) as con:
        df = measures.current(con, NETWORK_MANAGER, "hafen")
    new = df[df["title"] == "Kranbahnen elektrisch"].iloc[0]
    assert new["entered_by"].startswith("demo:") and bool(new["is_demo"])


def test_form_error_names_the_field_and_writes_nothing(app_test, monkeypatch, seeded_db):
    at = _open(app_test, monkeypatch, "netzwerk")
    at.number_input(key="new_start").set_value(2030)
    at.number_input(key="new_end").set_value(2027)
    _button(at, "new_go").click()
    ran(at)
    text = "\n".join(e.value for e in at.error).replace("\\", "")  # shown escaped
    assert "Titel: Bitte einen Titel angeben" in text and "Ende: Das Ende (2027)" in text
    with db.connect(seeded_db) as con:
        assert len(db.query_rows(con, "all_measure_versions")) == 49  # the demo's versions only


def test_member_sees_own_and_public_only_and_updates(app_test, monkeypatch, seeded_db):
    at = _open(app_test, monkeypatch, "mitglied:dsw21")
    table = _table(at)
    assert set(table["Mitglied"]) == {"DSW21", "DEW21", "EDG", "FH Dortmund", "Stadt Dortmund"}
    others = table[table["Mitglied"] != "DSW21"]
    assert set(others["Sichtbarkeit"]) == {"öffentlich"}
    assert "Methanleckagen im Gasnetz orten" not in set(table["Titel"])  # DEW21, intern
    assert all(b.key != "new_member" for b in at.selectbox)  # a member writes for itself only
    pick = at.selectbox(key="edit_pick")
    assert all(o.startswith("Nr. ") and "DSW21" in o for o in pick.options)
    (mid,) = [int(o.split()[1]) for o in pick.options if "Ladeinfrastruktur" in o]
    pick.set_value(mid)
    ran(at)
    at.selectbox(key=f"edit{mid}_status").set_value("in Umsetzung")
    at.number_input(key=f"edit{mid}_pct").set_value(20.0)
    at.text_input(key=f"edit{mid}_comment").input("Ausschreibung vergeben")
    _button(at, "edit_go").click()
    ran(at)
    assert any("Version 2 gespeichert" in s.value for s in at.success), [e.value for e in at.error]
    at.selectbox(key="measure_log").set_value(mid)
    ran(at)
    log = [m.value.replace("\\", "") for m in at.markdown if "→" in m.value]
    assert any("Status: beschlossen → in Umsetzung; Umsetzung: 0 % → 20 %" in v for v in log)


def test_city_reads_only(app_test, monkeypatch):
    at = _open(app_test, monkeypatch, "stadt")
    assert len(_table(at)) >= 30
    assert any("Die Rolle Stadt liest alle Maßnahmen" in i.value for i in at.info)
    assert all(b.key not in ("new_go", "edit_go", "measure_import_go") for b in at.button)
