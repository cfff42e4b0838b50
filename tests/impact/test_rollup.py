"""The rollup equals a from-scratch count, however the records arrive: day by day, late, revoked,
and run twice. The source here is generated in memory (the rollup only sees rows and arrival
times); tests/impact/test_sources.py does the same with the platform's real records."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

import pytest

from forward.impact import rollup, selectors
from forward.impact.measures import REGISTRY, Measure, register
from forward.impact.models import Daily, Fact
from forward.impact.selectors import Filters

pytestmark = pytest.mark.django_db

START = date(2025, 1, 1)
COUNTRIES = ["SG", "MY", "ID", ""]


class Source:
    """Records as an app would hold them: each (entity, day it happened, cell, arrived at, revoked at)."""

    def __init__(self):
        self.records = []

    def add(self, *, entity, day, country, programme, university, arrived, amount=1, unit=""):
        self.records.append({"entity": entity, "day": day, "country": country, "programme": programme,
                             "university": university, "arrived": arrived, "revoked": None,
                             "amount": amount, "unit": unit})

    def live(self, now):
        return [r for r in self.records if r["arrived"] <= now and not (r["revoked"] and r["revoked"] <= now)]

    def measure(self, slug, clock, money=False):
        def rows(entities):
            wanted = None if entities is None else set(entities)
            return [(r["entity"], r["day"], r["country"], r["programme"], r["university"], r["amount"], r["unit"])
                    for r in self.live(clock[0]) if wanted is None or r["entity"] in wanted]

        def changed(since, until):
            return {r["entity"] for r in self.records
                    if since <= r["arrived"] < until or (r["revoked"] and since <= r["revoked"] < until)}

        return Measure(slug=slug, name=slug, definition=slug, noun="things", rows=rows, changed=changed, money=money)


@pytest.fixture
def registered():
    saved = dict(REGISTRY)
    REGISTRY.clear()
    yield REGISTRY
    REGISTRY.clear()
    REGISTRY.update(saved)


def scratch(records, *, filters: Filters, since=None, until=None, unit=""):
    """Count from scratch: each entity once, on the first day it qualified inside the slice."""
    first = {}
    for r in records:
        if r["unit"] != unit:
            continue
        if any(value is not None and r[name] != value for name, value in
               (("country", filters.country), ("programme", filters.programme), ("university", filters.university))):
            continue
        key = r["entity"]
        if key not in first or r["day"] < first[key][0]:
            first[key] = (r["day"], max(r["amount"], first.get(key, (None, 0))[1]))
        else:
            first[key] = (first[key][0], max(r["amount"], first[key][1]))
    return sum(amount for day, amount in first.values()
               if (since is None or day >= since) and (until is None or day <= until))


def slices(rng):
    yield Filters()
    for country in COUNTRIES:
        yield Filters(country=country)
    for programme in (0, 1, 2):
        yield Filters(programme=programme)
        yield Filters(country=rng.choice(COUNTRIES), programme=programme)
    for university in (0, 10, 11, 12):
        yield Filters(university=university)
        yield Filters(programme=rng.choice([0, 1, 2]), university=university)
        yield Filters(country=rng.choice(COUNTRIES), programme=rng.choice([0, 1, 2]), university=university)


def check_equal(source, now, rng, slug="things", unit=""):
    live = source.live(now)
    for filters in slices(rng):
        assert selectors.total(slug, filters=filters, unit=unit).value == scratch(live, filters=filters, unit=unit), \
            filters
        since = START + timedelta(days=rng.randrange(0, 120))
        until = since + timedelta(days=rng.randrange(0, 90))
        assert selectors.total(slug, filters=filters, since=since, until=until, unit=unit).value == \
            scratch(live, filters=filters, since=since, until=until, unit=unit)
    for by in ("country", "programme", "university"):
        got = {key: amount.value for key, amount in selectors.breakdown(slug, by=by, unit=unit)}
        keys = {r[by] for r in live if r["unit"] == unit}
        want = {key: scratch(live, filters=Filters(**{by: key}), unit=unit) for key in keys}
        assert got == {k: v for k, v in want.items() if v}


def at(day: date, hour=18) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_daily_runs_equal_a_count_from_scratch_with_late_records_and_revocations(registered, seed):
    rng = random.Random(seed)
    source, clock = Source(), [at(START)]
    register(source.measure("things", clock))
    for step in range(12):
        today = START + timedelta(days=10 * step)
        for _ in range(rng.randrange(5, 25)):
            arrived = at(today, rng.randrange(0, 23))
            late = rng.random() < 0.3  # happened up to 40 days before it arrived
            day = today - timedelta(days=rng.randrange(0, 40) if late else 0)
            source.add(entity=rng.randrange(1, 60), day=max(day, START), country=rng.choice(COUNTRIES),
                       programme=rng.choice([0, 1, 2]), university=rng.choice([0, 10, 11, 12]), arrived=arrived)
        for record in rng.sample(source.records, k=min(3, len(source.records))):
            if rng.random() < 0.5 and record["revoked"] is None:  # a credential revoked today
                record["revoked"] = at(today, 23) - timedelta(minutes=rng.randrange(0, 600))
        clock[0] = at(today, 23) + timedelta(minutes=30)
        rollup.refresh(now=clock[0])
        check_equal(source, clock[0], rng)

    stored = list(Daily.objects.order_by("pk").values_list("grouping", "day", "country", "programme", "university",
                                                           "value", "entities"))
    facts = Fact.objects.count()
    assert rollup.refresh(now=clock[0])[0]["changes"] == 0  # running twice changes nothing
    assert rollup.rebuild(now=clock[0])[0]["changes"] == 0  # nor does recomputing everything
    assert list(Daily.objects.order_by("pk").values_list("grouping", "day", "country", "programme", "university",
                                                         "value", "entities")) == stored
    assert Fact.objects.count() == facts

    # Daily damaged behind the rollup's back (a row lost, another edited): a rebuild mends it.
    Daily.objects.order_by("pk").first().delete()
    Daily.objects.filter(pk=Daily.objects.order_by("-pk").values("pk")[:1]).update(value=999, entities=999)
    assert rollup.rebuild(now=clock[0])[0]["changes"] == 2
    check_equal(source, clock[0], rng)
    assert sorted(Daily.objects.values_list("grouping", "day", "country", "programme", "university", "value",
                                            "entities")) == sorted(stored)


def test_a_record_that_arrives_late_lands_on_the_day_it_happened(registered):
    source, clock = Source(), [at(date(2025, 3, 1))]
    register(source.measure("things", clock))
    source.add(entity=1, day=date(2025, 3, 1), country="SG", programme=1, university=10, arrived=at(date(2025, 3, 1), 9))
    rollup.refresh(now=clock[0])
    assert selectors.total("things").value == 1
    # A month later, a record that happened in January arrives for the same person.
    source.add(entity=1, day=date(2025, 1, 15), country="SG", programme=2, university=10, arrived=at(date(2025, 4, 1), 9))
    clock[0] = at(date(2025, 4, 1))
    rollup.refresh(now=clock[0])
    assert selectors.total("things").value == 1  # still one person
    assert selectors.monthly("things") == [(date(2025, 1, 1), selectors.Amount(1, 1))]  # first qualified in January
    assert selectors.total("things", filters=Filters(programme=1)).value == 1
    assert selectors.total("things", filters=Filters(programme=2)).value == 1


def test_revoking_the_only_credential_takes_the_person_out(registered):
    source, clock = Source(), [at(date(2025, 3, 1))]
    register(source.measure("things", clock))
    source.add(entity=1, day=date(2025, 2, 1), country="SG", programme=1, university=10, arrived=at(date(2025, 2, 1)))
    source.add(entity=2, day=date(2025, 2, 2), country="MY", programme=1, university=11, arrived=at(date(2025, 2, 2)))
    rollup.refresh(now=clock[0])
    assert selectors.total("things").value == 2
    source.records[0]["revoked"] = at(date(2025, 3, 2), 9)
    clock[0] = at(date(2025, 3, 2))
    rollup.refresh(now=clock[0])
    assert selectors.total("things").value == 1
    assert dict((k, a.value) for k, a in selectors.breakdown("things", by="country")) == {"MY": 1}
    assert not Daily.objects.filter(country="SG").exists()  # nothing left behind at zero


def test_money_is_summed_per_currency_never_across(registered):
    source, clock = Source(), [at(date(2025, 3, 1))]
    register(source.measure("funding", clock, money=True))
    source.add(entity=1, day=date(2025, 2, 1), country="SG", programme=0, university=0, arrived=at(date(2025, 2, 1)),
               amount=500_000, unit="USD")
    source.add(entity=2, day=date(2025, 2, 3), country="SG", programme=0, university=0, arrived=at(date(2025, 2, 3)),
               amount=250_000, unit="USD")
    source.add(entity=3, day=date(2025, 2, 5), country="SG", programme=0, university=0, arrived=at(date(2025, 2, 5)),
               amount=1_000_000, unit="SGD")
    rollup.refresh(now=clock[0])
    assert selectors.units("funding") == ["SGD", "USD"]
    assert selectors.total("funding", unit="USD") == selectors.Amount(750_000, 2)
    assert selectors.total("funding", unit="SGD") == selectors.Amount(1_000_000, 1)


def test_backfill_recomputes_a_range_after_a_record_was_deleted_without_trace(registered):
    source, clock = Source(), [at(date(2025, 3, 1))]
    register(source.measure("things", clock))
    for entity in range(1, 8):
        source.add(entity=entity, day=date(2025, 2, entity), country="SG", programme=1, university=10,
                   arrived=at(date(2025, 2, entity)))
    rollup.refresh(now=clock[0])
    assert selectors.total("things").value == 7
    del source.records[2]  # deleted outright: no timestamp says so, an incremental run cannot know
    rollup.refresh(now=at(date(2025, 3, 2)))
    assert selectors.total("things").value == 7
    result = rollup.backfill(start=date(2025, 2, 1), end=date(2025, 2, 5))
    assert result[0]["entities"] == 5
    assert selectors.total("things").value == 6
    with pytest.raises(ValueError, match="ends before it starts"):
        rollup.backfill(start=date(2025, 2, 5), end=date(2025, 2, 1))
    with pytest.raises(ValueError, match="no measure 'nope'"):
        rollup.refresh("nope")
