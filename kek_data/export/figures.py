"""Named charts for the command line, the meeting deck and the pages, from one report snapshot.

Why: ``export chart NAME``, the deck and the pages must show the same figure for the same data;
each name here builds it from :mod:`kek_data.charts` with the figures of a
:class:`kek_data.report.Report` (one viewer, one reporting year) and computes nothing of its
own. Values in [t CO₂e], rates in [%/a].
"""

from __future__ import annotations

import duckdb
import pandas as pd
import plotly.graph_objects as go

from kek_data import (
    access,
    charts,
    comparison_charts,
    report,
    views,
    weather_charts,
    wedge_charts,
)
from kek_data.errors import AccessDenied, FigureError
from kek_data.numbers import format_number
from kek_data.report import Report
from kek_data.viewer import Viewer

#: name → German description (command line help, export page).
NAMES: dict[str, str] = {
    "netzwerk": "Emissionen des Netzwerks nach Mitglied mit Netzwerkpfad",
    "mitglied": "Emissionen eines Mitglieds nach Energieträger mit Zielpfad",
    "mitglied-scope": "Emissionen eines Mitglieds nach Scope mit Zielpfad",
    "vergleich-index": "Entwicklung der Mitglieder im Vergleich (Basisjahr = 100)",
    "vergleich-raten": "Minderung pro Jahr: erreicht und nötig bis zum nächsten Netzwerkziel",
    "anteile": "Anteile der Mitglieder an den Netzwerkemissionen im Berichtsjahr",
    "luecke": "Abstand jedes Mitglieds zum eigenen Zielpfad im Berichtsjahr",
    "budget": "CO₂-Budget des Netzwerkpfads",
    "vollstaendigkeit": "Vollständigkeit der Meldungen je Mitglied und Jahr",
    "witterung": "Heizenergie unbereinigt und witterungsbereinigt (zweite Sicht)",
    "massnahmen": "Maßnahmen gegen die Lücke: Keile nach Status unter dem Trend",
}
MEMBER_CHARTS = frozenset({"mitglied", "mitglied-scope"})
#: Label of the part of a total that the viewer does not see member by member.
OTHERS = "Übrige Mitglieder"


def build(
    con: duckdb.DuckDBPyConnection,
    name: str,
    viewer: Viewer,
    member_id: str | None = None,
    year: int | None = None,
) -> go.Figure:
    """The chart ``name`` (see :data:`NAMES`) for ``viewer`` as of ``year`` (default: newest)."""
    check_name(name, member_id)
    return build_from(report.build(con, viewer, year), name, member_id)


def check_name(name: str, member_id: str | None = None) -> None:
    """Raise :class:`FigureError` for an unknown name or a member chart without member."""
    if name not in NAMES:
        raise FigureError(f"Unbekanntes Diagramm „{name}“ (möglich: {', '.join(NAMES)}).")
    if name in MEMBER_CHARTS and not member_id:
        raise FigureError(f"Das Diagramm „{name}“ braucht ein Mitglied (--member KENNUNG).")


