"""Attempts at quizzes and exams: start (or resume), answer, submit. The server keeps the time."""

from __future__ import annotations

import random
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forward.core.models import User

from . import grading, permissions
from .models import Assessment, AssessmentKind, Attempt, Enrolment, Question


def is_certification_exam(assessment: Assessment) -> bool:
    """An assessment outside any course is a certification's exam (Certification.exam)."""
    return assessment.course_id is None


def allowed_attempts(user: User, assessment: Assessment) -> int:
    if is_certification_exam(assessment):
        from .certifications import attempts_allowed

        return attempts_allowed(user=user, assessment=assessment)
    return assessment.attempts_allowed


def open_attempt(*, user: User, assessment: Assessment) -> Attempt | None:
    """The attempt in progress, if any (a crash or a closed tab resumes it, deadline unchanged)."""
    attempt = Attempt.objects.filter(assessment=assessment, user=user, submitted_at__isnull=True).first()
    if attempt and attempt.deadline and timezone.now() >= attempt.deadline:
        attempt_submit(user=user, attempt_id=attempt.pk)  # time ran out while away: mark what was saved
        return None
    return attempt


def attempt_start(*, user: User, assessment: Assessment) -> Attempt:
    """Resume the open attempt, or start the next one: a fresh draw of questions and option orders."""
    if not permissions.can_take_assessment(user, assessment):
        raise PermissionDenied
    current = open_attempt(user=user, assessment=assessment)
    if current is not None:
        return current
    now = timezone.now()
    if assessment.closes_at and now >= assessment.closes_at:
        raise ValidationError(_("%(title)s closed on %(date)s.") % {"title": assessment.title,
                                                                   "date": assessment.closes_at.date()})
    used = Attempt.objects.filter(assessment=assessment, user=user).count()
    allowed = allowed_attempts(user, assessment)
    if used >= allowed:
        if is_certification_exam(assessment):
            raise ValidationError(_("Redeem a voucher to sit this exam again."))
        raise ValidationError(_("You have used all %(n)d attempts.") % {"n": allowed})
    questions = list(assessment.questions.order_by("order", "pk"))
    rng = random.Random(f"{assessment.pk}:{user.pk}:{used + 1}")  # reproducible for this attempt
    if assessment.questions_per_attempt and assessment.questions_per_attempt < len(questions):
        questions = rng.sample(questions, assessment.questions_per_attempt)
    orders = {}
    for q in questions:
        order = list(range(len(q.options)))
        if assessment.shuffle_options and q.kind in ("single", "multiple"):
            rng.shuffle(order)
        orders[str(q.pk)] = order
    deadline = None
    if assessment.kind == AssessmentKind.EXAM and assessment.time_limit_minutes:
        deadline = now + timedelta(minutes=assessment.time_limit_minutes)
        if assessment.closes_at:
            deadline = min(deadline, assessment.closes_at)
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                assessment=assessment, user=user, number=used + 1, started_at=now, deadline=deadline,
                question_ids=[q.pk for q in questions], option_orders=orders,
                max_score=sum(q.points for q in questions))
            if is_certification_exam(assessment):
                from .certifications import attempt_started

                attempt_started(attempt=attempt)  # the attempt uses up a sitting, or is refused
            return attempt
    except IntegrityError:  # two tabs started at once: both get the same attempt
        return Attempt.objects.get(assessment=assessment, user=user, number=used + 1)


@transaction.atomic
def answer_save(*, user: User, attempt_id: int, question_id: int, answer) -> Attempt:
    """Record an answer. After the deadline (server time) nothing is recorded."""
    attempt = Attempt.objects.select_for_update().get(pk=attempt_id)
    if attempt.user_id != user.pk:
        raise PermissionDenied
    if attempt.submitted_at:
        raise ValidationError(_("This attempt has been submitted; answers can no longer change."))
    if attempt.deadline and timezone.now() >= attempt.deadline:
        raise ValidationError(_("Time is up: answers sent after the deadline do not count."))
    if question_id not in attempt.question_ids:
        raise ValidationError(_("That question is not part of this attempt."))
    attempt.answers[str(question_id)] = answer
    attempt.save(update_fields=["answers"])
    return attempt


