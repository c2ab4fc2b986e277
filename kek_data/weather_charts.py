"""Chart of the weather-corrected second view (:mod:`kek_data.weather`): heating energy per year.

Two bars per year: the heating energy as reported and the same × climate factor, both in [MWh];
the corrected bar's legend says :data:`kek_data.weather.LABEL` (second view, not the BISKO
balance). A year without a climate factor has no corrected bar and the note "Klimafaktor fehlt";
unverified factors are named in the title. Fixed colours, German labels, :func:`charts.finish`.
"""

from __future__ import annotations

import plotly.graph_objects as go

from kek_data import access, charts, progress
from kek_data.errors import FigureError
from kek_data.report import Report
from kek_data.weather import LABEL, MISSING, ONLY_LOCATION, RAW_LABEL, UNVERIFIED, Series

RAW_COLOR = "#6B6B6B"
CORRECTED_COLOR = "#0072B2"
#: name of the annotation over a year without climate factor
MISSING_NOTE = "kek-klimafaktor-fehlt"


def title(series: Series, who: str) -> str:
    """E.g. "Netzwerk: Heizenergie unbereinigt und witterungsbereinigt (Klimafaktoren nicht
    geprüft)"."""
    text = f"{who}: Heizenergie unbereinigt und witterungsbereinigt"
    if any(not f.verified for f in series.factors):
        text += f" (Klimafaktoren {UNVERIFIED})"
    return text


def heating(series: Series, title: str, ctx: charts.Context) -> go.Figure:
    """Heating energy raw and weather-corrected per year [MWh]."""
    years = sorted(series.points)
    points = [series.points[y] for y in years]
    fig = go.Figure()
    fig.add_bar(
        x=years,
        y=[p.raw_kwh / 1000 for p in points],
        name=RAW_LABEL,
        marker_color=RAW_COLOR,
        hovertemplate="%{x}: %{y:,.0f} MWh " + RAW_LABEL + "<extra></extra>",
    )
    fig.add_bar(
        x=years,
        y=[None if p.corrected_kwh is None else p.corrected_kwh / 1000 for p in points],
        name=LABEL,
        marker_color=CORRECTED_COLOR,
        hovertemplate="%{x}: %{y:,.0f} MWh " + LABEL + "<extra></extra>",
    )
    fig = charts.finish(fig, title, ctx, y_title="MWh")
    fig.update_layout(barmode="group")
    for p in points:
        if p.missing:
            fig.add_annotation(
                name=MISSING_NOTE,
                x=p.year,
                y=p.raw_kwh / 1000,
                text=MISSING,
                showarrow=False,
                yanchor="bottom",
                textangle=-90,
                font={"size": 12, "color": "#B2182B"},
            )
    return fig


def from_report(rep: Report, member_id: str | None = None) -> go.Figure:
    """The chart of ``member_id`` (default: the network) from a report (the named chart
    "witterung" of :func:`kek_data.export.figures.build_from`, which refuses a withheld network
    total first with the wording of every network chart).

    Another member's chart raises :class:`AccessDenied` (:meth:`Report.find`); a network
    without points (its total withheld) a :class:`FigureError` saying
    :data:`kek_data.access.WITHHELD`."""
    if member_id:
        who, owner = rep.find(member_id).short_name, member_id
    else:
        who, owner = "Netzwerk", progress.NETWORK
    if not rep.weather:  # the report computes the view on the location basis only
        raise FigureError(ONLY_LOCATION)
    series = rep.weather.get(owner)
    if owner == progress.NETWORK and (series is None or not series.points):
        raise FigureError(f"{who}: {access.WITHHELD}.")
    if series is None or not series.has_heat:
        raise FigureError(f"{who} hat bis {rep.year} keine Heizenergie gemeldet.")
    return heating(series, title(series, who), rep.ctx)
