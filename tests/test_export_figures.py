"""Named charts from the report snapshot (kek_data.report) behind the CLI, the deck and the
export page."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kek_data import access, config, db, emissions, progress, report, views
from kek_data.errors import AccessDenied, FigureError, UnknownMember
from kek_data.export import figures
from kek_data.viewer import NETWORK_MANAGER, PUBLIC, Viewer, parse


@pytest.fixture(scope="module")
def mcon(demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("figuren") / "kek.duckdb"
    shutil.copy(demo_db_template, path)
    con = db.connect(path)
    yield con
    con.close()


@pytest.fixture(scope="module")
def snap(mcon) -> report.Report:
    return report.build(mcon, NETWORK_MANAGER)


def test_snapshot_of_newest_year_equals_progress(mcon, snap):
    assert snap.year == 2025 and snap.years == tuple(range(2015, 2026))
    assert snap.kpis == report.build(mcon, NETWORK_MANAGER, 2025).kpis
    # the network's key figures are progress.kpi of the series under the completeness rule
    target = snap.network_target
    assert snap.network == progress.kpi(
        progress.NETWORK, snap.network.series, target, 2025, snap.reference_years,
        target.final_year if target else config.NEUTRALITY_YEAR,
    )  # fmt: skip
    assert snap.ctx.as_of == "15.03.2026" and snap.ctx.demo
    # all 10 members report 2025; 8 of them completely (was: snap.reporting == 10)
    assert snap.coverage.n_members == 10 and len(snap.coverage.complete) == 8
    assert snap.coverage.older == (("caritas", 2024), ("diakonie", 2024))


def _bars(fig) -> list:
    """Bars with data (not the legend swatch of hatched bars, which has no x)."""
    return [t for t in fig.data if t.type == "bar" and t.x and t.x[0] is not None]


@pytest.mark.parametrize("name", list(figures.NAMES))
def test_every_named_chart_builds_with_title_source_and_demo(snap, name):
    fig = figures.build_from(snap, name, "dew21" if name in figures.MEMBER_CHARTS else None)
    assert fig.layout.title.text
    texts = [a.text for a in fig.layout.annotations]
    assert any(t.startswith("Quelle: KEK-Klimadashboard, Stand 15.03.2026") for t in texts)
    assert "DEMODATEN (FIKTIV)" in texts
    assert fig.layout.separators == ",."


def test_member_chart_shows_the_member_against_its_path(snap):
    fig = figures.build_from(snap, "mitglied", "dew21")
    assert fig.layout.title.text.startswith("DEW21:")
    path = next(t for t in fig.data if t.name == "Zielpfad")
    assert dict(zip(path.x, path.y, strict=True)) == snap.kpis["dew21"].path
    bars = [t for t in fig.data if t.type == "bar"]
    total_2025 = sum(t.y[list(t.x).index(2025)] for t in bars if 2025 in list(t.x))
    assert total_2025 == pytest.approx(snap.kpis["dew21"].latest)


def test_reporting_year_cuts_the_data(mcon):
    snap = report.build(mcon, NETWORK_MANAGER, 2020)
    series = emissions.series(emissions.detail(mcon, NETWORK_MANAGER))
    # 2020 is complete for all 10 members, so the rule changes nothing: 200.163 t
    assert snap.coverage_text() == "2020: 10 von 10 Mitgliedern vollständig"
    assert snap.network.latest_year == 2020 and snap.network.latest == pytest.approx(series[2020])
    assert snap.network.latest == pytest.approx(200163.109, abs=0.001)
    assert snap.detail["year"].max() == 2020
    assert set(snap.network.series) == set(range(2015, 2021))
    fig = figures.build_from(snap, "netzwerk")
    assert max(max(t.x) for t in _bars(fig)) == 2020
    assert "2020" in figures.build_from(snap, "luecke").layout.title.text
    for k in snap.kpis.values():
        assert k.latest_year <= 2020


def test_gap_table_has_every_member_with_its_counted_year(snap):
    table = views.gap_table(snap)
    # Caritas and Diakonie: 2025 is incomplete, their figures are from 2024. They used to be
    # dropped (8 rows; issue 8: "Slide 16 drops those two members entirely"); now every member
    # is shown, the two labelled with the year they count with.
    assert len(table) == 10
    assert table["gap"].tolist() == [k.gap_latest for k in snap.kpis.values()]
    assert [n for n in table["short_name"] if "(" in n] == ["Caritas (2024)", "Diakonie (2024)"]
    assert "2025" in figures.build_from(snap, "luecke").layout.title.text


NAMED = ["dsw21", "dew21", "edg", "fhdo", "stadt"]  # data/demo_consent.csv: namentlich
GESAMT, INTERN = ["sparkasse", "hafen"], ["ekkdo", "caritas", "diakonie"]


def _shorts(mcon, ids) -> list[str]:
    members = emissions.members(mcon, NETWORK_MANAGER).set_index("member_id")
    return [members.loc[m, "short_name"] for m in ids]


def _every_chart(snap) -> str:
    """The JSON (data, text, hover, customdata) of every chart the viewer may build."""
    out = []
    for name in figures.NAMES:
        for member_id in snap.member if name in figures.MEMBER_CHARTS else [None]:
            try:
                out.append(figures.build_from(snap, name, member_id).to_json())
            except FigureError as exc:  # only a withheld total may stop a chart here
                assert access.WITHHELD in str(exc)
    return "\n".join(out)


def test_public_sees_the_named_members_only(mcon):
    """Consent (issue 9): the public sees the network total and the members named by consent;
    nothing of a "nur im Gesamtwert" or "intern" member, not even a pseudonym."""
    snap = report.build(mcon, PUBLIC)
    assert list(snap.member) == NAMED and list(snap.members["member_id"]) == NAMED
    assert snap.network == report.build(mcon, NETWORK_MANAGER).network
    bars = _bars(figures.build_from(snap, "netzwerk"))
    assert [t.name for t in bars] == [*_shorts(mcon, NAMED), "Übrige Mitglieder"]
    for i, year in enumerate(bars[0].x):
        assert sum(t.y[i] for t in bars) == pytest.approx(snap.network.series[year])
    text = _every_chart(snap)
    for m, name in zip(GESAMT + INTERN, _shorts(mcon, GESAMT + INTERN), strict=True):
        assert m not in text and name not in text
    assert "mitglied-a" not in text and "Mitglied A" not in text
    for m in [*GESAMT, *INTERN, "mitglied-a"]:
        with pytest.raises(AccessDenied):
            figures.build_from(snap, "mitglied", m)
    shares = figures.build_from(snap, "anteile").data[0]
    assert list(shares.labels)[-1] == "Übrige Mitglieder"
    assert sum(shares.values) == pytest.approx(snap.network.latest)


def test_member_viewer_sees_by_consent(mcon):
    snap = report.build(mcon, Viewer(role="mitglied", member_id="edg"))
    network = report.build(mcon, NETWORK_MANAGER).network
    shown = [*NAMED, "mitglied-a", "mitglied-b"]
    assert list(snap.members["member_id"]) == shown and list(snap.member) == shown
    assert {r.sector for m, r in snap.member.items() if m.startswith("mitglied-")} == {"–"}
    figures.build_from(snap, "mitglied", "edg")
    figures.build_from(snap, "mitglied", "mitglied-a")  # a pseudonym: allowed, without name
    fig = figures.build_from(snap, "netzwerk")
    bars = _bars(fig)
    names = [*_shorts(mcon, NAMED), "Mitglied A", "Mitglied B", "Übrige Mitglieder"]
    assert [t.name for t in bars] == names
    edg = bars[names.index("EDG")]
    # EDG's 2017 is partial: it counts with 2016, hatched, with a legend entry
    assert edg.marker.pattern.shape[edg.x.index(2017)] == "/"
    assert "schraffiert: letztes vollständiges Jahr eingesetzt" in [t.name for t in fig.data]
    for i, year in enumerate(edg.x):
        assert sum(t.y[i] for t in bars) == pytest.approx(network.series[year])
    text = _every_chart(snap)
    for m, name in zip(GESAMT + INTERN, _shorts(mcon, GESAMT + INTERN), strict=True):
        assert m not in text and name not in text
    for m in GESAMT + INTERN:
        with pytest.raises(AccessDenied):
            figures.build_from(snap, "mitglied", m)


def test_a_withheld_total_says_so(demo_db_template, tmp_path):
    """All named but Caritas: the public total would give Caritas away by subtraction."""
    path = tmp_path / "k.duckdb"
    shutil.copy(demo_db_template, path)
    con = db.connect(path)
    for m in access.member_ids(con):
        if m != "caritas":
            access.set_consent(con, NETWORK_MANAGER, m, "namentlich")
    snap = report.build(con, PUBLIC)
    assert snap.network.latest is None and views.total_withheld(snap)
    for name in ("netzwerk", "anteile", "budget"):
        with pytest.raises(FigureError, match=re.escape(access.WITHHELD)):
            figures.build_from(snap, name)
    figures.build_from(snap, "luecke")  # the members' own figures stay
    assert "caritas" not in _every_chart(snap)
    assert report.build(con, Viewer("mitglied", "caritas")).network.latest is not None
    con.close()


def test_errors_are_named_and_german(mcon, snap, tmp_path):
    with pytest.raises(figures.FigureError, match="Unbekanntes Diagramm"):
        figures.build(mcon, "torte", NETWORK_MANAGER)
    with pytest.raises(figures.FigureError, match="braucht ein Mitglied"):
        figures.build_from(snap, "mitglied")
    with pytest.raises(UnknownMember, match="Unbekanntes Mitglied"):
        figures.build_from(snap, "mitglied", "xyz")
    with pytest.raises(report.ReportError, match="Für 2031 liegen keine Daten vor"):
        report.build(mcon, NETWORK_MANAGER, 2031)
    with pytest.raises(report.ReportError, match="Für 2031 liegen keine Daten vor"):
        figures.build(mcon, "netzwerk", NETWORK_MANAGER, year=2031)
    empty = db.connect(tmp_path / "leer.duckdb")
    with pytest.raises(report.ReportError, match="noch keine Emissionsdaten"):
        report.build(empty, NETWORK_MANAGER)
    empty.close()


@pytest.mark.parametrize("spec", ["mitglied:caritas", "mitglied:sparkasse", "oeffentlich"])
def test_every_series_has_its_own_colour(mcon, spec):
    """A pseudonym's order follows the named members and would repeat their colours (Mitglied A
    in DSW21's colour); it takes a free palette slot, and a named member keeps its colour."""
    snap = report.build(mcon, parse(spec))
    manager = {t.name: t.marker.color for t in _bars(figures.build_from(report.build(
        mcon, NETWORK_MANAGER), "netzwerk"))}  # fmt: skip
    colours = {t.name: t.marker.color for t in _bars(figures.build_from(snap, "netzwerk"))}
    assert len(set(colours.values())) == len(colours), colours
    for short, colour in colours.items():
        if short in manager and not short.startswith("Mitglied "):
            assert colour == manager[short], short
    index = figures.build_from(snap, "vergleich-index")
    lines = {t.legendgroup: t.line.color for t in index.data if t.line.color}
    assert len(set(lines.values())) == len(lines) == len(snap.member), lines
