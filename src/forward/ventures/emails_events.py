"""Mail about networking events: when a schedule run gives someone meetings (the first build, or
fitting a late registrant in), each of them gets their agenda's times in their own time zone and
its link. Sent after the meetings have committed, one mail per person in their language. Safe to
run twice: a registrant is told only about meetings beyond those already announced."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .events import meetings_of
from .models import Event, Registrant


def meetings_scheduled(*, event_id: int, registrant_ids: list[int], late: bool = False) -> int:
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        return 0
    sent = 0
    for registrant in Registrant.objects.filter(event=event, pk__in=registrant_ids).select_related(
            "user", "organization").order_by("pk"):
        user = registrant.user
        with transaction.atomic():
            locked = Registrant.objects.select_for_update().get(pk=registrant.pk)
            meetings = meetings_of(registrant)
            if len(meetings) <= locked.meetings_announced or not user.email or not user.is_active:
                continue
            with translation.override(user.preferred_language or settings.LANGUAGE_CODE), \
                    timezone.override(user.time_zone or "UTC"):
                subject = (_("%(event)s: new meetings on your agenda") if late
                           else _("%(event)s: your meetings are scheduled")) % {"event": event.title}
                rows = []
                for m in meetings:
                    other = m.startup if m.investor_id == registrant.pk else m.investor
                    rows.append({"meeting": m, "other": other})
                body = render_to_string("ventures/events/email/scheduled.txt", {
                    "event": event, "name": user.display_name, "rows": rows, "late": late,
                    "url": settings.SITE_URL + f"/ventures/events/{event.pk}/agenda/{registrant.pk}/"})
            EmailMessage(subject, body, None, [user.email]).send()
            Registrant.objects.filter(pk=registrant.pk).update(meetings_announced=len(meetings))
            sent += 1
    return sent
