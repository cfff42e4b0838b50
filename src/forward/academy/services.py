"""Every write in the academy: enrolment and progress. Keyword arguments; one transaction each."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from forward.core.audit import AuditAction
from forward.core.models import MAX_ID, User
from forward.core.permissions import is_member

from .models import CourseRun, Enrolment, Lesson, LessonProgress

if TYPE_CHECKING:
    from forward.credentials.models import IssuanceBatch

MAX_EVENTS = 500
MAX_POSITION_SECONDS = 24 * 3600  # a lesson video is shorter than a day
CLOCK_SKEW = timedelta(minutes=5)  # a player's clock may run this far ahead of ours
MAX_EVENT_AGE = timedelta(days=366)  # an offline player's batch may arrive late, but not years late


@transaction.atomic
def enrol(*, user: User, run: CourseRun) -> Enrolment:
    """Enrol in a run: open to all, or to members of the run's university. Enrolling twice is harmless."""
    now = timezone.now()
    if now > run.enrolment_ends:
        raise ValidationError(_("Enrolment for %(cohort)s closed on %(date)s.")
                              % {"cohort": run.cohort, "date": run.enrolment_ends.date()})
    if run.university_id and not is_member(user, run.university_id):
        assert run.university is not None  # university_id is set: the row exists (PROTECT)
        raise ValidationError(_("This run is for students of %(university)s. Ask your university's admin on "
                                "Forward to invite you.") % {"university": run.university.name})
    prerequisites = list(run.course.prerequisites.all())
    if prerequisites and not Enrolment.objects.filter(run=run, user=user).exists():
        from .selectors import passed_courses

        passed = passed_courses(user=user, courses=prerequisites)
        missing = [c.title for c in prerequisites if c.pk not in passed]
        if missing:
            raise ValidationError(_("Pass %(courses)s first: this course builds on it.")
                                  % {"courses": ", ".join(missing)})
    try:
        with transaction.atomic():
            enrolment, _created = Enrolment.objects.get_or_create(run=run, user=user)
    except IntegrityError:  # a double click racing itself
        enrolment = Enrolment.objects.get(run=run, user=user)
    return enrolment


@dataclass(frozen=True)
class ProgressEvent:
    lesson_id: int
    position: float
    completed: bool
    at: datetime


@dataclass(frozen=True)
class ProgressResult:
    applied: int
    ignored: list[str]


def progress_apply(*, user: User, events: list[ProgressEvent]) -> ProgressResult:
    """Apply a batch of player events: positions move to the latest, completions happen once.

    Idempotent: the same batch sent twice changes nothing the second time, because a position is
    only taken from a newer event and a lesson is completed (and counted) only on its first
    completion. A constant number of queries per batch, whatever its size.
    """
    if len(events) > MAX_EVENTS:
        raise ValidationError(_("Send at most %(n)d events at a time.") % {"n": MAX_EVENTS})
    if not events:
        return ProgressResult(applied=0, ignored=[])
    _check_events(events)
    lesson_ids = {e.lesson_id for e in events if 1 <= e.lesson_id <= MAX_ID}
    lessons = {lesson.pk: lesson
               for lesson in Lesson.objects.filter(pk__in=lesson_ids).only("pk", "course_id").order_by()}
    enrolments: dict[int, Enrolment] = {}
    for enrolment in (Enrolment.objects.filter(user=user, run__course_id__in={lsn.course_id for lsn in lessons.values()})
                      .select_related("run").order_by("created_at")):
        enrolments[enrolment.run.course_id] = enrolment  # the latest run of each course wins
    ignored: list[str] = []
    latest: dict[tuple[int, int], ProgressEvent] = {}
    for event in events:
        lesson = lessons.get(event.lesson_id)
        if lesson is None:
            ignored.append(_("lesson %(id)s does not exist") % {"id": event.lesson_id})
            continue
        enrolled = enrolments.get(lesson.course_id)
        if enrolled is None:
            ignored.append(_("not enrolled in the course of lesson %(id)s") % {"id": event.lesson_id})
            continue
        key = (enrolled.pk, lesson.pk)
        seen = latest.get(key)
        completed = event.completed or (seen is not None and seen.completed)
        if seen is None or event.at >= seen.at:
            latest[key] = ProgressEvent(lesson.pk, event.position, completed, event.at)
        elif completed and not seen.completed:
            latest[key] = ProgressEvent(lesson.pk, seen.position, True, seen.at)
    with transaction.atomic():
        LessonProgress.objects.bulk_create(
            [LessonProgress(enrolment_id=e, lesson_id=lsn, updated_at=timezone.make_aware(datetime(2000, 1, 1)))
             for (e, lsn) in latest], ignore_conflicts=True)
        rows = {(p.enrolment_id, p.lesson_id): p for p in LessonProgress.objects.select_for_update().filter(
            enrolment_id__in={e for e, _ in latest}, lesson_id__in={lsn for _, lsn in latest})}
        changed: list[LessonProgress] = []
        newly_completed: dict[int, int] = {}
        for key, event in latest.items():
            row = rows[key]
            dirty = False
            position = max(0.0, event.position)
            if event.at > row.updated_at or (event.at == row.updated_at and position != row.position_seconds):
                row.position_seconds, row.updated_at, dirty = position, event.at, True
            if event.completed and row.completed_at is None:
                row.completed_at, dirty = event.at, True
                newly_completed[key[0]] = newly_completed.get(key[0], 0) + 1
            if dirty:
                changed.append(row)
        LessonProgress.objects.bulk_update(changed, ["position_seconds", "updated_at", "completed_at"], batch_size=500)
        last: dict[int, tuple[int, datetime]] = {}
        for (enrolment_id, lesson_id), event in latest.items():
            if enrolment_id not in last or event.at > last[enrolment_id][1]:
                last[enrolment_id] = (lesson_id, event.at)
        for enrolment_id, (lesson_id, at) in last.items():
            Enrolment.objects.filter(pk=enrolment_id).update(
                last_lesson_id=lesson_id, last_activity_at=at,
                completed_lessons=F("completed_lessons") + newly_completed.get(enrolment_id, 0))
    return ProgressResult(applied=len(events) - len(ignored), ignored=ignored)


