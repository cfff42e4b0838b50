"""No beat process to lose: with two workers running and the one scheduling the periodic jobs
killed, the other takes over within one interval and reaps a stuck submission, which it scores.

Uses a real broker (Redis, the database 3 below FORWARD_TEST_REDIS_URL's) and real `forward worker`
processes with FORWARD_REAP_INTERVAL=5; skipped without Redis, failed instead when
FORWARD_REQUIRE_SERVICES=1.
"""

from __future__ import annotations

import os
import signal
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from forward.competitions import submissions
from forward.competitions.models import Submission, SubmissionStatus
from forward.core import periodic
from tests.competitions.conftest import predictions_csv, upload
from tests.workers import tasks_through_redis, wait_until

INTERVAL = 5
MARGIN = 15  # worker start-up is done; this covers a tick, the broker round trip and scoring 20 rows


@pytest.fixture
def broker_tasks():
    with tasks_through_redis(3) as url_and_queue:
        yield url_and_queue


def scheduler_pid() -> int | None:
    """The process id of the worker holding the scheduler lease (holders are host:pid:random)."""
    holder = periodic.lease_holder(periodic.SCHEDULER_LEASE)
    return int(holder.split(":")[-2]) if holder else None


def logs(*workers) -> str:
    return "\n".join(f"--- {w.log_path}\n{Path(w.log_path).read_text(errors='replace')[-4000:]}" for w in workers)


@pytest.mark.services
def test_the_other_worker_takes_over_the_periodic_jobs_and_reaps_a_stuck_submission(
        transactional_db, world, team, broker_tasks, worker_for, monkeypatch):
    url, queue = broker_tasks
    monkeypatch.setenv("FORWARD_REAP_INTERVAL", str(INTERVAL))
    workers = {w.pid: w for w in (worker_for(url, queue, name="first", periodic=True),
                                   worker_for(url, queue, name="second", periodic=True))}

    try:
        leader_pid = wait_until(scheduler_pid, seconds=120)
    except pytest.fail.Exception:
        pytest.fail("no worker took the scheduler lease\n" + logs(*workers.values()))
    assert leader_pid in workers
    leader = workers.pop(leader_pid)
    (survivor,) = workers.values()
    assert "now schedules the periodic jobs" in Path(leader.log_path).read_text()

    os.killpg(leader.pid, signal.SIGKILL)  # no clean shutdown: its lease is left to expire
    leader.wait(timeout=30)

    # A submission whose message was lost and whose worker died after claiming it.
    with monkeypatch.context() as lost:
        lost.setattr(submissions, "_enqueue", lambda pk: None)
        submission = submissions.submission_create(user=world.alice, phase=world.phase, upload=upload(predictions_csv()))
    Submission.objects.filter(pk=submission.pk).update(
        status=SubmissionStatus.RUNNING, started_at=timezone.now() - timedelta(hours=1), attempts=1)
    stuck_at = time.monotonic()

    try:
        wait_until(lambda: Submission.objects.filter(pk=submission.pk, status=SubmissionStatus.SCORED).exists(),
                   seconds=INTERVAL + MARGIN, worker=survivor)
    except pytest.fail.Exception:
        pytest.fail("the stuck submission was not reaped and scored\n" + logs(leader, survivor))
    took = time.monotonic() - stuck_at
    scored = Submission.objects.get(pk=submission.pk)
    assert scored.attempts == 2
    assert scored.public_score == 1.0
    assert scheduler_pid() == survivor.pid
    assert "now schedules the periodic jobs" in Path(survivor.log_path).read_text()
    assert took < INTERVAL + MARGIN
