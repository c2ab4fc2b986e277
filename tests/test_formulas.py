"""Tests for kek_data.formulas – every expected value is computed by hand in the comments."""

from __future__ import annotations

import dataclasses

import pytest

from kek_data import progress, wording
from kek_data.formulas import (
    Budget,
    Rate,
    achieved_rate,
    carbon_budget,
    required_rate,
    target_path,
    trend_value,
    trend_zero_year,
    window_years,
)

# Reference member: base 1000 t in 2015, 2030 −50 %, neutral 2035 (residual 0 %).
# Anchors: (2015, 1000), (2030, 500), (2035, 0).
# 2015–2030: −500/15 = −33.33… t/a; 2030–2035: −500/5 = −100 t/a.
MEMBER = {"base_year": 2015, "base_value": 1000.0, "milestones": {2030: 50.0}}


def member_path(years, **kwargs):
    args = {**MEMBER, "neutrality_year": 2035, **kwargs}
    return target_path(years=years, **args)


# ---------------------------------------------------------------- target_path


def test_target_path_reference_member():
    path = member_path(range(2015, 2041))
    assert path[2015] == pytest.approx(1000.0)
    # 2020 = 1000 − 5 × (500/15) = 1000 − 166.66… = 833.33…
    assert path[2020] == pytest.approx(833.3333333)
    # 2025 = 1000 − 10 × (500/15) = 666.66…
    assert path[2025] == pytest.approx(666.6666667)
    assert path[2030] == pytest.approx(500.0)
    # 2032 = 500 − 2 × 100 = 300
    assert path[2032] == pytest.approx(300.0)
    assert path[2035] == pytest.approx(0.0)
    # after the last anchor the path stays flat at 0
    assert path[2040] == pytest.approx(0.0)
    assert list(path) == list(range(2015, 2041))


def test_target_path_omits_years_before_base_and_keeps_requested_years_only():
    path = member_path([2010, 2014, 2015, 2031, 2031])
    # 2031 = 500 − 1 × 100 = 400
    assert path == pytest.approx({2015: 1000.0, 2031: 400.0})


def test_target_path_residual_pct():
    # residual 10 % of 1000 → (2035, 100); 2033 = 500 − 3 × (400/5) = 500 − 240 = 260
    path = member_path([2033, 2035, 2050], residual_pct=10.0)
    assert path == pytest.approx({2033: 260.0, 2035: 100.0, 2050: 100.0})


def test_target_path_without_neutrality_stays_at_last_milestone():
    # anchors (2015, 1000), (2030, 500); 2045 flat at 500
    path = target_path(years=[2030, 2045], neutrality_year=None, **MEMBER)
    assert path == pytest.approx({2030: 500.0, 2045: 500.0})


def test_target_path_only_base_year_is_flat():
    path = target_path(2020, 800.0, {}, None, [2019, 2020, 2030])
    assert path == pytest.approx({2020: 800.0, 2030: 800.0})


def test_target_path_neutrality_beats_milestone_in_same_year():
    # milestone 2035 −80 % would be 200, but neutrality in 2035 → 0
    # 2025 = 1000 − 5 × (1000/15) = 666.66…
    path = target_path(2020, 1000.0, {2035: 80.0}, 2035, [2025, 2035])
    assert path == pytest.approx({2025: 666.6666667, 2035: 0.0})


def test_target_path_unsorted_milestones():
    # anchors (2020, 1000), (2025, 900 [−10 %]), (2030, 600 [−40 %]), (2040, 0)
    # 2027 = 900 − 2 × (300/5) = 780; 2035 = 600 − 5 × 60 = 300
    path = target_path(2020, 1000.0, {2030: 40.0, 2025: 10.0}, 2040, [2027, 2035])
    assert path == pytest.approx({2027: 780.0, 2035: 300.0})


