"""What a leaderboard shows: its pages, your own row, moves on the private board, and the gain over
the host's baseline whichever way the metric goes."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from forward.competitions import selectors, services, submissions
from tests.competitions.conftest import LABELS, predictions_csv, solution_csv, upload
from tests.competitions.test_host_console import end_round, split_probs, submit
from tests.competitions.test_leaderboard import make_team, score_with
from tests.conftest import client_for


def test_a_short_leaderboard_is_one_page(world, team):
    submit(world, world.alice, split_probs(True, True))
    slug = world.competition.slug
    anyone = client_for(None)
    board = anyone.get(f"/api/v1/competitions/{slug}/leaderboard").json()
    assert (board["page"], board["pages"], board["count"]) == (1, 1, 1)
    assert anyone.get(f"/api/v1/competitions/{slug}/leaderboard", {"page": 2}).status_code == 404
    page = anyone.get(f"/competitions/{slug}/leaderboard/").content.decode()
    assert "Gradient Gang" in page and "Page 1 of" not in page and 'rel="next"' not in page


def test_a_long_leaderboard_carries_its_ranks_over_its_pages(world):
    for i, quality in enumerate((0.9, 0.8, 0.7)):
        score_with(world, make_team(world, f"Team {i}"), quality)
    first = selectors.leaderboard(phase=world.phase, page_size=2)
    assert (first.page, first.pages, first.count) == (1, 2, 3)
    assert [(r.rank, r.team) for r in first.rows] == [(1, "Team 0"), (2, "Team 1")]
    last = selectors.leaderboard(phase=world.phase, page=2, page_size=2)
    assert (last.page, last.pages) == (2, 2)
    assert [(r.rank, r.team) for r in last.rows] == [(3, "Team 2")]
    beyond = selectors.leaderboard(phase=world.phase, page=9, page_size=2)  # the last page
    assert beyond.page == 2 and [r.rank for r in beyond.rows] == [3]


def test_a_participant_sees_their_own_teams_row_marked(world, team):
    submit(world, world.alice, split_probs(True, True))
    score_with(world, make_team(world, "Rivals"), 0.6)
    page = client_for(world.bob).get(f"/competitions/{world.competition.slug}/leaderboard/").content.decode()
    mine = re.findall(r'<tr class="mine">(.*?)</tr>', page, re.S)
    assert len(mine) == 1 and "Gradient Gang" in mine[0] and "Rivals" not in mine[0]
    page = client_for(world.outsider).get(f"/competitions/{world.competition.slug}/leaderboard/").content.decode()
    assert 'class="mine"' not in page


def test_moves_since_the_public_board_are_shown_on_the_private_board_only(world, team):
    rival = make_team(world, "Rivals")
    submit(world, world.alice, split_probs(True, False))  # top in public, wrong in private
    submissions.submission_create(user=rival, phase=world.phase, upload=upload(predictions_csv(split_probs(False, True))))
    end_round(world)
    api = f"/api/v1/competitions/{world.competition.slug}/leaderboard"
    public = client_for(None).get(api).json()
    assert [(r["team"], r["move"]) for r in public["rows"]] == [("Gradient Gang", None), ("Rivals", None)]
    private = client_for(None).get(api, {"view": "private"}).json()
    assert [(r["team"], r["move"]) for r in private["rows"]] == [("Rivals", 1), ("Gradient Gang", -1)]


def test_a_lower_error_than_the_baseline_is_a_positive_improvement(world):
    now = timezone.now()
    competition = services.competition_create(
        actor=world.host_user, host=world.host_org, title="Basket size", metric="rmse",
        starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=10), rules="Be nice.", team_size_limit=3)
    phase = services.solution_upload(actor=world.host_user, phase=competition.phases.get(),
                                     upload=upload(solution_csv(), "solution.csv"))
    competition = services.competition_publish(actor=world.host_user, competition=competition)
    services.register(user=world.alice, competition=competition)
    services.team_create(user=world.alice, competition=competition, name="Gradient Gang")
    submissions.baseline_submit(actor=world.host_user, phase=phase, upload=upload(predictions_csv([0.5] * 20)))
    submissions.submission_create(user=world.alice, phase=phase,
                                  upload=upload(predictions_csv([0.9 if y else 0.1 for y in LABELS])))
    board = client_for(None).get(f"/api/v1/competitions/{competition.slug}/leaderboard").json()
    assert board["higher_is_better"] is False
    assert board["baseline"] == pytest.approx(0.5)
    assert board["rows"][0]["score"] == pytest.approx(0.1)
    assert board["rows"][0]["improvement_pct"] == pytest.approx(80.0)  # 80% less error
