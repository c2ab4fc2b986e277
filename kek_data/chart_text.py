"""The text alternative of a chart (WCAG 1.1.1, BITV 2.0): its title, key numbers and data.

Why: a chart is an image to a screen reader and to anyone who needs the exact figures.
``ui.frame.chart`` and the public static site (:mod:`kek_data.export.public_site`) show under
every chart one line from :func:`describe` and the table from :func:`figure_table`, both read
from the figure's own traces (x, y, name), so that they can never tell a different story than
the bars; :func:`figure_values` is the same data as numbers (CSV). Numbers German (``1.234``),
no Streamlit here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa

from kek_data.charts import SOURCE_NOTE
from kek_data.numbers import format_count, format_number

#: Shown in the table for a value drawn hatched/lighter (partial or older complete year).
HATCHED = " (schraffiert)"
_TAGS = re.compile(r"<[^>]+>")
MAX_NAMED = 4  # series named in the one-line summary


def _plain(text: str | None) -> str:
    return " ".join(_TAGS.sub(" ", text or "").split())


def title_of(fig: go.Figure) -> str:
    """The figure's title as plain text ("" without one)."""
    return _plain(fig.layout.title.text)


def source_of(fig: go.Figure) -> str:
    """The source line :func:`kek_data.charts.finish` wrote ("" without one)."""
    return next((_plain(a.text) for a in fig.layout.annotations if a.name == SOURCE_NOTE), "")


def _unit(fig: go.Figure, horizontal: bool) -> str:
    axis = fig.layout.xaxis if horizontal else fig.layout.yaxis
    return _plain(axis.title.text) if axis.title and axis.title.text else ""


def _decimals(values: Sequence[float]) -> int:
    finite = [abs(v) for v in values if v is not None and v == v]
    return 0 if finite and max(finite) >= 100 else 1


def _number(value: float | None, decimals: int) -> str:
    return format_number(None if value is None else float(value), decimals)


