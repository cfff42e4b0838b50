"""Periodic jobs without a beat process: leases, the run lock, and the scheduler's tick.

Real database (SQLite or PostgreSQL); times are passed in, nothing sleeps.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from forward.competitions import tasks as competition_tasks
from forward.core import periodic
from forward.core.models import Lease

pytestmark = pytest.mark.django_db

REAP = 60


@pytest.fixture
def schedule(settings):
    settings.FORWARD_REAP_INTERVAL = REAP
    settings.CELERY_BEAT_SCHEDULE = {
        "reap": {"task": "forward.competitions.reap", "schedule": REAP},
        "digests": {"task": "forward.discussions.digests", "schedule": timedelta(hours=1)},
    }
    return settings.CELERY_BEAT_SCHEDULE


def test_a_lease_is_granted_renewed_refused_while_held_and_taken_over_after_it_expires():
    now = timezone.now()
    assert periodic.lease_acquire("job", "a", 30, now=now)
    assert periodic.lease_holder("job", now=now) == "a"
    assert periodic.lease_acquire("job", "a", 30, now=now + timedelta(seconds=20))  # renewed
    assert Lease.objects.get(name="job").expires_at == now + timedelta(seconds=50)
    assert not periodic.lease_acquire("job", "b", 30, now=now + timedelta(seconds=49))
    assert periodic.lease_holder("job", now=now + timedelta(seconds=49)) == "a"
    assert periodic.lease_acquire("job", "b", 30, now=now + timedelta(seconds=50))  # a stopped renewing
    assert periodic.lease_holder("job", now=now + timedelta(seconds=50)) == "b"
    assert not periodic.lease_acquire("job", "a", 30, now=now + timedelta(seconds=51))


def test_a_released_lease_is_free_at_once_and_only_its_holder_can_release_it():
    now = timezone.now()
    assert periodic.lease_acquire("job", "a", 30, now=now)
    assert not periodic.lease_release("job", "b")
    assert not periodic.lease_acquire("job", "b", 30, now=now)
    assert periodic.lease_release("job", "a")
    assert periodic.lease_holder("job") is None
    assert periodic.lease_acquire("job", "b", 30, now=now)


def test_advisory_keys_are_stable_signed_64_bit_numbers():
    key = periodic.advisory_key("forward.competitions.reap")
    assert key == periodic.advisory_key("forward.competitions.reap")
    assert key != periodic.advisory_key("forward.academy.reap_labs")
    assert -(2**63) <= key < 2**63


@pytest.fixture
def run_elsewhere():
    """Hold a periodic task's run lock the way another worker would while it runs the task."""
    held = []

    def hold(task_name: str) -> None:
        if connection.vendor == "postgresql":
            other = connections.create_connection("default")
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [periodic.advisory_key(task_name)])
                assert cursor.fetchone()[0]
            held.append(other)
        else:
            assert periodic.lease_acquire(periodic.RUN_PREFIX + task_name, "another-worker", REAP)

    def release() -> None:
        while held:
            other = held.pop()
            # Unlock before closing: the server ends a closed session a moment later, not at once,
            # so a lock left to go with the connection could still be held by the next assertion.
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock_all()")
            other.close()
        Lease.objects.filter(name__startswith=periodic.RUN_PREFIX).delete()

    hold.release = release
    yield hold
    release()


def test_a_run_while_another_runs_is_skipped_and_the_next_one_runs(schedule, run_elsewhere, caplog):
    calls = []

    @periodic.exclusive("forward.test.job")
    def job(value):
        calls.append(value)
        return value * 2

    assert job(1) == 2  # nobody else runs it
    run_elsewhere("forward.test.job")
    with caplog.at_level(logging.INFO, logger="forward.core.periodic"):
        assert job(2) is None
    assert calls == [1]
    assert "forward.test.job is already running elsewhere; this run is skipped" in caplog.text
    run_elsewhere.release()
    assert job(3) == 6
    assert job(4) == 8  # each run let go of its lock
    assert calls == [1, 3, 4]


def test_the_periodic_tasks_take_the_run_lock(schedule, run_elsewhere):
    run_elsewhere("forward.competitions.reap")
    assert competition_tasks.reap() is None
    run_elsewhere.release()
    assert competition_tasks.reap() == {"requeued": [], "resent": [], "rescores": {"requeued": [], "resent": []},
                                        "finalized": []}


def test_every_scheduled_task_is_exclusive(settings):
    from forward.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        task = app.tasks[entry["task"]]
        assert getattr(task.run, "__wrapped__", None) is not None, f"{entry['task']} does not take the run lock"


