"""Cohort outcomes by university, from the rollups' facts (never from the apps directly).

A university's cohort of a year: the people whose first enrolment in one of its runs (the
``learners`` facts at that university) fell in that year. Of them: how many are ``certified`` (hold
a certification now), and how many were ``placed``: accepted an offer (``placements``) at most
``PLACED_WITHIN`` days after their first course completion (``completers``), that day included.
Computed at the end of every rollup run; rows that did not change are left alone, so running it
twice changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from .models import Fact, UniversityOutcome

PLACED_WITHIN = timedelta(days=183)  # six months


def _first_days(measure: str, *, by_university: bool = False):
    keys = ["entity", "university"] if by_university else ["entity"]
    rows = Fact.objects.filter(measure=measure)
    if by_university:
        rows = rows.exclude(university=0)
    return rows.order_by().values(*keys).annotate(first=Min("day")).values_list(*keys, "first").iterator(
        chunk_size=5000)


def compute() -> dict[tuple[int, int], tuple[int, int, int]]:
    """(university, year) → (students, certified, placed)."""
    certified = set(Fact.objects.filter(measure="certified").order_by().values_list("entity", flat=True).distinct()
                    .iterator(chunk_size=5000))
    completed = dict(_first_days("completers"))
    placed_on = dict(_first_days("placements"))
    placed = {entity for entity, day in placed_on.items()
              if entity in completed and completed[entity] <= day <= completed[entity] + PLACED_WITHIN}
    counts: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0, 0])
    for entity, university, first in _first_days("learners", by_university=True):
        cell = counts[(university, first.year)]
        cell[0] += 1
        cell[1] += entity in certified
        cell[2] += entity in placed
    return {key: tuple(value) for key, value in counts.items()}


@transaction.atomic
def refresh_outcomes() -> int:
    """Bring ``UniversityOutcome`` in line with the facts; returns how many rows changed."""
    wanted = compute()
    now = timezone.now()
    existing = {(row.university, row.year): row for row in UniversityOutcome.objects.select_for_update()}
    create, update = [], []
    for key, (students, certified, placed) in wanted.items():
        row = existing.pop(key, None)
        if row is None:
            create.append(UniversityOutcome(university=key[0], year=key[1], students=students, certified=certified,
                                            placed=placed, computed_at=now))
        elif (row.students, row.certified, row.placed) != (students, certified, placed):
            row.students, row.certified, row.placed, row.computed_at = students, certified, placed, now
            update.append(row)
    UniversityOutcome.objects.bulk_create(create, batch_size=5000)
    UniversityOutcome.objects.bulk_update(update, ["students", "certified", "placed", "computed_at"], batch_size=5000)
    UniversityOutcome.objects.filter(pk__in=[row.pk for row in existing.values()]).delete()
    return len(create) + len(update) + len(existing)
