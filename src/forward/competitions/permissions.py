"""Who may do what in competitions. The one place these rules live."""

from __future__ import annotations

from forward.core.models import Membership, OrganizationKind, User

from .models import Competition, CompetitionStatus, Eligibility, Registration, TeamMember


def is_host(user: User, competition: Competition) -> bool:
    """Members of the host organization run the competition (and alone see its solution)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(user=user, organization_id=competition.host_id).exists()


def can_create_competition(user: User, organization) -> bool:
    return user.is_authenticated and (
        user.is_superuser or Membership.objects.filter(user=user, organization=organization).exists()
    )


def can_view(user: User, competition: Competition) -> bool:
    """A draft is visible to its hosts only; guessing its URL gives 404."""
    return competition.status == CompetitionStatus.PUBLISHED or is_host(user, competition)


def is_eligible(user: User, competition: Competition) -> bool:
    if competition.eligibility == Eligibility.OPEN:
        return True
    return Membership.objects.filter(user=user, organization__kind=OrganizationKind.UNIVERSITY).exists()


def is_registered(user: User, competition: Competition) -> bool:
    return user.is_authenticated and Registration.objects.filter(user=user, competition=competition).exists()


def can_download_data(user: User, competition: Competition) -> bool:
    """Data files are for participants who accepted the rules (and the hosts)."""
    return is_host(user, competition) or is_registered(user, competition)


def can_view_leaderboard(user: User, competition: Competition) -> bool:
    if not can_view(user, competition):
        return False
    return not competition.leaderboard_hidden or is_host(user, competition)


def team_of(user: User, competition: Competition):
    if not user.is_authenticated:
        return None
    member = TeamMember.objects.select_related("team").filter(user=user, competition=competition).first()
    return member.team if member else None
