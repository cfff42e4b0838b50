"""Reads shared by pages and the API."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .models import Invitation, Membership, Organization, OrganizationKind, User


def organization_list(*, kind: str = "", country: str = "", query: str = "") -> QuerySet[Organization]:
    organizations = Organization.objects.with_member_counts()
    if kind:
        organizations = organizations.filter(kind=kind)
    if country:
        organizations = organizations.filter(country=country)
    if query:
        organizations = organizations.filter(Q(name__icontains=query) | Q(city__icontains=query))
    return organizations.order_by("name", "pk")


def verification_queue(*, state: str = "awaiting", query: str = "") -> QuerySet[Organization]:
    """Organizations awaiting verification, oldest first (or the verified ones, newest first), with
    who created them: one query a page."""
    organizations = Organization.objects.with_member_counts().select_related("created_by", "verified_by")
    if state == "verified":
        organizations = organizations.verified().order_by("-verified_at", "pk")
    else:
        organizations = organizations.awaiting_verification().order_by("created_at", "pk")
    if query:
        organizations = organizations.filter(Q(name__icontains=query) | Q(slug__icontains=query))
    return organizations


def organization_members(*, organization: Organization) -> QuerySet[Membership]:
    return organization.memberships.select_related("user").order_by("role", "user__name", "user__email")


def organization_open_invitations(*, organization: Organization) -> QuerySet[Invitation]:
    return organization.invitations.filter(
        accepted_at__isnull=True, cancelled_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("invited_by")


def user_memberships(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organization").order_by("organization__name")


def user_open_invitations(*, user: User) -> QuerySet[Invitation]:
    from allauth.account.models import EmailAddress

    emails = {user.email.lower()} | {
        e.lower() for e in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    }
    return Invitation.objects.filter(
        email__in=emails, accepted_at__isnull=True, cancelled_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("organization")


def platform_counts() -> dict[str, int]:
    """Live counts for the home page: two queries, whatever the data size. Only verified
    organizations count as partners."""
    org_counts = Organization.objects.verified().aggregate(
        organizations=Count("pk"),
        universities=Count("pk", filter=Q(kind=OrganizationKind.UNIVERSITY)),
        employers=Count("pk", filter=Q(kind=OrganizationKind.EMPLOYER)),
        countries=Count("country", distinct=True),
    )
    people = User.objects.filter(is_active=True).count()
    return {"people": people, **org_counts}
