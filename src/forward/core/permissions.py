"""Who may do what with organizations. The one place these rules live."""

from __future__ import annotations

from .models import Membership, Organization, Role, User


def membership_of(user: User, organization: Organization) -> Membership | None:
    if not user.is_authenticated:
        return None
    cache = getattr(user, "_forward_memberships", None)
    if cache is None:
        cache = {m.organization_id: m for m in Membership.objects.filter(user=user)}
        user._forward_memberships = cache
    return cache.get(organization.pk)


def can_create_organization(user: User) -> bool:
    return user.is_authenticated and user.is_active


def can_view_members(user: User, organization: Organization) -> bool:
    """Member lists are private to the organization (a university's students are not public)."""
    return user.is_authenticated and (user.is_superuser or membership_of(user, organization) is not None)


def can_manage_organization(user: User, organization: Organization) -> bool:
    """Edit details, invite, remove members, change roles: the organization's admins."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    membership = membership_of(user, organization)
    return membership is not None and membership.role == Role.ADMIN


def can_remove_membership(user: User, membership: Membership) -> bool:
    """Admins remove anyone; every member may leave."""
    if user.is_authenticated and membership.user_id == user.pk:
        return True
    return can_manage_organization(user, membership.organization)
