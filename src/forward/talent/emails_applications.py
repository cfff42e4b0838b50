"""Mail about applications, sent after the change has committed (the services register these with
transaction.on_commit), each in its reader's preferred language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from forward.core.models import User

from .models import Application, InterviewSlot, Stage

ICS_TYPE = "text/calendar; charset=utf-8; method=PUBLISH"


def _language(user: User | None) -> str:
    return (user.preferred_language if user is not None else "") or settings.LANGUAGE_CODE


def _application_url(application: Application) -> str:
    return settings.SITE_URL + f"/talent/applications/{application.pk}/"


def stage_changed(*, application_ids: list[int]) -> int:
    """One mail per applicant whose application moved: where it is now and what they can do."""
    sent = 0
    rows = Application.objects.select_related("applicant", "opening__organization").filter(pk__in=application_ids)
    for application in rows:
        applicant = application.applicant
        with translation.override(_language(applicant)):
            context = {"application": application, "opening": application.opening,
                       "organization": application.opening.organization,
                       "stage": Stage(application.stage).label, "url": _application_url(application),
                       "name": applicant.display_name}
            subject = _("%(title)s at %(org)s: %(stage)s") % {
                "title": application.opening.title, "org": application.opening.organization.name,
                "stage": Stage(application.stage).label}
            body = render_to_string("talent/applications/email/stage_changed.txt", context)
        EmailMessage(subject, body, None, [applicant.email]).send()
        sent += 1
    return sent


def slot_booked(*, slot_id: int) -> int:
    """The booking confirmation with the .ics, to the candidate and to whoever proposed the slot."""
    from .ics import interview_calendar

    slot = (InterviewSlot.objects.select_related("booked_by__applicant", "booked_by__opening__organization",
                                                 "created_by").filter(pk=slot_id).first())
    if slot is None or slot.booked_by is None:
        return 0
    application = slot.booked_by
    readers = [(application.applicant, True)]
    if slot.created_by is not None and slot.created_by.email:
        readers.append((slot.created_by, False))
    sent = 0
    for reader, is_candidate in readers:
        with translation.override(_language(reader)):
            context = {"slot": slot, "application": application, "opening": application.opening,
                       "organization": application.opening.organization, "candidate": is_candidate,
                       "url": _application_url(application) if is_candidate
                       else settings.SITE_URL + f"/talent/applications/{application.pk}/review/",
                       "applicant": application.applicant.display_name, "zone": reader.time_zone or "UTC"}
            subject = _("Interview booked: %(title)s") % {"title": application.opening.title}
            body = render_to_string("talent/applications/email/slot_booked.txt", context)
            ics = interview_calendar(slot=slot, application=application)
        message = EmailMessage(subject, body, None, [reader.email])
        message.attach("interview.ics", ics, ICS_TYPE)
        message.send()
        sent += 1
    return sent


def applicant_moved(*, application_id: int) -> int:
    """Tell the employer that the applicant withdrew, accepted or declined: the people who worked
    this application (who still act for the employer), else the organization's admins."""
    from forward.core.models import Membership, Role

    from .permissions import can_work_applications

    application = (Application.objects.select_related("applicant", "opening__organization")
                   .filter(pk=application_id).first())
    if application is None:
        return 0
    organization = application.opening.organization
    worked = (User.objects.filter(pk__in=application.changes.exclude(actor=application.applicant).values("actor_id"))
              .order_by("pk")[:5])
    readers = [u for u in worked if can_work_applications(u, organization)]
    if not readers:
        readers = [m.user for m in Membership.objects.filter(organization=organization, role=Role.ADMIN)
                   .select_related("user").order_by("pk")[:5]]
    url = settings.SITE_URL + f"/talent/applications/{application.pk}/review/"
    for reader in readers:
        with translation.override(_language(reader)):
            subject = _("%(name)s: %(title)s is now %(stage)s") % {
                "name": application.applicant.display_name, "title": application.opening.title,
                "stage": Stage(application.stage).label}
            body = render_to_string("talent/applications/email/applicant_moved.txt", {
                "application": application, "applicant": application.applicant.display_name,
                "opening": application.opening, "stage": Stage(application.stage).label, "url": url})
        EmailMessage(subject, body, None, [reader.email]).send()
    return len(readers)
