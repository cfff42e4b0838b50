"""Reads shared by academy pages and the API."""

from __future__ import annotations

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from forward.core.models import User

from .models import Course, CourseRun, Enrolment, Lesson, LessonProgress, Module, ProgrammeCourse


def catalogue(*, query: str = "", programme: str = "", level: str = "", language: str = "", country: str = "",
              university: str = "") -> QuerySet[Course]:
    """Published courses matching the search (title, summary, skills) and filters."""
    courses = Course.objects.published()
    # Subqueries rather than joins: no duplicate rows, so no DISTINCT over thousands of courses.
    if query:
        tagged = Course.skills.through.objects.filter(skill__name__icontains=query).values("course_id")
        courses = courses.filter(Q(title__icontains=query) | Q(summary__icontains=query) | Q(pk__in=tagged))
    if programme:
        courses = courses.filter(pk__in=ProgrammeCourse.objects.filter(programme__slug=programme).values("course_id"))
    if level:
        courses = courses.filter(level=level)
    if language:
        courses = courses.filter(language=language)
    if country:
        courses = courses.filter(pk__in=CourseRun.objects.filter(university__country=country).values("course_id"))
    if university:
        courses = courses.filter(pk__in=CourseRun.objects.filter(university__slug=university).values("course_id"))
    lessons = (Lesson.objects.filter(course=OuterRef("pk")).order_by().values("course")
               .annotate(n=Count("pk")).values("n"))
    return (courses.select_related("owner").annotate(lesson_count=Coalesce(Subquery(lessons), 0))
            .prefetch_related("skills").order_by("title", "pk"))


def course_outline(*, course: Course) -> list[Module]:
    return list(course.modules.prefetch_related(Prefetch("lessons", queryset=Lesson.objects.order_by("order", "pk"))))


def open_runs(*, course: Course, user: User) -> QuerySet[CourseRun]:
    """Runs open for enrolment that this person may join: open ones, and their universities' runs."""
    runs = course.runs.filter(enrolment_ends__gte=timezone.now())
    mine = Q(university__isnull=True)
    if user.is_authenticated:
        mine |= Q(university__memberships__user=user)
    return runs.filter(mine).distinct().select_related("university").order_by(
        F("university_id").asc(nulls_last=True), "starts_at")


def enrolment_for(*, user: User, course: Course) -> Enrolment | None:
    if not user.is_authenticated:
        return None
    return Enrolment.objects.filter(user=user, run__course=course).select_related("run").order_by("-created_at").first()


def progress_by_lesson(*, enrolment: Enrolment | None) -> dict[int, LessonProgress]:
    if enrolment is None:
        return {}
    return {p.lesson_id: p for p in enrolment.progress.all()}


def learner_dashboard(*, user: User, limit: int = 100) -> list[dict]:
    """Enrolments with completion %, most recent activity first: three queries."""
    enrolments = list(Enrolment.objects.filter(user=user).select_related("run__course", "last_lesson")
                      .defer("run__course__summary", "run__course__grading_policy", "last_lesson__body",
                             "last_lesson__transcript", "last_lesson__captions_vtt")
                      .order_by("-last_activity_at", "-created_at")[:limit])
    totals = dict(Lesson.objects.filter(course_id__in={e.run.course_id for e in enrolments})
                  .values_list("course_id").annotate(n=Count("pk")).values_list("course_id", "n"))
    rows = []
    for e in enrolments:
        total = totals.get(e.run.course_id, 0)
        rows.append({"enrolment": e, "course": e.run.course, "total": total,
                     "percent": round(100 * e.completed_lessons / total) if total else 0})
    return rows


def cohort(*, run: CourseRun) -> tuple[list[dict], list]:
    """Each student of a run with completion % and best scores: a constant number of queries."""
    from .models import Attempt

    total = Lesson.objects.filter(course_id=run.course_id).count()
    enrolments = list(run.enrolments.select_related("user", "last_lesson").order_by("user__name", "user__email"))
    scores: dict[tuple[int, int], float] = {}
    for user_id, assessment_id, score, max_score in Attempt.objects.filter(
            assessment__course_id=run.course_id, user_id__in=[e.user_id for e in enrolments],
            submitted_at__isnull=False).values_list("user_id", "assessment_id", "score", "max_score"):
        if max_score:
            key = (user_id, assessment_id)
            scores[key] = max(scores.get(key, 0.0), 100.0 * score / max_score)
    assessments = list(run.course.assessments.order_by("pk"))
    graded = grades(course=run.course, user_ids=[e.user_id for e in enrolments])
    return [{
        "enrolment": e, "user": e.user,
        "percent": round(100 * e.completed_lessons / total) if total else 0,
        "scores": [scores.get((e.user_id, a.pk)) for a in assessments],
        "grade": graded[e.user_id],
    } for e in enrolments], assessments


def _percents(attempts, assessments: dict, ended: dict | None = None) -> dict[int, dict[str, list[float]]]:
    """user id → assessment type → best percentage per assessment (results already visible)."""
    from .assessments import results_visible

    best: dict[tuple[int, int], float] = {}
    for attempt in attempts:
        assessment = assessments[attempt.assessment_id]
        attempt.assessment = assessment
        if attempt.max_score and results_visible(attempt, ended=ended):
            key = (attempt.user_id, assessment.pk)
            best[key] = max(best.get(key, 0.0), 100.0 * attempt.score / attempt.max_score)
    grouped: dict[int, dict[str, list[float]]] = {}
    for (user_id, assessment_id), percent in best.items():
        grouped.setdefault(user_id, {}).setdefault(assessments[assessment_id].grading_type, []).append(percent)
    return grouped


