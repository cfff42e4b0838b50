"""A registrant's agenda as files: an iCalendar file (RFC 5545, the `icalendar` library) with one
VEVENT per meeting in UTC, and a printable A4 PDF (reportlab) with the times in the reader's own
time zone, names in Chinese, Japanese or Korean set in a CID font (`forward.core.pdf_fonts`). Pure
rendering from rows already read; no writes."""

from __future__ import annotations

import io
import zoneinfo
from datetime import UTC, datetime
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, vCalAddress, vText
from icalendar import Event as VEvent
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from forward.core.pdf_fonts import font_for

from .models import Event, Meeting, Registrant

PRODID = "-//Forward//Ventures events//EN"


def counterpart(meeting: Meeting, registrant: Registrant) -> Registrant:
    return meeting.startup if meeting.investor_id == registrant.pk else meeting.investor


def meeting_uid(meeting: Meeting) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "forward"
    return f"venture-meeting-{meeting.pk}@{host}"


def _address(email: str, name: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = vText(name)
    return address


def agenda_calendar(*, event: Event, registrant: Registrant, meetings: list[Meeting],
                    now: datetime | None = None) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", event.title)
    stamp = (now or timezone.now()).astimezone(UTC)
    for meeting in meetings:
        other = counterpart(meeting, registrant)
        item = VEvent()
        item.add("uid", meeting_uid(meeting))
        item.add("dtstamp", stamp)
        item.add("dtstart", meeting.slot.starts_at.astimezone(UTC))
        item.add("dtend", meeting.slot.ends_at.astimezone(UTC))
        item.add("summary", _("Meeting: %(name)s (%(org)s)") % {"name": other.user.display_name,
                                                               "org": other.organization.name})
        where = _("Table %(n)d") % {"n": meeting.table}
        item.add("location", f"{where}, {event.venue}" if event.venue else where)
        item.add("description", _("%(event)s. Your agenda: %(url)s") % {
            "event": event.title, "url": settings.SITE_URL + f"/ventures/events/{event.pk}/agenda/{registrant.pk}/"})
        item.add("attendee", _address(registrant.user.email, registrant.user.display_name))
        item.add("attendee", _address(other.user.email, other.user.display_name))
        item.add("status", "CONFIRMED")
        calendar.add_component(item)
    ical: bytes = calendar.to_ical()  # icalendar leaves to_ical() unannotated
    return ical


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def agenda_pdf(*, event: Event, registrant: Registrant, meetings: list[Meeting], time_zone: str) -> bytes:
    """One or more A4 pages: the event, the person, then a table of their meetings (time in
    `time_zone`, table, who, organization)."""
    zone = _zone(time_zone)
    styles = getSampleStyleSheet()
    cell = styles["BodyText"]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                                 topMargin=18 * mm, bottomMargin=18 * mm, title=event.title,
                                 author="Forward")

    def p(text: str, style: ParagraphStyle = cell) -> Paragraph:
        """A paragraph in a font that can set it: names in Chinese, Japanese or Korean get a CID font."""
        font = font_for(text, bold=style.fontName.endswith("-Bold"))
        if font != style.fontName:
            style = ParagraphStyle(f"{style.name}-{font}", parent=style, fontName=font)
        return Paragraph(escape(text), style)

    story = [p(event.title, styles["Title"]),
             p(_("Agenda of %(name)s, %(org)s") % {"name": registrant.user.display_name,
                                                  "org": registrant.organization.name}, styles["Heading2"])]
    if event.venue:
        story.append(p(event.venue))
    story.append(p(_("Times are in %(zone)s.") % {"zone": zone.key}))
    story.append(Spacer(1, 6 * mm))
    if meetings:
        rows = [[p(_("Time")), p(_("Table")), p(_("Who")), p(_("Organization"))]]
        for meeting in meetings:
            other = counterpart(meeting, registrant)
            start = meeting.slot.starts_at.astimezone(zone)
            end = meeting.slot.ends_at.astimezone(zone)
            when = f"{formats.date_format(start, 'DATE_FORMAT')} {start:%H:%M}–{end:%H:%M}"
            rows.append([p(when), p(str(meeting.table)), p(other.user.display_name), p(other.organization.name)])
        table = Table(rows, colWidths=[50 * mm, 18 * mm, 50 * mm, 56 * mm], repeatRows=1)
        table.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#b9c2cc")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        story.append(table)
    else:
        story.append(p(_("No meetings are scheduled for you at this event.")))
    document.build(story)
    return buffer.getvalue()
