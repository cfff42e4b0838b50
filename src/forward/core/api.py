"""The /api/v1 endpoints for people and organizations."""

from __future__ import annotations

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from forward.api_auth import PUBLIC
from forward.api_common import MAX_PAGE, PUBLIC_SECURITY, Slug, Text, errors

from . import permissions, selectors
from .models import Organization

router = Router(tags=["people and organizations"])


class MembershipOut(Schema):
    organization: str
    organization_name: str
    kind: str
    role: str


class MeOut(Schema):
    id: int
    email: str
    name: str
    country: str
    preferred_language: str
    time_zone: str
    date_joined: datetime
    memberships: list[MembershipOut]


class OrganizationOut(Schema):
    slug: str
    name: str
    kind: str
    country: str
    city: str
    website: str
    description: str
    member_count: int
    verified: bool  # checked by a programme operator; an unverified organization acts for nobody else


class OrganizationPage(Schema):
    count: int
    page: int
    pages: int
    results: list[OrganizationOut]


class MemberOut(Schema):
    name: str
    email: str
    role: str


def _organization_out(org: Organization) -> OrganizationOut:
    return OrganizationOut(
        slug=org.slug, name=org.name, kind=org.kind, country=org.country.code, city=org.city,
        website=org.website, description=org.description, member_count=getattr(org, "member_count", 0),
        verified=org.is_verified,
    )


@router.get("/me", response={200: MeOut, **errors(401)}, summary="The person calling")
def me(request):
    user = request.auth
    return MeOut(
        id=user.pk, email=user.email, name=user.name, country=user.country.code or "",
        preferred_language=user.preferred_language, time_zone=user.time_zone, date_joined=user.date_joined,
        memberships=[
            MembershipOut(organization=m.organization.slug, organization_name=m.organization.name,
                          kind=m.organization.kind, role=m.role)
            for m in selectors.user_memberships(user=user)
        ],
    )


PAGE_SIZE = 50


@router.get("/organizations", response={200: OrganizationPage, **errors(401, 404, 422)}, auth=PUBLIC,
            openapi_extra=PUBLIC_SECURITY, summary="Organizations (public)")
def organizations(request, page: int = Query(1, ge=1, le=MAX_PAGE), kind: Text = "", country: Text = "",
                  q: Text = ""):
    queryset = selectors.organization_list(kind=kind, country=country.upper(), query=q[:100])
    count = queryset.count()
    pages = max(1, -(-count // PAGE_SIZE))
    if page > pages:
        raise HttpError(404, f"page {page} does not exist; there are {pages}")
    rows = queryset[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return OrganizationPage(count=count, page=page, pages=pages, results=[_organization_out(o) for o in rows])


@router.get("/organizations/{slug}", response={200: OrganizationOut, **errors(401, 404, 422)}, auth=PUBLIC,
            openapi_extra=PUBLIC_SECURITY, summary="One organization (public)")
def organization(request, slug: Slug):
    return _organization_out(get_object_or_404(Organization.objects.with_member_counts(), slug=slug))


@router.get("/organizations/{slug}/members", response={200: list[MemberOut], **errors(401, 404, 422)},
            summary="Members (the organization's own members only)")
def organization_members(request, slug: Slug):
    org = get_object_or_404(Organization, slug=slug)
    if not permissions.can_view_members(request.auth, org):
        # Same answer as a missing organization: do not confirm who belongs where.
        raise HttpError(404, "Not found.")
    return [
        MemberOut(name=m.user.name, email=m.user.email, role=m.role)
        for m in selectors.organization_members(organization=org)[:1000]
    ]
