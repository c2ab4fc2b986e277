"""Plotly figures of the dashboard, the same for screen and export.

Why: the council committee sees exported images, the network manager the browser; both come from
these functions (German separators ``,.``, fixed colour per member and carrier from
colour-blind-safe palettes, title, source line "Quelle: KEK-Klimadashboard, Stand …" and the
demo notice). Values in [t CO₂e] unless a function says otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from kek_data import status
from kek_data.wording import DEMO_NOTICE  # written once, in the light wording module

#: Paul Tol "muted" (colour-blind safe) plus grey; member colour = palette[sort_order − 1].
MEMBER_PALETTE = (
    "#332288", "#88CCEE", "#44AA99", "#117733", "#999933",
    "#DDCC77", "#CC6677", "#882255", "#AA4499", "#6B6B6B",
)  # fmt: skip
#: Okabe–Ito (colour-blind safe) for energy carriers.
CARRIER_COLORS = {
    "strom": "#0072B2",
    "erdgas": "#E69F00",
    "heizoel": "#000000",
    "fernwaerme": "#D55E00",
    "diesel": "#56B4E9",
    "benzin": "#CC79A7",
    "fluessiggas": "#F0E442",
    "holz": "#009E73",
    "sonstige": "#999999",
}
PATH_COLOR = "#B2182B"
MEMBERS_PATH_COLOR = "#2166AC"
STATUS_COLORS = {key: light.color for key, light in status.LIGHTS.items()}
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
T_FORMAT = ",.0f"
#: Above this many members, stacked and pie charts show the largest ones and "Weitere (n)".
MAX_SERIES = 12
OTHERS_COLOR = "#BBBBBB"
#: How bars of incomplete data look: hatched and lighter, with these legend entries.
PARTIAL_PATTERN = "/"
PARTIAL_OPACITY = 0.7
PARTIAL_LABEL = "teilweise gemeldet (nicht alle Energieträger)"
OLDER_LABEL = "schraffiert: letztes vollständiges Jahr eingesetzt"
#: Names of the annotations :func:`finish` adds (so that the screen layout can find them).
SOURCE_NOTE = "kek-source"
DEMO_NOTE = "kek-demo"
#: Key of a trace's ``meta`` holding the cell texts a page shows instead of ``text``
#: (kek_data.chart_screen); the exported figure keeps ``text``.
SCREEN_TEXT = "screen_text"
STATUS_SIGNS = {"vollständig": "✓", "teilweise": "◐", "fehlt": "✗"}


@dataclass(frozen=True)
class Context:
    """What every figure shows besides its data: the "Stand" and whether the data are demo data."""

    as_of: str  # German date, e.g. "15.03.2026"
    demo: bool
    basis_note: str = ""  # e.g. "Bilanzbasis: marktbasiert (…)"; empty on the default basis


def member_color(sort_order: int) -> str:
    """Fixed colour of a member, by its position in the network (1-based)."""
    return MEMBER_PALETTE[(sort_order - 1) % len(MEMBER_PALETTE)]


def finish(
    fig: go.Figure, title: str, ctx: Context, y_title: str = "t CO₂e", bottom: int = 80
) -> go.Figure:
    """Common layout: German separators, title, axis, source line and demo notice.

    ``bottom`` is the bottom margin [px]; the source line sits at its lower edge, so charts with
    long (rotated) category labels pass a larger one.
    """
    source = f"Quelle: KEK-Klimadashboard, Stand {ctx.as_of}"
    if ctx.basis_note:
        source += f" · {ctx.basis_note}"
    if ctx.demo:
        source += f" · {DEMO_NOTICE}"
    fig.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 20}},
        separators=",.",
        font={"family": FONT, "size": 14, "color": "#222222"},
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin={"l": 90, "r": 30, "t": 80, "b": bottom},
        legend={"orientation": "v", "yanchor": "top", "y": 1, "x": 1.02, "traceorder": "normal"},
        hovermode="x unified",
        yaxis={
            "title": y_title,
            "gridcolor": "#E5E5E5",
            "tickformat": T_FORMAT,
            "rangemode": "tozero",
        },
        xaxis={"gridcolor": "#F2F2F2", "tickformat": "d", "dtick": 1 if _few_years(fig) else None},
    )
    fig.add_annotation(
        name=SOURCE_NOTE,
        text=source,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-(bottom - 25),
        showarrow=False,
        xanchor="left",
        yanchor="top",
        font={"size": 11, "color": "#555555"},
    )
    if ctx.demo:
        fig.add_annotation(
            name=DEMO_NOTE,
            text=DEMO_NOTICE.upper(),
            xref="paper",
            yref="paper",
            x=1,
            y=1,
            yshift=8,
            yanchor="bottom",
            showarrow=False,
            xanchor="right",
            font={"size": 13, "color": "#B2182B"},
        )
    return fig


def _few_years(fig: go.Figure) -> bool:
    xs = {x for trace in fig.data if getattr(trace, "x", None) is not None for x in trace.x}
    return 0 < len(xs) <= 25 and all(isinstance(x, int | float) for x in xs)


def _hover(unit: str = "t CO₂e") -> str:
    return "%{fullData.name}: %{y:,.1f} " + unit + "<extra></extra>"


def _marks(years: list, hatched: set[int] | frozenset[int], color: str) -> dict:
    """Bar marker of ``color`` that hatches and lightens the bars of ``hatched`` years."""
    return {
        "color": color,
        "pattern": {
            "shape": [PARTIAL_PATTERN if y in hatched else "" for y in years],
            "fillmode": "overlay",
            "fgcolor": "#FFFFFF",
            "solidity": 0.35,
        },
        "opacity": [PARTIAL_OPACITY if y in hatched else 1.0 for y in years] if hatched else 1.0,
    }


def _partial_legend(fig: go.Figure, name: str) -> None:
    """One legend entry explaining the hatched bars (a legend-only bar without data)."""
    fig.add_bar(
        x=[None], y=[None], name=name, marker_color="#9A9A9A",
        marker_pattern={"shape": PARTIAL_PATTERN, "fillmode": "overlay", "fgcolor": "#FFFFFF",
                        "solidity": 0.35},
        hoverinfo="skip",
    )  # fmt: skip


def network_stacked(
    totals: pd.DataFrame,
    members: pd.DataFrame,
    paths: pd.DataFrame,
    ctx: Context,
    older: pd.DataFrame | None = None,
) -> go.Figure:
    """Network total stacked by member against the network path and the sum of member paths.

    ``totals``: wide [t CO₂e] (index year, columns member_id) — the values each year counts;
    ``older``: same shape, True where a member counts with an older complete year (hatched);
    ``members``: member_id, short_name, sort_order; ``paths``: year, network_path, members_path.
    """
    fig = go.Figure()
    members = members[members["member_id"].isin(totals.columns)]
    shown, others = _largest(members, totals)
    years = list(totals.index)
    any_older = False

    def hatched(ids: list[str]) -> set[int]:
        if older is None:
            return set()
        cols = [c for c in ids if c in older.columns]
        mask = older[cols].any(axis=1) if cols else pd.Series(False, index=older.index)
        return {int(y) for y, flag in mask.items() if flag}

    for m in shown.itertuples():
        marks = hatched([m.member_id])
        any_older = any_older or bool(marks)
        fig.add_bar(
            x=years, y=totals[m.member_id].tolist(), name=m.short_name,
            marker=_marks(years, marks, member_color(m.sort_order)), hovertemplate=_hover(),
        )  # fmt: skip
    if len(others):
        ids = list(others["member_id"])
        marks = hatched(ids)
        any_older = any_older or bool(marks)
        fig.add_bar(
            x=years, y=totals[ids].sum(axis=1).tolist(),
            name=f"Weitere ({len(others)} Mitglieder)",
            marker=_marks(years, marks, OTHERS_COLOR), hovertemplate=_hover(),
        )  # fmt: skip
    if any_older:
        _partial_legend(fig, OLDER_LABEL)
    _path_lines(fig, paths)
    fig.update_layout(barmode="stack")
    return finish(fig, "Emissionen des Netzwerks nach Mitglied und Zielpfad", ctx)


def _largest(members: pd.DataFrame, totals: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split members into the largest (latest year) to show and the rest, above MAX_SERIES."""
    if len(members) <= MAX_SERIES:
        return members, members.iloc[0:0]
    latest = totals.ffill().iloc[-1]
    ranked = members.assign(v=[latest.get(m, 0.0) for m in members["member_id"]])
    top = ranked.nlargest(MAX_SERIES - 1, "v")
    return members[members["member_id"].isin(top["member_id"])], members[
        ~members["member_id"].isin(top["member_id"])
    ]


