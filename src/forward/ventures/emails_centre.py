"""Mail from the innovation centre, sent after the change has committed (the services register
these with transaction.on_commit), each in its reader's preferred language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _

from forward.core.models import ACTING_ROLES, Membership, Organization, User

ICS_TYPE = "text/calendar; charset=utf-8; method=PUBLISH"


def _language(user: User | None) -> str:
    return (user.preferred_language if user is not None else "") or settings.LANGUAGE_CODE


def _send(reader: User, subject, body, *, attachment: tuple | None = None) -> int:
    if not reader or not reader.email:
        return 0
    message = EmailMessage(subject, body, None, [reader.email])
    if attachment:
        message.attach(*attachment)
    message.send()
    return 1


def _staff(organization: Organization) -> list[User]:
    return list(User.objects.filter(pk__in=Membership.objects.filter(
        organization=organization, role__in=ACTING_ROLES).values("user_id")).order_by("pk"))


def request_created(*, request_id: int) -> int:
    """Tell the centre's staff that a request is waiting for an expert."""
    from .models import ServiceRequest

    row = ServiceRequest.objects.select_related("service__centre", "organization").filter(pk=request_id).first()
    if row is None:
        return 0
    sent = 0
    for reader in _staff(row.service.centre):
        with translation.override(_language(reader)):
            subject = _("New request: %(service)s for %(org)s") % {"service": row.service.name,
                                                                  "org": row.organization.name}
            body = _("%(org)s asked for %(service)s. Assign an expert: %(url)s") % {
                "org": row.organization.name, "service": row.service.name,
                "url": settings.SITE_URL + f"/ventures/centre/requests/{row.pk}/"}
        sent += _send(reader, subject, body)
    return sent


def request_changed(*, request_id: int, to_requester: bool = True, to_expert: bool = False) -> int:
    """Where a request is now: to whoever asked for it, and to the expert it is assigned to."""
    from .models import RequestStatus, ServiceRequest

    row = (ServiceRequest.objects.select_related("service__centre", "organization", "requested_by", "expert")
           .filter(pk=request_id).first())
    if row is None:
        return 0
    readers = []
    if to_requester and row.requested_by is not None:
        readers.append(row.requested_by)
    if to_expert and row.expert is not None:
        readers.append(row.expert)
    sent = 0
    for reader in readers:
        with translation.override(_language(reader)):
            status = RequestStatus(row.status).label
            subject = _("%(service)s for %(org)s: %(status)s") % {"service": row.service.name,
                                                                 "org": row.organization.name, "status": status}
            lines = [subject]
            if row.expert is not None:
                lines.append(_("Expert: %(name)s") % {"name": row.expert.display_name})
            lines.append(settings.SITE_URL + f"/ventures/centre/requests/{row.pk}/")
        sent += _send(reader, subject, "\n".join(str(line) for line in lines))
    return sent


def slot_booked(*, slot_id: int) -> int:
    """The booking with its .ics, to the person who booked and to the expert."""
    from .ics_centre import office_hours_calendar
    from .models import OfficeHourSlot

    slot = (OfficeHourSlot.objects.select_related("centre", "expert", "booked_by", "booked_by_org")
            .filter(pk=slot_id).first())
    if slot is None or slot.booked_by_org is None:
        return 0
    sent = 0
    for reader in [r for r in (slot.booked_by, slot.expert) if r is not None]:
        with translation.override(_language(reader)):
            subject = _("Office hours booked: %(org)s with %(expert)s") % {
                "org": slot.booked_by_org.name, "expert": slot.expert.display_name}
            body = "\n".join([str(subject), str(slot.topic or ""), slot.where,
                              settings.SITE_URL + "/ventures/centre/office-hours/"])
            ics = office_hours_calendar(slot=slot)
        sent += _send(reader, subject, body, attachment=("office-hours.ics", ics, ICS_TYPE))
    return sent


def slot_cancelled(*, slot_id: int, booker_id: int | None, organization_id: int | None) -> int:
    from .models import OfficeHourSlot

    slot = OfficeHourSlot.objects.select_related("centre", "expert").filter(pk=slot_id).first()
    org = Organization.objects.filter(pk=organization_id).first() if organization_id is not None else None
    if slot is None or org is None:
        return 0
    readers = [slot.expert]
    if booker_id is not None:
        readers.extend(User.objects.filter(pk=booker_id))
    sent = 0
    for reader in readers:
        with translation.override(_language(reader)):
            subject = _("Office hours cancelled: %(org)s with %(expert)s") % {
                "org": org.name, "expert": slot.expert.display_name}
        sent += _send(reader, subject, str(subject))
    return sent


def grant_decided(*, grant_id: int) -> int:
    from .models import CreditGrant, GrantStatus

    grant = CreditGrant.objects.select_related("budget__organizer", "startup", "requested_by").filter(pk=grant_id).first()
    if grant is None or grant.requested_by is None:
        return 0
    reader = grant.requested_by
    with translation.override(_language(reader)):
        if grant.status == GrantStatus.APPROVED:
            subject = _("Cloud credits granted: %(amount)s %(currency)s") % {
                "amount": grant.amount_approved, "currency": grant.budget.currency}
        else:
            subject = _("Cloud credits: your application to %(budget)s was not granted") % {"budget": grant.budget.name}
        body = "\n".join([str(subject), grant.decision_note, settings.SITE_URL + "/ventures/centre/credits/"])
    return _send(reader, subject, body)
