"""What is waiting for someone in the entrepreneurs programme: the ventures home lists it, so that a
founder, an investor, a judge or programme staff sees on first sign-in what to do next. Reads only;
a fixed number of queries whatever the data."""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forward.core.types import AnyUser

from . import cohorts, intros, judging, permissions, pipeline
from .models import (
    ApplicationStatus,
    CreditGrant,
    Event,
    EventStatus,
    GrantStatus,
    InvestmentStatus,
    Registrant,
    RequestStatus,
    ServiceRequest,
)


class Item(TypedDict):
    text: str
    url: str


def waiting_for(user: AnyUser) -> list[Item]:
    """Items of {"text", "url"}, most pressing first. Empty for anonymous visitors."""
    if not user.is_authenticated:
        return []
    items: list[Item] = []

    def add(text: str, url: str) -> None:
        items.append({"text": text, "url": url})

    to_answer = intros.received(user=user).count()
    if to_answer:
        add(ngettext("%(n)d introduction request to answer", "%(n)d introduction requests to answer", to_answer)
            % {"n": to_answer}, reverse("ventures:intro_list"))
    to_confirm = pipeline.investments_for_startups(user=user).filter(status=InvestmentStatus.PENDING).count()
    if to_confirm:
        add(ngettext("%(n)d investment to confirm", "%(n)d investments to confirm", to_confirm) % {"n": to_confirm},
            reverse("ventures:investment_list"))
    # Operators oversee every startup: its drafts and registrations are not theirs to finish.
    operator = permissions.is_operator(user)
    drafts = [] if operator else list(
        cohorts.applications_for_startups(user=user).filter(status=ApplicationStatus.DRAFT)
        .select_related("call", "startup__organization")[:3])
    for application in drafts:
        add(_("Finish %(startup)s's application to %(call)s (deadline %(deadline)s)")
            % {"startup": application.startup.organization.name, "call": application.call.title,
               "deadline": _short_date(application.call.deadline)},
            reverse("ventures:application_detail", args=[application.pk]))
    # The ignore: django-stubs checks an annotation's __isnull lookup against the annotation's type, not bool.
    to_score = judging.judge_queue(user=user).filter(my_submitted_at__isnull=True).count()  # type: ignore[misc]
    if to_score:
        add(ngettext("%(n)d application to score", "%(n)d applications to score", to_score) % {"n": to_score},
            reverse("ventures:judging"))
    registrations = (Registrant.objects.filter(user=user, event__status=EventStatus.SCHEDULED)
                     .select_related("event").annotate(
                         meetings=Count("investor_meetings", distinct=True) + Count("startup_meetings", distinct=True))
                     .order_by("event__pk")[:3])
    for registrant in registrations:
        if registrant.meetings:
            add(ngettext("Your agenda for %(event)s: %(n)d meeting", "Your agenda for %(event)s: %(n)d meetings",
                         registrant.meetings) % {"event": registrant.event.title, "n": registrant.meetings},
                reverse("ventures:event_my_agenda", args=[registrant.event_id]))
    open_events = [] if operator else list(Event.objects.filter(status__in=[EventStatus.REGISTRATION, EventStatus.MARKING])
                       .exclude(registrants__user=user).order_by("pk")[:2])
    if open_events and (permissions.startup_organizations(user, verified_only=True).exists()
                        or permissions.investor_organizations(user).exists()):
        for event in open_events:
            add(_("Register for %(event)s") % {"event": event.title},
                reverse("ventures:event_detail", args=[event.pk]))
    centres = permissions.programme_organizers(user)
    if permissions.is_programme_staff(user):
        unassigned = ServiceRequest.objects.filter(status=RequestStatus.REQUESTED, service__centre__in=centres).count()
        if unassigned:
            add(ngettext("%(n)d service request to assign", "%(n)d service requests to assign", unassigned)
                % {"n": unassigned}, reverse("ventures:queue"))
        pending = CreditGrant.objects.filter(status=GrantStatus.PENDING, budget__organizer__in=centres).count()
        if pending:
            add(ngettext("%(n)d credit request to decide", "%(n)d credit requests to decide", pending)
                % {"n": pending}, reverse("ventures:credits"))
    return items


def _short_date(when: datetime) -> str:
    from django.utils import formats, timezone

    return formats.date_format(timezone.localtime(when), "DATE_FORMAT")
