"""A competition of two rounds: which round is current at its edges, the competition's state, and
each round's leaderboard and submissions kept apart."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from forward.competitions import selectors, services, submissions
from forward.competitions.models import Competition, Phase
from tests.competitions.conftest import LABELS, predictions_csv, solution_csv, upload
from tests.conftest import client_for


class Rounds:
    pass


@pytest.fixture
def rounds(world, team) -> Rounds:
    """Round 1 ended an hour ago: Gradient Gang (Alice, Bob) and Carol's "Solo" submitted to it. The
    final, open now: Gradient Gang advanced and submitted, and the host's baseline is scored there
    (round 1 has no baseline)."""
    r = Rounds()
    services.register(user=world.carol, competition=world.competition)
    r.solo = services.team_create(user=world.carol, competition=world.competition, name="Solo")
    r.team = team
    r.alice = world.alice
    r.first_alice = submissions.submission_create(user=world.alice, phase=world.phase, upload=upload(predictions_csv()))
    r.first_carol = submissions.submission_create(user=world.carol, phase=world.phase,
                                                  upload=upload(predictions_csv([0.6] * 20)))
    final = services.phase_add(actor=world.host_user, competition=world.competition, name="Final",
                               starts_at=world.phase.ends_at, ends_at=world.phase.ends_at + timedelta(days=3))
    final = services.solution_upload(actor=world.host_user, phase=final, upload=upload(solution_csv(), "solution.csv"))
    services.phase_advance(actor=world.host_user, phase=final, team_ids=[team.pk])
    now = timezone.now()
    Phase.objects.filter(pk=world.phase.pk).update(starts_at=now - timedelta(days=3), ends_at=now - timedelta(hours=1))
    Phase.objects.filter(pk=final.pk).update(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=3))
    r.first = Phase.objects.get(pk=world.phase.pk)
    r.final = Phase.objects.get(pk=final.pk)
    r.final_alice = submissions.submission_create(user=world.alice, phase=r.final, upload=upload(predictions_csv()))
    submissions.baseline_submit(actor=world.host_user, phase=r.final,
                                upload=upload(predictions_csv([(0.6 if y else 0.4) if i % 3 else 0.5
                                                               for i, y in enumerate(LABELS)])))
    r.competition = Competition.objects.get(pk=world.competition.pk)
    return r


def test_the_current_round_at_the_edges_of_the_rounds(rounds):
    first, final, competition = rounds.first, rounds.final, rounds.competition
    moment = timedelta(microseconds=1)
    assert selectors.current_phase(competition, now=first.starts_at - timedelta(days=1)) == first  # the next one
    assert selectors.current_phase(competition, now=first.starts_at) == first  # opens at its start
    assert selectors.current_phase(competition, now=first.ends_at - moment) == first
    assert selectors.current_phase(competition, now=first.ends_at) == final  # closed at its end: the final is open
    assert selectors.current_phase(competition, now=final.ends_at) == final  # all over: the last one


def test_the_competition_is_upcoming_then_running_then_ended(rounds):
    first, final, competition = rounds.first, rounds.final, rounds.competition
    moment = timedelta(microseconds=1)
    assert selectors.competition_state(competition, now=first.starts_at - moment) == "upcoming"
    assert selectors.competition_state(competition, now=first.starts_at) == "running"
    assert selectors.competition_state(competition, now=final.ends_at - moment) == "running"
    assert selectors.competition_state(competition, now=final.ends_at) == "ended"


def test_each_rounds_leaderboard_ranks_only_its_own_teams_against_its_own_baseline(rounds):
    api = f"/api/v1/competitions/{rounds.competition.slug}/leaderboard"
    anyone = client_for(None)
    first = anyone.get(api, {"phase": 1}).json()
    assert [r["team"] for r in first["rows"]] == ["Gradient Gang", "Solo"]
    assert first["count"] == 2
    assert first["baseline"] is None  # the final's baseline is no reference for round 1
    assert [r["improvement_pct"] for r in first["rows"]] == [None, None]
    final = anyone.get(api, {"phase": 2}).json()
    assert [r["team"] for r in final["rows"]] == ["Gradient Gang"]
    assert final["count"] == 1
    assert final["baseline"] is not None and final["rows"][0]["improvement_pct"] > 0
    page = anyone.get(f"/competitions/{rounds.competition.slug}/leaderboard/?phase=1").content.decode()
    assert "Solo" in page and 'class="baseline-row"' not in page


def test_a_team_sees_only_its_own_submissions_to_the_round_shown(rounds):
    alice = client_for(rounds.alice)
    slug = rounds.competition.slug

    def listed(html: str, submission) -> bool:
        return f'<td data-label="#">{submission.pk}</td>' in html

    current = alice.get(f"/competitions/{slug}/submissions/").content.decode()  # the final
    assert listed(current, rounds.final_alice)
    assert not listed(current, rounds.first_alice) and not listed(current, rounds.first_carol)
    first = alice.get(f"/competitions/{slug}/submissions/rows/?phase=1").content.decode()
    assert listed(first, rounds.first_alice)
    assert not listed(first, rounds.first_carol) and not listed(first, rounds.final_alice)


def test_a_draft_is_marked_as_a_draft_whatever_its_dates(world):
    now = timezone.now()
    draft = services.competition_create(actor=world.host_user, host=world.host_org, title="Next basket", metric="auc",
                                        starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=3))
    assert selectors.competition_state(draft) == "draft"
    page = client_for(world.host_user).get("/competitions/").content.decode()
    assert page.count('class="badge state-draft">Draft</span>') == 1
    assert page.count('class="badge state-running">Running</span>') == 1  # the published one
