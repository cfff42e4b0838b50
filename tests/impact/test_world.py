from forward.impact import selectors
from forward.impact.selectors import Filters


def test_the_world_has_numbers_and_targets(world):
    assert selectors.total("talents").value == 55
    assert selectors.total("talents", filters=Filters(university=world.uni.pk)).value == 40
    assert selectors.total("funding", unit="USD").value == 750_000
    small = dict(selectors.breakdown("talents", by="country"))["ID"]
    assert small.suppressed and small.value == 3
