"""Hostile files through the service, the API and the page: each ends `failed` with a message.

Tasks run eagerly here (the demo's mode), and scoring still runs in a child process with limits.
"""

from datetime import timedelta

import numpy as np
import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from forward import scoring
from forward.competitions import submissions
from forward.competitions.models import Submission, SubmissionStatus
from forward.scoring import scorer
from tests.competitions.conftest import predictions_csv, upload
from tests.competitions.test_api import bearer

NOT_UTF8 = b"id,target\n1,0.9\n2,0.\xff2,7\n3,0.1\n"  # a bad byte on a line with a field too many


def test_a_non_utf8_byte_on_a_line_with_a_wrong_field_count_fails_with_a_message(world, team):
    s = submissions.submission_create(user=world.alice, phase=world.phase, upload=upload(NOT_UTF8))
    s.refresh_from_db()
    assert s.status == SubmissionStatus.FAILED
    assert "not UTF-8 text (line 3" in s.error
    assert not s.counts_against_limit


def test_the_api_and_the_page_answer_a_non_utf8_file_without_a_500(client, world, team):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(f"/api/v1/competitions/{world.competition.slug}/submissions",
                           {"file": SimpleUploadedFile("p.csv", NOT_UTF8)}, **bearer(world.alice))
    assert response.status_code == 201
    detail = client.get(f"/api/v1/submissions/{response.json()['id']}", **bearer(world.alice)).json()
    assert detail["status"] == "failed" and "UTF-8" in detail["error"]
    client.force_login(world.bob)
    response = client.post(f"/competitions/{world.competition.slug}/submissions/",
                           {"file": SimpleUploadedFile("p.csv", NOT_UTF8), "phase": "1"}, follow=True)
    assert response.status_code == 200
    assert "UTF-8" in response.content.decode()


def test_a_bomb_of_duplicated_ids_fails_at_the_rows_the_solution_implies(world, team):
    import gzip

    bomb = gzip.compress(b"id,target\n" + b"1,0.5\n" * 1_000_000)
    s = submissions.submission_create(user=world.alice, phase=world.phase, upload=upload(bomb, "p.csv.gz"))
    s.refresh_from_db()
    assert s.status == SubmissionStatus.FAILED
    assert s.error.startswith("The file has more than 1,020 rows; a submission for this competition has 20 rows")


def test_an_exception_in_eager_scoring_keeps_the_file_and_fails_the_row(world, team, monkeypatch, caplog):
    """Before: the exception escaped the upload (a 500), the row stayed `running` and its file was deleted."""
    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the scorer")

    monkeypatch.setattr(scorer, "read_columns", broken)
    s = submissions.submission_create(user=world.alice, phase=world.phase, upload=upload(predictions_csv()))
    s.refresh_from_db()
    assert s.status == SubmissionStatus.FAILED
    assert "unexpected error" in s.error
    assert not s.counts_against_limit
    assert default_storage.exists(s.file)
    assert "RuntimeError: a bug in the scorer" in caplog.text


def test_an_exception_outside_the_child_also_ends_the_row(world, team, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("storage went away")

    monkeypatch.setattr(submissions, "_score_in_child", broken)
    s = submissions.submission_create(user=world.alice, phase=world.phase, upload=upload(predictions_csv()))
    s.refresh_from_db()
    assert s.status == SubmissionStatus.FAILED
    assert default_storage.exists(s.file)


def _hungry(*args):
    return np.ones(1024**3 // 8).sum()


def test_a_job_over_the_memory_limit_fails_with_the_limit_in_the_message(world, team, monkeypatch, settings):
    settings.FORWARD_SCORING_MEMORY_MB = 64
    monkeypatch.setattr(scoring, "score_files", _hungry)
    monkeypatch.setattr(scoring, "score", _hungry)  # the job when the worker keeps the solution
    s = submissions.submission_create(user=world.alice, phase=world.phase, upload=upload(predictions_csv()))
    s.refresh_from_db()
    assert s.status == SubmissionStatus.FAILED
    assert s.error.startswith("The file needs more than 64 MB of memory to read")
    assert s.counts_against_limit  # it cost a worker that much; it would again


def test_the_reaper_fails_a_submission_interrupted_max_attempts_times(world, team, settings):
    settings.FORWARD_SCORING_MAX_ATTEMPTS = 3
    stuck = timezone.now() - timedelta(hours=2)
    tired = submissions.submission_create(user=world.alice, phase=world.phase, upload=upload(predictions_csv()))
    fresh = submissions.submission_create(user=world.bob, phase=world.phase, upload=upload(predictions_csv()))
    Submission.objects.filter(pk=tired.pk).update(status=SubmissionStatus.RUNNING, started_at=stuck, attempts=3)
    Submission.objects.filter(pk=fresh.pk).update(status=SubmissionStatus.RUNNING, started_at=stuck, attempts=2)
    assert submissions.submissions_requeue_stale() == [fresh.pk]
    tired.refresh_from_db()
    fresh.refresh_from_db()
    assert tired.status == SubmissionStatus.FAILED
    assert tired.error.startswith("Scoring was interrupted 3 times; the file may be too large to score.")
    assert not tired.counts_against_limit
    assert fresh.status == SubmissionStatus.SCORED and fresh.attempts == 3  # its third try (eager here)


def test_a_queued_submission_out_of_attempts_is_failed_by_the_claim(world, team, settings):
    settings.FORWARD_SCORING_MAX_ATTEMPTS = 2
    s = submissions.submission_create(user=world.alice, phase=world.phase, upload=upload(predictions_csv()))
    Submission.objects.filter(pk=s.pk).update(status=SubmissionStatus.QUEUED, attempts=2)
    assert submissions.submission_score(submission_id=s.pk) is None
    s.refresh_from_db()
    assert s.status == SubmissionStatus.FAILED
    assert "interrupted 2 times" in s.error


@pytest.mark.parametrize("limit", [1, 2])
def test_a_submission_with_attempts_left_is_scored(world, team, settings, limit):
    settings.FORWARD_SCORING_MAX_ATTEMPTS = limit
    s = submissions.submission_create(user=world.alice, phase=world.phase, upload=upload(predictions_csv()))
    s.refresh_from_db()
    assert s.status == SubmissionStatus.SCORED and s.attempts == 1
