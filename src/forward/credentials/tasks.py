"""Celery entry points: fetch an id, call a service. (A passed certification exam is issued by
academy's task, which keeps the name "forward.credentials.issue_certification".)"""

from celery import shared_task

from forward.core.periodic import periodic_task

from . import services


@shared_task(name="forward.credentials.batch_issue", acks_late=True)
def batch_issue(batch_id: int) -> int | None:
    batch = services.batch_run(batch_id=batch_id)
    return batch.issued if batch else None


@periodic_task("forward.credentials.requeue")
def requeue() -> int:
    """Periodic: batches whose message was lost or whose worker died go back to the queue."""
    return services.batches_requeue_stale()


@periodic_task("forward.credentials.publish_status_lists")
def publish_status_lists() -> int:
    """Periodic: status lists never signed yet are signed (their URL serves only what is stored)."""
    return services.status_lists_publish_missing()
