"""The course outline beside a lesson: open beside the lesson on a wide screen, a closed <details> above
it on a phone that opens with a tap; the learner's progress shows in both. No script does it (the
page's Content-Security-Policy is checked by the fixture)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forward.academy import services
from forward.academy.models import Course, CourseRun, CourseStatus, Lesson, LessonKind, Module
from forward.core.models import OrganizationKind
from tests.browser.conftest import shot
from tests.browser.test_academy_journey import sign_in
from tests.conftest import make_organization, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_outline_is_beside_the_lesson_on_a_wide_screen_and_folds_on_a_phone(new_page):
    admin = make_user("admin@ntu.test", "Uni Admin")
    student = make_user("student@example.test", "Stu Dent")
    ntu = make_organization(creator=admin, name="NTU", kind=OrganizationKind.UNIVERSITY, country="SG")
    course = Course.objects.create(slug="cloud-101", title="Cloud Computing Fundamentals", owner=ntu,
                                   status=CourseStatus.PUBLISHED, summary="Servers and storage.")
    lessons = []
    for m, module_title in enumerate(["Basics", "Practice"]):
        module = Module.objects.create(course=course, title=module_title, order=m)
        for k, kind in enumerate([LessonKind.READING, LessonKind.LAB]):
            lessons.append(Lesson.objects.create(module=module, course=course, order=k, slug=f"{module_title.lower()}-{k}",
                                                 kind=kind, title=f"{module_title} {kind}", body="Some text.",
                                                 minutes=10))
    now = timezone.now()
    run = CourseRun.objects.create(course=course, cohort="Open", enrolment_ends=now + timedelta(days=5),
                                   starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=30))
    services.enrol(user=student, run=run)
    services.progress_apply(user=student, events=[services.ProgressEvent(
        lesson_id=lessons[0].pk, position=0, completed=True, at=now)])

    wide = new_page()
    sign_in(wide, "student@example.test")
    wide.goto("/academy/cloud-101/basics-1/")
    outline = wide.get_by_role("navigation", name="Course outline")
    expect(outline.get_by_role("link", name="Practice reading")).to_be_visible()  # open without a click
    expect(outline.get_by_text("1 of 4 done")).to_be_visible()
    expect(outline.locator('[aria-current="page"]')).to_have_text("Basics lab")
    wide.get_by_role("link", name="Next module: Practice → Practice reading").click()
    expect(wide.get_by_role("heading", level=1)).to_have_text("Practice reading")
    shot(wide, "lesson-outline-wide")

    phone = new_page(phone=True)
    sign_in(phone, "student@example.test")
    phone.goto("/academy/cloud-101/basics-1/")
    outline = phone.get_by_role("navigation", name="Course outline")
    expect(outline.get_by_text("1 of 4 done")).to_be_visible()  # on the closed outline's summary
    expect(outline.get_by_role("link", name="Practice reading")).to_be_hidden()
    heading = phone.get_by_role("heading", level=1)
    assert outline.bounding_box()["y"] < heading.bounding_box()["y"]  # above the lesson
    shot(phone, "lesson-outline-phone-closed")
    outline.get_by_text("Course outline").click()
    expect(outline.get_by_role("link", name="Practice reading")).to_be_visible()
    shot(phone, "lesson-outline-phone-open")
    outline.get_by_role("link", name="Practice lab").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Practice lab")