@pytest.mark.parametrize(
    ("milestones", "neutrality_year"), [({2015: 10.0}, 2035), ({2030: 50.0}, 2015)]
)
def test_target_path_rejects_anchor_not_after_base(milestones, neutrality_year):
    with pytest.raises(ValueError):
        target_path(2015, 1000.0, milestones, neutrality_year, [2020])


# ---------------------------------------------------------------- required_rate


def test_required_rate_to_milestone():
    # 800 t in 2024 → 500 t in 2030: (800 − 500)/6 = 50 t/a
    # compound: 1 − (500/800)^(1/6) = 1 − 0.625^(1/6); ln 0.625 = −0.470004, /6 = −0.078334,
    # e^−0.078334 = 0.924656 → 7.5344 %
    rate = required_rate(2024, 800.0, 2030, 500.0)
    assert rate.t_per_year == pytest.approx(50.0)
    assert rate.pct_per_year == pytest.approx(7.5344, abs=1e-4)


def test_required_rate_halving_in_one_year():
    # 1000 → 500 in 1 year: 500 t/a and exactly 50 %/a
    assert required_rate(2024, 1000.0, 2025, 500.0) == Rate(500.0, 50.0)


def test_required_rate_to_zero_has_no_compound_rate():
    # 600 t in 2024 → 0 in 2035: 600/11 = 54.54… t/a; no finite compound rate
    rate = required_rate(2024, 600.0, 2035, 0.0)
    assert rate.t_per_year == pytest.approx(54.5454545)
    assert rate.pct_per_year is None


def test_required_rate_target_above_current_is_negative():
    # already below target: 400 → 500 in 5 years = −100/5 = −20 t/a
    # compound: 1 − 1.25^(1/5) = 1 − 1.045640 = −4.5640 %
    rate = required_rate(2025, 400.0, 2030, 500.0)
    assert rate.t_per_year == pytest.approx(-20.0)
    assert rate.pct_per_year == pytest.approx(-4.5640, abs=1e-4)


def test_required_rate_current_zero_or_negative():
    assert required_rate(2025, 0.0, 2030, 0.0) == Rate(0.0, None)
    assert required_rate(2025, -10.0, 2030, 50.0) == Rate(0.0, None)
    # net-negative target: −10 → −60 in 5 years = 50/5 = 10 t/a, no compound rate
    assert required_rate(2025, -10.0, 2030, -60.0) == Rate(10.0, None)


@pytest.mark.parametrize("target_year", [2024, 2023])
def test_required_rate_rejects_target_not_in_future(target_year):
    with pytest.raises(ValueError):
        required_rate(2024, 800.0, target_year, 500.0)


def test_rate_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Rate(1.0, None).t_per_year = 2.0  # type: ignore[misc]


# ---------------------------------------------------------------- achieved_rate


def test_achieved_rate_full_window():
    # window 5 from L = 2024 → the five years 2020..2024 (2019 is the sixth, left out)
    # first 2020 (1000), last 2024 (800), n = 4: t = 200/4 = 50 t/a
    # compound 1 − 0.8^(1/4): √0.8 = 0.894427, √ again = 0.945742 → 5.4258 %
    series = {2019: 2000.0, 2020: 1000.0, 2021: 950.0, 2022: 900.0, 2024: 800.0}
    rate = achieved_rate(series)
    assert rate is not None
    assert rate.t_per_year == pytest.approx(50.0)
    assert rate.pct_per_year == pytest.approx(5.4258, abs=1e-4)


def test_achieved_rate_missing_years_shorten_window():
    # window 2020..2024, 2020 missing → first present is 2021 (900), last 2024 (729), n = 3
    # t = 171/3 = 57 t/a; compound: 729/900 = 0.81 = 0.9^2 … 0.81^(1/3) = 0.932170 → 6.7830 %
    series = {2015: 1200.0, 2021: 900.0, 2024: 729.0}
    rate = achieved_rate(series)
    assert rate is not None
    assert rate.t_per_year == pytest.approx(57.0)
    assert rate.pct_per_year == pytest.approx(6.7830, abs=1e-4)


