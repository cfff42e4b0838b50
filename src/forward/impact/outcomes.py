"""Cohort outcomes by university, from the rollups' facts (never from the apps directly).

A university's cohort of a year: the people whose first enrolment in one of its runs (the
``learners`` facts at that university) fell in that year. Of them: how many are ``certified`` (hold
a certification now), and how many were ``placed``: accepted an offer (``placements``) at most
``PLACED_WITHIN`` days after their first course completion (``completers``), that day included.
Computed at the end of every rollup run; rows that did not change are left alone, so running it
twice changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from .models import Fact, UniversityOutcome

PLACED_WITHIN = timedelta(days=183)  # six months


def compute() -> dict[tuple[int, int], tuple[int, int, int]]:
    """(university, year) → (students, certified, placed): one grouped query over the facts (the
    database joins millions of facts in seconds where Python took a third of an hourly run)."""
    fact = connection.ops.quote_name(Fact._meta.db_table)
    if connection.vendor == "postgresql":
        year = "CAST(EXTRACT(YEAR FROM l.first) AS INTEGER)"
        within = "p.first BETWEEN c.first AND c.first + %s"
    else:
        year = "CAST(strftime('%%Y', l.first) AS INTEGER)"
        within = "julianday(p.first) - julianday(c.first) BETWEEN 0 AND %s"
    firsts = f"SELECT entity, MIN(day) AS first FROM {fact} WHERE measure = %s GROUP BY entity"  # noqa: S608
    # The table and expressions are ours; values are parameters.
    sql = (
        f"SELECT l.university, {year}, COUNT(*), COUNT(k.entity), SUM(CASE WHEN {within} THEN 1 ELSE 0 END) "  # noqa: S608
        f"FROM (SELECT entity, university, MIN(day) AS first FROM {fact} WHERE measure = %s AND university <> 0 "
        f"      GROUP BY entity, university) l "
        f"LEFT JOIN (SELECT DISTINCT entity FROM {fact} WHERE measure = %s) k ON k.entity = l.entity "
        f"LEFT JOIN ({firsts}) c ON c.entity = l.entity "
        f"LEFT JOIN ({firsts}) p ON p.entity = l.entity "
        f"GROUP BY l.university, {year}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [PLACED_WITHIN.days, "learners", "certified", "completers", "placements"])
        return {(university, year): (students, certified, placed or 0)
                for university, year, students, certified, placed in cursor.fetchall()}


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
