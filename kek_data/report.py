"""The report snapshot: every key figure of one reporting year, for one viewer, built once.

Why: the pages, the meeting deck, the data package and ``summary --json`` must show the same
numbers for the same year; they all read a :class:`Report` from :func:`build` and compute
nothing of their own (they only choose and format). Key figures per series come from
:func:`kek_data.progress.kpi`, formulas from :mod:`kek_data.formulas`.

**The completeness rule** (written once, in :func:`counted_year`): a figure for year *Y* counts
a member with its report for *Y* only if that report is complete (every energy carrier the
member ever reported); otherwise with its newest complete year before *Y*, marked as such; a
member without any complete year up to *Y* is not counted and named as missing. The member's
own key figures (Ampel, gap, rates) use the same year, so network sums equal the sum of the
member rows shown beside them. :meth:`Coverage.text` says it in one German line, e.g.
"2025: 8 von 10 Mitgliedern vollständig · Caritas, Diakonie mit 2024".

Aggregates over all members (network total, sum of the members' paths) are computed from every
member whoever looks; a member or the public gets a total only where :func:`access.total_shown`
allows it (≥ 3 contributors, not exactly one withheld), else the year is missing from the series.
Member figures reach a viewer only for members :func:`access.visibility` shows, under the id and
name the viewer may see ("Mitglied A" for consent *nur im Gesamtwert*).
Values in [t CO₂e], rates in [t CO₂e/a] and [% of the reporting year's emissions per year].
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import duckdb
import pandas as pd

from kek_data import (
    access,
    alignment,
    charts,
    city,
    config,
    decomposition,
    emissions,
    progress,
    reference,
    scope2,
    status,
    weather,
    wedge,
    wedge_build,
)
from kek_data.errors import AccessDenied, ReportError, UnknownMember
from kek_data.numbers import format_count, format_date
from kek_data.viewer import NETWORK_MANAGER, Viewer

COMPLETE = "vollständig"


def counted_year(year: int, complete_years: set[int] | frozenset[int]) -> int | None:
    """The year whose report of a member counts in a figure for ``year`` [a] (see module doc).

    ``year`` itself if complete, else the newest complete year before it, else None.
    """
    earlier = [y for y in complete_years if y <= year]
    return max(earlier) if earlier else None


@dataclass(frozen=True)
class Coverage:
    """Which members a figure of ``year`` counts, and with which year."""

    year: int
    n_members: int  # members of the network with any report
    complete: tuple[str, ...]  # member ids with a complete report for year
    older: tuple[tuple[str, int], ...]  # (member id, counted year) for members counted older
    missing: tuple[str, ...]  # members without any complete report up to year

    def text(self, names: Mapping[str, str] | None = None) -> str:
        """One German line, e.g. "2025: 8 von 10 Mitgliedern vollständig · Caritas, Diakonie
        mit 2024". Without ``names`` (public view) members are only counted, not named."""
        parts = [f"{self.year}: {len(self.complete)} von {self.n_members} Mitgliedern vollständig"]
        by_year: dict[int, list[str]] = {}
        for member_id, used in self.older:
            by_year.setdefault(used, []).append(member_id)
        for used in sorted(by_year, reverse=True):
            ids = by_year[used]
            who = (
                ", ".join(names.get(m, m) for m in ids)
                if names is not None
                else (f"{len(ids)} {'Mitglied' if len(ids) == 1 else 'Mitglieder'}")
            )
            parts.append(f"{who} mit {used}")
        if self.missing:
            ids = self.missing
            who = (
                ", ".join(names.get(m, m) for m in ids)
                if names is not None
                else (f"{len(ids)} {'Mitglied' if len(ids) == 1 else 'Mitglieder'}")
            )
            parts.append(f"{who} ohne vollständige Meldung (nicht enthalten)")
        return " · ".join(parts)


#: The default reporting year needs at least this share of members with a complete report [-].
DEFAULT_YEAR_SHARE = 0.5


def default_year(coverage: Mapping[int, Coverage]) -> int:
    """The newest year in which at least :data:`DEFAULT_YEAR_SHARE` of the members reported
    completely [a]; else the newest year with any complete report; else the newest year.

    Why: one member's early upload of a new year must not make a year the headline whose figures
    are almost all copied from the year before. An explicit year is still allowed.
    """
    years = sorted(coverage)
    for share in (DEFAULT_YEAR_SHARE, 1e-9):
        good = [
            y for y in years
            if coverage[y].n_members and len(coverage[y].complete) >= share * coverage[y].n_members
        ]  # fmt: skip
        if good:
            return good[-1]
    return years[-1]