def test_achieved_rate_custom_window_and_compound_exact():
    # window 3 = 2022..2024: 1000, 900, 810; least-squares slope = −190/2 = −95 t/a (the
    # trend's pace); the line is 998,33 in 2022 and 808,33 in 2024, n = 2:
    # 1 − (808,33/998,33)^(1/2) = 10,0176 %/a
    rate = achieved_rate({2020: 5.0, 2022: 1000.0, 2023: 900.0, 2024: 810.0}, window=3)
    assert rate is not None
    assert rate.t_per_year == pytest.approx(95.0)
    assert rate.pct_per_year == pytest.approx((1 - (2425 / 2995) ** 0.5) * 100)
    assert rate.pct_per_year == pytest.approx(10.0176, abs=1e-4)


def test_achieved_rate_rising_emissions_are_negative():
    # 100 → 121 over 2 years: t = −21/2 = −10.5; compound 1 − 1.1 = −10 %
    rate = achieved_rate({2022: 100.0, 2024: 121.0})
    assert rate is not None
    assert rate.t_per_year == pytest.approx(-10.5)
    assert rate.pct_per_year == pytest.approx(-10.0)


def test_achieved_rate_undefined_compound():
    # first value 0 → no compound rate; t = (0 − 10)/1 = −10
    assert achieved_rate({2023: 0.0, 2024: 10.0}) == Rate(-10.0, None)
    # last value negative → no compound rate; t = (10 − (−5))/1 = 15
    assert achieved_rate({2023: 10.0, 2024: -5.0}) == Rate(15.0, None)
    # last value exactly 0 → 100 %/a
    assert achieved_rate({2023: 10.0, 2024: 0.0}) == Rate(10.0, 100.0)


@pytest.mark.parametrize("series", [{}, {2024: 5.0}, {2010: 9.0, 2024: 5.0}])
def test_achieved_rate_needs_two_years_in_window(series):
    assert achieved_rate(series) is None


# ---------------------------------------------------------------- trend


def test_trend_exact_line():
    # 2020..2024: 1000, 900, 800, 700, 600 → slope −100 t/a, zero at 2024 + 600/100 = 2030
    series = {2020 + i: 1000.0 - 100.0 * i for i in range(5)}
    assert trend_zero_year(series) == 2030
    # value in 2027 = 600 − 3 × 100 = 300; in 2035 below zero → floored at 0
    assert trend_value(series, 2027) == pytest.approx(300.0)
    assert trend_value(series, 2035) == 0.0


def test_trend_least_squares_with_noise():
    # years 0..2 (2022..2024) with 100, 50, 40: x̄ = 1, ȳ = 190/3 = 63.33…
    # Sxy = (−1)(36.67) + 0 + (1)(−23.33) = −60; Sxx = 2 → slope −30
    # root = 1 + 63.33/30 = 3.11 → year 2022 + 3.11 = 2025.11 → first whole year 2026
    series = {2022: 100.0, 2023: 50.0, 2024: 40.0}
    assert trend_zero_year(series) == 2026
    # value 2025: 63.33 − 30 × (3 − 1) = 3.33…
    assert trend_value(series, 2025) == pytest.approx(3.3333333)


