"""The read-side confidentiality matrix (issue 9): what member A's viewer learns of member B.

For every ordered pair (A, B) of the demo members, B's consent (``access.consents``) decides:
*namentlich* — B by name; *nur im Gesamtwert* — B only as a pseudonym ("Mitglied A"), never
B's id, full name or short name (nor a sector only B has); *intern* — nothing of B: no name, no
pseudonym, and B's emission series appears under no label. Surfaces, each built once per A and
checked against the nine Bs: the report, every cached function of ``ui.data`` (called directly),
every chart of ``export.figures`` (its JSON: text, hover, customdata), the data package (every
file as text), the deck (every XML part, speaker notes included, and the JSON of every chart
it renders) and every page through app.py (AppTest as ``mitglied:A``: text, tables, options,
chart JSON). Network management and city see everyone; the public only the named members.
"""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from google.protobuf.json_format import MessageToDict
from PIL import Image

from kek_data import access, db, emissions, reference, report
from kek_data.errors import AccessDenied
from kek_data.export import deck, figures, images, package
from kek_data.viewer import CITY, NETWORK_MANAGER, PUBLIC, Viewer, parse
from tests.test_app import PAGES  # every page of a member's navigation

#: The ten demo members (data/members.csv, seeded by kek_data/demo.py): A of every pair.
MEMBERS = [r["member_id"] for r in reference.read_table("members.csv")]


@pytest.fixture(scope="module")
def truth(demo_db_template: Path) -> dict:
    """Members, consent levels and emission series of the demo database (network view)."""
    con = db.connect(demo_db_template, create=False)
    try:
        members = emissions.members(con, NETWORK_MANAGER).set_index("member_id")
        assert list(members.index) == access.member_ids(con)
        levels = {m: c.level for m, c in access.consents(con).items()}
        series = emissions.all_series(emissions.detail(con, NETWORK_MANAGER))
    finally:
        con.close()
    return {"members": members, "levels": levels, "series": series}


def _strings(value: object) -> Iterator[str]:
    """Every string inside a nested dict/list (JSON strings inside are opened as well)."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, str):
        if value[:1] in "{[":
            try:
                yield from _strings(json.loads(value))
                return
            except ValueError:
                pass
        yield value
    elif value is not None:
        yield str(value)


def fig_text(fig) -> str:
    """A figure's whole JSON (data, layout, text, hover, customdata) as plain strings."""
    return "\n".join(_strings(json.loads(fig.to_json())))


def frame_text(df: pd.DataFrame) -> str:
    return df.to_csv(index=False) + " ".join(map(str, df.columns))


def report_text(rep: report.Report) -> str:
    parts = [frame_text(f) for f in (rep.members, rep.detail, rep.completeness, rep.counted)]
    parts += [repr(r) for r in rep.member.values()]
    parts += [rep.coverage_text(y) for y in rep.coverage_by_year]
    parts += [repr(rep.coverage), repr(rep.coverage_by_year), repr(rep.names)]
    return "\n".join(parts)


def figures_text(rep: report.Report) -> str:
    out = []
    for name in figures.NAMES:
        for member_id in rep.member if name in figures.MEMBER_CHARTS else [None]:
            try:
                out.append(fig_text(figures.build_from(rep, name, member_id)))
            except figures.FigureError as exc:  # only a withheld total stops a chart
                assert access.WITHHELD in str(exc)
    return "\n".join(out)


def ui_data_text(viewer: Viewer) -> tuple[str, pd.DataFrame, pd.DataFrame]:
    """Every cached function of ui.data for ``viewer`` (outside a Streamlit run); also the
    detail and activity frames for the data checks."""
    from ui import data, page_charts

    path = data.db_file()
    detail, act = data.detail(viewer, path), data.activity_table(viewer, path)
    rep = data.report(viewer, path)
    parts = [frame_text(detail), frame_text(act), report_text(rep)]
    parts += [frame_text(data.members(viewer, path)), frame_text(data.completeness(viewer, path))]
    shown = page_charts.completeness_chart(viewer, path)
    parts += [fig_text(shown.fig), frame_text(shown.table), shown.summary or ""]
    for name in figures.NAMES:
        for member_id in rep.member if name in figures.MEMBER_CHARTS else [None]:
            try:
                c = page_charts.chart(viewer, path, name, member_id)
            except figures.FigureError as exc:
                assert access.WITHHELD in str(exc)
                continue
            parts += [fig_text(c.fig), fig_text(c.screen), frame_text(c.table), c.summary or ""]
    parts += [repr(data.years(path)), repr(data.context(path)), repr(data.carrier_names(path))]
    parts += [frame_text(t) for t in data.reference_tables(path).values()]
    parts.append(repr(data.city_balance()))
    return "\n".join(parts), detail, act


