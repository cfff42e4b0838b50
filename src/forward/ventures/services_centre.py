"""The innovation centre's write layer and the reads its pages and API share: readiness
assessments, service requests through the queue, and office hours. (Credit budgets: grants.py.)

Every write is a keyword-only function in one transaction that checks permission itself (raising
PermissionDenied) and says what to fix (ValidationError). Mail goes after commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, TypedDict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from forward.academy import selectors as academy_selectors
from forward.core.audit import AuditAction
from forward.core.models import Organization, User
from forward.core.services import audit

from . import emails_centre as emails
from . import permissions, readiness
from .models import (
    Assessment,
    CentreService,
    OfficeHourSlot,
    RequestEvent,
    RequestStatus,
    ServiceRequest,
)

OPEN_STATUSES = (RequestStatus.REQUESTED, RequestStatus.ASSIGNED, RequestStatus.IN_PROGRESS)
# Where staff may move a request from each status (assigning is `request_assign`).
STAFF_MOVES: dict[str, tuple[str, ...]] = {
    RequestStatus.REQUESTED: (RequestStatus.CANCELLED,),
    RequestStatus.ASSIGNED: (RequestStatus.IN_PROGRESS, RequestStatus.CANCELLED),
    RequestStatus.IN_PROGRESS: (RequestStatus.DONE, RequestStatus.CANCELLED),
}
REQUESTER_CANCELS = (RequestStatus.REQUESTED, RequestStatus.ASSIGNED)
MAX_OPEN_REQUESTS = 10  # open requests per organization, against a flood
MAX_NOTE = 2000
MAX_OPEN_SLOTS = 200  # future unbooked office-hour slots per centre
MAX_SLOT_HOURS = 4


def status_label(value: str) -> str:
    return str(RequestStatus(value).label) if value in RequestStatus.values else value


# --- readiness ---------------------------------------------------------------------------------------

def _shareable_centre(centre: Organization | None) -> Organization | None:
    if centre is not None and not permissions.centres().filter(pk=centre.pk).exists():
        raise ValidationError(_("Results can be shared only with a verified innovation centre."))
    return centre


def assessment_submit(*, user: User, organization: Organization, answers: dict[str, Any],
                      share_with: Organization | None = None) -> Assessment:
    """Score and keep one self-assessment of the organization; shared with a centre's staff only if
    asked."""
    if not permissions.can_take_assessment(user, organization):
        raise PermissionDenied
    clean, problems = readiness.validate(answers if isinstance(answers, dict) else {})
    if problems:
        raise ValidationError(problems)
    percents, levels, overall = readiness.score(clean)
    with transaction.atomic():
        assessment = Assessment.objects.create(
            organization=organization, taken_by=user, version=readiness.VERSION, answers=clean, levels=levels,
            scores=percents, overall=overall, shared_with=_shareable_centre(share_with))
        audit(actor=user, action=AuditAction.VENTURES_READINESS_SUBMIT, organization=organization,
              target=f"assessment:{assessment.pk}", overall=overall)
    return assessment


def assessment_share(*, user: User, assessment: Assessment, centre: Organization | None) -> Assessment:
    """Share a result with a centre's staff, or stop sharing it (centre=None)."""
    if not permissions.can_take_assessment(user, assessment.organization):
        raise PermissionDenied
    with transaction.atomic():
        Assessment.objects.filter(pk=assessment.pk).update(shared_with=_shareable_centre(centre))
        audit(actor=user, action=AuditAction.VENTURES_READINESS_SHARE, organization=assessment.organization,
              target=f"assessment:{assessment.pk}", centre=centre.pk if centre else None)
    assessment.refresh_from_db()
    return assessment


def assessments_of(*, organization: Organization) -> QuerySet[Assessment]:
    return Assessment.objects.filter(organization=organization).select_related("shared_with").order_by(
        "-created_at", "-pk")


def assessments_shared_with(*, centre: Organization) -> QuerySet[Assessment]:
    return Assessment.objects.filter(shared_with=centre).select_related("organization").order_by("-created_at", "-pk")


