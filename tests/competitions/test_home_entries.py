"""The home page's "your competitions" panel (selectors.home_entries): the published competitions a
person has a team in, newest first, each with its current round and the team's rank on that round's
public leaderboard out of the teams ranked there (not the host's baseline, not disqualified teams)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from forward.competitions import selectors
from forward.competitions.models import (
    Competition,
    CompetitionStatus,
    LeaderboardEntry,
    Phase,
    Submission,
    SubmissionStatus,
    Team,
    TeamMember,
)
from forward.core.models import OrganizationKind
from tests.conftest import make_organization, make_user

NOW = timezone.now()
DAY = timedelta(days=1)


class World:
    pass


@pytest.fixture
def world(db) -> World:
    w = World()
    w.host_admin = make_user("host@lab.test", "Host Admin")
    w.host = make_organization(creator=w.host_admin, name="Panel Lab", kind=OrganizationKind.HOST, country="CN")
    w.learner = make_user("learner@uni.test", "Lin Learner")
    return w


def _competition(w: World, title: str, *, age: timedelta = DAY, rounds=((-DAY, 5 * DAY),),
                 status=CompetitionStatus.PUBLISHED) -> tuple[Competition, list[Phase]]:
    """A competition created `age` ago, with rounds (start, end) relative to NOW, numbered in order."""
    competition = Competition.objects.create(slug=title.lower(), title=title, host=w.host, metric="auc",
                                             status=status, created_at=NOW - age)
    phases = [Phase.objects.create(competition=competition, number=n, name=f"Round {n}", starts_at=NOW + start,
                                   ends_at=NOW + end) for n, (start, end) in enumerate(rounds, start=1)]
    return competition, phases


def _team(competition: Competition, name: str, *, user=None, baseline: bool = False,
          disqualified: bool = False) -> Team:
    team = Team.objects.create(competition=competition, name=name, invite_code=f"{competition.slug}-{name}",
                               is_baseline=baseline, disqualified_at=NOW if disqualified else None,
                               disqualified_reason="Shared accounts." if disqualified else "")
    if user is not None:
        TeamMember.objects.create(team=team, user=user, competition=competition)
    return team


def _scored(phase: Phase, team: Team, score: float) -> None:
    """The team's standing on the round's public board (AUC: higher is better)."""
    submission = Submission.objects.create(phase=phase, team=team, file="x.csv", original_name="x.csv",
                                           status=SubmissionStatus.SCORED, public_score=score)
    LeaderboardEntry.objects.create(phase=phase, team=team, best_public=score, sort_key=-score,
                                    best_submission=submission, best_at=NOW - DAY, entries=1,
                                    last_submission_at=NOW - DAY)


def test_the_panel_lists_the_five_newest_published_competitions_entered_not_drafts_nor_the_hosts_baseline(world):
    # Created (days ago): Fraud 1, Churn 2, Traffic and Weather 3 (the same instant), Retail 4, Energy 5;
    # joined in another order: Energy, Weather, Traffic, Retail, Churn, Fraud.
    ages = {"Fraud": 1, "Churn": 2, "Traffic": 3, "Weather": 3, "Retail": 4, "Energy": 5}
    entered = {title: _competition(world, title, age=timedelta(days=days))[0] for title, days in ages.items()}
    for title in ("Energy", "Weather", "Traffic", "Retail", "Churn", "Fraud"):
        _team(entered[title], f"{title} team", user=world.learner)
    # Newer than all of them: a draft the learner has a team in, and a competition where the learner
    # is on the host's baseline team.
    draft, _rounds = _competition(world, "Draft", age=timedelta(hours=1), status=CompetitionStatus.DRAFT)
    _team(draft, "Early birds", user=world.learner)
    reference, _rounds = _competition(world, "Reference", age=timedelta(hours=2))
    _team(reference, "Host baseline", user=world.learner, baseline=True)

    shown = selectors.home_entries(user=world.learner, now=NOW)

    # Newest first; of the two created at the same instant, the one joined last first; five at most.
    assert [row["competition"].title for row in shown] == ["Fraud", "Churn", "Traffic", "Weather", "Retail"]
    assert [row["team"].name for row in shown] == ["Fraud team", "Churn team", "Traffic team", "Weather team",
                                                   "Retail team"]


def test_each_competition_shows_its_round_open_now_else_the_next_else_the_last(world):
    opening, _ = _competition(world, "Opening", age=1 * DAY, rounds=((0 * DAY, 2 * DAY), (3 * DAY, 5 * DAY)))
    between, _ = _competition(world, "Between", age=2 * DAY,
                              rounds=((-3 * DAY, 0 * DAY), (1 * DAY, 2 * DAY), (3 * DAY, 4 * DAY)))
    over, _ = _competition(world, "Over", age=3 * DAY, rounds=((-5 * DAY, -3 * DAY), (-2 * DAY, -1 * DAY)))
    bare, _ = _competition(world, "Bare", age=4 * DAY, rounds=())  # no round at all
    for competition in (opening, between, over, bare):
        _team(competition, "Solo", user=world.learner)

    shown = selectors.home_entries(user=world.learner, now=NOW)

    # The round starting this instant is open; the one ending this instant is not.
    assert [(row["competition"].title, row["phase"] and row["phase"].name) for row in shown] == [
        ("Opening", "Round 1"), ("Between", "Round 2"), ("Over", "Round 2"), ("Bare", None)]
    assert [(row["rank"], row["ranked"]) for row in shown] == [(None, 0)] * 4  # nobody has scored
    for row in shown:
        assert row["phase"] == selectors.current_phase(row["competition"], NOW)


def test_the_panel_shows_the_round_current_at_the_instant_it_is_asked_for(world):
    # The home page passes the instant it also uses for the deadlines: in three days, round 2.
    competition, _ = _competition(world, "Relay", rounds=((-DAY, DAY), (2 * DAY, 9 * DAY)))
    _team(competition, "Batons", user=world.learner)

    assert [row["phase"].name for row in selectors.home_entries(user=world.learner)] == ["Round 1"]
    assert [row["phase"].name for row in selectors.home_entries(user=world.learner, now=NOW + 3 * DAY)] == [
        "Round 2"]


def test_the_rank_is_among_the_ranked_teams_of_the_current_round_in_every_competition_entered(
        world, django_assert_num_queries):
    # Finals (newest): round 1 is over, round 2 open. On round 2 the learner's team is behind one team,
    # and behind the host's baseline and a disqualified team, which are not ranked.
    finals, (first, second) = _competition(world, "Finals", age=1 * DAY,
                                           rounds=((-9 * DAY, -5 * DAY), (-4 * DAY, 5 * DAY)))
    mine = _team(finals, "Kernel Squad", user=world.learner)
    _scored(first, mine, 0.70)
    for i, score in enumerate((0.95, 0.90, 0.85)):
        _scored(first, _team(finals, f"Round one {i}"), score)
    _scored(second, _team(finals, "Leaders"), 0.91)
    _scored(second, _team(finals, "Host baseline", baseline=True), 0.99)
    _scored(second, _team(finals, "Cheaters", disqualified=True), 0.98)
    _scored(second, mine, 0.80)
    _scored(second, _team(finals, "Trailers"), 0.60)
    # Sprint: the learner's team leads.
    sprint, (sprint_round,) = _competition(world, "Sprint", age=2 * DAY)
    _scored(sprint_round, _team(sprint, "Sprinters", user=world.learner), 0.90)
    _scored(sprint_round, _team(sprint, "Joggers"), 0.50)
    # Quiet: nobody has scored yet.
    quiet, _ = _competition(world, "Quiet", age=3 * DAY)
    _team(quiet, "Latecomers", user=world.learner)

    with django_assert_num_queries(3):  # the teams, their rounds, their standings: however many competitions
        shown = selectors.home_entries(user=world.learner, now=NOW)

    assert [(row["competition"].title, row["phase"].name, row["rank"], row["ranked"]) for row in shown] == [
        ("Finals", "Round 2", 2, 3), ("Sprint", "Round 1", 1, 2), ("Quiet", "Round 1", None, 0)]


def test_a_disqualified_team_has_no_rank_even_alone_on_the_board(world):
    alone, (round_one,) = _competition(world, "Alone", age=1 * DAY)
    _scored(round_one, _team(alone, "Banned", user=world.learner, disqualified=True), 0.99)
    crowded, (round_two,) = _competition(world, "Crowded", age=2 * DAY)
    _scored(round_two, _team(crowded, "Also banned", user=world.learner, disqualified=True), 0.99)
    _scored(round_two, _team(crowded, "Honest"), 0.50)

    shown = selectors.home_entries(user=world.learner, now=NOW)

    # Off every leaderboard: no rank; the board ranks no team in Alone, one in Crowded.
    assert [(row["competition"].title, row["rank"], row["ranked"]) for row in shown] == [
        ("Alone", None, 0), ("Crowded", None, 1)]
