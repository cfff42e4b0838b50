"""Interview invitations as iCalendar files (RFC 5545), made with the `icalendar` library: one
VEVENT per booked slot, times in UTC, the employer as ORGANIZER and the candidate as ATTENDEE."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from .models import Application, InterviewSlot

PRODID = "-//Forward//Talent interviews//EN"


def _address(email: str, name: str, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = vText(name)
    for key, value in params.items():
        address.params[key] = vText(value)
    return address


def slot_uid(slot: InterviewSlot, application: Application) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "forward"
    return f"interview-{slot.pk}-{application.pk}@{host}"


def interview_calendar(*, slot: InterviewSlot, application: Application, now: datetime | None = None) -> bytes:
    """The invitation to one booked interview, as the bytes of a .ics file."""
    opening = application.opening
    organization = opening.organization
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", slot_uid(slot, application))
    event.add("dtstamp", (now or timezone.now()).astimezone(UTC))
    event.add("dtstart", slot.starts_at.astimezone(UTC))
    event.add("dtend", slot.ends_at.astimezone(UTC))
    event.add("summary", _("Interview: %(title)s at %(org)s") % {"title": opening.title, "org": organization.name})
    if slot.where:
        event.add("location", slot.where)
    event.add("description", _("Your interview for %(title)s. The application: %(url)s") % {
        "title": opening.title, "url": settings.SITE_URL + f"/talent/applications/{application.pk}/"})
    organizer = slot.created_by
    organizer_email = organizer.email if organizer is not None else settings.DEFAULT_FROM_EMAIL.split("<")[-1].strip(">")
    event.add("organizer", _address(organizer_email, organization.name))
    applicant = application.applicant
    event.add("attendee", _address(applicant.email, applicant.display_name, ROLE="REQ-PARTICIPANT",
                                   PARTSTAT="ACCEPTED"))
    event.add("status", "CONFIRMED")
    calendar.add_component(event)
    ical: bytes = calendar.to_ical()  # icalendar leaves to_ical() unannotated
    return ical
