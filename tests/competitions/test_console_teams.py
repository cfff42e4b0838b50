"""The console's teams list and its CSV: only this competition's own teams, by name, each member in the
order they joined with their universities (and no other organization), and the team's submissions."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forward.competitions import selectors, services, submissions
from forward.competitions.models import Team, TeamMember
from forward.core.models import Membership, OrganizationKind
from tests.competitions.conftest import predictions_csv, upload
from tests.competitions.test_leaderboard import make_team
from tests.conftest import client_for, make_organization


@pytest.fixture
def crowd(world, team):
    """Gradient Gang (Alice, and Bob who joined first, in two universities and a company, two
    submissions), Alpha Squad (made later, no submissions), the host's baseline, and a team of
    another competition."""
    acme = make_organization(creator=world.outsider, name="Acme Analytics", kind=OrganizationKind.EMPLOYER,
                             country="SG")
    nanyang = make_organization(creator=world.carol, name="Nanyang Tech", kind=OrganizationKind.UNIVERSITY,
                                country="SG")
    Membership.objects.create(user=world.bob, organization=acme)
    Membership.objects.create(user=world.bob, organization=nanyang)
    alice_joined = TeamMember.objects.get(user=world.alice).joined_at
    TeamMember.objects.filter(user=world.bob).update(joined_at=alice_joined - timedelta(hours=1))
    for _i in range(2):
        submissions.submission_create(user=world.alice, phase=world.phase, upload=upload(predictions_csv()))
    make_team(world, "Alpha Squad")
    submissions.baseline_submit(actor=world.host_user, phase=world.phase, upload=upload(predictions_csv()))
    now = timezone.now()
    elsewhere = services.competition_create(actor=world.host_user, host=world.host_org, title="Elsewhere cup",
                                            metric="auc", starts_at=now, ends_at=now + timedelta(days=3))
    Team.objects.create(competition=elsewhere, name="Elsewhere", invite_code="elsewhere-1")
    return world


def csv_rows(world, **params) -> list[tuple[str, ...]]:
    response = client_for(world.host_user).get(f"/competitions/{world.competition.slug}/console/teams.csv", params)
    rows = csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
    return [(r["team"], r["submissions"], r["email"], r["universities"]) for r in rows]


def test_the_teams_csv_lists_this_competitions_teams_by_name_and_members_as_they_joined(crowd):
    assert csv_rows(crowd) == [
        ("Alpha Squad", "0", "alphasquad@uni.test", ""),
        ("Gradient Gang", "2", "bob@uni.test", "Nanyang Tech; Uni"),
        ("Gradient Gang", "2", "alice@uni.test", "Uni"),
    ]
    html = client_for(crowd.host_user).get(f"/competitions/{crowd.competition.slug}/console/teams/").content.decode()
    assert "2 teams" in html and "Acme Analytics" not in html and "Host baseline" not in html
    assert html.index("Alpha Squad") < html.index("Gradient Gang")


def test_a_company_is_not_searched_as_a_university(crowd):
    assert csv_rows(crowd, q="acme") == []
    assert [r[2] for r in csv_rows(crowd, q="nanyang")] == ["bob@uni.test", "alice@uni.test"]


def test_the_teams_and_their_members_universities_take_three_queries(crowd):
    with CaptureQueriesContext(connection) as queries:
        teams = [(t.name, t.submission_count, [(m.user.display_name, [u.organization.name for u in m.user.universities])
                                               for m in t.members.all()])
                 for t in selectors.console_teams(competition=crowd.competition)]
    assert len(queries.captured_queries) == 3
    assert teams == [("Alpha Squad", 0, [("Alpha Squad", [])]),
                     ("Gradient Gang", 2, [("Bob", ["Nanyang Tech", "Uni"]), ("Alice", ["Uni"])])]
