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

from django.db.models import Q, QuerySet

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


def can_run_call(user: User, call) -> bool:
    """Edit the call, its questions, rubric and panels, see every application and the ranking, and
    decide: programme staff of the call's organizer (and operators)."""
    return can_run_programme(user, call.organizer)


def can_create_call(user: User) -> bool:
    return is_programme_staff(user)


def can_view_call(user: User, call) -> bool:
    """A published call (open, closed or decided) is public; a draft only for its staff."""
    return call.status != "draft" or can_run_call(user, call)


def can_view_cohort(user: User, call) -> bool:
    """The cohort (accepted startups) is public once the call is decided; its staff see it earlier."""
    return call.status == "decided" or can_run_call(user, call)


def can_apply(user: User, organization: Organization) -> bool:
    """Draft, answer and submit the startup's applications: its admins and staff, verified or not."""
    return can_prepare_startup(user, organization)


def is_conflicted(user: User, application) -> bool:
    from .models import Conflict

    return user.is_authenticated and Conflict.objects.filter(judge=user, application=application).exists()


def is_seated_judge(user: User, application) -> bool:
    """Seated on a panel of the application's call that scores it (every submitted application of
    the call when the panel has none assigned, else the assigned ones). Conflicts not counted."""
    from .models import Panel, PanelJudge

    if not user.is_authenticated or application.status == "draft":
        return False
    panels = PanelJudge.objects.filter(user=user, panel__call_id=application.call_id).values("panel_id")
    return Panel.objects.filter(pk__in=panels).filter(
        Q(applications=None) | Q(applications=application)).exists()


def can_judge(user: User, application) -> bool:
    """See and score the application as a judge: seated on a panel that scores it and not
    conflicted on it. Power only from the seat staff granted."""
    return is_seated_judge(user, application) and not is_conflicted(user, application)


def can_view_application(user: User, application) -> bool:
    """The startup's admins and staff, the call's staff, and its judges who are not conflicted."""
    if not user.is_authenticated:
        return False
    return (can_apply(user, application.startup.organization) or can_run_call(user, application.call)
            or can_judge(user, application))


# --- events ----------------------------------------------------------------------------------------


# --- innovation centre -----------------------------------------------------------------------------
