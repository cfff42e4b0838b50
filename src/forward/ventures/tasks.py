"""Celery entry points of the ventures app: fetch an id, call a service. One block per area."""

from celery import shared_task

from forward.core.periodic import periodic_task

# --- events ----------------------------------------------------------------------------------------


@shared_task(name="forward.ventures.build_schedule", acks_late=True)
def build_schedule(event_id: int) -> str | None:
    from . import events_schedule

    event = events_schedule.run_schedule(event_id)
    return event.job if event else None


@shared_task(name="forward.ventures.announce_meetings")
def announce_meetings(event_id: int, registrant_ids: list[int], late: bool = False) -> int:
    """After a schedule run commits: each person who got new meetings, by mail."""
    from . import emails_events

    return emails_events.meetings_scheduled(event_id=event_id, registrant_ids=registrant_ids, late=late)


@periodic_task("forward.ventures.events_periodic")
def events_periodic() -> int:
    """Periodic: close marking of events past their deadline (queuing their schedules), and send
    again schedule jobs whose message was lost or whose worker died."""
    from . import events_schedule

    return events_schedule.close_due() + events_schedule.requeue_stale()


# --- cohorts ---------------------------------------------------------------------------------------


@shared_task(name="forward.ventures.announce_cohort_decision")
def announce_cohort_decision(application_id: int) -> int:
    """After a decision commits: mail the startup's admins, once per decision."""
    from . import emails_cohorts

    return emails_cohorts.decision(application_id=application_id)
