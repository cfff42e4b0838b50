"""Who may do what with organizations, and who acts in whose name. The one place these rules live.

Power comes only from a role someone else granted:
- programme operators are site staff (`is_staff`, granted by another operator or by
  `forward manage createsuperuser`), never the kind or name of an organization;
- an organization acts for nobody but itself until an operator has verified it;
- acting in a verified organization's name (publishing, hosting, vouchers) needs its admin role or
  the staff role an admin granted; plain membership of a university means being its student.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from .models import ACTING_ROLES, Membership, Organization, OrganizationKind, Role, User
from .types import AnyUser

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


def is_operator(user: AnyUser) -> bool:
    """A programme operator: site staff, and nothing a user can set about themselves."""
    return bool(user.is_authenticated and user.is_active and (user.is_staff or user.is_superuser))


# --- Membership: read once per user object ---------------------------------------------------------
# Every rule reads someone's memberships through these helpers: one query per user object (a request's
# user), cached on it as `_forward_memberships`. A service that adds, removes or changes a membership
# calls `forget_memberships` on the user objects concerned, so the same object never answers from a
# stale cache. Querysets that filter by membership use `organizations_where` (a subquery, no cache).


def _memberships(user: AnyUser) -> dict[int, Membership]:
    if not user.is_authenticated:
        return {}
    cache: dict[int, Membership] | None = getattr(user, "_forward_memberships", None)
    if cache is None:
        cache = {m.organization_id: m for m in Membership.objects.filter(user=user).select_related("organization")}
        setattr(user, "_forward_memberships", cache)  # noqa: B010 - a cache on the object, not a model field
    return cache


def forget_memberships(*users: User | None) -> None:
    """Drop the cached memberships of these user objects (after a membership of theirs changed)."""
    for user in users:
        if user is not None and hasattr(user, "_forward_memberships"):
            del user._forward_memberships


def membership_of(user: AnyUser, organization: Organization | int) -> Membership | None:
    """This person's membership of the organization (an Organization or its id), or None."""
    return _memberships(user).get(organization if isinstance(organization, int) else organization.pk)


def role_in(user: AnyUser, organization: Organization | int) -> str | None:
    membership = membership_of(user, organization)
    return membership.role if membership else None


def is_member(user: AnyUser, organization: Organization | int, *, roles: Iterable[str] | None = None) -> bool:
    """A member of the organization (with one of `roles`, when given)."""
    membership = membership_of(user, organization)
    return membership is not None and (roles is None or membership.role in roles)


def member_of_any(user: AnyUser, organizations: Iterable[Organization | int], *,
                  roles: Iterable[str] | None = None) -> bool:
    """A member of at least one of the organizations (with one of `roles`, when given)."""
    return any(is_member(user, organization, roles=roles) for organization in organizations)


def is_member_of_kind(user: AnyUser, kinds: Iterable[str], *, roles: Iterable[str] | None = None) -> bool:
    """A member of some organization of one of these kinds (with one of `roles`, when given)."""
    kinds = set(kinds)
    return any(m.organization.kind in kinds and (roles is None or m.role in roles)
               for m in _memberships(user).values())


def organizations_where(user: AnyUser, *, roles: Iterable[str] | None = None) -> QuerySet[Membership, Mapping[str, object]]:
    """The ids of the organizations this person is a member of (with one of `roles`, when given),
    as a subquery for queryset filters: `qs.filter(owner_id__in=organizations_where(user, roles=...))`."""
    if not user.is_authenticated:
        return Membership.objects.none().values("organization_id")
    qs = Membership.objects.filter(user=user)
    if roles is not None:
        qs = qs.filter(role__in=list(roles))
    return qs.values("organization_id")


def can_create_organization(user: AnyUser) -> bool:
    return user.is_authenticated and user.is_active


def kinds_for(user: AnyUser) -> list[tuple[str, str | _StrPromise]]:
    """The kinds this person may give an organization: "programme operator" only by operators, so
    nobody makes their organization look like the programme's office."""
    if is_operator(user):
        return list(OrganizationKind.choices)
    return [(value, label) for value, label in OrganizationKind.choices if value != OrganizationKind.OPERATOR]


def can_view_members(user: AnyUser, organization: Organization) -> bool:
    """Member lists are private to the organization (a university's students are not public)."""
    return user.is_authenticated and (is_operator(user) or membership_of(user, organization) is not None)


def can_manage_organization(user: AnyUser, organization: Organization) -> bool:
    """Edit details, invite, remove members, change roles: the organization's admins (verified or
    not: an unverified organization still manages itself) and operators."""
    if not user.is_authenticated:
        return False
    if is_operator(user):
        return True
    return role_in(user, organization) == Role.ADMIN


def can_remove_membership(user: AnyUser, membership: Membership) -> bool:
    """Admins remove anyone; every member may leave."""
    if user.is_authenticated and membership.user_id == user.pk:
        return True
    return can_manage_organization(user, membership.organization)


def can_verify_organizations(user: AnyUser) -> bool:
    return is_operator(user)


def has_acting_role(user: AnyUser, organization: Organization) -> bool:
    """Admin or staff of the organization (whether or not it is verified yet): prepares drafts in
    its name."""
    return is_operator(user) or role_in(user, organization) in ACTING_ROLES


def can_act_for(user: AnyUser, organization: Organization) -> bool:
    """Publish, host, issue in the organization's name: its admins and staff, once it is verified."""
    if not user.is_authenticated:
        return False
    if is_operator(user):
        return True
    return organization.is_verified and role_in(user, organization) in ACTING_ROLES


def can_administer(user: AnyUser, organization: Organization) -> bool:
    """Admin-only powers over others in the organization's name (vouchers, a university's runs):
    its admins once it is verified, and operators."""
    if not user.is_authenticated:
        return False
    if is_operator(user):
        return True
    return organization.is_verified and role_in(user, organization) == Role.ADMIN


def _organizations_with_role(user: AnyUser, roles: Iterable[str], verified_only: bool) -> QuerySet[Organization]:
    if not user.is_authenticated:
        return Organization.objects.none()
    qs = Organization.objects.verified() if verified_only else Organization.objects.all()
    if is_operator(user):
        return qs
    return qs.filter(pk__in=organizations_where(user, roles=roles))


def acting_organizations(user: AnyUser, *, verified_only: bool = False) -> QuerySet[Organization]:
    """Organizations this person prepares work for (admin or staff); every one for operators."""
    return _organizations_with_role(user, ACTING_ROLES, verified_only)


def administered_organizations(user: AnyUser, *, verified_only: bool = False) -> QuerySet[Organization]:
    """Organizations whose admin this person is; every one for operators."""
    return _organizations_with_role(user, [Role.ADMIN], verified_only)


def is_student_of_verified_university(user: AnyUser) -> bool:
    """"University students only" eligibility: a member of a verified university."""
    return any(m.organization.kind == OrganizationKind.UNIVERSITY and m.organization.is_verified
               for m in _memberships(user).values())
