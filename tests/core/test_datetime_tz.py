"""Times are stored in UTC and shown on the viewer's clock, with the zone named."""

from datetime import UTC, datetime

from django.template import Context, Template
from django.utils import timezone, translation


def test_datetime_tz_shows_the_viewers_clock():
    moment = datetime(2026, 9, 3, 2, 0, tzinfo=UTC)
    template = Template("{% load forward %}{{ moment|datetime_tz }}")
    with translation.override("en"), timezone.override("Asia/Singapore"):
        shown = template.render(Context({"moment": moment}))
    assert "10:00" in shown or "10 a.m." in shown, shown
    assert "+08" in shown or "SGT" in shown, shown
    with translation.override("en"), timezone.override("UTC"):
        shown = template.render(Context({"moment": moment}))
    assert ("2:00" in shown or "2 a.m." in shown) and "UTC" in shown, shown
