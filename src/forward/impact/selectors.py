"""Reads for the impact pages, exports and API: a few ``Daily`` rows summed, whatever the platform's size.

Filters name a slice: ``country`` (ISO code, ``""`` for unknown), ``programme`` and ``university``
(ids, 0 for none); ``None`` means all. A slice reads the grouping split by exactly the filtered
dimensions (plus the one broken down by), so each entity counts once in it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from django.db.models import Max, Min, QuerySet, Sum
from django.db.models.functions import TruncMonth

from .models import COUNTRY, PROGRAMME, UNIVERSITY, Daily, RollupState

SMALL_GROUP = 5  # a breakdown cell counting fewer entities than this is shown as "< 5"
DIMENSIONS = {"country": COUNTRY, "programme": PROGRAMME, "university": UNIVERSITY}


@dataclass(frozen=True)
class Filters:
    country: str | None = None
    programme: int | None = None
    university: int | None = None

    def grouping(self, by: str | None = None) -> int:
        bits = sum(bit for name, bit in DIMENSIONS.items() if getattr(self, name) is not None)
        return bits | (DIMENSIONS[by] if by else 0)

    def lookups(self) -> dict[str, str | int]:
        return {name: getattr(self, name) for name in DIMENSIONS if getattr(self, name) is not None}


ALL = Filters()


@dataclass(frozen=True)
class Amount:
    value: int
    entities: int

    @property
    def suppressed(self) -> bool:
        return 0 < self.entities < SMALL_GROUP


SMALL, COMPLEMENT = "small", "complement"  # why a cell is withheld


def suppression(entities: list[int], exact: list[bool] | None = None) -> list[str]:
    """Which of these cells to withhold, for cells that add up to a total that is shown (a breakdown's
    rows, a slice's months): ``SMALL`` for 1 to 4 entities ("< 5"), ``COMPLEMENT`` for the smallest other
    cell when exactly one is withheld, or the total minus the rest would give it away; ``""`` for a cell
    shown. `exact` marks the cells this viewer may see whatever their size: they are never withheld, so a
    university's staff could subtract their own figures from a total (what remains is everyone else's)."""
    exact = exact or [False] * len(entities)
    flags = suppression_grid({(0, i): n for i, n in enumerate(entities)},
                             exact={(0, i) for i, sees in enumerate(exact) if sees})
    return [flags[(0, i)] for i in range(len(entities))]


Cell = TypeVar("Cell", bound=tuple[Any, Any])  # (row, column)


def suppression_grid(entities: Mapping[Cell, int], *, exact: Set[Cell] = frozenset(),
                     by_column: bool = False) -> dict[Cell, str]:
    """``suppression`` for a table of cells keyed (row, column) whose rows add up to shown totals (and,
    with `by_column`, whose columns do too: a CSV's countries × months beside the whole platform's
    months). Until no line has a single withheld cell, hide that line's smallest other cell."""
    flags = {cell: SMALL if 0 < n < SMALL_GROUP and cell not in exact else "" for cell, n in entities.items()}
    lines: dict[tuple[str, Any], list[Cell]] = {}
    for cell in entities:
        lines.setdefault(("row", cell[0]), []).append(cell)
        if by_column:
            lines.setdefault(("column", cell[1]), []).append(cell)
    changed = True
    while changed:
        changed = False
        for cells in lines.values():
            if sum(1 for cell in cells if flags[cell]) != 1:
                continue
            # Withholding from a viewer what they see exactly elsewhere protects nothing: only other cells.
            others = [cell for cell in cells if not flags[cell] and entities[cell] > 0 and cell not in exact]
            if others:
                flags[min(others, key=lambda cell: (entities[cell], str(cell)))] = COMPLEMENT
                changed = True
    return flags


def daily(slug: str, *, unit: str = "", filters: Filters = ALL, by: str | None = None,
          since: date | None = None, until: date | None = None) -> QuerySet[Daily]:
    """The Daily rows of a slice (split by `by` too), days since..until inclusive."""
    qs = Daily.objects.filter(measure=slug, unit=unit, grouping=filters.grouping(by), **filters.lookups())
    if since is not None:
        qs = qs.filter(day__gte=since)
    if until is not None:
        qs = qs.filter(day__lte=until)
    return qs


