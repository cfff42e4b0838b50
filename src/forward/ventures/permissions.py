"""Who may do what in the entrepreneurs programme. The one place these rules live; each area adds
its rules in its own section below.

Power comes only from a role someone else granted:
- a *startup* is an organization of kind startup; its admins (the founders) and staff act for it.
  Unverified, it keeps its profile and may apply to programme calls (staff review every
  application), but it is not listed to investors and asks nobody for anything;
- an *investor* is a verified organization of kind investor (the kind was checked by the operator
  who verified it; changing it asks for verification again); its admins and staff act for it:
  see startups' traction and rounds, ask for introductions, keep a pipeline;
- *programme staff* are the acting members of a verified innovation centre or of the programme
  office (organizations of kind innovation_centre or operator), and operators (site staff): they
  run calls, panels, events, the centre's services and credit budgets;
- a *judge* is a person programme staff put on a panel, nothing they can grant themselves.
"""

from __future__ import annotations

from django.db.models import QuerySet

from forward.core import permissions as core_permissions
from forward.core.models import ACTING_ROLES, Membership, Organization, OrganizationKind, User

is_operator = core_permissions.is_operator

PROGRAMME_KINDS = (OrganizationKind.INNOVATION_CENTRE, OrganizationKind.OPERATOR)


def _acting(user: User, kinds, *, verified_only: bool) -> QuerySet[Organization]:
    if not user.is_authenticated:
        return Organization.objects.none()
    qs = Organization.objects.filter(kind__in=kinds)
    if verified_only:
        qs = qs.verified()
    if is_operator(user):
        return qs
    return qs.filter(pk__in=Membership.objects.filter(user=user, role__in=ACTING_ROLES).values("organization_id"))


def startup_organizations(user: User, *, verified_only: bool = False) -> QuerySet[Organization]:
    """Startups this person acts for (admin or staff), verified or not unless asked; every one for
    operators."""
    return _acting(user, [OrganizationKind.STARTUP], verified_only=verified_only)


def investor_organizations(user: User) -> QuerySet[Organization]:
    """Verified investors this person acts for; every verified investor for operators."""
    return _acting(user, [OrganizationKind.INVESTOR], verified_only=True)


def programme_organizers(user: User) -> QuerySet[Organization]:
    """Verified innovation centres and programme offices this person runs programmes for."""
    return _acting(user, PROGRAMME_KINDS, verified_only=True)


def can_prepare_startup(user: User, organization: Organization) -> bool:
    """Edit the startup's profile and draft and submit its applications: its admins and staff,
    verified or not, and operators."""
    return (user.is_authenticated and organization.kind == OrganizationKind.STARTUP
            and core_permissions.has_acting_role(user, organization))


def can_act_for_startup(user: User, organization: Organization) -> bool:
    """Act towards others in the startup's name (introductions, events, confirming investments):
    its admins and staff once it is verified, and operators."""
    return (user.is_authenticated and organization.kind == OrganizationKind.STARTUP
            and core_permissions.can_act_for(user, organization))


def can_act_for_investor(user: User, organization: Organization) -> bool:
    """Investor powers in the organization's name: its admins and staff once it is verified, and
    operators."""
    return (user.is_authenticated and organization.kind == OrganizationKind.INVESTOR
            and core_permissions.can_act_for(user, organization))


def is_investor(user: User) -> bool:
    """Acts for at least one verified investor (operators count: they oversee the programme)."""
    return user.is_authenticated and (is_operator(user) or investor_organizations(user).exists())


def can_run_programme(user: User, organization: Organization) -> bool:
    """Run calls, panels, events, services and budgets in this organization's name."""
    return (user.is_authenticated and organization.kind in PROGRAMME_KINDS
            and core_permissions.can_act_for(user, organization))


def is_programme_staff(user: User) -> bool:
    return user.is_authenticated and (is_operator(user) or programme_organizers(user).exists())


