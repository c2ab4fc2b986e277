"""Named charts for the command line, the meeting deck and the pages, as of a reporting year.

Why: ``export chart NAME``, the deck and the pages must show the same figure for the same data;
each name here builds it from :mod:`kek_data.charts` with the key figures of
:mod:`kek_data.progress`. A :class:`Snapshot` loads the data of one viewer once, so a deck with
ten members does not query the database for every slide. "As of year Y" means: only data up to Y
count (latest value, change, gap, rates, trend and budget as :func:`kek_data.progress.kpi`
computes them); for the newest year the figures equal :func:`progress.member_kpis` and
:func:`progress.network_kpi`. Values in [t CO₂e], rates in [%/a].
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd
import plotly.graph_objects as go

from kek_data import charts, emissions, progress, reference, views
from kek_data.errors import AccessDenied, KekError, UnknownMember
from kek_data.numbers import format_date, format_number
from kek_data.viewer import NETWORK_MANAGER, Viewer

#: name → German description (command line help, export page).
NAMES: dict[str, str] = {
    "netzwerk": "Emissionen des Netzwerks nach Mitglied mit Netzwerkpfad",
    "mitglied": "Emissionen eines Mitglieds nach Energieträger mit Zielpfad",
    "mitglied-scope": "Emissionen eines Mitglieds nach Scope mit Zielpfad",
    "vergleich-index": "Entwicklung der Mitglieder im Vergleich (Basisjahr = 100)",
    "vergleich-raten": "Minderung pro Jahr: erreicht und nötig bis 2030, je Mitglied",
    "anteile": "Anteile der Mitglieder an den Netzwerkemissionen im Berichtsjahr",
    "luecke": "Abstand jedes Mitglieds zum eigenen Zielpfad im Berichtsjahr",
    "budget": "CO₂-Budget des Netzwerkpfads",
    "vollstaendigkeit": "Vollständigkeit der Meldungen je Mitglied und Jahr",
}
MEMBER_CHARTS = frozenset({"mitglied", "mitglied-scope"})
#: Charts that show single members (not for viewers who see aggregates only).
_MEMBER_DATA = frozenset(NAMES) - {"netzwerk", "budget"}


class FigureError(KekError):
    """Unknown chart name, missing member or a reporting year without data."""


@dataclass(frozen=True)
class Snapshot:
    """Everything a chart or the deck shows for one viewer and reporting ``year`` [a]."""

    viewer: Viewer
    year: int
    years: tuple[int, ...]  # years with any emissions data
    ctx: charts.Context
    members: pd.DataFrame  # member_id, name, short_name, sector, sort_order (visible ones)
    detail: pd.DataFrame  # emissions.detail of the viewer, years ≤ year
    targets: dict[str, progress.Target]
    kpis: dict[str, progress.Kpi]  # per visible member, as of year
    network: progress.Kpi  # network total, as of year
    network_target: progress.Target | None
    paths: pd.DataFrame  # progress.network_paths (all years to 2035)
    reporting: int  # members with data in year
    carrier_names: dict[str, str]
    completeness: pd.DataFrame  # emissions.completeness, years ≤ year

    def member(self, member_id: str) -> pd.Series:
        """The member's row; :class:`UnknownMember` / :class:`AccessDenied` otherwise."""
        rows = self.members[self.members["member_id"] == member_id]
        if rows.empty:
            if not self.viewer.sees_member_data:
                raise AccessDenied("Für die öffentliche Ansicht sind keine Mitgliedsdaten frei.")
            if not self.viewer.sees_all_members:
                raise AccessDenied(f"Die Daten von „{member_id}“ sind für diese Ansicht gesperrt.")
            known = ", ".join(self.members["member_id"])
            raise UnknownMember(f"Unbekanntes Mitglied „{member_id}“ (bekannt: {known}).")
        return rows.iloc[0]


def _upto(series: dict[int, float], year: int) -> dict[int, float]:
    return {y: v for y, v in series.items() if y <= year}


