"""Building an event's meeting schedule: closing marking, the worker job and its reaper.

The event row is the job's state: idle → queued (staff closed marking, or the periodic task did at
the marking deadline) → running (a worker claimed it with a conditional update) → done, or failed
with a message staff can act on (and may start again). A worker reads every registrant, availability
and mark in bulk, solves with `forward.matching.schedule.solve` (HiGHS; time limit
`FORWARD_SCHEDULE_TIME_LIMIT`), checks the answer against the rules, gives each meeting a table in
its slot and writes everything in one transaction. Run again after the schedule is built, the job
fits registrants who came late around the confirmed meetings (`Problem.fixed`): nobody's confirmed
meeting moves; only new meetings are added, and their people are told after commit.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from forward.core.audit import AuditAction
from forward.core.models import User
from forward.core.services import audit
from forward.matching import schedule as solver

from . import permissions
from .models import (
    Event,
    EventSlot,
    EventStatus,
    Mark,
    MarkLevel,
    Meeting,
    Registrant,
    ScheduleJob,
    Side,
)

log = logging.getLogger(__name__)

OPEN_FOR_MARKS = (EventStatus.REGISTRATION, EventStatus.MARKING)


class ScheduleFailed(Exception):
    """The schedule cannot be stored; the message says why (shown to the event's staff)."""


def _queue(event_id: int) -> None:
    from . import tasks

    tasks.build_schedule.delay(event_id)


def _claim_queued(event_id: int, *, states: tuple[str, ...]) -> bool:
    """idle/failed (or done, to fit late registrants) → queued; sends the job after commit."""
    claimed = Event.objects.filter(pk=event_id, job__in=states).update(
        job=ScheduleJob.QUEUED, job_queued_at=timezone.now(), job_started_at=None, job_finished_at=None, job_error="")
    if claimed:
        transaction.on_commit(lambda: _queue(event_id))
    return bool(claimed)


def pending_late(event: Event) -> int:
    """Late registrants no schedule run has fitted in yet."""
    return Registrant.objects.filter(event=event, fitted=False, late=True).count()


def marking_close(*, actor: User | None, event: Event) -> Event:
    """Close marking and queue the schedule. A second click (or the periodic task racing staff)
    finds marking closed and the job queued, and changes nothing."""
    if actor is not None and not permissions.can_manage_event(actor, event):
        raise PermissionDenied
    with transaction.atomic():
        closed = Event.objects.filter(pk=event.pk, status__in=OPEN_FOR_MARKS).update(status=EventStatus.CLOSED)
        if closed:
            _claim_queued(event.pk, states=(ScheduleJob.IDLE, ScheduleJob.FAILED))
            audit(actor=actor, action=AuditAction.VENTURES_EVENT_CLOSE_MARKING, organization=event.organizer,
                  target=f"event:{event.pk}")
    event.refresh_from_db()
    if not closed and event.status not in (EventStatus.CLOSED, EventStatus.SCHEDULED):
        raise ValidationError(_("Marking closes once the event is published; publish it first."))
    return event


def schedule_start(*, actor: User, event: Event) -> Event:
    """Build the schedule again after a failure, or fit late registrants in once it is built. A
    click while a job is queued or running returns that job."""
    if not permissions.can_manage_event(actor, event):
        raise PermissionDenied
    if event.status in (EventStatus.DRAFT, *OPEN_FOR_MARKS):
        raise ValidationError(_("Close marking first; the schedule is built from the marks."))
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.job in (ScheduleJob.QUEUED, ScheduleJob.RUNNING):
            event.refresh_from_db()
            return event
        if locked.status == EventStatus.SCHEDULED and not pending_late(locked):
            raise ValidationError(_("The schedule is built and nobody has registered late since; there is "
                                    "nobody new to fit in."))
        _claim_queued(event.pk, states=(ScheduleJob.IDLE, ScheduleJob.FAILED, ScheduleJob.DONE))
        audit(actor=actor, action=AuditAction.VENTURES_EVENT_BUILD, organization=event.organizer, target=f"event:{event.pk}")
    event.refresh_from_db()
    return event


def close_due(now: datetime | None = None) -> int:
    """Periodic: registration moves to marking at its deadline; marking closes (and the schedule is
    queued) at the marking deadline. Returns how many events closed marking."""
    now = now or timezone.now()
    Event.objects.filter(status=EventStatus.REGISTRATION, registration_deadline__lte=now,
                         marking_deadline__gt=now).update(status=EventStatus.MARKING)
    due = list(Event.objects.filter(status__in=OPEN_FOR_MARKS, marking_deadline__lte=now)
               .select_related("organizer")[:100])
    for event in due:
        marking_close(actor=None, event=event)
    return len(due)


def requeue_stale(*, queued_minutes: int = 2, running_minutes: int | None = None) -> int:
    """Periodic: jobs nobody picked up are sent again; jobs running well past the solver's time limit
    (a worker died) go back to queued and are sent again. Writing is one transaction that checks the
    job is still running, so nothing doubles."""
    now = timezone.now()
    if running_minutes is None:
        running_minutes = max(10, 3 * settings.FORWARD_SCHEDULE_TIME_LIMIT // 60 + 5)
    with transaction.atomic():
        dead = list(Event.objects.filter(job=ScheduleJob.RUNNING, job_started_at__lt=now - timedelta(
            minutes=running_minutes)).values_list("pk", flat=True)[:100])
        Event.objects.filter(pk__in=dead, job=ScheduleJob.RUNNING).update(job=ScheduleJob.QUEUED, job_queued_at=now)
    unclaimed = list(Event.objects.filter(job=ScheduleJob.QUEUED).filter(
        Q(job_queued_at__lt=now - timedelta(minutes=queued_minutes)) | Q(job_queued_at__isnull=True))
        .values_list("pk", flat=True)[:100])
    stale = sorted(set(dead) | set(unclaimed))
    for pk in stale:
        _queue(pk)
    return len(stale)


# --- the worker ------------------------------------------------------------------------------------

def read_problem(event: Event) -> tuple[solver.Problem, dict[int, int]]:
    """The event as the solver's problem (ids as strings), in bulk (five queries), and the
    registrants this run may give new meetings, each with the version of their marks and
    availability it read. On the first build that is everyone; afterwards, only registrants not yet
    fitted: the existing meetings are fixed, and only pairs with a newcomer are allowed new meetings.

    The registrants (with their versions) are read first: a change committed after that bumps the
    version, so the run can tell it did not see it (it may or may not have seen the change itself)."""
    people = list(Registrant.objects.filter(event=event).order_by("pk").values_list("pk", "side", "max_meetings",
                                                                                      "fitted", "version"))
    slots = list(EventSlot.objects.filter(event=event).order_by("starts_at", "pk").values_list("pk", flat=True))
    available: dict[int, set[int]] = defaultdict(set)
    for registrant_id, slot_id in Registrant.available.through.objects.filter(
            registrant__event=event).values_list("registrant_id", "eventslot_id"):
        available[registrant_id].add(slot_id)
    fixed = list(Meeting.objects.filter(event=event).values_list("slot_id", "investor_id", "startup_id"))
    fixed_count: dict[int, int] = defaultdict(int)
    for slot_id, investor_id, startup_id in fixed:
        available[investor_id].add(slot_id)  # a confirmed meeting stays, whatever changed since
        available[startup_id].add(slot_id)
        fixed_count[investor_id] += 1
        fixed_count[startup_id] += 1
    newcomers = {pk: version for pk, _side, _max, fitted, version in people if not fitted or not fixed}
    side_of = {pk: side for pk, side, *_rest in people}
    fixed_pairs = {(i, s) for _slot, i, s in fixed}
    marks = []
    for source, target, level in Mark.objects.filter(event=event).values_list("source_id", "target_id", "level"):
        if side_of.get(source) is None or side_of.get(target) is None or side_of[source] == side_of[target]:
            continue
        pair = (source, target) if side_of[source] == Side.INVESTOR else (target, source)
        if source in newcomers or target in newcomers or pair in fixed_pairs:
            marks.append(solver.Mark(source=str(source), target=str(target), level=level))
    problem = solver.Problem(
        slots=tuple(str(s) for s in slots), tables=event.tables,
        people=tuple(solver.Person(id=str(pk), side=side,
                                   available=tuple(str(s) for s in slots if s in available[pk]),
                                   max_meetings=max(max_meetings, fixed_count[pk]))
                     for pk, side, max_meetings, *_rest in people),
        marks=tuple(marks),
        fixed=tuple(solver.Meeting(slot=str(slot), investor=str(i), startup=str(s)) for slot, i, s in fixed))
    return problem, newcomers


def check_schedule(problem: solver.Problem, meetings: list[solver.Meeting]) -> None:
    """The rules, checked on the answer before anything is stored (independently of the solver).
    Confirmed (fixed) meetings are held to the hard limits only; new ones to every rule."""
    fixed = set(problem.fixed)
    people = {p.id: p for p in problem.people}
    weight: dict[str | None, int] = {MarkLevel.MUST: 3, MarkLevel.WANT: 1}  # no mark (None) weighs nothing
    levels: dict[tuple[str, str], str] = {(m.source, m.target): m.level for m in problem.marks}
    busy: set[tuple[str, str]] = set()
    per_slot: dict[str, int] = defaultdict(int)
    count: dict[str, int] = defaultdict(int)
    pairs: set[tuple[str, str]] = set()
    for m in meetings:
        investor, startup = people.get(m.investor), people.get(m.startup)
        if investor is None or startup is None or investor.side != Side.INVESTOR or startup.side != Side.STARTUP:
            raise ScheduleFailed(_("The solver returned a meeting that does not join an investor and a startup."))
        if m not in fixed:
            if m.slot not in investor.available or m.slot not in startup.available:
                raise ScheduleFailed(_("The solver put a meeting in a slot one of its people is not free."))
            ab, ba = levels.get((m.investor, m.startup)), levels.get((m.startup, m.investor))
            if MarkLevel.NO in (ab, ba) or not (weight.get(ab, 0) + weight.get(ba, 0)):
                raise ScheduleFailed(_("The solver returned a meeting nobody asked for or someone refused."))
        for who in (m.investor, m.startup):
            if (m.slot, who) in busy:
                raise ScheduleFailed(_("The solver put someone in two meetings at once."))
            busy.add((m.slot, who))
            count[who] += 1
        if (m.investor, m.startup) in pairs:
            raise ScheduleFailed(_("The solver scheduled one pair twice."))
        pairs.add((m.investor, m.startup))
        per_slot[m.slot] += 1
    if any(n > problem.tables for n in per_slot.values()):
        raise ScheduleFailed(_("The solver put more meetings in a slot than there are tables."))
    if any(n > people[who].max_meetings for who, n in count.items()):
        raise ScheduleFailed(_("The solver gave someone more meetings than they take."))


def _mark_fitted(event_id: int, read: dict[int, int]) -> int:
    """Registrants whose marks and availability are still those this run read are fitted; one who
    changed them while it ran (a late registrant marking) stays unfitted, so staff see them as still
    to fit and the next run uses what they said. Runs inside the storing transaction."""
    by_version: dict[int, list[int]] = defaultdict(list)
    for pk, version in read.items():
        by_version[version].append(pk)
    fitted = 0
    for version, pks in sorted(by_version.items()):
        for start in range(0, len(pks), 500):
            fitted += Registrant.objects.filter(event_id=event_id, pk__in=pks[start:start + 500],
                                                version=version).update(fitted=True)
    return fitted


def _fail(event_id: int, message: str) -> Event:
    Event.objects.filter(pk=event_id, job=ScheduleJob.RUNNING).update(
        job=ScheduleJob.FAILED, job_finished_at=timezone.now(), job_error=message[:2000])
    return Event.objects.get(pk=event_id)


def run_schedule(event_id: int) -> Event | None:
    """Worker side: claim the queued job, solve, check, store. Safe to run twice: a job that is not
    queued (done, running elsewhere) is left alone. A failure marks the job failed with its message."""
    claimed = Event.objects.filter(pk=event_id, job=ScheduleJob.QUEUED).update(
        job=ScheduleJob.RUNNING, job_started_at=timezone.now())
    if not claimed:
        return None
    event = Event.objects.get(pk=event_id)
    try:
        started = time.perf_counter()
        problem, newcomers = read_problem(event)
        if not problem.slots:
            raise ScheduleFailed(_("The event has no time slots."))
        solver.validate(problem)
        result = solver.solve(problem, time_limit=float(settings.FORWARD_SCHEDULE_TIME_LIMIT))
        kept = {(m.slot, m.investor, m.startup) for m in problem.fixed}
        answer = {(m.slot, m.investor, m.startup) for m in result.meetings}
        if not kept <= answer:
            raise ScheduleFailed(_("The solver moved a confirmed meeting; nothing was changed."))
        check_schedule(problem, list(result.meetings))
        new = sorted(answer - kept, key=lambda m: (int(m[0]), int(m[1]), int(m[2])))
        stats = dict(result.stats or {})
        stats["seconds"] = round(time.perf_counter() - started, 3)
        with transaction.atomic():
            locked = Event.objects.select_for_update().get(pk=event_id)
            if locked.job != ScheduleJob.RUNNING:  # the reaper requeued it and another run stored it
                return None
            late_run = bool(kept)
            taken: dict[int, set[int]] = defaultdict(set)
            for slot_id, table in Meeting.objects.filter(event=event).values_list("slot_id", "table"):
                taken[slot_id].add(table)
            rows = []
            for slot, investor, startup in new:
                slot_id = int(slot)
                table = next(t for t in range(1, locked.tables + 1) if t not in taken[slot_id])
                taken[slot_id].add(table)
                rows.append(Meeting(event=event, slot_id=slot_id, table=table, investor_id=int(investor),
                                    startup_id=int(startup), late=late_run))
            Meeting.objects.bulk_create(rows)
            _mark_fitted(event_id, newcomers)
            Event.objects.filter(pk=event_id).update(
                job=ScheduleJob.DONE, job_finished_at=timezone.now(), job_error="", status=EventStatus.SCHEDULED,
                value=result.value, bound=max(result.bound, result.value), stats=stats)
            told = sorted({r.investor_id for r in rows} | {r.startup_id for r in rows})
            if told:
                transaction.on_commit(lambda: _announce(event_id, told, late_run), robust=True)
    except (ScheduleFailed, solver.ScheduleInputError) as exc:
        return _fail(event_id, _("The schedule could not be built: %(why)s") % {"why": exc})
    except Exception as exc:  # the worker lives on; staff see why and may start it again
        log.exception("event %s schedule failed", event_id)
        return _fail(event_id, _("The schedule could not be built: %(why)s") % {"why": exc})
    return Event.objects.get(pk=event_id)


def _announce(event_id: int, registrant_ids: list[int], late: bool) -> None:
    from . import tasks

    tasks.announce_meetings.delay(event_id, registrant_ids, late)
