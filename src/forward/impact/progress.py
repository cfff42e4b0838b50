"""A target's progress: the cumulative series from its start, the straight trajectory, the forecast at
its deadline and a status. Shared by the pages, the exports and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import measures, selectors
from .models import Target
from .selectors import Filters

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

    from .forecast import Forecast, Status

STATUS_LABELS = {
    "met": _("Met"),
    "missed": _("Missed"),
    "on_track": _("On track"),
    "at_risk": _("At risk"),
    "off_track": _("Off track"),
}


@dataclass
class Progress:
    target: Target
    measure: measures.Measure
    filters: Filters
    months: list[date]  # first days of the months from the start's to today's (or the deadline's)
    actual: list[int]  # running total at the end of each (the last month so far)
    current: int
    forecast: Forecast
    status: Status

    @property
    def status_label(self) -> _StrPromise:
        return STATUS_LABELS[self.status]

    @property
    def share(self) -> float:
        return self.current / self.target.value if self.target.value else 0.0


def filters_for(target: Target) -> Filters:
    return Filters(country=target.country or None, programme=target.programme_id, university=target.university_id)


def progress(target: Target, *, today: date | None = None) -> Progress:
    from . import forecast as forecasting

    today = today or timezone.localdate()
    measure = measures.get(target.measure)
    if measure is None:
        raise ValueError(f"target {target.pk} counts {target.measure!r}, which is no measure")
    filters = filters_for(target)
    end = min(today, target.deadline)
    months, actual = selectors.cumulative(target.measure, unit=target.unit, filters=filters, start=target.starts_on,
                                          end=max(end, target.starts_on))
    current = actual[-1] if actual else 0
    # The forecast fits complete months only: the month in progress would look like a slowdown.
    complete = [m for m in months if (m.replace(day=28) + timedelta(days=4)).replace(day=1) <= today]
    fitted = actual[:len(complete)] if complete else actual[:1]
    result = forecasting.forecast(months=complete or months[:1], cumulative=fitted or [current], deadline=target.deadline,
                                  target=float(target.value), start=target.starts_on)
    status = result.status
    if current >= target.value:
        status = forecasting.Status.MET
    elif today > target.deadline:
        status = forecasting.Status.MISSED
    return Progress(target=target, measure=measure, filters=filters, months=months, actual=actual, current=current,
                    forecast=result, status=status)


def all_progress(*, today: date | None = None) -> list[Progress]:
    """Every target's progress, in the operators' order: one query for the targets, one per target."""
    targets = Target.objects.select_related("programme", "university")
    return [progress(t, today=today) for t in targets if measures.get(t.measure) is not None]