def test_trend_uses_only_window_and_tolerates_missing_years():
    # window 6 from L = 2024 → 2019..2024; 2010 ignored; present 2019, 2021, 2024
    # values 500, 400, 250: x (rel. 2019) 0, 2, 5; x̄ = 7/3, ȳ = 1150/3
    # dx = −7/3, −1/3, 8/3; dy = 350/3, 50/3, −400/3
    # Sxy = (−2450 − 50 − 3200)/9 = −5700/9; Sxx = (49 + 1 + 64)/9 = 114/9 → slope −50
    # root = 7/3 + (1150/3)/50 = 7/3 + 23/3 = 10 → 2029
    series = {2010: 99999.0, 2019: 500.0, 2021: 400.0, 2024: 250.0}
    assert trend_zero_year(series, window=6) == 2029
    # 2026: ȳ + slope × (7 − 7/3) = 383.33 − 233.33 = 150
    assert trend_value(series, 2026, window=6) == pytest.approx(150.0)
    # window 5 → 2020..2024: only 2021 (400) and 2024 (250): slope −50, zero 2024 + 5 = 2029
    assert trend_zero_year(series) == 2029
    # with 2019 at 9999 the default window does not see it, window 6 does (slope steeper)
    assert trend_zero_year({**series, 2019: 9999.0}) == 2029
    assert trend_zero_year({**series, 2019: 9999.0}, window=6) == 2024


def test_window_is_the_last_five_calendar_years():
    assert window_years(2025) == (2021, 2025)
    assert window_years(2025, 10) == (2016, 2025)
    with pytest.raises(ValueError):
        window_years(2025, 0)
    # 2019 (the sixth year back) is an outlier and must not count; 2020..2024 fall 100 t/a
    series = {2019: 9999.0, 2020: 500.0, 2021: 400.0, 2022: 300.0, 2023: 200.0, 2024: 100.0}
    # exact line 500 − 100·(y − 2020): zero in 2025; trend 2022 = 300
    assert trend_zero_year(series) == 2025
    assert trend_value(series, 2022) == pytest.approx(300.0)
    # achieved: 500 → 100 over n = 4 years: 100 t/a; compound 1 − 0.2^(1/4)
    # 0.2^(1/4): √0.2 = 0.447214, √ again = 0.668740 → 33.1260 %
    rate = achieved_rate(series)
    assert rate is not None
    assert rate.t_per_year == pytest.approx(100.0)
    assert rate.pct_per_year == pytest.approx(33.1260, abs=1e-4)


# 2015..2019 at 600 t, then 500, 400, 300, 200, 100 t (2020..2024)
SENSITIVE = {
    **{2015 + i: 600.0 for i in range(5)},
    **{2020 + i: 500.0 - 100.0 * i for i in range(5)},
}


def test_zero_year_depends_on_the_window():
    # 5 years (2020..2024): exact line −100 t/a from 500 → zero in 2025
    assert trend_zero_year(SENSITIVE, 5) == 2025
    # 10 years (2015..2024), x rel. 2015 = 0..9: x̄ = 4.5, ȳ = (5 · 600 + 1500)/10 = 450
    # Sxx = 2 · (4.5² + 3.5² + 2.5² + 1.5² + 0.5²) = 82.5
    # Sxy = 600 · (−4.5 − 3.5 − 2.5 − 1.5 − 0.5) + (0.5·500 + 1.5·400 + 2.5·300 + 3.5·200
    #       + 4.5·100) = −7500 + 2750 = −4750 → slope −4750/82.5 = −57.576 t/a
    # root = 4.5 + 450 · 82.5/4750 = 4.5 + 7.816 = 12.316 → 2027.3 → first whole year 2028
    assert trend_zero_year(SENSITIVE, 10) == 2028


def test_trend_rising_or_flat_is_never():
    assert trend_zero_year({2022: 100.0, 2023: 110.0, 2024: 120.0}) is None
    assert trend_zero_year({2022: 100.0, 2023: 100.0, 2024: 100.0}) is None
    # rising: slope +10, 2030 = 110 + 10 × (2030 − 2023) = 180
    assert trend_value({2022: 100.0, 2023: 110.0, 2024: 120.0}, 2030) == pytest.approx(180.0)


def test_trend_last_value_already_zero():
    assert trend_zero_year({2022: 100.0, 2023: 50.0, 2024: 0.0}) == 2024
    assert trend_zero_year({2024: -3.0}) == 2024


