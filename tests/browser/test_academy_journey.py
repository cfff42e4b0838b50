"""A visitor watches a lesson; a learner enrols, passes a quiz, takes a timed exam and sees the
grade; the university's admin sees the cohort."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forward.academy.models import (
    Assessment,
    AssessmentKind,
    Course,
    CourseRun,
    CourseStatus,
    Lesson,
    LessonKind,
    Module,
    Question,
    QuestionKind,
)
from forward.core.models import Membership, OrganizationKind
from tests.browser.conftest import shot
from tests.conftest import make_organization, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill("correct horse battery")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def test_watch_enrol_quiz_exam_grade_and_cohort(new_page):
    admin = make_user("admin@ntu.test", "Uni Admin")
    student = make_user("student@ntu.test", "Stu Dent")
    ntu = make_organization(creator=admin, name="NTU", kind=OrganizationKind.UNIVERSITY, country="SG")
    Membership.objects.create(user=student, organization=ntu)
    course = Course.objects.create(slug="cloud-101", title="Cloud Computing Fundamentals", owner=ntu,
                                   status=CourseStatus.PUBLISHED, summary="Servers and storage.")
    module = Module.objects.create(course=course, title="Basics")
    Lesson.objects.create(module=module, course=course, order=0, slug="intro", kind=LessonKind.VIDEO,
                          title="What the cloud is", video_url="/static/none.mp4", transcript="Clouds are computers.")
    now = timezone.now()
    for order, (slug, kind) in enumerate([("quiz", AssessmentKind.QUIZ), ("exam", AssessmentKind.EXAM)], start=1):
        lesson = Lesson.objects.create(module=module, course=course, order=order, slug=slug, kind=LessonKind.QUIZ,
                                       title=f"The {slug}")
        assessment = Assessment.objects.create(course=course, lesson=lesson, kind=kind, title=f"The {slug}",
                                               time_limit_minutes=20 if kind == "exam" else None,
                                               closes_at=now + timedelta(days=1) if kind == "exam" else None)
        Question.objects.create(assessment=assessment, kind=QuestionKind.NUMERIC, prompt="How much is 2 + 2?",
                                correct=[4])
    CourseRun.objects.create(course=course, university=ntu, cohort="NTU Semester 1",
                             enrolment_ends=now + timedelta(days=5), starts_at=now - timedelta(days=1),
                             ends_at=now + timedelta(days=30))

    visitor = new_page()
    visitor.goto("/academy/")
    visitor.get_by_role("link", name="Cloud Computing Fundamentals").click()
    visitor.get_by_role("link", name="What the cloud is").click()
    expect(visitor.locator("video#player")).to_have_attribute("src", "/static/none.mp4")
    expect(visitor.get_by_text("You are watching as a guest")).to_be_visible()

    learner = new_page()
    sign_in(learner, "student@ntu.test")
    learner.goto("/academy/cloud-101/")
    learner.get_by_role("button", name="Enrol").click()
    expect(learner.get_by_text("You are enrolled in NTU Semester 1")).to_be_visible()
    learner.goto("/academy/cloud-101/quiz/")
    learner.get_by_role("button", name="Start").click()
    learner.get_by_label("Your answer").fill("4")
    learner.get_by_role("button", name="Submit").click()
    expect(learner.get_by_text("Submitted: 1 of 1 points")).to_be_visible()
    expect(learner.get_by_text("Passed")).to_be_visible()
    learner.goto("/academy/cloud-101/exam/")
    learner.get_by_role("button", name="Start").click()
    expect(learner.get_by_text("Answers count until")).to_be_visible()
    learner.get_by_label("Your answer").fill("4")
    learner.get_by_role("button", name="Submit").click()
    expect(learner.get_by_text("Submitted. Results are shown when the exam closes.")).to_be_visible()
    learner.goto("/academy/cloud-101/")
    expect(learner.get_by_test_id("grade")).to_contain_text("30%")  # the quiz counts; the exam is not out yet
    expect(learner.get_by_text("2 of 3 lessons done")).to_be_visible()
    shot(learner, "academy-course-learner")

    staff = new_page()
    sign_in(staff, "admin@ntu.test")
    staff.goto("/academy/teaching/")
    staff.get_by_role("link", name="NTU Semester 1").click()
    expect(staff.get_by_test_id("cohort")).to_contain_text("student@ntu.test")
    staff.once("dialog", lambda dialog: dialog.accept())  # releasing grades also certifies: it asks first
    staff.get_by_role("button", name="Release grades").click()
    expect(staff.get_by_text("Grades released.")).to_be_visible()
    shot(staff, "academy-cohort")
    learner.reload()
    expect(learner.get_by_text("Final grade")).to_be_visible()
