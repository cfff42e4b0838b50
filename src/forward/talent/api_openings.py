"""Talent API: openings, under /api/v1/talent/. Search is public; writing needs a token or a session
of someone who prepares the employer's openings; featuring is for operators."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field, StringConstraints

from forward.api_auth import PUBLIC
from forward.api_common import MAX_PAGE, PUBLIC_SECURITY, Slug, errors
from forward.core.models import Organization, OrganizationKind
from forward.credentials.models import CredentialKind

from . import openings, permissions
from .models import Opening, OpeningKind, PayPeriod, Remote, WhoMayApply

router = Router(tags=["talent"])

NOT_FOUND = "Not found."

KindLiteral = Literal[tuple(OpeningKind.values)]  # type: ignore[valid-type]
RemoteLiteral = Literal[tuple(Remote.values)]  # type: ignore[valid-type]
PeriodLiteral = Literal[tuple(PayPeriod.values)]  # type: ignore[valid-type]
WhoLiteral = Literal[tuple(WhoMayApply.values)]  # type: ignore[valid-type]
CredentialKindLiteral = Literal[tuple(CredentialKind.values)]  # type: ignore[valid-type]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$")]
CurrencyCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{3}$")]
Line = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=200)]
# An amount of money: a whole number, or text with at most two decimal places ("3500.50").
Amount = (Annotated[int, Field(ge=0, le=int(openings.MAX_PAY))]
          | Annotated[str, StringConstraints(pattern=r"^[0-9]{1,10}(\.[0-9]{1,2})?$")])


class SkillOut(Schema):
    slug: str
    name: str


class EmployerOut(Schema):
    slug: str
    name: str


class RequiredCredential(Schema):
    kind: CredentialKindLiteral = Field(description="a credential kind")  # type: ignore[valid-type]
    level: int = Field(0, ge=0, le=3, description="a certification's level (1 associate, 2 professional, 3 "
                                                  "expert); 0 for any and for other kinds")


class OpeningOut(Schema):
    uuid: UUID
    url: str
    title: str
    employer: EmployerOut
    status: str
    kind: str
    description: str = Field(description="Markdown, as written (render it through a sanitizer)")
    city: str
    country: str
    remote: str
    countries_eligible: list[str]
    required_skills: list[SkillOut]
    preferred_skills: list[SkillOut]
    required_credentials: list[RequiredCredential]
    start_date: date | None
    duration_weeks: int | None
    pay_min: str | None = Field(description="a decimal amount in `currency`, as text")
    pay_max: str | None
    currency: str
    pay_period: str
    seats: int
    deadline: datetime | None
    who_may_apply: str
    universities: list[str]
    featured: bool
    published_at: datetime | None
    closed_at: datetime | None


class OpeningPage(Schema):
    count: int
    page: int
    pages: int
    results: list[OpeningOut]


class OpeningFields(Schema):
    """What an employer sets; in a PATCH, only the fields sent change."""

    # Fields that cannot be empty are not nullable: leave them out of a PATCH to keep them.
    # (None only marks a field left out of a PATCH: the schema keeps it non-nullable, which mypy cannot see)
    title: Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", min_length=1, max_length=200)] = None  # type: ignore[assignment]
    description: Annotated[str, StringConstraints(pattern=r"^[^\x00]*$",
                                                  max_length=openings.MAX_DESCRIPTION)] | None = None
    kind: KindLiteral = None  # type: ignore[valid-type]
    city: Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=120)] | None = None
    country: Annotated[str, StringConstraints(pattern=r"^([A-Za-z]{2})?$")] | None = Field(
        None, description="ISO 3166 code where the work is; empty for none")
    remote: RemoteLiteral = None  # type: ignore[valid-type]
    countries_eligible: list[CountryCode] | None = Field(None, max_length=openings.MAX_COUNTRIES,
                                                         description="ISO 3166 codes; empty: anywhere")
    required_skills: list[Slug] | None = Field(None, max_length=openings.MAX_SKILLS,
                                               description="skill slugs from the shared list")
    preferred_skills: list[Slug] | None = Field(None, max_length=openings.MAX_SKILLS)
    required_credentials: list[RequiredCredential] | None = Field(None, max_length=openings.MAX_REQUIRED_CREDENTIALS)
    start_date: date | None = None
    duration_weeks: int | None = Field(None, ge=1, le=openings.MAX_DURATION_WEEKS)
    pay_min: Amount | None = None
    pay_max: Amount | None = None
    currency: Annotated[str, StringConstraints(pattern=r"^([A-Za-z]{3})?$")] | None = Field(
        None, description="ISO 4217 code, such as SGD")
    pay_period: PeriodLiteral | Literal[""] | None = None  # type: ignore[valid-type]
    seats: int = Field(None, ge=1, le=openings.MAX_SEATS)  # type: ignore[assignment]
    deadline: datetime | None = None
    who_may_apply: WhoLiteral = None  # type: ignore[valid-type]
    universities: list[Slug] | None = Field(None, max_length=openings.MAX_UNIVERSITIES,
                                            description="slugs of verified universities")


class OpeningCreateIn(OpeningFields):
    employer: Slug = Field(description="the employer organization's slug")
    title: Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", min_length=1, max_length=200)]


def opening_out(request, opening: Opening) -> OpeningOut:
    return OpeningOut(
        uuid=opening.uuid, url=request.build_absolute_uri(f"/talent/openings/{opening.uuid}/"), title=opening.title,
        employer=EmployerOut(slug=opening.organization.slug, name=opening.organization.name), status=opening.status,
        kind=opening.kind, description=opening.description, city=opening.city,
        country=opening.country.code if opening.country else "", remote=opening.remote,
        countries_eligible=openings.eligible_country_codes(opening),
        required_skills=[SkillOut(slug=s.slug, name=s.name) for s in opening.required_skills.all()],
        preferred_skills=[SkillOut(slug=s.slug, name=s.name) for s in opening.preferred_skills.all()],
        required_credentials=[RequiredCredential(**c) for c in opening.required_credentials or []],
        start_date=opening.start_date, duration_weeks=opening.duration_weeks,
        pay_min=None if opening.pay_min is None else str(opening.pay_min),
        pay_max=None if opening.pay_max is None else str(opening.pay_max),
        currency=opening.currency, pay_period=opening.pay_period, seats=opening.seats, deadline=opening.deadline,
        who_may_apply=opening.who_may_apply, universities=[u.slug for u in opening.universities.all()],
        featured=opening.featured_at is not None, published_at=opening.published_at, closed_at=opening.closed_at,
    )


def _fields(body: OpeningFields) -> dict:
    data = body.dict(exclude_unset=True, exclude={"employer"})
    if "required_credentials" in data and data["required_credentials"] is not None:
        data["required_credentials"] = [dict(c) for c in data["required_credentials"]]
    return data


def _visible(request, uuid: UUID) -> Opening:
    opening = openings.opening_visible(user=request.auth, uuid=uuid)
    if opening is None:
        raise HttpError(404, NOT_FOUND)
    return opening


def _reloaded(request, opening: Opening) -> OpeningOut:
    return opening_out(request, _visible(request, opening.uuid))


def _write(request, uuid: UUID, service, **kwargs) -> OpeningOut:
    opening = _visible(request, uuid)
    if service is not openings.opening_feature and not permissions.can_edit_opening(request.auth, opening):
        raise HttpError(404, NOT_FOUND)  # another organization's opening does not exist for them
    try:
        opening = service(actor=request.auth, opening=opening, **kwargs)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or "You may not do that.") from None
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from None
    return _reloaded(request, opening)


@router.get("/openings", response={200: OpeningPage, **errors(400, 401, 404, 422)}, auth=PUBLIC,
            openapi_extra=PUBLIC_SECURITY, summary="Search open openings",
            description="Open openings of verified employers whose deadline has not passed; featured first, then "
                        "the newest; 20 a page. `country`: work there, or remote work open to people there. "
                        "`min_pay` needs `currency` and `pay_period`: openings whose range reaches it in that "
                        "currency and period (amounts are never converted).")
def opening_search(request, page: int = Query(1, ge=1, le=MAX_PAGE), text: Line = "", skill: Slug | None = None,
                   kind: KindLiteral | None = None, country: CountryCode | None = None,  # type: ignore[valid-type]
                   remote: RemoteLiteral | None = None, min_pay: Amount | None = None,  # type: ignore[valid-type]
                   currency: CurrencyCode | None = None, pay_period: PeriodLiteral | None = None,  # type: ignore[valid-type]
                   employer: Slug | None = None):
    if min_pay is not None and not (currency and pay_period):
        raise HttpError(400, "min_pay needs currency and pay_period: amounts in different currencies are not compared.")
    filters = openings.SearchFilters(text=text.strip(), skill=skill or "", kind=kind or "",
                                     country=(country or "").upper(), remote=remote or "",
                                     min_pay=None if min_pay is None else Decimal(str(min_pay)),
                                     currency=(currency or "").upper(), pay_period=pay_period or "",
                                     employer=employer or "")
    queryset = openings.search(filters).prefetch_related("universities")
    count = queryset.count()
    pages = max(1, -(-count // openings.PAGE_SIZE))
    if page > pages:
        raise HttpError(404, f"page {page} does not exist; there are {pages}")
    rows = queryset[(page - 1) * openings.PAGE_SIZE: page * openings.PAGE_SIZE]
    return OpeningPage(count=count, page=page, pages=pages, results=[opening_out(request, o) for o in rows])


@router.get("/openings/{uuid}", response={200: OpeningOut, **errors(401, 404, 422)}, auth=PUBLIC,
            openapi_extra=PUBLIC_SECURITY, summary="One opening",
            description="Public when open or closed (a closed one says so); a draft only to its employer's admins "
                        "and staff and to operators (404 for anyone else).")
def opening_detail(request, uuid: UUID):
    return opening_out(request, _visible(request, uuid))


@router.post("/openings", response={201: OpeningOut, **errors(400, 401, 403, 404, 413, 422)},
             summary="Create a draft opening",
             description="By the employer's admins or staff (an unverified employer too: drafts wait for "
                         "verification) or an operator. 404 when the employer is not one you act for.")
def opening_create(request, body: OpeningCreateIn):
    organization = Organization.objects.filter(slug=body.employer, kind=OrganizationKind.EMPLOYER).first()
    if organization is None or not permissions.can_prepare_openings(request.auth, organization):
        raise HttpError(404, NOT_FOUND)
    try:
        opening = openings.opening_create(actor=request.auth, organization=organization, **_fields(body))
    except PermissionDenied:
        raise HttpError(404, NOT_FOUND) from None
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from None
    return Status(201, _reloaded(request, opening))


@router.patch("/openings/{uuid}", response={200: OpeningOut, **errors(400, 401, 403, 404, 413, 422)},
              summary="Change an opening (only the fields sent)",
              description="An open opening must stay complete (the checks of publishing).")
def opening_update(request, uuid: UUID, body: OpeningFields):
    _visible(request, uuid)  # a missing or hidden opening is a 404 whatever the body says
    return _write(request, uuid, openings.opening_update, **_fields(body))


@router.post("/openings/{uuid}/publish", response={200: OpeningOut, **errors(400, 401, 403, 404, 422)},
             summary="Publish a draft (or reopen a closed opening)",
             description="Needs a verified employer (403 otherwise) and a complete opening (400 says what is "
                         "missing). Publishing an open opening again changes nothing.")
def opening_publish(request, uuid: UUID):
    return _write(request, uuid, openings.opening_publish)


@router.post("/openings/{uuid}/close", response={200: OpeningOut, **errors(400, 401, 403, 404, 422)},
             summary="Close an open opening", description="Closing a closed opening again changes nothing.")
def opening_close(request, uuid: UUID):
    return _write(request, uuid, openings.opening_close)


@router.post("/openings/{uuid}/feature", response={200: OpeningOut, **errors(400, 401, 403, 404, 422)},
             summary="Feature an open opening, or stop featuring it (operators)",
             description="`?featured=false` takes the feature back. Featured openings come first in search.")
def opening_feature(request, uuid: UUID, featured: bool = True):
    opening = _visible(request, uuid)
    if not permissions.can_feature_opening(request.auth):
        raise HttpError(403, "Only the programme's operators feature openings.")
    return _write(request, opening.uuid, openings.opening_feature, featured=featured)
