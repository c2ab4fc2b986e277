"""Every page renders through app.py (as in a browser) with the key numbers and the demo notice."""

from __future__ import annotations

import pytest

from kek_data import db, paths, progress
from kek_data.numbers import format_number, format_pct
from kek_data.viewer import NETWORK_MANAGER

ROOT = db.SQL_DIR.parent.parent

PAGES = [
    "pages/ueberblick.py",
    "pages/mitglied.py",
    "pages/vergleich.py",
    "pages/pfad.py",
    "pages/daten.py",
    "pages/hochladen.py",
    "pages/export.py",
    "pages/methodik.py",
]


def _text(at) -> str:
    parts = []
    kinds = ("markdown", "caption", "title", "subheader", "warning", "error", "info", "success")
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
    kpi = progress.network_kpi(con)
    con.close()
    at = _run(app_test)
    text = _text(at)
    assert format_number(kpi.latest, 0) in text
    assert format_pct(kpi.change_pct, 1, signed=True) in text
    assert format_number(kpi.gap_latest, 0) in text
    assert f"letztes Berichtsjahr **{kpi.latest_year}**" in text
    gap_2030 = progress.trend_gap(kpi.projected_2030, kpi.path_2030)
    assert gap_2030 == pytest.approx(paths.trend_value(kpi.series, 2030) - kpi.path_2030)
    assert f"Lücke 2030 im Trend {format_number(gap_2030, 0)}" in text


def test_member_page_switches_member(app_test, seeded_db):
    con = db.connect(seeded_db)
    kpis = progress.member_kpis(con, NETWORK_MANAGER)
    con.close()
    at = _run(app_test, "pages/mitglied.py")
    at.selectbox(key="member").set_value("fhdo").run()
    assert not at.exception
    text = _text(at)
    assert "Fachhochschule Dortmund" in text
    assert format_number(kpis["fhdo"].latest, 0) in text


def test_pfad_page_shows_rates(app_test, seeded_db):
    con = db.connect(seeded_db)
    kpi = progress.network_kpi(con)
    con.close()
    at = _run(app_test, "pages/pfad.py")
    text = _text(at)
    assert "Nötig bis 2030" in text
    assert str(kpi.zero_year) in text
