"""An anonymous visitor watches a demo-like lecture: the generated MP4 plays in Chromium, seeks (with
Range requests) and shows its captions."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from playwright.sync_api import expect

from forward.academy import video
from forward.academy.models import Course, CourseStatus, Lesson, LessonKind, Module
from forward.core.models import OrganizationKind
from tests.browser.conftest import shot
from tests.conftest import make_organization, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_anonymous_visitor_watches_a_generated_lecture(page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    owner = make_organization(creator=make_user("admin@cloudwave.test"), name="Cloudwave",
                                kind=OrganizationKind.EMPLOYER, country="CN")
    course = Course.objects.create(slug="cloud-101", title="Cloud Computing Fundamentals", owner=owner,
                                   status=CourseStatus.PUBLISHED)
    module = Module.objects.create(course=course, title="What the cloud is")
    name = default_storage.save("academy/videos/demo-1.mp4", ContentFile(video.demo_mp4(title=course.title)))
    Lesson.objects.create(module=module, course=course, slug="lecture", kind=LessonKind.VIDEO,
                          title="What the cloud is: lecture", video_file=name,
                          captions_vtt=video.demo_captions(title=course.title))

    page.goto("/academy/cloud-101/lecture/")
    player = page.locator("video#player")
    expect(player).to_have_attribute("src", "/academy/cloud-101/lecture/video")
    page.evaluate("() => { const v = document.getElementById('player'); v.muted = true; return v.play(); }")
    page.wait_for_function("() => document.getElementById('player').currentTime > 1")
    state = page.evaluate("""() => { const v = document.getElementById('player');
        return {width: v.videoWidth, height: v.videoHeight, duration: v.duration, error: v.error && v.error.message}; }""")
    assert state == {"width": 640, "height": 360, "duration": 12, "error": None}

    page.evaluate("() => { const v = document.getElementById('player'); v.pause(); v.currentTime = 9; }")
    page.wait_for_function("""() => { const v = document.getElementById('player');
        return !v.seeking && v.readyState >= 2 && Math.abs(v.currentTime - 9) < 0.1; }""")
    cues = page.evaluate("""() => { const track = document.getElementById('player').textTracks[0];
        track.mode = 'showing'; return track.activeCues && Array.from(track.activeCues, c => c.text); }""")
    if not cues:  # the track loads after its mode changes
        page.wait_for_function("() => document.getElementById('player').textTracks[0].activeCues.length > 0")
        cues = page.evaluate("() => Array.from(document.getElementById('player').textTracks[0].activeCues, c => c.text)")
    assert cues == ["Next, read the notes, try the lab and take the quiz."]
    shot(page, "video-lecture")


SKEWED_CLOCK = """(() => {  // this device's clock runs an hour fast
  const Real = Date, skew = 3600 * 1000;
  class Skewed extends Real {
    constructor(...args) { if (args.length) { super(...args); } else { super(Real.now() + skew); } }
    static now() { return Real.now() + skew; }
  }
  window.Date = Skewed;
})();"""


def test_a_learner_whose_clock_runs_fast_still_has_progress_recorded(new_page, settings, tmp_path):
    """The server refuses events from the future; the player stamps them on the server's clock."""
    import time

    from django.utils import timezone

    from forward.academy.models import CourseRun, LessonProgress
    from forward.academy.services import enrol
    from tests.browser.test_academy_journey import sign_in

    settings.MEDIA_ROOT = tmp_path / "files"
    learner = make_user("learner@cloudwave.test", "Lee Learner")
    owner = make_organization(creator=make_user("admin@cloudwave.test"), name="Cloudwave",
                              kind=OrganizationKind.EMPLOYER, country="CN")
    course = Course.objects.create(slug="cloud-101", title="Cloud Computing Fundamentals", owner=owner,
                                   status=CourseStatus.PUBLISHED)
    module = Module.objects.create(course=course, title="What the cloud is")
    name = default_storage.save("academy/videos/demo-1.mp4", ContentFile(video.demo_mp4(title=course.title)))
    lesson = Lesson.objects.create(module=module, course=course, slug="lecture", kind=LessonKind.VIDEO,
                                   title="What the cloud is: lecture", video_file=name)
    now = timezone.now()
    enrol(user=learner, run=CourseRun.objects.create(
        course=course, cohort="Open", enrolment_ends=now + timedelta(days=5), starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=30)))

    page = new_page()
    sign_in(page, "learner@cloudwave.test")
    page.add_init_script(SKEWED_CLOCK)
    page.goto("/academy/cloud-101/lecture/")
    assert page.evaluate("() => Date.now() - performance.timeOrigin - performance.now()") > 3_000_000
    page.evaluate("() => { const v = document.getElementById('player'); v.muted = true; return v.play(); }")
    page.wait_for_function("() => document.getElementById('player').currentTime > 2")
    page.evaluate("() => document.getElementById('player').pause()")
    deadline = time.monotonic() + 12  # the player sends its batch every 5 seconds
    while time.monotonic() < deadline and not LessonProgress.objects.filter(lesson=lesson).exists():
        time.sleep(0.25)
    row = LessonProgress.objects.get(lesson=lesson)
    assert row.position_seconds > 1
    assert abs((row.updated_at - timezone.now()).total_seconds()) < 60
