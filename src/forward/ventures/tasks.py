"""Celery entry points of the ventures app: fetch an id, call a service. One block per area."""

from celery import shared_task

# --- cohorts ---------------------------------------------------------------------------------------


@shared_task(name="forward.ventures.announce_cohort_decision")
def announce_cohort_decision(application_id: int) -> int:
    """After a decision commits: mail the startup's admins, once per decision."""
    from . import emails_cohorts

    return emails_cohorts.decision(application_id=application_id)