def package_text(con, viewer: Viewer) -> str:
    zf = zipfile.ZipFile(io.BytesIO(package.build_package(con, viewer)))
    out = []
    for name in zf.namelist():
        blob = zf.read(name)
        if name.endswith(".xlsx"):
            inner = zipfile.ZipFile(io.BytesIO(blob))
            out += [html.unescape(inner.read(n).decode("utf-8")) for n in inner.namelist()]
        else:
            out.append(blob.decode("utf-8-sig"))
    return "\n".join(out)


def _tiny_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "white").save(buffer, "PNG")
    return buffer.getvalue()


def deck_text(con, viewer: Viewer) -> str:
    """Every XML part of the deck (text, tables, alt texts, notes, properties) and the JSON of
    every chart it renders (rendering replaced by a tiny PNG: the pixels carry no text to read;
    the real rendering is tested in tests/test_export_deck.py)."""
    rendered: list[str] = []
    png = _tiny_png()

    class FakeBatch:  # the deck's charts go through images.Batch
        def __init__(self, *args, **kwargs) -> None:
            self.keys: set[str] = set()

        def __enter__(self):
            return self

        def __exit__(self, *exc) -> None:
            return None

        def submit(self, key, fig, fmt="png", size=None) -> None:
            rendered.append(fig_text(fig))
            self.keys.add(key)

        def __contains__(self, key) -> bool:
            return key in self.keys

        def get(self, key) -> bytes:
            return png

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(images, "Batch", FakeBatch)
        blob = deck.build_deck(con, viewer)
    parts = zipfile.ZipFile(io.BytesIO(blob))
    xml = [
        html.unescape(re.sub(r"<[^>]+>", " ", parts.read(n).decode("utf-8")))
        for n in parts.namelist()
        if n.endswith((".xml", ".rels"))
    ]
    assert rendered, "the deck renders at least one chart"
    return "\n".join(xml + rendered)


def _element_text(e) -> Iterator[str]:
    if type(e).__name__ == "Dataframe":
        yield frame_text(e.value)
        return
    for attr in ("value", "label", "options", "help"):
        try:
            value = getattr(e, attr)
        except Exception:  # noqa: BLE001 - not every element has every attribute
            continue
        if isinstance(value, str | list | tuple | int | float):
            yield from _strings(value)
    proto = getattr(e, "proto", None)
    if proto is not None and hasattr(proto, "DESCRIPTOR"):
        yield from _strings(MessageToDict(proto))


def page_text(at) -> str:
    """Everything a page shows: main area and sidebar (without the Demo-Modus role picker,
    which lists every demo role by design)."""
    from ui import auth

    demo_key = getattr(auth, "DEMO_KEY", None)
    out = []
    for area in (at.main, at.sidebar):
        for e in area:
            if getattr(e, "key", None) == demo_key and demo_key:
                continue
            out.extend(_element_text(e))
    return "\n".join(out)


def pages_text(app_test, monkeypatch, spec: str, ids: list[str]) -> tuple[str, list[str]]:
    """Every page of the navigation as ``spec`` (every member of the Mitglied selector, every
    member of the Export page's member chart); also the Mitglied page's options."""
    monkeypatch.setenv("KEK_DEMO_ROLE", spec)
    at = app_test()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    texts, options = [page_text(at)], []
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        texts.append(page_text(at))
        if page == "pages/mitglied.py":
            options = list(at.selectbox(key="member").options)
            for member_id in ids:  # the ids behind the options (AppTest sets values, not labels)
                at.selectbox(key="member").set_value(member_id).run()
                assert not at.exception, (member_id, [e.value for e in at.exception])
                texts.append(page_text(at))
        if page == "pages/export.py":
            at.main.selectbox[0].set_value("mitglied").run()
            assert not at.exception
            texts.append(page_text(at))
    return "\n".join(texts), options