@dataclass(frozen=True)
class MemberReport:
    """One member's figures in the report: key figures, target and completeness."""

    member_id: str
    name: str
    short_name: str
    sector: str
    sort_order: int
    kpi: progress.Kpi
    target: progress.Target | None
    state: str  # completeness of the reporting year: vollständig / teilweise / fehlt
    missing_carriers: str  # German names of carriers missing in the reporting year
    partial_years: frozenset[int]  # years ≤ reporting year reported only in part
    reported: dict[int, float]  # every reported year ≤ reporting year, partial ones too [t CO₂e]

    def label(self, year: int) -> str:
        """Short name, with the counted year when it is older than ``year``: "Caritas (2024)"."""
        older = self.kpi.latest_year is not None and self.kpi.latest_year != year
        return f"{self.short_name} ({self.kpi.latest_year})" if older else self.short_name


@dataclass(frozen=True)
class Report:
    """Every key figure of reporting ``year`` [a] for ``viewer``."""

    viewer: Viewer
    year: int
    years: tuple[int, ...]  # years with any data
    ctx: charts.Context
    members: pd.DataFrame  # visible members: member_id, name, short_name, sector, sort_order
    member: dict[str, MemberReport]  # visible members, in the network's order
    network: progress.Kpi  # network total under the completeness rule
    network_target: progress.Target | None
    coverage: Coverage  # of the reporting year
    coverage_by_year: dict[int, Coverage]
    lights: dict[str, int]  # traffic light counts of the visible members
    reference_years: tuple[int, ...]  # the network's milestone and neutrality years
    paths: pd.DataFrame  # year, actual, network_path, members_path [t CO₂e]
    counted: pd.DataFrame  # year, member_id, counted_year, t_co2e (visible members)
    detail: pd.DataFrame  # emissions.detail of the viewer, years ≤ year
    completeness: pd.DataFrame  # emissions.completeness of the viewer, years ≤ year
    carrier_names: dict[str, str]
    alignment: dict[str, alignment.Alignment] = field(default_factory=dict)  # Zielabgleich
    unpledged: str = ""  # members counted this year without a target path ("DSW21, 2 weitere")
    #: owner (shown member id or 'netzwerk') → year → change since the base year split into
    #: activity and factors (kek_data.decomposition); the network's only where its totals show
    parts: dict[str, dict[int, decomposition.Decomposition]] = field(default_factory=dict)
    #: the network beside the city's territorial balance (kek_data.city), where totals show
    city: city.Comparison | None = None
    #: 'standort' (location-based, BISKO; targets apply) or 'markt' (kek_data.scope2)
    basis: str = scope2.DEFAULT
    #: owner → heating energy raw and weather-corrected, the second view (kek_data.weather);
    #: the network's only in years whose total shows; location basis only
    weather: dict[str, weather.Series] = field(default_factory=dict)
    #: owner → the measures against the gap to the next target year (kek_data.wedge); the
    #: network's only where its total shows, a member's from the measures the viewer may see;
    #: location basis only
    wedges: dict[str, wedge.Wedge] = field(default_factory=dict)

    @property
    def basis_label(self) -> str:
        """„Bilanzbasis: standortbezogen (BISKO)“ (every surface shows it)."""
        return scope2.label(self.basis)

    @property
    def names(self) -> dict[str, str]:
        """member_id → short name (or pseudonym) of every member the viewer sees."""
        return {m: r.short_name for m, r in self.member.items()}

    def coverage_text(self, year: int | None = None) -> str:
        """The completeness line of ``year`` (default: reporting year), as every surface says it."""
        cov = self.coverage if year is None else self.coverage_by_year[year]
        # Only network management and city read names here; the others see counts, since the
        # line would otherwise name members withheld from them.
        return cov.text(self.names if self.viewer.sees_all_members else None)

    def find(self, member_id: str) -> MemberReport:
        """The member's figures; :class:`UnknownMember` / :class:`AccessDenied` otherwise."""
        if member_id in self.member:
            return self.member[member_id]
        if not self.viewer.sees_all_members:  # withheld by consent, or no such member
            raise AccessDenied(
                f"Die Daten von „{member_id}“ sind für diese Ansicht nicht freigegeben "
                "(Veröffentlichung nach Zustimmung des Mitglieds, siehe Methodik)."
            )
        known = ", ".join(self.member)
        raise UnknownMember(f"Unbekanntes Mitglied „{member_id}“ (bekannt: {known}).")

    @property
    def kpis(self) -> dict[str, progress.Kpi]:
        """member_id → key figures of the visible members."""
        return {m: r.kpi for m, r in self.member.items()}

    def ambition_gap(self, year: int) -> alignment.AmbitionGap:
        """The Ambitionslücke of ``year``: sum of the members' pledges − network path [t CO₂e]."""
        p = self.paths.set_index("year")
        return alignment.ambition_gap(
            dict(zip(p.index, zip(p["members_path"], p["network_path"], strict=True), strict=True)),
            year,
            self.unpledged,
        )

    def ambition_gaps(self) -> list[alignment.AmbitionGap]:
        """The Ambitionslücke in each of the network's reference years (e.g. 2030, 2035)."""
        return [self.ambition_gap(y) for y in self.reference_years]

    def decomposed(self, owner: str) -> decomposition.Decomposition | None:
        """The decomposition of ``owner`` (member id or 'netzwerk') in its counted year."""
        kpi = self.network if owner == progress.NETWORK else self.member[owner].kpi
        return self.parts.get(owner, {}).get(kpi.latest_year or -1)

    def member_total(self) -> float:
        """Sum of the visible members' counted values in the reporting year [t CO₂e]."""
        return float(sum(r.kpi.latest or 0.0 for r in self.member.values()))


