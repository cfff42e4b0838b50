"""Reads shared by academy pages and the API."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, NotRequired, TypedDict

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from forward.core.models import User
from forward.core.types import AnyUser

from .models import (
    Certification,
    Course,
    CourseRun,
    CourseStatus,
    Enrolment,
    Lesson,
    LessonProgress,
    Module,
    Programme,
    ProgrammeCourse,
)

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable, NegatedExpression
    from django_countries.fields import Country
    from django_stubs_ext import StrOrPromise

    from forward.core.models import Organization
    from forward.credentials.models import Credential

    from .assessments import EndedRuns
    from .grading import CourseGrade
    from .models import Assessment, Attempt


def completion(done: int, total: int) -> int:
    """A learner's course completion in whole percent, the one rule every page and export shows:
    rounded down, so 100% means every lesson is done; never above 100 (a count that outran the
    lessons); 0 for a course without lessons."""
    if total <= 0:
        return 0
    return min(100, max(0, 100 * done // total))


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
    # Nothing computed per row in SQL: with OFFSET the database computes it for every row it skips.
    return (courses.select_related("owner").defer("grading_policy").prefetch_related("skills")
            .order_by("title", "pk"))


class CatalogueFilters(TypedDict):
    programmes: list[Programme]
    universities: list[Organization]
    countries: list[Country]


def catalogue_filters() -> CatalogueFilters:
    """The choices of the catalogue's filters: programmes, and the partner universities (with their
    countries) that run published courses. Two queries."""
    from forward.core.models import Organization

    running = CourseRun.objects.filter(course__status=CourseStatus.PUBLISHED, university__isnull=False)
    universities = list(Organization.objects.filter(pk__in=running.values("university_id"))
                        .only("slug", "name", "country").order_by("name"))
    countries = sorted({u.country for u in universities if u.country}, key=lambda c: c.name)
    return {"programmes": list(Programme.objects.only("slug", "title").order_by("title")),
            "universities": universities, "countries": countries}


def open_runs(*, course: Course, user: AnyUser) -> QuerySet[CourseRun]:
    """Runs open for enrolment that this person may join: open ones, and their universities' runs."""
    runs = course.runs.filter(enrolment_ends__gte=timezone.now())
    mine = Q(university__isnull=True)
    if user.is_authenticated:
        mine |= Q(university__memberships__user=user)
    return runs.filter(mine).distinct().select_related("university").order_by(
        F("university_id").asc(nulls_last=True), "starts_at")


def enrolment_for(*, user: AnyUser, course: Course) -> Enrolment | None:
    if not user.is_authenticated:
        return None
    return Enrolment.objects.filter(user=user, run__course=course).select_related("run").order_by("-created_at").first()


def progress_by_lesson(*, enrolment: Enrolment | None) -> dict[int, LessonProgress]:
    if enrolment is None:
        return {}
    return {p.lesson_id: p for p in enrolment.progress.all()}


def learner_enrolments(*, user: User) -> QuerySet[Enrolment]:
    """A learner's enrolments, most recent activity first, with what a dashboard card shows."""
    return (Enrolment.objects.filter(user=user).select_related("run__course", "last_lesson")
            .only("run", "last_lesson", "completed_lessons", "last_activity_at", "created_at", "run__cohort",
                  "run__ends_at", "run__course__slug", "run__course__title", "last_lesson__slug")
            .order_by(F("last_activity_at").desc(nulls_last=True), "-created_at", "-pk"))


class DashboardRow(TypedDict):
    enrolment: Enrolment
    course: Course
    total: int  # lessons in the course
    ended: bool  # the run has ended
    percent: int


def learner_dashboard(*, user: User, limit: int = 100, enrolments: list[Enrolment] | None = None,
                      ) -> list[DashboardRow]:
    """Enrolments with completion %, most recent activity first: two queries (one with
    `enrolments`, e.g. a page of `learner_enrolments`)."""
    now = timezone.now()
    if enrolments is None:
        enrolments = list(learner_enrolments(user=user)[:limit])
    totals = dict(Lesson.objects.filter(course_id__in={e.run.course_id for e in enrolments}).order_by()
                  .values_list("course_id").annotate(n=Count("pk")).values_list("course_id", "n"))
    rows: list[DashboardRow] = []
    for e in enrolments:
        total = totals.get(e.run.course_id, 0)
        rows.append({"enrolment": e, "course": e.run.course, "total": total, "ended": e.run.ends_at <= now,
                     "percent": completion(e.completed_lessons, total)})
    return rows


def _not_teaching_the_run() -> NegatedExpression[Combinable]:
    """An enrolment whose learner is not an instructor of its run (a visiting professor who is also
    a member of the university, or enrolled to see the course as a learner, is no student there)."""
    return ~Exists(CourseRun.instructors.through.objects.filter(courserun_id=OuterRef("run_id"),
                                                                user_id=OuterRef("user_id")))