def _word(text: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(text)}(?![\w-])")


def forbidden(truth: dict, viewer_names: set[str], b: str) -> list[re.Pattern[str]]:
    """What must not appear for a withheld or pseudonymised B: id, full name, short name, and
    its sector if no member the viewer sees by name shares it."""
    row = truth["members"].loc[b]
    words = [b, row["name"], row["short_name"]]
    named_sectors = set(truth["members"].loc[sorted(viewer_names), "sector"])
    if row["sector"] not in named_sectors:
        words.append(row["sector"])
    return [_word(w) for w in words]


def check(surface: str, text: str, truth: dict, a: str | None) -> None:
    """Every B ≠ A against ``text``: gesamt/intern never by id, name, short name."""
    levels = truth["levels"]
    named = {m for m, lv in levels.items() if lv == "namentlich"} | ({a} if a else set())
    for b, level in levels.items():
        if b == a:
            continue
        if level == "namentlich":
            assert truth["members"].loc[b, "short_name"] in text, (surface, a, b, "named")
            continue
        for pattern in forbidden(truth, named, b):
            hit = pattern.search(text)
            where = "" if hit is None else text[max(0, hit.start() - 60) : hit.end() + 60]
            assert hit is None, f"{surface}: {a} sieht {b} ({level}): …{where}…"


def check_series(detail: pd.DataFrame, truth: dict, a: str | None, viewer: Viewer) -> None:
    """The visible emission series are exactly those of A, the named and (for members) the
    pseudonymised members: an intern member's rows appear under no label."""
    levels = truth["levels"]
    seen = emissions.all_series(detail)
    expected = {m for m, lv in levels.items() if lv == "namentlich"} | ({a} if a else set())
    if viewer.sees_member_data:
        expected |= {m for m, lv in levels.items() if lv == "gesamt"}
    got = sorted(sorted(s.items()) for s in seen.values())
    want = sorted(sorted(truth["series"][m].items()) for m in expected)
    assert got == want, (a, sorted(seen))
    pseudonyms = sorted(m for m in seen if m.startswith("mitglied-"))
    n_gesamt = sum(1 for m, lv in levels.items() if lv == "gesamt" and m != a)
    assert pseudonyms == ([] if not viewer.sees_member_data else
                          [access.pseudonym(i)[0] for i in range(n_gesamt)])  # fmt: skip


def check_forged(viewer: Viewer, truth: dict, path: Path) -> None:
    """Forged choices (a member id typed into a widget or a URL): a chart, budget or deck of a
    member withheld from the viewer raises AccessDenied, the same with and without cache."""
    from ui import data, page_charts

    hidden = [
        m for m, lv in truth["levels"].items() if lv != "namentlich" and m != viewer.member_id
    ]
    con = db.connect(path)
    try:
        rep = report.build(con, viewer)
        for b in hidden:
            for name in ("mitglied", "mitglied-scope", "budget"):
                with pytest.raises(AccessDenied):
                    figures.build_from(rep, name, b)
                with pytest.raises(AccessDenied):
                    page_charts.chart(viewer, data.db_file(), name, b)
            with pytest.raises(AccessDenied):
                deck.build_deck(con, viewer, members=[b])
        # a forged comparison choice only ever shows visible members
        chosen = figures.build_from(rep, "vergleich-raten", chosen=[*hidden, *rep.member])
        check("erzwungene Auswahl", fig_text(chosen), truth, viewer.member_id)
    finally:
        con.close()


def test_the_matrix_covers_every_demo_member(truth):
    assert list(truth["members"].index) == MEMBERS  # access.member_ids of the demo database
    assert len(truth["members"]) == 10
    assert set(truth["levels"].values()) == set(access.LEVELS)


