"""What competitions award, described for credentials: when a competition's final round ends,
every member of the top 3 teams and of the teams in the top 10% (rounded up) of the private
leaderboard. Competitions decides; credentials signs (and imports nothing from here).

Each award's source is `competitions.competition:<id>`; its achievement key
`competition:<id>` (one award per person and competition) never changes. `register` (from
`CompetitionsConfig.ready`) tells credentials how to certify a competition in a batch.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from forward.core.models import Organization, User
from forward.credentials import sources
from forward.credentials.documents import Award, achievement
from forward.credentials.models import CredentialKind

from .models import Competition, LeaderboardEntry, Phase, TeamMember

COMPETITION = "competitions.competition"


def competition_source(competition: Competition) -> str:
    return sources.source(COMPETITION, competition.pk)


def competition_achievement_id(competition: Competition) -> str:
    """A competition's achievement id without the fragment that tells its placings apart."""
    return settings.SITE_URL + reverse("competitions:detail", args=[competition.slug])


def award_competition(*, user: User, competition: Competition, rank: int, teams: int, team_name: str,
                      top3: bool) -> Award:
    tier = "top-3" if top3 else "top-10-percent"
    label = _("Top 3") if top3 else _("Top 10%")
    name = f"{competition.title} — {label}"
    return Award(
        recipient=user, issuer=competition.host, kind=CredentialKind.COMPETITION,
        achievement_key=f"competition:{competition.pk}",
        achievement=achievement(
            id=competition_achievement_id(competition) + "#" + tier,
            kind="Award", name=name, description=competition.subtitle or competition.title,
            criteria=_("Finish in the %(tier)s of the final private leaderboard.") % {"tier": label}),
        name=name, detail=_("Rank %(rank)s of %(teams)s teams") % {"rank": rank, "teams": teams},
        evidence=[{"type": ["Evidence"], "name": _("Final rank"),
                   "description": _("Team %(team)s ranked %(rank)s of %(teams)s on the private leaderboard") % {
                       "team": team_name, "rank": rank, "teams": teams}}],
        source=competition_source(competition),
        facts={"rank": rank, "teams": teams, "percentile": round(100 * (1 - (rank - 1) / teams), 2) if teams else 0},
    )


def competition_awards(*, competition: Competition) -> list[Award]:
    """When the final round's private leaderboard is computed: every member of the top 3 teams and
    of the teams in the top 10% (rounded up)."""
    final = Phase.objects.filter(competition=competition).order_by("-number").first()
    if final is None or not hasattr(final, "result"):
        return []
    entries = list(LeaderboardEntry.objects.filter(phase=final, team__is_baseline=False, team__disqualified_at__isnull=True)
                   .private_order().select_related("team"))
    if not entries:
        return []
    cut = max(3, math.ceil(0.1 * len(entries)))
    placed = entries[:cut]
    members = defaultdict(list)
    for member in TeamMember.objects.filter(team__in=[e.team for e in placed]).select_related("user"):
        members[member.team_id].append(member.user)
    awards = []
    for rank, entry in enumerate(placed, start=1):
        for user in members[entry.team_id]:
            awards.append(award_competition(user=user, competition=competition, rank=rank, teams=len(entries),
                                            team_name=entry.team.name, top3=rank <= 3))
    return awards


# --- batches: certifying a competition ------------------------------------------------------------

def _competition(source: str) -> Competition | None:
    pk = sources.key_of(source, COMPETITION)
    return Competition.objects.select_related("host").filter(pk=pk).first() if pk else None


def batch_details(competition: Competition) -> dict[str, Any]:
    """What a batch for this competition says of it: its source, title, the way back, the host."""
    return {"source": competition_source(competition), "title": competition.title,
            "back_url": reverse("competitions:detail", args=[competition.slug]), "organization": competition.host}


def _source_awards(source: str) -> list[Award]:
    competition = _competition(source)
    return competition_awards(competition=competition) if competition is not None else []


def _can_certify(user: User, source: str) -> bool:
    from .permissions import is_host

    competition = _competition(source)
    return competition is not None and is_host(user, competition)  # operators included


def _heading(source: str, title: str) -> str:
    return _("Awards for %(c)s") % {"c": title}


def _back_label() -> str:
    return _("Back to the competition")


def achievements(organization: Organization) -> list[sources.Achievement]:
    """The competitions it hosts (drafts too), for its badge art page: one query."""
    return [sources.Achievement(id=competition_achievement_id(c), kind=CredentialKind.COMPETITION, name=c.title,
                                facts={"rank": 1}, url=reverse("competitions:host", args=[c.slug]))
            for c in Competition.objects.filter(host=organization).order_by("title", "pk")]


def register() -> None:
    sources.register_achievements("competitions", achievements)
    sources.register(COMPETITION, awards=_source_awards, can_certify=_can_certify, heading=_heading,
                     back_label=_back_label)
