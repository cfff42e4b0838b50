"""Celery entry points: fetch an id, call a service."""

from celery import shared_task


# The name is the one credentials used when it issued certifications itself: messages already
# queued under it still arrive.
@shared_task(name="forward.credentials.issue_certification", acks_late=True)
def issue_certification(holding_id: int) -> str | None:
    from . import awards

    credential = awards.certification_issue(holding_id=holding_id)
    return str(credential.uuid) if credential else None
