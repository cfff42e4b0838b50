"""forward manage impact_rollup [--measure SLUG] [--rebuild | --from YYYY-MM-DD --to YYYY-MM-DD]"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from forward.impact import rollup


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-01-31") from None


class Command(BaseCommand):
    help = ("Bring the impact rollups up to date (only what changed since the last run); --rebuild recomputes "
            "everything; --from/--to recompute the entities with anything on those days (a backfill).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--measure", help="one measure's slug (default: all)")
        parser.add_argument("--rebuild", action="store_true", help="recompute every entity from scratch")
        parser.add_argument("--from", dest="start", help="first day of a backfill, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="last day of a backfill, YYYY-MM-DD (inclusive)")

    def handle(self, *args: Any, measure: str | None = None, rebuild: bool = False, start: str | None = None,
               end: str | None = None, **options: Any) -> None:
        if (start is None) != (end is None):
            raise CommandError("a backfill needs both --from and --to")
        if rebuild and start:
            raise CommandError("give either --rebuild or --from/--to, not both")
        try:
            if start and end is not None:  # both or neither, checked above
                results = rollup.backfill(measure, start=_day(start), end=_day(end))
            elif rebuild:
                results = rollup.rebuild(measure)
            else:
                results = rollup.refresh(measure)
        except ValueError as error:
            raise CommandError(str(error)) from None
        for r in results:
            self.stdout.write(f"{r['measure']:<24} {r['entities']:>10} entities {r['changes']:>8} daily rows changed "
                              f"{r['seconds']:>8.2f} s")
