"""The learner dashboard: continue where you left off, upcoming deadlines; and pages whose number of
queries does not grow with the data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forward.academy import assessments, selectors, services
from forward.academy.models import (
    Assessment,
    AssessmentKind,
    Course,
    CourseRun,
    CourseStatus,
    Enrolment,
    Lesson,
    LessonKind,
    Module,
    Programme,
    ProgrammeCourse,
    Question,
    QuestionKind,
    Skill,
)
from tests.conftest import client_for


def _exam(course, closes_in_days: float, title: str = "Final exam") -> Assessment:
    module = course.modules.first()
    lesson = Lesson.objects.create(module=module, course=course, order=50, slug=title.lower().replace(" ", "-"),
                                   kind=LessonKind.QUIZ, title=title)
    exam = Assessment.objects.create(course=course, lesson=lesson, kind=AssessmentKind.EXAM, title=title,
                                     time_limit_minutes=30, closes_at=timezone.now() + timedelta(days=closes_in_days))
    Question.objects.create(assessment=exam, kind=QuestionKind.NUMERIC, prompt="1+1", correct=[2])
    return exam


def test_deadlines_come_soonest_first_and_drop_what_is_done(academy):
    services.enrol(user=academy.student, run=academy.uni_run)
    soon = _exam(academy.course, 3, "Midterm")
    _exam(academy.course, 90, "Far away exam")  # beyond the 60-day horizon
    items = selectors.learner_deadlines(user=academy.student)
    assert [(i["kind"], i["title"]) for i in items] == [("closes", "Midterm"), ("run_ends", "NTU S1")]
    attempt = assessments.attempt_start(user=academy.student, assessment=soon)
    items = selectors.learner_deadlines(user=academy.student)
    assert items[0]["kind"] == "in_progress" and items[0]["at"] == attempt.deadline
    assessments.attempt_submit(user=academy.student, attempt_id=attempt.pk)
    assert [i["kind"] for i in selectors.learner_deadlines(user=academy.student)] == ["run_ends"]
    page = client_for(academy.student).get(reverse("academy:dashboard")).content.decode()
    assert 'data-testid="deadlines"' in page and "Run ends" in page
    # Nobody else's deadlines.
    assert selectors.learner_deadlines(user=academy.outsider) == []


def _courses(owner, n: int, start: int = 0) -> list[Course]:
    courses = Course.objects.bulk_create([
        Course(slug=f"bulk-{i}", title=f"Bulk course {i}", owner=owner, status=CourseStatus.PUBLISHED,
               summary="Data and clouds") for i in range(start, start + n)])
    skill = Skill.objects.get_or_create(slug="cloud-computing", defaults={"name": "Cloud computing"})[0]
    programme = Programme.objects.get_or_create(slug="bulk", defaults={"title": "Bulk", "kind": "developers"})[0]
    now = timezone.now()
    for course in courses:
        course.skills.add(skill)
        ProgrammeCourse.objects.create(programme=programme, course=course, order=course.pk)
        module = Module.objects.create(course=course, title="M")
        Lesson.objects.create(module=module, course=course, slug="l", title="L", kind=LessonKind.READING)
        CourseRun.objects.create(course=course, university=owner, cohort="S1", starts_at=now - timedelta(days=1),
                                 enrolment_ends=now + timedelta(days=5), ends_at=now + timedelta(days=20))
    return courses


def _count(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("params", [
    {}, {"q": "cloud"}, {"level": "introductory"}, {"programme": "bulk"}, {"country": "SG"},
    {"university": "ntu"}, {"language": "en", "q": "data", "page": "2"},
])
def test_the_catalogue_makes_the_same_queries_with_more_courses(academy, params):
    client = client_for(academy.student)
    _courses(academy.university, 3)
    few = _count(client, reverse("academy:catalogue"), params)
    _courses(academy.university, 57, start=3)
    assert _count(client, reverse("academy:catalogue"), params) == few


def test_the_dashboard_makes_the_same_queries_with_more_enrolments(academy):
    client = client_for(academy.student)
    for course in _courses(academy.university, 3):
        Enrolment.objects.create(run=course.runs.first(), user=academy.student)
    _exam(Course.objects.get(slug="bulk-0"), 5)
    few = _count(client, reverse("academy:dashboard"))
    for course in _courses(academy.university, 40, start=3):
        Enrolment.objects.create(run=course.runs.first(), user=academy.student)
        _exam(course, 7)
    assert _count(client, reverse("academy:dashboard")) == few