def test_trend_crossing_in_past_is_reported_as_latest_year():
    # 2019: 200, 2020..2024: 0.1 → x̄ = 2.5, ȳ = 200.5/6 = 33.4167
    # Sxy = −2.5 × 166.58 + … = −500 (exactly: Σ dx·y = −2.5·200 + 0.1·Σdx(1..5) = −500 + 0.25)
    # Sxy = −499.75, Sxx = 17.5 → slope −28.557; root = 2.5 + 33.4167/28.557 = 3.67 → 2023
    # but 2023 < L = 2024 → 2024
    # (window 6 = 2019..2024, so the high 2019 value counts)
    series = {2019: 200.0, **{y: 0.1 for y in range(2020, 2025)}}
    assert trend_zero_year(series, window=6) == 2024


def test_trend_single_or_no_point():
    assert trend_zero_year({}) is None
    assert trend_zero_year({2024: 50.0}) is None
    assert trend_value({2024: 50.0}, 2030) == 50.0
    with pytest.raises(ValueError):
        trend_value({}, 2030)


def test_trend_root_exact_integer_not_pushed_by_float_error():
    # 0.3, 0.2, 0.1 in 2022..2024: slope −0.1 (float noise), zero exactly in 2025
    assert trend_zero_year({2022: 0.3, 2023: 0.2, 2024: 0.1}) == 2025


# ---------------------------------------------------------------- carbon_budget


def test_carbon_budget_reference_member():
    path = member_path(range(2015, 2036))
    # 2015..2030: 16 points of a line from 1000 to 500 → mean 750 × 16 = 12 000
    # 2031..2035: 400 + 300 + 200 + 100 + 0 = 1000 → budget 13 000
    actual = {2014: 5000.0, 2015: 1000.0, 2016: 990.0, 2017: 980.0}
    budget = carbon_budget(actual, path, 2015, 2035)
    assert budget.budget == pytest.approx(13000.0)
    # used 2015..2017 = 1000 + 990 + 980 = 2970; left = 13 000 − 2970 = 10 030
    assert budget.used == pytest.approx(2970.0)
    assert budget.left == pytest.approx(10030.0)
    assert budget.years_used == (2015, 2017)


def test_carbon_budget_overdrawn_and_missing_actual_years():
    # budget 2020..2022 = 100 + 90 + 80 = 270; actual stops after end year and misses 2021
    path = {2019: 110.0, 2020: 100.0, 2021: 90.0, 2022: 80.0, 2023: 70.0}
    actual = {2020: 150.0, 2022: 140.0, 2023: 130.0}
    budget = carbon_budget(actual, path, 2020, 2022)
    # used = 150 + 140 = 290 (2023 is after end_year) → left = 270 − 290 = −20
    # no year left after the last actual (2023 > end): path_rest 0; over = 0 − (−20) = 20;
    # nothing left → used up by the last actual year in the period, 2022
    assert budget == Budget(
        270.0, 290.0, -20.0, (2020, 2022), path_rest=0.0, rest_years=None, exhausted_year=2022
    )
    assert budget.over == pytest.approx(20.0)


def test_carbon_budget_without_actuals_and_invalid_range():
    budget = carbon_budget({2010: 5.0}, {2020: 10.0, 2021: 10.0}, 2020, 2021)
    # the whole period is still ahead: path_rest = budget = 20, over 0; the trend (flat at
    # the single value 5) uses 5 + 5 = 10 < 20 by 2021 → not used up
    assert budget == Budget(
        20.0, 0.0, 20.0, None, path_rest=20.0, rest_years=(2020, 2021), exhausted_year=None
    )
    assert budget.over == 0.0
    with pytest.raises(ValueError):
        carbon_budget({}, {}, 2030, 2020)


# path 2020..2024: 100, 90, 80, 70, 60 → budget 400
BUDGET_PATH = {2020: 100.0, 2021: 90.0, 2022: 80.0, 2023: 70.0, 2024: 60.0}


