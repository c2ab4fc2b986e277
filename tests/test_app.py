"""Every page renders through app.py (as in a browser) with the key numbers and the demo notice."""

from __future__ import annotations

import pytest

from kek_data import db, formulas, report
from kek_data.viewer import NETWORK_MANAGER

ROOT = db.SQL_DIR.parent.parent

PAGES = [
    "pages/ueberblick.py",
    "pages/mitglied.py",
    "pages/vergleich.py",
    "pages/pfad.py",
    "pages/strom.py",
    "pages/massnahmen.py",
    "pages/netzwerkarbeit.py",
    "pages/berichtsrunde.py",
    "pages/berichtsstaende.py",
    "pages/daten.py",
    "pages/hochladen.py",
    "pages/export.py",
    "pages/methodik.py",
]


def _text(at) -> str:
    parts = []
    # sections are st.header (h2 under the page title, ui.frame.section)
    kinds = ("markdown", "caption", "title", "header", "subheader", "warning", "error", "info",
             "success")  # fmt: skip
    for kind in kinds:
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value} {m.delta or ''}" for m in at.metric]
    return "\n".join(parts)


def _run(app_test, page: str | None = None):
    at = app_test()
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_inside_app_frame(app_test, page):
    at = _run(app_test, page)
    text = _text(at)
    # app.py's frame: the sidebar line and the demo notice in the sidebar.
    assert "KEK-Klimadashboard" in text
    assert any("Demodaten (fiktiv)" in str(e.value) for e in at.sidebar.error)
    # the page's own demo notice
    assert "Demodaten (fiktiv)" in text


def test_page_runs_inside_app_also_in_old_multipage_mode(app_test, monkeypatch):
    """Streamlit's old multipage mode (a fresh server, a page opened by its address) runs a page
    without app.py; frame.require_app() switches it off and reruns through app.py."""
    from streamlit.runtime import pages_manager
    from streamlit.testing.v1 import app_test as app_test_module

    monkeypatch.setattr(app_test_module, "PagesManager", pages_manager.PagesManager)
    at = app_test()
    at.run()
    at.switch_page("pages/methodik.py").run()
    assert any("KEK-Klimadashboard" in str(e.value) for e in at.sidebar.markdown)
    assert at.title[0].value == "Methodik"


def test_every_page_first_requires_app():
    """The guard is the first statement of every page (after imports and constants)."""
    import ast

    for page in sorted((ROOT / "pages").glob("*.py")):
        body = [n for n in ast.parse(page.read_text()).body
                if not isinstance(n, ast.Import | ast.ImportFrom)
                and not (isinstance(n, ast.Expr | ast.Assign) and isinstance(n.value, ast.Constant))
                ]  # fmt: skip
        assert ast.unparse(body[0]) == "frame.require_app()", page.name


def test_overview_shows_network_kpis(app_test, seeded_db):
    con = db.connect(seeded_db)
    kpi = report.build(con, NETWORK_MANAGER).network
    con.close()
    at = _run(app_test)
    text = _text(at)
    # 2025 under the completeness rule: Caritas and Diakonie count with 2024, so 179.137 t
    # (not the raw 177.920 t with their partial 2025 inside; issue 8, item 2)
    assert "Berichtsjahr **2025**" in text
    assert "2025: 8 von 10 Mitgliedern vollständig · Caritas, Diakonie mit 2024" in text
    assert "Emissionen 2025 179.137 -2,7 % ggü. Vorjahr" in text
    assert "Veränderung ggü. 2015 -31,1 %" in text
    assert "Über dem Pfad 2025 14.572" in text
    step = kpi.step(2030)
    assert step.trend_gap == pytest.approx(formulas.trend_value(kpi.series, 2030) - step.path)
    # the trend of the five years 2021–2025
    assert step.trend_gap == pytest.approx(18653.777, abs=0.001)
    assert "Lücke 2030 im Trend 18.654" in text
    assert "Lücke 2035 im Trend 92.887" in text


