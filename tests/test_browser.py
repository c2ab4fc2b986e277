"""One real browser run: Debian's Chromium opens every page of a running dashboard.

Screenshots go to tests/artifacts/screenshots/<page>_<width>.png (look at them after a change of a
page). Accessibility (axe-core) is checked in tests/test_a11y.py.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.browser import (
    chromium,
    dashboard_on_copy,
    screenshot,
    streamlit_server,
    wait_until_idle,
)

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots"
WIDTHS = (1440, 390)  # desktop, phone
PAGES = {
    "ueberblick": ("", "Überblick"),
    "mitglied": ("mitglied", "Mitglied"),
    "vergleich": ("vergleich", "Vergleich"),
    "pfad": ("pfad", "Pfad & Lücke"),
    "ziele": ("ziele", "Ziele"),
    "zielabgleich": ("zielabgleich", "Zielabgleich"),
    "strom": ("strom", "Strom & Verträge"),
    "massnahmen": ("massnahmen", "Maßnahmen"),
    "netzwerkarbeit": ("netzwerkarbeit", "Netzwerkarbeit"),
    "berichtsrunde": ("berichtsrunde", "Berichtsrunde"),
    "berichtsstaende": ("berichtsstaende", "Berichtsstände"),
    "daten": ("daten", "Daten"),
    "hochladen": ("hochladen", "Daten hochladen"),
    "export": ("export", "Export"),
    "methodik": ("methodik", "Methodik"),
    "zugaenge": ("zugaenge", "Zugänge & Freigaben"),
    "fernwaerme": ("fernwaerme", "Fernwärme-Faktoren"),
}


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def dashboard(demo_db_template, tmp_path_factory):
    """One server per module for the tests that only read (a fresh one where a test needs it)."""
    with dashboard_on_copy(demo_db_template, tmp_path_factory.mktemp("dashboard")) as url:
        yield url


def test_every_page_in_chromium(browser, dashboard):
    """Every page at 1440 px (desktop) and 390 px (phone): title, demo notice, no error, German
    only (no Plotly toolbar, no "Choose an option"), each chart with its data table; one
    screenshot each, e.g. ueberblick_1440.png, ueberblick_390.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    for width in WIDTHS:
        page = browser.new_page(viewport={"width": width, "height": 1000}, locale="de-DE")
        page.on("pageerror", lambda e: errors.append(str(e)))
        for name, (path, title) in PAGES.items():
            page.goto(f"{dashboard}/{path}")
            wait_until_idle(page)
            assert page.locator("h1").first.inner_text().strip() == title
            body = page.locator("[data-testid='stMain']").inner_text()
            assert "Demodaten (fiktiv)" in body
            assert "Traceback" not in body and "Error" not in body.split("Demodaten")[0]
            assert page.locator("[data-testid='stException']").count() == 0
            assert "Choose an option" not in body and "Download plot" not in body, name
            assert "kek_data/" not in body and ".py" not in body, name  # code paths: docstrings
            assert page.locator(".modebar").count() == 0, name
            charts, tables = _charts_and_tables(page)
            assert tables == charts, (name, charts, tables)
            screenshot(page, SHOTS / f"{name}_{width}.png")
        page.close()
    assert not errors, errors


def _charts_and_tables(page, timeout_s: float = 15) -> tuple[int, int]:
    """Drawn Plotly charts and "Daten des Diagramms als Tabelle" expanders, once both counts
    have stopped changing (Plotly draws, and late elements arrive, after the script run)."""
    # Only what is open: a chart inside a closed expander (e.g. "Witterungsbereinigt") has its
    # table expander inside the same closed one, whose summary text the browser does not render.
    count = (
        "() => { const open = e => !e || e.closest('details:not([open])') === null;"
        " return [[...document.querySelectorAll('.js-plotly-plot')].filter(open).length,"
        " [...document.querySelectorAll('[data-testid=\"stExpander\"] summary')]"
        ".filter(e => open(e.parentElement.parentElement)"
        " && e.innerText.includes('Daten des Diagramms als Tabelle')).length]; }"
    )
    last, deadline = None, time.monotonic() + timeout_s
    while True:
        now = tuple(page.evaluate(count))
        if (now == last and now[0] == now[1]) or time.monotonic() > deadline:
            return now
        last = now
        page.wait_for_timeout(500)


