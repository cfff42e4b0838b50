"""Who may do what with organizations, and who acts in whose name. The one place these rules live.

Power comes only from a role someone else granted:
- programme operators are site staff (`is_staff`, granted by another operator or by
  `forward manage createsuperuser`), never the kind or name of an organization;
- an organization acts for nobody but itself until an operator has verified it;
- acting in a verified organization's name (publishing, hosting, vouchers) needs its admin role or
  the staff role an admin granted; plain membership of a university means being its student.
"""

from __future__ import annotations

from django.db.models import QuerySet

from .models import ACTING_ROLES, Membership, Organization, OrganizationKind, Role, User


def is_operator(user: User) -> bool:
    """A programme operator: site staff, and nothing a user can set about themselves."""
    return bool(user.is_authenticated and user.is_active and (user.is_staff or user.is_superuser))


def membership_of(user: User, organization: Organization) -> Membership | None:
    if not user.is_authenticated:
        return None
    cache = getattr(user, "_forward_memberships", None)
    if cache is None:
        cache = {m.organization_id: m for m in Membership.objects.filter(user=user)}
        user._forward_memberships = cache
    return cache.get(organization.pk)


def role_in(user: User, organization: Organization) -> str | None:
    membership = membership_of(user, organization)
    return membership.role if membership else None


def can_create_organization(user: User) -> bool:
    return user.is_authenticated and user.is_active


def kinds_for(user: User) -> list[tuple[str, str]]:
    """The kinds this person may give an organization: "programme operator" only by operators, so
    nobody makes their organization look like the programme's office."""
    if is_operator(user):
        return list(OrganizationKind.choices)
    return [(value, label) for value, label in OrganizationKind.choices if value != OrganizationKind.OPERATOR]


def can_view_members(user: User, organization: Organization) -> bool:
    """Member lists are private to the organization (a university's students are not public)."""
    return user.is_authenticated and (is_operator(user) or membership_of(user, organization) is not None)


def can_manage_organization(user: User, organization: Organization) -> bool:
    """Edit details, invite, remove members, change roles: the organization's admins (verified or
    not: an unverified organization still manages itself) and operators."""
    if not user.is_authenticated:
        return False
    if is_operator(user):
        return True
    return role_in(user, organization) == Role.ADMIN


def can_remove_membership(user: User, membership: Membership) -> bool:
    """Admins remove anyone; every member may leave."""
    if user.is_authenticated and membership.user_id == user.pk:
        return True
    return can_manage_organization(user, membership.organization)


def can_verify_organizations(user: User) -> bool:
    return is_operator(user)


def has_acting_role(user: User, organization: Organization) -> bool:
    """Admin or staff of the organization (whether or not it is verified yet): prepares drafts in
    its name."""
    return is_operator(user) or role_in(user, organization) in ACTING_ROLES


def can_act_for(user: User, organization: Organization) -> bool:
    """Publish, host, issue in the organization's name: its admins and staff, once it is verified."""
    if not user.is_authenticated:
        return False
    if is_operator(user):
        return True
    return organization.is_verified and role_in(user, organization) in ACTING_ROLES


def can_administer(user: User, organization: Organization) -> bool:
    """Admin-only powers over others in the organization's name (vouchers, a university's runs):
    its admins once it is verified, and operators."""
    if not user.is_authenticated:
        return False
    if is_operator(user):
        return True
    return organization.is_verified and role_in(user, organization) == Role.ADMIN


def _organizations_with_role(user: User, roles, verified_only: bool) -> QuerySet[Organization]:
    if not user.is_authenticated:
        return Organization.objects.none()
    qs = Organization.objects.verified() if verified_only else Organization.objects.all()
    if is_operator(user):
        return qs
    return qs.filter(pk__in=Membership.objects.filter(user=user, role__in=roles).values("organization_id"))


def acting_organizations(user: User, *, verified_only: bool = False) -> QuerySet[Organization]:
    """Organizations this person prepares work for (admin or staff); every one for operators."""
    return _organizations_with_role(user, ACTING_ROLES, verified_only)


def administered_organizations(user: User, *, verified_only: bool = False) -> QuerySet[Organization]:
    """Organizations whose admin this person is; every one for operators."""
    return _organizations_with_role(user, [Role.ADMIN], verified_only)


def is_student_of_verified_university(user: User) -> bool:
    """"University students only" eligibility: a member of a verified university."""
    return user.is_authenticated and Membership.objects.filter(
        user=user, organization__kind=OrganizationKind.UNIVERSITY, organization__verified_at__isnull=False).exists()
