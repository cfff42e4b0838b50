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
# Introductions and their threads are between the two organizations' own people: acting members
# (admins, staff) of a verified startup or investor. Operators oversee the programme, so they act
# for every organization elsewhere, but they neither ask, answer nor read here: a private thread
# stays private (operators see counts only, `intros.counts`).

INTRO_KINDS = (OrganizationKind.STARTUP, OrganizationKind.INVESTOR)


def is_member_acting_for(user: User, organization: Organization) -> bool:
    """Admin or staff of this verified organization by a granted membership (operator status adds
    nothing)."""
    return (user.is_authenticated and organization.is_verified
            and core_permissions.role_in(user, organization) in ACTING_ROLES)


def intro_organizations(user: User) -> QuerySet[Organization]:
    """The verified startups and investors this person asks and answers introductions for."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.verified().filter(
        kind__in=INTRO_KINDS,
        pk__in=Membership.objects.filter(user=user, role__in=ACTING_ROLES).values("organization_id"))


def can_ask_intro(user: User, asker: Organization, target: Organization) -> bool:
    """Ask `target` for an introduction in `asker`'s name: an acting member of a verified startup
    asking a verified investor, or the other way round."""
    return (asker.kind in INTRO_KINDS and target.kind in INTRO_KINDS and asker.kind != target.kind
            and target.is_verified and is_member_acting_for(user, asker))


def can_answer_intro(user: User, introduction) -> bool:
    """Accept or decline: an acting member of the organization asked."""
    return is_member_acting_for(user, introduction.target)


def can_withdraw_intro(user: User, introduction) -> bool:
    return is_member_acting_for(user, introduction.asker)


def can_see_intro(user: User, introduction) -> bool:
    """See the request at all (its status, note): the acting members of either side."""
    return is_member_acting_for(user, introduction.asker) or is_member_acting_for(user, introduction.target)


def can_read_thread(user: User, introduction) -> bool:
    """Read and write the thread (and see each other's contact): once accepted, either side's acting
    members; never anybody else, operators included."""
    return introduction.status == "accepted" and can_see_intro(user, introduction)


# --- pipeline --------------------------------------------------------------------------------------
# A pipeline is private to its investor organization's acting members: not operators, not the
# startup. The startup's acting members see only the investment recorded for them, to confirm it.


def pipeline_organizations(user: User) -> QuerySet[Organization]:
    """The verified investors whose pipeline this person keeps."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.verified().filter(
        kind=OrganizationKind.INVESTOR,
        pk__in=Membership.objects.filter(user=user, role__in=ACTING_ROLES).values("organization_id"))


def can_keep_pipeline(user: User, investor: Organization) -> bool:
    return investor.kind == OrganizationKind.INVESTOR and is_member_acting_for(user, investor)


def investment_organizations(user: User) -> QuerySet[Organization]:
    """The verified startups whose recorded investments this person confirms or disputes."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.verified().filter(
        kind=OrganizationKind.STARTUP,
        pk__in=Membership.objects.filter(user=user, role__in=ACTING_ROLES).values("organization_id"))


def can_answer_investment(user: User, startup: Organization) -> bool:
    return startup.kind == OrganizationKind.STARTUP and is_member_acting_for(user, startup)


# --- cohorts and judging ---------------------------------------------------------------------------


# --- events ----------------------------------------------------------------------------------------


# --- innovation centre -----------------------------------------------------------------------------
