"""Charts that put the members side by side: index, rates, shares, gaps, completeness grid.

Why: the Vergleich and Pfad & Lücke pages, the Daten page and the deck compare members; these
figures share the look of :mod:`kek_data.charts` (``finish``, member colours, German
separators) and take tables from :mod:`kek_data.views`. Values in [t CO₂e] unless said.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd
import plotly.graph_objects as go

from kek_data.charts import (
    MAX_SERIES,
    OTHERS_COLOR,
    PARTIAL_LABEL,
    SCREEN_TEXT,
    STATUS_COLORS,
    STATUS_SIGNS,
    Context,
    finish,
    member_color,
)
from kek_data.formulas import WINDOW


def indexed(
    series: Mapping[str, Mapping[int, float]],
    members: pd.DataFrame,
    ctx: Context,
    base_years: Mapping[str, int] | None = None,
    partial: Mapping[str, Iterable[int]] | None = None,
) -> go.Figure:
    """Each member's emissions indexed to its base year = 100 [Index].

    ``partial``: member_id → years reported only in part; drawn as open circles off the line.

    ``base_years``: member_id → base year of its target; without one (or without data in that
    year) the member's first reported year is the base.
    """
    fig = go.Figure()
    base_years = base_years or {}
    any_partial = False
    for m in members.itertuples():
        values = series.get(m.member_id) or {}
        if not values:
            continue
        base_year = base_years.get(m.member_id)
        first = values[base_year if base_year in values else min(values)]
        years = sorted(values)
        gaps = set((partial or {}).get(m.member_id, ()))
        index = {y: values[y] / first * 100 if first else None for y in years}
        color = member_color(m.sort_order)
        fig.add_scatter(
            x=years,
            y=[None if y in gaps else index[y] for y in years],
            name=m.short_name,
            legendgroup=m.member_id,
            mode="lines+markers",
            line={"color": color, "width": 2},
            hovertemplate="%{fullData.name}: %{y:,.1f}<extra></extra>",
        )
        if gaps & set(years):
            any_partial = True
            marked = sorted(gaps & set(years))
            fig.add_scatter(
                x=marked, y=[index[y] for y in marked], name=m.short_name,
                legendgroup=m.member_id, showlegend=False, mode="markers",
                marker={"symbol": "circle-open", "size": 9, "color": color, "line": {"width": 2}},
                hovertemplate="%{fullData.name}: %{y:,.1f} (" + PARTIAL_LABEL
                + ")<extra></extra>",
            )  # fmt: skip
    if any_partial:
        fig.add_scatter(
            x=[None], y=[None], name=PARTIAL_LABEL, mode="markers",
            marker={"symbol": "circle-open", "size": 9, "color": "#6B6B6B"}, hoverinfo="skip",
        )  # fmt: skip
    fig.add_hline(y=100, line={"color": "#999999", "width": 1})
    finish(fig, "Entwicklung im Vergleich (Basisjahr = 100)", ctx, y_title="Index")
    fig.update_yaxes(tickformat=",.0f", rangemode="normal")
    return fig


def rates(table: pd.DataFrame, ctx: Context, year: int | None) -> go.Figure:
    """Achieved vs required reduction per year, both in [% of each member's reporting-year
    emissions per year]; required: to the own path value in ``year``.

    Columns short_name, achieved, required. Linear rates are used here because a compound rate
    to a target of zero does not exist.
    """
    fig = go.Figure()
    fig.add_bar(
        x=table["short_name"], y=table["achieved"], name=f"erreicht (letzte {WINDOW} Jahre)",
        marker_color="#44AA99", hovertemplate="%{x}: %{y:,.1f} %/a<extra>erreicht</extra>",
    )  # fmt: skip
    fig.add_bar(
        x=table["short_name"], y=table["required"], name=f"nötig bis {year}",
        marker_color="#CC6677", hovertemplate="%{x}: %{y:,.1f} %/a<extra>nötig</extra>",
    )  # fmt: skip
    fig.update_layout(barmode="group")
    y_title = "% der Emissionen des Berichtsjahres pro Jahr"  # (Jahr) on a label: that year
    finish(fig, "Minderung pro Jahr: erreicht und nötig", ctx, y_title=y_title, bottom=150)
    fig.update_yaxes(tickformat=",.1f", rangemode="normal")
    fig.update_xaxes(tickformat=None, dtick=None, tickangle=-30)
    return fig


def shares(values: pd.DataFrame, ctx: Context, year: int) -> go.Figure:
    """Share of the network total per member in ``year``; columns short_name, t_co2e, sort_order."""
    if len(values) > MAX_SERIES:
        ranked = values.sort_values("t_co2e", ascending=False)
        rest = ranked.iloc[MAX_SERIES - 1 :]
        values = pd.concat(
            [
                ranked.iloc[: MAX_SERIES - 1],
                pd.DataFrame(
                    {"short_name": [f"Weitere ({len(rest)})"], "t_co2e": [rest["t_co2e"].sum()],
                     "sort_order": [0]}
                ),
            ]
        )  # fmt: skip
    fig = go.Figure(
        go.Pie(
            labels=values["short_name"],
            values=values["t_co2e"],
            marker={
                "colors": [member_color(s) if s else OTHERS_COLOR for s in values["sort_order"]]
            },
            sort=False,
            hole=0.45,
            texttemplate="%{label}<br>%{percent:.1%}",
            hovertemplate="%{label}: %{value:,.0f} t CO₂e (%{percent:.1%})<extra></extra>",
        )
    )
    finish(fig, f"Anteile an den Netzwerkemissionen {year}", ctx)
    fig.update_layout(showlegend=False)
    return fig


def gaps(table: pd.DataFrame, ctx: Context, year: int) -> go.Figure:
    """Gap to the own path per member in ``year`` [t CO₂e]; columns short_name, gap, status.

    Above 2 × MAX_SERIES members only the largest gaps (both directions) are drawn.
    """
    title = f"Abstand zum eigenen Zielpfad {year} (über Pfad = positiv)"
    if len(table) > 2 * MAX_SERIES:
        table = table.loc[table["gap"].abs().nlargest(2 * MAX_SERIES).index]
        title += f", die {2 * MAX_SERIES} größten Abstände"
    fig = go.Figure(
        go.Bar(
            x=table["short_name"],
            y=table["gap"],
            marker_color=[STATUS_COLORS.get(s, "#999999") for s in table["status"]],
            hovertemplate="%{x}: %{y:,.0f} t CO₂e<extra></extra>",
            name="Lücke",
        )
    )
    fig.add_hline(y=0, line={"color": "#333333", "width": 1})
    finish(fig, title, ctx, bottom=150)
    fig.update_yaxes(rangemode="normal")
    fig.update_xaxes(tickformat=None, dtick=None, tickangle=-30)
    fig.update_layout(showlegend=False)
    return fig


def completeness_heatmap(table: pd.DataFrame, names: Mapping[str, str], ctx: Context) -> go.Figure:
    """Member × year grid: 2 = vollständig, 1 = teilweise, 0 = fehlt (rows from completeness).

    ``names``: member_id → label, in the order the rows are drawn (top to bottom).
    """
    code = {"vollständig": 2, "teilweise": 1, "fehlt": 0}
    present = set(table["member_id"])
    order = [m for m in names if m in present]
    wide = (
        table.assign(v=table["status"].map(code))
        .pivot(index="member_id", columns="year", values="v")
        .reindex(order)
    )
    text = table.pivot(index="member_id", columns="year", values="status").reindex(order)
    names = [names[m] for m in order]
    years = [str(y) for y in wide.columns]
    fig = go.Figure(
        go.Heatmap(
            z=wide.values,
            x=years,
            y=list(names),
            text=text.values,
            customdata=text.values,
            texttemplate="%{text}" if len(names) <= 2 * MAX_SERIES else "",
            textfont={"size": 10},
            colorscale=[[0, "#D73027"], [0.5, "#FEE08B"], [1, "#1A9850"]],
            zmin=0,
            zmax=2,
            showscale=False,
            hovertemplate="%{y}, %{x}: %{customdata}<extra></extra>",
            # On a page the words do not fit a phone's cells: one sign each (not colour alone).
            meta={SCREEN_TEXT: text.replace(STATUS_SIGNS).values.tolist()},
        )
    )
    finish(fig, "Vollständigkeit der Meldungen", ctx, y_title="")
    fig.update_layout(
        yaxis={"autorange": "reversed", "tickformat": None, "title": "", "automargin": True},
        # Every year labelled (Plotly thins category labels to every other one by itself).
        xaxis={
            "tickformat": None,
            "type": "category",
            "tickmode": "array",
            "tickvals": years,
            "ticktext": years,
            "dtick": None,
        },
        height=max(350, 40 * len(names) + 180),
        hovermode="closest",
    )
    return fig