def run_students(*, run: CourseRun, query: str = "") -> QuerySet[Enrolment]:
    """The students of a run (its enrolments, less its instructors), by name then email; `query`
    narrows them to names or emails containing it."""
    students = Enrolment.objects.filter(run=run).filter(_not_teaching_the_run())
    if query:
        students = students.filter(Q(user__name__icontains=query) | Q(user__email__icontains=query))
    return students.select_related("user", "last_lesson").order_by("user__name", "user__email", "pk")


def student_counts() -> Coalesce:
    """An annotation for course runs: how many students each has (instructors not counted)."""
    from django.db.models import IntegerField, Subquery

    counted = (Enrolment.objects.filter(run_id=OuterRef("pk")).filter(_not_teaching_the_run()).order_by()
               .values("run_id").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class AssessmentScore(TypedDict):
    assessment: Assessment
    score: float | None  # the best percentage; None: not attempted


class CohortRow(TypedDict):
    enrolment: Enrolment
    user: User
    percent: int
    scores: list[AssessmentScore]
    grade: CourseGrade


def cohort(*, run: CourseRun, enrolments: list[Enrolment] | None = None,
           ) -> tuple[list[CohortRow], list[Assessment]]:
    """Each student of a run (or of `enrolments`, e.g. one page of `run_students`) with completion %,
    best score per assessment and grade: a constant number of queries. Each row's `scores` pairs
    every assessment of the course with the best percentage (None: not attempted)."""
    from .assessments import as_read, counted
    from .models import Attempt

    total = Lesson.objects.filter(course_id=run.course_id).count()
    if enrolments is None:
        enrolments = list(run_students(run=run))
    user_ids = [e.user_id for e in enrolments]
    scores: dict[tuple[int, int], float] = {}
    # Attempts whose time ran out count as submitted, marked with the answers saved in time.
    for attempt in as_read(Attempt.objects.filter(counted(), assessment__course_id=run.course_id,
                                                  user_id__in=user_ids).defer("option_orders")):
        if attempt.max_score and attempt.score is not None:
            key = (attempt.user_id, attempt.assessment_id)
            scores[key] = max(scores.get(key, 0.0), 100.0 * attempt.score / attempt.max_score)
    assessments = list(run.course.assessments.order_by("pk"))
    graded = grades(course=run.course, user_ids=user_ids)
    return [{
        "enrolment": e, "user": e.user,
        "percent": completion(e.completed_lessons, total),
        "scores": [{"assessment": a, "score": scores.get((e.user_id, a.pk))} for a in assessments],
        "grade": graded[e.user_id],
    } for e in enrolments], assessments


def _percents(attempts: Iterable[Attempt], assessments: dict[int, Assessment], ended: EndedRuns | None = None,
              ) -> dict[int, dict[str, list[float]]]:
    """user id → assessment type → best percentage per assessment (results already visible)."""
    from .assessments import results_visible

    best: dict[tuple[int, int], float] = {}
    for attempt in attempts:
        assessment = assessments[attempt.assessment_id]
        attempt.assessment = assessment
        if attempt.max_score and attempt.score is not None and results_visible(attempt, ended=ended):
            key = (attempt.user_id, assessment.pk)
            best[key] = max(best.get(key, 0.0), 100.0 * attempt.score / attempt.max_score)
    grouped: dict[int, dict[str, list[float]]] = {}
    for (user_id, assessment_id), percent in best.items():
        grouped.setdefault(user_id, {}).setdefault(assessments[assessment_id].grading_type, []).append(percent)
    return grouped


def grades(*, course: Course, user_ids: list[int]) -> dict[int, CourseGrade]:
    """Each learner's grade and breakdown under the course's policy: three queries."""
    from . import grading
    from .assessments import as_read, counted, ended_runs
    from .models import Attempt

    assessments = {a.pk: a for a in course.assessments.all()}
    attempts = as_read(Attempt.objects.filter(counted(), assessment__course=course, user_id__in=user_ids))
    grouped = _percents(attempts, assessments, ended_runs(user_ids=user_ids, course_id=course.pk))
    _add_labs(grouped, course=course, user_ids=user_ids)
    return {uid: grading.course_grade(course.grading_policy, grouped.get(uid, {})) for uid in user_ids}


def _add_labs(grouped: dict[int, dict[str, list[float]]], *, course: Course, user_ids: list[int]) -> None:
    """Labs count as the type "lab" when the course's policy has it (one query then, none otherwise)."""
    from . import grading, labs

    if not any(t.get("type") == "lab" for t in (course.grading_policy or grading.DEFAULT_POLICY).get("types", [])):
        return
    for user_id, by_type in labs.lab_percents(course_id=course.pk, user_ids=user_ids).items():
        grouped.setdefault(user_id, {}).update(by_type)


def passed_courses(*, user: AnyUser, courses: Collection[Course | int]) -> dict[int, float]:
    """course id → grade, for the courses this learner has passed: a run's grades are released and
    the grade reaches the pass cutoff. Programmes and prerequisites count the same way.
    Four queries, however many courses."""
    from . import grading
    from .assessments import as_read, counted
    from .models import Assessment, Attempt

    passed: dict[int, float] = {}
    if not user.is_authenticated or not courses:
        return passed
    released = {e.run.course_id: e.run.course for e in Enrolment.objects.filter(
        user=user, run__course__in=courses, run__grades_released_at__isnull=False).select_related("run__course")}
    if not released:
        return passed
    assessments = {a.pk: a for a in Assessment.objects.filter(course_id__in=released)}
    attempts: dict[int, list[Attempt]] = {}
    for attempt in as_read(Attempt.objects.filter(counted(), user=user, assessment_id__in=assessments)):
        course_id = assessments[attempt.assessment_id].course_id
        if course_id is not None:  # always: the assessments are those of `released`
            attempts.setdefault(course_id, []).append(attempt)
    ended: dict[int, EndedRuns] = {}  # course id → ended_runs(...) for this learner
    for course_id, starts, ends in Enrolment.objects.filter(
            user=user, run__course_id__in=released, run__ends_at__lte=timezone.now()).values_list(
            "run__course_id", "run__starts_at", "run__ends_at"):
        ended.setdefault(course_id, {}).setdefault(user.pk, []).append((starts, ends))
    for course_id, course in released.items():
        grouped = _percents(attempts.get(course_id, []), assessments, ended.get(course_id, {}))
        _add_labs(grouped, course=course, user_ids=[user.pk])
        result = grading.course_grade(course.grading_policy, grouped.get(user.pk, {}))
        if result["designation"]:
            passed[course_id] = result["grade"]
    return passed


class ProgrammeLink(TypedDict):
    link: ProgrammeCourse
    passed: bool
    grade: float | None
    enrolled: NotRequired[bool]  # set by programme_standing


class ProgrammeProgress(TypedDict):
    links: list[ProgrammeLink]
    required_done: int
    required_total: int
    electives_done: int
    credits: Decimal
    average: float
    complete: bool


def programme_progress(*, programme: Programme, user: AnyUser) -> ProgrammeProgress:
    """How far a learner is along a programme under its completion rule.

    A course counts once its run's grades are released and the grade reaches the pass cutoff;
    its grade points are the grade on a 4-point scale (grade × 4), averaged over counted courses
    weighted by credit units.
    """
    from .models import CompletionRule

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
        "links": [{"link": lk, "passed": lk.course_id in passed, "grade": passed.get(lk.course_id)} for lk in links],
        "required_done": sum(1 for lk in required if lk.course_id in passed), "required_total": len(required),
        "electives_done": sum(1 for lk in electives if lk.course_id in passed),
        "credits": credits, "average": round(average, 2), "complete": complete,
    }


