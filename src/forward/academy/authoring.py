"""Every write of course authoring: courses, modules, lessons, questions, their order, the course
team, video uploads, publishing. Keyword arguments; one transaction each; the caller has checked
`permissions.can_author` (views do, and so does each function that takes an `actor`).

Edits to a published course are live at once (as in a wiki): a course team fixes a typo without a
release step. Publishing checks that the course is complete enough for learners; unpublishing is
refused while learners are enrolled, so nobody loses a course they are taking.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from forward.core.audit import AuditAction
from forward.core.models import Organization, Skill, User
from forward.core.services import audit

from . import permissions
from .models import (
    Assessment,
    Course,
    CourseRun,
    CourseStatus,
    Lesson,
    LessonKind,
    Module,
    Question,
)

VIDEO_TYPES = {".mp4": b"ftyp", ".webm": b"\x1a\x45\xdf\xa3", ".m4v": b"ftyp"}
MAX_VIDEO_BYTES = 2 * 1024 ** 3


def _check(actor: User, course: Course | None) -> None:
    # An assessment without a course is a certification's exam: not one the course studio edits.
    if course is None or not permissions.can_author(actor, course):
        raise PermissionDenied


def _unique_slug(base: str, taken: Callable[[str], bool]) -> str:
    base = (slugify(base) or "item")[:70]
    slug, n = base, 2
    while taken(slug):
        slug, n = f"{base}-{n}", n + 1
    return slug


def _skills(skills: Iterable[Skill], new_skills: Sequence[tuple[str, str]]) -> list[Skill]:
    """The chosen skills and the typed-in (slug, name) ones, those not on the shared list yet added to
    it: called after the permission check, inside the caller's transaction."""
    found = list(skills)
    for slug, name in new_skills:
        found.append(Skill.objects.get_or_create(slug=slug, defaults={"name": name})[0])
    return found


@transaction.atomic
def course_create(*, actor: User, owner: Organization, title: str, new_skills: Sequence[tuple[str, str]] = (),
                  **fields: Any) -> Course:
    """A new draft course; its creator joins its team. `new_skills` are (slug, name) pairs of skills
    to add to the shared list if they are not on it."""
    if not permissions.course_owners(actor).filter(pk=owner.pk).exists():
        raise PermissionDenied
    skills = _skills(fields.pop("skills", []), new_skills)
    prerequisites = fields.pop("prerequisites", [])
    slug = fields.pop("slug", "") or _unique_slug(title, lambda s: Course.objects.filter(slug=s).exists())
    course = Course.objects.create(owner=owner, title=title, slug=slug, status=CourseStatus.DRAFT, **fields)
    course.skills.set(skills)
    course.prerequisites.set(prerequisites)
    course.authors.add(actor)
    audit(actor=actor, action=AuditAction.COURSE_CREATE, organization=owner, target=course.slug)
    return course


@transaction.atomic
def course_update(*, actor: User, course: Course, new_skills: Sequence[tuple[str, str]] = (),
                  **fields: Any) -> Course:
    _check(actor, course)
    skills = fields.pop("skills", None)
    if skills is not None or new_skills:
        skills = _skills(course.skills.all() if skills is None else skills, new_skills)
    prerequisites = fields.pop("prerequisites", None)
    for name, value in fields.items():
        setattr(course, name, value)
    course.save()
    if skills is not None:
        course.skills.set(skills)
    if prerequisites is not None:
        if course.pk in {p.pk for p in prerequisites}:
            raise ValidationError(_("A course cannot be its own prerequisite."))
        course.prerequisites.set(prerequisites)
    return course


def publish_problems(*, course: Course) -> list[str]:
    """What stops a course from being published, in words its team can act on."""
    from .grading import policy_errors

    problems = []
    if not course.owner.is_verified:
        problems.append(_("%(org)s is not verified yet: a programme operator verifies an organization before it "
                          "publishes courses.") % {"org": course.owner.name})
    lessons = list(Lesson.objects.filter(course=course).select_related("module"))
    if not lessons:
        problems.append(_("Add at least one lesson."))
    assessments = {a.lesson_id: a for a in Assessment.objects.filter(course=course).prefetch_related("questions")}
    for lesson in lessons:
        if lesson.kind == LessonKind.QUIZ:
            assessment = assessments.get(lesson.pk)
            count = len(assessment.questions.all()) if assessment else 0
            if assessment is None or not count:
                problems.append(_("“%(lesson)s” is a quiz without questions.") % {"lesson": lesson.title})
            elif assessment.questions_per_attempt > count:
                problems.append(_("“%(lesson)s” draws %(n)d questions per attempt but has only %(m)d.")
                                % {"lesson": lesson.title, "n": assessment.questions_per_attempt, "m": count})
        elif lesson.kind == LessonKind.VIDEO and not (lesson.video_url or lesson.video_file or lesson.transcript):
            problems.append(_("“%(lesson)s” has no video and no transcript.") % {"lesson": lesson.title})
    if course.grading_policy:
        problems.extend(policy_errors(course.grading_policy))
    return problems


