"""A finished figure laid out for a page (Streamlit, the public static site), 390–1440 px wide.

Why: :mod:`kek_data.charts` builds each figure once, as it is exported (PNG 2560 × 1440, the
deck): title, legend on the right, source line inside. On a page that legend takes two thirds of
a phone's width and a long title is cut off, so :func:`ui.frame.chart` and the public static
site (:mod:`kek_data.export.public_site`) show :func:`for_screen`'s copy: no title (the page
writes it as text, which wraps), no source line (a caption below), the legend in rows under the
plot. Downloads still export the original figure.
"""

from __future__ import annotations

import plotly.graph_objects as go

from kek_data import charts

#: Plot height on a page without legend, and the height added per legend entry [px] (on a phone
#: each entry takes a row; on a wide page they share rows and the plot gets taller).
PLOT_HEIGHT = 420
LEGEND_ROW = 19


def for_screen(fig: go.Figure) -> go.Figure:
    """A copy of a finished figure (:func:`kek_data.charts.finish`) laid out for the page."""
    screen = go.Figure(fig)
    notes = [a for a in screen.layout.annotations if a.name != charts.SOURCE_NOTE]
    legend_right = screen.layout.legend.orientation in (None, "v")
    shown = screen.layout.showlegend is not False
    entries = sum(1 for t in screen.data if t.name and t.showlegend is not False) if shown else 0
    entries = entries if entries > 1 or screen.layout.showlegend else 0  # Plotly hides a lone one
    screen.layout.annotations = notes  # assigned: update_layout would merge them by position
    screen.update_layout(
        title={"text": ""},
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        # Room for the legend below the plot: one row per entry on a phone, fewer rows when wide.
        height=(fig.layout.height or PLOT_HEIGHT) + (LEGEND_ROW * entries if legend_right else 0),
    )
    screen.update_yaxes(automargin=True)
    screen.update_xaxes(automargin=True)
    for trace in screen.data:
        if isinstance(trace.meta, dict) and charts.SCREEN_TEXT in trace.meta:
            trace.update(text=trace.meta[charts.SCREEN_TEXT], textfont={"size": 14})
        if trace.type == "pie":  # outside labels: shrink the pie rather than cut them off
            trace.update(automargin=True)
    if legend_right:
        screen.update_layout(
            legend={
                "orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom",
                "x": 0, "xanchor": "left", "font": {"size": 12},
            },
        )  # fmt: skip
    return screen
