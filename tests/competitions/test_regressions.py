"""Behaviour of the competitions app that source changes once broke without any test noticing (issue 18,
section 1): the private leaderboard uses each team's chosen submissions and shows how places moved; a
team whose last member leaves keeps its submissions; a refused upload leaves no file behind; a round
whose solution is unreadable, or a submission whose file is lost, fails with a message that does not
cost the team a slot; and the periodic reaper requeues, re-sends and finalizes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone

from forward.competitions import selectors, services, submissions, tasks
from forward.competitions.models import Phase, PhaseResult, Submission, SubmissionStatus, Team
from tests.competitions.conftest import LABELS, upload
from tests.competitions.test_host_console import PUBLIC, end_round, split_probs, submit
from tests.competitions.test_leaderboard import make_team
from tests.conftest import client_for


def mixed_probs(public: str, private: str) -> list[float]:
    """Predictions whose AUC on each part is 1.0 ("right"), 0.0 ("wrong") or 0.5 ("flat": all ties)."""
    out = []
    for y, is_public in zip(LABELS, PUBLIC, strict=True):
        kind = public if is_public else private
        out.append(0.5 if kind == "flat" else (0.9 if bool(y) == (kind == "right") else 0.1))
    return out


# --- 1. the private leaderboard uses the team's selected submissions ------------------------------


def test_the_private_leaderboard_uses_the_submission_the_team_selected(world, team):
    first = submit(world, world.alice, split_probs(True, False))     # public 1.0, private 0.0
    chosen = submit(world, world.bob, split_probs(False, True))      # public 0.0, private 1.0
    latest = submit(world, world.alice, split_probs(True, False))    # public 1.0, private 0.0
    rival = make_team(world, "Rivals")
    submit(world, rival, mixed_probs("flat", "flat"))                # 0.5 on both
    submissions.submission_select(user=world.bob, submission=chosen, selected=True)
    # On the public board the team stands on its first and latest submissions, not the chosen one.
    public = selectors.leaderboard(phase=world.phase)
    assert [(r.team, r.score) for r in public.rows] == [("Gradient Gang", 1.0), ("Rivals", 0.5)]
    assert Submission.objects.get(pk=first.pk).public_score == Submission.objects.get(pk=latest.pk).public_score == 1.0
    end_round(world)

    board = selectors.leaderboard(phase=world.phase, private=True)
    assert [(r.team, r.score) for r in board.rows] == [("Gradient Gang", 1.0), ("Rivals", 0.5)]
    assert Submission.objects.get(pk=chosen.pk).private_score == 1.0


# --- 2. the private leaderboard's order and the moves since the public one ------------------------


def test_the_private_leaderboard_orders_by_private_score_and_shows_each_teams_move(world, client):
    alpha, beta, gamma = make_team(world, "Alpha"), make_team(world, "Beta"), make_team(world, "Gamma")
    submit(world, alpha, mixed_probs("right", "wrong"))  # public 1.0, private 0.0
    submit(world, beta, mixed_probs("flat", "right"))    # public 0.5, private 1.0
    submit(world, gamma, mixed_probs("wrong", "flat"))   # public 0.0, private 0.5
    public = selectors.leaderboard(phase=world.phase)
    assert [(r.team, r.score) for r in public.rows] == [("Alpha", 1.0), ("Beta", 0.5), ("Gamma", 0.0)]
    end_round(world)

    private = selectors.leaderboard(phase=world.phase, private=True)
    assert [(r.team, r.rank, r.score, r.move) for r in private.rows] == [
        ("Beta", 1, 1.0, 1), ("Gamma", 2, 0.5, 1), ("Alpha", 3, 0.0, -2)]
    body = client.get(f"/api/v1/competitions/{world.competition.slug}/leaderboard?view=private").json()
    assert [(r["team"], r["move"]) for r in body["rows"]] == [("Beta", 1), ("Gamma", 1), ("Alpha", -2)]


# --- 3. the last member leaving a team with submissions -------------------------------------------


def test_the_last_member_leaving_keeps_the_teams_submissions_and_its_place(world):
    services.register(user=world.carol, competition=world.competition)
    solo = services.team_create(user=world.carol, competition=world.competition, name="Solo Carol")
    made = submit(world, world.carol, split_probs(True, True))
    services.team_leave(user=world.carol, competition=world.competition)

    kept = Submission.objects.filter(pk=made.pk).first()
    assert kept is not None, "the submission of a team whose last member left was deleted"
    assert Team.objects.filter(pk=solo.pk, members__isnull=True).exists()  # kept, with nobody in it
    assert (kept.team_id, kept.status, kept.public_score) == (solo.pk, SubmissionStatus.SCORED, 1.0)
    board = selectors.leaderboard(phase=world.phase)
    assert [(r.team, r.score, r.entries) for r in board.rows] == [("Solo Carol", 1.0, 1)]
    assert "Solo Carol" in client_for(None).get(f"/competitions/{world.competition.slug}/leaderboard/").content.decode()


# --- 4. a refused upload leaves no file -----------------------------------------------------------


@pytest.fixture(params=["local", "s3"])
def any_storage(request):
    """Each test runs against local files and against a real S3 bucket (whatever the run's storage)."""
    if request.param == "s3":
        request.getfixturevalue("s3_storage")
    else:
        request.getfixturevalue("local_storage")
    return request.param


def team_files(world, team) -> list[str]:
    prefix = f"competitions/{world.competition.pk}/phase-{world.phase.number}/submissions/{team.pk}"
    _dirs, files = default_storage.listdir(prefix)
    return sorted(files)


def test_an_upload_refused_over_the_daily_limit_leaves_no_file_in_storage(any_storage, world, team):
    Phase.objects.filter(pk=world.phase.pk).update(daily_limit=1)
    world.phase.refresh_from_db()
    accepted = submit(world, world.alice, split_probs(True, True))
    stored = team_files(world, team)
    assert stored == [accepted.file.rsplit("/", 1)[-1]]

    with pytest.raises(ValidationError, match="used all 1 submissions for today"):
        submit(world, world.bob, split_probs(False, False))
    assert team_files(world, team) == stored
    assert Submission.objects.filter(team=team).count() == 1


# --- 6. an unreadable solution and a lost file ----------------------------------------------------


@pytest.fixture
def unsent(monkeypatch):
    """Scoring messages are held back, so a test can change the world before a worker scores."""
    held: list[int] = []
    monkeypatch.setattr(tasks.score_submission, "delay", lambda submission_id: held.append(submission_id))
    return held


def test_an_unreadable_solution_fails_the_submission_without_counting_it(world, team, unsent):
    queued = submit(world, world.alice, split_probs(True, True))
    bad = default_storage.save(f"competitions/{world.competition.pk}/broken-solution.csv",
                               upload(b"not,a\nsolution\x00\xff\n"))
    Phase.objects.filter(pk=world.phase.pk).update(solution_file=bad, solution_sha256="")

    assert submissions.submission_score(submission_id=queued.pk) == SubmissionStatus.FAILED
    queued.refresh_from_db()
    assert queued.status == SubmissionStatus.FAILED
    assert queued.error == ("The host's solution file could not be read; the host has been told. "
                            "This submission does not count against your limit.")
    assert queued.counts_against_limit is False
    assert submissions.submissions_used_today(team=team, phase=world.phase) == 0


def test_a_missing_solution_file_fails_the_submission_without_counting_it(world, team, unsent):
    queued = submit(world, world.alice, split_probs(True, True))
    Phase.objects.filter(pk=world.phase.pk).update(solution_file=f"competitions/{world.competition.pk}/gone.csv",
                                                   solution_sha256="")

    assert submissions.submission_score(submission_id=queued.pk) == SubmissionStatus.FAILED
    queued.refresh_from_db()
    assert queued.error.startswith("The host's solution file could not be read")
    assert queued.counts_against_limit is False


def test_a_submission_whose_file_was_lost_fails_with_a_message_and_does_not_count(any_storage, world, team, unsent):
    queued = submit(world, world.alice, split_probs(True, True))
    default_storage.delete(queued.file)

    assert submissions.submission_score(submission_id=queued.pk) == SubmissionStatus.FAILED
    queued.refresh_from_db()
    assert queued.status == SubmissionStatus.FAILED
    assert queued.error == "The uploaded file was lost before scoring; please submit it again."
    assert queued.counts_against_limit is False
    assert submissions.submissions_used_today(team=team, phase=world.phase) == 0
    html = client_for(world.alice).get(f"/competitions/{world.competition.slug}/submissions/").content.decode()
    assert "The uploaded file was lost before scoring; please submit it again." in html


# --- 7. the periodic reaper -----------------------------------------------------------------------


def test_the_periodic_reap_requeues_resends_and_finalizes(world, team, monkeypatch):
    rival = make_team(world, "Rivals")
    stuck = submit(world, world.alice, split_probs(True, True))
    past_deadline = timezone.now() - submissions.scoring_deadline() - timedelta(minutes=1)
    Submission.objects.filter(pk=stuck.pk).update(status=SubmissionStatus.RUNNING, started_at=past_deadline,
                                                  public_score=None, private_score=None)
    lost: list[int] = []
    real_delay = tasks.score_submission.delay
    monkeypatch.setattr(tasks.score_submission, "delay", lambda submission_id: lost.append(submission_id))
    waiting = submit(world, rival, split_probs(True, False))
    assert lost == [waiting.pk]
    monkeypatch.setattr(tasks.score_submission, "delay", real_delay)  # the broker is back
    Submission.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(minutes=11))
    fresh = Submission.objects.create(phase=world.phase, team=stuck.team, submitted_by=world.bob, file=stuck.file,
                                      original_name="p.csv", size=stuck.size)  # queued a moment ago: left alone
    now = timezone.now()
    Phase.objects.filter(pk=world.phase.pk).update(starts_at=now - timedelta(days=3), ends_at=now - timedelta(seconds=1))

    result = tasks.reap()

    assert result["requeued"] == [stuck.pk]
    assert result["resent"] == [waiting.pk]
    assert result["finalized"] == [world.phase.pk]
    stuck.refresh_from_db()
    assert (stuck.status, stuck.public_score, stuck.attempts) == (SubmissionStatus.SCORED, 1.0, 2)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.public_score, waiting.private_score) == (SubmissionStatus.SCORED, 1.0, 0.0)
    assert Submission.objects.get(pk=fresh.pk).status == SubmissionStatus.QUEUED
    assert PhaseResult.objects.filter(phase=world.phase).exists()
    board = selectors.leaderboard(phase=world.phase, private=True)
    assert [(r.team, r.score) for r in board.rows] == [("Gradient Gang", 1.0), ("Rivals", 0.0)]
    assert tasks.reap() == {"requeued": [], "resent": [], "rescores": {"requeued": [], "resent": []},
                            "finalized": []}  # nothing left to do


def test_reap_finalizes_nothing_before_a_round_ends(world, team):
    submit(world, world.alice, split_probs(True, True))
    assert tasks.reap()["finalized"] == []
    assert not PhaseResult.objects.filter(phase=world.phase).exists()
    assert not selectors.private_available(world.phase)