@transaction.atomic
def course_publish(*, actor: User, course: Course) -> Course:
    _check(actor, course)
    course = Course.objects.select_for_update().get(pk=course.pk)
    problems = publish_problems(course=course)
    if problems:
        raise ValidationError(problems)
    if course.status != CourseStatus.PUBLISHED:
        course.status, course.published_at = CourseStatus.PUBLISHED, timezone.now()
        course.save(update_fields=["status", "published_at"])
        audit(actor=actor, action=AuditAction.COURSE_PUBLISH, organization=course.owner, target=course.slug)
    return course


@transaction.atomic
def course_unpublish(*, actor: User, course: Course) -> Course:
    from .models import Enrolment

    _check(actor, course)
    course = Course.objects.select_for_update().get(pk=course.pk)
    enrolled = Enrolment.objects.filter(run__course=course).count()
    if enrolled:
        raise ValidationError(_("%(n)d learners are enrolled, so the course stays published. Edit it in place, or "
                                "close its runs to new enrolments.") % {"n": enrolled})
    if course.status != CourseStatus.DRAFT:
        course.status = CourseStatus.DRAFT
        course.save(update_fields=["status"])
        audit(actor=actor, action=AuditAction.COURSE_UNPUBLISH, organization=course.owner, target=course.slug)
    return course


@transaction.atomic
def author_add(*, actor: User, course: Course, email: str) -> User:
    _check(actor, course)
    user: User | None = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise ValidationError(_("Nobody has a Forward account with the address %(email)s. Ask them to sign up first.")
                              % {"email": email.strip()})
    course.authors.add(user)
    audit(actor=actor, action=AuditAction.COURSE_AUTHOR_ADD, organization=course.owner, target=f"{course.slug}:{user.email}")
    return user


@transaction.atomic
def author_remove(*, actor: User, course: Course, user_id: int) -> None:
    _check(actor, course)  # the owner's admins can always edit, so a course is never orphaned
    removed = course.authors.filter(pk=user_id).values_list("email", flat=True).first()
    if removed is None:  # not on the team (a stale page, a second click): nothing changes, nothing to record
        return
    course.authors.remove(user_id)
    audit(actor=actor, action=AuditAction.COURSE_AUTHOR_REMOVE, organization=course.owner, target=f"{course.slug}:{removed}")


Ordered = TypeVar("Ordered", Module, Lesson, Question)


def _renumber(items: Sequence[Ordered]) -> None:
    for index, item in enumerate(items):
        if item.order != index:
            item.order = index
            item.save(update_fields=["order"])


