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

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from forward.core import permissions as core_permissions
from forward.core.models import ACTING_ROLES, Organization, OrganizationKind
from forward.core.types import AnyUser

if TYPE_CHECKING:
    from .models import (
        Assessment,
        Call,
        CohortApplication,
        CreditGrant,
        Event,
        Introduction,
        OfficeHourSlot,
        Registrant,
        ServiceRequest,
    )

is_operator = core_permissions.is_operator

PROGRAMME_KINDS = (OrganizationKind.INNOVATION_CENTRE, OrganizationKind.OPERATOR)


def _acting(user: AnyUser, kinds: Iterable[str], *, verified_only: bool) -> QuerySet[Organization]:
    if not user.is_authenticated:
        return Organization.objects.none()
    qs = Organization.objects.filter(kind__in=kinds)
    if verified_only:
        qs = qs.verified()
    if is_operator(user):
        return qs
    return qs.filter(pk__in=core_permissions.organizations_where(user, roles=ACTING_ROLES))


def startup_organizations(user: AnyUser, *, verified_only: bool = False) -> QuerySet[Organization]:
    """Startups this person acts for (admin or staff), verified or not unless asked; every one for
    operators."""
    return _acting(user, [OrganizationKind.STARTUP], verified_only=verified_only)


def investor_organizations(user: AnyUser) -> QuerySet[Organization]:
    """Verified investors this person acts for; every verified investor for operators."""
    return _acting(user, [OrganizationKind.INVESTOR], verified_only=True)


def programme_organizers(user: AnyUser) -> QuerySet[Organization]:
    """Verified innovation centres and programme offices this person runs programmes for."""
    return _acting(user, PROGRAMME_KINDS, verified_only=True)


def can_prepare_startup(user: AnyUser, organization: Organization) -> bool:
    """Edit the startup's profile and draft and submit its applications: its admins and staff,
    verified or not, and operators."""
    return (user.is_authenticated and organization.kind == OrganizationKind.STARTUP
            and core_permissions.has_acting_role(user, organization))


def can_act_for_startup(user: AnyUser, organization: Organization) -> bool:
    """Act towards others in the startup's name (introductions, events, confirming investments):
    its admins and staff once it is verified, and operators."""
    return (user.is_authenticated and organization.kind == OrganizationKind.STARTUP
            and core_permissions.can_act_for(user, organization))


def can_act_for_investor(user: AnyUser, organization: Organization) -> bool:
    """Investor powers in the organization's name: its admins and staff once it is verified, and
    operators."""
    return (user.is_authenticated and organization.kind == OrganizationKind.INVESTOR
            and core_permissions.can_act_for(user, organization))


def is_investor(user: AnyUser) -> bool:
    """Acts for at least one verified investor (operators count: they oversee the programme)."""
    return user.is_authenticated and (is_operator(user) or investor_organizations(user).exists())


def can_run_programme(user: AnyUser, organization: Organization) -> bool:
    """Run calls, panels, events, services and budgets in this organization's name."""
    return (user.is_authenticated and organization.kind in PROGRAMME_KINDS
            and core_permissions.can_act_for(user, organization))


def is_programme_staff(user: AnyUser) -> bool:
    return user.is_authenticated and (is_operator(user) or programme_organizers(user).exists())


# --- directory (startups, investors, discovery, decks) ------------------------------------------
# A verified startup's public facts (name, one-liner, description, sectors, stage, country, founding
# date, team with credentials, video link) are for everyone; its traction and round for verified
# investors' acting members, programme staff and its own acting members; its deck for its own acting
# members and the acting members of the investors the founders shared it with (operators included
# only as such members: a deck is the founders' to give). An unverified startup is seen only by its
# own members and operators. A verified investor's profile is public; an unverified one is seen by
# its own members and operators. Fit is shown to whoever browses as an organization they act for.


def can_view_startup(user: AnyUser, organization: Organization) -> bool:
    if organization.kind != OrganizationKind.STARTUP:
        return False
    return organization.is_verified or is_operator(user) or core_permissions.is_member(user, organization)


