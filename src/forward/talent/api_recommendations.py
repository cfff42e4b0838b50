"""Talent API: recommendations, with the explanation as structured JSON (see forward.matching.fit)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from forward.api_common import MAX_PAGE, errors
from forward.matching import fit as fitlib

from . import permissions, recommend
from .models import Opening
from .views_recommendations import opening_url, person_url

router = Router(tags=["talent"])


class CredentialLinkOut(Schema):
    uuid: str
    name: str
    url: str  # its public verification page


class SkillMatchOut(Schema):
    slug: str
    name: str
    level: int  # best certification level behind it (0: none is a certification)
    credentials: list[CredentialLinkOut]


class RequiredCredentialOut(Schema):
    kind: str
    level: int
    held: CredentialLinkOut | None = None  # what meets it, when met


class TermOut(Schema):
    code: str  # requirements, required_skills, required_credentials, preferred_skills, level, grade, percentile, country, availability, start
    points: float
    max_points: float
    detail: dict[str, Any]


class FitOut(Schema):
    score: float  # 0..100, the sum of the terms' points
    qualified: bool  # every required skill and credential met
    terms: list[TermOut]
    required_skills_met: list[SkillMatchOut]
    required_skills_missing: list[SkillMatchOut]
    preferred_skills_met: list[SkillMatchOut]
    preferred_skills_missing: list[SkillMatchOut]
    required_credentials_met: list[RequiredCredentialOut]
    required_credentials_missing: list[RequiredCredentialOut]


class OpeningRecommendationOut(Schema):
    uuid: UUID
    title: str
    employer: str
    kind: str
    country: str
    url: str
    fit: FitOut


class OpeningRecommendationPage(Schema):
    count: int
    page: int
    pages: int
    results: list[OpeningRecommendationOut]


class CandidateOut(Schema):
    profile_id: int
    name: str
    headline: str  # self-declared
    url: str  # their profile page
    application_stage: str  # their application to this opening ("" if none)
    fit: FitOut


class CandidatePage(Schema):
    count: int
    page: int
    pages: int
    results: list[CandidateOut]


def _link(request, uuid: str, name: str) -> dict:
    return {"uuid": uuid, "name": name, "url": request.build_absolute_uri(reverse("credentials:detail", args=[uuid]))}


def _skill(request, m: fitlib.SkillMatch) -> dict:
    return {"slug": m.slug, "name": m.name, "level": m.level,
            "credentials": [_link(request, c.uuid, c.name) for c in m.credentials]}


def fit_out(request, fit: fitlib.Fit) -> dict:
    return {
        "score": round(fit.score, 2), "qualified": fit.qualified,
        "terms": [t.as_json() for t in fit.terms],
        "required_skills_met": [_skill(request, m) for m in fit.required_met],
        "required_skills_missing": [_skill(request, m) for m in fit.required_missing],
        "preferred_skills_met": [_skill(request, m) for m in fit.preferred_met],
        "preferred_skills_missing": [_skill(request, m) for m in fit.preferred_missing],
        "required_credentials_met": [{"kind": c["kind"], "level": c["level"],
                                      "held": _link(request, c["uuid"], c["name"]) if c.get("uuid") else None}
                                     for c in fit.credentials_met],
        "required_credentials_missing": [{"kind": c["kind"], "level": c["level"]} for c in fit.credentials_missing],
    }


def _page_number(page, asked: int) -> None:
    if page.number != asked:
        raise HttpError(404, f"page {asked} does not exist; there are {page.paginator.num_pages}")


@router.get("/recommendations", response={200: OpeningRecommendationPage, **errors(401, 404, 422)},
            summary="Open openings ranked by how well your verified achievements fit them, each explained")
def recommendations(request, page: int = Query(1, ge=1, le=MAX_PAGE)):
    shown = recommend.openings_for(user=request.auth, page=page)
    _page_number(shown, page)
    return {"count": shown.paginator.count, "page": shown.number, "pages": shown.paginator.num_pages,
            "results": [{"uuid": r.opening.uuid, "title": r.opening.title, "employer": r.opening.organization.name,
                         "kind": r.opening.kind, "country": str(r.opening.country or ""),
                         "url": request.build_absolute_uri(opening_url(r.opening)), "fit": fit_out(request, r.fit)}
                        for r in shown.object_list]}


@router.get("/openings/{uuid}/candidates", response={200: CandidatePage, **errors(401, 404, 422)},
            summary="Visible candidates ranked by fit for your organization's opening, each explained")
def candidates(request, uuid: UUID, page: int = Query(1, ge=1, le=MAX_PAGE)):
    opening = get_object_or_404(Opening.objects.select_related("organization"), uuid=uuid)
    if not permissions.can_see_candidates(request.auth, opening):
        raise HttpError(404, "Not found.")  # the same answer as a missing opening
    shown = recommend.candidates_for(opening=opening, page=page)
    _page_number(shown, page)
    return {"count": shown.paginator.count, "page": shown.number, "pages": shown.paginator.num_pages,
            "results": [{"profile_id": r.profile.pk, "name": r.profile.user.display_name,
                         "headline": r.profile.headline, "url": request.build_absolute_uri(person_url(r.profile.pk)),
                         "application_stage": r.application_stage, "fit": fit_out(request, r.fit)}
                        for r in shown.object_list]}
