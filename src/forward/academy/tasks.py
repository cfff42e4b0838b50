"""Celery entry points: fetch an id, call a service."""

from celery import shared_task

from forward.core.periodic import periodic_task


# The name is the one credentials used when it issued certifications itself: messages already
# queued under it still arrive.
@shared_task(name="forward.credentials.issue_certification", acks_late=True)
def issue_certification(holding_id: int) -> str | None:
    from . import awards

    credential = awards.certification_issue(holding_id=holding_id)
    return str(credential.uuid) if credential else None


@shared_task(name="forward.academy.score_lab_submission", acks_late=True)
def score_lab_submission(submission_id: int) -> str | None:
    from . import labs

    return labs.lab_submission_score(submission_id=submission_id)


@periodic_task("forward.academy.reap_labs")
def reap_labs() -> dict:
    """Periodic: lab submissions stuck `running` go back to the queue; queued ones whose message
    was lost are sent again."""
    from . import labs

    return {"requeued": labs.lab_submissions_requeue_stale(), "resent": labs.lab_submissions_resend_waiting()}


@periodic_task("forward.academy.close_attempts")
def close_attempts() -> list[int]:
    """Periodic: attempts whose deadline passed unsubmitted are marked with the answers saved in
    time (pages already count them so); a passed certification exam's credential is issued here."""
    from . import assessments

    return assessments.attempts_close_lapsed()
