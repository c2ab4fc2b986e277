"""Accessibility (BITV 2.0 / WCAG 2.1 AA): axe-core on every page in Debian's Chromium.

One real ``streamlit run`` on the demo database; every page is opened in sequence and checked
with axe-core (bundled by ``axe-playwright-python``, pinned in requirements-dev.txt). The page
must have no *critical* or *serious* violation the app can fix; heading levels must not skip
(each page: one h1 from ``frame.header``, parts h2 from ``frame.section``). What only Streamlit
itself can fix is listed in :data:`STREAMLIT_ONLY` with its reason, nothing else is ignored.
"""

from __future__ import annotations

import pytest

from tests.browser import ROOT, chromium, dashboard_on_copy, wait_until_idle
from tests.test_browser import PAGES

pytestmark = pytest.mark.browser
BLOCKING = ("critical", "serious")
#: (axe rule id, page or "*") → why the app cannot fix it. Keep it short and justified.
#: Not here on purpose: "list"/"listitem" (the navigation's sections made Streamlit put <div>s
#: into the <ul>: app.py now uses one flat list) and "color-contrast" (captions: theme).
STREAMLIT_ONLY: dict[tuple[str, str], str] = {}


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def dashboard(demo_db_template, tmp_path_factory):
    """One server per module for the tests that only read (a fresh one where a test needs it)."""
    with dashboard_on_copy(demo_db_template, tmp_path_factory.mktemp("dashboard")) as url:
        yield url


def _violations(axe, page, name: str) -> list[str]:
    found = []
    for v in axe.run(page).response["violations"]:
        blocking = v["impact"] in BLOCKING or v["id"] == "heading-order"
        if not blocking or (v["id"], name) in STREAMLIT_ONLY or (v["id"], "*") in STREAMLIT_ONLY:
            continue
        targets = "; ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:3])
        count = len(v["nodes"])
        found.append(f"{name}: {v['impact']} {v['id']} ({count}×) – {v['help']}: {targets}")
    return found


def test_every_page_passes_axe(browser, dashboard):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    problems: list[str] = []
    page = browser.new_page(viewport={"width": 1440, "height": 1200}, locale="de-DE")
    for name, (path, _title) in PAGES.items():
        page.goto(f"{dashboard}/{path}")
        wait_until_idle(page)
        assert page.evaluate("document.documentElement.lang") == "de", name
        assert page.locator("h1").count() == 1, name
        problems += _violations(axe, page, name)
        expanders = page.locator("[data-testid='stExpander'] summary")
        if expanders.count():  # a chart's data table, opened: checked as well
            expanders.first.click()
            page.wait_for_timeout(800)
            problems += _violations(axe, page, f"{name} (Tabelle geöffnet)")
    page.close()
    assert not problems, "\n".join(problems)


def test_sidebar_links_show_keyboard_focus(browser, dashboard):
    """Tab onto a sidebar link: a visible outline (≥ 2 px), not just a faint background."""
    page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="de-DE")
    page.goto(dashboard)
    wait_until_idle(page)
    links = page.locator("[data-testid='stSidebarNav'] a")
    accounts = (ROOT / "pages/zugaenge.py").exists() and "zugaenge" not in PAGES
    heat = (ROOT / "pages/fernwaerme.py").exists() and "fernwaerme" not in PAGES
    # network management (demo): + "Zugänge", "Fernwärme-Faktoren"
    assert links.count() == len(PAGES) + accounts + heat
    links.nth(1).focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # keyboard focus, so that :focus-visible applies
    style = links.nth(1).evaluate(
        "el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert style[0] != "none" and float(style[1].removesuffix("px")) >= 2, style
    page.close()


@pytest.fixture(scope="module")
def login_dashboard(demo_db_template, tmp_path_factory):
    """A dashboard with login configured (real OIDC provider, tests/oidc.py): base URL."""
    from tests.oidc import dashboard_with_login, provider

    folder = tmp_path_factory.mktemp("login")
    with provider(folder) as idp, dashboard_with_login(demo_db_template, folder, idp) as dash:
        yield dash.url


def test_public_page_with_login_button_passes_axe(browser, login_dashboard):
    """What a visitor without login sees: the public page with "Anmelden", at 1440 and 390 px
    (screenshot oeffentlich_390.png: look at it after a change)."""
    from axe_playwright_python.sync_playwright import Axe

    from tests.browser import screenshot
    from tests.oidc import local_context
    from tests.test_browser import SHOTS

    axe, problems = Axe(), []
    for width in (1440, 390):
        ctx = local_context(browser, width, 1000)
        page = ctx.new_page()
        page.goto(login_dashboard)
        wait_until_idle(page)
        assert page.locator("h1").inner_text().strip() == "Fortschritt des Netzwerks"
        assert page.get_by_role("button", name="Anmelden").count() >= 1
        assert page.evaluate("document.documentElement.lang") == "de"
        problems += _violations(axe, page, f"oeffentlich {width}")
        if width == 390:
            overflow = page.evaluate(
                "() => document.querySelector('[data-testid=\"stMain\"]').scrollWidth"
                " - window.innerWidth"
            )
            assert overflow <= 0, f"{overflow} px breiter als 390 px"
            SHOTS.mkdir(parents=True, exist_ok=True)
            screenshot(page, SHOTS / "oeffentlich_390.png")
        ctx.close()
    assert not problems, "\n".join(problems)


def test_demo_role_screen_passes_axe(browser, dashboard):
    """The Demo-Modus: role choice in the sidebar, switched to the public view."""
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="de-DE")
    page.goto(dashboard)
    wait_until_idle(page)
    sidebar = page.locator("[data-testid='stSidebarContent']")
    assert "Demo-Modus – keine Anmeldung" in sidebar.inner_text()
    sidebar.locator("[data-testid='stSelectbox']").click()
    page.get_by_role("option", name="Öffentlich (nicht angemeldet)").click()
    wait_until_idle(page)
    assert page.locator("h1").inner_text().strip() == "Fortschritt des Netzwerks"
    problems = _violations(Axe(), page, "Demo-Modus öffentlich")
    page.close()
    assert not problems, "\n".join(problems)