def learner_deadlines(*, user: User, now: datetime | None = None, horizon_days: int = 60,
                      limit: int = 8) -> list[Deadline]:
    """The `limit` dates that matter next for a learner's current enrolments, soonest first, up to
    `horizon_days` ahead: an exam in progress (its server deadline), quizzes and exams that close
    (with whether the learner has submitted an attempt), and course runs that end.

    Three queries of at most `limit` rows (plus attempts in progress), however many enrolments.
    Each item: kind ("in_progress", "closes", "run_ends"), at, title, course (None for a
    certification exam), lesson (None: link to the course), certification (a certification exam in
    progress), assessment_kind, submitted.
    """
    from .assessments import counted
    from .models import Assessment, Attempt

    now = now or timezone.now()
    until = now + timedelta(days=horizon_days)
    items: list[Deadline] = []
    in_progress: set[int] = set()
    for attempt in (Attempt.objects.filter(user=user, submitted_at__isnull=True, deadline__gt=now)
                    .select_related("assessment__lesson", "assessment__course", "assessment__certification")
                    .only("assessment", "deadline", "assessment__kind", "assessment__title", "assessment__lesson__slug",
                          "assessment__course__slug", "assessment__course__title", "assessment__certification__slug")):
        assessment = attempt.assessment
        if attempt.deadline is None:  # never: the query asks for a deadline ahead
            continue
        in_progress.add(assessment.pk)
        items.append(_deadline("in_progress", attempt.deadline, assessment.title, course=assessment.course,
                               lesson=assessment.lesson, assessment_kind=assessment.kind,
                               certification=getattr(assessment, "certification", None)))
    current = Enrolment.objects.filter(user=user, run__ends_at__gt=now)
    submitted = Attempt.objects.filter(counted(now), assessment=OuterRef("pk"), user=user)  # time ran out: counts
    closing = (Assessment.objects.filter(course__in=current.values("run__course"), closes_at__gt=now,
                                         closes_at__lte=until)
               .exclude(pk__in=in_progress)  # the attempt's deadline comes first and says more
               .annotate(submitted=Exists(submitted)).select_related("course", "lesson")
               .only("kind", "title", "closes_at", "course__slug", "course__title", "lesson__slug")
               .order_by("closes_at", "pk")[:limit])
    items += [_deadline("closes", a.closes_at, a.title, course=a.course, lesson=a.lesson, assessment_kind=a.kind,
                        submitted=a.submitted) for a in closing if a.closes_at is not None]
    ending = (current.filter(run__ends_at__lte=until).select_related("run__course")
              .only("run__cohort", "run__ends_at", "run__course__slug", "run__course__title")
              .order_by("run__ends_at", "pk")[:limit])
    items += [_deadline("run_ends", e.run.ends_at, e.run.cohort, course=e.run.course) for e in ending]
    return sorted(items, key=lambda item: item["at"])[:limit]