def load(con: duckdb.DuckDBPyConnection, viewer: Viewer, year: int | None = None) -> Snapshot:
    """Load the data of ``viewer`` once; ``year`` defaults to the newest year with data."""
    totals = emissions.network_totals(con)
    years = tuple(int(y) for y in totals["year"])
    if not years:
        raise FigureError(
            "Die Datenbank enthält noch keine Emissionsdaten. Bitte zuerst Daten hochladen "
            "(oder zum Ausprobieren: python -m kek_data init --demo)."
        )
    if year is None:
        year = years[-1]
    elif year not in years:
        raise FigureError(f"Für {year} liegen keine Daten vor (vorhanden: {years[0]}–{years[-1]}).")
    as_of = emissions.data_as_of(con)
    ctx = charts.Context(
        as_of=format_date(as_of.date()) if as_of else "–", demo=emissions.is_demo(con)
    )
    # The network total is an aggregate everyone may see; its target base needs all members.
    all_detail = emissions.detail(con, NETWORK_MANAGER)
    all_targets = progress.targets(con, NETWORK_MANAGER, all_detail)
    if viewer.sees_all_members:
        detail, goals = all_detail, all_targets
    else:
        detail = emissions.detail(con, viewer)
        goals = {o: t for o, t in all_targets.items() if o == progress.NETWORK or viewer.may_see(o)}
    members = emissions.members(con, viewer).reset_index(drop=True)
    detail = detail[detail["year"] <= year].reset_index(drop=True)
    by_member = emissions.all_series(detail)
    done = progress.complete_member_years(con, viewer)
    kpis = {
        m: progress.kpi(
            m,
            by_member.get(m, {}),
            goals.get(m),
            progress.latest_complete_year(by_member.get(m, {}), done.get(m)),
        )
        for m in members["member_id"]
    }
    network_series = _upto(emissions.series(all_detail), year)
    row = totals[totals["year"] == year]
    complete = emissions.completeness(con, viewer)
    return Snapshot(
        viewer=viewer,
        year=year,
        years=years,
        ctx=ctx,
        members=members,
        detail=detail,
        targets=goals,
        kpis=kpis,
        network=progress.kpi(
            progress.NETWORK,
            network_series,
            goals.get(progress.NETWORK),
            progress.latest_complete_year(network_series, progress.complete_network_years(con)),
        ),
        network_target=goals.get(progress.NETWORK),
        paths=progress.network_paths(con),
        reporting=int(row["members_reporting"].iloc[0]) if not row.empty else 0,
        carrier_names=reference.carrier_names(con),
        completeness=complete[complete["year"] <= year].reset_index(drop=True),
    )


def build(
    con: duckdb.DuckDBPyConnection,
    name: str,
    viewer: Viewer,
    member_id: str | None = None,
    year: int | None = None,
) -> go.Figure:
    """The chart ``name`` (see :data:`NAMES`) for ``viewer`` as of ``year`` (default: newest)."""
    check_name(name, member_id)
    return build_from(load(con, viewer, year), name, member_id)


def check_name(name: str, member_id: str | None = None) -> None:
    """Raise :class:`FigureError` for an unknown name or a member chart without member."""
    if name not in NAMES:
        raise FigureError(f"Unbekanntes Diagramm „{name}“ (möglich: {', '.join(NAMES)}).")
    if name in MEMBER_CHARTS and not member_id:
        raise FigureError(f"Das Diagramm „{name}“ braucht ein Mitglied (--member KENNUNG).")


def build_from(snap: Snapshot, name: str, member_id: str | None = None) -> go.Figure:
    """The chart ``name`` from an already loaded :class:`Snapshot`."""
    check_name(name, member_id)
    if name in _MEMBER_DATA and not snap.viewer.sees_member_data:
        raise AccessDenied(f"Das Diagramm „{name}“ zeigt Daten einzelner Mitglieder.")
    if name == "netzwerk":
        return _network(snap)
    if name in MEMBER_CHARTS:
        return _member(snap, str(member_id), "carrier_id" if name == "mitglied" else "scope")
    if name == "budget":
        return _budget(snap, member_id)
    if snap.members.empty:
        raise FigureError("Keine Mitglieder sichtbar.")
    if name == "vergleich-index":
        series = {m: k.series for m, k in snap.kpis.items()}
        base_years = {m: k.base_year for m, k in snap.kpis.items() if k.base_year is not None}
        return charts.indexed(series, snap.members, snap.ctx, base_years)
    if name == "vergleich-raten":
        return charts.rates(views.rates_table(snap.kpis, snap.members), snap.ctx)
    if name == "anteile":
        table = views.share_table(member_totals(snap), snap.members, snap.year)
        return charts.shares(table, snap.ctx, snap.year)
    if name == "luecke":
        return charts.gaps(gap_table(snap), snap.ctx, snap.year)
    return _completeness(snap)