def previous_assessment(assessment: Assessment) -> Assessment | None:
    return (Assessment.objects.filter(organization_id=assessment.organization_id)
            .filter(Q(created_at__lt=assessment.created_at)
                    | Q(created_at=assessment.created_at, pk__lt=assessment.pk))
            .order_by("-created_at", "-pk").first())


class CourseLink(TypedDict):
    slug: str
    title: str
    level: str


def recommended_courses(*, levels: Mapping[str, int], per_area: int = 3) -> dict[str, list[CourseLink]]:
    """Published academy courses for each weak area (read through the academy's catalogue): at most
    one query per weak area."""
    out: dict[str, list[CourseLink]] = {}
    for area in readiness.weak_areas(levels):
        matching = Q()
        for keyword in readiness.COURSE_KEYWORDS[area]:
            matching |= Q(pk__in=academy_selectors.catalogue(query=keyword).values("pk"))
        out[area] = list(academy_selectors.catalogue().filter(matching).values("slug", "title", "level")[:per_area])
    return out


def recommended_services(*, centre: Organization | None, levels: Mapping[str, int]) -> list[CentreService]:
    """The centre's active services that help with the weak areas (one query)."""
    weak = set(readiness.weak_areas(levels))
    if centre is None or not weak:
        return []
    return [s for s in catalogue(centre=centre) if weak & set(s.areas or [])]


# --- the catalogue and the request queue ---------------------------------------------------------

def catalogue(*, centre: Organization) -> list[CentreService]:
    return list(CentreService.objects.filter(centre=centre, active=True).order_by("order", "pk"))


def add_working_days(start: datetime, days: int) -> datetime:
    """`days` working days (Monday to Friday) after `start`, at the same time of day."""
    current = start
    added = 0
    while added < days:
        current += timedelta(days=1)
        if current.weekday() < 5:
            added += 1
    return current


def is_overdue(service_request: ServiceRequest, now: datetime | None = None) -> bool:
    """Open and past its target: not assigned by the assignment target, or not done by the done target."""
    now = now or timezone.now()
    if service_request.status not in OPEN_STATUSES:
        return False
    if service_request.status == RequestStatus.REQUESTED and now > service_request.assign_due:
        return True
    return now > service_request.done_due


def _event(*, request: ServiceRequest, actor: User, from_status: str, note: str = "") -> RequestEvent:
    return RequestEvent.objects.create(request=request, actor=actor, from_status=from_status,
                                       to_status=request.status, expert=request.expert, note=note[:500])


def request_create(*, user: User, service: CentreService, organization: Organization, note: str = "") -> ServiceRequest:
    """A verified SME's or startup's acting member asks for a service; due dates follow its targets."""
    if not permissions.can_request_services(user, organization):
        raise PermissionDenied
    if not service.active or not service.centre.is_verified:
        raise ValidationError(_("This service is not offered at the moment."))
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValidationError(_("Describe what you need in at most %(n)s characters.") % {"n": MAX_NOTE})
    now = timezone.now()
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=organization.pk).first()  # one at a time per org
        if ServiceRequest.objects.filter(organization=organization, status__in=OPEN_STATUSES).count() \
                >= MAX_OPEN_REQUESTS:
            raise ValidationError(_("Your organization has %(n)s open requests; wait for one to finish or cancel "
                                    "one before asking for more.") % {"n": MAX_OPEN_REQUESTS})
        if ServiceRequest.objects.filter(organization=organization, service=service,
                                         status=RequestStatus.REQUESTED).exists():
            raise ValidationError(_("Your organization has already requested this service; it is waiting for an "
                                    "expert."))
        row = ServiceRequest.objects.create(
            service=service, organization=organization, requested_by=user, note=note, created_at=now, updated_at=now,
            assign_due=add_working_days(now, service.assign_within_days),
            done_due=add_working_days(now, service.done_within_days))
        _event(request=row, actor=user, from_status="")
        audit(actor=user, action=AuditAction.VENTURES_CENTRE_REQUEST, organization=service.centre, target=f"request:{row.pk}",
              requester=organization.pk)
        transaction.on_commit(lambda: emails.request_created(request_id=row.pk), robust=True)
    return row


