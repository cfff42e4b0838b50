"""Celery entry points: fetch an id, call a service."""

from celery import shared_task

from forward.core.periodic import periodic_task

from . import digests as digest_services


@periodic_task("forward.discussions.digests", acks_late=True)
def digests() -> int:
    """Periodic (see CELERY_BEAT_SCHEDULE): gather each follower's new replies into one digest."""
    return len(digest_services.prepare())


@shared_task(name="forward.discussions.send_digest", acks_late=True)
def send_digest(digest_id: int) -> bool:
    return digest_services.send(digest_id=digest_id)
