"""``export public``: the public view as a static website (kek_data.export.public_site).

Real demo database, real kaleido images, real Chromium opening the site from file:// with every
other request blocked. Consent: nothing of a member that is not named appears in any file.
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import pytest

from kek_data import access, cli, db, frozen_reports, public_view, report
from kek_data.charts import DEMO_NOTICE
from kek_data.errors import ExportCommandError
from kek_data.export import images, public_site
from kek_data.numbers import format_number
from kek_data.viewer import NETWORK_MANAGER, PUBLIC
from tests.browser import chromium

needs_browser = pytest.mark.skipif(
    not images.browser_path().exists(), reason="Chromium für den Bildexport fehlt"
)
#: Set for the test: a named member made intern, one made "nur im Gesamtwert".
NOW_HIDDEN = {"edg": "intern", "fhdo": "nur im Gesamtwert"}
NAMED = ["dsw21", "dew21", "stadt"]
SHOTS = Path("/tmp/w")


def _texts(site: Path) -> dict[str, str]:
    """Every text file of the site (not the plotly.js library) → its text."""
    return {
        str(p.relative_to(site)): p.read_text("utf-8-sig")
        for p in site.rglob("*")
        if p.is_file() and p.suffix in (".html", ".csv", ".svg", ".txt")
    }


@pytest.fixture(scope="module")
def site(demo_db_template, tmp_path_factory) -> tuple[Path, Path]:
    """The demo database with two more members hidden, and its public site."""
    folder = tmp_path_factory.mktemp("public")
    path = folder / "kek.duckdb"
    shutil.copy(demo_db_template, path)
    con = db.connect(path)
    for member_id, level in NOW_HIDDEN.items():
        access.set_consent(con, NETWORK_MANAGER, member_id, level, "Test")
    public_site.build(con, folder / "oeffentlich")
    con.close()
    return path, folder / "oeffentlich"


@needs_browser
def test_hidden_members_appear_in_no_file(site):
    path, out = site
    con = db.connect(path, create=False)
    full = report.build(con, NETWORK_MANAGER)
    public = report.build(con, PUBLIC)
    hidden = [m for m, c in access.consents(con).items() if c.level != "namentlich"]
    con.close()
    assert set(NOW_HIDDEN) <= set(hidden)
    texts = _texts(out)
    assert {"index.html", "diagramme/netzwerk.html", "diagramme/netzwerk.svg",
            "diagramme/netzwerk.csv", "diagramme/netzwerk_einbetten.txt",
            "mitglieder_namentlich.csv"} <= set(texts)  # fmt: skip
    assert (out / "diagramme/netzwerk.png").read_bytes()[:4] == b"\x89PNG"
    assert (out / public_site.PLOTLY_JS).stat().st_size > 1_000_000
    everything = "\n".join(texts.values())
    for m in hidden:
        r = full.member[m]
        latest = r.kpi.latest
        figures_of = [format_number(latest, 0), f"{latest:.2f}", f"{latest:.2f}".replace(".", ",")]
        for text in (r.name, r.short_name, *figures_of):
            for file, body in texts.items():
                assert text not in body, (m, text, file)
    assert "mitglied-a" not in everything  # no pseudonym; the consent text explains them once
    assert everything.count("Mitglied A") == texts["index.html"].count("„Mitglied A“") == 1
    for m in NAMED:
        short = full.member[m].short_name
        assert short in texts["index.html"] and short in texts["mitglieder_namentlich.csv"]
        assert short in texts["diagramme/netzwerk.svg"]
    index = texts["index.html"]  # the page's figures: total, coverage, Stand, sources
    assert format_number(full.network.latest, 0) in index and public.coverage_text() in index
    assert f"Stand:</strong> {full.ctx.as_of}" in index and "Stand der Veröffentlichung" in index
    assert "Quellen" in index and "g CO₂e/kWh" in index
    # the page's own summary line and consent text (kek_data.public_view), escaped as HTML
    assert html.escape(public_view.network_summary(public)) in index
    assert html.escape(public_view.consent_intro(public)) in index
    snippet = texts["diagramme/netzwerk_einbetten.txt"]
    assert snippet.startswith('<iframe src="diagramme/netzwerk.html" title="Emissionen des Netz')


@needs_browser
def test_demo_notice_on_every_page_and_csv(site):
    _, out = site
    texts = _texts(out)
    pages = [f for f in texts if f.endswith((".html", ".csv"))]
    assert len(pages) == 4
    for file in pages:
        assert DEMO_NOTICE in texts[file], file


def test_total_withheld_below_min_contributors(demo_db_template, tmp_path):
    path = tmp_path / "zwei.duckdb"
    shutil.copy(demo_db_template, path)
    con = db.connect(path)
    total = report.build(con, NETWORK_MANAGER).network.latest
    con.execute("DELETE FROM activity WHERE member_id NOT IN ('dsw21', 'dew21')")
    assert report.build(con, NETWORK_MANAGER).network.latest < total
    public_site.build(con, tmp_path / "site")
    con.close()
    texts = _texts(tmp_path / "site")
    assert sorted(texts) == ["index.html", "mitglieder_namentlich.csv"]  # no chart
    assert f"Netzwerksumme 2025: {access.WITHHELD}." in texts["index.html"]
    assert f"mindestens {access.MIN_CONTRIBUTORS} Mitglieder" in texts["index.html"]
    for value in (total, total - 1):
        assert format_number(value, 0) not in "\n".join(texts.values())
    assert "DSW21" in texts["index.html"]  # named, with its own figures


@needs_browser
def test_refresh_only_after_a_change(site, tmp_path):
    path, built = site
    out = tmp_path / "oeffentlich"
    shutil.copytree(built, out)
    shutil.copy(path, tmp_path / "kek.duckdb")
    index = out / "index.html"
    before = (index.stat().st_mtime_ns, index.stat().st_ino)
    con = db.connect(tmp_path / "kek.duckdb")
    assert public_site.refresh(con, out) is False
    assert (index.stat().st_mtime_ns, index.stat().st_ino) == before
    access.set_consent(con, NETWORK_MANAGER, "sparkasse", "intern", "Test")
    assert public_site.refresh(con, out) is False  # hidden before and after: nothing changed
    access.set_consent(con, NETWORK_MANAGER, "dew21", "intern", "Test")
    assert public_site.refresh(con, out) is True
    text = index.read_text("utf-8")  # (a factor source names DEW21 as the utility)
    assert 'label="Mitglied">DEW21<' not in text and 'label="Mitglied">DSW21<' in text
    assert "DEW21" not in (out / public_site.MEMBERS_CSV).read_text("utf-8-sig")
    assert public_site.refresh(con, out) is False
    con.close()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".oeffentlich")]  # no temp


def test_cli_refuses_a_file_or_missing_parent(capsys, seeded_db, tmp_path):
    file = tmp_path / "datei.html"
    file.write_text("x")
    for out, message in ((file, "ist eine Datei"), (tmp_path / "fehlt/site", "gibt es nicht")):
        code = cli.main(["export", "public", "--out", str(out), "--db", str(seeded_db)])
        assert code == 1 and message in capsys.readouterr().err
    (tmp_path / "fremd").mkdir()
    (tmp_path / "fremd/notiz.txt").write_text("x")
    code = cli.main(["export", "public", "--out", str(tmp_path / "fremd"), "--db", str(seeded_db)])
    assert code == 1 and "enthält andere Dateien" in capsys.readouterr().err
    assert (tmp_path / "fremd/notiz.txt").exists()


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def _open(browser, url: str, width: int):
    """A page of ``url`` at ``width`` px, every request but file:// blocked (and recorded)."""
    page = browser.new_page(viewport={"width": width, "height": 900}, locale="de-DE")
    blocked: list[str] = []

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(url)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=20000)
    page.wait_for_timeout(300)
    return page, blocked