@transaction.atomic
def attempt_submit(*, user: User, attempt_id: int) -> Attempt:
    """Mark the attempt. Submitting twice, or after the deadline, marks what was saved in time."""
    attempt = Attempt.objects.select_for_update().select_related("assessment").get(pk=attempt_id)
    if attempt.user_id != user.pk:
        raise PermissionDenied
    if attempt.submitted_at:
        return attempt
    questions = {q.pk: q for q in attempt.assessment.questions.filter(pk__in=attempt.question_ids)}
    attempt.score = sum(grading.mark(questions[qid], attempt.answers.get(str(qid)))
                        for qid in attempt.question_ids if qid in questions)
    now = timezone.now()
    attempt.submitted_at = min(now, attempt.deadline) if attempt.deadline else now
    attempt.save(update_fields=["score", "submitted_at"])
    assessment = attempt.assessment
    if is_certification_exam(assessment):
        from .certifications import attempt_marked

        attempt_marked(attempt=attempt)  # a pass earns (or renews) the certification
        return attempt
    passed = attempt.percent is not None and attempt.percent >= assessment.pass_mark
    if assessment.lesson_id and (assessment.kind == AssessmentKind.EXAM or passed):
        # A quiz lesson is done when passed; an exam lesson when submitted.
        from .services import ProgressEvent, progress_apply

        progress_apply(user=user, events=[ProgressEvent(lesson_id=assessment.lesson_id, position=0, completed=True,
                                                        at=now)])
    return attempt


def ended_runs(*, user_ids, course_id) -> dict[int, list[tuple]]:
    """user id → (start, end) of each of their runs of a course that has ended: one query."""
    windows: dict[int, list[tuple]] = {}
    for user_id, starts, ends in Enrolment.objects.filter(
            user_id__in=user_ids, run__course_id=course_id, run__ends_at__lte=timezone.now()).values_list(
            "user_id", "run__starts_at", "run__ends_at"):
        windows.setdefault(user_id, []).append((starts, ends))
    return windows


def results_visible(attempt: Attempt, *, ended: dict[int, list[tuple]] | None = None) -> bool:
    """Quizzes give feedback at once; exams show results when the exam closes: at its closing
    time, or when the run the learner sat it in has ended (each cohort's exam closes with its run).
    `ended` is `ended_runs(...)` computed once for many attempts."""
    if attempt.submitted_at is None:
        return False
    assessment = attempt.assessment
    if assessment.kind == AssessmentKind.QUIZ or is_certification_exam(assessment):
        # A certification exam closes for each candidate: when they submit or their deadline passes
        # (the attempt is then marked with what was saved in time).
        return True
    if assessment.closes_at is None or timezone.now() >= assessment.closes_at:
        return True
    if ended is None:
        ended = ended_runs(user_ids=[attempt.user_id], course_id=assessment.course_id)
    return any(starts <= attempt.submitted_at <= ends for starts, ends in ended.get(attempt.user_id, []))


def area_scores(*, attempt: Attempt, questions: dict[int, Question]) -> list[dict]:
    """Points per question area of a submitted attempt ({"area", "score", "max_score", "percent"}),
    in the order the areas first appear in the draw: what a certification result shows instead of
    which questions were wrong. Questions without an area are counted under "General"."""
    areas: dict[str, dict] = {}
    for qid in attempt.question_ids:
        question = questions.get(qid)
        if question is None:
            continue
        row = areas.setdefault(question.area or _("General"), {"score": 0.0, "max_score": 0.0})
        row["score"] += grading.mark(question, attempt.answers.get(str(qid)))
        row["max_score"] += question.points
    return [{"area": area, **row, "percent": round(100 * row["score"] / row["max_score"]) if row["max_score"] else 0}
            for area, row in areas.items()]


def correct_answer(question: Question) -> str:
    """The expected answer as a learner reads it: the right options, the number, or the first
    accepted text ("" for a text question marked by a pattern only)."""
    if question.kind in ("single", "multiple"):
        return "; ".join(str(question.options[i]) for i in sorted(question.correct)
                         if isinstance(i, int) and 0 <= i < len(question.options))
    if not question.correct:
        return ""
    if question.kind == "numeric":
        value = f"{float(question.correct[0]):g}"
        return f"{value} ± {question.tolerance:g}" if question.tolerance else value
    return str(question.correct[0])
