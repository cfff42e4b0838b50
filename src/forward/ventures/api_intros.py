"""Ventures API: introductions, under /api/v1/ventures/intros. Thin: parse, check permission, call
ventures.intros. An introduction the caller is not a side of is a 404, like a missing id; its
thread answers only the two sides' acting members, once accepted (never operators)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import StringConstraints

from forward.api_common import MAX_PAGE, errors
from forward.core.models import MAX_ID, Organization

from . import intros as service
from . import permissions
from .models.intros import MESSAGE_MAX, NOTE_MAX, Introduction

router = Router(tags=["ventures"])

PAGE_SIZE = 50
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Note = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", min_length=1, max_length=NOTE_MAX)]
Message = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", min_length=1, max_length=MESSAGE_MAX)]


class IntroOut(Schema):
    id: int
    asker: int
    asker_name: str
    target: int
    target_name: str
    direction: Literal["sent", "received"]
    status: str = Field(description="For the asker: waiting, accepted, not-now or withdrawn. For the asked side: "
                                    "open, accepted, declined or withdrawn.")
    note: str
    created_at: datetime
    answered_at: datetime | None


class IntroPage(Schema):
    count: int
    page: int
    pages: int
    results: list[IntroOut]


class IntroAskIn(Schema):
    asker: Id = Field(..., description="The id of your verified startup or investor organization")
    target: Id = Field(..., description="The id of the verified organization of the other kind you ask")
    note: Note


class IntroMessageIn(Schema):
    text: Message


class IntroMessageOut(Schema):
    id: int
    organization: int
    organization_name: str
    author: str
    text: str
    created_at: datetime


class IntroContactOut(Schema):
    organization: str
    website: str
    name: str
    email: str


class IntroThreadOut(Schema):
    count: int
    page: int
    pages: int
    contacts: list[IntroContactOut]
    results: list[IntroMessageOut]


def _out(user, introduction: Introduction, mine: set[int]) -> IntroOut:
    sent = introduction.asker_id in mine
    return IntroOut(id=introduction.pk, asker=introduction.asker_id, asker_name=introduction.asker.name,
                    target=introduction.target_id, target_name=introduction.target.name,
                    direction="sent" if sent else "received",
                    status=service.asker_status(introduction) if sent else introduction.status,
                    note=introduction.note, created_at=introduction.created_at, answered_at=introduction.answered_at)


def _mine(user) -> set[int]:
    return set(permissions.intro_organizations(user).values_list("pk", flat=True))


def page_of(queryset, page: int, size: int = PAGE_SIZE):
    """A page of rows with the count and number of pages; 404 past the last page."""
    count = queryset.count()
    pages = max(1, -(-count // size))
    if page > pages:
        raise HttpError(404, f"page {page} does not exist; there are {pages}")
    return count, pages, list(queryset[(page - 1) * size: page * size])


def _visible(request, introduction_id: int) -> Introduction:
    try:
        return service.visible(user=request.auth, introduction_id=introduction_id)
    except service.NotFound:
        raise HttpError(404, "Not found.") from None


@router.get("/intros", response={200: IntroPage, **errors(401, 404, 422)},
            summary="Introductions of the organizations you act for: received (to answer), sent, or accepted")
def intro_list(request, box: Literal["received", "sent", "accepted"] = "received",
               page: int = Query(1, ge=1, le=MAX_PAGE)):
    user = request.auth
    qs = {"received": lambda: service.received(user=user), "sent": lambda: service.sent(user=user),
          "accepted": lambda: service.accepted(user=user)}[box]()
    count, pages, rows = page_of(qs, page)
    mine = _mine(user)
    return IntroPage(count=count, page=page, pages=pages, results=[_out(user, i, mine) for i in rows])


@router.post("/intros", response={201: IntroOut, **errors(400, 401, 403, 404, 409, 422)},
             summary="Ask for an introduction (a startup asks an investor or an investor a startup)")
def intro_create(request, body: IntroAskIn):
    user = request.auth
    target = service.target_for(organization_id=body.target)
    asker = Organization.objects.filter(pk=body.asker).first()
    if target is None or asker is None:
        raise HttpError(404, "Not found.")
    try:
        introduction = service.ask(user=user, asker=asker, target=target, note=body.note)
    except (service.AnswerTheirs, service.AlreadyWaiting) as exc:
        raise HttpError(409, f"{exc.messages[0]} (introduction {exc.introduction.pk})") from None
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from None
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from None
    return Status(201, _out(user, introduction, _mine(user)))


@router.get("/intros/{intro_id}", response={200: IntroOut, **errors(401, 404, 422)},
            summary="One introduction of yours (either side)")
def intro_get(request, intro_id: int = Path(..., ge=1, le=MAX_ID)):
    return _out(request.auth, _visible(request, intro_id), _mine(request.auth))


def _act(request, intro_id: int, function) -> IntroOut:
    introduction = _visible(request, intro_id)
    try:
        function(user=request.auth, introduction=introduction)
    except service.NotFound:
        raise HttpError(404, "Not found.") from None
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from None
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from None
    return _out(request.auth, _visible(request, intro_id), _mine(request.auth))


@router.post("/intros/{intro_id}/accept", response={200: IntroOut, **errors(400, 401, 403, 404, 422)},
             summary="Accept a request to your organization (both sides then see each other's contact)")
def intro_accept(request, intro_id: int = Path(..., ge=1, le=MAX_ID)):
    return _act(request, intro_id, service.accept)


@router.post("/intros/{intro_id}/decline", response={200: IntroOut, **errors(400, 401, 403, 404, 422)},
             summary="Decline a request to your organization (the asker sees “not now”)")
def intro_decline(request, intro_id: int = Path(..., ge=1, le=MAX_ID)):
    return _act(request, intro_id, service.decline)


@router.post("/intros/{intro_id}/withdraw", response={200: IntroOut, **errors(400, 401, 403, 404, 422)},
             summary="Withdraw a request your organization asked, while it waits")
def intro_withdraw(request, intro_id: int = Path(..., ge=1, le=MAX_ID)):
    return _act(request, intro_id, service.withdraw)


def _message_out(m) -> IntroMessageOut:
    return IntroMessageOut(id=m.pk, organization=m.organization_id, organization_name=m.organization.name,
                      author=m.author.display_name if m.author else "", text=m.text, created_at=m.created_at)


@router.get("/intros/{intro_id}/messages", response={200: IntroThreadOut, **errors(401, 404, 422)},
            summary="The thread of an accepted introduction, oldest first, and both sides' contacts")
def thread_read(request, intro_id: int = Path(..., ge=1, le=MAX_ID), page: int = Query(1, ge=1, le=MAX_PAGE)):
    introduction = _visible(request, intro_id)
    if not permissions.can_read_thread(request.auth, introduction):
        raise HttpError(404, "Not found.")
    count, pages, rows = page_of(service.thread(user=request.auth, introduction=introduction), page)
    return IntroThreadOut(count=count, page=page, pages=pages,
                     contacts=[IntroContactOut(**c) for c in service.contacts(introduction=introduction)],
                     results=[_message_out(m) for m in rows])


@router.post("/intros/{intro_id}/messages", response={201: IntroMessageOut, **errors(400, 401, 404, 422)},
             summary="Write in the thread of an accepted introduction (the other side is mailed)")
def thread_post(request, body: IntroMessageIn, intro_id: int = Path(..., ge=1, le=MAX_ID)):
    introduction = _visible(request, intro_id)
    if not permissions.can_read_thread(request.auth, introduction):
        raise HttpError(404, "Not found.")
    try:
        message = service.post_message(user=request.auth, introduction=introduction, text=body.text)
    except service.NotFound:
        raise HttpError(404, "Not found.") from None
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from None
    return Status(201, _message_out(message))