def can_see_startup_private(user: AnyUser, organization: Organization) -> bool:
    """Traction and the round: verified investors' acting members, programme staff, and the
    startup's own admins and staff."""
    if not can_view_startup(user, organization) or not user.is_authenticated:
        return False
    return is_investor(user) or is_programme_staff(user) or can_prepare_startup(user, organization)


def sees_rounds(user: AnyUser) -> bool:
    """Sees every verified startup's round and traction (lists filter by raising only for them)."""
    return user.is_authenticated and (is_investor(user) or is_programme_staff(user))


def deck_investor_organizations(user: AnyUser) -> QuerySet[Organization]:
    """Verified investors whose shared decks this person may open: those they are admin or staff of
    (by membership; operators are not given every deck)."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(kind=OrganizationKind.INVESTOR).verified().filter(
        pk__in=core_permissions.organizations_where(user, roles=ACTING_ROLES))


def can_open_deck(user: AnyUser, organization: Organization, *, shared_with_ids: Iterable[int]) -> bool:
    """The startup's own admins and staff (by membership), or an acting member of a verified
    investor among `shared_with_ids` (the organization ids it was shared with)."""
    if not user.is_authenticated or organization.kind != OrganizationKind.STARTUP:
        return False
    if core_permissions.is_member(user, organization, roles=ACTING_ROLES):
        return True
    return deck_investor_organizations(user).filter(pk__in=list(shared_with_ids)).exists()


def can_view_investor(user: AnyUser, organization: Organization) -> bool:
    if organization.kind != OrganizationKind.INVESTOR:
        return False
    return organization.is_verified or is_operator(user) or core_permissions.is_member(user, organization)


def can_edit_investor(user: AnyUser, organization: Organization) -> bool:
    """Its admins and staff, verified or not (it prepares its profile before it is listed), and
    operators."""
    return (user.is_authenticated and organization.kind == OrganizationKind.INVESTOR
            and core_permissions.has_acting_role(user, organization))


def browse_as_investors(user: AnyUser) -> QuerySet[Organization]:
    """The investors someone may browse startups as (with fit): verified ones they act for.
    Operators may pick any verified investor but get none by default."""
    return investor_organizations(user)


def browse_as_startups(user: AnyUser) -> QuerySet[Organization]:
    """The startups someone may browse investors as (with fit): those they prepare, verified or not."""
    return startup_organizations(user)


# --- introductions ---------------------------------------------------------------------------------
# Introductions and their threads are between the two organizations' own people: acting members
# (admins, staff) of a verified startup or investor. Operators oversee the programme, so they act
# for every organization elsewhere, but they neither ask, answer nor read here: a private thread
# stays private (operators see counts only, `intros.counts`).

INTRO_KINDS = (OrganizationKind.STARTUP, OrganizationKind.INVESTOR)


def is_member_acting_for(user: AnyUser, organization: Organization) -> bool:
    """Admin or staff of this verified organization by a granted membership (operator status adds
    nothing)."""
    return (user.is_authenticated and organization.is_verified
            and core_permissions.role_in(user, organization) in ACTING_ROLES)


def intro_organizations(user: AnyUser) -> QuerySet[Organization]:
    """The verified startups and investors this person asks and answers introductions for."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.verified().filter(
        kind__in=INTRO_KINDS,
        pk__in=core_permissions.organizations_where(user, roles=ACTING_ROLES))


def can_ask_intro(user: AnyUser, asker: Organization, target: Organization) -> bool:
    """Ask `target` for an introduction in `asker`'s name: an acting member of a verified startup
    asking a verified investor, or the other way round."""
    return (asker.kind in INTRO_KINDS and target.kind in INTRO_KINDS and asker.kind != target.kind
            and target.is_verified and is_member_acting_for(user, asker))


def can_answer_intro(user: AnyUser, introduction: Introduction) -> bool:
    """Accept or decline: an acting member of the organization asked."""
    return is_member_acting_for(user, introduction.target)


def can_withdraw_intro(user: AnyUser, introduction: Introduction) -> bool:
    return is_member_acting_for(user, introduction.asker)