def _network(snap: Snapshot) -> go.Figure:
    """All members stacked; a member sees itself and the others as one aggregate bar."""
    series = pd.Series(snap.network.series, dtype="float64")
    if snap.viewer.sees_all_members and not snap.detail.empty:
        totals, members = member_totals(snap), snap.members
    else:
        own = member_totals(snap).reindex(series.index).fillna(0.0)
        label = "Übrige Mitglieder" if len(own.columns) else "Netzwerk gesamt"
        totals = own.assign(rest=series - own.sum(axis=1))
        members = pd.concat(
            [snap.members, pd.DataFrame([{"member_id": "rest", "short_name": label,
                                          "sort_order": 10}])],
            ignore_index=True,
        )  # fmt: skip
    return charts.network_stacked(totals, members, snap.paths, snap.ctx)


def member_totals(snap: Snapshot) -> pd.DataFrame:
    """Wide [t CO₂e]: index year (≤ reporting year), one column per visible member."""
    if snap.detail.empty:
        return pd.DataFrame()
    return snap.detail.pivot_table(
        index="year", columns="member_id", values="t_co2e", aggfunc="sum"
    )


def _member(snap: Snapshot, member_id: str, by: str) -> go.Figure:
    row = snap.member(member_id)
    rows = snap.detail[snap.detail["member_id"] == member_id]
    if rows.empty:
        raise FigureError(f"Für {row['short_name']} liegen bis {snap.year} keine Daten vor.")
    what = "Energieträger" if by == "carrier_id" else "Scope"
    title = f"{row['short_name']}: Emissionen nach {what}"  # as on the page "Mitglied"
    path = snap.kpis[member_id].path
    return charts.member_breakdown(rows, by, path, title, snap.ctx, snap.carrier_names)


def _budget(snap: Snapshot, member_id: str | None) -> go.Figure:
    if member_id:
        name = str(snap.member(member_id)["short_name"])
        kpi, label = snap.kpis[member_id], f"von {name}"
    else:
        name, kpi, label = "das Netzwerk", snap.network, "des Netzwerkpfads"
    if kpi.budget is None or not kpi.path:
        raise FigureError(f"Für {name} ist kein Zielpfad hinterlegt, also kein CO₂-Budget.")
    b = kpi.budget
    share = format_number(b.used / b.budget * 100, 0) if b.budget else "–"
    title = f"CO₂-Budget {label} {kpi.base_year}–{max(kpi.path)}: {share} % verbraucht"
    return charts.budget(b.used, b.left, b.budget, snap.ctx, title)


def gap_table(snap: Snapshot) -> pd.DataFrame:
    """Members with data in the reporting year: short_name, gap [t CO₂e], status.

    Unlike :func:`kek_data.views.gap_table` a member whose newest data are older than the
    reporting year is left out, because the chart is titled with that year.
    """
    rows = []
    for m in snap.members.itertuples():
        k = snap.kpis[m.member_id]
        if k.latest_year == snap.year and k.gap_latest is not None:
            rows.append({"short_name": m.short_name, "gap": k.gap_latest, "status": k.status})
    return pd.DataFrame(rows, columns=["short_name", "gap", "status"])


def _completeness(snap: Snapshot) -> go.Figure:
    if snap.completeness.empty:
        raise FigureError("Keine Meldungen vorhanden.")
    table = snap.completeness
    short = dict(zip(snap.members["member_id"], snap.members["short_name"], strict=True))
    names = [short.get(m, m) for m in sorted(table["member_id"].unique())]  # pivot order
    return charts.completeness_heatmap(table, names, snap.ctx)