def test_carbon_budget_already_over_although_something_is_left():
    actual = {2020: 100.0, 2021: 100.0, 2022: 95.0}
    budget = carbon_budget(actual, BUDGET_PATH, 2020, 2024)
    # used 100 + 100 + 95 = 295 → left 400 − 295 = 105
    assert (budget.budget, budget.used, budget.left) == (400.0, 295.0, 105.0)
    # the path still needs 2023 + 2024 = 70 + 60 = 130 > 105 → over by 25
    assert budget.rest_years == (2023, 2024)
    assert budget.path_rest == pytest.approx(130.0)
    assert budget.over == pytest.approx(25.0)
    # trend 2020..2022: x̄ = 2021, ȳ = 295/3 = 98.33, Sxy = −100 + 95 = −5, Sxx = 2 → −2.5 t/a
    # 2023: 98.33 − 5 = 93.33 (< 105); 2024: 90.83 → cumulative 184.17 ≥ 105 → 2024
    assert budget.exhausted_year == 2024
    assert wording.budget(budget, 2024) == (
        "Budget bis 2024: 105 t CO₂e übrig; der Pfad braucht für 2023–2024 noch 130 t CO₂e – "
        "das Netzwerk liegt damit schon 25 t CO₂e über dem Budget. Beim jetzigen Trend ist "
        "der Rest 2024 aufgebraucht."
    )


def test_carbon_budget_not_over_and_trend_does_not_use_it_up():
    actual = {2020: 100.0, 2021: 80.0, 2022: 60.0}
    budget = carbon_budget(actual, BUDGET_PATH, 2020, 2024)
    # used 240 → left 160; path_rest 130 → over 130 − 160 = −30 (30 t reserve)
    assert budget.left == 160.0 and budget.path_rest == pytest.approx(130.0)
    assert budget.over == pytest.approx(-30.0)
    # trend: exact line −20 t/a → 2023: 40, 2024: 20 → 60 < 160 by 2024 → not used up
    assert budget.exhausted_year is None
    assert wording.budget(budget, 2024) == (
        "Budget bis 2024: 160 t CO₂e übrig; der Pfad braucht für 2023–2024 noch 130 t CO₂e – "
        "es bleiben 30 t CO₂e Reserve. Beim jetzigen Trend reicht der Rest bis 2024."
    )


def test_carbon_budget_overdrawn_wording():
    # used 150 + 140 = 290 > 270 → 20 t over, last actual year in the period 2022
    path = {2020: 100.0, 2021: 90.0, 2022: 80.0}
    budget = carbon_budget({2020: 150.0, 2022: 140.0}, path, 2020, 2022)
    assert (
        wording.budget(budget, 2022)
        == "Budget bis 2022 schon um 20 t CO₂e überschritten (Ist bis 2022)."
    )


def test_kpi_carries_zero_years_for_both_windows():
    target = progress.Target("x", 2015, 600.0, {}, 2040, 0.0, "Scope 1+2", "Test", True)
    k = progress.kpi("x", SENSITIVE, target, 2024)
    # see test_zero_year_depends_on_the_window: 2025 (5 years) and 2028 (10 years)
    assert k.zero_years == {5: 2025, 10: 2028}
    assert k.zero_year == 2025
    assert wording.zero_years(k.zero_years) == "2025 (5 Jahre) · 2028 (10 Jahre)"
    assert wording.last_years(2024) == "letzten 5 Jahre (2020–2024)"
    assert k.rate_basis == "% der Emissionen 2024"
    assert wording.rate(6.81, k.rate_basis) == "6,8 % der Emissionen 2024 pro Jahr"
    assert wording.rate(4.2, wording.BASE_YEAR_BASIS) == "4,2 % des Basisjahrs pro Jahr"
    assert wording.rate(6.81) == "6,8 % pro Jahr"
