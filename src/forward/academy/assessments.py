"""Attempts at quizzes and exams: start (or resume), answer, submit. The server keeps the time."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any, TypedDict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from forward.core.models import User
from forward.core.types import AnyUser

from . import grading, permissions
from .models import Assessment, AssessmentKind, Attempt, Enrolment, Question

# user id → (start, end) of each of their runs of a course that has ended (`ended_runs`).
EndedRuns = dict[int, list[tuple[datetime, datetime]]]


def is_certification_exam(assessment: Assessment) -> bool:
    """An assessment outside any course is a certification's exam (Certification.exam)."""
    return assessment.course_id is None


def allowed_attempts(user: User, assessment: Assessment) -> int:
    if is_certification_exam(assessment):
        from .certifications import attempts_allowed

        return attempts_allowed(user=user, assessment=assessment)
    return assessment.attempts_allowed


# --- deadlines, as read -------------------------------------------------------------------------
# An attempt whose deadline passed before it was submitted counts as submitted at its deadline,
# marked with the answers saved in time. Reads see it so at once (`counted`, `as_read`: nothing is
# written); `attempts_close_lapsed` writes the same, from the periodic job or the learner's next POST.

def counted(now: datetime | None = None, *, prefix: str = "") -> Q:
    """Attempts that count as submitted: submitted, or whose deadline has passed (`prefix`
    "attempt__" filters the rows that point at an attempt)."""
    now = now or timezone.now()
    return Q(**{f"{prefix}submitted_at__isnull": False}) | Q(**{f"{prefix}deadline__lte": now})


def in_progress(now: datetime | None = None, *, prefix: str = "") -> Q:
    """Attempts still being taken: not submitted, and their deadline (if any) not passed."""
    now = now or timezone.now()
    return Q(**{f"{prefix}submitted_at__isnull": True}) & (
        Q(**{f"{prefix}deadline__isnull": True}) | Q(**{f"{prefix}deadline__gt": now}))


def lapsed(attempt: Attempt, now: datetime | None = None) -> bool:
    """Not submitted, and its deadline has passed."""
    return (attempt.submitted_at is None and attempt.deadline is not None
            and attempt.deadline <= (now or timezone.now()))


def _score(attempt: Attempt, questions: Mapping[int, Question]) -> float:
    """The points of the answers saved in the attempt (questions deleted since do not count)."""
    return sum(grading.mark(questions[qid], attempt.answers.get(str(qid)))
               for qid in attempt.question_ids if qid in questions)


def as_read(attempts: Iterable[Attempt], *, now: datetime | None = None) -> list[Attempt]:
    """The attempts as they stand: each one that lapsed is marked in memory with the answers saved
    in time and submitted at its deadline, as `attempts_close_lapsed` will store it. Writes nothing;
    one query for the questions, only when some attempt lapsed."""
    attempts = list(attempts)
    now = now or timezone.now()
    late = [a for a in attempts if lapsed(a, now)]
    if late:
        questions = {q.pk: q for q in Question.objects.filter(pk__in={qid for a in late for qid in a.question_ids})}
        for attempt in late:
            attempt.score = _score(attempt, {qid: q for qid, q in questions.items()
                                             if q.assessment_id == attempt.assessment_id})
            attempt.submitted_at = attempt.deadline
    return attempts


def open_attempt(*, user: User, assessment: Assessment) -> Attempt | None:
    """The attempt in progress, if any (a crash or a closed tab resumes it, deadline unchanged).
    One whose deadline passed is not in progress: it counts as submitted (see `as_read`)."""
    return Attempt.objects.filter(in_progress(), assessment=assessment, user=user).first()