def total(slug: str, *, unit: str = "", filters: Filters = ALL, since: date | None = None,
          until: date | None = None) -> Amount:
    """Entities (or amount) first counted in the slice within the days given; all time by default."""
    sums = daily(slug, unit=unit, filters=filters, since=since, until=until).aggregate(
        value=Sum("value"), entities=Sum("entities"))
    return Amount(sums["value"] or 0, sums["entities"] or 0)


def monthly(slug: str, *, unit: str = "", filters: Filters = ALL, since: date | None = None,
            until: date | None = None) -> list[tuple[date, Amount]]:
    """New entities (or amounts) per calendar month, months without any left out."""
    rows = (daily(slug, unit=unit, filters=filters, since=since, until=until)
            .annotate(month=TruncMonth("day")).values("month")
            .annotate(value=Sum("value"), entities=Sum("entities")).order_by("month"))
    return [(_as_date(r["month"]), Amount(r["value"], r["entities"])) for r in rows]


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def month_starts(start: date, end: date) -> list[date]:
    """First days of the months from start's to end's, inclusive."""
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def cumulative(slug: str, *, unit: str = "", filters: Filters = ALL, start: date,
               end: date) -> tuple[list[date], list[int]]:
    """The running total at the end of each month from start's month to end's, counting from `start`."""
    by_month = {month: amount.value for month, amount in monthly(slug, unit=unit, filters=filters, since=start,
                                                                   until=end)}
    months, running, series = month_starts(start, end), 0, []
    for month in months:
        running += by_month.get(month, 0)
        series.append(running)
    return months, series


def breakdown(slug: str, *, by: str, unit: str = "", filters: Filters = ALL, since: date | None = None,
              until: date | None = None) -> list[tuple[Any, Amount]]:
    """The slice split by one more dimension, largest first. The keys are country codes (str) or
    programme or university ids (int), as `by` says: hence Any."""
    rows = (daily(slug, unit=unit, filters=filters, by=by, since=since, until=until)
            .values(by).annotate(value=Sum("value"), entities=Sum("entities")).order_by("-value", by))
    return [(r[by], Amount(r["value"], r["entities"])) for r in rows]


def units(slug: str) -> list[str]:
    """The currencies a money measure has amounts in (``[""]`` for a count)."""
    found = list(Daily.objects.filter(measure=slug, grouping=0).values_list("unit", flat=True).distinct()
                 .order_by("unit"))
    return found or [""]


def last_computed() -> dict[str, datetime | None]:
    """When the oldest of the measures' rollups last ran (the numbers are at least this fresh)."""
    return RollupState.objects.aggregate(oldest=Min("computed_at"), newest=Max("computed_at"))


@dataclass(frozen=True)
class Outcome:
    university: int
    year: int
    students: int
    certified: int
    placed: int

    @property
    def suppressed(self) -> bool:
        """A cohort under SMALL_GROUP people: its shares are not shown (nobody can be singled out)."""
        return self.students < SMALL_GROUP

    @property
    def share_certified(self) -> float | None:
        return None if self.suppressed or not self.students else self.certified / self.students

    @property
    def share_placed(self) -> float | None:
        return None if self.suppressed or not self.students else self.placed / self.students


def university_outcomes(*, universities: Iterable[int] | None = None,
                        years: Iterable[int] | None = None) -> list[Outcome]:
    """Cohort outcomes per university and year of first enrolment (see ``outcomes.py``), oldest first;
    only these universities' (ids) or years if given. One query."""
    from .models import UniversityOutcome

    rows = UniversityOutcome.objects.all()
    if universities is not None:
        rows = rows.filter(university__in=list(universities))
    if years is not None:
        rows = rows.filter(year__in=list(years))
    return [Outcome(*values) for values in rows.order_by("university", "year").values_list(
        "university", "year", "students", "certified", "placed")]


def totals(slugs: list[str]) -> dict[str, int]:
    """All-time totals of several (non-money) measures for everywhere: one query."""
    rows = (Daily.objects.filter(measure__in=slugs, unit="", grouping=ALL.grouping(None), **ALL.lookups())
            .order_by().values("measure").annotate(value=Sum("value")).values_list("measure", "value"))
    found = dict.fromkeys(slugs, 0)
    found.update({slug: value or 0 for slug, value in rows})
    return found
