"""Ventures API: the innovation centre, under /api/v1/ventures/centre/. Thin: parse, check
permission, call services_centre and grants. What is not the caller's is a 404, like a missing id."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import StringConstraints

from forward.api_common import MAX_PAGE, Slug, errors
from forward.core.models import MAX_ID, Organization, User

from . import grants, permissions, readiness
from . import services_catalogue as catalogue
from . import services_centre as service
from .ics_centre import office_hours_calendar
from .models import (
    Assessment,
    CentreService,
    CreditBudget,
    CreditGrant,
    Currency,
    OfficeHourSlot,
    ServiceRequest,
)

router = Router(tags=["ventures"])

PAGE_SIZE = 50
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Note = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=2000)]
ShortText = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=300)]
Name = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", min_length=1, max_length=120)]
Purpose = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", min_length=1, max_length=2000)]
# Money in, as a string: more than zero, at most two decimals, below grants.MAX_AMOUNT ("1500", "99.50").
Amount = Annotated[str, StringConstraints(pattern=r"^(0\.(0[1-9]|[1-9][0-9]?)|[1-9][0-9]{0,8}(\.[0-9]{1,2})?)$")]
StatusName = Literal["requested", "assigned", "in-progress", "done", "cancelled"]
NOT_FOUND = "Not found."


def _bad(exc: ValidationError) -> HttpError:
    return HttpError(400, " ".join(exc.messages))


def _page(queryset: QuerySet, page: int):
    count = queryset.count()
    pages = max(1, -(-count // PAGE_SIZE))
    if page > pages:
        raise HttpError(404, f"page {page} does not exist; there are {pages}")
    return count, pages, list(queryset[(page - 1) * PAGE_SIZE: page * PAGE_SIZE])


def _call(fn, **kwargs):
    try:
        return fn(**kwargs)
    except PermissionDenied:
        raise HttpError(404, NOT_FOUND) from None
    except ValidationError as exc:
        raise _bad(exc) from None


def _get(model, pk: int, *related):
    row = model.objects.select_related(*related).filter(pk=pk).first()
    if row is None:
        raise HttpError(404, NOT_FOUND)
    return row


def _centre(slug: str | None) -> Organization:
    centres = permissions.centres().order_by("name", "pk")
    centre = centres.filter(slug=slug).first() if slug else centres.first()
    if centre is None:
        raise HttpError(404, NOT_FOUND)
    return centre


def _staff_centre(request, slug: str | None) -> Organization:
    centre = _centre(slug)
    if not permissions.can_run_programme(request.auth, centre):
        raise HttpError(404, NOT_FOUND)
    return centre


# --- readiness ---------------------------------------------------------------------------------------

class CentreQuestionOut(Schema):
    id: str
    area: str
    text: str
    options: list[str]


class CentreQuestionnaireOut(Schema):
    version: int
    areas: dict[str, str]
    levels: dict[int, str]
    questions: list[CentreQuestionOut]


class CentreAssessmentIn(Schema):
    organization: Id
    answers: dict[Annotated[str, StringConstraints(max_length=60)], Annotated[int, Field(ge=0, le=10)]] = Field(
        ..., max_length=40)
    share_with: Slug | None = None


class CentreAreaOut(Schema):
    area: str
    label: str
    level: int
    level_name: str
    percent: int
    previous: int | None
    change: int | None


class CentreCourseOut(Schema):
    slug: str
    title: str
    area: str


class CentreServiceOut(Schema):
    id: int
    centre: str
    name: str
    description: str
    areas: list[str]
    assign_within_days: int
    done_within_days: int


class CentreAssessmentOut(Schema):
    id: int
    organization: int
    organization_name: str
    version: int
    overall: int
    overall_name: str
    areas: list[CentreAreaOut]
    previous_id: int | None
    shared_with: str | None
    created_at: datetime
    recommended_courses: list[CentreCourseOut]
    recommended_services: list[CentreServiceOut]


class CentreAssessmentPage(Schema):
    count: int
    page: int
    pages: int
    results: list[CentreAssessmentOut]


def _service_out(s: CentreService, centre: Organization | None = None) -> CentreServiceOut:
    return CentreServiceOut(id=s.pk, centre=(centre or s.centre).slug, name=s.name, description=s.description,
                      areas=list(s.areas or []), assign_within_days=s.assign_within_days,
                      done_within_days=s.done_within_days)


def _assessment_out(a: Assessment, *, full: bool) -> CentreAssessmentOut:
    previous = service.previous_assessment(a) if full else None
    courses = [CentreCourseOut(slug=c["slug"], title=c["title"], area=area)
               for area, found in service.recommended_courses(levels=a.levels).items() for c in found] if full else []
    services = service.recommended_services(centre=a.shared_with or permissions.centres().order_by("name").first(),
                                            levels=a.levels) if full else []
    return CentreAssessmentOut(
        id=a.pk, organization=a.organization_id, organization_name=a.organization.name, version=a.version,
        overall=a.overall, overall_name=str(readiness.LEVELS[a.overall]),
        areas=[CentreAreaOut(area=r["area"], label=str(r["label"]), level=r["level"], level_name=str(r["level_name"]),
                             percent=r["percent"], previous=r["previous"], change=r["change"])
               for r in readiness.rows(a.levels, a.scores, previous.levels if previous else None)],
        previous_id=previous.pk if previous else None, shared_with=a.shared_with.slug if a.shared_with else None,
        created_at=a.created_at, recommended_courses=courses,
        recommended_services=[_service_out(s) for s in services])


@router.get("/centre/readiness/questions", response={200: CentreQuestionnaireOut, **errors(401)},
            summary="The digital-readiness questionnaire (current version), in the caller's language")
def readiness_questions(request):
    return CentreQuestionnaireOut(version=readiness.VERSION, areas={a: str(label) for a, label in readiness.AREA_LABELS.items()},
                            levels={n: str(label) for n, label in readiness.LEVELS.items()},
                            questions=[CentreQuestionOut(id=q.id, area=q.area, text=str(q.text),
                                                   options=[str(o) for o in q.options]) for q in readiness.QUESTIONS])


@router.post("/centre/readiness", response={201: CentreAssessmentOut, **errors(400, 401, 404, 422)},
             summary="Submit a readiness assessment for an SME or startup you act for")
def readiness_submit(request, body: CentreAssessmentIn):
    organization = _get(Organization, body.organization)
    if not permissions.can_take_assessment(request.auth, organization):
        raise HttpError(404, NOT_FOUND)
    share = _centre(body.share_with) if body.share_with else None
    assessment = _call(service.assessment_submit, user=request.auth, organization=organization,
                       answers=body.answers, share_with=share)
    return Status(201, _assessment_out(_get(Assessment, assessment.pk, "organization", "shared_with"), full=True))


@router.get("/centre/readiness", response={200: CentreAssessmentPage, **errors(401, 404, 422)},
            summary="An organization's readiness results, newest first (its members), or a centre's shared ones "
                    "(its staff)")
def readiness_list(request, organization: Id | None = None, centre: Slug | None = None,
                   page: int = Query(1, ge=1, le=MAX_PAGE)):
    if organization is not None:
        org = _get(Organization, organization)
        from forward.core.permissions import role_in
        if role_in(request.auth, org) is None:
            raise HttpError(404, NOT_FOUND)
        qs = service.assessments_of(organization=org).select_related("organization")
    else:
        qs = service.assessments_shared_with(centre=_staff_centre(request, centre)).select_related("shared_with")
    count, pages, rows = _page(qs, page)
    return CentreAssessmentPage(count=count, page=page, pages=pages, results=[_assessment_out(a, full=False) for a in rows])


@router.get("/centre/readiness/{assessment_id}", response={200: CentreAssessmentOut, **errors(401, 404, 422)},
            summary="One readiness result with the comparison and recommendations")
def readiness_detail(request, assessment_id: int = Path(..., ge=1, le=MAX_ID)):
    assessment = _get(Assessment, assessment_id, "organization", "shared_with")
    if not permissions.can_see_assessment(request.auth, assessment):
        raise HttpError(404, NOT_FOUND)
    return _assessment_out(assessment, full=True)


# --- services and requests ---------------------------------------------------------------------------

class CentreRequestIn(Schema):
    service: Id
    organization: Id
    note: Note = ""


class CentreEventOut(Schema):
    from_status: str
    to_status: str
    expert: str | None
    actor: str | None
    note: str
    at: datetime


class CentreRequestOut(Schema):
    id: int
    service: CentreServiceOut
    organization: int
    organization_name: str
    status: str
    expert: str | None
    expert_id: int | None
    note: str
    created_at: datetime
    assign_due: datetime
    done_due: datetime
    overdue: bool
    history: list[CentreEventOut] | None = None


class CentreRequestPage(Schema):
    count: int
    page: int
    pages: int
    results: list[CentreRequestOut]


class CentreAssignIn(Schema):
    expert: Id
    note: ShortText = ""


class CentreMoveIn(Schema):
    status: StatusName
    note: ShortText = ""


def _request_out(row: ServiceRequest, *, with_history: bool = False, now=None) -> CentreRequestOut:
    history = [CentreEventOut(from_status=e.from_status, to_status=e.to_status,
                        expert=e.expert.display_name if e.expert else None,
                        actor=e.actor.display_name if e.actor else None, note=e.note, at=e.at)
               for e in service.history(row)] if with_history else None
    return CentreRequestOut(id=row.pk, service=_service_out(row.service), organization=row.organization_id,
                      organization_name=row.organization.name, status=row.status,
                      expert=row.expert.display_name if row.expert else None, expert_id=row.expert_id, note=row.note,
                      created_at=row.created_at, assign_due=row.assign_due, done_due=row.done_due,
                      overdue=service.is_overdue(row, now), history=history)


@router.get("/centre/services", response={200: list[CentreServiceOut], **errors(401, 404, 422)},
            summary="A centre's services catalogue (the first centre when none is named)")
def services_list(request, centre: Slug | None = None):
    here = _centre(centre)
    return [_service_out(s, here) for s in service.catalogue(centre=here)]


# --- the catalogue, for the centre's staff -----------------------------------------------------------

AreaCode = Literal["strategy", "data", "cloud", "security", "skills"]
Description = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=4000)]
# Names and targets are checked by services_catalogue, so a blank name or a negative target gets its
# message (400) rather than a schema error; these bounds only keep the input sane.
ServiceName = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=200)]
Days = Annotated[int, Field(ge=-100_000, le=100_000)]


class CentreServiceStaffOut(CentreServiceOut):
    slug: str
    active: bool
    order: int
    open_requests: int


class CentreServiceStaffPage(Schema):
    count: int
    page: int
    pages: int
    results: list[CentreServiceStaffOut]


class CentreServiceIn(Schema):
    centre: Slug | None = None
    name: ServiceName
    description: Description = ""
    areas: list[AreaCode] = Field(default_factory=list, max_length=5)
    assign_within_days: Days = 2
    done_within_days: Days = 15
    order: Days | None = None


class CentreServicePatch(Schema):
    name: ServiceName | None = None
    description: Description | None = None
    areas: list[AreaCode] | None = Field(None, max_length=5)
    assign_within_days: Days | None = None
    done_within_days: Days | None = None
    order: Days | None = None


def _staff_service_out(s: CentreService) -> CentreServiceStaffOut:
    return CentreServiceStaffOut(**_service_out(s).dict(), slug=s.slug, active=s.active, order=s.order,
                                 open_requests=getattr(s, "open_requests", 0))


def _managed_service(request, service_id: int) -> CentreService:
    row = _get(CentreService, service_id, "centre")
    if not permissions.can_manage_catalogue(request.auth, row.centre):
        raise HttpError(404, NOT_FOUND)
    return catalogue.catalogue_for_staff(centre=row.centre).select_related("centre").get(pk=row.pk)


@router.get("/centre/services/all", response={200: CentreServiceStaffPage, **errors(401, 404, 422)},
            summary="Every service of a centre, retired ones included, with open requests (its staff)")
def services_all(request, centre: Slug | None = None, page: int = Query(1, ge=1, le=MAX_PAGE)):
    here = _staff_centre(request, centre)
    if not permissions.can_manage_catalogue(request.auth, here):
        raise HttpError(404, NOT_FOUND)
    count, pages, rows = _page(catalogue.catalogue_for_staff(centre=here).select_related("centre"), page)
    return CentreServiceStaffPage(count=count, page=page, pages=pages, results=[_staff_service_out(s) for s in rows])


@router.post("/centre/services", response={201: CentreServiceStaffOut, **errors(400, 401, 404, 422)},
             summary="Add a service to a centre's catalogue (its staff)")
def service_create(request, body: CentreServiceIn):
    here = _staff_centre(request, body.centre)
    row = _call(catalogue.service_create, actor=request.auth, centre=here, name=body.name,
                description=body.description, areas=body.areas, assign_within_days=body.assign_within_days,
                done_within_days=body.done_within_days, order=body.order)
    return Status(201, _staff_service_out(_managed_service(request, row.pk)))


@router.patch("/centre/services/{service_id}", response={200: CentreServiceStaffOut, **errors(400, 401, 404, 422)},
              summary="Edit a service: only the fields sent change (its centre's staff)")
def service_update(request, body: CentreServicePatch, service_id: int = Path(..., ge=1, le=MAX_ID)):
    row = _managed_service(request, service_id)
    sent = body.dict(exclude_unset=True)
    fields = {f: sent[f] if sent.get(f) is not None else getattr(row, f)
              for f in ("name", "description", "areas", "assign_within_days", "done_within_days", "order")}
    _call(catalogue.service_update, actor=request.auth, service=row, **fields)
    return _staff_service_out(_managed_service(request, service_id))


def _set_active(request, service_id: int, active: bool) -> CentreServiceStaffOut:
    row = _managed_service(request, service_id)
    _call(catalogue.service_set_active, actor=request.auth, service=row, active=active)
    return _staff_service_out(_managed_service(request, service_id))


@router.post("/centre/services/{service_id}/retire", response={200: CentreServiceStaffOut, **errors(400, 401, 404, 422)},
             summary="Retire a service: no new requests; existing ones carry on (its centre's staff)")
def service_retire(request, service_id: int = Path(..., ge=1, le=MAX_ID)):
    return _set_active(request, service_id, False)


@router.post("/centre/services/{service_id}/reactivate",
             response={200: CentreServiceStaffOut, **errors(400, 401, 404, 422)},
             summary="Offer a retired service again (its centre's staff)")
def service_reactivate(request, service_id: int = Path(..., ge=1, le=MAX_ID)):
    return _set_active(request, service_id, True)


@router.post("/centre/requests", response={201: CentreRequestOut, **errors(400, 401, 404, 422)},
             summary="Request a service for a verified SME or startup you act for")
def request_create(request, body: CentreRequestIn):
    offered = _get(CentreService, body.service, "centre")
    organization = _get(Organization, body.organization)
    if not offered.active or not offered.centre.is_verified or \
            not permissions.can_request_services(request.auth, organization):
        raise HttpError(404, NOT_FOUND)
    row = _call(service.request_create, user=request.auth, service=offered, organization=organization,
                note=body.note)
    return Status(201, _request_out(_get(ServiceRequest, row.pk, "service__centre", "organization", "expert"),
                                    with_history=True))


@router.get("/centre/requests", response={200: CentreRequestPage, **errors(401, 404, 422)},
            summary="Requests of the SMEs and startups I act for, newest first")
def requests_mine(request, page: int = Query(1, ge=1, le=MAX_PAGE)):
    count, pages, rows = _page(service.requests_mine(user=request.auth), page)
    now = timezone.now()
    return CentreRequestPage(count=count, page=page, pages=pages, results=[_request_out(r, now=now) for r in rows])


@router.get("/centre/queue", response={200: CentreRequestPage, **errors(401, 404, 422)},
            summary="A centre's request queue (its staff): status ('open' or one status), expert, overdue")
def queue(request, centre: Slug | None = None, status: Literal["open", StatusName] | None = None,
          expert: Id | None = None, overdue: bool = False, page: int = Query(1, ge=1, le=MAX_PAGE)):
    here = _staff_centre(request, centre)
    who = User.objects.filter(pk=expert).first() if expert else None
    if expert and who is None:
        raise HttpError(404, NOT_FOUND)
    now = timezone.now()
    count, pages, rows = _page(service.queue(centre=here, status=status or "", expert=who, overdue=overdue, now=now),
                               page)
    return CentreRequestPage(count=count, page=page, pages=pages, results=[_request_out(r, now=now) for r in rows])


def _visible_request(request, request_id: int) -> ServiceRequest:
    row = _get(ServiceRequest, request_id, "service__centre", "organization", "expert")
    if not permissions.can_see_request(request.auth, row):
        raise HttpError(404, NOT_FOUND)
    return row


@router.get("/centre/requests/{request_id}", response={200: CentreRequestOut, **errors(401, 404, 422)},
            summary="One request with its history (the requester's acting members and the centre's staff)")
def request_detail(request, request_id: int = Path(..., ge=1, le=MAX_ID)):
    return _request_out(_visible_request(request, request_id), with_history=True)


@router.post("/centre/requests/{request_id}/assign", response={200: CentreRequestOut, **errors(400, 401, 404, 422)},
             summary="Assign (or reassign) a request to an expert of the centre (its staff)")
def request_assign(request, body: CentreAssignIn, request_id: int = Path(..., ge=1, le=MAX_ID)):
    row = _visible_request(request, request_id)
    if not permissions.can_run_programme(request.auth, row.service.centre):
        raise HttpError(404, NOT_FOUND)
    expert = User.objects.filter(pk=body.expert).first()
    if expert is None:
        raise HttpError(400, "The expert must be a member of the centre's staff.")
    _call(service.request_assign, actor=request.auth, service_request=row, expert=expert, note=body.note)
    return _request_out(_visible_request(request, request_id), with_history=True)


@router.post("/centre/requests/{request_id}/move", response={200: CentreRequestOut, **errors(400, 401, 404, 422)},
             summary="Move a request: assigned → in-progress → done, or cancelled (the centre's staff)")
def request_move(request, body: CentreMoveIn, request_id: int = Path(..., ge=1, le=MAX_ID)):
    row = _visible_request(request, request_id)
    if not permissions.can_run_programme(request.auth, row.service.centre):
        raise HttpError(404, NOT_FOUND)
    _call(service.request_move, actor=request.auth, service_request=row, to_status=body.status, note=body.note)
    return _request_out(_visible_request(request, request_id), with_history=True)


@router.post("/centre/requests/{request_id}/cancel", response={200: CentreRequestOut, **errors(400, 401, 404, 422)},
             summary="Withdraw my organization's request before work starts")
def request_cancel(request, request_id: int = Path(..., ge=1, le=MAX_ID)):
    row = _visible_request(request, request_id)
    _call(service.request_cancel, user=request.auth, service_request=row)
    return _request_out(_visible_request(request, request_id), with_history=True)


# --- office hours ------------------------------------------------------------------------------------

class CentreSlotOut(Schema):
    id: int
    centre: str
    expert: str
    topic: str
    where: str
    starts_at: datetime
    ends_at: datetime
    booked: bool
    booked_by: str | None = None


class CentreSlotPage(Schema):
    count: int
    page: int
    pages: int
    results: list[CentreSlotOut]


class CentreSlotIn(Schema):
    centre: Slug | None = None
    expert: Id
    starts_at: datetime
    ends_at: datetime
    topic: Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=160)] = ""
    where: ShortText = ""


class CentreBookIn(Schema):
    organization: Id


def _slot_out(slot: OfficeHourSlot, user) -> CentreSlotOut:
    booked = slot.booked_by_org_id is not None
    return CentreSlotOut(id=slot.pk, centre=slot.centre.slug, expert=slot.expert.display_name, topic=slot.topic,
                   where=slot.where if booked and permissions.can_see_booking(user, slot) else "",
                   starts_at=slot.starts_at, ends_at=slot.ends_at, booked=booked,
                   booked_by=slot.booked_by_org.name
                   if slot.booked_by_org is not None and permissions.can_see_booking(user, slot) else None)


@router.get("/centre/office-hours", response={200: CentreSlotPage, **errors(401, 404, 422)},
            summary="Upcoming office-hour slots of a centre (free ones; staff see booked ones too)")
def slots_list(request, centre: Slug | None = None, page: int = Query(1, ge=1, le=MAX_PAGE)):
    here = _centre(centre)
    qs = service.upcoming_slots(centre=here).select_related("centre")
    staff = permissions.can_run_programme(request.auth, here)
    if not staff:
        qs = qs.filter(booked_by_org__isnull=True)
    count, pages, rows = _page(qs, page)
    return CentreSlotPage(count=count, page=page, pages=pages, results=[_slot_out(s, request.auth) for s in rows])


@router.get("/centre/office-hours/mine", response={200: CentreSlotPage, **errors(401, 404, 422)},
            summary="Office hours my organizations have booked, coming up")
def slots_mine(request, page: int = Query(1, ge=1, le=MAX_PAGE)):
    count, pages, rows = _page(service.my_bookings(user=request.auth), page)
    return CentreSlotPage(count=count, page=page, pages=pages, results=[_slot_out(s, request.auth) for s in rows])


@router.post("/centre/office-hours", response={201: CentreSlotOut, **errors(400, 401, 404, 422)},
             summary="Publish an office-hours slot (the centre's staff; times with their offset, stored in UTC)")
def slot_create(request, body: CentreSlotIn):
    here = _staff_centre(request, body.centre)
    expert = User.objects.filter(pk=body.expert).first()
    if expert is None:
        raise HttpError(400, "The expert must be a member of the centre's staff.")
    if timezone.is_naive(body.starts_at) or timezone.is_naive(body.ends_at):
        raise HttpError(400, "Give times with their UTC offset, e.g. 2026-09-03T10:00:00+08:00.")
    slot = _call(service.slot_create, actor=request.auth, centre=here, expert=expert, starts_at=body.starts_at,
                 ends_at=body.ends_at, topic=body.topic, where=body.where)
    return Status(201, _slot_out(_get(OfficeHourSlot, slot.pk, "centre", "expert", "booked_by_org"), request.auth))


def _slot(slot_id: int) -> OfficeHourSlot:
    return _get(OfficeHourSlot, slot_id, "centre", "expert", "booked_by_org", "booked_by")


@router.post("/centre/office-hours/{slot_id}/book", response={200: CentreSlotOut, **errors(400, 401, 404, 422)},
             summary="Book a free slot for a verified SME or startup you act for")
def slot_book(request, body: CentreBookIn, slot_id: int = Path(..., ge=1, le=MAX_ID)):
    slot = _slot(slot_id)
    organization = _get(Organization, body.organization)
    if not slot.centre.is_verified or not permissions.can_request_services(request.auth, organization):
        raise HttpError(404, NOT_FOUND)
    if slot.booked_by_org_id is not None and slot.booked_by_org_id != organization.pk \
            and not permissions.can_see_booking(request.auth, slot):
        raise HttpError(400, "This slot is no longer free; choose another.")
    _call(service.slot_book, user=request.auth, slot=slot, organization=organization)
    return _slot_out(_slot(slot_id), request.auth)


@router.post("/centre/office-hours/{slot_id}/cancel", response={200: CentreSlotOut, **errors(400, 401, 404, 422)},
             summary="Cancel a booking (the booking organization or the centre's staff)")
def slot_cancel(request, slot_id: int = Path(..., ge=1, le=MAX_ID)):
    slot = _slot(slot_id)
    if slot.booked_by_org is None or not permissions.can_see_booking(request.auth, slot):
        raise HttpError(404, NOT_FOUND)
    _call(service.slot_cancel, user=request.auth, slot=slot)
    return _slot_out(_slot(slot_id), request.auth)


ICS_RESPONSE = {"responses": {"200": {"description": "The booked slot as an iCalendar file",
                                      "content": {"text/calendar": {"schema": {"type": "string"}}}}}}


@router.get("/centre/office-hours/{slot_id}/ics", response={**errors(401, 404, 422)}, openapi_extra=ICS_RESPONSE,
            summary="A booked slot (.ics): for the booking organization, the expert and the centre's staff")
def slot_ics(request, slot_id: int = Path(..., ge=1, le=MAX_ID)):
    slot = _slot(slot_id)
    if slot.booked_by_org is None or not permissions.can_see_booking(request.auth, slot):
        raise HttpError(404, NOT_FOUND)
    response = HttpResponse(office_hours_calendar(slot=slot), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="office-hours-{slot.pk}.ics"'
    return response


# --- budgets and grants ------------------------------------------------------------------------------

class CentreBudgetOut(Schema):
    id: int
    organizer: str
    name: str
    currency: str
    deposited: Decimal | None = None
    granted: Decimal | None = None
    balance: Decimal | None = None


class CentreBudgetIn(Schema):
    organizer: Id
    name: Name
    currency: Literal[tuple(Currency.values)]  # type: ignore[valid-type]
    total: Amount


class CentreDepositIn(Schema):
    amount: Amount
    note: ShortText = ""


class CentreGrantIn(Schema):
    startup: Id
    amount: Amount
    purpose: Purpose


class CentreApproveIn(Schema):
    amount: Amount


class CentreRejectIn(Schema):
    note: Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=500)] = ""


class CentreGrantOut(Schema):
    id: int
    budget: int
    budget_name: str
    startup: int
    startup_name: str
    currency: str
    amount_requested: Decimal
    amount_approved: Decimal | None
    purpose: str
    status: str
    decision_note: str
    created_at: datetime
    decided_at: datetime | None


class CentreGrantPage(Schema):
    count: int
    page: int
    pages: int
    results: list[CentreGrantOut]


class CentreEntryOut(Schema):
    id: int
    kind: str
    amount: Decimal
    currency: str
    grant: int | None
    startup: str | None
    note: str
    created_at: datetime


class CentreLedgerPage(Schema):
    count: int
    page: int
    pages: int
    balance: Decimal
    currency: str
    results: list[CentreEntryOut]


def _cents(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


def _budget_out(b: CreditBudget, *, totals: bool) -> CentreBudgetOut:
    return CentreBudgetOut(id=b.pk, organizer=b.organizer.name, name=b.name, currency=b.currency,
                     **({"deposited": _cents(b.deposited), "granted": _cents(b.granted), "balance": _cents(b.balance)}
                        if totals else {}))


def _grant_out(g: CreditGrant) -> CentreGrantOut:
    return CentreGrantOut(id=g.pk, budget=g.budget_id, budget_name=g.budget.name, startup=g.startup_id,
                    startup_name=g.startup.name, currency=g.budget.currency, amount_requested=g.amount_requested,
                    amount_approved=g.amount_approved, purpose=g.purpose, status=g.status,
                    decision_note=g.decision_note, created_at=g.created_at, decided_at=g.decided_at)


@router.get("/centre/budgets", response={200: list[CentreBudgetOut], **errors(401, 422)},
            summary="Budgets I run (with balances), and budgets my startups may apply to (without)")
def budgets_list(request):
    run = list(grants.budgets_run_by(user=request.auth)[:100])
    seen = {b.pk for b in run}
    out = [_budget_out(b, totals=True) for b in run]
    for startup in permissions.assessment_organizations(request.auth).filter(kind="startup")[:20]:
        for b in grants.budgets_open_to(startup=startup)[:20]:
            if b.pk not in seen:
                seen.add(b.pk)
                out.append(_budget_out(b, totals=False))
    return out


@router.post("/centre/budgets", response={201: CentreBudgetOut, **errors(400, 401, 404, 422)},
             summary="Create a budget with its opening total (programme staff of the organizer)")
def budget_create(request, body: CentreBudgetIn):
    organizer = _get(Organization, body.organizer)
    if not permissions.can_run_programme(request.auth, organizer):
        raise HttpError(404, NOT_FOUND)
    budget = _call(grants.budget_create, actor=request.auth, organizer=organizer, name=body.name,
                   currency=body.currency, total=body.total)
    return Status(201, _budget_out(grants.with_totals(CreditBudget.objects.filter(pk=budget.pk)
                                                      .select_related("organizer")).get(), totals=True))


def _run_budget(request, budget_id: int) -> CreditBudget:
    budget = _get(CreditBudget, budget_id, "organizer")
    if not permissions.can_run_programme(request.auth, budget.organizer):
        raise HttpError(404, NOT_FOUND)
    return budget


@router.post("/centre/budgets/{budget_id}/deposits", response={201: CentreEntryOut, **errors(400, 401, 404, 422)},
             summary="Add money to a budget (a ledger entry)")
def budget_deposit(request, body: CentreDepositIn, budget_id: int = Path(..., ge=1, le=MAX_ID)):
    budget = _run_budget(request, budget_id)
    entry = _call(grants.budget_deposit, actor=request.auth, budget=budget, amount=body.amount, note=body.note)
    return Status(201, CentreEntryOut(id=entry.pk, kind=entry.kind, amount=entry.amount, currency=budget.currency,
                                grant=None, startup=None, note=entry.note, created_at=entry.created_at))


@router.get("/centre/budgets/{budget_id}/ledger", response={200: CentreLedgerPage, **errors(401, 404, 422)},
            summary="A budget's ledger, newest first, with its balance (total minus grants)")
def budget_ledger(request, budget_id: int = Path(..., ge=1, le=MAX_ID), page: int = Query(1, ge=1, le=MAX_PAGE)):
    budget = _run_budget(request, budget_id)
    count, pages, rows = _page(grants.ledger(budget=budget), page)
    return CentreLedgerPage(count=count, page=page, pages=pages, balance=grants.balance(budget), currency=budget.currency,
                      results=[CentreEntryOut(id=e.pk, kind=e.kind, amount=e.amount, currency=budget.currency,
                                        grant=e.grant_id, startup=e.grant.startup.name if e.grant else None,
                                        note=e.note, created_at=e.created_at) for e in rows])


@router.get("/centre/budgets/{budget_id}/grants", response={200: CentreGrantPage, **errors(401, 404, 422)},
            summary="Applications to a budget (its staff), optionally of one status")
def budget_grants(request, budget_id: int = Path(..., ge=1, le=MAX_ID),
                  status: Literal["pending", "approved", "rejected"] | None = None,
                  page: int = Query(1, ge=1, le=MAX_PAGE)):
    budget = _run_budget(request, budget_id)
    count, pages, rows = _page(grants.grants_of(budget=budget, status=status or ""), page)
    return CentreGrantPage(count=count, page=page, pages=pages, results=[_grant_out(g) for g in rows])


@router.post("/centre/budgets/{budget_id}/grants", response={201: CentreGrantOut, **errors(400, 401, 404, 422)},
             summary="Apply for credits for a startup in the organizer's cohort")
def grant_apply(request, body: CentreGrantIn, budget_id: int = Path(..., ge=1, le=MAX_ID)):
    budget = _get(CreditBudget, budget_id, "organizer")
    startup = _get(Organization, body.startup)
    if not permissions.can_apply_for_credits(request.auth, startup) or not budget.organizer.is_verified:
        raise HttpError(404, NOT_FOUND)
    grant = _call(grants.grant_apply, user=request.auth, budget=budget, startup=startup, amount=body.amount,
                  purpose=body.purpose)
    return Status(201, _grant_out(_get(CreditGrant, grant.pk, "budget", "startup")))


@router.get("/centre/grants", response={200: CentreGrantPage, **errors(401, 404, 422)},
            summary="Credit applications of the startups I act for")
def grants_mine(request, page: int = Query(1, ge=1, le=MAX_PAGE)):
    count, pages, rows = _page(grants.grants_mine(user=request.auth), page)
    return CentreGrantPage(count=count, page=page, pages=pages, results=[_grant_out(g) for g in rows])


def _decidable(request, grant_id: int) -> CreditGrant:
    grant = _get(CreditGrant, grant_id, "budget__organizer", "startup")
    if not permissions.can_see_grant(request.auth, grant):
        raise HttpError(404, NOT_FOUND)
    if not permissions.can_run_programme(request.auth, grant.budget.organizer):
        raise HttpError(404, NOT_FOUND)
    return grant


@router.post("/centre/grants/{grant_id}/approve", response={200: CentreGrantOut, **errors(400, 401, 404, 422)},
             summary="Approve an amount up to the one asked, in the budget's currency (refused past the balance)")
def grant_approve(request, body: CentreApproveIn, grant_id: int = Path(..., ge=1, le=MAX_ID)):
    grant = _decidable(request, grant_id)
    _call(grants.grant_approve, actor=request.auth, grant=grant, amount=body.amount)
    return _grant_out(_get(CreditGrant, grant_id, "budget", "startup"))


@router.post("/centre/grants/{grant_id}/reject", response={200: CentreGrantOut, **errors(400, 401, 404, 422)},
             summary="Reject an application")
def grant_reject(request, body: CentreRejectIn, grant_id: int = Path(..., ge=1, le=MAX_ID)):
    grant = _decidable(request, grant_id)
    _call(grants.grant_reject, actor=request.auth, grant=grant, note=body.note)
    return _grant_out(_get(CreditGrant, grant_id, "budget", "startup"))