def attempts_close_lapsed(*, user: User | None = None, assessment: Assessment | None = None,
                          limit: int = 500) -> list[int]:
    """Store the marking of the attempts whose deadline passed unsubmitted (all, or this person's
    at this assessment): what reads already show. A passed certification exam earns its holding
    (and its credential) here, never on a page view. Each attempt in its own transaction; running
    again marks nothing more. Returns the ids marked."""
    due = Attempt.objects.filter(submitted_at__isnull=True, deadline__lte=timezone.now())
    if user is not None:
        due = due.filter(user=user)
    if assessment is not None:
        due = due.filter(assessment=assessment)
    marked = []
    for pk in list(due.order_by("deadline", "pk").values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            attempt = (Attempt.objects.select_for_update(of=("self",)).select_related("assessment", "user")
                       .filter(pk=pk, submitted_at__isnull=True).first())
            if attempt is not None:
                _mark(attempt, user=attempt.user)
                marked.append(pk)
    return marked


def attempt_start(*, user: User, assessment: Assessment) -> Attempt:
    """Resume the open attempt, or start the next one: a fresh draw of questions and option orders."""
    attempts_close_lapsed(user=user, assessment=assessment)  # an attempt that ran out is marked first
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
def answer_save(*, user: User, attempt_id: int, question_id: int, answer: Any) -> Attempt:
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
    return _mark(attempt, user=user)


def _mark(attempt: Attempt, *, user: User) -> Attempt:
    """Score and submit a locked attempt (inside the caller's transaction); then what it earns."""
    if attempt.submitted_at:
        return attempt
    questions = {q.pk: q for q in attempt.assessment.questions.filter(pk__in=attempt.question_ids)}
    attempt.score = _score(attempt, questions)
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


def answer_value(question: Question, given: list[str]) -> str | list[str]:
    """A posted answer as stored: the list of chosen options of a multiple-choice question, else
    the one value given ("" when none)."""
    if question.kind == "multiple":
        return [value for value in given if value != ""]
    return given[-1] if given else ""


def answers_record(*, user: User, assessment: Assessment, given: Mapping[int, list[str]],
                   submit: bool = False) -> Attempt:
    """Save the answers posted for the attempt in progress (question id → the values posted) and,
    with `submit`, mark it: one transaction, so a failure part-way leaves the attempt as it was.
    An attempt whose time ran out is marked first with what was saved in time (kept), and the
    answers are refused."""
    attempts_close_lapsed(user=user, assessment=assessment)
    with transaction.atomic():
        attempt = (Attempt.objects.select_for_update(of=("self",)).select_related("assessment")
                   .filter(in_progress(), assessment=assessment, user=user).first())
        if attempt is None:
            raise ValidationError(_("Time is up: this attempt was submitted with the answers saved in time."))
        questions = {q.pk: q for q in assessment.questions.filter(pk__in=attempt.question_ids)}
        changed = False
        for qid in attempt.question_ids:
            question = questions.get(qid)
            value = answer_value(question, list(given.get(qid, []))) if question else ""
            if value not in ("", []):
                attempt.answers[str(qid)] = value
                changed = True
        if changed:
            attempt.save(update_fields=["answers"])
        if submit:
            _mark(attempt, user=user)
    return attempt


def ended_runs(*, user_ids: Iterable[int], course_id: int) -> EndedRuns:
    """user id → (start, end) of each of their runs of a course that has ended: one query."""
    windows: EndedRuns = {}
    for user_id, starts, ends in Enrolment.objects.filter(
            user_id__in=user_ids, run__course_id=course_id, run__ends_at__lte=timezone.now()).values_list(
            "user_id", "run__starts_at", "run__ends_at"):
        windows.setdefault(user_id, []).append((starts, ends))
    return windows


def results_visible(attempt: Attempt, *, ended: EndedRuns | None = None) -> bool:
    """Quizzes give feedback at once; exams show results when the exam closes: at its closing
    time, or when the run the learner sat it in has ended (each cohort's exam closes with its run).
    `ended` is `ended_runs(...)` computed once for many attempts."""
    if attempt.submitted_at is None:
        return False
    assessment = attempt.assessment
    course_id = assessment.course_id
    if assessment.kind == AssessmentKind.QUIZ or course_id is None:
        # A certification exam (no course: `is_certification_exam`) closes for each candidate: when
        # they submit or their deadline passes (the attempt is then marked with what was saved in time).
        return True
    if assessment.closes_at is None or timezone.now() >= assessment.closes_at:
        return True
    if ended is None:
        ended = ended_runs(user_ids=[attempt.user_id], course_id=course_id)
    return any(starts <= attempt.submitted_at <= ends for starts, ends in ended.get(attempt.user_id, []))


class AreaScore(TypedDict):
    area: str
    score: float
    max_score: float
    percent: int


def area_scores(*, attempt: Attempt, questions: dict[int, Question]) -> list[AreaScore]:
    """Points per question area of a submitted attempt ({"area", "score", "max_score", "percent"}),
    in the order the areas first appear in the draw: what a certification result shows instead of
    which questions were wrong. Questions without an area are counted under "General"."""
    areas: dict[str, dict[str, float]] = {}
    for qid in attempt.question_ids:
        question = questions.get(qid)
        if question is None:
            continue
        row = areas.setdefault(question.area or _("General"), {"score": 0.0, "max_score": 0.0})
        row["score"] += grading.mark(question, attempt.answers.get(str(qid)))
        row["max_score"] += question.points
    return [{"area": area, "score": row["score"], "max_score": row["max_score"],
             "percent": round(100 * row["score"] / row["max_score"]) if row["max_score"] else 0}
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


# --- what the assessment's page shows -------------------------------------------------------------

def _chosen(given: Any) -> set[int]:
    """The option indexes in a saved answer (one index, or a list of them)."""
    return {int(x) for x in (given if isinstance(given, list) else [given]) if str(x).isdigit()}


def attempt_page(*, user: AnyUser, assessment: Assessment) -> dict[str, Any]:
    """What a learner sees of an assessment: the attempt in progress (with their saved answers), or
    the attempts that count as submitted (one that ran out among them, marked as it will be stored)
    with the latest one's feedback when its results are visible; and the attempts left. Reads only."""
    context: dict[str, Any] = {"assessment": assessment, "attempt": None, "past": [], "questions": []}
    if not user.is_authenticated:
        return context
    now = timezone.now()
    attempt = open_attempt(user=user, assessment=assessment)
    past = as_read(assessment.attempts.filter(counted(now), user=user).order_by("-number"), now=now)
    # "ran_out": marked at its deadline with the answers saved in time (stored yet or not).
    context["past"] = [{"attempt": a, "visible": results_visible(a),
                        "ran_out": a.deadline is not None and a.submitted_at is not None
                                   and a.submitted_at >= a.deadline} for a in past]
    allowed = allowed_attempts(user, assessment)
    context["attempts_left"] = max(0, allowed - len(past) - (1 if attempt else 0))
    shown = attempt or (past[0] if past else None)
    if shown is not None:
        by_id = {qn.pk: qn for qn in assessment.questions.filter(pk__in=shown.question_ids)}
        visible = shown.submitted_at is not None and results_visible(shown)
        # A certification result is the overall score and the score per area, never which question
        # was wrong (so that sittings do not teach the pool); a quiz shows each answer and, once
        # submitted, the correct one and why.
        certification_exam = is_certification_exam(assessment)
        feedback = visible and not certification_exam
        answers_shown = feedback and assessment.kind == AssessmentKind.QUIZ
        if visible and certification_exam:
            context["areas"] = area_scores(attempt=shown, questions=by_id)
        for qid in shown.question_ids:
            question = by_id.get(qid)
            if question is None:
                continue
            order = shown.option_orders.get(str(qid), list(range(len(question.options))))
            given = shown.answers.get(str(qid))
            chosen = _chosen(given)
            context["questions"].append({
                "question": question, "options": [(i, question.options[i], i in chosen) for i in order],
                "given": given if question.kind in ("numeric", "text") else "",
                "correct": grading.is_correct(question, given) if feedback else None,
                "answer": correct_answer(question) if answers_shown else "",
            })
        context["feedback"] = feedback
    context["attempt"] = attempt
    context["shown"] = shown
    return context
