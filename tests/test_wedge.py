"""The wedge "Maßnahmen gegen die Lücke" (kek_data/wedge.py) against hand-computed values.

The literal case: L = 2025, E_L = 100 t; trend 100 → 95 t (−1 t/a), path 100 → 60 t (−8 t/a) in
2030, so Gap(2030) = 95 − 60 = 35 t. Effect share s(y) = clamp((y − start) / (end − start + 1),
0, 1); wedge(y) = saving × (s(y) − s(2025)):

    measure                          status         years      saving  s(2025) s(2030) wedge 2030
    1 Kessel (done before)           umgesetzt      2023–2023   8 t/a   1       1        0
    2 LED (half in the figures)      umgesetzt      2024–2025   4 t/a   1/2     1        2
    3 PV-Anlage                      in Umsetzung   2025–2026  10 t/a   0       1       10
    4 Wärmepumpe                     beschlossen    2027–2028   6 t/a   0       1        6
    5 Fuhrpark                       geplant        2026–2030  15 t/a   0       4/5     12
    6 Blockheizkraftwerk             verworfen      2025–2025  50 t/a   –       –        0
    7 Dachsanierung (no saving)      beschlossen    2026–2027   NaN     –       –        –

Decided (umgesetzt, in Umsetzung, beschlossen) in 2030: 0 + 2 + 10 + 6 = 18 t, so the measures
close 18 of 35 t (51,4 %); ungedeckt 35 − 18 = 17 t (17 / 35 = 48,6 %). With the planned 12 t:
35 − 30 = 5 t (14,3 %). Measures considered: 6 (not the rejected one), 1 of them incomplete.
Year by year (umgesetzt / in Umsetzung / beschlossen / geplant):
2026: 2 / 5 / 0 / 0 (PV s = 1/2), 2027: 2 / 10 / 0 / 3, 2028: 2 / 10 / 3 / 6, 2029: 2 / 10 / 6 / 9.
"""

from __future__ import annotations

import math

import pytest

from kek_data import wedge, wording

ORDER = ("umgesetzt", "in Umsetzung", "beschlossen", "geplant")  # from the trend down
DECIDED = ("beschlossen", "in Umsetzung", "umgesetzt")
YEARS = range(2025, 2031)
TREND = {y: 100.0 - (y - 2025) for y in YEARS}
PATH = {y: 100.0 - 8 * (y - 2025) for y in YEARS}
MEASURES = [
    {"title": "Kessel", "status": "umgesetzt", "start_year": 2023, "end_year": 2023,
     "saving_t": 8.0},
    {"title": "LED", "status": "umgesetzt", "start_year": 2024, "end_year": 2025, "saving_t": 4.0},
    {"title": "PV-Anlage", "status": "in Umsetzung", "start_year": 2025, "end_year": 2026,
     "saving_t": 10.0},
    {"title": "Wärmepumpe", "status": "beschlossen", "start_year": 2027, "end_year": 2028,
     "saving_t": 6.0},
    {"title": "Fuhrpark", "status": "geplant", "start_year": 2026, "end_year": 2030,
     "saving_t": 15.0},
    {"title": "Blockheizkraftwerk", "status": "verworfen", "start_year": 2025, "end_year": 2025,
     "saving_t": 50.0},
    {"title": "Dachsanierung", "status": "beschlossen", "start_year": 2026, "end_year": 2027,
     "saving_t": math.nan, "incomplete": True},
]  # fmt: skip


def _wedge(measures=MEASURES, trend=TREND, path=PATH, **kw) -> wedge.Wedge:
    return wedge.compute(
        "x", 2025, 100.0, 2030, trend, path, measures, stack_order=ORDER, decided=DECIDED, **kw
    )


def test_effect_share_builds_up_linearly_and_is_full_after_the_end():
    assert wedge.effect_share(2023, 2023, 2023) == 0
    assert wedge.effect_share(2024, 2023, 2023) == 1  # finished 2023: in the 2024 figures
    assert wedge.effect_share(2026, 2025, 2026) == pytest.approx(0.5)
    assert wedge.effect_share(2030, 2026, 2030) == pytest.approx(0.8)
    assert wedge.effect_share(2020, 2026, 2030) == 0
    # A measure finished in 2023 adds nothing with L = 2024: it is already in the figures.
    assert wedge.remaining(8.0, 2030, 2024, 2023, 2023) == 0