class Deadline(TypedDict):
    kind: str  # "in_progress", "closes", "run_ends"
    at: datetime
    title: str
    course: Course | None
    lesson: Lesson | None
    certification: Certification | None
    assessment_kind: str
    submitted: bool


def _deadline(kind: str, at: datetime, title: str, *, course: Course | None = None, lesson: Lesson | None = None,
              certification: Certification | None = None, assessment_kind: str = "",
              submitted: bool = False) -> Deadline:
    return {"kind": kind, "at": at, "title": title, "course": course, "lesson": lesson,
            "certification": certification, "assessment_kind": assessment_kind, "submitted": submitted}


# --- impact: plain rows for the impact app's rollups (constant queries, streamed) -------------------

IMPACT_CHUNK = 5000


def impact_runs() -> dict[int, tuple[int, int, str, object]]:
    """run id → (course id, university id or 0, university country or "", starts_at). The university
    is 0 when it is not verified (an unverified organization has no "students of this university"). One query."""
    return {pk: (course_id, university_id if verified else 0, str(country or "") if verified else "", starts_at)
            for pk, course_id, university_id, country, verified, starts_at in CourseRun.objects.order_by().values_list(
                "pk", "course_id", "university_id", "university__country",
                # A Q is an expression to Django (it resolves to a boolean); the stubs only know
                # field names and Combinables here.
                Q(university__verified_at__isnull=False),  # type: ignore[arg-type]
                "starts_at").iterator(chunk_size=IMPACT_CHUNK)}


def impact_programme_courses() -> list[tuple[int, int, str]]:
    """(programme id, course id, programme kind) for every course of every programme. One query."""
    from .models import ProgrammeCourse

    return list(ProgrammeCourse.objects.order_by().values_list("programme_id", "course_id", "programme__kind"))


def impact_enrolments(*, users: Iterable[int] | None = None) -> Iterator[tuple[int, date, str, int]]:
    """(user id, UTC day enrolled, user's country, run id) of every student enrolment (instructors of
    the run are no students), or of these users'. Streamed; the database gives the day (parsing
    millions of timestamps with their zones was most of a full rollup's time)."""
    rows = Enrolment.objects.filter(_not_teaching_the_run()).order_by()
    if users is not None:
        rows = rows.filter(user_id__in=list(users))
    return rows.values_list("user_id", TruncDate("created_at", tzinfo=UTC), "user__country", "run_id").iterator(
        chunk_size=IMPACT_CHUNK)


def impact_enrolled_users(*, since: datetime, until: datetime) -> set[int]:
    """People whose enrolments arrived in [since, until)."""
    return set(Enrolment.objects.filter(created_at__gte=since, created_at__lt=until).order_by()
               .values_list("user_id", flat=True).distinct())


def impact_university_firsts(*, universities: Iterable[int] | None = None, enrolments: bool = True,
                             ) -> Iterator[tuple[int, str, int, datetime | None, datetime]]:
    """Per verified university and course: its first student enrolment and its first run's start,
    as (university id, country, course id, first enrolment or None, first run start). Two grouped queries;
    one without `enrolments` (the first enrolment is then None: the grouping over every enrolment is
    most of the time)."""
    from django.db.models import Min

    runs = CourseRun.objects.filter(university__isnull=False, university__verified_at__isnull=False).order_by()
    students = Enrolment.objects.filter(_not_teaching_the_run(), run__university__verified_at__isnull=False).order_by()
    if universities is not None:
        runs = runs.filter(university_id__in=list(universities))
        students = students.filter(run__university_id__in=list(universities))
    enrolled = {} if not enrolments else {
        (u, c): first for u, c, first in students.values_list("run__university_id", "run__course_id")
        .annotate(first=Min("created_at")).values_list("run__university_id", "run__course_id", "first")
        .iterator(chunk_size=IMPACT_CHUNK)}
    for university, country, course, start in (runs.values_list("university_id", "university__country", "course_id")
                                               .annotate(start=Min("starts_at"))
                                               .values_list("university_id", "university__country", "course_id",
                                                            "start").iterator(chunk_size=IMPACT_CHUNK)):
        yield university, str(country or ""), course, enrolled.get((university, course)), start


def impact_changed_universities(*, since: datetime, until: datetime) -> set[int]:
    """Universities with a student enrolment arriving, a run starting, or verification in [since, until).
    (Runs have no creation time: a run added with a start already past is caught by `rebuild`.)"""
    from forward.core.models import Organization

    found = set(Enrolment.objects.filter(created_at__gte=since, created_at__lt=until, run__university__isnull=False)
                .order_by().values_list("run__university_id", flat=True).distinct())
    found.update(CourseRun.objects.filter(starts_at__gte=since, starts_at__lt=until, university__isnull=False)
                 .order_by().values_list("university_id", flat=True).distinct())
    found.update(Organization.objects.filter(verified_at__gte=since, verified_at__lt=until).values_list("pk", flat=True))
    return found


