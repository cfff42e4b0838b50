"""Celery entry points: fetch an id, call a service."""

from celery import shared_task

from . import services


@shared_task(name="forward.core.send_invitation_email", acks_late=True)
def send_invitation_email(invitation_id: int) -> bool:
    return services.invitation_send(invitation_id=invitation_id)
