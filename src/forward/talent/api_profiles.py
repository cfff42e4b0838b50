"""Talent API: profiles (your own, a person's for partner employers) and a career office's students."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal

from django.core.exceptions import ValidationError
from django.urls import reverse
from django_countries import countries as COUNTRIES
from ninja import Path, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field, field_validator, model_validator

from forward.api_common import MAX_PAGE, Slug, errors
from forward.core.models import MAX_ID, Organization

from . import permissions, profiles
from .models import Profile, Visibility

router = Router(tags=["talent"])

STUDENTS_PAGE = 50

if TYPE_CHECKING:  # literals built at run time: to mypy, plain strings
    CountryCode = str
    LanguageCode = str
else:
    CountryCode = Literal[tuple(code for code, _name in COUNTRIES)]  # ISO 3166-1 alpha-2, upper case
    LanguageCode = Literal[tuple(profiles.LANGUAGE_CODES)]


class LinkOut(Schema):
    label: str
    url: str


class VerifiedItemOut(Schema):
    uuid: str
    kind: str = Field(description="course_completion, course_achievement, programme, certification or competition")
    name: str
    detail: str
    issuer: str
    issued_at: datetime
    valid_until: datetime | None
    expired: bool
    verify_url: str = Field(description="the credential's public verification page")
    grade: float | None = Field(None, description="course certificates: 0..1")
    designation: str = ""
    level: int | None = Field(None, description="certifications: 1 associate, 2 professional, 3 expert")
    level_name: str = ""
    track: str = ""
    rank: int | None = None
    teams: int | None = None
    percentile: float | None = Field(None, description="competition placings: 100 = first")
    skills: list[str] = Field(description="slugs of the skills it backs (none when expired)")


class VerifiedSkillOut(Schema):
    slug: str
    name: str
    level: int = Field(description="the best certification level among the credentials that back it (0: none)")
    credentials: list[str] = Field(description="uuids of the credentials that back it")


class VerifiedOut(Schema):
    items: list[VerifiedItemOut]
    skills: list[VerifiedSkillOut]


class PersonOut(Schema):
    id: int
    name: str
    url: str
    headline: str = Field(description="self-declared, as everything but `verified`")
    about: str
    links: list[LinkOut]
    languages: list[str]
    available_for: list[str]
    available_from: date | None
    countries: list[str]
    cv_url: str | None
    verified: VerifiedOut


class ProfileOut(PersonOut):
    # pydantic lets a subclass widen a field (the schema shows both); mypy takes it for an unsafe override.
    id: int | None = Field(description="null until something is first stored on the profile")  # type: ignore[assignment]
    url: str | None = Field(description="where partners see the profile; null until it is first stored")  # type: ignore[assignment]
    visibility: Literal["hidden", "partners", "public"]
    consent_at: datetime | None
    public_url: str | None = Field(description="the shareable link, while the profile is public")


class LinkIn(Schema):
    label: str = Field("", max_length=80)
    url: str = Field(max_length=500, pattern=profiles.HTTPS_URL.pattern, description="https:// only")


class ProfileIn(Schema):
    """Only the fields given change."""

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data):
        if isinstance(data, dict) or (hasattr(data, "_obj") and isinstance(data._obj, dict)):
            return data
        raise ValueError("send a JSON object of the fields to change")

    @field_validator("available_from", mode="before")
    @classmethod
    def _a_date_string(cls, value):
        if value is not None and not isinstance(value, str | date):
            raise ValueError("give a date as YYYY-MM-DD")
        return value

    headline: str | None = Field(None, max_length=140)
    about: str | None = Field(None, max_length=4000)
    links: list[LinkIn] | None = Field(None, max_length=profiles.MAX_LINKS)
    languages: list[LanguageCode] | None = Field(None, max_length=profiles.MAX_LANGUAGES,
                                        description="language codes: en, zh-hans, ms, id, …")
    available_for: list[Literal["internship", "graduate", "job"]] | None = Field(None, max_length=3)
    available_from: date | None = Field(None, description="a date, YYYY-MM-DD")
    countries: list[CountryCode] | None = Field(None, max_length=profiles.MAX_COUNTRIES,
                                        description="ISO 3166-1 alpha-2 codes of the countries you can work in")


class VisibilityIn(Schema):
    visibility: Literal["hidden", "partners", "public"]


class StudentOut(Schema):
    name: str
    email: str
    placement: Literal["hired", "offer", "interviewing", "applied", "none"]
    employer: str | None = Field(description="the employer of the application that gives the placement")
    opening: str | None
    applications: int


class StudentPage(Schema):
    count: int
    page: int
    pages: int
    counts: dict[str, int] = Field(description="students at each placement")
    results: list[StudentOut]


def _person(request, profile: Profile, *, cv_url: str | None) -> dict:
    section = profiles.verified_section(profile.user)
    return {
        "id": profile.pk, "name": profile.user.display_name,
        "url": request.build_absolute_uri(profiles.person_url(profile)) if profile.pk else None,
        "headline": profile.headline, "about": profile.about,
        "links": [{"label": str(link.get("label", "")), "url": str(link.get("url", ""))} for link in profile.links],
        "languages": list(profile.languages), "available_for": list(profile.available_for),
        "available_from": profile.available_from, "countries": profile.country_list,
        "cv_url": cv_url,
        "verified": {"items": [vars(item) for item in section.items],
                     "skills": [{"slug": s.slug, "name": s.name, "level": s.level,
                                 "credentials": [c.uuid for c in s.credentials]} for s in section.skills]},
    }


def _own(request, profile: Profile) -> dict:
    cv = request.build_absolute_uri(reverse("talent:person_cv", args=[profile.pk])) if profile.cv.name else None
    return {**_person(request, profile, cv_url=cv), "visibility": profile.visibility,
            "consent_at": profile.consent_at,
            "public_url": profiles.public_url(profile) if profile.visibility == Visibility.PUBLIC else None}


@router.get("/profile", response={200: ProfileOut, **errors(401)}, summary="Your talent profile")
def profile_get(request):
    return _own(request, profiles.profile_read(request.auth))


@router.patch("/profile", response={200: ProfileOut, **errors(400, 401, 413, 422)},
              summary="Change what you declare on your profile",
              description="Only the fields given change. Links: at most 5, https only; countries: ISO codes. "
                          "A field that fails its check is a 400 naming it, and nothing is stored.")
def profile_patch(request, changes: ProfileIn):
    given = changes.model_dump(exclude_unset=True)
    if "links" in given and given["links"] is None:
        given["links"] = []
    for name in ("languages", "available_for", "countries"):
        if name in given and given[name] is None:
            given[name] = []
    try:
        profile = profiles.profile_update(user=request.auth, **given)
    except ValidationError as exc:
        raise HttpError(400, " ".join(_messages(exc))) from None
    return _own(request, profile)


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{name}: {message}" for name, messages in exc.message_dict.items() for message in messages]
    return exc.messages


@router.post("/profile/visibility", response={200: ProfileOut, **errors(400, 401, 413, 422)},
             summary="Choose who can see your profile (records the time of your consent)",
             description="hidden: only you; partners: verified partner employers' people and operators; "
                         "public: also anyone with the shareable link.")
def profile_visibility(request, choice: VisibilityIn):
    try:
        profile = profiles.set_visibility(user=request.auth, visibility=choice.visibility)
    except ValidationError as exc:
        raise HttpError(400, " ".join(_messages(exc))) from None
    return _own(request, profile)


@router.get("/profile/resume", response={200: dict[str, Any], **errors(401)},
            summary="Your profile as a JSON Resume (jsonresume.org schema v1)",
            description="Verified items carry their credentials' verification URLs.")
def profile_resume(request):
    return profiles.json_resume(request.auth)


@router.get("/people/{profile_id}", response={200: PersonOut, **errors(401, 404, 422)},
            summary="A person's profile (partner employers and operators, while it is visible to them)",
            description="404 for a hidden profile, and for anyone who may not see it: the same answer as for "
                        "an id that does not exist.")
def person(request, profile_id: int = Path(..., ge=1, le=MAX_ID)):
    profile = Profile.objects.select_related("user").filter(pk=profile_id).first()
    if profile is None or not permissions.can_view_person(request.auth, profile):
        raise HttpError(404, "Not found.")
    cv = (request.build_absolute_uri(reverse("talent:person_cv", args=[profile.pk]))
          if profile.cv.name else None)
    return _person(request, profile, cv_url=cv)


@router.get("/universities/{slug}/students", response={200: StudentPage, **errors(401, 404, 422)},
            summary="A career office's students and their placement (its admins and operators)",
            description="Placement comes from the stages of their applications; employers' notes are never "
                        "included. 404 for anyone else.")
def students(request, slug: Slug, page: int = Query(1, ge=1, le=MAX_PAGE)):
    university = Organization.objects.filter(slug=slug).first()
    if university is None or not permissions.can_see_students(request.auth, university):
        raise HttpError(404, "Not found.")
    queryset = profiles.students(university=university)
    count = queryset.count()
    pages = max(1, -(-count // STUDENTS_PAGE))
    if page > pages:
        raise HttpError(404, f"page {page} does not exist; there are {pages}")
    rows = queryset[(page - 1) * STUDENTS_PAGE: page * STUDENTS_PAGE]
    results = []
    for m in rows:
        placement = profiles.placement_of(m.best)
        results.append({"name": m.user.display_name, "email": m.user.email, "placement": placement,
                        "employer": m.best_employer if placement != "none" else None,
                        "opening": m.best_opening if placement != "none" else None,
                        "applications": m.applications or 0})
    return {"count": count, "page": page, "pages": pages,
            "counts": profiles.placement_counts(university=university), "results": results}
