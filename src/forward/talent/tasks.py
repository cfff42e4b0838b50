"""Celery entry points of the talent pool: fetch an id, call a service."""

from celery import shared_task

from forward.core.periodic import periodic_task

from . import profiles, rounds


@shared_task(name="forward.talent.run_match", acks_late=True)
def run_match(round_id: int) -> str | None:
    match_round = rounds.run_match(round_id)
    return match_round.job if match_round else None


@shared_task(name="forward.talent.announce_results")
def announce_results(round_id: int) -> int:
    """After a round's results commit: each candidate's result and each employer's list, by mail."""
    from . import emails_rounds

    return emails_rounds.results_published(round_id=round_id)


@periodic_task("forward.talent.requeue_rounds")
def requeue_rounds() -> int:
    """Periodic: matches whose message was lost or whose worker died go back to the queue."""
    return rounds.rounds_requeue_stale()


@periodic_task("forward.talent.refresh_expired")
def refresh_expired() -> int:
    """Periodic (hourly): the verified index drops the credentials that expired since it was built."""
    return profiles.refresh_expired()