def can_see_intro(user: AnyUser, introduction: Introduction) -> bool:
    """See the request at all (its status, note): the acting members of either side."""
    return is_member_acting_for(user, introduction.asker) or is_member_acting_for(user, introduction.target)


def can_read_thread(user: AnyUser, introduction: Introduction) -> bool:
    """Read and write the thread (and see each other's contact): once accepted, either side's acting
    members; never anybody else, operators included."""
    return introduction.status == "accepted" and can_see_intro(user, introduction)


# --- pipeline --------------------------------------------------------------------------------------
# A pipeline is private to its investor organization's acting members: not operators, not the
# startup. The startup's acting members see only the investment recorded for them, to confirm it.


def pipeline_organizations(user: AnyUser) -> QuerySet[Organization]:
    """The verified investors whose pipeline this person keeps."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.verified().filter(
        kind=OrganizationKind.INVESTOR,
        pk__in=core_permissions.organizations_where(user, roles=ACTING_ROLES))


def can_keep_pipeline(user: AnyUser, investor: Organization) -> bool:
    return investor.kind == OrganizationKind.INVESTOR and is_member_acting_for(user, investor)


def investment_organizations(user: AnyUser) -> QuerySet[Organization]:
    """The verified startups whose recorded investments this person confirms or disputes."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.verified().filter(
        kind=OrganizationKind.STARTUP,
        pk__in=core_permissions.organizations_where(user, roles=ACTING_ROLES))


def can_answer_investment(user: AnyUser, startup: Organization) -> bool:
    return startup.kind == OrganizationKind.STARTUP and is_member_acting_for(user, startup)


# --- cohorts and judging ---------------------------------------------------------------------------


def can_run_call(user: AnyUser, call: Call) -> bool:
    """Edit the call, its questions, rubric and panels, see every application and the ranking, and
    decide: programme staff of the call's organizer (and operators)."""
    return can_run_programme(user, call.organizer)


def can_create_call(user: AnyUser) -> bool:
    return is_programme_staff(user)


def can_view_call(user: AnyUser, call: Call) -> bool:
    """A published call (open, closed or decided) is public; a draft only for its staff."""
    return call.status != "draft" or can_run_call(user, call)


def can_view_cohort(user: AnyUser, call: Call) -> bool:
    """The cohort (accepted startups) is public once the call is decided; its staff see it earlier."""
    return call.status == "decided" or can_run_call(user, call)


def can_apply(user: AnyUser, organization: Organization) -> bool:
    """Draft, answer and submit the startup's applications: its admins and staff, verified or not."""
    return can_prepare_startup(user, organization)


def is_conflicted(user: AnyUser, application: CohortApplication) -> bool:
    from .models import Conflict

    return user.is_authenticated and Conflict.objects.filter(judge=user, application=application).exists()


def is_seated_judge(user: AnyUser, application: CohortApplication) -> bool:
    """Seated on a panel of the application's call that scores it (every submitted application of
    the call when the panel has none assigned, else the assigned ones). Conflicts not counted."""
    from .models import Panel, PanelJudge

    if not user.is_authenticated or application.status == "draft":
        return False
    panels = PanelJudge.objects.filter(user=user, panel__call_id=application.call_id).values("panel_id")
    return Panel.objects.filter(pk__in=panels).filter(
        Q(applications=None) | Q(applications=application)).exists()


def can_judge(user: AnyUser, application: CohortApplication) -> bool:
    """See and score the application as a judge: seated on a panel that scores it and not
    conflicted on it. Power only from the seat staff granted."""
    return is_seated_judge(user, application) and not is_conflicted(user, application)


def can_view_application(user: AnyUser, application: CohortApplication) -> bool:
    """The startup's admins and staff, the call's staff, and its judges who are not conflicted."""
    if not user.is_authenticated:
        return False
    return (can_apply(user, application.startup.organization) or can_run_call(user, application.call)
            or can_judge(user, application))


# --- events ----------------------------------------------------------------------------------------

def can_manage_event(user: AnyUser, event: Event) -> bool:
    """Run the event (edit, open and close phases, build the schedule, see every agenda): programme
    staff of its organizer, and operators."""
    return can_run_programme(user, event.organizer)


