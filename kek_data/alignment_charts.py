"""Chart and table of the Zielabgleich (:mod:`kek_data.alignment`), the same for page and export.

Why: the page and the data package show one member's comparison the same way: the own target
path (solid), each reference path dashed, the counted emissions as bars and the trend dotted,
with fixed colours (colour-blind safe, :data:`kek_data.charts.MEMBER_PALETTE`) and the common
layout of :func:`kek_data.charts.finish`. Values in [t CO₂e].
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from kek_data import alignment, charts

#: Fixed colour per path of the Zielabgleich.
COLORS = {
    alignment.OWN: "#332288",
    alignment.PARENT: "#AA4499",
    alignment.SBTI: "#117733",
    alignment.NETWORK: charts.PATH_COLOR,
    alignment.CITY: "#999933",
}
ACTUAL_COLOR = "#88CCEE"
TREND_COLOR = "#555555"
OWN_NAME = "Eigenes Ziel"


def _line(fig: go.Figure, path: dict[int, float], name: str, color: str, dash: str) -> None:
    years = sorted(path)
    width = 3 if dash == "solid" else 2
    fig.add_scatter(
        x=years, y=[path[y] for y in years], name=name, mode="lines",
        line={"color": color, "width": width, "dash": dash},
        hovertemplate="%{y:,.0f} t CO₂e",
    )  # fmt: skip


def chart(al: alignment.Alignment, title: str, ctx: charts.Context) -> go.Figure:
    """One member's Zielabgleich: emissions (bars), own path, reference paths, trend [t CO₂e]."""
    fig = go.Figure()
    if al.actual:
        years = sorted(al.actual)
        fig.add_bar(
            x=years, y=[al.actual[y] for y in years], name="Emissionen (gezählt)",
            marker_color=ACTUAL_COLOR, hovertemplate="%{y:,.0f} t CO₂e",
        )  # fmt: skip
    if al.own:
        _line(fig, al.own, OWN_NAME, COLORS[alignment.OWN], "solid")
    for ref in al.references:
        _line(fig, ref.path, ref.name, COLORS[ref.ref_id], "dash")
    if al.trend:
        _line(fig, al.trend, "Trend (fortgeschrieben)", TREND_COLOR, "dot")
    return charts.finish(fig, title, ctx)


def table(al: alignment.Alignment) -> pd.DataFrame:
    """Reference year × path: allowed value [t CO₂e], strictest marked, the own target's gap to
    each path [t CO₂e] and in % of the base value (positive = own target allows more)."""
    names = {r.ref_id: r.name for r in al.references}
    rows = []
    for c in al.checks:
        when = "ja" if c.past else "nein"
        rows.append((c.year, OWN_NAME, c.pledge, "", None, None, when))
        for ref_id, allowed in c.allowed.items():
            mark = "strengster" if ref_id == c.strictest else ""
            gap = c.gaps.get(ref_id)
            rows.append((c.year, names[ref_id], allowed, mark, gap, c.pct(ref_id), when))
    return pd.DataFrame(
        rows,
        columns=[
            "Jahr", "Pfad", "Erlaubt [t CO₂e]", "Strengster Pfad",
            "Abstand des eigenen Ziels [t CO₂e]", "Abstand [% der Basis]",
            "Nicht nach dem Berichtsjahr",
        ],
    )  # fmt: skip


def sources(al: alignment.Alignment) -> list[str]:
    """One German line per reference path with its source; "nicht geprüft" where unverified."""
    return [
        f"{r.name}: {r.source}" + ("" if r.verified else " (nicht geprüft)") for r in al.references
    ]
