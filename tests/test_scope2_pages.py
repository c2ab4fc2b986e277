"""Every page renders on the market basis (sidebar choice), says its basis, and shows no target."""

from __future__ import annotations

import pytest

from kek_data import scope2
from tests.test_app import PAGES, ROLE_PAGES, _run, _text


@pytest.mark.parametrize("role", ["netzwerk", "mitglied:sparkasse"])
def test_every_page_on_market_basis(app_test, monkeypatch, role):
    monkeypatch.setenv("KEK_DEMO_ROLE", role)
    at = _run(app_test)
    radio = next(r for r in at.sidebar.radio if r.label == "Bilanzbasis")
    assert radio.value == "standortbezogen"  # the default is BISKO
    radio.set_value("marktbasiert").run()
    for page in ROLE_PAGES[role]:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert not at.main.error, (page, [e.value for e in at.main.error])
        text = _text(at)
        assert scope2.label(scope2.MARKT) in text, page
        assert scope2.NO_TARGETS in text, page
    for page in ("pages/ziele.py", "pages/zielabgleich.py"):  # always on the targets' basis
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        text = _text(at)
        assert scope2.label(scope2.STANDORT) in text and scope2.TARGETS_PAGE in text, page


@pytest.mark.parametrize("page", PAGES)
def test_every_page_says_location_basis_by_default(app_test, page):
    at = _run(app_test, page)
    assert scope2.label(scope2.STANDORT) in _text(at)


def test_charts_are_cached_per_basis(app_test, seeded_db, monkeypatch):
    """The chart cache is shared by every session: the basis is part of its key, and the
    market-based chart says its basis in the source line (downloads too)."""
    from kek_data.viewer import NETWORK_MANAGER
    from ui import page_charts

    app_test()  # clears the caches, points KEK_DB at the demo copy
    db_path = str(seeded_db)
    args = (NETWORK_MANAGER, db_path, "mitglied", "sparkasse", None, None)
    loc, mkt = page_charts._chart(*args, "standort"), page_charts._chart(*args, "markt")
    total = [sum(sum(y for y in t.y if y == y) for t in s.fig.data if t.y is not None)
             for s in (loc, mkt)]  # fmt: skip
    assert total[1] < total[0]  # Sparkasse buys green power: market-based is lower
    notes = [" ".join(a.text for a in s.fig.layout.annotations) for s in (loc, mkt)]
    assert scope2.label(scope2.MARKT) in notes[1] and scope2.label(scope2.MARKT) not in notes[0]


def test_market_basis_names_the_residual_mix_years(app_test):
    at = _run(app_test)
    next(r for r in at.sidebar.radio if r.label == "Bilanzbasis").set_value("marktbasiert").run()
    text = _text(at)
    assert "Strom marktbasiert (Reststrommix) 2016–2018: Faktor aus 2015 übertragen, nicht " in text
    assert "„nicht geprüft“: Wert nicht gegen die amtliche Tabelle geprüft" in text


def test_proof_text_from_a_file_is_shown_as_text(app_test, seeded_db):
    """A proof cell with Markdown (e.g. "**HKN** [x](javascript:…)") must not render as markup."""
    from kek_data import contracts, db
    from kek_data.viewer import NETWORK_MANAGER

    con = db.connect(seeded_db)
    row = "2025;1.000;kWh;0;**HKN** [klick](javascript:alert(1));X"
    data = ("Jahr;Strommenge;Einheit;Faktor g CO₂e/kWh;Nachweis;Lieferant\n" + row).encode()
    found = contracts.parse(data, "h.csv")  # stored as demo data: the Demo-Modus shows the file
    contracts.store(con, NETWORK_MANAGER, "hafen", "h.csv", found, data, is_demo=True)
    con.close()
    at = _run(app_test, "pages/strom.py")
    line = next(m.value for m in at.markdown if "Hafen" in m.value and "HKN" in m.value)
    assert "**HKN**" not in line and "](javascript" not in line