def _locked(service_request: ServiceRequest) -> ServiceRequest:
    return (ServiceRequest.objects.select_for_update(of=("self",)).select_related("service__centre", "organization")
            .get(pk=service_request.pk))


def request_assign(*, actor: User, service_request: ServiceRequest, expert: User, note: str = "") -> ServiceRequest:
    """Staff give a request to an expert of the centre (or hand it to another one while it is open)."""
    centre = service_request.service.centre
    if not permissions.can_run_programme(actor, centre):
        raise PermissionDenied
    if not permissions.is_expert_of(expert, centre):
        raise ValidationError(_("The expert must be a member of %(centre)s's staff.") % {"centre": centre.name})
    with transaction.atomic():
        row = _locked(service_request)
        if row.status not in OPEN_STATUSES:
            raise ValidationError(_("This request is %(status)s: it can no longer be assigned.") % {
                "status": status_label(row.status)})
        if row.expert_id == expert.pk and row.status != RequestStatus.REQUESTED:
            return row
        before = row.status
        now = timezone.now()
        row.expert = expert
        if row.status == RequestStatus.REQUESTED:
            row.status = RequestStatus.ASSIGNED
            row.assigned_at = now
        row.updated_at = now
        row.save(update_fields=["expert", "status", "assigned_at", "updated_at"])
        _event(request=row, actor=actor, from_status=before, note=note)
        audit(actor=actor, action=AuditAction.VENTURES_CENTRE_ASSIGN, organization=centre, target=f"request:{row.pk}",
              expert=expert.pk)
        transaction.on_commit(lambda: emails.request_changed(request_id=row.pk, to_expert=True), robust=True)
    return row


def staff_refusal(service_request: ServiceRequest, to_status: str) -> str:
    if to_status not in RequestStatus.values:
        return _("“%(s)s” is not a status. Choose one of: %(all)s.") % {"s": to_status,
                                                                        "all": ", ".join(RequestStatus.values)}
    if to_status == RequestStatus.ASSIGNED or (service_request.status == RequestStatus.REQUESTED
                                               and to_status in (RequestStatus.IN_PROGRESS, RequestStatus.DONE)):
        return _("Assign the request to an expert first.")
    if to_status not in STAFF_MOVES.get(service_request.status, ()):
        allowed = ", ".join(status_label(s) for s in STAFF_MOVES.get(service_request.status, ())) or _("nothing")
        return _("It cannot go from %(from)s to %(to)s; from %(from)s it can go to %(allowed)s.") % {
            "from": status_label(service_request.status), "to": status_label(to_status), "allowed": allowed}
    return ""


def request_move(*, actor: User, service_request: ServiceRequest, to_status: str, note: str = "") -> ServiceRequest:
    """Staff move a request along: assigned → in progress → done, or cancel an open one."""
    centre = service_request.service.centre
    if not permissions.can_run_programme(actor, centre):
        raise PermissionDenied
    with transaction.atomic():
        row = _locked(service_request)
        if row.status == to_status:
            return row  # a double click
        refusal = staff_refusal(row, to_status)
        if refusal:
            raise ValidationError(refusal)
        before, now = row.status, timezone.now()
        row.status = to_status
        row.updated_at = now
        if to_status in (RequestStatus.DONE, RequestStatus.CANCELLED):
            row.closed_at = now
        row.save(update_fields=["status", "updated_at", "closed_at"])
        _event(request=row, actor=actor, from_status=before, note=note)
        audit(actor=actor, action=AuditAction.VENTURES_CENTRE_MOVE, organization=centre, target=f"request:{row.pk}",
              to=to_status)
        transaction.on_commit(lambda: emails.request_changed(request_id=row.pk), robust=True)
    return row


