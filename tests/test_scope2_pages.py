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


@pytest.mark.parametrize("page", PAGES)
def test_every_page_says_location_basis_by_default(app_test, page):
    at = _run(app_test, page)
    assert scope2.label(scope2.STANDORT) in _text(at)
