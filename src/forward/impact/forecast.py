"""Forecast a programme target: where will the running total be at the deadline?

A pure module: plain values in (month dates, running totals, a target, its dates), a plain
`Forecast` out. No database, no Django apart from the translatable labels.

**What is modelled.** Holt's additive-trend exponential smoothing of the cumulative series, with
the level's smoothing fixed at 1: the running total is a count, observed without error, so the
level *is* the last total, and all the uncertainty is in the trend, the monthly rate. That model is
exactly simple exponential smoothing, ETS(A,N,N), of the monthly increments (Holt's trend
recursion with alpha = 1 is the SES recursion on the differences), which is what is fitted, by
maximum likelihood with statsmodels' `ETSModel`. The forecast continues the smoothed recent rate:

    cumulative(n + h) = total(n) + h * rate(n)
    Var = sigma² * (sum over k = 0..h-1 of (1 + alpha k)²  +  h² / n)

The first term is the model's own h-step variance of a sum of increments (each increment's error
also moves the rate by alpha); the second is the uncertainty of the estimated rate (the variance of
h times a mean of n increments), which the model's formula leaves out. Measured on 200 simulated
series (steady rate plus noise), the 80% interval for a two-year horizon from a year of data covered
the true total 51% of the time without that term and 79% with it (a year from two years of data:
73% and 80%); tests/impact/test_forecast.py checks the coverage.

Why not fit Holt's method freely to the cumulative series (ETS(A,A,N) with both smoothings
estimated)? On tens of months maximum likelihood often chooses alpha ≈ 0, beta ≈ 0, a fixed line
with noise around it, and then the interval hardly grows with the horizon: on the same simulated
series its 80% interval covered the true total 39% of the time (a year ahead from two years) and
5% (two years ahead from one). And why not a trend on
the increments? That would make the cumulative forecast quadratic, extrapolating an acceleration
over a three-year horizon, optimistic for a programme whose growth months are behind it.

The data are small; the fit is bounded (at most ``MAX_ITERATIONS`` optimiser iterations on a series
scaled to about 1) and its warnings are caught, never printed. When the fit fails or returns
anything not finite, the straight-line method below is used and `method` says so.

**Little history.** With fewer than ``MIN_MONTHS_FOR_MODEL`` complete months the model is not
fitted: the forecast continues the average monthly increment in a straight line, and the interval
is ± z·s·√(h + h²/n) (the spread of a sum of h future increments plus the uncertainty of the mean
of n observed ones, s their sample standard deviation; with a single month s is taken as large as
the increment itself, since nothing is known about the spread). `method` says so.

**Increments cannot be negative.** A running total never falls, so the forecast, both interval
bounds and the whole path are clipped to at least the last actual value, and each is made
non-decreasing month by month (a quantile of a non-decreasing quantity is non-decreasing).

**Status rule** (`status_rule(level=0.8)` is the sentence pages show; `STATUS_RULE` its template):

- *met*: the last actual value is at the target already;
- *on track*: the forecast value at the deadline is at or above the target;
- *at risk*: the forecast is below the target, but the interval's upper bound reaches it;
- *off track*: even the interval's upper bound is below the target;
- once the deadline's month is among the actual months there is no forecast: *met* if the actual
  value at the deadline reached the target, *missed* otherwise.

`expected_now` is the straight trajectory's value at the end of the last actual month: the target
times the share of the days from `start` to the deadline (inclusive) that have passed.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from itertools import pairwise
from statistics import NormalDist
from typing import TYPE_CHECKING

import numpy as np
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

MIN_MONTHS_FOR_MODEL = 6
MAX_ITERATIONS = 200
# Holt on the total with level smoothing 1, i.e. simple exponential smoothing of the increments
METHOD_MODEL = _("ETS(A,N,N) on the monthly increments")

STATUS_RULE = _(
    "On track: the forecast at the deadline reaches the target. At risk: the forecast falls short, "
    "but the upper end of its %(level)s%% interval reaches the target. Off track: even the upper end "
    "falls short. Met: the target is reached already. Missed: the deadline has passed short of the "
    "target.")


def status_rule(*, level: float = 0.8) -> str:
    """`STATUS_RULE` for an interval at `level`, in the active language."""
    return str(STATUS_RULE) % {"level": f"{round(level * 100):d}"}


class Status(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    MET = "met"
    MISSED = "missed"

    @property
    def label(self) -> _StrPromise:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.ON_TRACK: _("On track"),
    Status.AT_RISK: _("At risk"),
    Status.OFF_TRACK: _("Off track"),
    Status.MET: _("Met"),
    Status.MISSED: _("Missed"),
}


@dataclass(frozen=True)
class Forecast:
    """The cumulative value forecast for the deadline's month, with its interval at `level`.

    `months`, `path`, `path_low` and `path_high` run from the month after the last actual one to
    the deadline's month (empty when the deadline has passed: then `value` = `low` = `high` is the
    actual value at the deadline)."""

    value: float
    low: float
    high: float
    months: tuple[date, ...]
    path: tuple[float, ...]
    path_low: tuple[float, ...]
    path_high: tuple[float, ...]
    method: str
    status: Status
    expected_now: float
    level: float = 0.8


@dataclass(frozen=True)
class EtsPath:
    """The ETS(A,N,N) fit of the monthly increments and the cumulative forecast `horizon` months
    on. `alpha` and `initial_level` (in the series' units) are the fitted parameters, `rate` the
    smoothed monthly increment the forecast continues, `sigma` the increments' error scale, so the
    recursion and the interval can be checked by hand."""

    mean: np.ndarray
    low: np.ndarray
    high: np.ndarray
    alpha: float
    initial_level: float
    rate: float
    sigma: float


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def month_from_index(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def month_end(month: date) -> date:
    """The first day of the next month: the instant at which a month's running total is read."""
    return month_from_index(month_index(month) + 1)


def trajectory_value(*, on: date, target: float, start: date, deadline: date) -> float:
    """The straight trajectory from 0 at `start` to `target` at the end of `deadline` (inclusive)."""
    total = (deadline + timedelta(days=1) - start).days
    if total <= 0:
        return float(target)
    share = min(max((on - start).days / total, 0.0), 1.0)
    return float(target) * share


def forecast(*, months: Sequence[date], cumulative: Sequence[float], deadline: date, target: float,
             start: date, level: float = 0.8) -> Forecast:
    """Forecast the running total at the end of the deadline's month; see the module docstring.

    `months` are the first days of consecutive months (the start's month to the last complete
    one), `cumulative` the running total at the end of each. Raises ValueError on input that does
    not say that (empty, unequal lengths, gaps, values that are not finite numbers)."""
    _check(months=months, cumulative=cumulative, level=level)
    y = np.asarray(cumulative, dtype=float)
    last = float(y[-1])
    expected_now = trajectory_value(on=month_end(months[-1]), target=target, start=start,
                                    deadline=deadline)
    first, deadline_index = month_index(months[0]), month_index(deadline)
    horizon = deadline_index - month_index(months[-1])

    if horizon <= 0:  # the deadline's month is complete: judge the actual value then
        at_deadline = float(y[max(deadline_index - first, 0)]) if deadline_index >= first else 0.0
        status = Status.MET if at_deadline >= target else Status.MISSED
        return Forecast(value=at_deadline, low=at_deadline, high=at_deadline, months=(), path=(),
                        path_low=(), path_high=(), method=str(_("actual (deadline passed)")),
                        status=status, expected_now=expected_now, level=level)

    ets = None
    if len(y) >= MIN_MONTHS_FOR_MODEL:
        ets = ets_path(y, horizon=horizon, level=level)
        method = str(METHOD_MODEL) if ets is not None else str(_("linear (the model did not fit)"))
    else:
        method = str(_("linear (too little history)"))
    if ets is not None:
        mean, low, high = ets.mean, ets.low, ets.high
    else:
        mean, low, high = _linear_path(y, horizon=horizon, level=level)

    mean, low, high = (np.maximum.accumulate(np.maximum(a, last)) for a in (mean, low, high))
    low, high = np.minimum(low, mean), np.maximum(high, mean)
    value, top = float(mean[-1]), float(high[-1])
    if last >= target:
        status = Status.MET
    elif value >= target:
        status = Status.ON_TRACK
    elif top >= target:
        status = Status.AT_RISK
    else:
        status = Status.OFF_TRACK
    return Forecast(
        value=value, low=float(low[-1]), high=top,
        months=tuple(month_from_index(month_index(months[-1]) + k) for k in range(1, horizon + 1)),
        path=tuple(map(float, mean)), path_low=tuple(map(float, low)), path_high=tuple(map(float, high)),
        method=method, status=status, expected_now=expected_now, level=level)


def _check(*, months: Sequence[date], cumulative: Sequence[float], level: float) -> None:
    if not months:
        raise ValueError("No complete month yet: a forecast needs at least one month of data.")
    if len(months) != len(cumulative):
        raise ValueError(f"{len(months)} months but {len(cumulative)} values: give one value per month.")
    if any(m.day != 1 for m in months):
        raise ValueError("Months must be given as their first days.")
    indices = [month_index(m) for m in months]
    if any(b - a != 1 for a, b in pairwise(indices)):
        raise ValueError("Months must be consecutive, oldest first, without gaps.")
    if not all(isinstance(v, int | float | np.number) and math.isfinite(v) for v in cumulative):
        raise ValueError("Every running total must be a finite number.")
    if not 0 < level < 1:
        raise ValueError("The interval level must be between 0 and 1 (e.g. 0.8).")


def _z(level: float) -> float:
    return NormalDist().inv_cdf((1 + level) / 2)


def _linear_path(y: np.ndarray, *, horizon: int, level: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Continue the average monthly increment (the running total starts at 0 at the start)."""
    increments = np.diff(y, prepend=0.0)
    n = len(increments)
    mean = float(increments.mean())
    spread = float(increments.std(ddof=1)) if n >= 2 else abs(mean)
    h = np.arange(1, horizon + 1, dtype=float)
    path = y[-1] + mean * h
    half = _z(level) * spread * np.sqrt(h + h * h / n)
    return path, path - half, path + half


def ets_path(y: Sequence[float] | np.ndarray, *, horizon: int, level: float = 0.8) -> EtsPath | None:
    """Fit ETS(A,N,N) to the increments of the cumulative series `y` (the running total starts at 0)
    and forecast the cumulative value 1..`horizon` months on; None when the fit fails or gives
    anything that is not finite. The increments are scaled to about 1 for the optimiser and the
    results scaled back; no warning escapes."""
    y = np.asarray(y, dtype=float)
    increments = np.diff(y, prepend=0.0)
    n = len(increments)
    scale = float(np.max(np.abs(increments))) or 1.0
    with warnings.catch_warnings():  # a missing dependency is an error, not a fallback
        warnings.simplefilter("ignore")
        import pandas as pd  # imported here: heavy, and only the impact pages need them
        from statsmodels.tsa.exponential_smoothing.ets import ETSModel
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            model = ETSModel(pd.Series(increments / scale), error="add", trend=None, seasonal=None)
            fit = model.fit(disp=False, maxiter=MAX_ITERATIONS)
            params = dict(zip(fit.param_names, np.asarray(fit.params, dtype=float), strict=True))
            rate = float(np.asarray(fit.forecast(1))[0]) * scale
            sigma2 = float(fit.mse) * scale * scale
    except Exception:  # any failure of the optimiser means: use the straight line
        return None
    alpha = params.get("smoothing_level", float("nan"))
    if not all(math.isfinite(v) for v in (alpha, rate, sigma2, params.get("initial_level", 0.0))):
        return None
    h = np.arange(1, horizon + 1, dtype=float)
    mean = y[-1] + rate * h
    variance = sigma2 * (np.cumsum((1 + alpha * (h - 1)) ** 2) + h * h / n)
    half = _z(level) * np.sqrt(np.maximum(variance, 0.0))
    return EtsPath(mean=mean, low=mean - half, high=mean + half, alpha=alpha,
                   initial_level=params["initial_level"] * scale, rate=rate,
                   sigma=math.sqrt(max(sigma2, 0.0)))