@pytest.mark.browser
@needs_browser
def test_site_renders_offline_at_1280_and_390(site, browser, tmp_path):
    _, out = site
    for width in (1280, 390):
        page, blocked = _open(browser, (out / "index.html").as_uri(), width)
        assert page.evaluate("document.documentElement.lang") == "de"
        assert page.locator(".js-plotly-plot .main-svg").count() >= 1
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        shot = tmp_path / f"public_{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        if SHOTS.is_dir():
            shutil.copy(shot, SHOTS / shot.name)
        assert blocked == []
        page.close()
    page, blocked = _open(browser, (out / "diagramme/netzwerk.html").as_uri(), 390)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 and blocked == []
    page.close()


@pytest.mark.browser
@needs_browser
def test_axe_no_serious_violation(site, browser):
    from axe_playwright_python.sync_playwright import Axe

    _, out = site
    problems = []
    for rel in ("index.html", "diagramme/netzwerk.html"):
        page, _ = _open(browser, (out / rel).as_uri(), 1280)
        page.locator("details summary").first.click() if rel == "index.html" else None
        for v in Axe().run(page).response["violations"]:
            if v["impact"] in ("critical", "serious") or v["id"] == "heading-order":
                problems.append(f"{rel}: {v['impact']} {v['id']} – {v['help']}")
        page.close()
    assert not problems, "\n".join(problems)


