"""Pages that list things make the same number of queries with 3 items as with 60: the catalogue
(with each filter and a search), the learner dashboard, a course page with its prerequisites, and a
programme page. Data is built with bulk_create, as the bench does at scale."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forward.academy import selectors
from forward.academy.models import (
    Assessment,
    AssessmentKind,
    Attempt,
    Course,
    CourseRun,
    CourseStatus,
    Enrolment,
    Lesson,
    LessonKind,
    LessonProgress,
    Module,
    Programme,
    ProgrammeCourse,
    Skill,
)
from forward.core.models import Membership, OrganizationKind
from tests.conftest import client_for, make_organization

EXAM_ONLY = {"types": [{"type": "exam", "weight": 1.0, "min_count": 1, "drop_lowest": 0}],
             "cutoffs": {"pass": 0.5}}


@pytest.fixture
def world(academy):
    academy.malaya = make_organization(creator=academy.admin, name="Universiti Malaya",
                                         kind=OrganizationKind.UNIVERSITY, country="MY")
    Membership.objects.create(user=academy.student, organization=academy.malaya)
    academy.programme = Programme.objects.create(slug="bulk", title="Bulk", kind="developers")
    academy.skills = Skill.objects.bulk_create([Skill(slug="cloud-computing", name="Cloud computing"),
                                                Skill(slug="data", name="Data analysis")])
    return academy


def _courses(w, n: int, *, start: int = 0, enrol: bool = False, passed: bool = False) -> list[Course]:
    """`n` published courses, each with two skills, a place in the programme, a module with three
    lessons (the last an exam), a run at one of two universities and an exam closing in a week.
    `enrol`: the student is in each run with progress, a submitted attempt on every other exam and one
    in progress. `passed`: each run has ended with grades released, and the student passed it."""
    now = timezone.now()
    courses = Course.objects.bulk_create([
        Course(slug=f"bulk-{i}", title=f"Bulk course {i}", owner=w.university, status=CourseStatus.PUBLISHED,
               summary="Data and clouds", level=["introductory", "advanced"][i % 2], grading_policy=EXAM_ONLY,
               credit_units=5, published_at=now) for i in range(start, start + n)])
    Course.skills.through.objects.bulk_create([Course.skills.through(course_id=c.pk, skill_id=s.pk)
                                               for c in courses for s in w.skills])
    ProgrammeCourse.objects.bulk_create([ProgrammeCourse(programme=w.programme, course=c, order=c.pk,
                                                         required=c.pk % 2 == 0) for c in courses])
    modules = Module.objects.bulk_create([Module(course=c, title="Module") for c in courses])
    lessons = Lesson.objects.bulk_create([
        Lesson(module=m, course_id=m.course_id, order=k, slug=f"l{k}", title=f"Lesson {k}",
               kind=LessonKind.QUIZ if k == 2 else LessonKind.READING) for m in modules for k in range(3)])
    exams = Assessment.objects.bulk_create([
        Assessment(course_id=lesson.course_id, lesson=lesson, kind=AssessmentKind.EXAM, title="Final exam",
                   time_limit_minutes=30, closes_at=now + timedelta(days=-5 if passed else 7))
        for lesson in lessons if lesson.kind == LessonKind.QUIZ])
    if passed:
        times = {"starts_at": now - timedelta(days=60), "enrolment_ends": now - timedelta(days=50),
                 "ends_at": now - timedelta(days=2), "grades_released_at": now - timedelta(days=1)}
    else:
        times = {"starts_at": now - timedelta(days=1), "enrolment_ends": now + timedelta(days=5),
                 "ends_at": now + timedelta(days=20)}
    runs = CourseRun.objects.bulk_create([
        CourseRun(course=c, university=[w.university, w.malaya][i % 2], cohort=f"S{i}", **times)
        for i, c in enumerate(courses)])
    if enrol or passed:
        first = {lesson.course_id: lesson for lesson in lessons if lesson.order == 0}
        enrolments = Enrolment.objects.bulk_create([
            Enrolment(run=r, user=w.student, last_lesson=first[r.course_id], completed_lessons=1,
                      last_activity_at=now - timedelta(minutes=i)) for i, r in enumerate(runs)])
        LessonProgress.objects.bulk_create([
            LessonProgress(enrolment=e, lesson=first[e.run.course_id], completed_at=now) for e in enrolments])
        Attempt.objects.bulk_create([
            Attempt(assessment=exam, user=w.student, started_at=now - timedelta(days=3),
                    submitted_at=now - timedelta(days=3), score=1, max_score=1)
            for i, exam in enumerate(exams) if passed or i % 2])
        if not passed:
            Attempt.objects.create(assessment=exams[0], user=w.student, deadline=now + timedelta(minutes=20),
                                   number=2)
    return courses


def _count(client, url: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.status_code
    return len(queries.captured_queries)


@pytest.mark.parametrize("params", [
    {}, {"q": "cloud"}, {"q": "data analysis"}, {"programme": "bulk"}, {"level": "advanced"}, {"language": "en"},
    {"country": "MY"}, {"university": "ntu"}, {"q": "bulk", "level": "introductory", "country": "SG", "page": "2"},
])
@pytest.mark.parametrize("signed_in", [True, False])
def test_the_catalogue_makes_the_same_queries_with_more_courses(world, params, signed_in):
    client = client_for(world.student if signed_in else None)
    url = reverse("academy:catalogue")
    _courses(world, 3)
    few = _count(client, url, params)
    _courses(world, 57, start=3)
    assert _count(client, url, params) == few


def test_the_catalogue_filters_narrow_the_courses(world):
    _courses(world, 6)
    client = client_for(None)

    def titles(**params) -> list[str]:
        return [c.title for c in client.get(reverse("academy:catalogue"), params).context["page"].object_list]

    assert len(titles()) == 7  # and the fixture's course
    assert titles(country="MY") == ["Bulk course 1", "Bulk course 3", "Bulk course 5"]
    assert titles(university=world.malaya.slug, level="advanced") == ["Bulk course 1", "Bulk course 3",
                                                                      "Bulk course 5"]
    assert titles(q="data analysis") == [f"Bulk course {i}" for i in range(6)]  # a skill's name
    page = client.get(reverse("academy:catalogue"), {"country": "my"}).content.decode()
    assert '<option value="MY" selected>Malaysia</option>' in page
    assert f'<option value="{world.malaya.slug}">Universiti Malaya</option>' in page


def test_the_dashboard_makes_the_same_queries_with_more_enrolments(world):
    client = client_for(world.student)
    _courses(world, 3, enrol=True)
    few = _count(client, reverse("academy:dashboard"))
    _courses(world, 57, start=3, enrol=True)
    assert _count(client, reverse("academy:dashboard")) == few
    assert len(selectors.learner_deadlines(user=world.student)) == 8  # the eight soonest of 60+
    # A later page: the same, less the deadlines (three queries) that only the first page shows.
    assert _count(client, reverse("academy:dashboard"), {"page": "3"}) == few - 3


def test_the_dashboard_selectors_make_a_fixed_number_of_queries(world, django_assert_num_queries):
    _courses(world, 20, enrol=True)
    with django_assert_num_queries(2):
        rows = selectors.learner_dashboard(user=world.student)
        assert len(rows) == 20 and all(r["total"] == 3 for r in rows)
    with django_assert_num_queries(3):
        items = selectors.learner_deadlines(user=world.student, limit=100)
        [str(i["course"]) + str(i["lesson"] and i["lesson"].slug) for i in items]  # nothing more to load
    assert sorted({i["kind"] for i in items}) == ["closes", "in_progress", "run_ends"]
    assert sum(1 for i in items if i["submitted"]) == 10  # every other exam


def test_a_course_page_makes_the_same_queries_with_more_prerequisites_passed(world):
    client = client_for(world.student)
    Enrolment.objects.create(run=world.uni_run, user=world.student, last_lesson=world.video)
    url = reverse("academy:course", args=[world.course.slug])
    world.course.prerequisites.add(*_courses(world, 3, passed=True))
    few = _count(client, url)
    world.course.prerequisites.add(*_courses(world, 57, start=3, passed=True))
    assert _count(client, url) == few
    assert len(selectors.passed_courses(user=world.student, courses=list(world.course.prerequisites.all()))) == 60


def test_a_programme_page_makes_the_same_queries_with_more_courses(world, django_assert_num_queries):
    client = client_for(world.student)
    url = reverse("academy:programme", args=["bulk"])
    _courses(world, 3, passed=True)
    few = _count(client, url)
    _courses(world, 57, start=3, passed=True)
    assert _count(client, url) == few
    progress = selectors.programme_progress(programme=world.programme, user=world.student)
    assert progress["required_done"] == progress["required_total"] == 30 and progress["electives_done"] == 30
    courses = list(Course.objects.filter(slug__startswith="bulk-"))
    with django_assert_num_queries(4):
        assert len(selectors.passed_courses(user=world.student, courses=courses)) == 60


def test_the_catalogue_filter_choices_make_two_queries(world, django_assert_num_queries):
    _courses(world, 10)
    with django_assert_num_queries(2):
        choices = selectors.catalogue_filters()
    assert [u.name for u in choices["universities"]] == ["NTU", "Universiti Malaya"]
    assert [c.code for c in choices["countries"]] == ["MY", "SG"]