@pytest.mark.parametrize("a", MEMBERS)
def test_member_a_sees_b_only_as_consent_allows(a, truth, app_test, seeded_db, monkeypatch):
    viewer = parse(f"mitglied:{a}")
    con = db.connect(seeded_db)
    try:
        rep = report.build(con, viewer)
        for frame in (rep.members, rep.detail, rep.completeness, rep.counted):
            order = list(dict.fromkeys(frame["member_id"]))  # pseudonyms last, never at the
            assert order == [m for m in rep.member if m in order]  # member's place in the list
        check("report", report_text(rep), truth, a)
        check("figures", figures_text(rep), truth, a)
        check("Datenpaket", package_text(con, viewer), truth, a)
        check("Foliensatz", deck_text(con, viewer), truth, a)
    finally:
        con.close()
    text, detail, act = ui_data_text(viewer)
    check("ui.data", text, truth, a)
    check_series(detail, truth, a, viewer)
    assert list(dict.fromkeys(detail["member_id"])) == list(rep.member)
    assert set(act["member_id"]) == {a}  # files and quantities: own only
    check_forged(viewer, truth, seeded_db)
    text, options = pages_text(app_test, monkeypatch, viewer.spec, list(rep.member))
    check("Seiten", text, truth, a)
    named = [m for m, lv in truth["levels"].items() if lv == "namentlich" or m == a]
    n_gesamt = sum(1 for m, lv in truth["levels"].items() if lv == "gesamt" and m != a)
    shorts = [truth["members"].loc[m, "short_name"] for m in truth["members"].index if m in named]
    assert options == [*shorts, *[access.pseudonym(i)[1] for i in range(n_gesamt)]]


def test_public_sees_only_named_members(truth, app_test, seeded_db, monkeypatch):
    con = db.connect(seeded_db)
    try:
        rep = report.build(con, PUBLIC)
        assert not any(m.startswith("mitglied-") for m in rep.member)
        for surface, text in (
            ("report", report_text(rep)),
            ("figures", figures_text(rep)),
            ("Datenpaket", package_text(con, PUBLIC)),
            ("Foliensatz", deck_text(con, PUBLIC)),
        ):
            check(surface, text, truth, None)
            assert "mitglied-a" not in text, surface
    finally:
        con.close()
    text, detail, act = ui_data_text(PUBLIC)
    check("ui.data", text, truth, None)
    check_series(detail, truth, None, PUBLIC)
    assert act.empty
    monkeypatch.setenv("KEK_DEMO_ROLE", "oeffentlich")
    at = app_test()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    check("öffentliche Seite", page_text(at), truth, None)


@pytest.mark.parametrize("viewer", [NETWORK_MANAGER, CITY], ids=["netzwerk", "stadt"])
def test_network_and_city_see_everyone(viewer, truth, app_test, seeded_db, monkeypatch):
    con = db.connect(seeded_db)
    try:
        rep = report.build(con, viewer)
    finally:
        con.close()
    assert list(rep.member) == list(truth["members"].index)
    assert [r.name for r in rep.member.values()] == list(truth["members"]["name"])
    _, detail, act = ui_data_text(viewer)
    assert emissions.all_series(detail) == truth["series"]
    assert set(act["member_id"]) == set(truth["members"].index)
    monkeypatch.setenv("KEK_DEMO_ROLE", viewer.spec)
    at = app_test()
    at.run()
    text = page_text(at)
    for short in truth["members"]["short_name"]:
        assert short in text


def test_a_withheld_total_is_said_on_every_page(app_test, seeded_db, monkeypatch):
    """All but Caritas named: DSW21 would learn Caritas's figures as total minus the nine it
    sees, so every page says "nicht ausgewiesen" and shows no network number or chart."""
    con = db.connect(seeded_db)
    for m in access.member_ids(con):
        if m != "caritas":
            access.set_consent(con, NETWORK_MANAGER, m, "namentlich")
    network = report.build(con, NETWORK_MANAGER).network
    con.close()
    monkeypatch.setenv("KEK_DEMO_ROLE", "mitglied:dsw21")
    at = app_test()
    at.run()
    for page in (None, "pages/vergleich.py", "pages/pfad.py"):
        if page:
            at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        text = page_text(at)
        assert access.WITHHELD in text, page
        assert "Caritas" not in text and "caritas" not in text
        total = f"{network.latest:,.0f}".replace(",", ".")
        assert total not in text, page
