"""Export-only tweaks of a Plotly figure so that an image keeps the look of the screen.

The charts place the legend and the source line below the plot in *paper* units designed for the
on-screen height (450 px); at a different export height they would drift into the plot or off the
canvas, so their pixel distance from the plot is kept instead. Long titles are wrapped and
crowded x axes thinned or turned for narrow exports. Sizes in [CSS px].
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go

from kek_data.errors import ImageExportError

#: Height [px] Plotly uses when a layout sets none – the height the charts are designed for.
SCREEN_HEIGHT = 450
#: Plotly's default top and bottom margins [px].
_DEFAULT_MARGIN = {"t": 100, "b": 80}


def _move_outside(y: float, factor: float) -> float:
    """Keep the pixel distance of a paper coordinate outside [0, 1] when the plot height changes."""
    if y < 0:
        return y * factor
    if y > 1:
        return 1 + (y - 1) * factor
    return y


def prepare(fig: go.Figure | Mapping[str, Any], width: int, height: int) -> dict[str, Any]:
    """A copy of the figure as a dict, sized ``width`` × ``height`` [CSS px] for export.

    Legend and annotations placed outside the plot area in paper units keep their pixel distance
    from the plot they have on screen (height ``layout.height`` or :data:`SCREEN_HEIGHT`).
    """
    spec: dict[str, Any] = fig.to_dict() if isinstance(fig, go.Figure) else _deep_copy(fig)
    layout = spec.setdefault("layout", {})
    margin = {**_DEFAULT_MARGIN, **(layout.get("margin") or {})}
    screen_plot = (layout.get("height") or SCREEN_HEIGHT) - margin["t"] - margin["b"]
    export_plot = height - margin["t"] - margin["b"]
    if export_plot < 50:
        raise ImageExportError(
            f"Die Höhe {height} px ist für dieses Diagramm zu klein (mindestens "
            f"{margin['t'] + margin['b'] + 50} px)."
        )
    factor = screen_plot / export_plot if screen_plot > 0 else 1.0
    for ann in layout.get("annotations") or []:
        if ann.get("yref", "paper") == "paper" and isinstance(ann.get("y"), int | float):
            ann["y"] = _move_outside(float(ann["y"]), factor)
    legend = layout.get("legend") or {}
    if legend.get("yref", "paper") == "paper" and isinstance(legend.get("y"), int | float):
        legend["y"] = _move_outside(float(legend["y"]), factor)
    _fit_title(layout, width)
    _fit_x_labels(spec, width)
    layout["width"], layout["height"] = width, height
    return spec


def _fit_title(layout: dict[str, Any], width: int) -> None:
    """Wrap a title wider than the export onto more lines (0.6 em per character) and make room."""
    title = layout.get("title")
    if not isinstance(title, dict) or not title.get("text") or "<br>" in title["text"]:
        return
    size = float(
        (title.get("font") or {}).get("size") or (layout.get("font") or {}).get("size", 12) * 1.4
    )
    per_line = max(int(width * 0.96 / (0.6 * size)), 10)
    lines: list[str] = []
    for word in str(title["text"]).split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= per_line:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > 1:
        title["text"] = "<br>".join(lines)
        margin = {"t": _DEFAULT_MARGIN["t"], **(layout.get("margin") or {})}
        margin["t"] += round(size * 1.2 * (len(lines) - 1))
        layout["margin"] = margin


def _fit_x_labels(spec: dict[str, Any], width: int) -> None:
    """Keep x labels readable in a narrow export (estimates with a 0.6 em character width).

    Year axes with a tick every year (``dtick`` 1) get a tick every 2 or 5 years when the
    labels would not fit side by side (Plotly would turn them by 90°). Category labels that do
    not fit are turned by 30° (as Plotly does) and the bottom margin and the source line below
    the plot move down by the height the turned labels need, so they never overlap.
    """
    layout = spec["layout"]
    xaxis = layout.get("xaxis") or {}
    font = float((layout.get("font") or {}).get("size", 12))
    char = 0.6 * font
    margin = {"l": 80, "r": 80, **_DEFAULT_MARGIN, **(layout.get("margin") or {})}
    legend = layout.get("legend") or {}
    plot = width - margin["l"] - margin["r"]
    shown = [tr for tr in spec.get("data", []) if tr.get("showlegend", True) is not False]
    vertical = legend.get("orientation", "v") == "v" and layout.get("showlegend") is not False
    if vertical and (len(shown) > 1 or layout.get("showlegend")):
        plot -= 40 + char * max((len(str(tr.get("name", ""))) for tr in shown), default=0)
    xs = [x for tr in spec.get("data", []) if tr.get("type", "scatter") != "pie"
          for x in _values(tr.get("x"))]  # fmt: skip
    if not xs or plot <= 0:
        return
    if all(isinstance(x, numbers.Real) for x in xs) and xaxis.get("dtick") == 1:
        count = int(max(xs) - min(xs)) + 1
        for step in (1, 2, 5, 10):
            if -(-count // step) * (4 * char + font) <= plot:
                break
        if step > 1:
            xaxis["dtick"], xaxis["tick0"] = step, min(xs)
    elif all(isinstance(x, str) for x in xs) and "tickangle" not in xaxis:
        labels = list(dict.fromkeys(xs))
        longest = max(len(s) for s in labels) * char
        if longest + font <= plot / len(labels):
            return
        extra = round(longest * 0.5 + font * 0.87 - font * 1.2) + 4  # turned by 30°
        xaxis["tickangle"] = 30
        margin["b"] += extra
        layout["margin"] = margin
        for ann in layout.get("annotations") or []:
            if ann.get("yref", "paper") == "paper" and ann.get("y", 1) <= 0:
                ann["yshift"] = (ann.get("yshift") or 0) - extra
    layout["xaxis"] = xaxis


def _values(x: Any) -> list[Any]:
    """The x values of a trace (list, tuple, numpy array or None) as a list."""
    if x is None:
        return []
    return x.tolist() if hasattr(x, "tolist") else list(x)


def _deep_copy(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _deep_copy(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_deep_copy(v) for v in value]
    return value
