"""A worker killed mid-scoring: the reaper gives the submission to another worker, which scores it.

Uses a real broker (Redis) and real `forward worker` processes; skipped without Redis, failed
instead when FORWARD_REQUIRE_SERVICES=1.
"""

from __future__ import annotations

import os
import signal
from datetime import timedelta

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from forward.competitions import services, submissions
from forward.competitions.models import Submission, SubmissionStatus
from tests.workers import tasks_through_redis, wait_until

ROWS = 2_000_000


def big_csv(path, header: str, columns: list[np.ndarray], fmt: str) -> None:
    with open(path, "w") as handle:
        handle.write(header + "\n")
        np.savetxt(handle, np.column_stack(columns), fmt=fmt, delimiter=",")


@pytest.fixture
def broker_tasks():
    """Send this test process's tasks through the real broker (a Redis database of their own)."""
    with tasks_through_redis(1) as url_and_queue:
        yield url_and_queue


@pytest.mark.services
def test_a_killed_worker_does_not_lose_the_submission(transactional_db, world, team, broker_tasks, worker_for,
                                                      tmp_path):
    url, queue = broker_tasks
    rng = np.random.default_rng(7)
    ids = np.arange(ROWS)
    labels = rng.integers(0, 2, ROWS)
    labels[:4] = [0, 1, 0, 1]
    usage = np.where(ids % 2 == 0, 0, 1)
    solution = tmp_path / "solution.csv"
    with open(solution, "w") as handle:
        handle.write("id,target,Usage\n")
        for start in range(0, ROWS, 500_000):
            chunk = slice(start, start + 500_000)
            handle.writelines(f"{i},{y},{'Public' if u == 0 else 'Private'}\n"
                              for i, y, u in zip(ids[chunk], labels[chunk], usage[chunk], strict=True))
    services.solution_upload(actor=world.host_user, phase=world.phase,
                             upload=SimpleUploadedFile("solution.csv", solution.read_bytes()))
    predictions = tmp_path / "predictions.csv"
    probs = np.clip(labels * 0.3 + rng.random(ROWS) * 0.7, 0, 1)
    big_csv(predictions, "id,target", [ids, probs], "%d,%.6f")

    first = worker_for(url, queue, pool="prefork")
    submission = submissions.submission_create(
        user=world.alice, phase=world.phase, upload=SimpleUploadedFile("p.csv", predictions.read_bytes()))

    wait_until(lambda: Submission.objects.filter(pk=submission.pk, status=SubmissionStatus.RUNNING).exists(),
               seconds=120, worker=first)
    os.killpg(first.pid, signal.SIGKILL)  # the worker and its pool process, mid-scoring
    first.wait(timeout=30)
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.RUNNING

    second = worker_for(url, queue)
    later = timezone.now() + submissions.scoring_deadline() + timedelta(seconds=1)
    assert submissions.submissions_requeue_stale(now=later) == [submission.pk]
    wait_until(lambda: Submission.objects.filter(pk=submission.pk, status=SubmissionStatus.SCORED).exists(),
               seconds=180, worker=second)
    scored = Submission.objects.get(pk=submission.pk)
    assert scored.attempts == 2
    assert 0.5 < scored.public_score < 1.0
    assert scored.rows == ROWS