def test_hand_computed_case():
    w = _wedge()
    assert w.gap_t == pytest.approx(35)
    assert w.decided_t == pytest.approx(18)
    assert w.planned_t == pytest.approx(12)
    assert w.uncovered_t == pytest.approx(17)
    assert w.uncovered_pct == pytest.approx(17 / 35 * 100)
    assert w.covered_t == pytest.approx(18) and w.covered_pct == pytest.approx(18 / 35 * 100)
    assert w.uncovered_with_planned_t == pytest.approx(5)
    assert w.uncovered_with_planned_pct == pytest.approx(5 / 35 * 100)
    assert (w.n_measures, w.n_incomplete, w.incomplete_titles) == (6, 1, ("Dachsanierung",))
    assert list(w.stacks) == list(ORDER) and w.years == tuple(YEARS)
    rows = {y: tuple(round(w.stacks[s][y], 9) for s in ORDER) for y in YEARS}
    assert rows == ({
        2025: (0, 0, 0, 0), 2026: (2, 5, 0, 0), 2027: (2, 10, 0, 3), 2028: (2, 10, 3, 6),
        2029: (2, 10, 6, 9), 2030: (2, 10, 6, 12),
    })  # fmt: skip
    assert w.by_status() == pytest.approx(
        {"umgesetzt": 2, "in Umsetzung": 10, "beschlossen": 6, "geplant": 12}
    )
    assert w.after(2030) == pytest.approx(95 - 30)


def test_sentence_says_how_much_the_decided_measures_close():
    w = _wedge()
    assert wording.wedge(w) == (
        "Die beschlossenen, begonnenen und umgesetzten Maßnahmen schließen 18 von 35 t CO₂e "
        "(51,4 %) der Lücke bis 2030; ungedeckt bleiben 17 t CO₂e (48,6 %)."
    )
    more = wording.wedge_more(w)
    assert "Mit den geplanten Maßnahmen (12 t CO₂e) blieben 5 t CO₂e (14,3 %) ungedeckt." in more
    assert "1 von 6 Maßnahmen ohne Einsparangabe sind nicht eingerechnet: Dachsanierung." in more


def test_without_titles_only_counts():
    w = _wedge(titles=False)
    assert w.incomplete_titles == () and w.n_incomplete == 1
    assert "nicht eingerechnet." in wording.wedge_more(w)
    rows = [{**m, "measure_id": i} for i, m in enumerate(MEASURES)]
    assert _wedge(rows, titles={1, 2}).incomplete_titles == ()  # not among the readable ones
    assert _wedge(rows, titles={6}).incomplete_titles == ("Dachsanierung",)


def test_more_than_the_gap_closes_it_fully():
    big = [*MEASURES, {"title": "Großprojekt", "status": "beschlossen", "start_year": 2026,
                       "end_year": 2026, "saving_t": 40.0}]  # fmt: skip
    w = _wedge(big)
    assert w.decided_t == pytest.approx(58)
    assert (w.uncovered_t, w.uncovered_pct, w.covered_pct) == pytest.approx((0, 0, 100))
    assert wording.wedge(w) == (
        "Die beschlossenen, begonnenen und umgesetzten Maßnahmen schließen 35 von 35 t CO₂e "
        "(100,0 %) der Lücke bis 2030 (ihr Keil: 58 t CO₂e); ungedeckt bleiben 0 t CO₂e (0,0 %)."
    )


def test_no_gap_in_the_trend():
    w = _wedge(path={y: 100.0 for y in YEARS})  # path above the trend: Gap = 95 − 100 = −5
    assert w.gap_t == pytest.approx(-5) and not w.has_gap
    assert (w.uncovered_t, w.uncovered_pct, w.covered_pct) == (0, None, None)
    assert wording.wedge(w).startswith("Kein Abstand im Trend: beim jetzigen Tempo liegen")
    assert "mindern zusätzlich 18 t CO₂e" in wording.wedge(w)


