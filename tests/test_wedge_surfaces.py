"""The wedge "Maßnahmen gegen die Lücke" on every surface, on the demo database: report, who sees
which wedge, summary --json, data package, deck, the pages (AppTest) and a screenshot.

The numbers themselves are checked by hand in tests/test_wedge.py; here: the report's wedges use
the right measures (a member's wedge only the measures the viewer may see, the network's all of
them as sums), and an internal measure of another member never reaches a member's surfaces.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from kek_data import cli, db, measures, report, scope2, wedge, wedge_build, wording
from kek_data.export import figures, package
from kek_data.progress import NETWORK
from kek_data.viewer import DEMO_USER, NETWORK_MANAGER, PUBLIC, parse

KW = {"stack_order": wedge_build.STACK_ORDER, "decided": measures.DECIDED}


#: Literal measures added to the demo (whatever the demo brings itself): member, title, status,
#: start, end, saving [t CO₂e/a], visibility. From L = 2025 to T = 2030 they add (s = effect
#: share, module doc of kek_data.wedge): E-Busse s(2025) = 0/3, s(2030) = 1 → 3.500; Depot
#: 1.200; Sanierung 300; Kran 400; Fernwärme geplant s(2030) = (2030 − 2027)/4 → 0,75 × 6.000 =
#: 4.500; LED finished 2023 → s(2025) = s(2030) = 1 → 0 (already in the figures).
ADDED = [
    ("dsw21", "Wedge-Test E-Busse", "in Umsetzung", 2025, 2027, 3500.0, "öffentlich"),
    ("dsw21", "Wedge-Test Geheimprojekt Depot", "beschlossen", 2026, 2027, 1200.0, "intern"),
    ("sparkasse", "Wedge-Test Interne Sanierung", "beschlossen", 2026, 2026, 300.0, "intern"),
    ("hafen", "Wedge-Test Hafenkran elektrisch", "beschlossen", 2026, 2026, 400.0, "öffentlich"),
    ("dew21", "Wedge-Test Fernwärme", "geplant", 2027, 2030, 6000.0, "öffentlich"),
    ("stadt", "Wedge-Test LED 2023", "umgesetzt", 2022, 2023, 800.0, "öffentlich"),
]
#: What ADDED adds to the network's wedge in 2030, per status [t CO₂e].
NETWORK_ADDED = {"umgesetzt": 0.0, "in Umsetzung": 3500.0, "beschlossen": 1900.0,
                 "geplant": 4500.0}  # fmt: skip
SPARKASSE = parse("mitglied:sparkasse")  # consent "gesamt": sees itself and the named members


@pytest.fixture(scope="module")
def mcon(demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("wedge") / "kek.duckdb"
    shutil.copy(demo_db_template, path)
    con = db.connect(path)
    yield con
    con.close()


@pytest.fixture(scope="module")
def before(mcon) -> dict[str, report.Report]:
    """The reports of the demo as it is, then the literal measures are added."""
    reps = {"nm": report.build(mcon, NETWORK_MANAGER), "sp": report.build(mcon, SPARKASSE)}
    _add(mcon)
    return reps


def _add(con) -> None:
    """Enter :data:`ADDED` as the network manager in the Demo-Modus would (flagged as demo
    data, so that the dashboard still runs the demo without a login)."""
    demo_manager = replace(NETWORK_MANAGER, user=f"{DEMO_USER}netzwerk")
    for member, title, status, start, end, t, vis in ADDED:
        measures.add(con, demo_manager, member, {
            "title": title, "field": "Sonstiges", "status": status, "start_year": start,
            "end_year": end, "saving_t_per_year": t, "visibility": vis,
            "completion_pct": 100.0 if status == "umgesetzt" else 0.0,
        })  # fmt: skip


@pytest.fixture(scope="module")
def full(mcon, before) -> report.Report:
    return report.build(mcon, NETWORK_MANAGER)


def _rows(frame) -> list[dict]:
    return frame.to_dict("records")


def _added(after: wedge.Wedge, earlier: wedge.Wedge) -> dict[str, float]:
    return {s: after.by_status()[s] - v for s, v in earlier.by_status().items()}


def test_network_wedge_is_the_sum_of_all_members_measures(mcon, before, full):
    net = full.wedges[NETWORK]
    assert (net.latest_year, net.target_year) == (full.network.latest_year, 2030) == (2025, 2030)
    assert net.gap_t == pytest.approx(full.network.step(2030).trend_gap)
    assert _added(net, before["nm"].wedges[NETWORK]) == pytest.approx(NETWORK_ADDED)
    every = measures.savings(mcon, NETWORK_MANAGER)
    assert net.n_measures == int((every["status"] != wedge_build.REJECTED).sum())
    # the network's stack per status = Σ over the members of their measures, each counted
    # from the year whose figures of the member stand in the network's L (what is not yet in
    # the network's reported total): Caritas and Diakonie report 2025 partly, so 2024
    c = full.counted[full.counted["year"] == net.latest_year]
    in_latest = dict(zip(c["member_id"], c["counted_year"], strict=True))
    assert {m for m, y in in_latest.items() if y != 2025} == {"caritas", "diakonie"}
    total = dict.fromkeys(wedge_build.STACK_ORDER, 0.0)
    args = (net.latest_year, net.latest_t, net.target_year, net.trend, net.path)
    for m, rows in every.groupby("member_id"):
        own = [r | {"latest_year": int(in_latest[m])} for r in _rows(rows)]
        for s, v in wedge.compute("x", *args, own, **KW).by_status().items():
            total[s] += v
    assert net.by_status() == pytest.approx(total)
    # so the network's decided wedge is the sum of the members' decided wedges
    assert net.decided_t == pytest.approx(
        sum(w.decided_t for o, w in full.wedges.items() if o != NETWORK)
    )
    # every member has its wedge from its own measures, under its own L and T
    for m, r in full.member.items():
        own = wedge.for_kpi(r.kpi, _rows(every[every["member_id"] == m]), **KW)
        assert full.wedges.get(m) == own
    dsw = _added(full.wedges["dsw21"], before["nm"].wedges["dsw21"])
    assert dsw == pytest.approx({"umgesetzt": 0, "in Umsetzung": 3500, "beschlossen": 1200,
                                 "geplant": 0})  # fmt: skip


def test_market_basis_has_no_wedge(mcon, full):
    assert report.build(mcon, NETWORK_MANAGER, basis=scope2.MARKT).wedges == {}


@pytest.mark.parametrize("spec", ["mitglied:sparkasse", "mitglied:dsw21", "oeffentlich"])
def test_a_viewer_gets_no_hidden_member_and_no_intern_measure_of_another(mcon, full, spec):
    viewer = PUBLIC if spec == "oeffentlich" else parse(spec)
    rep = report.build(mcon, viewer)
    assert set(rep.wedges) - {NETWORK} <= set(rep.member)  # no wedge of a member it cannot see
    if viewer == PUBLIC:  # reads no measure: the network's sum only
        assert set(rep.wedges) == {NETWORK}
    seen = measures.savings(mcon, viewer)
    for m, w in rep.wedges.items():
        if m != NETWORK:  # a member's wedge: from the measures this viewer may see
            rows = seen[seen["member_id"] == m]
            assert w == wedge.for_kpi(rep.member[m].kpi, _rows(rows), **KW)
    # the network's wedge is the same sum for everyone (internal measures only inside it)
    assert rep.wedges[NETWORK].by_status() == pytest.approx(full.wedges[NETWORK].by_status())
    assert set(rep.wedges[NETWORK].incomplete_titles) <= set(seen["title"])  # only readable
    every = measures.savings(mcon, NETWORK_MANAGER)
    hidden = set(every["title"]) - set(seen["title"])
    assert {"Wedge-Test Geheimprojekt Depot", "Wedge-Test Hafenkran elektrisch"} & hidden
    surfaces = [json.dumps(cli.summary(mcon, viewer), ensure_ascii=False)]
    surfaces += [wording.wedge(w) + wording.wedge_more(w) for w in rep.wedges.values()]
    for owner in rep.wedges:
        fig = figures.build_from(rep, "massnahmen", None if owner == NETWORK else owner)
        surfaces.append(fig.to_json())
    zf = zipfile.ZipFile(io.BytesIO(package.build_package(mcon, viewer)))
    surfaces += [zf.read(n).decode("utf-8", "replace") for n in zf.namelist()]
    text = "\n".join(surfaces)
    assert not [t for t in hidden if t in text]


def test_member_sees_the_intern_measure_only_as_part_of_the_network_sum(mcon, before):
    """Sparkasse sees DSW21 by name: DSW21's wedge grows only by its public E-Busse (3.500), the
    intern depot (1.200) is missing there but inside the network's sum; Hafen, shown to it under
    a pseudonym, has no wedge at all."""
    rep = report.build(mcon, SPARKASSE)
    earlier = before["sp"].wedges
    assert _added(rep.wedges["dsw21"], earlier["dsw21"]) == pytest.approx(
        {"umgesetzt": 0, "in Umsetzung": 3500, "beschlossen": 0, "geplant": 0}
    )
    assert _added(rep.wedges[NETWORK], earlier[NETWORK]) == pytest.approx(NETWORK_ADDED)
    own = _added(rep.wedges["sparkasse"], earlier["sparkasse"])
    assert own["beschlossen"] == pytest.approx(300)  # its own intern measure counts for itself
    pseudonyms = [m for m in rep.member if m not in emissions_ids(mcon)]
    assert pseudonyms and not set(pseudonyms) & set(rep.wedges)


def emissions_ids(con) -> set[str]:
    from kek_data import access

    return set(access.member_ids(con))


def test_summary_json_has_the_wedge_per_owner(mcon, full):
    data = cli.summary(mcon, NETWORK_MANAGER)["wedge"]
    assert set(data) == set(full.wedges)
    net = data[NETWORK]
    w = full.wedges[NETWORK]
    assert net["target_year"] == 2030
    assert net["gap_t"] == pytest.approx(w.gap_t)
    assert net["covered_decided_t"] == pytest.approx(w.covered_t)
    assert net["uncovered_t"] == pytest.approx(max(0.0, w.gap_t - w.decided_t))
    assert set(net["by_status"]) == set(wedge_build.STACK_ORDER)


def test_data_package_has_the_table(mcon, full):
    tables = {t.name: t for t in package.build_tables(full, mcon)}
    frame = tables["massnahmen_luecke"].frame
    assert list(frame["member_id"])[0] == NETWORK
    assert frame["uncovered_t"].iloc[0] == pytest.approx(full.wedges[NETWORK].uncovered_t)


def test_deck_has_the_slide(mcon, full):
    from pptx import Presentation

    from kek_data.export import deck, images
    from tests.test_export_deck import texts, titles

    if not images.browser_path().exists():
        pytest.skip("Chromium für den Bildexport fehlt")
    prs = Presentation(io.BytesIO(deck.build_deck(mcon, NETWORK_MANAGER, members=[])))
    got = titles(prs)
    assert wedge.TITLE in got
    slide = prs.slides[got.index(wedge.TITLE)]
    text = "\n".join(texts(slide))
    assert wording.wedge(full.wedges[NETWORK]) in text
    assert any(s.shape_type == 13 for s in slide.shapes)  # the chart as a picture


def _text(at) -> str:
    from tests.test_app import _text as text_of

    return text_of(at)


def test_pages_say_the_sentence(app_test, seeded_db):
    from tests.test_app import _run

    con = db.connect(seeded_db)
    try:
        rep = report.build(con, NETWORK_MANAGER)
    finally:
        con.close()
    at = _run(app_test, "pages/pfad.py")
    text = _text(at)
    assert wedge.TITLE in text and wording.wedge(rep.wedges[NETWORK]) in text
    member = next(m for m in rep.member if m in rep.wedges)
    at.switch_page("pages/mitglied.py").run()
    at.selectbox(key="member").set_value(member).run()
    assert not at.exception, [e.value for e in at.exception]
    assert wording.wedge(rep.wedges[member]) in _text(at)


@pytest.mark.browser
def test_screenshot_of_the_wedge_on_pfad(demo_db_template, tmp_path):
    """Pfad & Lücke at 1440 px with the literal measures, scrolled to "Maßnahmen gegen die
    Lücke": sentence, chart and table drawn; screenshots
    tests/artifacts/screenshots/pfad_massnahmen_1440.png (viewport) and pfad_full_1440.png
    (whole page) — look at them."""
    from tests.browser import chromium, screenshot, streamlit_server, wait_until_idle

    shots = Path(__file__).resolve().parent / "artifacts" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "kek.duckdb"
    shutil.copy(demo_db_template, path)
    con = db.connect(path)
    _add(con)
    con.close()
    with streamlit_server(path) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1440, "height": 1100}, locale="de-DE")
        page.goto(f"{url}/pfad")
        wait_until_idle(page)
        body = page.locator("[data-testid='stMain']").inner_text()
        assert "Die beschlossenen, begonnenen und umgesetzten Maßnahmen schließen" in body
        assert page.locator("[data-testid='stException']").count() == 0
        screenshot(page, shots / "pfad_full_1440.png")
        page.get_by_text(
            "Die beschlossenen, begonnenen und umgesetzten Maßnahmen schließen"
        ).first.evaluate("e => e.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(1500)
        page.screenshot(path=str(shots / "pfad_massnahmen_1440.png"))
        page.close()