def test_export_page_button_for_network_management_only(app_test, tmp_path, monkeypatch):
    monkeypatch.setenv("KEK_PUBLIC_DIR", str(tmp_path / "oeffentlich"))
    label = "Öffentliche Seite neu erzeugen"
    at = app_test()
    at.run()
    at.switch_page("pages/export.py").run()
    next(b for b in at.button if b.label == label).click().run(timeout=60)
    assert not at.exception, [e.value for e in at.exception]
    from ui.text import plain

    assert [s.value for s in at.success] == [  # the path shown as text, not Markdown
        f"Öffentliche Seite neu erzeugt: {plain(tmp_path / 'oeffentlich' / 'index.html')}"
    ]
    assert "Demodaten (fiktiv)" in (tmp_path / "oeffentlich/index.html").read_text("utf-8")
    monkeypatch.setenv("KEK_DEMO_ROLE", "stadt")
    at = app_test()
    at.run()
    at.switch_page("pages/export.py").run()
    assert label not in [b.label for b in at.button]


def test_a_berichtsstand_is_not_published(con, tmp_path):
    """The public sees live data only (frozen_reports.check_viewer): a snapshot is refused."""
    frozen = frozen_reports.open(con, frozen_reports.freeze(con, NETWORK_MANAGER, 2024))
    with pytest.raises(ExportCommandError, match="nur die Live-Daten"):
        public_site.build(frozen, tmp_path / "site")
    frozen.close()
    assert not (tmp_path / "site").exists()


def test_a_consent_change_in_the_dashboard_rebuilds_the_site(app_test, seeded_db, monkeypatch):
    """Zugänge: network management names Caritas (was "nur im Gesamtwert") → ``data_changed``
    → the background rebuild (ui.public_refresh) puts Caritas into the public site."""
    from ui import public_refresh

    monkeypatch.setenv("KEK_PUBLIC_SITE", "auto")
    out = seeded_db.parent / "oeffentlich"  # default: next to the database
    con = db.connect(seeded_db)
    public_site.build(con, out)
    con.close()
    assert "Caritas" not in (out / "index.html").read_text("utf-8")
    at = app_test()
    at.run()
    at.switch_page("pages/zugaenge.py").run()
    at.selectbox(key="kek-c-member").set_value("caritas")
    at.selectbox(key="kek-c-level").set_value("namentlich")
    at.text_input(key="kek-c-note").input("Vorstandsbeschluss")
    at.button(key="kek-c-save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert public_refresh.idle(timeout=90)
    assert "Caritas" in (out / "index.html").read_text("utf-8")
    assert "Caritas" in (out / "mitglieder_namentlich.csv").read_text("utf-8-sig")


def test_only_network_management_publishes_from_the_command_line(capsys, seeded_db, tmp_path):
    out = tmp_path / "site"
    code = cli.main(["export", "public", "--out", str(out), "--db", str(seeded_db),
                     "--as", "mitglied:dsw21"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1 and "Nur das Netzwerkmanagement darf die öffentliche Seite erzeugen" in err
    assert not out.exists()


def test_a_new_installation_gets_its_site_at_the_first_start(app_test, seeded_db, monkeypatch):
    from ui import public_refresh

    monkeypatch.setenv("KEK_PUBLIC_SITE", "auto")
    out = seeded_db.parent / "oeffentlich"
    assert not out.exists()
    at = app_test()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert public_refresh.idle(timeout=90)
    assert DEMO_NOTICE in (out / "index.html").read_text("utf-8")
