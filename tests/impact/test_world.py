from forward.impact import selectors
from forward.impact.selectors import Filters


def test_the_world_has_numbers_and_targets(world):
    assert selectors.total("talents").value == 55
    assert selectors.total("talents", filters=Filters(university=world.uni.pk)).value == 40
    assert selectors.total("funding", unit="USD").value == 750_000
    small = dict(selectors.breakdown("talents", by="country"))["ID"]
    assert small.suppressed and small.value == 3


def test_each_target_has_a_series_a_forecast_and_a_status(world):
    from datetime import date

    from forward.impact import progress

    rows = progress.all_progress(today=date(2026, 11, 15))
    assert [p.target.title for p in rows] == ["Talents across the region", "National University talents",
                                                "Funding raised"]
    region, uni, funding = rows
    assert region.current == 55 and uni.current == 40 and funding.current == 750_000
    assert region.months[0] == date(2024, 12, 1) and region.months[-1] == date(2026, 11, 1)
    assert region.status in {"on_track", "at_risk", "off_track"}
    assert region.forecast.low <= region.forecast.value <= region.forecast.high
    assert uni.forecast.value >= 40  # the forecast never falls below what is counted already