def can_see_event(user: AnyUser, event: Event) -> bool:
    """Published events are public; a draft only to its staff."""
    return event.status != "draft" or can_manage_event(user, event)


def event_side_organizations(user: AnyUser, side: str) -> QuerySet[Organization]:
    """The organizations this person may register for at an event on a side: verified investors
    they act for on the investor side, verified startups they act for on the startup side."""
    if side == "investor":
        return investor_organizations(user)
    if side == "startup":
        return startup_organizations(user, verified_only=True)
    return Organization.objects.none()


def can_register_for_event(user: AnyUser, side: str, organization: Organization) -> bool:
    return event_side_organizations(user, side).filter(pk=organization.pk).exists()


def can_see_agenda(user: AnyUser, registrant: Registrant) -> bool:
    """A person's agenda: theirs, and the event's staff; nobody else."""
    return user.is_authenticated and (registrant.user_id == user.pk or can_manage_event(user, registrant.event))


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


def assessment_organizations(user: AnyUser) -> QuerySet[Organization]:
    """SMEs and startups this person may take the readiness assessment for (acting members; not
    operators: it is a self-assessment)."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(kind__in=CLIENT_KINDS, pk__in=core_permissions.organizations_where(user, roles=ACTING_ROLES))


def client_organizations(user: AnyUser) -> QuerySet[Organization]:
    """Verified SMEs and startups this person may ask the centre for something in the name of."""
    return assessment_organizations(user).filter(verified_at__isnull=False)


def can_take_assessment(user: AnyUser, organization: Organization) -> bool:
    return (user.is_authenticated and organization.kind in CLIENT_KINDS
            and core_permissions.role_in(user, organization) in ACTING_ROLES)


def can_request_services(user: AnyUser, organization: Organization) -> bool:
    return can_take_assessment(user, organization) and organization.is_verified


def can_see_assessment(user: AnyUser, assessment: Assessment) -> bool:
    if not user.is_authenticated:
        return False
    if core_permissions.role_in(user, assessment.organization) is not None:
        return True
    return assessment.shared_with is not None and can_run_programme(user, assessment.shared_with)


def can_manage_catalogue(user: AnyUser, centre: Organization) -> bool:
    """Add, edit, retire and reactivate a centre's services: its programme staff, once the centre is a
    verified innovation centre (an unverified one has no public catalogue to manage)."""
    return (centre.kind == OrganizationKind.INNOVATION_CENTRE and centre.is_verified
            and can_run_programme(user, centre))


def can_see_request(user: AnyUser, service_request: ServiceRequest) -> bool:
    """The requesting organization's acting members, and the centre's staff."""
    return (core_permissions.role_in(user, service_request.organization) in ACTING_ROLES
            if user.is_authenticated else False) or can_run_programme(user, service_request.service.centre)


def is_expert_of(user: AnyUser, centre: Organization) -> bool:
    """Someone staff may assign work or office hours to: an acting member of the centre."""
    return user.is_authenticated and core_permissions.role_in(user, centre) in ACTING_ROLES


def can_see_booking(user: AnyUser, slot: OfficeHourSlot) -> bool:
    """A booked slot's details and .ics: the booking organization's acting members, the expert, and
    the centre's staff."""
    if not user.is_authenticated:
        return False
    if slot.expert_id == user.pk or can_run_programme(user, slot.centre):
        return True
    return slot.booked_by_org is not None and core_permissions.role_in(user, slot.booked_by_org) in ACTING_ROLES


def can_apply_for_credits(user: AnyUser, organization: Organization) -> bool:
    """A verified startup's admins and staff (the cohort rule is the service's: it depends on the budget)."""
    return (organization.kind == OrganizationKind.STARTUP and organization.is_verified
            and can_take_assessment(user, organization))


def can_see_grant(user: AnyUser, grant: CreditGrant) -> bool:
    return (user.is_authenticated and core_permissions.role_in(user, grant.startup) in ACTING_ROLES) \
        or can_run_programme(user, grant.budget.organizer)
