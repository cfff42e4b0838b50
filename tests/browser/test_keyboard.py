"""Keyboard only: a learner signs in, enrols, answers and submits a quiz, plays and seeks a lecture video,
and opens and closes the phone menu without touching a mouse. Every move is a key press; the test looks
at where the focus is and what the page says, as someone using a keyboard or a screen reader would."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from playwright.sync_api import expect

from forward.academy import video
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
from tests.conftest import make_organization, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABS = 80  # key presses allowed to reach an element: every page is shorter than that


def focused(locator) -> bool:
    """Whether the element (or a control inside its shadow tree, such as a video's play button) has the focus."""
    return locator.evaluate("element => document.activeElement === element")


def tab_to(page, locator, *, key: str = "Tab") -> None:
    for _ in range(TABS):
        page.keyboard.press(key)
        if focused(locator):
            return
    raise AssertionError(f"{locator} never took the focus in {TABS} presses of {key}")


@pytest.fixture
def course(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    admin = make_user("admin@ntu.test", "Uni Admin")
    student = make_user("student@ntu.test", "Stu Dent")
    ntu = make_organization(creator=admin, name="NTU", kind=OrganizationKind.UNIVERSITY, country="SG")
    Membership.objects.create(user=student, organization=ntu)
    course = Course.objects.create(slug="cloud-101", title="Cloud Computing Fundamentals", owner=ntu,
                                   status=CourseStatus.PUBLISHED, summary="Servers and storage.")
    module = Module.objects.create(course=course, title="Basics")
    name = default_storage.save("academy/videos/demo-1.mp4", ContentFile(video.demo_mp4(title=course.title)))
    Lesson.objects.create(module=module, course=course, order=0, slug="lecture", kind=LessonKind.VIDEO,
                          title="What the cloud is", video_file=name,
                          captions_vtt=video.demo_captions(title=course.title))
    lesson = Lesson.objects.create(module=module, course=course, order=1, slug="quiz", kind=LessonKind.QUIZ,
                                   title="The quiz")
    quiz = Assessment.objects.create(course=course, lesson=lesson, kind=AssessmentKind.QUIZ, title="The quiz")
    Question.objects.create(assessment=quiz, kind=QuestionKind.MULTIPLE, prompt="Which are cloud services?",
                            options=["Object storage", "A stapler", "Virtual machines"], correct=[0, 2])
    Question.objects.create(assessment=quiz, kind=QuestionKind.NUMERIC, prompt="How much is 2 + 2?", correct=[4])
    now = timezone.now()
    CourseRun.objects.create(course=course, university=ntu, cohort="NTU Semester 1",
                             enrolment_ends=now + timedelta(days=5), starts_at=now - timedelta(days=1),
                             ends_at=now + timedelta(days=30))
    return course


def test_sign_in_enrol_and_pass_a_quiz_with_the_keyboard_only(page, course):
    page.goto("/accounts/login/")
    tab_to(page, page.locator("#id_login"))
    page.keyboard.type("student@ntu.test")
    page.keyboard.press("Tab")
    assert focused(page.locator("#id_password"))
    page.keyboard.type("correct horse battery")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")

    page.goto("/academy/cloud-101/")
    tab_to(page, page.get_by_role("button", name="Enrol"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("You are enrolled in NTU Semester 1")).to_be_visible()

    page.goto("/academy/cloud-101/quiz/")
    posts = []
    page.on("request", lambda request: posts.append(request.post_data) if request.method == "POST" else None)
    tab_to(page, page.get_by_role("button", name="Start"))
    page.keyboard.press("Enter")
    storage, stapler, machines = (page.get_by_role("checkbox", name=name)
                                  for name in ("Object storage", "A stapler", "Virtual machines"))
    tab_to(page, storage)
    page.keyboard.press("Space")
    expect(storage).to_be_checked()
    # Enter on a checkbox does nothing: it neither ticks it nor sends the form with its first button
    # ("Save answers"); the POSTs counted below are Start and Submit only.
    page.keyboard.press("Enter")
    expect(storage).to_be_checked()
    assert focused(storage)
    tab_to(page, machines)  # the options come in an order of their own for each attempt
    page.keyboard.press("Space")
    tab_to(page, page.get_by_label("Your answer"))
    page.keyboard.type("4")
    tab_to(page, page.get_by_role("button", name="Submit"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Submitted: 2 of 2 points")).to_be_visible()
    expect(page.get_by_text("Passed")).to_be_visible()
    expect(stapler).to_have_count(0)
    assert [("action=start" in data, "action=submit" in data) for data in posts] == [(True, False), (False, True)]
    expect(page.get_by_text("Answers saved.")).to_have_count(0)


def test_play_and_seek_a_lecture_with_the_keyboard_only(page, course):
    page.goto("/academy/cloud-101/lecture/")
    player = page.locator("video#player")
    expect(player).to_have_accessible_name("What the cloud is")
    tab_to(page, player)
    player.evaluate("v => { v.muted = true; }")  # the test machine has no sound card to speak of
    page.keyboard.press("Space")
    page.wait_for_function("() => !document.getElementById('player').paused")
    page.keyboard.press("Space")
    page.wait_for_function("() => document.getElementById('player').paused")
    before = player.evaluate("v => v.currentTime")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"() => document.getElementById('player').currentTime >= {before} + 4")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(f"() => document.getElementById('player').currentTime < {before} + 4")
    assert focused(player)


def test_open_and_close_the_phone_menu_with_the_keyboard_only(phone_page, course):
    page = phone_page
    page.goto("/academy/")
    toggle = page.get_by_role("button", name="Menu")
    navigation = page.locator("#main-nav")
    expect(navigation).to_be_hidden()
    tab_to(page, toggle)
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(navigation).to_be_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.getElementById('main-nav').contains(document.activeElement)")
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(navigation).to_be_hidden()
    assert focused(toggle)
