"""One leaderboard order everywhere: the pages, the CSV export, the home page's rank, the teams taken
to the next round and the credentials awarded at the end all agree, ties included (same score:
the earlier team first; same score and time: the lower team id first)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forward.competitions import awards, selectors, submissions
from forward.competitions.models import (
    Competition,
    CompetitionStatus,
    Phase,
    Submission,
    SubmissionStatus,
    Team,
    TeamMember,
)
from forward.core.models import OrganizationKind
from tests.conftest import make_organization, make_user

# rmse: lower is better. Every public score ties; the private scores tie in pairs.
# (name, minutes after the start, public score, private score), in the order the teams were created.
TEAMS = [
    ("Quokka", 120, 2.0, 0.5),
    ("Aardvark", 120, 2.0, 0.5),  # Quokka's twin to the microsecond: Quokka's lower id goes first
    ("Late", 180, 2.0, 0.7),  # Early's private score, reached later: last whatever its lower id
    ("Early", 60, 2.0, 0.7),
]
PUBLIC = ["Early", "Quokka", "Aardvark", "Late"]  # by time, then by team id
PRIVATE = ["Quokka", "Aardvark", "Early", "Late"]


@pytest.fixture
def ended(db):
    host_admin = make_user("host@lab.test", "Host Admin")
    host = make_organization(creator=host_admin, name="Tie Lab", kind=OrganizationKind.HOST, country="CN")
    now = timezone.now()
    start = now - timedelta(days=2)
    competition = Competition.objects.create(slug="ties", title="Ties", host=host, metric="rmse",
                                             status=CompetitionStatus.PUBLISHED)
    phase = Phase.objects.create(competition=competition, starts_at=start, ends_at=now - timedelta(minutes=1))
    members = {}
    for name, minutes, public, private in TEAMS:
        team = Team.objects.create(competition=competition, name=name, invite_code=f"code-{name}")
        members[name] = make_user(f"{name.lower()}@uni.test", name)
        TeamMember.objects.create(team=team, user=members[name], competition=competition)
        Submission.objects.create(phase=phase, team=team, file="x", original_name="p.csv",
                                  status=SubmissionStatus.SCORED, public_score=public, private_score=private,
                                  created_at=start + timedelta(minutes=minutes))
        submissions.leaderboard_entry_refresh(phase_id=phase.pk, team_id=team.pk)
    return competition, phase, members


def _csv(client, competition, private: bool) -> list[tuple[str, str]]:
    url = reverse("competitions:leaderboard_csv", args=[competition.slug]) + ("?view=private" if private else "")
    response = client.get(url)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    return [(row[1], row[0]) for row in rows[1:]]  # (team, rank)


def test_the_public_order_is_the_same_on_the_board_the_export_and_the_home_page(ended, client):
    competition, phase, members = ended
    board = selectors.leaderboard(phase=phase)
    assert [r.team for r in board.rows] == PUBLIC
    assert _csv(client, competition, private=False) == [(name, str(rank)) for rank, name in enumerate(PUBLIC, 1)]
    for rank, name in enumerate(PUBLIC, start=1):
        (entry,) = selectors.home_entries(user=members[name])
        assert (entry["rank"], entry["ranked"]) == (rank, 4), name


def test_the_final_ranking_is_the_same_for_the_board_the_next_round_and_the_credentials(ended, client):
    competition, phase, _members = ended
    assert submissions.phase_finalize(phase_id=phase.pk)
    board = selectors.leaderboard(phase=phase, private=True)
    assert [r.team for r in board.rows] == PRIVATE
    # Each team's move from its public place: Early falls from first to third.
    assert [r.move for r in board.rows] == [1, 1, -2, 0]
    assert _csv(client, competition, private=True) == [(name, str(rank)) for rank, name in enumerate(PRIVATE, 1)]
    names = dict(Team.objects.filter(competition=competition).values_list("pk", "name"))
    assert [names[pk] for pk in selectors.leaderboard_team_ids(phase=phase, limit=4, private=True)] == PRIVATE
    # Four teams: the top three are awarded, each with its place on the private board; Late is not.
    awarded = {(a.evidence[0]["description"], a.facts["rank"]) for a in awards.competition_awards(
        competition=competition)}
    assert awarded == {(f"Team {name} ranked {rank} of 4 on the private leaderboard", rank)
                       for rank, name in enumerate(PRIVATE[:3], start=1)}