def build_from(
    rep: Report, name: str, member_id: str | None = None, chosen: list[str] | None = None
) -> go.Figure:
    """The chart ``name`` from a report; ``chosen`` limits comparison charts to these members.

    Consistent with the report: a chart shows only members in ``rep.member`` (what the viewer
    may see under the consent); another member's chart raises :class:`AccessDenied`
    (:meth:`Report.find`), a withheld network total (:func:`access.total_shown`) a
    :class:`FigureError` that says :data:`access.WITHHELD`.
    """
    check_name(name, member_id)
    if name == "netzwerk":
        return network(rep)
    if name in MEMBER_CHARTS:
        return member(rep, str(member_id), "carrier_id" if name == "mitglied" else "scope")
    if name == "budget":
        return budget(rep, member_id)
    if name == "witterung":
        if not member_id and not rep.network.series:
            raise withheld(rep)
        return weather_charts.from_report(rep, member_id)
    if name == "massnahmen":
        return wedge_charts.from_report(rep, member_id)
    if not rep.member:
        if rep.viewer.sees_all_members:
            raise FigureError("Keine Mitglieder vorhanden.")
        raise AccessDenied(
            f"Das Diagramm „{name}“ zeigt einzelne Mitglieder; für diese Ansicht ist keines "
            "freigegeben."
        )
    ids = list(rep.member) if chosen is None else [m for m in rep.member if m in chosen]
    if name == "vergleich-index":
        shown = _coloured(rep, rep.members[rep.members["member_id"].isin(ids)])
        series = {m: rep.member[m].reported for m in ids}
        base_years = {m: rep.member[m].kpi.base_year for m in ids}
        partial = {m: rep.member[m].partial_years for m in ids}
        return comparison_charts.indexed(series, shown, rep.ctx, base_years, partial)  # type: ignore[arg-type]
    if name == "vergleich-raten":
        year = views.first_reference_year(rep)
        return comparison_charts.rates(views.rates_table(rep, ids), rep.ctx, year)
    if name == "anteile":
        return shares(rep)
    if name == "luecke":
        return comparison_charts.gaps(views.gap_table(rep, ids), rep.ctx, rep.year)
    return completeness(rep)


REST = "rest"  # the column of "Übrige Mitglieder" in the network chart


def colour_orders(rep: Report) -> dict[str, int]:
    """Shown member id → the ``sort_order`` whose palette colour its series gets
    (:func:`charts.member_color`), plus :data:`REST` for "Übrige Mitglieder".

    A named member keeps its own colour on every view. A pseudonym's order lies after the
    named members (:func:`access.visibility`) and would repeat their colours; it gets a free
    palette slot instead (slots of members not named, in pseudonym order, so the colour tells
    nothing about who it is), and the rest the grey last slot if free, else the next one.
    """
    n = len(charts.MEMBER_PALETTE)
    out = {m: r.sort_order for m, r in rep.member.items() if not views.is_pseudonym(r)}
    used = {(o - 1) % n for o in out.values()}
    free = [i + 1 for i in range(n) if i not in used]
    rest = n if n in free else (free[-1] if free else n)
    free = [o for o in free if o != rest] or [rest]
    pseudonyms = [m for m in rep.member if m not in out]
    out |= {m: free[i % len(free)] for i, m in enumerate(pseudonyms)}
    return out | {REST: rest}


