"""Tests of the progress measures (``ecoplan.assess.progress``).

Figures are the worked examples of ``assessment.md`` §1.4, §2.3, §3 and the
test matrix of §7; each is compared at the precision the spec prints it.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecoplan.assess.progress import (
    annual_change,
    cagr,
    current_status,
    expected_on_schedule,
    rr_eurostat,
    wls_projection,
)

TOL = 1e-3
AP_SERIES = [(2015, 76.7), (2016, 78.8), (2017, 78.0), (2018, 79.3)]


# ------------------------------------------------------------ CAGR (§2.1)


def test_cagr_good_air_days():
    assert round(cagr(76.7, 79.3, 3) * 100, 4) == pytest.approx(1.1174, abs=TOL)
    assert round(cagr(76.7, 80, 5) * 100, 4) == pytest.approx(0.8461, abs=TOL)


def test_cagr_worse_than_class_v():
    assert round(cagr(9.7, 6.7, 3) * 100, 3) == pytest.approx(-11.604, abs=TOL)
    assert round(cagr(9.7, 5, 5) * 100, 3) == pytest.approx(-12.413, abs=TOL)


def test_cagr_pm25_index():
    assert round(cagr(100, 75.4, 3) * 100, 3) == pytest.approx(-8.983, abs=TOL)
    assert round(cagr(100, 82, 5) * 100, 3) == pytest.approx(-3.891, abs=TOL)


def test_no_target_direction_adjusted_growth():
    """§2.3 ex. 4: Beijing NO2 56.0 (2013) -> 48 (2016), lower is better: g = +5.01 %."""
    g = -1 * cagr(56.0, 48, 3)
    assert round(g * 100, 2) == pytest.approx(5.01, abs=TOL)
    assert g > 0.01  # significant progress towards SD objectives


@pytest.mark.parametrize(
    ("y_start", "y_end", "years"),
    [(0, 5, 3), (5, 0, 3), (-1, 5, 3), (5, -1, 3), (0, 0, 3), (5, 6, 0), (5, 6, -1)],
)
def test_cagr_undefined(y_start, y_end, years):
    assert cagr(y_start, y_end, years) is None


def test_cagr_no_change_is_zero():
    assert cagr(42.0, 42.0, 5) == 0.0


def test_annual_change():
    assert annual_change(9.7, 6.7, 3) == pytest.approx(-1.0)
    assert annual_change(1, 2, 0) is None


# ------------------------------------------------------ Eurostat RR (§2.3)


def test_rr_increase_good_air_days():
    rr, form = rr_eurostat(76.7, 79.3, 2015, 2018, 80, 2020, +1)
    assert form == "cagr"
    assert round(rr, 3) == pytest.approx(1.321, abs=TOL)
    assert rr >= 0.95  # significant progress


def test_rr_decrease_worse_than_class_v():
    rr, form = rr_eurostat(9.7, 6.7, 2015, 2018, 5, 2020, -1)
    assert form == "cagr"
    assert round(rr, 3) == pytest.approx(0.935, abs=TOL)
    assert 0.60 <= rr < 0.95  # moderate progress


def test_rr_and_linear_schedule_disagree_on_convex_path():
    """§2.3 ex. 2: linear 序时进度 expects 6.88 in 2018, so 6.7 is ahead of schedule."""
    expected = expected_on_schedule([(2015, 9.7), (2020, 5)], 2018)
    assert round(expected, 2) == pytest.approx(6.88, abs=TOL)
    direction = -1
    assert direction * (6.7 - expected) >= 0  # on (ahead of) schedule


def test_rr_cumulative_pm25():
    rr, form = rr_eurostat(100, 75.4, 2015, 2018, 82, 2020, -1)
    assert form == "cagr"
    assert round(rr, 2) == pytest.approx(2.31, abs=TOL)


def test_rr_signed_form_when_base_beyond_target():
    """Base 80 already above target 78 with higher-is-better: Statistics Canada form."""
    rr, form = rr_eurostat(80, 79, 2015, 2018, 78, 2020, +1)
    assert form == "signed"
    a, r = cagr(80, 79, 3), cagr(80, 78, 5)
    assert rr == pytest.approx(a / abs(r))
    assert rr < 0  # falling: movement away
    rr_up, form_up = rr_eurostat(80, 82, 2015, 2018, 78, 2020, +1)
    assert form_up == "signed"
    assert rr_up > 0


def test_rr_linear_fallback_for_zero_base():
    rr, form = rr_eurostat(0, 5, 2015, 2018, 10, 2020, +1)
    assert form == "linear"
    assert rr == pytest.approx((5 / 3) / (10 / 5))


def test_rr_linear_fallback_for_negative_value():
    rr, form = rr_eurostat(2, -1, 2015, 2018, 0, 2020, -1)
    assert form == "linear"
    assert rr == pytest.approx((-3 / 3) / (-2 / 5))


def test_rr_undefined_when_no_growth_required():
    assert rr_eurostat(5, 5, 2015, 2018, 5, 2020, +1) == (None, "undefined")
    assert rr_eurostat(0, 3, 2015, 2018, 0, 2020, +1) == (None, "undefined")


# ------------------------------------------------------- 序时进度 (§1.4)


def test_compound_schedule_cumulative_18():
    expected = expected_on_schedule([(2015, 100), (2020, 82)], 2018, "compound")
    assert round(expected, 2) == pytest.approx(88.77, abs=TOL)
    required_decline = 100 - expected
    assert round(required_decline, 2) == pytest.approx(11.23, abs=TOL)
    assert required_decline == pytest.approx((1 - 0.82**0.6) * 100)
    assert required_decline <= 24.6  # reported decline is on schedule


def test_linear_schedule_cumulative_18():
    expected = expected_on_schedule([(2015, 100), (2020, 82)], 2018, "linear")
    assert round(100 - expected, 2) == pytest.approx(10.8, abs=TOL)
    assert expected_on_schedule([(2015, 100), (2020, 82)], 2018) == pytest.approx(expected)


def test_compound_falls_back_to_linear_for_non_positive_values():
    assert expected_on_schedule([(2015, 0), (2020, 10)], 2018, "compound") == pytest.approx(6.0)
    assert expected_on_schedule([(2015, -5), (2020, 5)], 2018, "compound") == pytest.approx(1.0)


MILESTONES = [(2015, 10.0), (2017, 20.0), (2020, 50.0)]


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2015, 10.0), (2016, 15.0), (2017, 20.0), (2018, 30.0), (2019, 40.0), (2020, 50.0), (2025, 50.0)],
)
def test_milestone_path_through_three_points(year, expected):
    assert expected_on_schedule(MILESTONES, year) == pytest.approx(expected)
    assert expected_on_schedule(list(reversed(MILESTONES)), year) == pytest.approx(expected)


def test_milestone_path_compound_between_milestones():
    assert expected_on_schedule(MILESTONES, 2016, "compound") == pytest.approx(10 * 2**0.5)
    assert expected_on_schedule(MILESTONES, 2017, "compound") == pytest.approx(20.0)


def test_schedule_undefined_before_first_point_or_without_points():
    assert expected_on_schedule(MILESTONES, 2014) is None
    assert expected_on_schedule([], 2018) is None


# -------------------------------------------------------------- ESCAP (§3)


def test_escap_current_status():
    cs = current_status(76.7, 79.3, 80)
    assert round(cs, 3) == pytest.approx(0.788, abs=TOL)
    elapsed = (2018 - 2015) / (2020 - 2015)
    assert elapsed == pytest.approx(0.6)
    assert cs > elapsed  # ahead of expected progress


def test_current_status_undefined_when_target_is_base():
    assert current_status(5, 6, 5) is None


def test_current_status_negative_on_regression():
    assert current_status(76.7, 75.0, 80) < 0


def test_wls_projection_linear_weights():
    yhat, slope = wls_projection(AP_SERIES, 2020)
    assert round(yhat, 2) == pytest.approx(80.41, abs=TOL)
    assert round(slope, 2) == pytest.approx(0.62, abs=TOL)
    assert round(yhat - slope * (2020 - 2015), 2) == pytest.approx(77.31, abs=TOL)  # a
    assert wls_projection(AP_SERIES, 2020, "linear") == pytest.approx((yhat, slope))


def test_anticipated_progress_green():
    yhat, _ = wls_projection(AP_SERIES, 2020)
    ap = (yhat - 76.7) / (80 - 76.7)
    assert round(ap, 3) == pytest.approx(1.124, abs=TOL)
    assert ap >= 1


def test_wls_projection_unweighted_ols():
    yhat, slope = wls_projection(AP_SERIES, 2020, "uniform")
    assert round(yhat, 2) == pytest.approx(80.65, abs=TOL)
    assert slope == pytest.approx(0.7)


def test_wls_projection_exponential_weights_favour_recent_years():
    yhat_exp, _ = wls_projection(AP_SERIES, 2020, "exponential")
    yhat_uni, _ = wls_projection(AP_SERIES, 2020, "uniform")
    yhat_lin, _ = wls_projection(AP_SERIES, 2020, "linear")
    assert yhat_exp != pytest.approx(yhat_uni)
    assert yhat_exp != pytest.approx(yhat_lin)


def test_wls_projection_order_does_not_matter():
    assert wls_projection(list(reversed(AP_SERIES)), 2020) == pytest.approx(wls_projection(AP_SERIES, 2020))


@pytest.mark.parametrize(
    "series", [[], [(2015, 76.7)], [(2015, 1.0), (2015, 2.0)]], ids=["empty", "one", "same-year"]
)
def test_wls_projection_undefined(series):
    assert wls_projection(series, 2020) is None


# ---------------------------------------------------------------- properties

years = st.integers(min_value=1990, max_value=2060)
levels = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False, allow_infinity=False)


@given(years, st.integers(1, 30), st.data(), levels, levels)
def test_linear_schedule_between_anchors(ta, span, data, ya, yb):
    tb = ta + span
    t = data.draw(st.integers(ta, tb))
    e = expected_on_schedule([(ta, ya), (tb, yb)], t, "linear")
    slack = 1e-9 * max(1.0, abs(ya), abs(yb))
    assert min(ya, yb) - slack <= e <= max(ya, yb) + slack
    if t == ta:
        assert e == ya
    if t == tb:
        assert e == yb


@given(years, st.integers(1, 30), st.data(), positive, positive)
def test_compound_schedule_between_anchors(ta, span, data, ya, yb):
    tb = ta + span
    t = data.draw(st.integers(ta, tb))
    e = expected_on_schedule([(ta, ya), (tb, yb)], t, "compound")
    slack = 1e-9 * max(ya, yb)
    assert min(ya, yb) - slack <= e <= max(ya, yb) + slack


coef = st.floats(min_value=-1000, max_value=1000, allow_nan=False, allow_infinity=False)


@given(
    st.lists(years, min_size=2, max_size=15, unique=True),
    coef,
    coef,
    st.integers(1990, 2080),
    st.sampled_from(["linear", "uniform", "exponential"]),
)
def test_wls_reproduces_an_exact_line(ys, a, b, year, weights):
    t1 = min(ys)
    series = [(t, a + b * (t - t1)) for t in ys]
    result = wls_projection(series, year, weights)
    assert result is not None
    yhat, slope = result
    assert slope == pytest.approx(b, rel=1e-6, abs=1e-6)
    assert yhat == pytest.approx(a + b * (year - t1), rel=1e-6, abs=1e-4)
