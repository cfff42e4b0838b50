"""Celery entry points of the impact app."""

from forward.core.periodic import periodic_task


@periodic_task("forward.impact.refresh")
def refresh() -> int:
    """Periodic: bring every measure's rollup up to now (only what changed since the last run)."""
    from . import rollup

    return sum(result["changes"] for result in rollup.refresh())
