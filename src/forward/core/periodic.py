"""Periodic jobs without a dedicated beat process: any worker can schedule them, one at a time runs.

Every `forward worker` runs a small scheduler thread (unless started with `--no-periodic` or
`--beat`). The schedulers tick four times per reap interval (FORWARD_REAP_INTERVAL) and compete for
one lease, "periodic:scheduler", that lasts three ticks; the holder renews it on every tick and sends
each CELERY_BEAT_SCHEDULE entry when it is due. A holder that dies stops renewing: its lease runs out
within three ticks and another worker takes it on its next tick, so within one interval. When each
entry is next due is kept in the database too (a lease "periodic:due:<entry>" whose expiry is the due
time), so a new scheduler continues the schedule: an hourly job is not sent again on every failover.

Messages can still be duplicated (a `--beat` worker beside the schedulers, a message the broker
redelivers), so each periodic task also takes a run lock and a second concurrent run returns at
once: on PostgreSQL a session advisory lock, which goes with the connection of a killed holder, on
SQLite a lease that expires after the job's interval.

Leases compare the workers' clocks with each other, so the machines keep time (NTP); a second of
skew is immaterial beside an interval of at least five.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, connections, transaction
from django.db.models import Q
from django.utils import timezone

from .models import Lease

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

SCHEDULER_LEASE = "periodic:scheduler"
DUE_PREFIX = "periodic:due:"
RUN_PREFIX = "periodic:run:"


def holder_id() -> str:
    """A name for this process that no other process shares, and that tells a person which it is."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def reap_interval() -> int:
    """Seconds between runs of the frequent periodic jobs; a dead scheduler is replaced within it."""
    return int(getattr(settings, "FORWARD_REAP_INTERVAL", 60))


def tick_seconds() -> float:
    """How often a scheduler ticks: a quarter of the interval (at least a second)."""
    return max(1.0, reap_interval() / 4)


def scheduler_lease_seconds() -> float:
    """Three ticks: a leader may miss two renewals (a slow database) and keep the lead, while a dead
    one's lease runs out early enough that the next tick of another worker, at most one tick later,
    takes over within one interval."""
    return max(tick_seconds(), reap_interval() - tick_seconds())


# --- leases --------------------------------------------------------------------------------------

def _take(name: str, holder: str, expires_at: datetime, condition: Q) -> bool:
    """Set the lease `name` to (holder, expires_at) if its row matches `condition`, or create it if
    there is none. Each step is its own transaction; an IntegrityError means another process created
    the row first (or holds it), so this one lost."""
    with transaction.atomic():
        if Lease.objects.filter(condition, name=name).update(holder=holder, expires_at=expires_at):
            return True
    try:
        with transaction.atomic():
            Lease.objects.create(name=name, holder=holder, expires_at=expires_at)
    except IntegrityError:
        return False
    return True


def lease_acquire(name: str, holder: str, seconds: float, *, now: datetime | None = None) -> bool:
    """Take or renew the lease `name` for `seconds`: granted when it is free, expired or already
    `holder`'s. Safe to call from any number of processes at once; at most one holds it."""
    now = now or timezone.now()
    return _take(name, holder, now + timedelta(seconds=seconds), Q(holder=holder) | Q(expires_at__lte=now))


def lease_release(name: str, holder: str) -> bool:
    """Give the lease up now, if `holder` still has it, so another process need not wait for it to expire."""
    with transaction.atomic():
        return bool(Lease.objects.filter(name=name, holder=holder).delete()[0])


def lease_holder(name: str, *, now: datetime | None = None) -> str | None:
    """Who holds the lease `name` now (None when nobody does, or it expired)."""
    now = now or timezone.now()
    return Lease.objects.filter(name=name, expires_at__gt=now).values_list("holder", flat=True).first()


# --- the run lock --------------------------------------------------------------------------------

def schedule_seconds(schedule: object) -> float:
    """The interval of a CELERY_BEAT_SCHEDULE entry's schedule: seconds, a timedelta or celery's
    `schedule(run_every=…)`. Crontab schedules are not supported by the embedded scheduler."""
    if isinstance(schedule, int | float):
        return float(schedule)
    if isinstance(schedule, timedelta):
        return schedule.total_seconds()
    run_every = getattr(schedule, "run_every", None)
    if isinstance(run_every, timedelta):
        return run_every.total_seconds()
    raise ValueError(f"periodic schedule {schedule!r} is not an interval; use seconds or a timedelta")


def _task_interval(task_name: str) -> float:
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        if entry["task"] == task_name:
            return schedule_seconds(entry["schedule"])
    return float(reap_interval())


