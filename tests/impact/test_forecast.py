"""Impact forecasts: the point forecast against independent computations, the interval against the
true continuation of simulated series, the status rule, and inputs that break naive code."""

import math
import warnings
from datetime import date
from itertools import pairwise

import numpy as np
import pytest
from statsmodels.tsa.holtwinters import Holt

from forward.impact.forecast import (
    METHOD_MODEL,
    MIN_MONTHS_FOR_MODEL,
    STATUS_RULE,
    Status,
    ets_path,
    forecast,
    month_from_index,
    month_index,
    status_rule,
)

START = date(2024, 7, 1)
DEADLINE = date(2027, 6, 30)  # 36 months: July 2024 .. June 2027


def months(n, first=START):
    return [month_from_index(month_index(first) + i) for i in range(n)]


def run(cumulative, *, target=36_000, deadline=DEADLINE, level=0.8):
    return forecast(months=months(len(cumulative)), cumulative=list(cumulative), deadline=deadline,
                    target=target, start=START, level=level)


def finite(f):
    return all(math.isfinite(v) for v in (f.value, f.low, f.high, f.expected_now, *f.path,
                                          *f.path_low, *f.path_high))


# --- the point forecast --------------------------------------------------------------------------

def test_a_perfectly_linear_series_is_extrapolated_in_a_straight_line():
    f = run([1000.0 * (i + 1) for i in range(12)])
    assert f.method == str(METHOD_MODEL)
    assert f.value == pytest.approx(36_000, rel=0.01)  # 1,000 a month for 36 months
    assert f.months[0] == date(2025, 7, 1) and f.months[-1] == date(2027, 6, 1) and len(f.path) == 24
    assert f.path[0] == pytest.approx(13_000, rel=0.01)
    assert f.low <= f.value <= f.high


def noisy(seed, n, rate=1000.0, sd=250.0):
    increments = np.random.default_rng(seed).normal(rate, sd, n)
    return np.cumsum(increments)


def test_the_forecast_agrees_with_statsmodels_holt_fitted_directly():
    """Holt's method fitted by least squares (a different estimator, same model family)."""
    y = noisy(7, 36)[:18]
    f = run(y)
    holt = Holt(y, initialization_method="estimated").fit()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = holt.forecast(18)[-1]
    assert f.value == pytest.approx(expected, rel=0.03)


def test_the_forecast_is_the_smoothing_recursion_with_the_fitted_parameters():
    """Recompute the forecast by hand: Holt's recursion on the total with the level's smoothing 1,
    i.e. simple exponential smoothing of the increments, from the fitted alpha and initial level."""
    y = noisy(11, 20)
    ets = ets_path(y, horizon=16)
    rate = ets.initial_level
    for increment in np.diff(y, prepend=0.0):
        rate = ets.alpha * increment + (1 - ets.alpha) * rate
    hand = [y[-1] + h * rate for h in range(1, 17)]
    np.testing.assert_allclose(ets.mean, hand, rtol=1e-6)
    assert run(y).value == pytest.approx(hand[-1], rel=1e-6)


