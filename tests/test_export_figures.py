"""Named charts and the reporting-year snapshot behind the CLI, the deck and the export page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kek_data import db, emissions, progress
from kek_data.errors import AccessDenied, UnknownMember
from kek_data.export import figures
from kek_data.viewer import NETWORK_MANAGER, PUBLIC, Viewer


@pytest.fixture(scope="module")
def mcon(demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("figuren") / "kek.duckdb"
    shutil.copy(demo_db_template, path)
    con = db.connect(path)
    yield con
    con.close()


@pytest.fixture(scope="module")
def snap(mcon) -> figures.Snapshot:
    return figures.load(mcon, NETWORK_MANAGER)


def test_snapshot_of_newest_year_equals_progress(mcon, snap):
    assert snap.year == 2025 and snap.years == tuple(range(2015, 2026))
    assert snap.kpis == progress.member_kpis(mcon, NETWORK_MANAGER)
    assert snap.network == progress.network_kpi(mcon)
    assert snap.ctx.as_of == "15.03.2026" and snap.ctx.demo
    assert snap.reporting == 10


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
    snap = figures.load(mcon, NETWORK_MANAGER, 2020)
    series = emissions.series(emissions.detail(mcon, NETWORK_MANAGER))
    assert snap.network.latest_year == 2020 and snap.network.latest == pytest.approx(series[2020])
    assert set(snap.network.series) == set(range(2015, 2021))
    fig = figures.build_from(snap, "netzwerk")
    assert max(max(t.x) for t in fig.data if t.type == "bar") == 2020
    assert "2020" in figures.build_from(snap, "luecke").layout.title.text
    for k in snap.kpis.values():
        assert k.latest_year <= 2020


def test_gap_table_only_members_with_data_in_the_year(snap):
    table = figures.gap_table(snap)
    # Caritas and Diakonie: 2025 is incomplete (Benzin missing), their figures are from 2024
    current = [k for k in snap.kpis.values() if k.latest_year == snap.year]
    assert len(table) == len(current) == 8
    assert table["gap"].tolist() == [k.gap_latest for k in current]


def test_public_sees_the_network_only(mcon):
    snap = figures.load(mcon, PUBLIC)
    assert snap.members.empty and snap.kpis == {}
    assert snap.network == progress.network_kpi(mcon)
    fig = figures.build_from(snap, "netzwerk")
    assert [t.name for t in fig.data if t.type == "bar"] == ["Netzwerk gesamt"]
    figures.build_from(snap, "budget")
    for name in ("mitglied", "vergleich-raten", "anteile", "luecke", "vollstaendigkeit"):
        with pytest.raises(AccessDenied):
            figures.build_from(snap, name, "dsw21" if name == "mitglied" else None)


def test_member_viewer_sees_own_data_only(mcon):
    snap = figures.load(mcon, Viewer(role="mitglied", member_id="edg"))
    assert list(snap.members["member_id"]) == ["edg"]
    figures.build_from(snap, "mitglied", "edg")
    fig = figures.build_from(snap, "netzwerk")
    bars = [t for t in fig.data if t.type == "bar"]
    assert [t.name for t in bars] == ["EDG", "Übrige Mitglieder"]
    for i, year in enumerate(bars[0].x):
        total = bars[0].y[i] + bars[1].y[i]
        assert total == pytest.approx(progress.network_kpi(mcon).series[year])
    with pytest.raises(AccessDenied):
        figures.build_from(snap, "mitglied", "dsw21")


def test_errors_are_named_and_german(mcon, snap, tmp_path):
    with pytest.raises(figures.FigureError, match="Unbekanntes Diagramm"):
        figures.build(mcon, "torte", NETWORK_MANAGER)
    with pytest.raises(figures.FigureError, match="braucht ein Mitglied"):
        figures.build_from(snap, "mitglied")
    with pytest.raises(UnknownMember, match="Unbekanntes Mitglied"):
        figures.build_from(snap, "mitglied", "xyz")
    with pytest.raises(figures.FigureError, match="keine Daten"):
        figures.load(mcon, NETWORK_MANAGER, 2031)
    empty = db.connect(tmp_path / "leer.duckdb")
    with pytest.raises(figures.FigureError, match="noch keine Emissionsdaten"):
        figures.load(empty, NETWORK_MANAGER)
    empty.close()
