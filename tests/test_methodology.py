"""The methodology text exists once (kek_data/methodology.py) and every surface shows it.

The Methodik page (AppTest through app.py), the deck's "Methodik" slide (python-pptx) and the
data package's README.txt (from the zip) must contain the same section texts; numbers that are
code constants follow the code; quoted reference values agree with data/*.csv.
"""

from __future__ import annotations

import importlib
import io
import re
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
from pptx import Presentation

from kek_data import db, methodology, reference, report, status
from kek_data.export import deck, images, package
from kek_data.viewer import NETWORK_MANAGER

ROOT = Path(__file__).resolve().parent.parent


def flat(text: str) -> str:
    """Whitespace (line breaks of the README, the README's hanging indent) as single spaces."""
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def mcon(demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("methodik") / "kek.duckdb"
    shutil.copy(demo_db_template, path)
    con = db.connect(path)
    yield con
    con.close()


@pytest.fixture(scope="module")
def facts(mcon) -> list[str]:
    return methodology.facts(report.build(mcon, NETWORK_MANAGER))


def page(app_test):
    at = app_test()
    at.run()
    at.switch_page("pages/methodik.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_page_has_every_section_under_its_anchor(app_test, facts):
    at = page(app_test)
    headers = [(h.value, h.proto.anchor) for h in at.header]
    sections = [(s.title, s.anchor) for s in methodology.SECTIONS]
    assert headers[: len(sections)] == sections  # h2 right after the h1 title, in order
    assert not at.subheader  # no h3 directly below the h1
    markdown = [m.value for m in at.markdown]
    for s in methodology.SECTIONS:
        assert s.markdown in markdown, s.anchor
        assert any(f"](#{s.anchor})" in m for m in markdown), s.anchor
    assert [t.value for t in at.text] == facts
    assert "2025: 8 von 10 Mitgliedern vollständig · Caritas, Diakonie mit 2024" in facts[-1]


@pytest.mark.skipif(not images.browser_path().exists(), reason="Chromium für den Bildexport fehlt")
def test_page_deck_and_readme_say_the_same(app_test, mcon, facts):
    at = page(app_test)
    on_page = flat("\n".join([h.value for h in at.header] + [m.value for m in at.markdown]))
    prs = Presentation(io.BytesIO(deck.build_deck(mcon, NETWORK_MANAGER, members=[],
                                                  meeting_date=date(2026, 5, 20))))  # fmt: skip
    method = [s for s in prs.slides if s.shapes.title.text.startswith("Methodik")]
    assert method, "no Methodik slide"  # as many slides as the text needs: "Methodik (1/2)"
    paragraphs = [
        p.text
        for slide in method
        for sh in slide.shapes
        if sh.has_text_frame
        for p in sh.text_frame.paragraphs
    ]
    zf = zipfile.ZipFile(io.BytesIO(package.build_package(mcon, NETWORK_MANAGER)))
    readme = zf.read("README.txt").decode("utf-8-sig")
    in_readme = flat(readme)
    for s in methodology.SECTIONS:
        # the short form everywhere, the slide as "Title. short"
        assert f"{s.title}. {s.short}" in paragraphs, s.anchor
        for surface in (on_page, in_readme):
            assert flat(s.title) in surface and flat(s.short) in surface, s.anchor
            for paragraph in s.details:  # the full text on the page and in the README
                assert flat(paragraph) in surface, (s.anchor, paragraph[:40])
        assert f"\r\n{s.title}\r\n" in readme  # its own heading line in the README
    for fact in facts:
        assert fact in paragraphs
        assert flat(fact) in in_readme
        assert fact in [t.value for t in at.text]


def test_texts_have_no_markdown_syntax():
    """Markdown on the page and plain text in the README are then the same characters."""
    forbidden = re.compile(r"[*_`$#~<>|\\]|\]\(|--|:[a-z_/]+:|^\s*(- |\d+\. )", re.M)
    for s in methodology.SECTIONS:
        for text in (s.title, *s.paragraphs):
            assert not forbidden.search(text), (s.anchor, forbidden.search(text).group())


def test_anchors_are_unique_link_targets():
    assert len(set(methodology.ANCHORS)) == len(methodology.ANCHORS)
    assert all(re.fullmatch(r"[a-z]+", a) for a in methodology.ANCHORS)
    for anchor in ("ampel", "raten", "trend", "budget", "vollstaendigkeit", "emissionen", "pfad"):
        assert methodology.section(anchor).anchor == anchor
    # every "Wie wird das berechnet?" link of a page points to a section that exists
    used = set()
    for page_file in (ROOT / "pages").glob("*.py"):
        used |= set(re.findall(r"how_computed\(\s*\"([^\"]+)\"", page_file.read_text()))
    assert used and used <= set(methodology.ANCHORS), sorted(used - set(methodology.ANCHORS))
    with pytest.raises(KeyError):
        methodology.section("gibtsnicht")


def test_numbers_follow_the_code_constants(monkeypatch):
    ampel = methodology.section("ampel").markdown
    assert "höchstens 5 % des Pfadwerts" in ampel and "Gelb = höchstens 5 % über" in ampel
    trend = methodology.section("trend").short
    assert "die letzten 5 Kalenderjahre L − 4 bis L" in trend
    assert "(höchstens 5 Werte, für L = 2025: 2021–2025)" in trend
    assert "für die letzten 5 und 10 Jahre nebeneinander" in methodology.section("nulljahr").short
    assert "„% des Basisjahrs“ beim SBTi-Pfad" in methodology.section("raten").short
    budget = methodology.section("budget").short
    assert "liegt das Netzwerk schon um die Differenz über dem Budget" in budget
    assert "„nach 2100“" in methodology.section("nulljahr").short
    # change the constants: the text follows
    monkeypatch.setattr(status, "TOLERANCE_PCT", 7.5)
    monkeypatch.setattr("kek_data.wording.HORIZON", 2200)
    try:
        changed = importlib.reload(methodology)
        assert "höchstens 7,5 % des Pfadwerts" in changed.section("ampel").markdown
        assert "„nach 2200“" in changed.section("nulljahr").short
    finally:
        monkeypatch.undo()
        importlib.reload(methodology)
    assert "höchstens 5 % des Pfadwerts" in methodology.section("ampel").markdown


def test_quoted_reference_values_agree_with_the_data_files():
    factors = {
        (r["carrier_id"], r["valid_from"]): r for r in reference.read_table("emission_factors.csv")
    }
    strom = methodology.section("strommix").markdown
    assert float(factors[("strom", "2022")]["g_co2e_per_kwh"]) == 505
    assert "/ 433" in factors[("strom", "2023")]["derivation"]
    assert "505 g CO₂e/kWh" in strom and "UBA(2022) = 433 g/kWh" in strom
    assert "zweite Hand" in factors[("strom", "2015")]["source"]
    # 2023/2024 (386 / 363 g/kWh) are in UBA Climate Change 13/2025, not 23/2024
    for year in ("2023", "2024"):
        assert "UBA Climate Change 13/2025" in factors[("strom", year)]["source"]
        assert "Sekundärquelle" in factors[("strom", year)]["status"]
    assert "UBA Climate Change 13/2025" in strom
    assert "23/2024" in factors[("strom", "1990")]["source"]
    city = {r["year"]: r for r in reference.read_table("city_balance.csv")}
    for year in ("2020", "2022"):
        src = city[year]["source"]
        assert "Sauber! Dortmund reduziert Treibhausgase deutlich" in src
        assert "Datum nicht geprüft" in src
    fern = factors[("fernwaerme", "1990")]
    assert float(fern["g_co2e_per_kwh"]) == 198 and fern["status"] == "Annahme"
    assert "198 g CO₂e/kWh" in methodology.section("fernwaerme").short
    conv = {(r["carrier_id"], r["unit"]): r for r in reference.read_table("unit_conversions.csv")}
    assert float(conv[("erdgas", "kWh")]["factor"]) == pytest.approx(1 / 1.11)
    assert float(conv[("erdgas", "m³")]["factor"]) == pytest.approx(0.95 * 11.0 / 1.11)
    erdgas = methodology.section("erdgas").markdown
    assert "Hs/Hi = 1,11" in erdgas and "0,95" in erdgas and "11,0 kWh/m³" in erdgas
    assert "DVGW G 685" in conv[("erdgas", "kWh")]["source"]
