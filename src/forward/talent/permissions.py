"""Who may do what in the talent pool. The one place these rules live; each area adds its rules
in its own section below.

Power comes only from a role someone else granted:
- a *partner employer* is a verified organization of kind employer (the kind was checked by the
  operator who verified it; changing it asks for verification again). Its admins and staff (roles
  its admin granted) act for it: post openings, see profiles visible to partners, work applications;
- a *career office* is a verified university's admins: they see their own students' placement
  status (never employers' private notes) and may run matching rounds for their students;
- operators (site staff) feature openings and run matching rounds;
- a profile is seen by its owner always; by partner employers' acting members when visible to
  partners or public; by anyone at its shareable link when public; never when hidden.
"""

from __future__ import annotations

from django.db.models import QuerySet

from forward.core import permissions as core_permissions
from forward.core.models import ACTING_ROLES, Organization, OrganizationKind, Role
from forward.core.types import AnyUser

from .models import MatchRound, Opening, Profile, Visibility

is_operator = core_permissions.is_operator


def employer_organizations(user: AnyUser) -> QuerySet[Organization]:
    """Verified employers this person acts for (admin or staff); every verified employer for operators."""
    if not user.is_authenticated:
        return Organization.objects.none()
    qs = Organization.objects.verified().filter(kind=OrganizationKind.EMPLOYER)
    if is_operator(user):
        return qs
    return qs.filter(pk__in=core_permissions.organizations_where(user, roles=ACTING_ROLES))


def is_partner_employer(user: AnyUser) -> bool:
    """Acts for at least one verified employer (operators count: they oversee the programme)."""
    return user.is_authenticated and (is_operator(user) or employer_organizations(user).exists())


def can_act_for_employer(user: AnyUser, organization: Organization) -> bool:
    """Post and edit openings, work applications in this organization's name."""
    return (user.is_authenticated and organization.kind == OrganizationKind.EMPLOYER
            and core_permissions.can_act_for(user, organization))


def career_offices(user: AnyUser) -> QuerySet[Organization]:
    """Verified universities whose admin this person is (every one for operators)."""
    if not user.is_authenticated:
        return Organization.objects.none()
    qs = Organization.objects.verified().filter(kind=OrganizationKind.UNIVERSITY)
    if is_operator(user):
        return qs
    return qs.filter(pk__in=core_permissions.organizations_where(user, roles=[Role.ADMIN]))


def visible_visibilities(user: AnyUser) -> list[str]:
    """The visibilities of others' profiles this person may find in searches and recommendations."""
    if is_partner_employer(user):
        return [Visibility.PARTNERS, Visibility.PUBLIC]
    return []


def can_view_profile(user: AnyUser, profile: Profile) -> bool:
    """By the profile's page (not its shareable link, which shows a public profile to anyone)."""
    if user.is_authenticated and profile.user_id == user.pk:
        return True
    return profile.visibility in visible_visibilities(user)


def can_edit_opening(user: AnyUser, opening: Opening) -> bool:
    """Drafts are prepared by the employer's admins and staff (verified or not); publishing needs
    can_act_for_employer."""
    return user.is_authenticated and (
        is_operator(user) or core_permissions.role_in(user, opening.organization) in ACTING_ROLES)


# --- profiles --------------------------------------------------------------------------------------

def can_view_person(user: AnyUser, profile: Profile) -> bool:
    """A profile's page by id (/talent/people/<id>/), its CV and `people/{id}` in the API: the owner;
    partner employers' acting members and operators while it is visible to partners or public.
    Everyone else gets the same 404 as for an id that does not exist."""
    return can_view_profile(user, profile)


def can_see_students(user: AnyUser, organization: Organization) -> bool:
    """A verified university's career office (its admins) and operators see its students' placement."""
    return (user.is_authenticated and organization.kind == OrganizationKind.UNIVERSITY
            and career_offices(user).filter(pk=organization.pk).exists())

# --- openings --------------------------------------------------------------------------------------

def can_prepare_openings(user: AnyUser, organization: Organization) -> bool:
    """Create and edit drafts in an employer's name: its admins and staff, verified or not (an
    unverified employer prepares drafts but publishes nothing), and operators."""
    return (user.is_authenticated and organization.kind == OrganizationKind.EMPLOYER
            and core_permissions.has_acting_role(user, organization))


def can_view_opening(user: AnyUser, opening: Opening) -> bool:
    """Open and closed openings of a verified employer are public (a closed one is marked closed);
    a draft, or anything of an employer not (or no longer) verified, only to those who edit it."""
    from .models import OpeningStatus

    organization = opening.organization
    if (opening.status != OpeningStatus.DRAFT and organization.is_verified
            and organization.kind == OrganizationKind.EMPLOYER):
        return True
    return can_edit_opening(user, opening)


def can_feature_opening(user: AnyUser) -> bool:
    return is_operator(user)


# --- applications ----------------------------------------------------------------------------------

def can_work_applications(user: AnyUser, organization: Organization) -> bool:
    """See and move the applications to an organization's openings, read and write its private
    notes, propose interview slots: the verified employer's admins and staff only. Operators oversee
    the programme, not anyone's hiring (applications carry personal data and private notes), and a
    university's admins see their students' placement status elsewhere, never these pages."""
    return (user.is_authenticated and organization.kind == OrganizationKind.EMPLOYER and organization.is_verified
            and core_permissions.role_in(user, organization) in ACTING_ROLES)


# --- recommendations -------------------------------------------------------------------------------

def can_see_candidates(user: AnyUser, opening: Opening) -> bool:
    """Candidates ranked for an opening: its verified employer's admins and staff, and operators."""
    return can_act_for_employer(user, opening.organization)


# --- rounds ----------------------------------------------------------------------------------------


def ranking_employers(user: AnyUser) -> QuerySet[Organization]:
    """Verified employers this person ranks candidates for: their admins and staff (operators
    oversee rounds but do not rank in an employer's name unless they are its members)."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.verified().filter(
        kind=OrganizationKind.EMPLOYER,
        pk__in=core_permissions.organizations_where(user, roles=ACTING_ROLES))


def can_rank_for_opening(user: AnyUser, opening: Opening) -> bool:
    """Rank an opening's interviewed candidates and set its seats in a round."""
    organization = opening.organization
    return (user.is_authenticated and organization.kind == OrganizationKind.EMPLOYER and organization.is_verified
            and core_permissions.role_in(user, organization) in ACTING_ROLES)


def can_run_rounds_for(user: AnyUser, organization: Organization) -> bool:
    """Run matching rounds in a university's name: its admins once it is verified (a career office)."""
    return (user.is_authenticated and organization.kind == OrganizationKind.UNIVERSITY
            and core_permissions.can_administer(user, organization))


def can_create_round(user: AnyUser) -> bool:
    return is_operator(user) or career_offices(user).exists()


def can_manage_round(user: AnyUser, match_round: MatchRound) -> bool:
    """Add openings, announce, run the match, see every count: operators, and the career office
    whose round it is."""
    if not user.is_authenticated:
        return False
    if is_operator(user):
        return True
    return match_round.organization is not None and can_run_rounds_for(user, match_round.organization)