def impact_holdings(*, users: Iterable[int] | None = None) -> Iterator[tuple[int, int, date, str, bool]]:
    """(holding id, user id, UTC day earned, user's country, developer certification?) of every
    certification holding, or of these users'. Streamed."""
    from .models import CertificationHolding

    rows = CertificationHolding.objects.order_by()
    if users is not None:
        rows = rows.filter(user_id__in=list(users))
    return rows.values_list("pk", "user_id", TruncDate("earned_at", tzinfo=UTC), "user__country",
                            "certification__developer").iterator(chunk_size=IMPACT_CHUNK)


def impact_holders(*, since: datetime, until: datetime) -> set[int]:
    """People who earned a certification (a holding is written when the exam is marked) in [since, until)."""
    from .models import CertificationHolding

    return set(CertificationHolding.objects.filter(earned_at__gte=since, earned_at__lt=until).order_by()
               .values_list("user_id", flat=True).distinct())


# --- course outline and standing: what the course, lesson and programme pages show a learner ---------

OUTLINE_LESSON_FIELDS = ("module_id", "course_id", "order", "slug", "title", "kind", "minutes")


@dataclass
class OutlineLesson:
    lesson: Lesson
    module: Module
    state: str  # "done", "started", "not_started"; "" for a visitor who is not enrolled
    number: int  # its place in the course, from 1
    current: bool = False


@dataclass
class OutlineModule:
    module: Module
    number: int
    lessons: list[OutlineLesson]
    minutes: int
    done: int
    current: bool = False


@dataclass
class Outline:
    """A course's modules and lessons in order, each lesson with its state for one enrolment."""

    modules: list[OutlineModule]
    lessons: list[OutlineLesson]
    enrolled: bool
    minutes: int
    minutes_left: int
    done: int
    resume: OutlineLesson | None  # where "Start" / "Continue" leads (None: every lesson done)
    started: bool  # the learner has done or opened a lesson
    kinds: list[tuple[str, StrOrPromise, int]] = field(default_factory=list)  # (kind, label, count), in the kinds' order

    @property
    def total(self) -> int:
        return len(self.lessons)

    @property
    def here(self) -> OutlineLesson | None:
        """The current lesson's place in the outline."""
        return next((item for item in self.lessons if item.current), None)

    @property
    def percent(self) -> int:
        return completion(self.done, self.total)

    def neighbours(self, lesson: Lesson) -> tuple[OutlineLesson | None, OutlineLesson | None]:
        """The lessons before and after this one, across module boundaries."""
        index = next((i for i, item in enumerate(self.lessons) if item.lesson.pk == lesson.pk), None)
        if index is None:
            return None, None
        return (self.lessons[index - 1] if index > 0 else None,
                self.lessons[index + 1] if index + 1 < len(self.lessons) else None)


def outline_for(*, course: Course, enrolment: Enrolment | None, progress: dict[int, LessonProgress] | None = None,
                current: Lesson | None = None) -> Outline:
    """The course outline with each lesson's state for `enrolment` (a visitor's has no states),
    `current` marked: two queries (three with an enrolment and no `progress` given), whatever the
    course's size. Lesson texts and videos are not loaded."""
    from .models import LessonKind

    modules = list(course.modules.order_by("order", "pk"))
    lessons = list(Lesson.objects.filter(course=course).only(*OUTLINE_LESSON_FIELDS).order_by("order", "pk"))
    if progress is None:
        progress = progress_by_lesson(enrolment=enrolment)
    by_module: dict[int, list[Lesson]] = {}
    for lesson in lessons:
        by_module.setdefault(lesson.module_id, []).append(lesson)
    enrolled = enrolment is not None
    outline_modules: list[OutlineModule] = []
    flat: list[OutlineLesson] = []
    for number, module in enumerate(modules, start=1):
        items: list[OutlineLesson] = []
        for lesson in by_module.get(module.pk, []):
            lesson.module = module
            row = progress.get(lesson.pk)
            state = "" if not enrolled else (
                "done" if row and row.completed_at else "started" if row else "not_started")
            items.append(OutlineLesson(lesson=lesson, module=module, state=state, number=len(flat) + len(items) + 1,
                                       current=current is not None and lesson.pk == current.pk))
        flat += items
        outline_modules.append(OutlineModule(
            module=module, number=number, lessons=items, minutes=sum(i.lesson.minutes for i in items),
            done=sum(1 for i in items if i.state == "done"), current=any(i.current for i in items)))
    done = sum(1 for item in flat if item.state == "done")
    counts: dict[str, int] = {}
    for item in flat:
        counts[item.lesson.kind] = counts.get(item.lesson.kind, 0) + 1
    return Outline(
        modules=outline_modules, lessons=flat, enrolled=enrolled, done=done,
        minutes=sum(item.lesson.minutes for item in flat),
        minutes_left=sum(item.lesson.minutes for item in flat if item.state != "done"),
        resume=_resume(flat, enrolment), started=enrolment is not None and (bool(progress) or enrolment.last_lesson_id is not None),
        kinds=[(kind.value, kind.label, counts[kind.value]) for kind in LessonKind if kind.value in counts])


