"""A worker reads and indexes a round's solution once, keeps it by content hash, and never uses a stale one."""

import hashlib

import pytest
from django.core.files.base import ContentFile

from forward.competitions import services, submissions
from forward.competitions.models import Phase, SubmissionStatus
from forward.competitions.storage import default_storage
from tests.competitions.conftest import LABELS, predictions_csv, solution_csv, upload


def submit(world, content):
    s = submissions.submission_create(user=world.alice, phase=world.phase, upload=upload(content))
    s.refresh_from_db()
    assert s.status == SubmissionStatus.SCORED, s.error
    return s


def test_the_upload_records_the_solutions_content_hash(world):
    assert world.phase.solution_sha256 == hashlib.sha256(solution_csv()).hexdigest()


def test_two_submissions_of_a_round_read_its_solution_once(world, team, cache):
    first = submit(world, predictions_csv())
    second = submit(world, predictions_csv([0.2 if y else 0.8 for y in LABELS]))
    assert cache.loads == 1
    assert (world.phase.solution_sha256, "auc") in cache
    assert first.public_score == pytest.approx(1.0) and second.public_score == pytest.approx(0.0)


def test_a_replaced_solution_is_read_again_and_scores_by_its_own_truth(world, cache):
    # Before any team has submitted, the host may replace the solution; the baseline scores both.
    before = submissions.baseline_submit(actor=world.host_user, phase=world.phase, upload=upload(predictions_csv()))
    flipped = solution_csv().replace(b",0,", b",x,").replace(b",1,", b",0,").replace(b",x,", b",1,")
    phase = services.solution_upload(actor=world.host_user, phase=world.phase, upload=upload(flipped, "s.csv"))
    after = submissions.baseline_submit(actor=world.host_user, phase=phase, upload=upload(predictions_csv()))
    before.refresh_from_db()
    after.refresh_from_db()
    assert cache.loads == 2 and len(cache) == 2
    assert before.public_score == pytest.approx(1.0) and after.public_score == pytest.approx(0.0)


def test_a_round_without_a_recorded_hash_hashes_the_file_and_records_it(world, team, cache):
    Phase.objects.filter(pk=world.phase.pk).update(solution_sha256="")
    submit(world, predictions_csv())
    assert Phase.objects.get(pk=world.phase.pk).solution_sha256 == world.phase.solution_sha256
    submit(world, predictions_csv())
    assert cache.loads == 1
    assert (world.phase.solution_sha256, "auc") in cache  # the same key as the recorded hash


def test_a_budget_of_zero_keeps_nothing_and_still_scores(world, team, cache, settings):
    settings.FORWARD_SCORING_CACHE_MB = 0
    submit(world, predictions_csv())
    assert len(submissions.solution_cache()) == 0


def test_an_invalid_solution_is_not_kept(world, team, cache):
    name = world.phase.solution_file
    default_storage.delete(name)  # broken behind the platform's back, with a new content
    assert default_storage.save(name, ContentFile(b"id,target,Usage\n1,1,Public\n")) == name
    Phase.objects.filter(pk=world.phase.pk).update(solution_sha256="")
    s = submissions.submission_create(user=world.alice, phase=world.phase, upload=upload(predictions_csv()))
    s.refresh_from_db()
    assert s.status == SubmissionStatus.FAILED and "solution file could not be read" in s.error
    assert len(cache) == 0


def test_a_missing_solution_file_is_the_hosts_problem_not_the_participants(world, team, cache, caplog):
    default_storage.delete(world.phase.solution_file)
    Phase.objects.filter(pk=world.phase.pk).update(solution_sha256="")
    s = submissions.submission_create(user=world.alice, phase=world.phase, upload=upload(predictions_csv()))
    s.refresh_from_db()
    assert s.status == SubmissionStatus.FAILED and "solution file could not be read" in s.error
    assert not s.counts_against_limit
    assert "is missing from storage" in caplog.text