def grades(*, course: Course, user_ids: list[int]) -> dict[int, dict]:
    """Each learner's grade and breakdown under the course's policy: three queries."""
    from . import grading
    from .models import Attempt

    assessments = {a.pk: a for a in course.assessments.all()}
    from .assessments import ended_runs

    attempts = Attempt.objects.filter(assessment__course=course, user_id__in=user_ids, submitted_at__isnull=False)
    grouped = _percents(attempts, assessments, ended_runs(user_ids=user_ids, course_id=course.pk))
    return {uid: grading.course_grade(course.grading_policy, grouped.get(uid, {})) for uid in user_ids}


def passed_courses(*, user: User, courses) -> dict[int, float]:
    """course id → grade, for the courses this learner has passed: a run's grades are released and
    the grade reaches the pass cutoff. Programmes and prerequisites count the same way."""
    passed: dict[int, float] = {}
    if not user.is_authenticated or not courses:
        return passed
    released = (Enrolment.objects.filter(user=user, run__course__in=courses, run__grades_released_at__isnull=False)
                .select_related("run__course"))
    by_course = {}
    for enrolment in released:
        by_course.setdefault(enrolment.run.course_id, enrolment.run.course)
    for course in by_course.values():
        result = grades(course=course, user_ids=[user.pk])[user.pk]
        if result["designation"]:
            passed[course.pk] = result["grade"]
    return passed


def programme_progress(*, programme, user: User) -> dict:
    """How far a learner is along a programme under its completion rule.

    A course counts once its run's grades are released and the grade reaches the pass cutoff;
    its grade points are the grade on a 4-point scale (grade × 4), averaged over counted courses
    weighted by credit units.
    """
    from decimal import Decimal

    from .models import CompletionRule, ProgrammeCourse

    links = list(ProgrammeCourse.objects.filter(programme=programme).select_related("course").order_by("order"))
    courses = [link.course for link in links]
    passed = passed_courses(user=user, courses=courses)
    required = [lk for lk in links if lk.required]
    electives = [lk for lk in links if not lk.required]
    credits = sum((lk.course.credit_units for lk in links if lk.course_id in passed), Decimal(0))
    weights = [(float(lk.course.credit_units) or 1.0, passed[lk.course_id] * 4) for lk in links if lk.course_id in passed]
    average = sum(w * g for w, g in weights) / sum(w for w, _ in weights) if weights else 0.0
    if programme.completion_rule == CompletionRule.CREDITS:
        complete = credits >= programme.credits_required and average >= float(programme.minimum_grade_average)
    else:
        complete = (all(lk.course_id in passed for lk in required)
                    and sum(1 for lk in electives if lk.course_id in passed) >= programme.electives_required)
    return {
        "links": [{"link": lk, "passed": lk.course_id in passed} for lk in links],
        "required_done": sum(1 for lk in required if lk.course_id in passed), "required_total": len(required),
        "electives_done": sum(1 for lk in electives if lk.course_id in passed),
        "credits": credits, "average": round(average, 2), "complete": complete,
    }


def learner_deadlines(*, user: User, now=None, horizon_days: int = 60, limit: int = 8) -> list[dict]:
    """The dates that matter next for a learner, soonest first: an exam in progress (its server
    deadline), exams and quizzes that close, and course runs that end. Three queries."""
    from datetime import timedelta

    from django.utils import timezone

    from .models import Assessment, Attempt

    now = now or timezone.now()
    until = now + timedelta(days=horizon_days)
    enrolments = list(Enrolment.objects.filter(user=user, run__ends_at__gt=now).select_related("run__course")
                      .only("run__cohort", "run__ends_at", "run__course__slug", "run__course__title"))
    courses = {e.run.course_id: e.run.course for e in enrolments}
    items = [{"kind": "run_ends", "at": e.run.ends_at, "course": e.run.course, "lesson": None,
              "title": e.run.cohort} for e in enrolments if e.run.ends_at <= until]
    assessments = list(Assessment.objects.filter(course_id__in=courses, closes_at__gt=now, closes_at__lte=until)
                       .select_related("lesson"))
    attempts = list(Attempt.objects.filter(user=user).filter(
        Q(assessment__in=assessments) | Q(submitted_at__isnull=True, deadline__gt=now))
        .select_related("assessment__lesson", "assessment__course"))
    submitted = {a.assessment_id for a in attempts if a.submitted_at}
    for attempt in attempts:
        if attempt.submitted_at is None and attempt.deadline and attempt.deadline > now:
            items.append({"kind": "in_progress", "at": attempt.deadline, "course": attempt.assessment.course,
                          "lesson": attempt.assessment.lesson, "title": attempt.assessment.title})
    for assessment in assessments:
        if assessment.pk not in submitted:
            items.append({"kind": "closes", "at": assessment.closes_at, "course": courses[assessment.course_id],
                          "lesson": assessment.lesson, "title": assessment.title})
    return sorted(items, key=lambda item: item["at"])[:limit]
