"""Office-hours bookings as iCalendar files (RFC 5545), the house way (see talent/ics.py): one
VEVENT, times in UTC, the centre's expert as ORGANIZER and the person who booked as ATTENDEE."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from .models import OfficeHourSlot

PRODID = "-//Forward//Innovation centre office hours//EN"


def _address(email: str, name: str, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = vText(name)
    for key, value in params.items():
        address.params[key] = vText(value)
    return address


def office_hours_calendar(*, slot: OfficeHourSlot, now: datetime | None = None) -> bytes:
    """The booked slot as the bytes of a .ics file."""
    host = urlsplit(settings.SITE_URL).hostname or "forward"
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"office-hours-{slot.pk}@{host}")
    event.add("dtstamp", (now or timezone.now()).astimezone(UTC))
    event.add("dtstart", slot.starts_at.astimezone(UTC))
    event.add("dtend", slot.ends_at.astimezone(UTC))
    who = slot.booked_by_org.name if slot.booked_by_org else ""
    event.add("summary", _("Office hours at %(centre)s: %(org)s with %(expert)s") % {
        "centre": slot.centre.name, "org": who, "expert": slot.expert.display_name})
    if slot.where:
        event.add("location", slot.where)
    event.add("description", (slot.topic or _("Office hours")) + "\n" + settings.SITE_URL + "/ventures/centre/office-hours/")
    event.add("organizer", _address(slot.expert.email, slot.expert.display_name))
    if slot.booked_by is not None:
        event.add("attendee", _address(slot.booked_by.email, slot.booked_by.display_name, ROLE="REQ-PARTICIPANT",
                                       PARTSTAT="ACCEPTED"))
    event.add("status", "CONFIRMED")
    calendar.add_component(event)
    ical: bytes = calendar.to_ical()  # icalendar leaves to_ical() unannotated
    return ical