def _label(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _hatched(trace, i: int) -> bool:
    """A bar hatched, or a point drawn as an open circle: a value marked as incomplete."""
    marker = getattr(trace, "marker", None)
    if getattr(marker, "symbol", None) == "circle-open":
        return True
    shapes = getattr(getattr(marker, "pattern", None), "shape", None)
    return isinstance(shapes, list | tuple) and i < len(shapes) and bool(shapes[i])


def _series(fig: go.Figure) -> tuple[list[str], dict[str, dict[str, float]], set, bool]:
    """Categories in order, values per trace name, hatched cells, horizontal orientation."""
    order: list[str] = []
    values: dict[str, dict[str, float]] = {}
    hatched: set[tuple[str, str]] = set()
    horizontal = False
    for trace in fig.data:
        if trace.type not in ("bar", "scatter") or trace.x is None or trace.y is None:
            continue
        horizontal = getattr(trace, "orientation", None) == "h"
        cats, nums = (trace.y, trace.x) if horizontal else (trace.x, trace.y)
        pairs = [(c, v) for c, v in zip(cats, nums, strict=False) if c is not None]
        if not pairs or all(v is None for _, v in pairs):
            continue  # a legend-only entry
        name = _plain(trace.name) or "Wert"
        column = values.setdefault(name, {})
        for i, (cat, value) in enumerate(pairs):
            key = _label(cat)
            if key not in order:
                order.append(key)
            if value is not None and value == value and key not in column:  # NaN: no value
                column[key] = float(value)
            if _hatched(trace, i):
                hatched.add((name, key))
    if order and all(k.lstrip("-").isdigit() for k in order):
        order.sort(key=int)
    return order, values, hatched, horizontal


def figure_table(fig: go.Figure) -> pd.DataFrame:
    """The figure's data as a display table of German text: one row per category (year, member),
    one column per series; a heatmap as its grid, a pie as label and value."""
    for trace in fig.data:
        if trace.type == "heatmap":
            cells = trace.text if trace.text is not None else trace.z
            rows = [_label(y) for y in trace.y]
            table = pd.DataFrame(
                [[str(c) for c in row] for row in cells], columns=[_label(x) for x in trace.x]
            )
            return table.assign(**{"": rows})[["", *table.columns]]
        if trace.type == "pie":
            total = sum(float(v) for v in trace.values)
            return pd.DataFrame(
                {
                    "": [str(label) for label in trace.labels],
                    "Wert": [_number(v, _decimals(trace.values)) for v in trace.values],
                    "Anteil [%]": [_number(float(v) / total * 100 if total else None, 1)
                                   for v in trace.values],
                }
            )  # fmt: skip
    order, values, hatched, horizontal = _series(fig)
    unit = _unit(fig, horizontal)
    out = pd.DataFrame({"": order})
    for name, column in values.items():
        decimals = _decimals(list(column.values()))
        out[f"{name} [{unit}]" if unit else name] = [
            _number(column.get(cat), decimals) + (HATCHED if (name, cat) in hatched else "")
            for cat in order
        ]
    return out


def _describe_grid(trace) -> str:
    """Counts of a heatmap's cell texts and, if few, where the rarer ones are."""
    cells = [
        (_label(y), _label(x), str(c))
        for y, row in zip(trace.y, trace.text, strict=False)
        for x, c in zip(trace.x, row, strict=False)
    ]
    counts = pd.Series([c for _, _, c in cells]).value_counts()
    line = ", ".join(f"{k} {format_number(int(v), 0)}" for k, v in counts.items())
    rare = [(y, x, c) for y, x, c in cells if c != counts.index[0]]
    if 0 < len(rare) <= 2 * MAX_NAMED:
        line += " – " + "; ".join(f"{y} {x}: {c}" for y, x, c in rare)
    return f"{len(trace.y)} Zeilen × {len(trace.x)} Spalten: {line}."


def describe(fig: go.Figure) -> str:
    """One German line with the figure's key numbers, e.g. "2025: zusammen 216.416 t CO₂e;
    größte Anteile DSW21 60.000, …; Netzwerkpfad 200.000"."""
    for trace in fig.data:
        if trace.type == "heatmap" and trace.text is not None:
            return _describe_grid(trace)
        if trace.type == "pie":
            total = sum(float(v) for v in trace.values) or 1.0
            ranked = sorted(zip(trace.labels, trace.values, strict=False), key=lambda p: -p[1])
            parts = [f"{label} {format_number(v / total * 100, 0)} %" for label, v in ranked]
            return "Größte Anteile: " + ", ".join(parts[:MAX_NAMED]) + "."
    order, values, hatched, horizontal = _series(fig)
    if not order:
        return "Keine Daten."
    unit = _unit(fig, horizontal)
    index = unit.lower().startswith("index")  # an index has no unit to repeat after each value
    suffix = f" {unit}" if unit and not index else ""
    bars = {t.name for t in fig.data if t.type == "bar"}
    numeric = all(k.lstrip("-").isdigit() for k in order)
    if len(order) == 1:  # one bar (e.g. the budget): each series' value
        (cat,) = order
        parts = [
            f"{name} {_number(col[cat], _decimals([col[cat]]))}{suffix}"
            for name, col in values.items()
            if cat in col
        ]
        return f"{cat}: " + ", ".join(parts) + "."
    if not numeric:  # categories (members): the extremes of each series
        parts = []
        for name, column in list(values.items())[:2]:
            if not column:
                continue
            hi, lo = max(column, key=column.get), min(column, key=column.get)
            d = _decimals(list(column.values()))
            part = f"höchster Wert {hi} {_number(column[hi], d)}{suffix}"
            if lo != hi:
                part += f", niedrigster {lo} {_number(column[lo], d)}{suffix}"
            parts.append(part if len(values) == 1 else f"{name}: {part}")
        return "; ".join(parts) + f" ({format_count(len(order), 'Eintrag', 'Einträge')})."
    # The newest category with a bar (a path line may run on to 2035), else with any value.
    drawn = [col for n, col in values.items() if n in bars] or list(values.values())
    last = next(c for c in reversed(order) if any(c in col for col in drawn))
    parts = []
    stacked = fig.layout.barmode in ("stack", "relative")
    shown = [(n, col[last]) for n, col in values.items() if last in col]
    if stacked and len([n for n, _ in shown if n in bars]) > 1:
        total = sum(v for n, v in shown if n in bars)
        d = _decimals([total])
        parts.append(f"zusammen {_number(total, d)}{suffix}")
        ranked = sorted(((n, v) for n, v in shown if n in bars), key=lambda p: -p[1])
        parts.append("größte Anteile " + ", ".join(f"{n} {_number(v, d)}" for n, v in ranked[:3]))
        shown = [(n, v) for n, v in shown if n not in bars]
    for n, v in shown[:MAX_NAMED]:
        parts.append(f"{n} {_number(v, _decimals(list(values[n].values())))}{suffix}")
    if len(shown) > MAX_NAMED:
        parts.append(f"und {len(shown) - MAX_NAMED} weitere")
    first = order[0]
    span = f"{first}–{order[-1]}" if first != order[-1] else first
    note = " Schraffierte Werte: siehe Legende." if hatched else ""
    head = f"{last} ({unit})" if index else last
    return f"{span}; {head}: " + "; ".join(parts) + "." + note


def figure_values(fig: go.Figure) -> pd.DataFrame:
    """The figure's bar and line data as numbers (for a CSV): one row per category ("Jahr" as
    int for years), one float column per series, named with the axis unit, e.g.
    "DSW21 [t CO₂e]"; the same traces as :func:`figure_table`."""
    order, values, _hatched_cells, horizontal = _series(fig)
    unit = _unit(fig, horizontal)
    years = bool(order) and all(k.lstrip("-").isdigit() for k in order)
    out = pd.DataFrame({"Jahr" if years else "": [int(k) for k in order] if years else order})
    for name, column in values.items():
        out[f"{name} [{unit}]" if unit else name] = [column.get(c, float("nan")) for c in order]
    return out


@dataclass(frozen=True)
class Shown:
    """A figure as a page shows it: the figure (exported as is), its screen copy, the summary
    line and the data table. Built once per figure; pages share it read-only (``ui.data``)."""

    fig: go.Figure
    screen: go.Figure
    summary: str
    table: pd.DataFrame

    @cached_property
    def spec(self) -> dict:
        """The exported figure as a dict, taken once (the downloads render it on a click)."""
        return self.fig.to_dict()

    @cached_property
    def arrow(self) -> pa.Table:
        """The data table as Arrow, converted once (what ``st.dataframe`` sends)."""
        return pa.Table.from_pandas(self.table, preserve_index=False)


def shown(fig: go.Figure, summary: str | None = None) -> Shown:
    """Everything ``ui.frame.chart`` shows of ``fig``."""
    from kek_data import chart_screen

    text = summary if summary is not None else describe(fig)
    return Shown(fig, chart_screen.for_screen(fig), text, figure_table(fig))