def request_cancel(*, user: User, service_request: ServiceRequest) -> ServiceRequest:
    """The requester withdraws a request before work on it starts."""
    if not permissions.can_take_assessment(user, service_request.organization):
        raise PermissionDenied
    with transaction.atomic():
        row = _locked(service_request)
        if row.status == RequestStatus.CANCELLED:
            return row
        if row.status not in REQUESTER_CANCELS:
            raise ValidationError(_("This request is %(status)s; ask the centre's staff if it should stop.") % {
                "status": status_label(row.status)})
        before, now = row.status, timezone.now()
        row.status, row.updated_at, row.closed_at = RequestStatus.CANCELLED, now, now
        row.save(update_fields=["status", "updated_at", "closed_at"])
        _event(request=row, actor=user, from_status=before)
        audit(actor=user, action=AuditAction.VENTURES_CENTRE_CANCEL, organization=row.service.centre, target=f"request:{row.pk}")
        transaction.on_commit(lambda: emails.request_changed(request_id=row.pk, to_requester=False,
                                                             to_expert=True), robust=True)
    return row


def _with_people(qs: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
    return qs.select_related("service__centre", "organization", "expert", "requested_by")


def requests_mine(*, user: User) -> QuerySet[ServiceRequest]:
    """Requests of the SMEs and startups this person acts for, newest first."""
    return _with_people(ServiceRequest.objects.filter(
        organization__in=permissions.assessment_organizations(user))).order_by("-created_at", "-pk")


def queue(*, centre: Organization, status: str = "", expert: User | None = None, overdue: bool = False,
          service: CentreService | None = None, now: datetime | None = None) -> QuerySet[ServiceRequest]:
    """The centre's requests for its staff: open ones first, oldest first; filters by status,
    expert, service and overdue."""
    now = now or timezone.now()
    qs = ServiceRequest.objects.filter(service__centre=centre)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if expert is not None:
        qs = qs.filter(expert=expert)
    if service is not None:
        qs = qs.filter(service=service)
    if overdue:
        qs = qs.filter(Q(status=RequestStatus.REQUESTED, assign_due__lt=now)
                       | Q(status__in=OPEN_STATUSES, done_due__lt=now))
    return _with_people(qs).order_by("created_at", "pk")


def history(service_request: ServiceRequest) -> list[RequestEvent]:
    return list(service_request.events.select_related("actor", "expert").order_by("at", "pk"))


def experts(*, centre: Organization) -> QuerySet[User]:
    from forward.core.models import ACTING_ROLES, Membership
    return User.objects.filter(pk__in=Membership.objects.filter(organization=centre, role__in=ACTING_ROLES)
                               .values("user_id")).order_by("name", "pk")


# --- office hours --------------------------------------------------------------------------------

def slot_create(*, actor: User, centre: Organization, expert: User, starts_at: datetime, ends_at: datetime,
                topic: str = "", where: str = "") -> OfficeHourSlot:
    if not permissions.can_run_programme(actor, centre) or centre.kind != "innovation_centre":
        raise PermissionDenied
    if not permissions.is_expert_of(expert, centre):
        raise ValidationError(_("The expert must be a member of %(centre)s's staff.") % {"centre": centre.name})
    now = timezone.now()
    starts_at, ends_at = starts_at.replace(second=0, microsecond=0), ends_at.replace(second=0, microsecond=0)
    if starts_at <= now:
        raise ValidationError(_("Choose a start in the future."))
    if ends_at <= starts_at:
        raise ValidationError(_("The end must be after the start."))
    if ends_at - starts_at > timedelta(hours=MAX_SLOT_HOURS):
        raise ValidationError(_("A slot lasts at most %(n)s hours.") % {"n": MAX_SLOT_HOURS})
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=centre.pk).first()
        if OfficeHourSlot.objects.filter(centre=centre, starts_at__gt=now, booked_by_org__isnull=True).count() \
                >= MAX_OPEN_SLOTS:
            raise ValidationError(_("There are already %(n)s open slots; remove some first.") % {"n": MAX_OPEN_SLOTS})
        if OfficeHourSlot.objects.filter(expert=expert, starts_at__lt=ends_at, ends_at__gt=starts_at).exists():
            raise ValidationError(_("%(name)s already has a slot at that time.") % {"name": expert.display_name})
        slot = OfficeHourSlot.objects.create(centre=centre, expert=expert, starts_at=starts_at, ends_at=ends_at,
                                             topic=(topic or "").strip()[:160], where=(where or "").strip()[:300])
        audit(actor=actor, action=AuditAction.VENTURES_CENTRE_SLOT, organization=centre, target=f"slot:{slot.pk}")
    return slot


