"""The measures: what each counts, written for people, and where its rows come from.

A measure never holds a number typed in. Its rows come from the other apps' selectors (see
``sources.py``), one row per way an *entity* (a person, a team, a university, a startup, an
investment) qualified::

    (entity, day, country, programme, university, amount, unit)

``day`` is the date it qualified (UTC; a date or an aware datetime), ``country`` an ISO code or
``""``, ``programme`` and ``university`` ids or 0, ``amount`` 1 for counts or a whole amount of
money in ``unit`` (an ISO currency code; ``""`` for counts). The rollup keeps, per entity and slice,
the first day it qualified, so each entity counts once per measure however often it qualifies.

``changed(since, until)`` names the entities whose records were created, changed or revoked in that
window of *arrival* time: a record that arrives late (a credential issued today for an exam passed
last month) is picked up by the run after it arrives, and lands on the day it happened.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeAlias

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# (entity, day, country, programme, university, amount, unit)
Row: TypeAlias = tuple[int, date | datetime, str, int, int, int, str]


@dataclass(frozen=True)
class Measure:
    slug: str
    name: Promise
    definition: Promise  # shown wherever the number appears
    noun: Promise  # what is counted, plural ("people", "teams")
    rows: Callable[[Iterable[int] | None], Iterable[Row]]  # all rows, or the rows of these entities
    changed: Callable[[datetime, datetime], Iterable[int]]  # entities with records arriving in [since, until)
    money: bool = False  # amounts per currency, never summed across currencies
    public: bool = True
    # Who the rows behind a number are, for operators' drill-down: {entity: (label, url or "")}.
    describe: Callable[[list[int]], dict[int, tuple[str, str]]] | None = None


REGISTRY: dict[str, Measure] = {}


def register(measure: Measure) -> Measure:
    REGISTRY[measure.slug] = measure
    return measure


def all_measures() -> list[Measure]:
    from . import sources  # noqa: F401  (registers the platform's measures)

    return list(REGISTRY.values())


def get(slug: str) -> Measure | None:
    all_measures()
    return REGISTRY.get(slug)


def as_day(value: date | datetime) -> date:
    """A source's date or aware datetime as the UTC day it falls on."""
    if isinstance(value, datetime):
        from datetime import UTC

        return value.astimezone(UTC).date()
    return value


__all__ = ["Measure", "Row", "_", "all_measures", "as_day", "get", "register"]