def _complete_years(comp: pd.DataFrame) -> dict[str, frozenset[int]]:
    done = comp[comp["status"] == COMPLETE]
    result: dict[str, set[int]] = {}
    for member_id, year in zip(done["member_id"], done["year"], strict=True):
        result.setdefault(str(member_id), set()).add(int(year))
    return {m: frozenset(ys) for m, ys in result.items()}


def _count(
    years: tuple[int, ...],
    series: Mapping[str, Mapping[int, float]],
    complete: Mapping[str, frozenset[int]],
) -> tuple[pd.DataFrame, dict[int, Coverage]]:
    """Rows (year, member_id, counted_year, t_co2e) under the rule, and the coverage per year."""
    rows, coverage = [], {}
    members = [m for m in series if series[m]]
    for year in years:
        done, older, missing = [], [], []
        for m in members:
            if min(series[m]) > year:
                continue  # not yet reporting: not a member of this year's network
            used = counted_year(year, complete.get(m, frozenset()))
            if used is None:
                missing.append(m)
                continue
            if used == year:
                done.append(m)
            else:
                older.append((m, used))
            rows.append((year, m, used, series[m][used]))
        n = len(done) + len(older) + len(missing)
        coverage[year] = Coverage(year, n, tuple(done), tuple(older), tuple(missing))
    frame = pd.DataFrame(rows, columns=["year", "member_id", "counted_year", "t_co2e"])
    return frame, coverage


