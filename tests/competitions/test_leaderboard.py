from datetime import timedelta

import pytest
from django.utils import timezone

from forward.competitions import selectors, services, submissions
from forward.competitions.models import Submission
from tests.competitions.conftest import LABELS, predictions_csv, upload
from tests.conftest import make_user


def make_team(world, name: str):
    user = make_user(f"{name.lower().replace(' ', '')}@uni.test", name)
    services.register(user=user, competition=world.competition)
    services.team_create(user=user, competition=world.competition, name=name)
    return user


def score_with(world, user, quality: float, when=None):
    """quality 1.0 = every row on the right side; lower qualities put more rows on the wrong side."""
    right = round(len(LABELS) * quality)
    probs = [0.5 + (0.1 + i / 100) * (1 if y else -1) * (1 if i < right else -1) for i, y in enumerate(LABELS)]
    s = submissions.submission_create(user=user, phase=world.phase, upload=upload(predictions_csv(probs)))
    if when is not None:
        Submission.objects.filter(pk=s.pk).update(created_at=when)
    return s


def test_best_score_per_team_with_ties_broken_by_the_earlier_submission(world):
    early, late, weak = make_team(world, "Early"), make_team(world, "Late"), make_team(world, "Weak")
    now = timezone.now()
    score_with(world, late, 0.9)
    score_with(world, early, 0.9)
    score_with(world, weak, 0.5)
    score_with(world, weak, 0.45)
    # Early's only submission was made first, so it wins the tie.
    Submission.objects.filter(team__name="Early").update(created_at=now - timedelta(hours=2))
    from forward.competitions.submissions import leaderboard_entry_refresh

    for team_id in Submission.objects.values_list("team_id", flat=True).distinct():
        leaderboard_entry_refresh(phase_id=world.phase.pk, team_id=team_id)
    board = selectors.leaderboard(phase=world.phase)
    assert [r.team for r in board.rows] == ["Early", "Late", "Weak"]
    assert [r.rank for r in board.rows] == [1, 2, 3]
    assert board.rows[2].entries == 2
    assert board.higher_is_better


def test_improvement_over_the_baseline(world):
    user = make_team(world, "Better")
    submissions.baseline_submit(actor=world.host_user, phase=world.phase,
                                upload=upload(predictions_csv([0.5 + 0.1 * (1 if y else -1) if i % 3 else 0.5
                                                               for i, y in enumerate(LABELS)])))
    score_with(world, user, 1.0)
    board = selectors.leaderboard(phase=world.phase)
    assert board.baseline is not None and board.baseline < 1.0
    assert [r.team for r in board.rows] == ["Better"]  # the baseline is a reference row, not ranked
    expected = (1.0 - board.baseline) / board.baseline * 100
    assert board.rows[0].improvement == pytest.approx(expected)


def test_private_leaderboard_appears_only_after_the_end_and_shows_moves(world):
    a, b = make_team(world, "Alpha"), make_team(world, "Beta")
    score_with(world, a, 0.9)
    score_with(world, b, 0.7)
    assert not selectors.private_available(world.phase)
    world.phase.starts_at = timezone.now() - timedelta(days=3)
    world.phase.ends_at = timezone.now() - timedelta(seconds=1)
    world.phase.save()
    assert submissions.phase_finalize(phase_id=world.phase.pk)
    assert not submissions.phase_finalize(phase_id=world.phase.pk)  # once
    board = selectors.leaderboard(phase=world.phase, private=True)
    assert [r.team for r in board.rows] == ["Alpha", "Beta"]
    assert [r.move for r in board.rows] == [0, 0]


def test_leaderboard_queries_do_not_grow_with_teams(world, django_assert_num_queries):
    for i in range(3):
        score_with(world, make_team(world, f"Team {i}"), 0.6 + i * 0.1)
    with django_assert_num_queries(3):
        small = selectors.leaderboard(phase=world.phase)
    for i in range(3, 15):
        score_with(world, make_team(world, f"Team {i}"), 0.6)
    with django_assert_num_queries(3):
        big = selectors.leaderboard(phase=world.phase)
    assert len(small.rows) == 3 and len(big.rows) == 15


def test_chart_series_track_each_teams_best_score(world):
    user = make_team(world, "Climbers")
    now = timezone.now()
    score_with(world, user, 0.6, when=now - timedelta(days=2))
    score_with(world, user, 0.55, when=now - timedelta(days=1))  # worse: not a new point
    score_with(world, user, 0.9, when=now)
    chart = selectors.leaderboard_chart(phase=world.phase)
    series = {s["team"]: s for s in chart["series"]}
    points = [p[1] for p in series["Climbers"]["points"]]
    assert points == sorted(points) and len(points) == 2


def test_leaderboard_page_and_api_queries_do_not_grow_with_teams(world, django_assert_num_queries):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    url = f"/competitions/{world.competition.slug}/leaderboard/"
    api = f"/api/v1/competitions/{world.competition.slug}/leaderboard"
    for i in range(2):
        score_with(world, make_team(world, f"Small {i}"), 0.7)
    with CaptureQueriesContext(connection) as page_small:
        client.get(url)
    with CaptureQueriesContext(connection) as api_small:
        client.get(api)
    for i in range(12):
        score_with(world, make_team(world, f"Big {i}"), 0.6 + i / 100)
    with django_assert_num_queries(len(page_small.captured_queries)):
        html = client.get(url).content.decode()
    with django_assert_num_queries(len(api_small.captured_queries)):
        body = client.get(api).json()
    assert "Big 11" in html and len(body["rows"]) == 14
