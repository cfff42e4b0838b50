"""The learner dashboard: continue where you left off, and the upcoming deadlines of the learner's
enrolments (exams in progress, quizzes and exams that close, runs that end)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import dateformat, timezone

from forward.academy import assessments, selectors, services
from forward.academy.models import (
    Assessment,
    AssessmentKind,
    Attempt,
    Certification,
    CertificationLevel,
    CourseRun,
    Enrolment,
    Lesson,
    LessonKind,
    Question,
    QuestionKind,
)
from tests.conftest import client_for


def _assessment(course, closes_at, title: str = "Final exam", kind: str = AssessmentKind.EXAM) -> Assessment:
    module = course.modules.first()
    lesson = Lesson.objects.create(module=module, course=course, order=50, slug=title.lower().replace(" ", "-"),
                                   kind=LessonKind.QUIZ, title=title)
    exam = Assessment.objects.create(course=course, lesson=lesson, kind=kind, title=title, closes_at=closes_at,
                                     time_limit_minutes=30 if kind == AssessmentKind.EXAM else None)
    Question.objects.create(assessment=exam, kind=QuestionKind.NUMERIC, prompt="1+1", correct=[2])
    return exam


def _exam(course, closes_in_days: float, title: str = "Final exam", kind: str = AssessmentKind.EXAM) -> Assessment:
    return _assessment(course, timezone.now() + timedelta(days=closes_in_days), title, kind)


def _kinds(items) -> list[tuple[str, str]]:
    return [(i["kind"], i["title"]) for i in items]


def test_deadlines_come_soonest_first_within_the_horizon(academy):
    services.enrol(user=academy.student, run=academy.uni_run)  # ends in 30 days
    _exam(academy.course, 3, "Midterm")
    _exam(academy.course, 10, "Weekly quiz", kind=AssessmentKind.QUIZ)
    _exam(academy.course, 90, "Far away exam")  # beyond the 60-day horizon
    _exam(academy.course, -1, "Closed exam")
    items = selectors.learner_deadlines(user=academy.student)
    assert _kinds(items) == [("closes", "Midterm"), ("closes", "Weekly quiz"), ("run_ends", "NTU S1")]
    assert [i["assessment_kind"] for i in items[:2]] == ["exam", "quiz"]
    assert items[0]["lesson"].slug == "midterm" and items[2]["course"] == academy.course
    assert all(not i["submitted"] for i in items)
    assert _kinds(selectors.learner_deadlines(user=academy.student, horizon_days=5)) == [("closes", "Midterm")]


def test_an_exam_in_progress_shows_its_server_deadline_and_a_submitted_one_says_so(academy):
    services.enrol(user=academy.student, run=academy.uni_run)
    midterm = _exam(academy.course, 3, "Midterm")
    attempt = assessments.attempt_start(user=academy.student, assessment=midterm)
    items = selectors.learner_deadlines(user=academy.student)
    # The attempt's deadline stands for the exam: no second line for its closing.
    assert _kinds(items) == [("in_progress", "Midterm"), ("run_ends", "NTU S1")]
    assert items[0]["at"] == attempt.deadline
    page = client_for(academy.student).get(reverse("academy:dashboard")).content.decode()
    assert "Exam in progress" in page and reverse("academy:lesson", args=["cloud-101", "midterm"]) in page

    assessments.attempt_submit(user=academy.student, attempt_id=attempt.pk)
    items = selectors.learner_deadlines(user=academy.student)
    assert _kinds(items) == [("closes", "Midterm"), ("run_ends", "NTU S1")]
    assert items[0]["submitted"] is True and items[0]["at"] == midterm.closes_at
    page = client_for(academy.student).get(reverse("academy:dashboard")).content.decode()
    assert "Submitted" in page and "Exam closes" in page


def test_only_the_learners_current_enrolments_count(academy):
    services.enrol(user=academy.student, run=academy.uni_run)
    _exam(academy.course, 3, "Midterm")
    # Someone else's attempt in progress is not this learner's deadline.
    services.enrol(user=academy.admin, run=academy.open_run)
    assessments.attempt_start(user=academy.admin, assessment=Assessment.objects.get(title="Midterm"))
    assert _kinds(selectors.learner_deadlines(user=academy.student)) == [("closes", "Midterm"), ("run_ends", "NTU S1")]
    assert selectors.learner_deadlines(user=academy.outsider) == []
    # A run that has ended brings nothing, not even its course's exams.
    now = timezone.now()
    past = CourseRun.objects.create(course=academy.course, cohort="Old", enrolment_ends=now - timedelta(days=50),
                                    starts_at=now - timedelta(days=60), ends_at=now - timedelta(days=1))
    Enrolment.objects.create(run=past, user=academy.outsider)
    assert selectors.learner_deadlines(user=academy.outsider) == []


def test_now_is_a_parameter(academy):
    services.enrol(user=academy.student, run=academy.uni_run)  # ends in 30 days
    _exam(academy.course, 3, "Midterm")
    later = timezone.now() + timedelta(days=25)
    assert _kinds(selectors.learner_deadlines(user=academy.student, now=later, horizon_days=10)) == [
        ("run_ends", "NTU S1")]
    assert selectors.learner_deadlines(user=academy.student, now=later + timedelta(days=10)) == []


def test_a_certification_exam_in_progress_links_to_its_certification(academy):
    services.enrol(user=academy.student, run=academy.uni_run)
    exam = Assessment.objects.create(course=None, kind=AssessmentKind.EXAM, title="Cloud Associate exam",
                                     time_limit_minutes=60)
    Certification.objects.create(slug="cloud-associate", title="Cloud Associate", track="Cloud", exam=exam,
                                 level=CertificationLevel.ASSOCIATE, owner=academy.university)
    deadline = timezone.now() + timedelta(minutes=40)
    Attempt.objects.create(assessment=exam, user=academy.student, deadline=deadline)
    items = selectors.learner_deadlines(user=academy.student)
    assert _kinds(items)[0] == ("in_progress", "Cloud Associate exam")
    assert items[0]["course"] is None and items[0]["certification"].slug == "cloud-associate"
    page = client_for(academy.student).get(reverse("academy:dashboard")).content.decode()
    assert reverse("academy:certification", args=["cloud-associate"]) in page


def test_dates_are_shown_in_the_viewers_time_zone_with_the_time_left(academy):
    academy.student.time_zone = "Asia/Kolkata"  # UTC+05:30: a half hour shows a wrong zone at once
    academy.student.save(update_fields=["time_zone"])
    services.enrol(user=academy.student, run=academy.uni_run)
    closes_at = (timezone.now() + timedelta(days=3, minutes=30)).replace(second=0, microsecond=0)
    _assessment(academy.course, closes_at, "Midterm")
    page = client_for(academy.student).get(reverse("academy:dashboard")).content.decode()
    local = closes_at.astimezone(ZoneInfo("Asia/Kolkata"))
    assert dateformat.format(local, "j M Y H:i") in page  # DATETIME_FORMAT, forward/formats/en
    assert f'datetime="{local.isoformat()}"' in page
    assert "in 3\xa0days" in page and "Times in Asia/Kolkata" in page
    # Each course card says when its run ends, in the same zone.
    ends = academy.uni_run.ends_at.astimezone(ZoneInfo("Asia/Kolkata"))
    assert f"ends {dateformat.format(ends, 'j M Y')}" in page


def test_a_course_card_says_when_its_run_ended(academy):
    now = timezone.now()
    past = CourseRun.objects.create(course=academy.course, cohort="Old", enrolment_ends=now - timedelta(days=50),
                                    starts_at=now - timedelta(days=60), ends_at=now - timedelta(days=1))
    Enrolment.objects.create(run=past, user=academy.student, last_lesson=academy.video)
    page = client_for(academy.student).get(reverse("academy:dashboard")).content.decode()
    assert f"ended {dateformat.format(timezone.localtime(past.ends_at), 'j M Y')}" in page
    assert 'data-testid="deadlines"' not in page


def test_the_dashboard_pages_through_every_enrolment_most_recent_first(academy):
    now = timezone.now()
    runs = CourseRun.objects.bulk_create([
        CourseRun(course=academy.course, cohort=f"Cohort {i:02d}", enrolment_ends=now + timedelta(days=5),
                  starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=10 + i)) for i in range(30)])
    Enrolment.objects.bulk_create([Enrolment(run=run, user=academy.student, last_activity_at=now - timedelta(hours=i))
                                   for i, run in enumerate(runs)])
    client = client_for(academy.student)
    first = client.get(reverse("academy:dashboard"))
    second = client.get(reverse("academy:dashboard"), {"page": 2})
    cohorts = [row["enrolment"].run.cohort for r in (first, second) for row in r.context["rows"]]
    assert cohorts == [f"Cohort {i:02d}" for i in range(30)]
    assert len(first.context["rows"]) == 24 and "Page 1 of 2" in first.content.decode()
    assert first.context["deadlines"] and second.context["deadlines"] == []