def _coloured(rep: Report, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (member_id, sort_order) with the colour orders of :func:`colour_orders`."""
    orders = colour_orders(rep)
    return frame.assign(sort_order=frame["member_id"].map(orders).fillna(0).astype(int))


def counted_wide(rep: Report) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Wide [t CO₂e] of the values each year counts (index year, one column per visible member)
    and a same-shaped mask, True where a member counts with an older complete year."""
    if rep.counted.empty:
        return pd.DataFrame(), pd.DataFrame()
    c = rep.counted.assign(older=rep.counted["counted_year"] != rep.counted["year"])
    values = c.pivot_table(index="year", columns="member_id", values="t_co2e", aggfunc="sum")
    older = c.pivot_table(index="year", columns="member_id", values="older", aggfunc="max")
    return values, older.fillna(False).astype(bool)


def withheld(rep: Report) -> FigureError:
    """The error of a chart whose network total the viewer may not see (fewer than three
    contributors, or exactly one withheld: :func:`access.total_shown`)."""
    return FigureError(f"Netzwerksumme {rep.year}: {access.WITHHELD}.")


def network(rep: Report) -> go.Figure:
    """All members stacked; a viewer who does not see every member gets the members it sees
    (own organisation, named members, pseudonyms) and the rest as one aggregate bar
    ("Übrige Mitglieder"), only in years whose total it may see."""
    total = pd.Series(rep.network.series, dtype="float64")
    if total.empty:
        raise withheld(rep)
    values, older = counted_wide(rep)
    members = rep.members
    if not rep.viewer.sees_all_members:
        own = values.reindex(total.index).fillna(0.0)
        label = OTHERS if len(own.columns) else "Netzwerk gesamt"
        values = own.assign(**{REST: total - own.sum(axis=1)})
        older = older.reindex(total.index).fillna(False).assign(**{REST: False}).astype(bool)
        rest = pd.DataFrame([{"member_id": REST, "short_name": label, "sort_order": 0}])
        members = _coloured(rep, pd.concat([members, rest], ignore_index=True))
    return charts.network_stacked(values, members, rep.paths, rep.ctx, older)


def shares(rep: Report) -> go.Figure:
    """Each visible member's share of the network total in the reporting year; the members the
    viewer does not see form one slice "Übrige Mitglieder" (so the shares are of the whole
    network). Needs the total: :func:`withheld` otherwise."""
    values = _coloured(rep, views.share_table(rep))
    if not rep.viewer.sees_all_members:
        if rep.network.latest is None:
            raise withheld(rep)
        rest = rep.network.latest - float(values["t_co2e"].sum())
        if rest > 0:
            row = {"member_id": REST, "short_name": OTHERS, "t_co2e": rest, "sort_order": 0}
            values = pd.concat([values, pd.DataFrame([row])], ignore_index=True)
    return comparison_charts.shares(values, rep.ctx, rep.year)


def member(rep: Report, member_id: str, by: str) -> go.Figure:
    """One member's emissions by carrier or scope, partial years hatched."""
    r = rep.find(member_id)
    rows = rep.detail[rep.detail["member_id"] == member_id]
    if rows.empty:
        raise FigureError(f"Für {r.short_name} liegen bis {rep.year} keine Daten vor.")
    what = "Energieträger" if by == "carrier_id" else "Scope"
    title = f"{r.short_name}: Emissionen nach {what}"  # as on the page "Mitglied"
    return charts.member_breakdown(
        rows, by, r.kpi.path, title, rep.ctx, rep.carrier_names, r.partial_years
    )


def budget_title(rep: Report, member_id: str | None = None) -> str:
    """Title of the budget chart, e.g. "CO₂-Budget des Netzwerkpfads 2015–2035: 74 % verbraucht"."""
    if member_id:
        r = rep.find(member_id)
        kpi, label = r.kpi, f"von {r.short_name}"
    else:
        kpi, label = rep.network, "des Netzwerkpfads"
    b = kpi.budget
    if b is None:
        return ""
    share = format_number(b.used / b.budget * 100, 0) if b.budget else "–"
    return f"CO₂-Budget {label} {kpi.base_year}–{kpi.budget_end}: {share} % verbraucht"


def budget(rep: Report, member_id: str | None = None) -> go.Figure:
    """Carbon budget of the network path (or of one member's path)."""
    kpi = rep.find(member_id).kpi if member_id else rep.network
    if not member_id and kpi.latest is None and not rep.viewer.sees_all_members:
        raise withheld(rep)
    if kpi.budget is None or not kpi.path:
        name = rep.find(member_id).short_name if member_id else "das Netzwerk"
        raise FigureError(f"Für {name} ist kein Zielpfad hinterlegt, also kein CO₂-Budget.")
    b = kpi.budget
    return charts.budget(b.used, b.left, b.budget, rep.ctx, budget_title(rep, member_id))


def completeness(rep: Report) -> go.Figure:
    """Member × year grid of the completeness states."""
    if rep.completeness.empty:
        raise FigureError("Keine Meldungen vorhanden.")
    table = rep.completeness
    short = {m: r.short_name for m, r in rep.member.items()}
    present = set(table["member_id"])
    names = {m: short.get(m, m) for m in rep.member if m in present}
    return comparison_charts.completeness_heatmap(table, names, rep.ctx)
