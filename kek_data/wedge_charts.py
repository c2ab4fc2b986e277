"""Chart "Maßnahmen gegen die Lücke" (:mod:`kek_data.wedge`): measures as wedges below the trend.

From the latest counted year L to the target year T: the trend line (grey), the target path
(red, dashed as on every chart), and the measures' remaining wedges stacked downwards from the
trend by status (umgesetzt darkest, geplant lightest with a dotted edge: not decided; no fill
pattern, which the browser's Plotly does not draw on areas). The stacked areas
are drawn as a Plotly ``stackgroup`` on top of an invisible base "Trend nach allen Maßnahmen",
so that each area's own values (the wedge [t CO₂e]) are its data: hover, the page's table and
its text alternative (:mod:`kek_data.chart_text`) read the wedge, not the stacked edge. An arrow
at T names the uncovered gap. German separators, fixed colours, :func:`charts.finish`.
"""

from __future__ import annotations

import plotly.graph_objects as go

from kek_data import access, charts, progress
from kek_data.errors import FigureError
from kek_data.numbers import format_number, format_pct, format_t
from kek_data.report import Report
from kek_data.wedge import TITLE, UNCOVERED, Wedge

TREND_COLOR = "#555555"
#: status → fill colour (Paul Tol muted/bright: colour-blind safe); unknown statuses grey.
STATUS_COLORS = {
    "umgesetzt": "#117733",
    "in Umsetzung": "#44AA99",
    "beschlossen": "#88CCEE",
    "geplant": "#DDCC77",
}
OTHER_COLOR = "#BBBBBB"
BASE_LABEL = "Trend nach allen Maßnahmen"
TREND_LABEL = "Trend (jetziges Tempo)"
PATH_LABEL = "Zielpfad"
#: said inside the plot, bottom left: the y axis shows a section (:func:`y_range`)
AXIS_NOTE = "Achse beginnt nicht bei 0"
#: name of the annotation at the target year
UNCOVERED_NOTE = "kek-ungedeckt"


def title(w: Wedge, who: str) -> str:
    """E.g. "Netzwerk: Maßnahmen gegen die Lücke bis 2030"."""
    return f"{who}: {TITLE} bis {w.target_year}"


def _hover(label: str) -> str:
    return "%{x}: " + label + " %{y:,.1f} t CO₂e<extra></extra>"


def _label(status: str, w: Wedge) -> str:
    return status if status in w.decided else f"{status} (nicht beschlossen)"


def wedges(w: Wedge, title: str, ctx: charts.Context) -> go.Figure:
    """Trend, path and the status wedges from L to T [t CO₂e]."""
    years = list(w.years)
    fig = go.Figure()
    fig.add_scatter(
        x=years, y=[max(w.after(y), 0.0) for y in years], name=BASE_LABEL, mode="lines",
        stackgroup="keile", line={"width": 0, "color": "rgba(0,0,0,0)"},
        fillcolor="rgba(0,0,0,0)", showlegend=False, hovertemplate=_hover(BASE_LABEL),
    )  # fmt: skip
    # A stackgroup stacks upwards: the lowest wedge (geplant) first, umgesetzt on top (at trend).
    for rank, status in enumerate(reversed(list(w.stacks))):
        values = [w.stacks[status][y] for y in years]
        planned = status not in w.decided
        label = _label(status, w)
        fig.add_scatter(
            x=years, y=values, name=label, mode="lines", stackgroup="keile",
            line={"width": 1.5 if planned else 0.5, "color": STATUS_COLORS.get(status, OTHER_COLOR),
                  "dash": "dot" if planned else "solid"},
            fillcolor=STATUS_COLORS.get(status, OTHER_COLOR),
            legendrank=100 - rank, hovertemplate=_hover(label),
        )  # fmt: skip
    fig.add_scatter(
        x=years, y=[w.trend[y] for y in years], name=TREND_LABEL, mode="lines",
        line={"color": TREND_COLOR, "width": 3}, legendrank=1, hovertemplate=_hover(TREND_LABEL),
    )  # fmt: skip
    fig.add_scatter(
        x=years, y=[w.path[y] for y in years], name=PATH_LABEL, mode="lines",
        line={"color": charts.PATH_COLOR, "width": 3, "dash": "dash"}, legendrank=200,
        hovertemplate=_hover(PATH_LABEL),
    )  # fmt: skip
    fig.add_scatter(
        x=[w.latest_year], y=[w.latest_t], name=f"Emissionen {w.latest_year} (gemeldet)",
        mode="markers", marker={"color": "#222222", "size": 10, "symbol": "diamond"},
        legendrank=201, hovertemplate=_hover("gemeldet"),
    )  # fmt: skip
    fig = charts.finish(fig, title, ctx)
    fig.update_layout(
        xaxis={"dtick": 1, "range": [w.latest_year - 0.3, w.target_year + 0.3]},
        yaxis={"range": y_range(w), "rangemode": "normal"},
    )
    fig.add_annotation(
        name=AXIS_NOTE, text=AXIS_NOTE, xref="paper", yref="paper", x=0.005, y=0.01,
        xanchor="left", yanchor="bottom", showarrow=False, font={"size": 11, "color": "#555555"},
    )  # fmt: skip
    _annotate(fig, w)
    return fig