def advisory_key(name: str) -> int:
    """A stable signed 64-bit number for `name` (PostgreSQL's advisory lock keys are bigints)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


@contextmanager
def run_lock(task_name: str) -> Iterator[bool]:
    """Yield whether this process may run the periodic task `task_name` now; at most one may.

    PostgreSQL: a session advisory lock on this connection, released on the way out; a killed
    holder's lock ends with its connection, so the next run takes over at once. (It needs a
    session of its own: behind PgBouncer use session pooling.) SQLite: a lease that expires after
    the job's interval, so a killed holder delays the next run by at most that.
    """
    if connection.vendor == "postgresql":
        key = advisory_key(task_name)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            locked = bool(cursor.fetchone()[0])
        try:
            yield locked
        finally:
            if locked:
                try:
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
                except DatabaseError:  # the connection broke: the lock went with it
                    log.warning("could not release the run lock of %s; it ends with the connection", task_name)
        return
    name, holder = RUN_PREFIX + task_name, holder_id()
    locked = lease_acquire(name, holder, _task_interval(task_name))
    try:
        yield locked
    finally:
        if locked:
            lease_release(name, holder)


def exclusive(task_name: str) -> Callable[[Callable[P, R]], Callable[P, R | None]]:
    """Decorate a periodic task's function so that a run starting while another is running logs
    and returns None instead of doing the same work twice at once."""
    def decorate(function: Callable[P, R]) -> Callable[P, R | None]:
        @functools.wraps(function)
        def run(*args: P.args, **kwargs: P.kwargs) -> R | None:
            with run_lock(task_name) as locked:
                if not locked:
                    log.info("%s is already running elsewhere; this run is skipped", task_name)
                    return None
                return function(*args, **kwargs)
        return run
    return decorate


def periodic_task(name: str, **options: Any) -> Callable[[Callable[..., Any]], Any]:
    """`shared_task(name=…)` for a job in CELERY_BEAT_SCHEDULE: registered under `name`, and
    run by one worker at a time (see `exclusive`). Returns celery's task (untyped to mypy)."""
    from celery import shared_task

    def decorate(function: Callable[..., Any]) -> Any:
        return shared_task(name=name, **options)(exclusive(name)(function))
    return decorate


# --- the scheduler -------------------------------------------------------------------------------

Send = Callable[[dict[str, Any]], None]


def _send_with_celery(entry: dict[str, Any]) -> None:
    from forward.celery import app

    app.send_task(entry["task"], args=entry.get("args", ()), kwargs=entry.get("kwargs", {}),
                  **entry.get("options", {}))


class Scheduler:
    """One worker's scheduler: `tick()` takes or renews the leadership and, as leader, sends the
    jobs that are due. The state here is only for logging; the database decides."""

    def __init__(self, *, holder: str | None = None, send: Send | None = None) -> None:
        self.holder = holder or holder_id()
        self.send = send or _send_with_celery
        self.leading = False

    def tick(self, *, now: datetime | None = None) -> list[str]:
        """Returns the names of the schedule entries this tick sent."""
        now = now or timezone.now()
        leading = lease_acquire(SCHEDULER_LEASE, self.holder, scheduler_lease_seconds(), now=now)
        if leading != self.leading:
            if leading:
                log.info("this worker (%s) now schedules the periodic jobs", self.holder)
            else:
                log.warning("this worker (%s) no longer schedules the periodic jobs; another took over",
                            self.holder)
            self.leading = leading
        if not leading:
            return []
        sent = []
        for entry_name, entry in settings.CELERY_BEAT_SCHEDULE.items():
            seconds = schedule_seconds(entry["schedule"])
            due = DUE_PREFIX + entry_name
            # Claimed only when its due time has passed, so a duplicate tick or a new leader sends nothing more.
            if not _take(due, self.holder, now + timedelta(seconds=seconds), Q(expires_at__lte=now)):
                continue
            try:
                self.send(entry)
            except Exception:
                log.exception("could not send the periodic job %s; it is tried again on the next tick", entry_name)
                with transaction.atomic():
                    Lease.objects.filter(name=due, holder=self.holder).update(expires_at=now)
                continue
            sent.append(entry_name)
        return sent

    def stop(self) -> None:
        """Hand the leadership over at once (a worker shutting down cleanly)."""
        if self.leading and lease_release(SCHEDULER_LEASE, self.holder):
            log.info("this worker (%s) stops scheduling the periodic jobs; another takes over", self.holder)
        self.leading = False


def scheduler_loop(scheduler: Scheduler, stop: threading.Event) -> None:
    """Tick until `stop` is set, then hand over. Runs in a daemon thread of the worker's main process."""
    try:
        while not stop.is_set():
            try:
                scheduler.tick()
            except Exception:  # the database or broker is away for a moment; the next tick tries again
                log.exception("the periodic scheduler's tick failed")
            finally:
                connections.close_all()  # this thread's connections only; nothing stays open between ticks
            stop.wait(tick_seconds())
        scheduler.stop()
    finally:
        connections.close_all()


def attach_to_worker() -> None:
    """Run a scheduler in this process once its Celery worker is ready, and stop it with the worker.

    Called by `forward worker` only, so web processes and eager tests never schedule anything.
    """
    from celery.signals import worker_ready, worker_shutdown

    stop = threading.Event()
    state: dict[str, threading.Thread] = {}

    def start(**_kwargs: object) -> None:
        scheduler = Scheduler()
        thread = threading.Thread(target=scheduler_loop, args=(scheduler, stop), name="forward-periodic",
                                  daemon=True)
        state["thread"] = thread
        thread.start()

    def shutdown(**_kwargs: object) -> None:
        stop.set()
        thread = state.get("thread")
        if thread is not None:
            thread.join(timeout=10)

    # connect(receiver, weak=False) rather than as decorators: celery is untyped to mypy.
    worker_ready.connect(start, weak=False)
    worker_shutdown.connect(shutdown, weak=False)