def slot_delete(*, actor: User, slot: OfficeHourSlot) -> None:
    if not permissions.can_run_programme(actor, slot.centre):
        raise PermissionDenied
    with transaction.atomic():
        if not OfficeHourSlot.objects.filter(pk=slot.pk, booked_by_org__isnull=True).delete()[0]:
            raise ValidationError(_("Someone has booked this slot; it cannot be removed."))
        audit(actor=actor, action=AuditAction.VENTURES_CENTRE_SLOT_DELETE, organization=slot.centre, target=f"slot:{slot.pk}")


def slot_book(*, user: User, slot: OfficeHourSlot, organization: Organization) -> OfficeHourSlot:
    """Book a free future slot for the organization. A conditional UPDATE claims it only while it is
    free, so two people clicking at once get one booking and one clear message."""
    if not permissions.can_request_services(user, organization):
        raise PermissionDenied
    now = timezone.now()
    with transaction.atomic():
        if slot.booked_by_org_id == organization.pk:
            return slot
        claimed = OfficeHourSlot.objects.filter(pk=slot.pk, booked_by_org__isnull=True, starts_at__gt=now).update(
            booked_by_org=organization, booked_by=user, booked_at=now)
        if not claimed:
            raise ValidationError(_("This slot is no longer free; choose another."))
        audit(actor=user, action=AuditAction.VENTURES_CENTRE_BOOK, organization=slot.centre, target=f"slot:{slot.pk}",
              by=organization.pk)
        transaction.on_commit(lambda: emails.slot_booked(slot_id=slot.pk), robust=True)
    slot.refresh_from_db()
    return slot


def slot_cancel(*, user: User, slot: OfficeHourSlot) -> OfficeHourSlot:
    """The booking organization (or the centre's staff) gives the slot back, until it starts."""
    if slot.booked_by_org is None or not (permissions.can_take_assessment(user, slot.booked_by_org)
                                          or permissions.can_run_programme(user, slot.centre)):
        raise PermissionDenied
    if slot.starts_at <= timezone.now():
        raise ValidationError(_("This slot has already started; it cannot be cancelled."))
    with transaction.atomic():
        was = slot.booked_by_org_id
        booker = slot.booked_by_id
        if OfficeHourSlot.objects.filter(pk=slot.pk, booked_by_org_id=was).update(
                booked_by_org=None, booked_by=None, booked_at=None):
            audit(actor=user, action=AuditAction.VENTURES_CENTRE_UNBOOK, organization=slot.centre, target=f"slot:{slot.pk}",
                  by=was)
            transaction.on_commit(lambda: emails.slot_cancelled(slot_id=slot.pk, booker_id=booker,
                                                                organization_id=was), robust=True)
    slot.refresh_from_db()
    return slot


def upcoming_slots(*, centre: Organization, now: datetime | None = None) -> QuerySet[OfficeHourSlot]:
    now = now or timezone.now()
    return (OfficeHourSlot.objects.filter(centre=centre, starts_at__gt=now)
            .select_related("expert", "booked_by_org").order_by("starts_at", "pk"))


def my_bookings(*, user: User, now: datetime | None = None) -> QuerySet[OfficeHourSlot]:
    now = now or timezone.now()
    return (OfficeHourSlot.objects.filter(booked_by_org__in=permissions.assessment_organizations(user),
                                          ends_at__gt=now)
            .select_related("expert", "booked_by_org", "centre").order_by("starts_at", "pk"))