def test_member_page_switches_member(app_test, seeded_db):
    con = db.connect(seeded_db)
    fhdo = report.build(con, NETWORK_MANAGER).member["fhdo"].kpi
    con.close()
    assert fhdo.latest == pytest.approx(6679.0, abs=0.5)
    at = _run(app_test, "pages/mitglied.py")
    at.selectbox(key="member").set_value("fhdo").run()
    assert not at.exception
    text = _text(at)
    assert "Fachhochschule Dortmund" in text
    assert "Emissionen 2025 [t CO₂e] 6.679" in text
    assert "Abstand zum Pfad 2025 [t CO₂e] -124" in text


def test_pfad_page_shows_rates(app_test, seeded_db):
    con = db.connect(seeded_db)
    kpi = report.build(con, NETWORK_MANAGER).network
    con.close()
    # five years 2021–2025: 2046; ten years 2016–2025: 2047
    assert kpi.zero_years == {5: 2046, 10: 2047}
    assert kpi.step(2030).required_pct == pytest.approx(6.945, abs=0.001)
    at = _run(app_test, "pages/pfad.py")
    text = _text(at)
    assert "Nötig bis 2030 (in % der Emissionen 2025) 6,9 % pro Jahr" in text
    assert "Nötig bis 2035 (in % der Emissionen 2025) 10,0 % pro Jahr" in text
    assert "Erreicht 2021–2025 (in % der Emissionen 2025) 4,8 % pro Jahr" in text
    assert "Null im Trend (5 Jahre) 2046" in text and "Null im Trend (10 Jahre) 2047" in text
    assert "Null im Trend: 2046 (5 Jahre) · 2047 (10 Jahre)." in text
    budget = kpi.budget
    assert (round(budget.left), round(budget.path_rest), round(budget.over)) == (
        856801,
        913769,
        56968,
    )
    assert (
        "Budget bis 2035: 856.801 t CO₂e übrig; der Pfad braucht für 2026–2035 noch "
        "913.769 t CO₂e – das Netzwerk liegt damit schon 56.968 t CO₂e über dem Budget. "
        "Beim jetzigen Trend ist der Rest 2031 aufgebraucht." in text
    )


ROLE_PAGES = {  # the navigation of each role (app.py): the city uploads nothing
    "netzwerk": [*PAGES, "pages/zugaenge.py", "pages/fernwaerme.py"],
    "stadt": [p for p in PAGES if p != "pages/hochladen.py"] + ["pages/zugaenge.py"],
    "mitglied:sparkasse": PAGES,  # nur im Gesamtwert: others see it as "Mitglied A"
    "mitglied:caritas": PAGES,  # intern
}


@pytest.mark.parametrize("role", list(ROLE_PAGES))
def test_every_page_works_for_every_role(app_test, monkeypatch, role):
    """Each page of the role's navigation renders from the role's report, without error."""
    monkeypatch.setenv("KEK_DEMO_ROLE", role)
    at = _run(app_test)
    for page in ROLE_PAGES[role]:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert not at.main.error, (page, [e.value for e in at.main.error])


def test_member_overview_shows_own_figures_first(app_test, monkeypatch, seeded_db):
    con = db.connect(seeded_db)
    own = report.build(con, NETWORK_MANAGER).member["caritas"]
    con.close()
    monkeypatch.setenv("KEK_DEMO_ROLE", "mitglied:caritas")
    at = _run(app_test)
    headers = [h.value for h in at.header]
    assert headers[:2] == [f"Ihre Organisation: {own.name}", "Netzwerk"]
    first = at.metric[0]
    assert (first.label, first.value) == (
        "Emissionen 2024 [t CO₂e]",
        f"{own.kpi.latest:,.0f}".replace(",", "."),
    )
    # the member table lists only what the consent allows, pseudonyms last
    table = next(d.value for d in at.dataframe if "Status" in d.value.columns)
    assert list(table["Mitglied"]) == ["DSW21", "DEW21", "EDG", "FH Dortmund", "Caritas",
                                       "Stadt Dortmund", "Mitglied A", "Mitglied B"]  # fmt: skip
    # the Mitglied page starts with the own organisation
    at.switch_page("pages/mitglied.py").run()
    assert at.selectbox(key="member").value == "caritas"
