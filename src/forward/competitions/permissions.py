"""Who may do what in competitions. The one place these rules live."""

from __future__ import annotations

from forward.core.models import ACTING_ROLES, Organization
from forward.core.permissions import (
    can_act_for,
    can_administer,
    has_acting_role,
    is_member,
    is_operator,
    is_student_of_verified_university,
)
from forward.core.types import AnyUser

from .models import Competition, CompetitionStatus, Eligibility, Registration, Team, TeamMember


def is_host(user: AnyUser, competition: Competition) -> bool:
    """The host organization's admins and staff run the competition (and alone see its solution);
    its plain members (a hosting university's students) do not. Operators see everything."""
    if not user.is_authenticated:
        return False
    if is_operator(user):
        return True
    return is_member(user, competition.host_id, roles=ACTING_ROLES)


def can_run_console(user: AnyUser, competition: Competition) -> bool:
    """The host's console (teams and their members' details, disqualifying, rescoring, messaging the
    winners): the hosting organization's admins once it is verified, and operators."""
    return can_administer(user, competition.host)


def can_create_competition(user: AnyUser, organization: Organization) -> bool:
    """Prepare a draft in the organization's name: its admins and staff."""
    return user.is_authenticated and has_acting_role(user, organization)


def can_publish(user: AnyUser, competition: Competition) -> bool:
    """Publishing in the host's name needs the host to be verified."""
    return can_act_for(user, competition.host)


def is_host_member(user: AnyUser, competition: Competition) -> bool:
    """Anyone in the host organization, whatever their role: they may not enter as participants."""
    return is_member(user, competition.host_id)


def can_view(user: AnyUser, competition: Competition) -> bool:
    """A draft is visible to its hosts only; guessing its URL gives 404."""
    return competition.status == CompetitionStatus.PUBLISHED or is_host(user, competition)


def is_eligible(user: AnyUser, competition: Competition) -> bool:
    if competition.eligibility == Eligibility.OPEN:
        return True
    return is_student_of_verified_university(user)


def is_registered(user: AnyUser, competition: Competition) -> bool:
    return user.is_authenticated and Registration.objects.filter(user=user, competition=competition).exists()


def can_download_data(user: AnyUser, competition: Competition) -> bool:
    """Data files are for participants who accepted the rules (and the hosts)."""
    return is_host(user, competition) or is_registered(user, competition)


def can_view_leaderboard(user: AnyUser, competition: Competition) -> bool:
    if not can_view(user, competition):
        return False
    return not competition.leaderboard_hidden or is_host(user, competition)


def team_of(user: AnyUser, competition: Competition) -> Team | None:
    if not user.is_authenticated:
        return None
    member = TeamMember.objects.select_related("team").filter(user=user, competition=competition).first()
    return member.team if member else None
