from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone

from forward.competitions import submissions
from forward.competitions.models import LeaderboardEntry, Submission, SubmissionStatus
from tests.competitions.conftest import predictions_csv, upload


def test_a_good_file_is_scored_and_reaches_the_leaderboard(world, team):
    s = submissions.submission_create(user=world.alice, phase=world.phase, upload=upload(predictions_csv()))
    s.refresh_from_db()
    assert s.status == SubmissionStatus.SCORED
    assert s.public_score == pytest.approx(1.0)
    assert s.private_score == pytest.approx(1.0)
    entry = LeaderboardEntry.objects.get(phase=world.phase, team=team)
    assert entry.best_public == pytest.approx(1.0)
    assert entry.entries == 1


def test_a_broken_file_fails_with_a_message_and_does_not_count(world, team):
    s = submissions.submission_create(
        user=world.alice, phase=world.phase, upload=upload(predictions_csv(header="id,probability")))
    s.refresh_from_db()
    assert s.status == SubmissionStatus.FAILED
    assert "target" in s.error  # names the missing column
    assert not s.counts_against_limit
    assert submissions.submissions_used_today(team=team, phase=world.phase) == 0
    assert not LeaderboardEntry.objects.filter(team=team).exists()


def test_the_daily_limit_is_enforced_and_says_when_it_resets(world, team):
    world.phase.daily_limit = 2
    world.phase.save()
    for _ in range(2):
        submissions.submission_create(user=world.alice, phase=world.phase, upload=upload(predictions_csv()))
    with pytest.raises(ValidationError) as err:
        submissions.submission_create(user=world.bob, phase=world.phase, upload=upload(predictions_csv()))
    assert "00:00 UTC" in str(err.value)
    assert Submission.objects.filter(team=team).count() == 2


def test_yesterdays_submissions_do_not_count_today(world, team):
    world.phase.daily_limit = 1
    world.phase.save()
    s = submissions.submission_create(user=world.alice, phase=world.phase, upload=upload(predictions_csv()))
    Submission.objects.filter(pk=s.pk).update(created_at=timezone.now() - timedelta(days=1, hours=1))
    submissions.submission_create(user=world.alice, phase=world.phase, upload=upload(predictions_csv()))


def test_someone_without_a_team_cannot_submit(world):
    with pytest.raises(ValidationError, match="team"):
        submissions.submission_create(user=world.carol, phase=world.phase, upload=upload(predictions_csv()))


def test_wrong_file_types_and_sizes_are_refused_before_storing(world, team):
    before = Submission.objects.count()
    with pytest.raises(ValidationError, match="csv"):
        submissions.submission_create(user=world.alice, phase=world.phase, upload=upload(b"x", "model.pkl"))
    world.phase.competition.max_submission_mb = 1
    world.phase.competition.save()
    big = upload(b"0" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError, match="1 MB"):
        submissions.submission_create(user=world.alice, phase=world.phase, upload=big)
    assert Submission.objects.count() == before


def test_a_closed_round_refuses_submissions(world, team):
    world.phase.starts_at = timezone.now() - timedelta(days=5)
    world.phase.ends_at = timezone.now() - timedelta(days=1)
    world.phase.save()
    with pytest.raises(ValidationError, match="ended"):
        submissions.submission_create(user=world.alice, phase=world.phase, upload=upload(predictions_csv()))


def test_scoring_twice_stores_the_same_result(world, team):
    s = submissions.submission_create(user=world.alice, phase=world.phase,
                                      upload=upload(predictions_csv(probs=[0.3 + 0.02 * i for i in range(20)])))
    s.refresh_from_db()
    first = (s.public_score, s.private_score)
    # A redelivered message for a scored submission does nothing.
    assert submissions.submission_score(submission_id=s.pk) is None
    # Put it back in the queue (as the reaper would) and score again: same numbers.
    Submission.objects.filter(pk=s.pk).update(status=SubmissionStatus.QUEUED)
    assert submissions.submission_score(submission_id=s.pk) == SubmissionStatus.SCORED
    s.refresh_from_db()
    assert (s.public_score, s.private_score) == first
    assert s.attempts == 2


def test_the_reaper_requeues_only_submissions_running_past_the_deadline(world, team, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    s = submissions.submission_create(user=world.alice, phase=world.phase, upload=upload(predictions_csv()))
    stuck_at = timezone.now() - timedelta(hours=2)
    Submission.objects.filter(pk=s.pk).update(status=SubmissionStatus.RUNNING, started_at=stuck_at,
                                              public_score=None)
    fresh = submissions.submission_create(user=world.bob, phase=world.phase, upload=upload(predictions_csv()))
    Submission.objects.filter(pk=fresh.pk).update(status=SubmissionStatus.RUNNING, started_at=timezone.now())
    requeued = submissions.submissions_requeue_stale()
    assert requeued == [s.pk]
    s.refresh_from_db()
    fresh.refresh_from_db()
    assert s.status == SubmissionStatus.SCORED  # requeued and scored again (eagerly here)
    assert fresh.status == SubmissionStatus.RUNNING


def test_final_selection_is_limited_and_closes_at_the_end(world, team):
    made = [submissions.submission_create(user=world.alice, phase=world.phase, upload=upload(predictions_csv()))
            for _ in range(3)]
    submissions.submission_select(user=world.alice, submission=made[0], selected=True)
    submissions.submission_select(user=world.bob, submission=made[1], selected=True)
    with pytest.raises(ValidationError, match="2"):
        submissions.submission_select(user=world.alice, submission=made[2], selected=True)
    world.phase.ends_at = timezone.now() - timedelta(seconds=1)
    world.phase.starts_at = timezone.now() - timedelta(days=3)
    world.phase.save()
    with pytest.raises(ValidationError, match="ended"):
        submissions.submission_select(user=world.alice, submission=made[0], selected=False)


def test_uploaded_files_are_stored_and_a_refused_upload_leaves_nothing(fresh_storage, world, team):
    s = submissions.submission_create(user=world.alice, phase=world.phase, upload=upload(predictions_csv()))
    assert default_storage.exists(s.file)
    with default_storage.open(s.file) as stored:
        assert stored.read() == predictions_csv()
    world.phase.daily_limit = 1
    world.phase.save()
    folder = s.file.rsplit("/", 1)[0]
    with pytest.raises(ValidationError, match="used all 1 submissions"):
        submissions.submission_create(user=world.bob, phase=world.phase, upload=upload(predictions_csv()))
    assert default_storage.listdir(folder)[1] == [s.file.rsplit("/", 1)[1]]
