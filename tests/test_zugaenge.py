"""The page "Zugänge & Freigaben" (pages/zugaenge.py) through app.py, per demo role.

Network management changes a member's consent and a login's role (both recorded with the real
user and the time); the city reads both; a wrong entry gives a German error and writes nothing.
"""

from __future__ import annotations

import re

import pytest

from kek_data import access, accounts, db, report
from kek_data.viewer import CITY, NETWORK_MANAGER, PUBLIC

PAGE = "pages/zugaenge.py"


def _open(app_test, monkeypatch, role: str):
    monkeypatch.setenv("KEK_DEMO_ROLE", role)
    at = app_test()
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(markdown: str) -> str:
    """Text as the reader sees it (Markdown backslash escapes removed)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def _db(seeded_db):
    return db.connect(seeded_db)


def test_network_management_sets_consent(app_test, monkeypatch, seeded_db):
    at = _open(app_test, monkeypatch, "netzwerk")
    assert at.title[0].value == "Zugänge & Freigaben"
    table = at.dataframe[0].value
    assert len(table) == 10 and set(table["Freigabe"]) == set(access.LEVELS.values())
    caritas = table[table["Mitglied"] == "Caritas"].iloc[0]
    assert caritas["Freigabe"] == "intern" and caritas["gesetzt von"]
    at.selectbox(key="kek-c-member").set_value("caritas")
    at.selectbox(key="kek-c-level").set_value("namentlich")
    at.text_input(key="kek-c-note").input("Schreiben vom 1. Dezember")
    at.button(key="kek-c-save").click().run()
    assert not at.exception and not at.main.error
    assert "Freigabe von Caritas: „namentlich“ gespeichert." in [s.value for s in at.success]
    table = at.dataframe[0].value
    row = table[table["Mitglied"] == "Caritas"].iloc[0]
    assert (row["Freigabe"], row["gesetzt von"]) == ("namentlich", "demo:netzwerk")
    con = _db(seeded_db)
    try:
        c = access.consents(con)["caritas"]
        assert (c.level, c.set_by, c.note) == ("namentlich", "demo:netzwerk",
                                               "Schreiben vom 1. Dezember")  # fmt: skip
        assert "caritas" in report.build(con, PUBLIC).member  # now named for the public
        history = access.consent_history(con, NETWORK_MANAGER)
        assert list(history[history["member_id"] == "caritas"]["level"]) == ["namentlich", "intern"]
    finally:
        con.close()


def test_network_management_assigns_logins(app_test, monkeypatch, seeded_db):
    at = _open(app_test, monkeypatch, "netzwerk")
    at.text_input(key="kek-l-key").input("Anna.Beispiel@Example.org")
    at.selectbox(key="kek-l-role").set_value("mitglied:dsw21")
    at.button(key="kek-l-save").click().run()
    assert not at.exception and not at.main.error
    # user text is escaped (ui.text.plain): compare without the backslashes
    assert [shown(s.value) for s in at.success] == [
        "Zugang email:anna.beispiel@example.org: Mitglied: DSW21 gespeichert."
    ]
    logins = at.dataframe[-1].value
    assert list(logins["Anmeldung"]) == ["email:anna.beispiel@example.org"]
    assert list(logins["Rolle"]) == ["Mitglied: DSW21"]
    assert list(logins["gesetzt von"]) == ["demo:netzwerk"]
    # a key that is neither an e-mail nor sub:…: German error, nothing written
    at.text_input(key="kek-l-key").input("anna")
    at.selectbox(key="kek-l-role").set_value("stadt")
    at.button(key="kek-l-save").click().run()
    assert not at.exception
    assert [shown(e.value) for e in at.main.error] == [
        "Der Zugang wurde nicht gespeichert: Unbekannter Zugang „anna“: bitte eine "
        "E-Mail-Adresse, email:ADRESSE oder sub:KENNUNG angeben."
    ]
    con = _db(seeded_db)
    try:
        assert list(accounts.logins(con, CITY)["user_key"]) == ["email:anna.beispiel@example.org"]
    finally:
        con.close()


def test_city_reads_only(app_test, monkeypatch, seeded_db):
    con = _db(seeded_db)
    accounts.assign(con, NETWORK_MANAGER, "sub:abc123", "stadt")
    con.close()
    at = _open(app_test, monkeypatch, "stadt")
    assert "Nur lesen" in at.info[0].value
    assert not at.button and not at.text_input  # no forms
    assert len(at.dataframe[0].value) == 10
    assert list(at.dataframe[-1].value["Anmeldung"]) == ["sub:abc123"]


@pytest.mark.parametrize("role", ["mitglied:dsw21", "oeffentlich"])
def test_other_roles_do_not_reach_the_page(app_test, monkeypatch, role):
    monkeypatch.setenv("KEK_DEMO_ROLE", role)
    at = app_test()
    at.run()
    assert not at.exception
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGE)  # not in the navigation of this role (app.py)
