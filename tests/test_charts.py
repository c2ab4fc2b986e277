"""Figures: German separators, source line, demo notice, fixed member colours, correct rows."""

from __future__ import annotations

from kek_data import charts, comparison_charts, emissions, report
from kek_data.export import figures
from kek_data.viewer import NETWORK_MANAGER

CTX = charts.Context(as_of="15.03.2026", demo=True)


def _annotations(fig) -> list[str]:
    return [a.text for a in fig.layout.annotations]


def test_network_chart_layout(con):
    rep = report.build(con, NETWORK_MANAGER)
    values, older = figures.counted_wide(rep)
    fig = charts.network_stacked(values, rep.members, rep.paths, CTX, older)
    assert fig.layout.separators == ",."
    assert "Quelle: KEK-Klimadashboard, Stand 15.03.2026 · Demodaten (fiktiv)" in _annotations(fig)
    assert "DEMODATEN (FIKTIV)" in _annotations(fig)
    bars = {t.name: t.marker.color for t in fig.data if t.type == "bar"}
    assert bars["DSW21"] == charts.MEMBER_PALETTE[0]
    assert bars["Stadt Dortmund"] == charts.MEMBER_PALETTE[9]
    assert {t.name for t in fig.data if t.type == "scatter"} == {
        "Netzwerkpfad (neutral 2035)",
        "Summe der Mitgliederziele",
    }


def test_no_demo_notice_for_real_data():
    fig = charts.budget(10.0, 5.0, 15.0, charts.Context("01.01.2026", False), "Budget")
    assert not any("Demodaten" in t for t in _annotations(fig))


def test_heatmap_rows_match_member_names(con):
    comp = emissions.completeness(con, NETWORK_MANAGER)
    members = emissions.members(con, NETWORK_MANAGER)
    names = dict(zip(members["member_id"], members["short_name"], strict=True))
    fig = comparison_charts.completeness_heatmap(comp, names, CTX)
    heat = fig.data[0]
    row = list(heat.y).index("Hafen AG")
    col = list(heat.x).index("2016")
    assert heat.text[row][col] == "teilweise"  # demo profile: no Heizöl in 2016
    assert heat.text[row][list(heat.x).index("2017")] == "vollständig"


def test_many_members_are_grouped():
    import pandas as pd

    ids = [f"m{i}" for i in range(30)]
    members = pd.DataFrame({"member_id": ids, "short_name": ids, "sort_order": range(1, 31)})
    totals = pd.DataFrame({m: [float(i + 1)] for i, m in enumerate(ids)}, index=[2025])
    fig = charts.network_stacked(totals, members, pd.DataFrame({"year": [2025]}), CTX)
    names = [t.name for t in fig.data]
    assert len(names) == charts.MAX_SERIES
    assert names[-1] == f"Weitere ({30 - charts.MAX_SERIES + 1} Mitglieder)"
    assert "m29" in names and "m0" not in names


def test_gap_chart_labels_older_reporting_years(con):
    from kek_data import views

    table = views.gap_table(report.build(con, NETWORK_MANAGER))
    # demo: Caritas' 2025 lacks Benzin, Diakonie's Strom and Benzin: both count with 2024
    assert list(table["short_name"]) == [
        "DSW21", "DEW21", "EDG", "Sparkasse", "Hafen AG", "Ev. Kirchenkreis", "FH Dortmund",
        "Caritas (2024)", "Diakonie (2024)", "Stadt Dortmund",
    ]  # fmt: skip


def test_rates_chart_labels_older_reporting_years(con):
    from kek_data import views

    rep = report.build(con, NETWORK_MANAGER)
    names = list(views.rates_table(rep)["short_name"])
    assert "Caritas (2024)" in names and "Diakonie (2024)" in names and "DSW21" in names
    # The label names the counted year against the reporting year 2025, whoever is chosen
    # (was plain "Caritas" when Caritas was chosen alone: the chart then said 2025 for a 2024
    # figure; issue 8, item 2: the older year is marked on every surface).
    assert list(views.rates_table(rep, ["caritas"])["short_name"]) == ["Caritas (2024)"]