def build(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    year: int | None = None,
    basis: str = scope2.DEFAULT,
) -> Report:
    """The report of ``year`` for ``viewer``; default: :func:`default_year`.

    ``basis`` 'markt' computes every figure market-based (:mod:`kek_data.scope2`); targets,
    decomposition and the city comparison exist only on the location basis they are defined on.
    """
    on_target_basis = scope2.check_viewer(viewer, basis) == scope2.TARGET_BASIS
    all_detail = emissions.detail(con, NETWORK_MANAGER, basis)
    if not on_target_basis:  # market-based only from the first year with a residual mix
        all_detail = all_detail[all_detail["year"] >= scope2.first_year(con)]
    years = tuple(sorted(int(y) for y in all_detail["year"].unique()))
    if not years:
        raise ReportError(
            "Die Datenbank enthält noch keine Emissionsdaten. Bitte zuerst Daten hochladen "
            "(oder zum Ausprobieren: python -m kek_data init --demo)."
        )
    if year is not None and year not in years:
        raise ReportError(f"Für {year} liegen keine Daten vor (vorhanden: {years[0]}–{years[-1]}).")
    as_of = emissions.data_as_of(con)
    ctx = charts.Context(
        as_of=format_date(as_of.date()) if as_of else "–",
        demo=emissions.is_demo(con),
        basis_note="" if on_target_basis else scope2.label(basis),
    )
    all_comp = emissions.completeness(con, NETWORK_MANAGER)
    series = emissions.all_series(all_detail)
    complete = _complete_years(all_comp)
    counted_all, coverage = _count(years, series, complete)
    if year is None:
        year = default_year(coverage)
    counted_all = counted_all[counted_all["year"] <= year]
    coverage = {y: c for y, c in coverage.items() if y <= year}
    network_all = {int(y): float(v) for y, v in counted_all.groupby("year")["t_co2e"].sum().items()}
    # Aggregates use every member's target; the viewer gets only the targets it may see.
    all_targets = progress.targets(con, NETWORK_MANAGER, series, network_all)
    vorgaben = progress.targets(con, NETWORK_MANAGER, series, network_all, purpose="vorgabe")
    if not on_target_basis:  # targets are agreed location-based (scope2.NO_TARGETS)
        all_targets, vorgaben = {}, {}
    net_target = all_targets.get(progress.NETWORK)
    reference_years = net_target.reference_years if net_target else ()
    horizon = net_target.final_year if net_target else config.NEUTRALITY_YEAR
    vis = access.visibility(con, viewer, emissions.members(con, NETWORK_MANAGER))
    # A total reaches a member or the public only with enough contributors (access.total_shown).
    contributors = counted_all.groupby("year")["member_id"].agg(set)
    network_series = {
        y: v for y, v in network_all.items() if access.total_shown(vis, contributors[y])
    }
    withheld = set(network_all) - set(network_series)
    if net_target and net_target.base_year in withheld:
        # The base (and with it path, change and budget) would be the withheld total of the
        # base year: the network's target reaches this viewer without its base value.
        net_target = replace(net_target, base_value=None)
        all_targets = {**all_targets, progress.NETWORK: net_target}
    network = progress.kpi(
        progress.NETWORK, network_series, net_target, year, reference_years, horizon
    )
    counted_in: dict[int, dict[str, int]] = {}  # year → member → counted year
    for y, member_id, used in zip(
        counted_all["year"], counted_all["member_id"], counted_all["counted_year"], strict=True
    ):
        counted_in.setdefault(int(y), {})[str(member_id)] = int(used)
    source = decomposition.Source(all_detail, decomposition.factor_records(con))
    # The decomposition weighs activity with the location-based factors: only on that basis.
    parts = (
        {
            progress.NETWORK: decomposition.series(
                source, progress.NETWORK, {y: counted_in[y] for y in network_series},
                network.base_year,
            )
        }
        if on_target_basis
        else {}
    )  # fmt: skip
    heat = weather.Source(all_detail, weather.factors(con))
    net_heat = heat.series(progress.NETWORK, {y: counted_in[y] for y in network_series},
                           network.base_year)  # fmt: skip
    heated = {progress.NETWORK: net_heat} if on_target_basis else {}
    members = vis.frame(emissions.members(con, NETWORK_MANAGER))
    real = {shown: m for m, shown in vis.shown.items()}
    comp_now = all_comp[(all_comp["year"] == year)].set_index("member_id")
    past = all_comp[(all_comp["year"] <= year) & (all_comp["status"] != COMPLETE)]
    partial_by_member: dict[str, set[int]] = {}
    for member_id, y in zip(past["member_id"], past["year"], strict=True):
        partial_by_member.setdefault(str(member_id), set()).add(int(y))
    by_member: dict[str, dict[int, float]] = {}
    for y, member_id, value in zip(
        counted_all["year"], counted_all["member_id"], counted_all["t_co2e"], strict=True
    ):
        by_member.setdefault(str(member_id), {})[int(y)] = float(value)
    result: dict[str, MemberReport] = {}
    aligned: dict[str, alignment.Alignment] = {}
    for m in members.itertuples():
        rid = real[m.member_id]
        own = series.get(rid, {})
        used = counted_year(year, complete.get(rid, frozenset()))
        # The member's figures use the same counted values as the network sums, so a partial
        # earlier year never enters its trend, rates or budget either.
        values = by_member.get(rid, {})
        if used is None and own:  # no complete year at all: shown as incomplete
            used = max((y for y in own if y <= year), default=None)
            values = own
        target = all_targets.get(rid)
        if target is not None and rid != m.member_id:  # a pseudonym: no owner, no source text
            target = replace(target, owner=m.member_id, source="nicht veröffentlicht")
        k = progress.kpi(m.member_id, values, target, used, reference_years, horizon, year)
        mine = {y: {rid: counted_in.get(y, {}).get(rid, y)} for y in k.series}
        if on_target_basis:
            parts[m.member_id] = decomposition.series(source, m.member_id, mine, k.base_year)
            heated[m.member_id] = heat.series(m.member_id, mine, k.base_year)
        aligned[m.member_id] = alignment.align(
            m.member_id, k, target, vorgaben.get(rid), net_target, year, reference_years,
            body_shown=rid == m.member_id,
        )  # fmt: skip
        state = comp_now["status"].get(rid, "fehlt") if len(comp_now) else "fehlt"
        missing = comp_now["missing_carriers"].get(rid, "") if len(comp_now) else ""
        result[m.member_id] = MemberReport(
            member_id=m.member_id,
            name=m.name,
            short_name=m.short_name,
            sector=m.sector,
            sort_order=int(m.sort_order),
            kpi=k,
            target=target,
            state=str(state),
            missing_carriers=str(missing or ""),
            partial_years=frozenset(y for y in partial_by_member.get(rid, ()) if y in own),
            reported={y: v for y, v in own.items() if y <= year},
        )
    # Measures against the gap (kek_data.wedge_build decides which measures each wedge uses).
    shown_kpis = {m: (real[m], r.kpi, real[m] != m) for m, r in result.items()}
    in_latest = counted_in.get(network.latest_year or year, {})
    wedges = (
        wedge_build.build(con, viewer, network, shown_kpis, in_latest) if on_target_basis else {}
    )
    owners = [o for o in all_targets if o != progress.NETWORK]
    # The sum of the pledges is complete only if every member counted this year has a path.
    with_path = {o for o in owners if all_targets[o].base_value is not None}
    counted_now = contributors.get(year, set())
    unpledged = [m for m in access.member_ids(con) if m in counted_now and m not in with_path]
    return Report(
        viewer=viewer,
        year=year,
        years=years,
        ctx=ctx,
        members=members,
        member=result,
        network=network,
        network_target=net_target,
        coverage=_seen(coverage[year], vis),
        coverage_by_year={y: _seen(c, vis) for y, c in coverage.items()},
        lights=status.counts([r.kpi.status for r in result.values()]),
        reference_years=reference_years,
        paths=_paths(
            network_series,
            all_targets,
            horizon,
            members_path=access.total_shown(vis, owners) and not unpledged,
        ),
        unpledged=_names(unpledged, vis, result),
        counted=vis.frame(counted_all),
        detail=vis.frame(all_detail[all_detail["year"] <= year]),
        completeness=vis.frame(all_comp[all_comp["year"] <= year]),
        carrier_names=reference.carrier_names(con),
        alignment=aligned,
        parts=parts,
        city=city.compare(network.series, city.balance()) if on_target_basis else None,
        basis=basis,
        weather=heated,
        wedges=wedges,
    )


