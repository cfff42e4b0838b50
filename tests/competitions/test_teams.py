from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from forward.competitions import services, submissions
from forward.competitions.models import Eligibility, Registration, Submission, Team, TeamMember
from tests.competitions.conftest import predictions_csv, upload


def test_a_person_is_in_at_most_one_team(world, team):
    services.register(user=world.carol, competition=world.competition)
    services.team_create(user=world.carol, competition=world.competition, name="Solo")
    with pytest.raises(ValidationError, match="already in a team"):
        services.team_join(user=world.carol, competition=world.competition, invite_code=team.invite_code)
    with pytest.raises(ValidationError, match="already in a team"):
        services.team_create(user=world.alice, competition=world.competition, name="Second")


def test_joining_needs_the_rules_and_a_valid_code_and_room(world, team):
    with pytest.raises(ValidationError, match="rules"):
        services.team_join(user=world.carol, competition=world.competition, invite_code=team.invite_code)
    services.register(user=world.carol, competition=world.competition)
    with pytest.raises(ValidationError, match="invite code"):
        services.team_join(user=world.carol, competition=world.competition, invite_code="nope")
    world.competition.team_size_limit = 2
    world.competition.save()
    with pytest.raises(ValidationError, match="full"):
        services.team_join(user=world.carol, competition=world.competition, invite_code=team.invite_code)


def test_university_only_competitions_refuse_others(world):
    world.competition.eligibility = Eligibility.UNIVERSITIES
    world.competition.save()
    with pytest.raises(ValidationError, match="universit"):
        services.register(user=world.outsider, competition=world.competition)
    services.register(user=world.bob, competition=world.competition)  # a member of a university
    registered = set(Registration.objects.filter(competition=world.competition).values_list("user__email", flat=True))
    assert registered == {"bob@uni.test"}


def test_merging_two_teams_moves_members_and_submissions(world, team):
    services.register(user=world.carol, competition=world.competition)
    other = services.team_create(user=world.carol, competition=world.competition, name="Carol's")
    submissions.submission_create(user=world.carol, phase=world.phase, upload=upload(predictions_csv()))
    merged = services.team_merge(user=world.alice, competition=world.competition, invite_code=other.invite_code)
    assert merged.pk == team.pk
    assert not Team.objects.filter(pk=other.pk).exists()
    assert TeamMember.objects.filter(team=team).count() == 3
    assert Submission.objects.filter(team=team).count() == 1
    assert merged.entries.get().entries == 1


def test_merging_is_refused_when_the_submissions_exceed_the_daily_limit(world, team):
    world.phase.daily_limit = 2
    world.phase.save()
    services.register(user=world.carol, competition=world.competition)
    other = services.team_create(user=world.carol, competition=world.competition, name="Busy")
    for user in (world.alice, world.bob, world.carol, world.carol):
        submissions.submission_create(user=user, phase=world.phase, upload=upload(predictions_csv()))
    with pytest.raises(ValidationError, match="daily limit"):
        services.team_merge(user=world.alice, competition=world.competition, invite_code=other.invite_code)
    assert Team.objects.filter(pk=other.pk).exists()


def test_merging_is_refused_after_the_deadline_or_over_the_size_limit(world, team):
    services.register(user=world.carol, competition=world.competition)
    other = services.team_create(user=world.carol, competition=world.competition, name="Late")
    world.competition.team_size_limit = 2
    world.competition.save()
    with pytest.raises(ValidationError, match="limit"):
        services.team_merge(user=world.alice, competition=world.competition, invite_code=other.invite_code)
    world.competition.team_size_limit = 5
    world.competition.merger_deadline = timezone.now() - timedelta(minutes=1)
    world.competition.save()
    with pytest.raises(ValidationError, match="deadline"):
        services.team_merge(user=world.alice, competition=world.competition, invite_code=other.invite_code)


def test_leaving_the_last_member_removes_an_empty_team(world):
    services.register(user=world.carol, competition=world.competition)
    t = services.team_create(user=world.carol, competition=world.competition, name="Brief")
    services.team_leave(user=world.carol, competition=world.competition)
    assert not Team.objects.filter(pk=t.pk).exists()
