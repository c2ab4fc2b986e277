"""One real browser run: Debian's Chromium opens every page of a running dashboard.

Screenshots go to tests/artifacts/screenshots/<page>_<width>.png (look at them after a change of a
page). Accessibility (axe-core) is checked in tests/test_a11y.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, screenshot, streamlit_server, wait_until_idle

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots"
WIDTHS = (1440, 390)  # desktop, phone
PAGES = {
    "ueberblick": ("", "Überblick"),
    "mitglied": ("mitglied", "Mitglied"),
    "vergleich": ("vergleich", "Vergleich"),
    "pfad": ("pfad", "Pfad & Lücke"),
    "daten": ("daten", "Daten"),
    "hochladen": ("hochladen", "Daten hochladen"),
    "export": ("export", "Export"),
    "methodik": ("methodik", "Methodik"),
}


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} fehlt: bash scripts/setup.sh --dev installiert Debians Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def test_every_page_in_chromium(browser, seeded_db):
    """Every page at 1440 px (desktop) and 390 px (phone): title, demo notice, no error, German
    only (no Plotly toolbar, no "Choose an option"), each chart with its data table; one
    screenshot each, e.g. ueberblick_1440.png, ueberblick_390.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    with streamlit_server(seeded_db) as url:
        errors: list[str] = []
        for width in WIDTHS:
            page = browser.new_page(viewport={"width": width, "height": 1000}, locale="de-DE")
            page.on("pageerror", lambda e: errors.append(str(e)))
            for name, (path, title) in PAGES.items():
                page.goto(f"{url}/{path}")
                wait_until_idle(page)
                assert page.locator("h1").first.inner_text().strip() == title
                body = page.locator("[data-testid='stMain']").inner_text()
                assert "Demodaten (fiktiv)" in body
                assert "Traceback" not in body and "Error" not in body.split("Demodaten")[0]
                assert page.locator("[data-testid='stException']").count() == 0
                assert "Choose an option" not in body and "Download plot" not in body, name
                assert page.locator(".modebar").count() == 0, name
                tables = page.get_by_text("Daten des Diagramms als Tabelle").count()
                page.wait_for_function(  # Plotly draws after the script run has ended
                    "n => document.querySelectorAll('.js-plotly-plot').length >= n", arg=tables
                )
                charts = page.locator(".js-plotly-plot").count()
                assert tables == charts, (name, charts, tables)
                screenshot(page, SHOTS / f"{name}_{width}.png")
            page.close()
        assert not errors, errors


def test_wide_table_fits_at_1440(browser, seeded_db):
    """Pfad & Lücke, "Je Mitglied": every column visible at 1440 px, no sideways scrolling."""
    with streamlit_server(seeded_db) as url:
        page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="de-DE")
        page.goto(f"{url}/pfad")
        wait_until_idle(page)
        grid = page.locator("[data-testid='stDataFrame']").last
        grid.scroll_into_view_if_needed()
        widths = grid.evaluate(
            "el => { const s = el.querySelector('.dvn-scroller');"
            " return [s.scrollWidth, s.clientWidth]; }"
        )
        assert widths[0] <= widths[1] + 2, widths
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