def _move(items: list[Ordered], item: Ordered, direction: str) -> None:
    index = next(i for i, x in enumerate(items) if x.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    _renumber(items)


@transaction.atomic
def module_create(*, actor: User, course: Course, title: str) -> Module:
    _check(actor, course)
    last = course.modules.aggregate(m=Max("order"))["m"]
    return Module.objects.create(course=course, title=title, order=0 if last is None else last + 1)


@transaction.atomic
def module_update(*, actor: User, module: Module, title: str) -> Module:
    _check(actor, module.course)
    module.title = title
    module.save(update_fields=["title"])
    return module


@transaction.atomic
def module_move(*, actor: User, module: Module, direction: str) -> None:
    _check(actor, module.course)
    _move(list(Module.objects.select_for_update().filter(course_id=module.course_id).order_by("order", "pk")),
          module, direction)


@transaction.atomic
def module_delete(*, actor: User, module: Module) -> None:
    _check(actor, module.course)
    if module.lessons.exists():
        raise ValidationError(_("Move or delete the module's lessons first."))
    module.delete()
    _renumber(list(Module.objects.filter(course_id=module.course_id).order_by("order", "pk")))


def _video_store(*, course: Course, upload: UploadedFile) -> str:
    suffix = PurePosixPath(upload.name or "").suffix.lower()
    if suffix not in VIDEO_TYPES:
        raise ValidationError(_("Upload an MP4 or WebM video (the file “%(name)s” is neither).")
                              % {"name": upload.name})
    if (upload.size or 0) > MAX_VIDEO_BYTES:
        raise ValidationError(_("The video is larger than 2 GB; link to a stream instead."))
    head = upload.read(12)
    upload.seek(0)
    magic = VIDEO_TYPES[suffix]
    if (magic == b"ftyp" and head[4:8] != b"ftyp") or (magic != b"ftyp" and not head.startswith(magic)):
        raise ValidationError(_("“%(name)s” is not a playable %(kind)s file. Export it again as H.264 or VP9 video.")
                              % {"name": upload.name, "kind": suffix[1:].upper()})
    return default_storage.save(f"academy/videos/{course.slug}/{uuid.uuid4().hex}{suffix}", upload)


def _delete_unused_video(name: str) -> None:
    """Remove a stored video once no lesson plays it (lessons may share one file)."""
    def delete() -> None:
        if not Lesson.objects.filter(video_file=name).exists():
            default_storage.delete(name)
    transaction.on_commit(delete)


LESSON_FIELDS = ("title", "kind", "minutes", "video_url", "captions_vtt", "transcript", "body", "lab_url")


def lesson_save(*, actor: User, module: Module, lesson: Lesson | None = None, video: UploadedFile | None = None,
                slug: str = "", remove_video: bool = False, **fields: Any) -> Lesson:
    """Create or edit a lesson. A video upload is stored before the transaction (slow I/O) and
    removed again if the transaction fails, so nothing is half-written."""
    course = module.course
    _check(actor, course)
    stored = _video_store(course=course, upload=video) if video else ""
    try:
        with transaction.atomic():
            old_file = ""
            if lesson is None:
                last = module.lessons.aggregate(m=Max("order"))["m"]
                lesson = Lesson(module=module, course=course, order=0 if last is None else last + 1)
            elif lesson.module_id != module.pk:
                lesson.module, lesson.order = module, (module.lessons.aggregate(m=Max("order"))["m"] or -1) + 1
            for name in LESSON_FIELDS:
                if name in fields:
                    setattr(lesson, name, fields[name])
            taken = Lesson.objects.filter(course=course).exclude(pk=lesson.pk)
            if slug:
                if taken.filter(slug=slug).exists():
                    raise ValidationError({"slug": _("Another lesson of this course uses “%(slug)s”.")
                                                   % {"slug": slug}})
                lesson.slug = slug
            elif not lesson.slug:
                lesson.slug = _unique_slug(lesson.title, lambda s: taken.filter(slug=s).exists())
            if stored or remove_video:
                old_file, lesson.video_file = lesson.video_file, stored
            lesson.save()
            if lesson.kind == LessonKind.QUIZ and not hasattr(lesson, "assessment"):
                Assessment.objects.create(course=course, lesson=lesson, title=lesson.title)
    except Exception:
        if stored:
            default_storage.delete(stored)
        raise
    if old_file:
        _delete_unused_video(old_file)
    return lesson


@transaction.atomic
def lesson_move(*, actor: User, lesson: Lesson, direction: str) -> None:
    """Up or down within its module; past the first or last lesson it moves to the next module."""
    _check(actor, lesson.course)
    modules = list(Module.objects.filter(course_id=lesson.course_id).order_by("order", "pk"))
    siblings = list(Lesson.objects.select_for_update().filter(module_id=lesson.module_id).order_by("order", "pk"))
    index = next(i for i, x in enumerate(siblings) if x.pk == lesson.pk)
    m_index = next(i for i, m in enumerate(modules) if m.pk == lesson.module_id)
    at_edge = index == 0 if direction == "up" else index == len(siblings) - 1
    neighbour = m_index - 1 if direction == "up" else m_index + 1
    if at_edge and 0 <= neighbour < len(modules):
        target = modules[neighbour]
        others = list(target.lessons.order_by("order", "pk"))
        siblings.pop(index)
        lesson.module = target
        lesson.save(update_fields=["module"])
        _renumber([*others, lesson] if direction == "up" else [lesson, *others])
        _renumber(siblings)
        return
    _move(siblings, lesson, direction)


def _forget_completions(lesson: Lesson) -> None:
    """Learners who completed a lesson being deleted have one lesson fewer done: their counts go
    down with it, so progress never shows more lessons done than the course has. One UPDATE per
    distinct count (a learner completes a lesson once), however many learners."""
    from .models import Enrolment, LessonProgress

    done = LessonProgress.objects.filter(lesson=lesson, completed_at__isnull=False).values("enrolment_id")
    Enrolment.objects.filter(pk__in=done).update(completed_lessons=Greatest(F("completed_lessons") - 1, 0))


@transaction.atomic
def lesson_delete(*, actor: User, lesson: Lesson) -> None:
    from .models import Attempt

    _check(actor, lesson.course)
    assessment = getattr(lesson, "assessment", None)
    if assessment is not None and Attempt.objects.filter(assessment=assessment).exists():
        raise ValidationError(_("Learners have answered this quiz, so it is kept for their grades. Rename it or "
                                "move it instead."))
    video = lesson.video_file
    if assessment is not None:
        assessment.delete()
    _forget_completions(lesson)
    lesson.delete()
    _renumber(list(Lesson.objects.filter(module_id=lesson.module_id).order_by("order", "pk")))
    if video:
        _delete_unused_video(video)


ASSESSMENT_FIELDS = ("kind", "title", "time_limit_minutes", "attempts_allowed", "questions_per_attempt",
                     "shuffle_options", "closes_at", "pass_mark", "category")


@transaction.atomic
def assessment_update(*, actor: User, assessment: Assessment, **fields: Any) -> Assessment:
    _check(actor, assessment.course)
    for name in ASSESSMENT_FIELDS:
        if name in fields:
            setattr(assessment, name, fields[name])
    assessment.save()
    return assessment


QUESTION_FIELDS = ("kind", "prompt", "options", "correct", "tolerance", "pattern", "points", "explanation")


@transaction.atomic
def question_save(*, actor: User, assessment: Assessment, question: Question | None = None,
                  **fields: Any) -> Question:
    _check(actor, assessment.course)
    if question is None:
        last = assessment.questions.aggregate(m=Max("order"))["m"]
        question = Question(assessment=assessment, order=0 if last is None else last + 1)
    for name in QUESTION_FIELDS:
        if name in fields:
            setattr(question, name, fields[name])
    question.save()
    return question


@transaction.atomic
def question_move(*, actor: User, question: Question, direction: str) -> None:
    _check(actor, question.assessment.course)
    _move(list(Question.objects.select_for_update().filter(assessment_id=question.assessment_id)
               .order_by("order", "pk")), question, direction)


@transaction.atomic
def question_delete(*, actor: User, question: Question) -> None:
    _check(actor, question.assessment.course)
    assessment_id = question.assessment_id
    question.delete()  # past attempts keep their marks; a deleted question is skipped when shown
    _renumber(list(Question.objects.filter(assessment_id=assessment_id).order_by("order", "pk")))


@transaction.atomic
def run_save(*, actor: User, course: Course, run: CourseRun | None = None, university: Organization | None,
             cohort: str, enrolment_ends: datetime, starts_at: datetime, ends_at: datetime,
             instructor_emails: list[str]) -> CourseRun:
    """Offer a course as a run (at a university, or open to all) with its dates and instructors;
    or change an existing run. Instructors are Forward users: a university's own staff, or
    visiting professors from an employer."""
    if run is not None and not permissions.can_manage_run(actor, run):
        raise PermissionDenied
    if not permissions.can_offer_run(actor, course, university):
        raise PermissionDenied
    errors = []
    if ends_at <= starts_at:
        errors.append(_("The run ends after it starts."))
    if enrolment_ends > ends_at:
        errors.append(_("Enrolment closes before the run ends."))
    wanted = {e.strip().lower() for e in instructor_emails if e.strip()}
    from django.db.models import Q

    query = Q(pk__in=[])
    for email in wanted:
        query |= Q(email__iexact=email)
    instructors = list(User.objects.filter(query))
    missing = sorted(wanted - {u.email.lower() for u in instructors})
    if missing:
        errors.append(_("No Forward account has the address %(emails)s. Ask them to sign up first.")
                      % {"emails": ", ".join(missing)})
    if errors:
        raise ValidationError(errors)
    if run is None:
        run = CourseRun(course=course)
    run.university, run.cohort = university, cohort
    run.enrolment_ends, run.starts_at, run.ends_at = enrolment_ends, starts_at, ends_at
    run.save()
    run.instructors.set(instructors)
    audit(actor=actor, action=AuditAction.RUN_SAVE, organization=university or course.owner, target=str(run))
    return run