def _check_events(events: list[ProgressEvent]) -> None:
    """Refuse a batch whose positions or times cannot be real: stored, a position of infinity or a
    time in year 9999 would freeze the lesson's progress (nothing newer could ever replace it)."""
    now = timezone.now()
    for number, event in enumerate(events, start=1):
        if not math.isfinite(event.position) or not 0 <= event.position <= MAX_POSITION_SECONDS:
            raise ValidationError(_("Event %(n)d: the position must be a number of seconds from 0 to %(max)d.")
                                  % {"n": number, "max": MAX_POSITION_SECONDS})
        if event.at.tzinfo is None:
            raise ValidationError(_("Event %(n)d: give the time with its time zone (e.g. 2026-05-01T10:00:00Z).")
                                  % {"n": number})
        if event.at > now + CLOCK_SKEW:
            raise ValidationError(_("Event %(n)d is in the future (%(at)s); check the device's clock.")
                                  % {"n": number, "at": event.at.isoformat()})
        if event.at < now - MAX_EVENT_AGE:
            raise ValidationError(_("Event %(n)d is more than a year old (%(at)s); it is not recorded.")
                                  % {"n": number, "at": event.at.isoformat()})


@transaction.atomic
def grades_release(*, actor: User, run: CourseRun) -> CourseRun:
    """Staff have reviewed the grade book: grades become final (and certificates may be issued)."""
    from django.core.exceptions import PermissionDenied

    from forward.core.services import audit

    from . import permissions

    run = CourseRun.objects.select_for_update().get(pk=run.pk)
    if not permissions.can_view_cohort(actor, run):
        raise PermissionDenied
    if run.grades_released_at is None:
        run.grades_released_at = timezone.now()
        run.grades_released_by = actor
        run.save(update_fields=["grades_released_at", "grades_released_by"])
        audit(actor=actor, action=AuditAction.GRADES_RELEASE, organization=run.university, target=str(run))
        run_certify(actor=None, run=run)  # certificates for the cohort, in the background
    return run


def run_certify(*, actor: User | None, run: CourseRun) -> IssuanceBatch:
    """Queue the certificates a run's cohort has earned (again: picks up anyone missed), once its
    grades are released; credentials issues them in the background (an `IssuanceBatch`).
    `actor` None is the platform itself (grades just released)."""
    from django.core.exceptions import PermissionDenied

    from forward.credentials import services as credential_services

    from . import awards, permissions

    if actor is not None and not permissions.can_view_cohort(actor, run):
        raise PermissionDenied
    if run.grades_released_at is None:
        raise ValidationError(_("Release the grades first: nothing is certified before staff have reviewed them."))
    return credential_services.batch_start(actor=actor, **awards.batch_details(run))
