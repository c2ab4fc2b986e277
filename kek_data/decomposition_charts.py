"""Chart of the decomposition "eigene Minderung und Strommix" (:mod:`kek_data.decomposition`).

A bridge from the base year's emissions to the counted year's: two floating bars for the activity
part and the factor part (plus one for carriers without a base-year factor). Values in [t CO₂e];
fixed colours, German labels, :func:`kek_data.charts.finish`.
"""

from __future__ import annotations

import plotly.graph_objects as go

from kek_data import charts
from kek_data.decomposition import ACTIVITY_LABEL, FACTOR_LABEL, Decomposition
from kek_data.numbers import format_number

TOTAL_COLOR = "#6B6B6B"
ACTIVITY_COLOR = "#117733"
FACTOR_COLOR = "#0072B2"
UNASSIGNED_COLOR = "#BBBBBB"


def _first_up(text: str) -> str:
    return text[:1].upper() + text[1:]


def title(d: Decomposition, who: str) -> str:
    """Chart title, e.g. "Netzwerk 2015–2025: eigene Minderung und sauberere Faktoren"."""
    return f"{who} {d.base_year}–{d.year}: eigene Minderung und sauberere Faktoren"


def bridge(d: Decomposition, title: str, ctx: charts.Context) -> go.Figure:
    """Base year → activity part → factor part → counted year [t CO₂e]."""
    labels = [f"Emissionen {d.base_year}", _first_up(ACTIVITY_LABEL), _first_up(FACTOR_LABEL)]
    heights = [d.base, d.activity, d.factors]
    bases = [0.0, d.base, d.base + d.activity]
    colors = [TOTAL_COLOR, ACTIVITY_COLOR, FACTOR_COLOR]
    if d.missing_factor:
        labels.append("Faktor fehlt")
        heights.append(d.unassigned)
        bases.append(d.base + d.activity + d.factors)
        colors.append(UNASSIGNED_COLOR)
    labels.append(f"Emissionen {d.year}")
    heights.append(d.latest)
    bases.append(0.0)
    colors.append(TOTAL_COLOR)
    fig = go.Figure(
        go.Bar(
            name="t CO₂e",
            x=labels,
            y=heights,
            base=bases,
            marker={"color": colors},
            text=[
                format_number(h, 0)
                if i in (0, len(heights) - 1)
                else f"{format_number(h, 0)} ({format_number(d.points(h), 1)} Punkte)"
                for i, h in enumerate(heights)
            ],  # fmt: skip
            textposition="outside",
            hovertemplate="%{x}: %{y:,.0f} t CO₂e<extra></extra>",
        )
    )
    fig = charts.finish(fig, title, ctx)
    fig.update_layout(
        showlegend=False, hovermode="closest", xaxis={"type": "category", "tickangle": 0}
    )
    return fig
