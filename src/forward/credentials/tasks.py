"""Celery entry points: fetch an id, call a service."""

from celery import shared_task

from . import services


@shared_task(name="forward.credentials.batch_issue", acks_late=True)
def batch_issue(batch_id: int) -> int | None:
    batch = services.batch_run(batch_id=batch_id)
    return batch.issued if batch else None


@shared_task(name="forward.credentials.issue_certification", acks_late=True)
def issue_certification(holding_id: int) -> str | None:
    credential = services.certification_issue(holding_id=holding_id)
    return str(credential.uuid) if credential else None


@shared_task(name="forward.credentials.requeue")
def requeue() -> int:
    """Periodic: batches whose message was lost or whose worker died go back to the queue."""
    return services.batches_requeue_stale()