def test_wide_table_fits_at_1440(browser, dashboard):
    """Pfad & Lücke, both tables "Je Mitglied": every column visible at 1440 px, no sideways
    scrolling."""
    page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="de-DE")
    page.goto(f"{dashboard}/pfad")
    wait_until_idle(page)
    grids = page.locator("[data-testid='stDataFrame']:visible")  # not those in closed expanders
    assert grids.count() >= 2  # the path table and the wedge table ("Je Mitglied" both)
    for i in range(grids.count()):
        grid = grids.nth(i)
        grid.scroll_into_view_if_needed()
        grid.locator(".dvn-scroller").wait_for()
        widths = grid.evaluate(
            "el => { const s = el.querySelector('.dvn-scroller');"
            " return [s.scrollWidth, s.clientWidth]; }"
        )
        assert widths[0] <= widths[1] + 2, (i, widths)
    page.close()


def test_how_computed_link_opens_methodik_at_its_section(browser, dashboard):
    """ "Wie wird das berechnet?" on Pfad & Lücke: Methodik, scrolled to the section "raten"."""
    page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="de-DE")
    page.goto(f"{dashboard}/pfad")
    wait_until_idle(page)
    page.locator("a[href*='abschnitt=raten']").first.click()
    page.wait_for_url("**/methodik?abschnitt=raten")
    wait_until_idle(page)
    page.wait_for_function(
        "() => { const h = document.getElementById('raten');"
        " return h && Math.abs(h.getBoundingClientRect().top) < 200; }",
        timeout=10000,
    )
    assert page.locator("h1").first.inner_text().strip() == "Methodik"
    page.close()


def test_page_opened_by_its_address_runs_inside_app_and_takes_an_upload(
    browser, seeded_db, tmp_path
):
    """A fresh server, first visit at /hochladen: the page runs through app.py (navigation,
    sidebar), the uploader speaks German, and a file uploaded in Chromium is checked."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    upload = tmp_path / "kek_2026.csv"
    upload.write_bytes("Jahr;Energieträger;Menge;Einheit\r\n2026;Strom;5;kWh\r\n".encode())
    with streamlit_server(seeded_db) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="de-DE")
        page.goto(f"{url}/hochladen")
        wait_until_idle(page)
        sidebar = page.locator("[data-testid='stSidebar']").inner_text()
        assert "KEK-Klimadashboard" in sidebar and "Überblick" in sidebar
        assert "\napp\n" not in f"\n{sidebar}\n"
        dropzone = page.locator("[data-testid='stFileUploaderDropzone']")
        button = dropzone.locator("[data-testid='stBaseButton-secondary'] p")
        hint = page.locator("[data-testid='stFileUploaderDropzoneInstructions'] span")
        after = "el => getComputedStyle(el, '::after').content"
        assert button.evaluate(after) == '"Datei auswählen"'
        assert "höchstens 200 MB je Datei" in hint.evaluate(after)
        page.set_input_files("[data-testid='stFileUploaderDropzoneInput']", str(upload))
        page.get_by_text("1 Zeile geprüft, keine Fehler").wait_for(timeout=30000)
        wait_until_idle(page)
        page.screenshot(path=str(SHOTS / "hochladen_upload.png"), full_page=True)


def test_a_shared_address_opens_the_market_based_view(browser, dashboard):
    """?basis=marktbasiert (the sidebar's choice, bound to the address) opens that basis; the
    page says its basis and that targets are location-based; switching back works."""
    page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="de-DE")
    page.goto(f"{dashboard}/?basis=marktbasiert")
    wait_until_idle(page)
    body = page.locator("[data-testid='stMain']").inner_text()
    assert "Bilanzbasis: marktbasiert (GHG Protocol Scope 2)" in body
    assert "Die Ziele sind standortbezogen (BISKO) vereinbart" in body
    page.locator("[data-testid='stSidebar']").get_by_text("standortbezogen", exact=True).click()
    wait_until_idle(page)
    assert (
        "Bilanzbasis: standortbezogen (BISKO)"
        in page.locator("[data-testid='stMain']").inner_text()
    )
    assert "basis=standortbezogen" in page.url or "basis=" not in page.url
    page.close()