def _names(ids: list[str], vis: access.Visibility, shown: Mapping[str, MemberReport]) -> str:
    """``ids`` as the viewer may name them: short names, the rest only counted."""
    names = [shown[vis.shown[m]].short_name for m in ids if vis.shown.get(m) in shown]
    others = len(ids) - len(names)
    if not names:
        return format_count(others, "Mitglied", "Mitglieder") if others else ""
    return ", ".join(names) + (f" und {others} weitere" if others else "")


def _seen(cov: Coverage, vis: access.Visibility) -> Coverage:
    """``cov`` with member ids as the viewer sees them; withheld members only counted ("–")."""
    if vis.everything:
        return cov

    def ids(items: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(vis.shown.get(m, "–") for m in items)

    older = tuple((vis.shown.get(m, "–"), y) for m, y in cov.older)
    return Coverage(cov.year, cov.n_members, ids(cov.complete), older, ids(cov.missing))


def _paths(
    actual: Mapping[int, float],
    goals: Mapping[str, progress.Target],
    horizon: int,
    members_path: bool = True,
) -> pd.DataFrame:
    """Per year: network total (rule applied), network path, sum of the members' own paths.

    The last two show the gap between what the members promised and what the network path
    needs [t CO₂e]; both are aggregates over every member.
    """
    net = goals.get(progress.NETWORK)
    start = min([*actual, *(t.base_year for t in goals.values())], default=horizon)
    years = range(start, horizon + 1)
    network_path = net.path(years) if net else {}
    members_sum: dict[int, float] = {}
    for owner, goal in goals.items():
        if owner != progress.NETWORK and members_path:
            for y, value in goal.path(years).items():
                members_sum[y] = members_sum.get(y, 0.0) + value
    nan = float("nan")
    return pd.DataFrame(
        {
            "year": list(years),
            "actual": [actual.get(y, nan) for y in years],
            "network_path": [network_path.get(y, nan) for y in years],
            "members_path": [members_sum.get(y, nan) for y in years],
        }
    )