# --- directory (startups, investors, discovery, decks) ------------------------------------------


# --- introductions ---------------------------------------------------------------------------------


# --- pipeline --------------------------------------------------------------------------------------


# --- cohorts and judging ---------------------------------------------------------------------------


# --- events ----------------------------------------------------------------------------------------


# --- innovation centre -----------------------------------------------------------------------------
# Clients of a centre are SMEs and startups. Taking the readiness assessment is a self-assessment:
# any acting member (admin or staff) of an SME or startup, verified or not. Asking the centre for
# something (a service, an office-hours slot, credits) needs the organization verified. A centre's
# staff are can_run_programme on it (verified centres only; operators too); experts are its acting
# members. Readiness results: members of the organization, and staff of the centre it was shared with.

CLIENT_KINDS = (OrganizationKind.SME, OrganizationKind.STARTUP)


def centres() -> QuerySet[Organization]:
    """Verified innovation centres, whose catalogues and office hours are public."""
    return Organization.objects.verified().filter(kind=OrganizationKind.INNOVATION_CENTRE)


def assessment_organizations(user: User) -> QuerySet[Organization]:
    """SMEs and startups this person may take the readiness assessment for (acting members; not
    operators: it is a self-assessment)."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(kind__in=CLIENT_KINDS, pk__in=Membership.objects.filter(
        user=user, role__in=ACTING_ROLES).values("organization_id"))


def client_organizations(user: User) -> QuerySet[Organization]:
    """Verified SMEs and startups this person may ask the centre for something in the name of."""
    return assessment_organizations(user).filter(verified_at__isnull=False)


def can_take_assessment(user: User, organization: Organization) -> bool:
    return (user.is_authenticated and organization.kind in CLIENT_KINDS
            and core_permissions.role_in(user, organization) in ACTING_ROLES)


def can_request_services(user: User, organization: Organization) -> bool:
    return can_take_assessment(user, organization) and organization.is_verified


def can_see_assessment(user: User, assessment) -> bool:
    if not user.is_authenticated:
        return False
    if core_permissions.role_in(user, assessment.organization) is not None:
        return True
    return assessment.shared_with is not None and can_run_programme(user, assessment.shared_with)


def can_manage_catalogue(user: User, centre: Organization) -> bool:
    """Add, edit, retire and reactivate a centre's services: its programme staff, once the centre is a
    verified innovation centre (an unverified one has no public catalogue to manage)."""
    return (centre.kind == OrganizationKind.INNOVATION_CENTRE and centre.is_verified
            and can_run_programme(user, centre))


def can_see_request(user: User, service_request) -> bool:
    """The requesting organization's acting members, and the centre's staff."""
    return (core_permissions.role_in(user, service_request.organization) in ACTING_ROLES
            if user.is_authenticated else False) or can_run_programme(user, service_request.service.centre)


def is_expert_of(user: User, centre: Organization) -> bool:
    """Someone staff may assign work or office hours to: an acting member of the centre."""
    return user.is_authenticated and core_permissions.role_in(user, centre) in ACTING_ROLES


def can_see_booking(user: User, slot) -> bool:
    """A booked slot's details and .ics: the booking organization's acting members, the expert, and
    the centre's staff."""
    if not user.is_authenticated:
        return False
    if slot.expert_id == user.pk or can_run_programme(user, slot.centre):
        return True
    return slot.booked_by_org is not None and core_permissions.role_in(user, slot.booked_by_org) in ACTING_ROLES


def can_apply_for_credits(user: User, organization: Organization) -> bool:
    """A verified startup's admins and staff (the cohort rule is the service's: it depends on the budget)."""
    return (organization.kind == OrganizationKind.STARTUP and organization.is_verified
            and can_take_assessment(user, organization))


def can_see_grant(user: User, grant) -> bool:
    return (user.is_authenticated and core_permissions.role_in(user, grant.startup) in ACTING_ROLES) \
        or can_run_programme(user, grant.budget.organizer)
