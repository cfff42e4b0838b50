"""Talent API: applications and interview slots, under /api/v1/talent/. Thin: parse, check
permission, call talent.applications. What is not the caller's is a 404, like a missing id."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import StringConstraints

from forward.api_common import MAX_PAGE, errors
from forward.core.models import MAX_ID

from . import applications as service
from .ics import interview_calendar
from .models import Application, InterviewSlot, Opening, OpeningStatus, Stage
from .permissions import can_work_applications

router = Router(tags=["talent"])

PAGE_SIZE = 50
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
NoteText = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=2000)]
LongText = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", min_length=1, max_length=4000)]
Where = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=300)]
StageName = Literal["applied", "screening", "interview", "offer", "hired", "rejected", "withdrawn", "declined"]


class SlotOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime
    where: str
    booked: bool
    booked_by_application: int | None = None


class ApplicationOut(Schema):
    id: int
    opening: UUID
    opening_title: str
    employer: str
    stage: str
    note: str
    created_at: datetime
    updated_at: datetime
    offer_accepted_at: datetime | None
    interview: SlotOut | None
    url: str


class VerifiedItemOut(Schema):
    kind: str
    name: str
    detail: str
    issuer: str
    url: str
    facts: dict


class EmployerApplicationOut(ApplicationOut):
    applicant_name: str
    applicant_email: str
    headline: str
    verified: list[VerifiedItemOut]
    snapshot: dict
    notes_count: int
    review_url: str


class ApplicationPage(Schema):
    count: int
    page: int
    pages: int
    results: list[ApplicationOut]


class EmployerApplicationPage(Schema):
    count: int
    page: int
    pages: int
    results: list[EmployerApplicationOut]


class ApplyIn(Schema):
    note: NoteText = ""
    include: list[UUID] = Field(default_factory=list, max_length=service.MAX_INCLUDED)


class MoveIn(Schema):
    ids: list[Id] = Field(..., min_length=1, max_length=service.MAX_BULK)
    stage: StageName


class RefusalOut(Schema):
    id: int
    reason: str


class MoveOut(Schema):
    moved: int
    stage: str
    ids: list[int]


class RefusedOut(Schema):
    detail: str
    refused: list[RefusalOut]


class NoteIn(Schema):
    text: LongText


class NoteOut(Schema):
    id: int
    application: int
    author: str
    text: str
    created_at: datetime


class SlotIn(Schema):
    starts_at: datetime
    ends_at: datetime
    where: Where = ""


def _slot_out(slot: InterviewSlot | None, *, employer: bool = False) -> SlotOut | None:
    if slot is None:
        return None
    return SlotOut(id=slot.pk, starts_at=slot.starts_at, ends_at=slot.ends_at, where=slot.where,
                   booked=slot.booked_by_id is not None,
                   booked_by_application=slot.booked_by_id if employer else None)


def _fields(request, application: Application) -> dict:
    slots = list(application.slots.all())
    return dict(
        id=application.pk, opening=application.opening.uuid, opening_title=application.opening.title,
        employer=application.opening.organization.name, stage=application.stage, note=application.note,
        created_at=application.created_at, updated_at=application.updated_at,
        offer_accepted_at=application.offer_accepted_at, interview=_slot_out(slots[0] if slots else None),
        url=request.build_absolute_uri(f"/talent/applications/{application.pk}/"))


def _employer_out(request, application: Application) -> EmployerApplicationOut:
    snapshot = application.snapshot or {}
    verified = [VerifiedItemOut(kind=str(v.get("kind", "")), name=str(v.get("name", "")),
                                detail=str(v.get("detail", "")), issuer=str(v.get("issuer", "")),
                                url=str(v.get("url", "")), facts=v.get("facts") or {})
                for v in snapshot.get("verified") or []]
    return EmployerApplicationOut(
        **_fields(request, application), applicant_name=application.applicant.display_name,
        applicant_email=application.applicant.email,
        headline=str((snapshot.get("self_declared") or {}).get("headline", "")), verified=verified,
        snapshot=snapshot, notes_count=getattr(application, "notes_count", 0),
        review_url=request.build_absolute_uri(f"/talent/applications/{application.pk}/review/"))


def _bad(exc: ValidationError) -> HttpError:
    return HttpError(400, " ".join(exc.messages))


def _page(queryset, page: int):
    count = queryset.count()
    pages = max(1, -(-count // PAGE_SIZE))
    if page > pages:
        raise HttpError(404, f"page {page} does not exist; there are {pages}")
    return count, pages, list(queryset[(page - 1) * PAGE_SIZE: page * PAGE_SIZE])


def _published(uuid: UUID) -> Opening:
    opening = Opening.objects.select_related("organization").filter(uuid=uuid).first()
    if opening is None or opening.status == OpeningStatus.DRAFT or not opening.organization.is_verified:
        raise HttpError(404, "Not found.")
    return opening


def _employer_opening(request, uuid: UUID) -> Opening:
    opening = Opening.objects.select_related("organization").filter(uuid=uuid).first()
    if opening is None or not can_work_applications(request.auth, opening.organization):
        raise HttpError(404, "Not found.")
    return opening


def _mine(request, application_id: int) -> Application:
    application = (Application.objects.select_related("opening__organization").prefetch_related("slots")
                   .filter(pk=application_id, applicant_id=request.auth.pk).first())
    if application is None:
        raise HttpError(404, "Not found.")
    return application


# --- the applicant -----------------------------------------------------------------------------------

@router.post("/openings/{uuid}/applications", response={201: ApplicationOut, **errors(400, 401, 404, 409, 422)},
             summary="Apply to an opening (note, and the uuids of verified credentials to include)")
def application_create(request, uuid: UUID, body: ApplyIn):
    opening = _published(uuid)
    try:
        application = service.apply(user=request.auth, opening=opening, note=body.note,
                                    include=[str(u) for u in body.include])
    except service.AlreadyApplied as exc:
        raise HttpError(409, f"You have already applied to this opening (application {exc.application.pk}).") from None
    except ValidationError as exc:
        raise _bad(exc) from None
    application = Application.objects.select_related("opening__organization").prefetch_related("slots").get(
        pk=application.pk)
    return Status(201, ApplicationOut(**_fields(request, application)))


@router.get("/applications", response={200: ApplicationPage, **errors(401, 404, 422)},
            summary="My applications, newest first")
def application_list(request, page: int = Query(1, ge=1, le=MAX_PAGE)):
    count, pages, rows = _page(service.mine(user=request.auth).prefetch_related("slots"), page)
    return ApplicationPage(count=count, page=page, pages=pages,
                           results=[ApplicationOut(**_fields(request, a)) for a in rows])


def _applicant_action(request, application_id: int, action) -> ApplicationOut:
    application = _mine(request, application_id)
    try:
        action(user=request.auth, application=application)
    except service.NotFound:
        raise HttpError(404, "Not found.") from None
    except ValidationError as exc:
        raise _bad(exc) from None
    return ApplicationOut(**_fields(request, _mine(request, application_id)))


@router.post("/applications/{application_id}/withdraw", response={200: ApplicationOut, **errors(400, 401, 404, 422)},
             summary="Withdraw my application (until I accept an offer)")
def application_withdraw(request, application_id: int = Path(..., ge=1, le=MAX_ID)):
    return _applicant_action(request, application_id, service.withdraw)


@router.post("/applications/{application_id}/accept", response={200: ApplicationOut, **errors(400, 401, 404, 422)},
             summary="Accept the offer (the application becomes hired)")
def application_accept(request, application_id: int = Path(..., ge=1, le=MAX_ID)):
    return _applicant_action(request, application_id, service.accept_offer)


@router.post("/applications/{application_id}/decline", response={200: ApplicationOut, **errors(400, 401, 404, 422)},
             summary="Decline the offer")
def application_decline(request, application_id: int = Path(..., ge=1, le=MAX_ID)):
    return _applicant_action(request, application_id, service.decline_offer)


@router.post("/slots/{slot_id}/book", response={200: ApplicationOut, **errors(400, 401, 404, 422)},
             summary="Book an interview slot for my application to its opening (or move to it)")
def slot_book(request, slot_id: int = Path(..., ge=1, le=MAX_ID)):
    slot = InterviewSlot.objects.filter(pk=slot_id).first()
    application = None if slot is None else Application.objects.filter(
        opening_id=slot.opening_id, applicant_id=request.auth.pk).first()
    if slot is None or application is None:
        raise HttpError(404, "Not found.")
    try:
        service.slot_book(user=request.auth, application=application, slot_id=slot.pk)
    except service.NotFound:
        raise HttpError(404, "Not found.") from None
    except ValidationError as exc:
        raise _bad(exc) from None
    return ApplicationOut(**_fields(request, _mine(request, application.pk)))


ICS_RESPONSE = {"responses": {"200": {"description": "The booked interview as an iCalendar file",
                                      "content": {"text/calendar": {"schema": {"type": "string"}}}}}}


@router.get("/applications/{application_id}/interview.ics", response={**errors(401, 404, 422)},
            openapi_extra=ICS_RESPONSE, summary="The booked interview (.ics), for the applicant or the employer")
def application_ics(request, application_id: int = Path(..., ge=1, le=MAX_ID)):
    application = (Application.objects.select_related("opening__organization", "applicant")
                   .filter(pk=application_id).first())
    if application is None or (application.applicant_id != request.auth.pk and not can_work_applications(
            request.auth, application.opening.organization)):
        raise HttpError(404, "Not found.")
    slot = InterviewSlot.objects.select_related("created_by").filter(booked_by=application).first()
    if slot is None:
        raise HttpError(404, "No interview is booked for this application.")
    response = HttpResponse(interview_calendar(slot=slot, application=application),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="interview-{application.pk}.ics"'
    return response


# --- the employer ------------------------------------------------------------------------------------

@router.get("/openings/{uuid}/applications", response={200: EmployerApplicationPage, **errors(401, 404, 422)},
            summary="An opening's applications (its employer's admins and staff)")
def opening_applications(request, uuid: UUID, stage: StageName | None = None,
                         page: int = Query(1, ge=1, le=MAX_PAGE)):
    opening = _employer_opening(request, uuid)
    count, pages, rows = _page(service.pipeline(opening=opening, stage=stage or ""), page)
    for row in rows:
        row.opening = opening
    return EmployerApplicationPage(count=count, page=page, pages=pages,
                                   results=[_employer_out(request, a) for a in rows])


@router.post("/applications/move", response={200: MoveOut, **errors(400, 401, 404, 422), 409: RefusedOut},
             summary="Move applications to a stage, all or nothing (409 lists each refused one with why)")
def applications_move(request, body: MoveIn):
    try:
        moved = service.move(actor=request.auth, application_ids=body.ids, to_stage=body.stage)
    except service.NotFound:
        raise HttpError(404, "Not found: one of the ids is not an application to your organization's openings.") \
            from None
    except service.BulkRefused as exc:
        return Status(409, RefusedOut(detail="Nothing was moved. " + " ".join(exc.messages),
                                      refused=[RefusalOut(id=r.application_id, reason=r.reason)
                                               for r in exc.refusals]))
    except ValidationError as exc:
        raise _bad(exc) from None
    return MoveOut(moved=len(moved), stage=body.stage, ids=[a.pk for a in moved])


@router.post("/applications/{application_id}/notes", response={201: NoteOut, **errors(400, 401, 404, 422)},
             summary="Add a note private to your organization")
def note_create(request, body: NoteIn, application_id: int = Path(..., ge=1, le=MAX_ID)):
    application = Application.objects.select_related("opening__organization").filter(pk=application_id).first()
    if application is None or not can_work_applications(request.auth, application.opening.organization):
        raise HttpError(404, "Not found.")
    try:
        note = service.note_add(actor=request.auth, application=application, text=body.text)
    except service.NotFound:
        raise HttpError(404, "Not found.") from None
    except ValidationError as exc:
        raise _bad(exc) from None
    return Status(201, NoteOut(id=note.pk, application=application.pk, author=request.auth.display_name,
                               text=note.text, created_at=note.created_at))


@router.get("/openings/{uuid}/slots", response={200: list[SlotOut], **errors(401, 404, 422)},
            summary="Interview slots: all of them for the employer; the open ones for its candidates at interview")
def slot_list(request, uuid: UUID):
    opening = Opening.objects.select_related("organization").filter(uuid=uuid).first()
    if opening is None:
        raise HttpError(404, "Not found.")
    if can_work_applications(request.auth, opening.organization):
        rows = InterviewSlot.objects.filter(opening=opening, starts_at__gt=timezone.now()).order_by("starts_at")[:200]
        return [_slot_out(s, employer=True) for s in rows]
    if Application.objects.filter(opening=opening, applicant_id=request.auth.pk, stage=Stage.INTERVIEW).exists():
        return [_slot_out(s) for s in service.open_slots(opening).order_by("starts_at")[:200]]
    raise HttpError(404, "Not found.")


@router.post("/openings/{uuid}/slots", response={201: SlotOut, **errors(400, 401, 404, 422)},
             summary="Propose an interview slot (start in the future, end after start, at most 50 open)")
def slot_create(request, uuid: UUID, body: SlotIn):
    opening = _employer_opening(request, uuid)
    try:
        slot = service.slot_create(actor=request.auth, opening=opening, starts_at=body.starts_at,
                                   ends_at=body.ends_at, where=body.where)
    except service.NotFound:
        raise HttpError(404, "Not found.") from None
    except ValidationError as exc:
        raise _bad(exc) from None
    return Status(201, _slot_out(slot, employer=True))
