"""Celery entry points: fetch an id, call a service."""

from celery import shared_task

from forward.core.periodic import periodic_task

from . import submissions


@shared_task(name="forward.competitions.score_submission", acks_late=True)
def score_submission(submission_id: int) -> str | None:
    return submissions.submission_score(submission_id=submission_id)


# No page sends this any more (a read never writes; the periodic reap finalizes ended rounds). It
# stays registered so that a message already queued under its name still arrives.
@shared_task(name="forward.competitions.finalize_phase")
def finalize_phase(phase_id: int) -> bool:
    return submissions.phase_finalize(phase_id=phase_id)


@periodic_task("forward.competitions.reap")
def reap() -> dict:
    """Periodic: requeue stuck submissions and rescores, resend lost messages, finalize ended rounds."""
    from . import console

    return {
        "requeued": submissions.submissions_requeue_stale(),
        "resent": submissions.submissions_enqueue_waiting(),
        "rescores": console.rescore_jobs_reap(),
        "finalized": submissions.phases_finalize_ended(),
    }


@shared_task(name="forward.competitions.rescore_phase", acks_late=True)
def rescore_phase(job_id: int) -> str:
    from . import console

    return console.rescore_run(job_id=job_id)


@shared_task(name="forward.competitions.send_winners_message")
def send_winners_message(message_id: int) -> int:
    from . import console

    return console.winners_message_deliver(message_id=message_id)
