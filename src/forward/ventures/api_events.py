"""Ventures API: networking events. Published events are public; a draft, someone else's agenda or
a staff action answer 404 to whoever may not see them, the same answer as a missing id. Nobody
reads how others marked them."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from forward.api_auth import PUBLIC
from forward.api_common import MAX_PAGE, PUBLIC_SECURITY, Slug, Text, errors
from forward.core.models import MAX_ID, Organization

from . import events as svc
from . import events_agenda, events_schedule, permissions
from .models import Event, EventStatus, Registrant

router = Router(tags=["ventures"])

SideLiteral = Literal["investor", "startup"]
LevelLiteral = Literal["must", "want", "no", ""]
MarkFilter = Literal["unmarked", "must", "want", "no"]
TEXT_FILTER = Query("", max_length=100, description="Part of a person's or organization's name")


class SlotOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime


class EventOut(Schema):
    id: int
    title: str
    organizer: str = Field(description="The organizing innovation centre or programme office (slug)")
    venue: str
    time_zone: str = Field(description="The event's own time zone (times here are UTC)")
    status: str = Field(description="draft, registration, marking, closed (marking closed) or scheduled")
    tables: int
    registration_deadline: datetime
    marking_deadline: datetime
    late_registration: bool
    url: str


class SlotIn(Schema):
    starts_at: datetime = Field(description="With its offset, e.g. 2026-12-12T14:00:00+08:00")
    ends_at: datetime


class EventPatchIn(Schema):
    """Only the fields sent change."""

    title: str | None = Field(None, min_length=1, max_length=160)
    description: str | None = Field(None, max_length=5000)
    venue: str | None = Field(None, max_length=200)
    time_zone: str | None = Field(None, max_length=64, description="An IANA name such as Asia/Kuala_Lumpur")
    tables: int | None = Field(None, ge=1, le=svc.MAX_TABLES)
    registration_deadline: datetime | None = None
    marking_deadline: datetime | None = None
    late_registration: bool | None = None
    slots: list[SlotIn] | None = Field(None, min_length=1, max_length=svc.MAX_SLOTS,
                                       description="The whole new list of time slots; only while no schedule "
                                                   "exists (slots kept as they are keep people's availability)")


class EventPage(Schema):
    count: int
    page: int
    pages: int
    results: list[EventOut]


class RegistrationOut(Schema):
    id: int
    side: str
    organization: str = Field(description="The organization's slug")
    max_meetings: int
    slots: list[int] = Field(description="The ids of the slots you are free in")
    late: bool
    can_mark: bool


class EventDetailOut(EventOut):
    description: str
    slots: list[SlotOut]
    registration: RegistrationOut | None = Field(description="Yours, if you are registered")
    can_register: bool


class RegisterIn(Schema):
    side: SideLiteral
    organization: Slug = Field(description="The verified investor or startup you act for (slug)")
    max_meetings: int = Field(6, ge=0, le=svc.MAX_MEETINGS)
    slots: list[int] = Field(default_factory=list, max_length=svc.MAX_SLOTS,
                             description="Slot ids you are free in (empty: none yet)")


class AvailabilityIn(Schema):
    max_meetings: int = Field(ge=0, le=svc.MAX_MEETINGS)
    slots: list[int] = Field(max_length=svc.MAX_SLOTS)


class CounterpartOut(Schema):
    id: int = Field(description="The registrant id to mark")
    name: str
    organization: str
    side: str
    about: str = Field(description="The startup's one-liner or the investor's thesis")
    my_mark: str | None = Field(description="Your mark of them: must, want, no or null")


class CounterpartPage(Schema):
    count: int
    page: int
    pages: int
    results: list[CounterpartOut]


class MarkIn(Schema):
    registrant: int = Field(ge=1, le=MAX_ID)
    level: LevelLiteral = Field(description="must, want, no, or empty to clear the mark")


class MarksIn(Schema):
    marks: list[MarkIn] = Field(max_length=svc.MAX_MARKS_AT_ONCE)


class MarksOut(Schema):
    given: int = Field(description="How many of the marks sent were set (not cleared)")


class MeetingOut(Schema):
    starts_at: datetime
    ends_at: datetime
    table: int
    with_name: str
    with_organization: str
    with_side: str


class AgendaOut(Schema):
    event: int
    registrant: int
    scheduled: bool
    meetings: list[MeetingOut]
    pdf: str
    ics: str


class JobOut(Schema):
    id: int
    status: str
    job: str = Field(description="idle, queued, running, done or failed")
    job_error: str
    value: int | None = Field(description="The schedule's total interest")
    bound: int | None = Field(description="The solver's proven upper bound on the best total interest")
    meetings: int


def _event_out(event: Event) -> dict:
    return {"id": event.pk, "title": event.title, "organizer": event.organizer.slug, "venue": event.venue,
            "time_zone": event.time_zone, "status": event.status, "tables": event.tables,
            "registration_deadline": event.registration_deadline, "marking_deadline": event.marking_deadline,
            "late_registration": event.late_registration, "url": f"/ventures/events/{event.pk}/"}


def _registration_out(event: Event, registrant: Registrant) -> RegistrationOut:
    return RegistrationOut(id=registrant.pk, side=registrant.side, organization=registrant.organization.slug,
                           max_meetings=registrant.max_meetings, slots=sorted(svc.available_slot_ids(registrant)),
                           late=registrant.late, can_mark=svc.can_mark(event, registrant))


def _detail_out(request, event: Event) -> EventDetailOut:
    registrant = svc.registrant_of(event=event, user=request.auth)
    return EventDetailOut(**_event_out(event), description=event.description,
                          slots=[SlotOut(id=s.pk, starts_at=s.starts_at, ends_at=s.ends_at) for s in svc.slots_of(event)],
                          registration=_registration_out(event, registrant) if registrant else None,
                          can_register=registrant is None and svc.can_register(event))


def _visible(request, event_id: int) -> Event:
    event = svc.visible_event(user=request.auth, event_id=event_id)
    if event is None:
        raise HttpError(404, "Not found.")
    return event


def _bad(exc: ValidationError) -> HttpError:
    return HttpError(400, " ".join(exc.messages))


def _page(count: int, page: int) -> int:
    pages = max(1, -(-count // svc.PAGE_SIZE))
    if page > pages:
        raise HttpError(404, f"page {page} does not exist; there are {pages}")
    return pages


@router.get("/events", response={200: EventPage, **errors(401, 404, 422)}, auth=PUBLIC,
            openapi_extra=PUBLIC_SECURITY, summary="Networking events",
            description="Published events, and the drafts of the programmes you run; newest first, 20 a page.")
def event_list(request, page: int = Query(1, ge=1, le=MAX_PAGE)):
    queryset = svc.events_for(user=request.auth)
    count = queryset.count()
    pages = _page(count, page)
    rows = queryset[(page - 1) * svc.PAGE_SIZE: page * svc.PAGE_SIZE]
    return EventPage(count=count, page=page, pages=pages, results=[EventOut(**_event_out(e)) for e in rows])


@router.get("/events/{event_id}", response={200: EventDetailOut, **errors(401, 404, 422)}, auth=PUBLIC,
            openapi_extra=PUBLIC_SECURITY, summary="One networking event, with its slots and your registration")
def event_detail(request, event_id: int = Path(..., ge=1, le=MAX_ID)):
    return _detail_out(request, _visible(request, event_id))


def _aware(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise HttpError(400, f"Give {name} with its time zone offset, e.g. 2026-12-12T14:00:00+08:00.")
    return value


@router.patch("/events/{event_id}", response={200: EventDetailOut, **errors(400, 401, 404, 422)},
              summary="Change an event (its staff): title, description, venue, time zone, tables, deadlines, slots",
              description="Send only what changes. Slots (the whole new list) change only while no schedule "
                          "exists; tables shrink only as far as every meeting keeps its table. 400 says why "
                          "a change is refused.")
def event_update(request, body: EventPatchIn, event_id: int = Path(..., ge=1, le=MAX_ID)):
    event = _managed(request, event_id)
    data = body.model_dump(exclude_unset=True)
    for name in ("registration_deadline", "marking_deadline"):
        if data.get(name) is not None:
            data[name] = _aware(data[name], name)
    if data.get("slots") is not None:
        data["slots"] = [(_aware(s["starts_at"], "slot times"), _aware(s["ends_at"], "slot times"))
                         for s in data["slots"]]
    try:
        event = svc.event_update(actor=request.auth, event=event, **{k: v for k, v in data.items() if v is not None})
    except PermissionDenied:
        raise HttpError(404, "Not found.") from None
    except ValidationError as exc:
        raise _bad(exc) from None
    return _detail_out(request, event)


@router.post("/events/{event_id}/registration", response={201: RegistrationOut, **errors(400, 401, 404, 422)},
             summary="Register for an event as an investor or a startup you act for (verified)")
def event_register(request, body: RegisterIn, event_id: int = Path(..., ge=1, le=MAX_ID)):
    """404 if the organization is not one you may register for on that side."""
    event = _visible(request, event_id)
    if svc.registrant_of(event=event, user=request.auth) is not None:
        raise HttpError(400, "You are already registered for this event; change your availability instead.")
    organization = Organization.objects.filter(slug=body.organization).first()
    if organization is None:
        raise HttpError(404, "Not found.")
    try:
        registrant = svc.registration_set(user=request.auth, event=event, side=body.side, organization=organization,
                                          max_meetings=body.max_meetings, slot_ids=body.slots)
    except PermissionDenied:
        raise HttpError(404, "Not found.") from None
    except ValidationError as exc:
        raise _bad(exc) from None
    return Status(201, _registration_out(event, registrant))


@router.put("/events/{event_id}/availability", response={200: RegistrationOut, **errors(400, 401, 404, 422)},
            summary="Replace your free slots and the most meetings you take (until marking closes)")
def event_availability(request, body: AvailabilityIn, event_id: int = Path(..., ge=1, le=MAX_ID)):
    event = _visible(request, event_id)
    registrant = svc.registrant_of(event=event, user=request.auth)
    if registrant is None:
        raise HttpError(404, "Not found.")
    try:
        registrant = svc.registration_set(user=request.auth, event=event, side=registrant.side,
                                          organization=registrant.organization, max_meetings=body.max_meetings,
                                          slot_ids=body.slots)
    except PermissionDenied:
        raise HttpError(404, "Not found.") from None
    except ValidationError as exc:
        raise _bad(exc) from None
    return _registration_out(event, registrant)


@router.get("/events/{event_id}/counterparts", response={200: CounterpartPage, **errors(401, 404, 422)},
            summary="Registrants of the other side, with your own mark of each (registrants only)")
def event_counterparts(request, event_id: int = Path(..., ge=1, le=MAX_ID), page: int = Query(1, ge=1, le=MAX_PAGE),
                       text: Text = TEXT_FILTER, mark: MarkFilter | None = None):
    event = _visible(request, event_id)
    registrant = svc.registrant_of(event=event, user=request.auth)
    if registrant is None:
        raise HttpError(404, "Not found.")
    queryset = svc.counterparts(registrant=registrant, text=text, mark=mark or "")
    count = queryset.count()
    pages = _page(count, page)
    rows = queryset[(page - 1) * svc.PAGE_SIZE: page * svc.PAGE_SIZE]
    results = []
    for r in rows:
        org = r.organization
        about = ""
        if r.side == "startup" and hasattr(org, "startup"):
            about = org.startup.one_liner
        elif r.side == "investor" and hasattr(org, "investor"):
            about = org.investor.thesis
        results.append(CounterpartOut(id=r.pk, name=r.user.display_name, organization=org.name, side=r.side,
                                      about=about, my_mark=r.my_mark))
    return CounterpartPage(count=count, page=page, pages=pages, results=results)


@router.put("/events/{event_id}/marks", response={200: MarksOut, **errors(400, 401, 404, 422)},
            summary="Set or clear your marks of registrants of the other side")
def event_marks(request, body: MarksIn, event_id: int = Path(..., ge=1, le=MAX_ID)):
    event = _visible(request, event_id)
    marks = {}
    for item in body.marks:
        if item.registrant in marks:
            raise HttpError(400, f"Registrant {item.registrant} is marked twice; send each once.")
        marks[item.registrant] = item.level
    try:
        given = svc.marks_set(user=request.auth, event=event, marks=marks)
    except PermissionDenied:
        raise HttpError(404, "Not found.") from None
    except ValidationError as exc:
        raise _bad(exc) from None
    return MarksOut(given=given)


@router.get("/events/{event_id}/agenda", response={200: AgendaOut, **errors(401, 404, 422)},
            summary="Your agenda at an event: your meetings (times in UTC), with links to the PDF and .ics")
def event_agenda(request, event_id: int = Path(..., ge=1, le=MAX_ID)):
    event = _visible(request, event_id)
    registrant = svc.registrant_of(event=event, user=request.auth)
    if registrant is None:
        raise HttpError(404, "Not found.")
    meetings = []
    for m in svc.meetings_of(registrant):
        other = events_agenda.counterpart(m, registrant)
        meetings.append(MeetingOut(starts_at=m.slot.starts_at, ends_at=m.slot.ends_at, table=m.table,
                                   with_name=other.user.display_name, with_organization=other.organization.name,
                                   with_side=other.side))
    base = f"/ventures/events/{event.pk}/agenda/{registrant.pk}/"
    return AgendaOut(event=event.pk, registrant=registrant.pk, scheduled=event.status == EventStatus.SCHEDULED,
                     meetings=meetings, pdf=base + "pdf/", ics=base + "ics/")


def _job_out(event: Event) -> JobOut:
    return JobOut(id=event.pk, status=event.status, job=event.job, job_error=event.job_error, value=event.value,
                  bound=event.bound, meetings=event.meetings.count())


def _managed(request, event_id: int) -> Event:
    event = Event.objects.select_related("organizer").filter(pk=event_id).first()
    if event is None or not permissions.can_manage_event(request.auth, event):
        raise HttpError(404, "Not found.")
    return event


def _start(request, event_id: int, service) -> Status:
    event = _managed(request, event_id)
    try:
        event = service(actor=request.auth, event=event)
    except ValidationError as exc:
        raise _bad(exc) from None
    return Status(202, _job_out(event))


@router.post("/events/{event_id}/close-marking", response={202: JobOut, **errors(400, 401, 404, 422)},
             summary="Close marking and queue the schedule (the event's staff; a second call changes nothing)")
def event_close_marking(request, event_id: int = Path(..., ge=1, le=MAX_ID)):
    return _start(request, event_id, events_schedule.marking_close)


@router.post("/events/{event_id}/build", response={202: JobOut, **errors(400, 401, 404, 422)},
             summary="Build the schedule again after a failure, or fit late registrants in (the event's staff)")
def event_build(request, event_id: int = Path(..., ge=1, le=MAX_ID)):
    return _start(request, event_id, events_schedule.schedule_start)


@router.get("/events/{event_id}/schedule", response={200: JobOut, **errors(401, 404, 422)},
            summary="The schedule job's state and figures (the event's staff)")
def event_schedule(request, event_id: int = Path(..., ge=1, le=MAX_ID)):
    return _job_out(_managed(request, event_id))