def _path_lines(fig: go.Figure, paths: pd.DataFrame) -> None:
    if "network_path" in paths:
        fig.add_scatter(
            x=paths["year"],
            y=paths["network_path"],
            name="Netzwerkpfad (neutral 2035)",
            mode="lines",
            line={"color": PATH_COLOR, "width": 3, "dash": "dash"},
            hovertemplate=_hover(),
        )
    if "members_path" in paths:
        fig.add_scatter(
            x=paths["year"],
            y=paths["members_path"],
            name="Summe der Mitgliederziele",
            mode="lines",
            line={"color": MEMBERS_PATH_COLOR, "width": 2, "dash": "dot"},
            hovertemplate=_hover(),
        )


def member_breakdown(
    detail: pd.DataFrame,
    by: str,
    path: Mapping[int, float],
    title: str,
    ctx: Context,
    carrier_names: Mapping[str, str],
    partial_years: set[int] | frozenset[int] = frozenset(),
) -> go.Figure:
    """One member's emissions stacked by ``by`` ('carrier_id' or 'scope') against its path.

    Years in ``partial_years`` (not every carrier reported) are drawn lighter and hatched, with
    a legend entry: their bars understate the year.
    """
    fig = go.Figure()
    wide = detail.pivot_table(index="year", columns=by, values="t_co2e", aggfunc="sum")
    years = [int(y) for y in wide.index]
    partial = {y for y in partial_years if y in years}
    for key in wide.columns:
        if by == "carrier_id":
            name, color = carrier_names.get(key, key), CARRIER_COLORS.get(key, "#777777")
        else:
            name = f"Scope {key}"
            color = "#0072B2" if int(key) == 2 else "#E69F00"
        fig.add_bar(
            x=years, y=wide[key].tolist(), name=name, marker=_marks(years, partial, color),
            hovertemplate=_hover(),
        )  # fmt: skip
    if partial:
        _partial_legend(fig, PARTIAL_LABEL)
    if path:
        path_years = sorted(path)
        fig.add_scatter(
            x=path_years,
            y=[path[y] for y in path_years],
            name="Zielpfad",
            mode="lines",
            line={"color": PATH_COLOR, "width": 3, "dash": "dash"},
            hovertemplate=_hover(),
        )
    fig.update_layout(barmode="stack")
    return finish(fig, title, ctx)


def budget(used: float, left: float, total: float, ctx: Context, title: str) -> go.Figure:
    """Carbon budget of the path: used and left [t CO₂e] as one horizontal stacked bar."""
    fig = go.Figure()
    for name, value, color in (("verbraucht", used, "#CC6677"), ("übrig", max(left, 0), "#88CCEE")):
        fig.add_bar(
            y=["Budget"],
            x=[value],
            orientation="h",
            name=name,
            marker_color=color,
            hovertemplate=name + ": %{x:,.0f} t CO₂e<extra></extra>",
        )
    fig.update_layout(barmode="stack", height=300)
    finish(fig, title, ctx)
    fig.update_layout(
        xaxis={"title": "", "tickformat": T_FORMAT, "dtick": None},
        yaxis={"title": "", "tickformat": None},
        hovermode="closest",
    )
    if total:
        fig.add_vline(x=total, line={"color": PATH_COLOR, "dash": "dash"})
    return fig
