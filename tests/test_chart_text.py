"""Text alternative and screen layout of charts (kek_data.chart_text, kek_data.chart_screen).

Small literal figures, expected strings written out (German numbers, as a reader checks them).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from kek_data import chart_screen, chart_text, charts, comparison_charts

CTX = charts.Context(as_of="15.03.2026", demo=True)


def _stacked() -> go.Figure:
    fig = go.Figure()
    fig.add_bar(x=[2024, 2025], y=[1200.0, 1000.0], name="A")
    fig.add_bar(
        x=[2024, 2025], y=[300.0, 250.5], name="B", marker_pattern_shape=["", "/"]
    )  # 2025 hatched
    fig.add_bar(x=[None], y=[None], name="schraffiert: älteres Jahr")  # legend only
    fig.add_scatter(x=[2024, 2025, 2030], y=[1600.0, 1400.0, 700.0], name="Pfad")
    fig.update_layout(barmode="stack")
    return charts.finish(fig, "Emissionen <b>des</b> Netzwerks", CTX)


def test_table_from_traces_german_numbers_and_hatched_cells():
    table = chart_text.figure_table(_stacked())
    assert list(table.columns) == ["", "A [t CO₂e]", "B [t CO₂e]", "Pfad [t CO₂e]"]
    assert table.to_dict("list") == {
        "": ["2024", "2025", "2030"],
        "A [t CO₂e]": ["1.200", "1.000", "–"],
        "B [t CO₂e]": ["300", "251 (schraffiert)", "–"],  # 250,5: no decimals above 100
        "Pfad [t CO₂e]": ["1.600", "1.400", "700"],
    }


def test_summary_names_the_newest_bar_year_not_the_path_end():
    text = chart_text.describe(_stacked())
    assert text == (
        "2024–2030; 2025: zusammen 1.251 t CO₂e; größte Anteile A 1.000, B 251; "
        "Pfad 1.400 t CO₂e. Schraffierte Werte: siehe Legende."
    )


def test_title_and_source_as_plain_text():
    fig = _stacked()
    assert chart_text.title_of(fig) == "Emissionen des Netzwerks"
    assert chart_text.source_of(fig) == (
        "Quelle: KEK-Klimadashboard, Stand 15.03.2026 · Demodaten (fiktiv)"
    )


def test_categories_summary_and_heatmap():
    fig = go.Figure(go.Bar(x=["DSW21", "EDG", "FH"], y=[7000.0, -600.0, 100.0], name="Abstand"))
    charts.finish(fig, "Abstand", CTX)
    assert chart_text.describe(fig) == (
        "höchster Wert DSW21 7.000 t CO₂e, niedrigster EDG -600 t CO₂e (3 Einträge)."
    )
    comp = pd.DataFrame(
        {
            "member_id": ["a", "a", "b", "b"],
            "year": [2024, 2025, 2024, 2025],
            "status": ["vollständig", "vollständig", "vollständig", "teilweise"],
        }
    )
    heat = comparison_charts.completeness_heatmap(comp, {"a": "Alpha", "b": "Beta"}, CTX)
    assert chart_text.describe(heat) == (
        "2 Zeilen × 2 Spalten: vollständig 3, teilweise 1 – Beta 2025: teilweise."
    )
    assert chart_text.figure_table(heat).to_dict("list") == {
        "": ["Alpha", "Beta"],
        "2024": ["vollständig", "vollständig"],
        "2025": ["vollständig", "teilweise"],
    }


def test_heatmap_labels_every_year():
    years = list(range(2013, 2026))
    comp = pd.DataFrame({"member_id": "a", "year": years, "status": "vollständig"})
    heat = comparison_charts.completeness_heatmap(comp, {"a": "Alpha"}, CTX)
    assert list(heat.layout.xaxis.tickvals) == [str(y) for y in years]


def test_screen_layout_leaves_the_export_figure_alone():
    fig = _stacked()
    screen = chart_screen.for_screen(fig)
    assert not screen.layout.title.text
    assert [a.text for a in screen.layout.annotations] == ["DEMODATEN (FIKTIV)"]
    assert screen.layout.legend.orientation == "h" and screen.layout.legend.yref == "container"
    # legend rows for A, B, the legend-only entry and Pfad
    assert screen.layout.height == chart_screen.PLOT_HEIGHT + 4 * chart_screen.LEGEND_ROW
    # the figure that is exported keeps title, source line and the legend on the right
    assert fig.layout.title.text == "Emissionen <b>des</b> Netzwerks"
    assert len(fig.layout.annotations) == 2 and fig.layout.legend.orientation == "v"


def test_one_bar_lists_its_parts():
    fig = charts.budget(2933056.0, 1054168.0, 3987224.0, CTX, "Budget")
    assert chart_text.describe(fig) == "Budget: verbraucht 2.933.056, übrig 1.054.168."