def test_one_month_ahead_the_interval_is_statsmodels_own_plus_the_rate_uncertainty():
    """For h = 1 the cumulative interval is the increments' one-step prediction interval from
    statsmodels (sigma²), widened by the rate's estimation variance (sigma² / n)."""
    import pandas as pd
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    y = noisy(12, 24)
    increments = np.diff(y, prepend=0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = ETSModel(pd.Series(increments), error="add").fit(disp=False)
        frame = fit.get_prediction(start=24, end=24).summary_frame(alpha=0.2)
    half_statsmodels = float(frame["pi_upper"].iloc[0] - frame["mean"].iloc[0])
    ets = ets_path(y, horizon=1)
    assert ets.mean[0] - y[-1] == pytest.approx(float(frame["mean"].iloc[0]), rel=0.01)
    assert ets.high[0] - ets.mean[0] == pytest.approx(half_statsmodels * math.sqrt(1 + 1 / 24), rel=0.02)


def test_a_noisy_series_interval_contains_its_true_continuation():
    truth = noisy(2024, 36)
    f = run(truth[:18])  # a year and a half of history, a year and a half to go
    assert f.method == str(METHOD_MODEL)
    assert f.low <= truth[-1] <= f.high
    assert f.low < f.value < f.high


def test_the_80_percent_interval_covers_the_truth_about_80_percent_of_the_time():
    covered = 0
    seeds = range(60)
    for seed in seeds:
        truth = noisy(seed, 36)
        f = run(truth[:12])  # a year of history, two years to go
        covered += f.low <= truth[-1] <= f.high
    assert 0.65 <= covered / len(seeds) <= 0.95


def test_a_wider_level_gives_a_wider_interval():
    y = noisy(3, 20)
    narrow, wide = run(y, level=0.5), run(y, level=0.95)
    assert wide.low < narrow.low and wide.high > narrow.high
    assert wide.value == pytest.approx(narrow.value)


# --- clipping: a running total never falls --------------------------------------------------------

def test_the_interval_never_falls_below_the_last_actual_value_and_the_path_never_falls():
    y = np.cumsum(np.random.default_rng(5).poisson(0.3, 12)).astype(float)  # mostly zeros
    f = run(y)
    assert min(f.path_low) >= y[-1] and f.low >= y[-1]
    for series in (f.path, f.path_low, f.path_high):
        assert all(b >= a for a, b in pairwise(series))


def test_a_falling_total_is_never_forecast_to_fall():
    """Revoked certificates can lower a total; the forecast still never goes below the last value."""
    y = [5.0] * 8 + [4.0, 3.0, 2.0, 1.0]
    f = run(y, target=50)
    assert f.low == 1 and min(f.path) >= 1 and f.value >= 1
    assert all(b >= a for a, b in pairwise(f.path))


# --- little history -------------------------------------------------------------------------------

def test_little_history_continues_the_average_increment_and_says_so():
    f = run([900.0, 2000.0, 3100.0])  # increments 900, 1100, 1100: mean 1033.3
    assert "too little history" in f.method
    assert f.value == pytest.approx(3100 + 33 * 3100 / 3)
    assert f.low < f.value < f.high


def test_a_single_month_gives_a_forecast_with_a_wide_interval():
    f = run([1000.0])
    assert f.value == pytest.approx(36_000)
    assert f.high - f.low > 10_000 and f.low >= 1000
    assert finite(f)


def test_the_model_is_used_from_six_months_on():
    assert "too little history" in run(noisy(1, MIN_MONTHS_FOR_MODEL - 1)).method
    assert run(noisy(1, MIN_MONTHS_FOR_MODEL)).method == str(METHOD_MODEL)


# --- the status rule ------------------------------------------------------------------------------

HISTORY = noisy(4, 18)
BASE = run(HISTORY, target=1)  # the forecast does not depend on the target; the status does


def test_on_track_when_the_forecast_reaches_the_target():
    f = run(HISTORY, target=BASE.value - 1)
    assert f.status is Status.ON_TRACK and f.status.label == "On track"
    assert run(HISTORY, target=BASE.value).status is Status.ON_TRACK  # reaching it is enough


def test_at_risk_when_only_the_interval_reaches_the_target():
    f = run(HISTORY, target=(BASE.value + BASE.high) / 2)
    assert f.value < f.high and f.status is Status.AT_RISK
    assert run(HISTORY, target=BASE.high).status is Status.AT_RISK


def test_off_track_when_even_the_interval_falls_short():
    f = run(HISTORY, target=BASE.high + 1)
    assert f.status is Status.OFF_TRACK


def test_met_when_the_target_is_reached_before_the_deadline():
    f = run(HISTORY, target=HISTORY[-1])
    assert f.status is Status.MET and f.path  # still forecast to the deadline


def test_after_the_deadline_the_actual_value_decides_met_or_missed():
    y = [1000.0 * (i + 1) for i in range(40)]  # four months past June 2027
    met = run(y, target=36_000)
    assert met.status is Status.MET and met.value == 36_000 and met.path == () and met.months == ()
    missed = run(y, target=36_001)
    assert missed.status is Status.MISSED and missed.value == missed.low == missed.high == 36_000
    assert "deadline passed" in missed.method


def test_expected_now_is_the_straight_trajectory_at_the_end_of_the_last_month():
    f = run([1.0] * 18)  # July 2024 .. December 2025: 549 of the 1,095 days
    assert f.expected_now == pytest.approx(36_000 * 549 / 1095)
    assert run([1.0] * 36).expected_now == pytest.approx(36_000)


def test_the_status_rule_reads_as_a_sentence_with_the_level():
    text = status_rule(level=0.8)
    assert "80% interval" in text and "On track" in text and "Off track" in text and "%" not in text.replace("80%", "")
    assert str(STATUS_RULE) % {"level": 95} == status_rule(level=0.95)
    assert Status.AT_RISK.label == "At risk"


# --- degenerate inputs ----------------------------------------------------------------------------

@pytest.mark.parametrize("series", [
    [0.0] * 12, [0.0] * 3, [0.0], [250.0] * 12, [250.0] * 2, [7.0], [0.0] * 11 + [5.0],
    [1e9 * (i + 1) for i in range(24)], [0.001 * (i + 1) for i in range(8)],
], ids=["zeros", "few-zeros", "one-zero", "constant", "few-constant", "one-month", "one-jump",
        "huge", "tiny"])
def test_degenerate_series_give_finite_forecasts_and_print_no_warnings(series, capfd):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning leaking out of the module fails the test
        f = run(series)
    assert finite(f)
    assert f.low <= f.value <= f.high and f.low >= series[-1]
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_an_all_zero_series_stays_at_zero_and_is_off_track():
    f = run([0.0] * 12)
    assert f.value == f.low == f.high == 0 and f.status is Status.OFF_TRACK


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"months": [], "cumulative": []}, "at least one month"),
    ({"months": months(2), "cumulative": [1.0]}, "one value per month"),
    ({"months": [date(2024, 7, 1), date(2024, 9, 1)], "cumulative": [1.0, 2.0]}, "consecutive"),
    ({"months": [date(2024, 7, 2)], "cumulative": [1.0]}, "first days"),
    ({"months": months(2), "cumulative": [1.0, float("nan")]}, "finite"),
    ({"months": months(1), "cumulative": [1.0], "level": 80}, "between 0 and 1"),
])
def test_bad_input_is_refused_with_a_message_that_says_what_to_fix(kwargs, message):
    kwargs = {"deadline": DEADLINE, "target": 10, "start": START, **kwargs}
    with pytest.raises(ValueError, match=message):
        forecast(**kwargs)


def test_when_the_model_fails_to_fit_the_straight_line_is_used_and_named(monkeypatch):
    from statsmodels.tsa.exponential_smoothing import ets

    def broken_fit(self, *args, **kwargs):
        raise np.linalg.LinAlgError("singular")

    monkeypatch.setattr(ets.ETSModel, "fit", broken_fit)
    f = run(noisy(8, 12))
    assert f.method == "linear (the model did not fit)" and finite(f) and f.low < f.value < f.high