def y_range(w: Wedge) -> list[float]:
    """The y axis [t CO₂e]: from a little below the lowest line (path, wedges' lower edge) to a
    little above the highest, so that wedges of a few percent stay readable; a note in the plot
    says that it does not start at 0 (:data:`AXIS_NOTE`)."""
    values = [*w.trend.values(), *w.path.values(), w.latest_t, *(w.after(y) for y in w.years)]
    lo, hi = min(values), max(values)
    span = (hi - lo) or abs(hi) or 1.0
    return [max(lo - 0.15 * span, 0.0), hi + 0.08 * span]


def _annotate(fig: go.Figure, w: Wedge) -> None:
    """The uncovered gap at T: a red bar from the edge of the decided wedges down to the path,
    and a label pointing at it (data coordinates named explicitly: the export moves paper ones)."""
    t_year = w.target_year
    if not w.has_gap:
        text, y = "kein Abstand im Trend", w.trend[t_year]
    else:
        edge = w.trend[t_year] - w.decided_t
        y = (edge + w.path[t_year]) / 2 if w.uncovered_t else w.path[t_year]
        text = (
            f"{UNCOVERED} {t_year}:<br>{format_t(w.uncovered_t, 0)} "
            f"({format_pct(w.uncovered_pct, 0)})"
            if w.uncovered_t
            else f"Lücke {t_year} gedeckt:<br>{format_t(w.decided_t, 0)} beschlossen"
        )
        if w.uncovered_t:
            fig.add_shape(
                type="line", xref="x", yref="y", x0=t_year, x1=t_year, y0=w.path[t_year],
                y1=edge, line={"color": charts.PATH_COLOR, "width": 5},
            )  # fmt: skip
    fig.add_annotation(
        name=UNCOVERED_NOTE, xref="x", yref="y", x=t_year, y=y, text=text, showarrow=True,
        arrowhead=2, arrowcolor=charts.PATH_COLOR, ax=-130, ay=0, align="right",
        bgcolor="rgba(255,255,255,0.9)", bordercolor=charts.PATH_COLOR,
        font={"size": 13, "color": charts.PATH_COLOR},
    )  # fmt: skip


def summary(w: Wedge) -> str:
    """The chart's text alternative in one line (the page writes :func:`wording.wedge` above),
    e.g. "2025–2030; 2030: Trend 95 t CO₂e, Zielpfad 60 t CO₂e; Keile umgesetzt 2, in Umsetzung
    10, beschlossen 6, geplant (nicht beschlossen) 12 t CO₂e; ungedeckte Lücke 17 t CO₂e."."""
    t_year = w.target_year
    stacks = ", ".join(f"{_label(s, w)} {format_number(v, 0)}" for s, v in w.by_status().items())
    return (
        f"{w.latest_year}–{t_year}; {t_year}: Trend {format_t(w.trend[t_year], 0)}, "
        f"{PATH_LABEL} {format_t(w.path[t_year], 0)}; Keile {stacks} t CO₂e; "
        f"{UNCOVERED} {format_t(w.uncovered_t, 0)}."
    )


def from_report(rep: Report, member_id: str | None = None) -> go.Figure:
    """The chart of ``member_id`` (default: the network) from a report (the named chart
    "massnahmen" of :func:`kek_data.export.figures.build_from`).

    Another member's raises :class:`AccessDenied` (:meth:`Report.find`); a network whose total the
    viewer may not see :class:`FigureError` with :data:`access.WITHHELD`; an owner without a
    wedge (no target path, no next target year, fewer than two years) :class:`FigureError`."""
    if member_id:
        who, owner = rep.find(member_id).short_name, member_id
    else:
        who, owner = "Netzwerk", progress.NETWORK
        if not rep.network.series:
            raise FigureError(f"Netzwerksumme {rep.year}: {access.WITHHELD}.")
    w = rep.wedges.get(owner)
    if w is None:
        raise FigureError(
            f"{who}: kein Keil – es braucht einen Zielpfad mit einem Zieljahr nach {rep.year}, "
            "einen Trend aus mindestens zwei Jahren und die standortbezogene Bilanz."
        )
    return wedges(w, title(w, who), rep.ctx)
