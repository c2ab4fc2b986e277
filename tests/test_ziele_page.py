"""The page "Ziele" (pages/ziele.py) through app.py in the Demo-Modus, per role.

Network management edits the network's target through the form (the milestone table is seeded
with its edit state, as AppTest cannot type into st.data_editor) and sees the new figure on
Überblick; a milestone of 120 % gives the German message at the field and writes nothing; the
city and a member read only.
"""

from __future__ import annotations

import pytest

from kek_data import db, report, target_history
from kek_data.viewer import NETWORK_MANAGER
from tests.targets_util import counts
from tests.test_zugaenge import shown

PAGE = "pages/ziele.py"
FORM = "kek-z-ziel-netzwerk"  # the form of the network's own target


def ran(at, page: str | None = None):
    """``at`` after a run (switched to ``page``), checked for exceptions."""
    (at.switch_page(page) if page else at).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _open(app_test, monkeypatch, role: str):
    monkeypatch.setenv("KEK_DEMO_ROLE", role)
    return ran(ran(app_test()), PAGE)


def gap_on_ueberblick(at) -> str:
    ran(at, "pages/ueberblick.py")
    (metric,) = [m for m in at.metric if m.label.startswith("Über dem Pfad")]
    return metric.value


def edit_milestone(at, pct: float) -> None:
    """Set the first milestone row (2030) of the network's form to ``pct`` and submit."""
    at.session_state[f"{FORM}-milestones"] = {
        "edited_rows": {0: {"Minderung [%]": pct}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key=f"{FORM}-save").click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_network_management_edits_the_network_target(app_test, monkeypatch, seeded_db):
    at = _open(app_test, monkeypatch, "netzwerk")
    assert at.title[0].value == "Ziele"
    text = [shown(m.value) for m in at.markdown]
    assert text[0] == "**−55 % bis 2030, neutral 2035 (Basis 2015)** · Netzwerkpfad"
    assert "Basiswert aus Daten 2015:" in text[1]
    assert "unbestätigte Annahme" in [w.value for w in at.main.warning]
    before = gap_on_ueberblick(at)
    at.switch_page(PAGE).run()
    at.text_area(key=f"{FORM}-source").input("Beschluss der Mitgliederversammlung 2026")
    edit_milestone(at, 70.0)
    assert not at.main.error
    assert [s.value for s in at.success] == [
        "Netzwerk: neue Version gespeichert (gültig ab heute)."
    ]
    assert "−70 % bis 2030, neutral 2035 (Basis 2015)" in shown(at.markdown[0].value)
    history = at.dataframe[0].value
    assert list(history["Änderungen"]) == [
        "Meilenstein 2030: −55 % → −70 % · Quelle: „Beschluss der Mitgliederversammlung 2026“"
        " · Annahme bestätigt",
        "neu",
    ]
    assert history["von"][0] == "demo:netzwerk"
    after = gap_on_ueberblick(at)
    con = db.connect(seeded_db)
    try:
        rep = report.build(con, NETWORK_MANAGER)
        (old, new) = target_history.versions(con, NETWORK_MANAGER, "netzwerk")[:2][::-1]
    finally:
        con.close()
    assert rep.network_target.milestones == {2030: 70.0}
    # a stricter 2030 milestone lowers the path in the reporting year: the gap grows
    assert after != before
    assert after == f"{rep.network.gap_latest:,.0f}".replace(",", ".")
    assert (old.in_force, new.in_force) == (False, True)


def test_a_bad_milestone_shows_the_message_and_saves_nothing(app_test, monkeypatch, seeded_db):
    at = _open(app_test, monkeypatch, "netzwerk")
    before = counts(seeded_db)
    edit_milestone(at, 120.0)
    assert [shown(e.value) for e in at.main.error] == [
        "Meilensteine: Minderung 120 % im Jahr 2030: höchstens 100 % möglich."
    ]
    assert not at.success
    assert counts(seeded_db) == before
    assert "−55 % bis 2030" in shown(at.markdown[0].value)


def test_confirm_the_assumption(app_test, monkeypatch, seeded_db):
    at = _open(app_test, monkeypatch, "netzwerk")
    at.button(key="kek-z-ziel-confirm").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == [
        "Netzwerk: Annahme bestätigt (neue Version, gültig ab heute)."
    ]
    assert "unbestätigte Annahme" not in [w.value for w in at.main.warning]
    assert at.dataframe[0].value["Änderungen"][0] == "Annahme bestätigt"


@pytest.mark.parametrize("role", ["stadt", "mitglied:dsw21"])
def test_other_roles_read_only(app_test, monkeypatch, role):
    at = _open(app_test, monkeypatch, role)
    assert "Nur lesen" in at.info[0].value
    assert not at.button and not at.text_input and not at.data_editor
    options = at.selectbox(key="kek-z-owner").options
    if role == "stadt":
        assert len(options) == 11 and options[0] == "Netzwerk"
    else:
        assert options == ["DSW21", "Netzwerk"]
        assert "(Basis" in shown(at.markdown[0].value)  # its own target