def test_no_measures():
    w = _wedge([])
    assert (w.decided_t, w.uncovered_t, w.n_measures) == (0, pytest.approx(35), 0)
    assert wording.wedge_more(w) == "Noch keine Maßnahmen eingetragen."


def test_network_is_the_sum_of_its_members_measures():
    """The network wedge over all members' rows equals the sum of the members' wedges when the
    members share L and T (the network compares that sum with its own trend and path)."""
    a, b = MEASURES[:3], MEASURES[3:]
    net = _wedge(MEASURES)
    wa, wb = _wedge(a), _wedge(b)
    for status in ORDER:
        for y in YEARS:
            assert net.stacks[status][y] == pytest.approx(
                wa.stacks[status][y] + wb.stacks[status][y]
            )
    assert net.decided_t == pytest.approx(wa.decided_t + wb.decided_t)


def test_target_year_must_follow_latest_year():
    with pytest.raises(ValueError):
        wedge.compute("x", 2030, 1.0, 2030, TREND, PATH, [], stack_order=ORDER, decided=DECIDED)


def test_for_kpi_uses_the_report_trend_and_next_step():
    from kek_data import progress

    target = progress.Target("x", 2021, 100.0, {2030: 50.0}, None, 0.0, "", "", False)
    series = {2021: 100.0, 2022: 98.0, 2023: 96.0, 2024: 94.0, 2025: 92.0}  # −2 t/a
    k = progress.kpi("x", series, target, 2025)
    w = wedge.for_kpi(k, MEASURES, stack_order=ORDER, decided=DECIDED)
    assert w is not None and (w.latest_year, w.target_year, w.latest_t) == (2025, 2030, 92.0)
    assert w.trend[2030] == pytest.approx(k.step(2030).projected) == pytest.approx(82)
    assert w.path[2030] == pytest.approx(50)
    assert w.gap_t == pytest.approx(k.step(2030).trend_gap) == pytest.approx(32)
    assert w.uncovered_t == pytest.approx(32 - 18)
    assert wedge.for_kpi(progress.kpi("x", series, None, 2025), MEASURES,
                         stack_order=ORDER, decided=DECIDED) is None  # fmt: skip


def test_chart_stacks_the_wedges_below_the_trend():
    from kek_data import charts, wedge_charts

    w = _wedge()
    fig = wedge_charts.wedges(
        w, wedge_charts.title(w, "Netzwerk"), charts.Context("1.1.2026", True)
    )
    by_name = {t.name: t for t in fig.data}
    # each area's own values are the wedge (hover, table and text read them), stacked on the base
    assert list(by_name["in Umsetzung"].y) == [0, 5, 10, 10, 10, 10]
    assert list(by_name["geplant (nicht beschlossen)"].y) == [0, 0, 3, 6, 9, 12]
    assert by_name[wedge_charts.BASE_LABEL].y[-1] == pytest.approx(95 - 30)
    stacked = [t for t in fig.data if t.stackgroup == "keile"]
    assert sum(t.y[-1] for t in stacked) == pytest.approx(95)  # the stack's top is the trend
    assert list(by_name[wedge_charts.PATH_LABEL].y) == [100, 92, 84, 76, 68, 60]
    assert "%{y:,.1f} t CO₂e" in by_name["beschlossen"].hovertemplate
    assert fig.layout.separators == ",." and fig.layout.title.text.endswith("bis 2030")
    notes = {a.name: a.text for a in fig.layout.annotations}
    assert notes[wedge_charts.UNCOVERED_NOTE] == "ungedeckte Lücke 2030:<br>17 t CO₂e (49 %)"
    assert "DEMODATEN (FIKTIV)" in notes.values()
    assert wedge_charts.summary(w) == (
        "2025–2030; 2030: Trend 95 t CO₂e, Zielpfad 60 t CO₂e; Keile umgesetzt 2, in Umsetzung "
        "10, beschlossen 6, geplant (nicht beschlossen) 12 t CO₂e; ungedeckte Lücke 17 t CO₂e."
    )