def _resume(lessons: list[OutlineLesson], enrolment: Enrolment | None) -> OutlineLesson | None:
    """Where a learner goes on: the lesson last opened if it is not done, else the first lesson not
    done after it (then from the start); a visitor starts at the first lesson."""
    if not lessons:
        return None
    if enrolment is None:
        return lessons[0]
    index = next((i for i, item in enumerate(lessons) if item.lesson.pk == enrolment.last_lesson_id), 0)
    return next((item for item in lessons[index:] + lessons[:index] if item.state != "done"), None)


def course_minutes(*, course_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """course id → (lessons, minutes of all its lessons): one grouped query, for a page of courses."""
    from django.db.models import Sum

    return {course_id: (n, minutes or 0) for course_id, n, minutes in (
        Lesson.objects.filter(course_id__in=list(course_ids)).order_by().values("course_id")
        .annotate(n=Count("pk"), minutes=Sum("minutes")).values_list("course_id", "n", "minutes"))}


class TeachingUniversity(TypedDict):
    name: str
    country: str
    state: str  # "running", "upcoming", "ended"
    next_start: datetime | None
    last_end: datetime | None


def teaching_universities(*, course: Course, limit: int = 30) -> list[TeachingUniversity]:
    """Where the course is taught: each verified university with runs of it (an unverified one
    teaches for nobody), with whether a run is on now, the next start, and the last end. Those
    teaching now or soon first, then by name. One grouped query, at most `limit` rows."""
    from django.db.models import Max, Min

    now = timezone.now()
    rows = (CourseRun.objects.filter(course=course, university__isnull=False, university__verified_at__isnull=False)
            .order_by().values("university_id", "university__name", "university__country")
            .annotate(running=Count("pk", filter=Q(starts_at__lte=now, ends_at__gt=now)),
                      next_start=Min("starts_at", filter=Q(starts_at__gt=now)),
                      last_end=Max("ends_at", filter=Q(ends_at__lte=now)))
            .order_by(F("running").desc(), F("next_start").asc(nulls_last=True), "university__name")[:limit])
    return [{"name": row["university__name"], "country": row["university__country"],
             "state": "running" if row["running"] else "upcoming" if row["next_start"] else "ended",
             "next_start": row["next_start"], "last_end": row["last_end"]} for row in rows]


def course_certificates(*, user: AnyUser, course: Course) -> list[Credential]:
    """The learner's unrevoked certificates for this course (completion, achievement), earned in any
    of its runs, asked of credentials by each run's award source. Two queries."""
    from forward.credentials import selectors as credential_selectors

    from .awards import run_source

    if not user.is_authenticated:
        return []
    runs = [CourseRun(pk=pk) for pk in Enrolment.objects.filter(
        user=user, run__course=course, run__grades_released_at__isnull=False).values_list("run_id", flat=True)]
    if not runs:
        return []
    return list(credential_selectors.for_sources([run_source(run) for run in runs]).filter(recipient=user)
                .active().order_by("kind", "-issued_at"))


def programme_certificate(*, user: AnyUser, programme: Programme) -> Credential | None:
    """The learner's unrevoked programme certificate, or None. One query."""
    from forward.credentials import selectors as credential_selectors

    from .awards import programme_source

    if not user.is_authenticated:
        return None
    return credential_selectors.by_source(programme_source(programme)).filter(recipient=user).active().first()


def _count(value: Decimal | float) -> int:
    """A number as ngettext takes it: a whole number as it is, a fraction as "many" (1.5 credit units)."""
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else 2


def _number(value: Decimal | float) -> str:
    """3, 7.5 or 2.75: a decimal without its trailing zeros."""
    text = format(Decimal(str(value)).normalize(), "f")
    return text


def programme_rule(*, programme: Programme, required: int, electives: int) -> list[str]:
    """The programme's completion rule in words, from its data: sentences for the programme page
    (`required` and `electives`: how many courses of each it lists)."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from .models import CompletionRule

    counts = _("A course counts once you pass it: its run's grades are released and your final grade reaches "
               "the course's pass mark.")
    if programme.completion_rule == CompletionRule.CREDITS:
        credits = {"n": _number(programme.credits_required)}
        if programme.minimum_grade_average > 0:
            return [ngettext("Earn %(n)s credit unit from the courses below, each with a passing grade, at a grade "
                             "point average of at least %(average)s out of 4.",
                             "Earn %(n)s credit units from the courses below, each with a passing grade, at a "
                             "grade point average of at least %(average)s out of 4.",
                             _count(programme.credits_required)) % {
                        **credits, "average": _number(programme.minimum_grade_average)},
                    _("A course's grade points are its final grade on a 4-point scale (%(grade)s is %(points)s), "
                      "averaged over the courses you passed, weighted by their credit units.") % {
                          "grade": "75%", "points": "3"}, counts]
        return [ngettext("Earn %(n)s credit unit from the courses below, each with a passing grade.",
                         "Earn %(n)s credit units from the courses below, each with a passing grade.",
                         _count(programme.credits_required)) % credits, counts]
    needed = programme.electives_required
    if not required and not needed:
        return [_("This programme asks for no course yet.")]
    sentences = [_courses_sentence(required=required, needed=needed, electives=electives)]
    if required and not needed and electives:
        sentences.append(ngettext("The elective is optional.", "The %(n)d electives are optional.",
                                  electives) % {"n": electives})
    if needed > electives:
        sentences.append(ngettext("Only %(n)d elective is offered so far.", "Only %(n)d electives are offered so far.",
                                  electives) % {"n": electives} if electives else _("No elective is offered yet."))
    return [*sentences, counts]


def _courses_sentence(*, required: int, needed: int, electives: int) -> str:
    """"Complete … with a passing grade.": one whole sentence for each shape of the rule (the required
    courses: none, one or several; the electives needed: none, more than offered, all of them, or some
    of them), its plural chosen by the count that changes its words."""
    from django.utils.translation import ngettext

    values = {"r": required, "n": needed, "of": electives}
    if not needed:
        return ngettext("Complete the required course with a passing grade.",
                        "Complete the %(r)d required courses, each with a passing grade.", required) % values
    if not required:
        if needed > electives:
            return ngettext("Complete %(n)d elective with a passing grade.",
                            "Complete %(n)d electives, each with a passing grade.", needed) % values
        if needed == electives:
            return ngettext("Complete the elective with a passing grade.",
                            "Complete the %(n)d electives, each with a passing grade.", needed) % values
        return ngettext("Complete any %(n)d of these %(of)d electives with a passing grade.",
                        "Complete any %(n)d of these %(of)d electives, each with a passing grade.", needed) % values
    if required == 1:
        if needed > electives:
            return ngettext("Complete the required course and %(n)d elective, each with a passing grade.",
                            "Complete the required course and %(n)d electives, each with a passing grade.",
                            needed) % values
        if needed == electives:
            return ngettext("Complete the required course and the elective, each with a passing grade.",
                            "Complete the required course and the %(n)d electives, each with a passing grade.",
                            needed) % values
        return ngettext("Complete the required course and any %(n)d of these %(of)d electives, each with a "
                        "passing grade.",
                        "Complete the required course and any %(n)d of these %(of)d electives, each with a "
                        "passing grade.", needed) % values
    if needed > electives:
        return ngettext("Complete the %(r)d required courses and %(n)d elective, each with a passing grade.",
                        "Complete the %(r)d required courses and %(n)d electives, each with a passing grade.",
                        needed) % values
    if needed == electives:
        return ngettext("Complete the %(r)d required courses and the elective, each with a passing grade.",
                        "Complete the %(r)d required courses and the %(n)d electives, each with a passing grade.",
                        needed) % values
    return ngettext("Complete the %(r)d required courses and any %(n)d of these %(of)d electives, each with a "
                    "passing grade.",
                    "Complete the %(r)d required courses and any %(n)d of these %(of)d electives, each with a "
                    "passing grade.", needed) % values


class ProgrammeStanding(ProgrammeProgress):
    rows: list[ProgrammeLink]  # the links, each with whether the learner is enrolled
    by_credits: bool
    left: list[str]  # what is left to do, in words
    rule: list[str]  # the completion rule, in sentences
    electives_total: int
    electives_required: int
    certificate: Credential | None
    percent: int


def programme_standing(*, programme: Programme, user: AnyUser) -> ProgrammeStanding:
    """A programme page's reads: its courses with the learner's state in each (passed with the grade,
    enrolled, or not started), the rule in words, what is left to do under it, and the certificate
    when earned. A constant number of queries, however many courses."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from .models import CompletionRule

    progress = programme_progress(programme=programme, user=user)
    rows = progress["links"]
    enrolled: set[int] = set()
    if user.is_authenticated and rows:
        enrolled = set(Enrolment.objects.filter(user=user, run__course__in=[r["link"].course_id for r in rows])
                       .values_list("run__course_id", flat=True))
    for row in rows:
        row["enrolled"] = row["link"].course_id in enrolled
    required = [r for r in rows if r["link"].required]
    electives = [r for r in rows if not r["link"].required]
    by_credits = programme.completion_rule == CompletionRule.CREDITS
    left: list[str] = []
    if by_credits:
        missing = programme.credits_required - progress["credits"]
        if missing > 0:
            left.append(ngettext("%(n)s more credit unit", "%(n)s more credit units", _count(missing))
                        % {"n": _number(missing)})
        if progress["average"] < float(programme.minimum_grade_average):
            left.append(_("a grade point average of at least %(needed)s (yours is %(average)s)") % {
                "needed": _number(programme.minimum_grade_average), "average": f"{progress['average']:.2f}"})
    else:
        left += [_("pass %(course)s (required)") % {"course": r["link"].course.title}
                 for r in required if not r["passed"]]
        more = programme.electives_required - progress["electives_done"]
        if more > 0:
            left.append(ngettext("pass %(n)d more elective", "pass %(n)d more electives", more) % {"n": more})
    return {
        **progress, "rows": rows, "by_credits": by_credits, "left": left if not progress["complete"] else [],
        "rule": programme_rule(programme=programme, required=len(required), electives=len(electives)),
        "electives_total": len(electives), "electives_required": programme.electives_required,
        "certificate": programme_certificate(user=user, programme=programme) if progress["complete"] else None,
        "percent": _programme_percent(programme, progress, by_credits),
    }


def _programme_percent(programme: Programme, progress: ProgrammeProgress, by_credits: bool) -> int:
    """How far along the rule, as a share of what it asks (courses, or credit units)."""
    if by_credits:
        if not programme.credits_required:
            return 100 if progress["complete"] else 0
        return min(100, round(100 * float(progress["credits"]) / float(programme.credits_required)))
    asked = progress["required_total"] + programme.electives_required
    done = progress["required_done"] + min(progress["electives_done"], programme.electives_required)
    return min(100, round(100 * done / asked)) if asked else (100 if progress["complete"] else 0)
# --- the home page (academy/home.py): constant queries ----------------------------------------------

def next_lessons(*, enrolments: list[Enrolment]) -> dict[int, Lesson]:
    """enrolment id → the first lesson of its course, in course order, the learner has not completed
    (absent when every lesson is done). Two queries, however many enrolments."""
    if not enrolments:
        return {}
    done = set(LessonProgress.objects.filter(enrolment__in=enrolments, completed_at__isnull=False)
               .values_list("enrolment_id", "lesson_id"))
    lessons: dict[int, list[Lesson]] = {}
    for lesson in (Lesson.objects.filter(course_id__in={e.run.course_id for e in enrolments})
                   .only("course_id", "slug", "title", "order", "module__order").select_related("module")
                   .order_by("module__order", "module_id", "order", "pk")):
        lessons.setdefault(lesson.course_id, []).append(lesson)
    found: dict[int, Lesson] = {}
    for e in enrolments:
        for lesson in lessons.get(e.run.course_id, []):
            if (e.pk, lesson.pk) not in done:
                found[e.pk] = lesson
                break
    return found


INACTIVE_DAYS = 14
BEHIND_SHARE = 0.5  # "well below the cohort": under half the cohort's median completion


class BehindRow(TypedDict):
    run: CourseRun
    name: str
    percent: int
    idle_days: int
    median: int  # the cohort's median completion


class FallingBehind(TypedDict):
    students: dict[int, int]  # run id → students
    behind: list[BehindRow]  # the longest inactive first
    counts: dict[int, int]  # run id → students falling behind


def falling_behind(*, runs: list[CourseRun], now: datetime | None = None, limit: int = 6) -> FallingBehind:
    """For running course runs: their students who fall behind — completion under half the cohort's
    median, or no activity for INACTIVE_DAYS days (counted from the later of enrolment and the run's
    start). Returns {"students": {run id: n}, "behind": [rows, the longest inactive first][:limit],
    "counts": {run id: behind}}; two queries, however many runs and students."""
    from statistics import median

    now = now or timezone.now()
    if not runs:
        return {"students": {}, "behind": [], "counts": {}}
    totals = dict(Lesson.objects.filter(course_id__in={r.course_id for r in runs}).order_by()
                  .values_list("course_id").annotate(n=Count("pk")).values_list("course_id", "n"))
    by_run: dict[int, list[tuple[int, str, str, int, datetime | None, datetime]]] = {}
    for row in (Enrolment.objects.filter(run__in=runs).filter(_not_teaching_the_run())
                .values_list("run_id", "user__name", "user__email", "completed_lessons", "last_activity_at",
                             "created_at")):
        by_run.setdefault(row[0], []).append(row)
    runs_by_pk = {r.pk: r for r in runs}
    behind: list[BehindRow] = []
    counts: dict[int, int] = {}
    for run_id, rows in by_run.items():
        run = runs_by_pk[run_id]
        total = totals.get(run.course_id, 0)
        percents = [completion(done, total) for _r, _n, _e, done, _a, _c in rows]
        middle = median(percents)
        for (_r, name, email, _done, active, created), percent in zip(rows, percents, strict=True):
            since = active or max(created, run.starts_at)
            idle = (now - since).days
            if idle >= INACTIVE_DAYS or (middle > 0 and percent < BEHIND_SHARE * middle):
                counts[run_id] = counts.get(run_id, 0) + 1
                behind.append({"run": run, "name": name or email.split("@")[0], "percent": percent,
                               "idle_days": idle, "median": round(middle)})
    behind.sort(key=lambda row: (-row["idle_days"], row["percent"]))
    return {"students": {run_id: len(rows) for run_id, rows in by_run.items()}, "behind": behind[:limit],
            "counts": counts}