def test_one_scheduler_sends_each_due_job_once_and_another_continues_the_schedule_when_it_dies(
        schedule, caplog):
    sent = {"a": [], "b": []}
    a = periodic.Scheduler(holder="a", send=lambda entry: sent["a"].append(entry["task"]))
    b = periodic.Scheduler(holder="b", send=lambda entry: sent["b"].append(entry["task"]))
    now = timezone.now()
    with caplog.at_level(logging.INFO, logger="forward.core.periodic"):
        assert a.tick(now=now) == ["reap", "digests"]
        assert b.tick(now=now) == []  # a leads
        assert a.tick(now=now + timedelta(seconds=20)) == []  # nothing due yet
        assert b.tick(now=now + timedelta(seconds=20)) == []
        died = now + timedelta(seconds=REAP)
        assert a.tick(now=died) == ["reap"]
        # a dies right after renewing its lease. The lease lasts three ticks and b ticks every
        # tick, so b takes over within one interval.
        lease, tick = periodic.scheduler_lease_seconds(), periodic.tick_seconds()
        assert (lease, tick) == (45, 15)
        assert b.tick(now=died + timedelta(seconds=lease - 1)) == []
        assert b.tick(now=died + timedelta(seconds=lease)) == []  # b leads; the reap is due at 2 * REAP
        assert periodic.lease_holder(periodic.SCHEDULER_LEASE, now=died + timedelta(seconds=lease)) == "b"
        assert b.tick(now=now + timedelta(seconds=2 * REAP)) == ["reap"]  # not the hourly job again
        assert a.tick(now=now + timedelta(seconds=2 * REAP + 1)) == []  # a came back: b leads now
        assert b.tick(now=now + timedelta(hours=1)) == ["reap", "digests"]
    assert sent == {"a": ["forward.competitions.reap", "forward.discussions.digests", "forward.competitions.reap"],
                    "b": ["forward.competitions.reap", "forward.competitions.reap", "forward.discussions.digests"]}
    assert "this worker (a) now schedules the periodic jobs" in caplog.text
    assert "this worker (b) now schedules the periodic jobs" in caplog.text
    assert "this worker (a) no longer schedules the periodic jobs; another took over" in caplog.text


def test_two_leaders_at_once_still_send_a_due_job_once(schedule):
    """Were two schedulers to lead at once (one's clock far behind), the due lease still lets one send."""
    sent = []
    a = periodic.Scheduler(holder="a", send=lambda entry: sent.append(entry["task"]))
    b = periodic.Scheduler(holder="b", send=lambda entry: sent.append(entry["task"]))
    now = timezone.now()
    assert a.tick(now=now) == ["reap", "digests"]
    Lease.objects.filter(name=periodic.SCHEDULER_LEASE).delete()  # as if a's lease were lost
    assert b.tick(now=now) == []
    assert periodic.lease_holder(periodic.SCHEDULER_LEASE, now=now) == "b"
    assert sent == ["forward.competitions.reap", "forward.discussions.digests"]


def test_a_clean_stop_hands_over_at_once(schedule, caplog):
    a = periodic.Scheduler(holder="a", send=lambda entry: None)
    b = periodic.Scheduler(holder="b", send=lambda entry: None)
    now = timezone.now()
    assert a.tick(now=now) == ["reap", "digests"]
    with caplog.at_level(logging.INFO, logger="forward.core.periodic"):
        a.stop()
    assert "this worker (a) stops scheduling the periodic jobs; another takes over" in caplog.text
    assert b.tick(now=now + timedelta(seconds=1)) == []  # its lease is taken, nothing is due yet
    assert periodic.lease_holder(periodic.SCHEDULER_LEASE) == "b"


def test_a_job_that_could_not_be_sent_is_tried_again_on_the_next_tick(schedule):
    attempts = []

    def send(entry):
        attempts.append(entry["task"])
        if len(attempts) == 1:
            raise ConnectionError("broker away")

    a = periodic.Scheduler(holder="a", send=send)
    now = timezone.now()
    assert a.tick(now=now) == ["digests"]
    assert a.tick(now=now + timedelta(seconds=1)) == ["reap"]
    assert a.tick(now=now + timedelta(seconds=2)) == []


def test_a_crontab_schedule_is_refused_with_a_clear_message():
    from celery.schedules import crontab

    with pytest.raises(ValueError, match="is not an interval; use seconds or a timedelta"):
        periodic.schedule_seconds(crontab(minute=0))


def test_forward_worker_schedules_by_default_and_can_opt_out():
    from forward.cli import build_parser

    parser = build_parser()
    assert not parser.parse_args(["worker"]).no_periodic
    assert parser.parse_args(["worker", "--no-periodic"]).no_periodic
    assert parser.parse_args(["worker", "--beat"]).beat
    worker = parser._subparsers._group_actions[0].choices["worker"]
    assert "no longer required" in worker.format_help()
