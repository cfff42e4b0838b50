"""Two machines (issue 17, item 7): web A, worker W and web C have data directories of their own and
share only PostgreSQL, the broker and the object store. What one machine stores, the others serve:

- a submission uploaded to web A is scored by worker W (and its score read from web C);
- a lesson video uploaded to web A streams with Range requests from web C, and plays and seeks there
  in Chromium;
- badge art uploaded to web A and certificates issued by worker W give a PDF from web C;
- a course exported from web A and imported through web C plays its video from web A;

and no machine writes a file under its own data directory's ``files/``. All three name one public
address (web A's) in links and credentials, as servers behind one load balancer do.
"""

from __future__ import annotations

import io
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
import requests
from django.conf import settings
from django.core.files.storage import default_storage
from PIL import Image

from forward.academy import video
from forward.academy.awards import course_achievement_id
from forward.academy.models import Course, CourseStatus, Lesson, LessonKind
from forward.competitions.models import Submission, SubmissionStatus
from forward.core.models import OrganizationKind
from forward.core.services import api_token_create
from forward.credentials import badge_files
from forward.credentials.models import BadgeArt, Credential, CredentialKind
from tests.conftest import make_organization, make_user, service_unavailable

from .conftest import Cluster, post_form, sign_in

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
                       reason="machines share a database server: needs PostgreSQL (FORWARD_DATABASE_URL)"),
    pytest.mark.django_db(transaction=True),
]

ORANGE = (250, 120, 20)


@pytest.fixture(scope="module")
def lecture() -> bytes:
    """A real 12-second lecture (VP9 in MP4, as the demo makes them)."""
    return video.demo_mp4(title="Object storage for everyone")


def assert_nothing_on_disk(cluster: Cluster) -> None:
    """Nothing is shared by disk: no machine stored a file under its own FORWARD_DATA_DIR/files."""
    assert all(machine.data_dir.is_dir() for machine in cluster.machines)
    assert cluster.files_on_disk() == [], "a machine wrote to its own disk instead of the shared storage"


def upload_lecture(cluster: Cluster, course: Course, email: str, data: bytes, slug: str = "storage-lecture") -> Lesson:
    """The course's instructor adds a video lesson in the studio of web A, uploading the file."""
    instructor = sign_in(cluster.web_a.url, email)
    module = course.modules.order_by("order", "pk").first()
    response = post_form(instructor, f"{cluster.web_a.url}/academy/studio/{course.slug}/modules/{module.pk}/lessons/new/",
                         {"title": "Object storage, in twelve seconds", "slug": slug, "kind": LessonKind.VIDEO,
                          "minutes": "1"},
                         files={"video": ("lecture.mp4", data, "video/mp4")})
    assert response.status_code == 200, response.text[-3000:]
    assert "Lesson saved." in response.text
    lesson = Lesson.objects.get(course=course, slug=slug)
    assert lesson.video_file and default_storage.exists(lesson.video_file)
    return lesson


# --- a) a submission uploaded to web A is scored by worker W -----------------------------------

# probabilities rising with the id: on each part (ids 1, 2, 5, 6, … and 3, 4, 7, 8, …, positives the
# even ids) 15 of the 25 positive-negative pairs are ordered right, so the AUC is exactly 0.6.
PREDICTIONS = ("id,target\n" + "".join(f"{i},{i / 20:.2f}\n" for i in range(1, 21))).encode()


def test_a_submission_uploaded_to_web_a_is_scored_by_the_worker(cluster, world, team):
    _token, raw = api_token_create(user=world.alice, name="notebook")
    notebook = {"Authorization": f"Bearer {raw}"}
    response = requests.post(f"{cluster.web_a.url}/api/v1/competitions/{world.competition.slug}/submissions",
                             headers=notebook, files={"file": ("predictions.csv", PREDICTIONS, "text/csv")},
                             data={"description": "from my notebook"}, timeout=60)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["status"] in (SubmissionStatus.QUEUED, SubmissionStatus.RUNNING, SubmissionStatus.SCORED)

    def scored_seen_from_web_c():
        found = requests.get(f"{cluster.web_c.url}/api/v1/submissions/{created['id']}", headers=notebook, timeout=30)
        assert found.status_code == 200, found.text
        body = found.json()
        assert body["status"] in (SubmissionStatus.QUEUED, SubmissionStatus.RUNNING, SubmissionStatus.SCORED), body
        return body if body["status"] == SubmissionStatus.SCORED else None

    body = cluster.wait_until(scored_seen_from_web_c, seconds=180, what="the submission scored")
    assert body["public_score"] == pytest.approx(0.6) and body["private_score"] is None  # private: after the end
    assert body["rows"] == 20 and body["error"] == ""
    row = Submission.objects.get(pk=created["id"])
    assert row.private_score == pytest.approx(0.6)
    with default_storage.open(row.file, "rb") as stored:
        assert stored.read() == PREDICTIONS
    assert "forward.competitions.score_submission[" in cluster.worker.log()
    assert_nothing_on_disk(cluster)


# --- b) a video uploaded to web A streams from web C -------------------------------------------

def test_a_video_uploaded_to_web_a_streams_with_ranges_from_web_c(cluster, academy, lecture):
    lesson = upload_lecture(cluster, academy.course, academy.admin.email, lecture)
    path = f"/academy/{academy.course.slug}/{lesson.slug}/video"
    size = len(lecture)

    whole = requests.get(cluster.web_c.url + path, timeout=60)
    assert whole.status_code == 200 and whole.content == lecture
    assert whole.headers["Accept-Ranges"] == "bytes" and whole.headers["Content-Type"] == "video/mp4"

    part = requests.get(cluster.web_c.url + path, headers={"Range": "bytes=1000-1999"}, timeout=60)
    assert part.status_code == 206
    assert part.headers["Content-Range"] == f"bytes 1000-1999/{size}"
    assert part.content == lecture[1000:2000]

    tail = requests.get(cluster.web_c.url + path, headers={"Range": "bytes=-500"}, timeout=60)
    assert tail.status_code == 206 and tail.content == lecture[-500:]

    # Behind a load balancer a player's next request may reach the other server: both name the
    # same version of the file, so a range asked "if still this version" is honoured by either.
    from_a = requests.get(cluster.web_a.url + path, headers={"Range": "bytes=0-99"}, timeout=60)
    assert from_a.status_code == 206 and from_a.headers["ETag"] == whole.headers["ETag"]
    again = requests.get(cluster.web_c.url + path, headers={"Range": "bytes=100-199", "If-Range": from_a.headers["ETag"]},
                         timeout=60)
    assert again.status_code == 206 and again.content == lecture[100:200]

    past = requests.get(cluster.web_c.url + path, headers={"Range": f"bytes={size}-"}, timeout=60)
    assert past.status_code == 416
    assert_nothing_on_disk(cluster)


def watch_and_seek(base_url: str, lesson_path: str) -> dict:
    """In a Chromium of its own (its own thread, so it never meets another Playwright of the test
    run): open the lesson page, play the video muted, seek to 9 s and report what the player says."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import ARGS, CHROMIUM, TIMEOUT_MS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            context = browser.new_context(base_url=base_url)
            context.set_default_timeout(TIMEOUT_MS)
            blocked: list[str] = []
            page = context.new_page()
            page.on("console", lambda message: blocked.append(message.text)
                    if message.type == "error" and "Content Security Policy" in message.text else None)
            page.goto(lesson_path)
            page.evaluate("() => { const v = document.getElementById('player'); v.muted = true; return v.play(); }")
            page.wait_for_function("() => document.getElementById('player').currentTime > 1")
            seeked = page.evaluate("""() => new Promise(resolve => {
                const v = document.getElementById('player');
                v.pause();
                v.addEventListener('seeked', () => resolve(v.currentTime), {once: true});
                v.currentTime = 9;
            })""")
            page.wait_for_function("() => { const v = document.getElementById('player'); return !v.seeking && v.readyState >= 2; }")
            state = page.evaluate("""() => { const v = document.getElementById('player');
                return {src: v.getAttribute('src'), duration: v.duration, time: v.currentTime,
                        width: v.videoWidth, error: v.error && v.error.message}; }""")
            return {**state, "seeked": seeked, "blocked": blocked}
        finally:
            browser.close()


@pytest.mark.browser
def test_a_video_uploaded_to_web_a_plays_and_seeks_in_a_browser_on_web_c(cluster, academy, lecture):
    from tests.browser.conftest import CHROMIUM

    if not Path(CHROMIUM).exists():
        service_unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    lesson = upload_lecture(cluster, academy.course, academy.admin.email, lecture)
    with ThreadPoolExecutor(max_workers=1) as thread:
        state = thread.submit(watch_and_seek, cluster.web_c.url, f"/academy/{academy.course.slug}/{lesson.slug}/").result()
    assert state["src"] == f"/academy/{academy.course.slug}/{lesson.slug}/video"
    assert state["error"] is None and state["width"] == 640 and state["duration"] == 12
    assert abs(state["seeked"] - 9) < 0.1 and abs(state["time"] - 9) < 0.1
    assert state["blocked"] == []
    assert_nothing_on_disk(cluster)


# --- c) a certificate and a course bundle ------------------------------------------------------

def orange_picture() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 150), ORANGE).save(out, format="PNG")
    return out.getvalue()


def test_badge_art_from_web_a_and_certificates_from_the_worker_give_a_pdf_on_web_c(cluster, cohort):
    w = cohort
    admin = sign_in(cluster.web_a.url, w.admin.email)
    badges = f"{cluster.web_a.url}/credentials/issuers/{w.university.slug}/badges/"
    response = post_form(admin, badges, {"achievement": course_achievement_id(w.course)},
                         files={"picture": ("badge.png", orange_picture(), "image/png")})
    assert response.status_code == 200 and "Badge art saved." in response.text, response.text[-3000:]
    digest = BadgeArt.objects.get(organization=w.university).digest
    assert default_storage.exists(badge_files.file_name(digest, badge_files.FULL))

    response = post_form(admin, f"{cluster.web_a.url}/academy/runs/{w.uni_run.pk}/release/", {})
    assert response.status_code == 200 and "Grades released." in response.text

    credential = cluster.wait_until(
        lambda: Credential.objects.filter(recipient=w.top, kind=CredentialKind.COURSE_ACHIEVEMENT).first(),
        seconds=120, what="the worker issuing the certificates")
    assert "forward.credentials.batch_issue[" in cluster.worker.log()

    pdf = requests.get(f"{cluster.web_c.url}/credentials/{credential.uuid}/certificate.pdf", timeout=60)
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    document = pdfium.PdfDocument(pdf.content)
    try:
        page = document[0]
        words = " ".join(page.get_textpage().get_text_range().split())
        assert str(credential.uuid) in words and w.top.name in words and w.course.title in words
        # the badge drawn is the art uploaded to web A, read by web C from the bucket: orange
        [badge] = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
        left, bottom, right, top = badge.get_bounds()
        rendered = page.render(scale=1).to_pil().convert("RGB")
        middle = rendered.getpixel((int((left + right) / 2), int(page.get_height() - (bottom + top) / 2)))
        assert all(abs(a - b) < 12 for a, b in zip(middle, ORANGE, strict=True)), middle
    finally:
        document.close()
    assert_nothing_on_disk(cluster)


def test_a_course_exported_from_web_a_and_imported_through_web_c_plays_from_web_a(cluster, academy, lecture):
    original = upload_lecture(cluster, academy.course, academy.admin.email, lecture)
    exported = sign_in(cluster.web_a.url, academy.admin.email).get(
        f"{cluster.web_a.url}/academy/studio/{academy.course.slug}/export.zip", timeout=60)
    assert exported.status_code == 200 and exported.headers["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(exported.content)) as bundle:
        videos = [name for name in bundle.namelist() if name.endswith(".mp4")]
        assert len(videos) == 1 and bundle.read(videos[0]) == lecture

    zju_admin = make_user("admin@zju.test", "Zhu Admin")
    zju = make_organization(creator=zju_admin, name="ZJU", kind=OrganizationKind.UNIVERSITY, country="CN")
    importer = sign_in(cluster.web_c.url, zju_admin.email)
    response = post_form(importer, f"{cluster.web_c.url}/academy/studio/import/", {"owner": str(zju.pk)},
                         files={"bundle": (f"{academy.course.slug}.zip", exported.content, "application/zip")})
    assert response.status_code == 200 and "Imported" in response.text, response.text[-3000:]
    imported = Course.objects.get(owner=zju)
    assert imported.slug == f"{academy.course.slug}-2" and imported.status == CourseStatus.PUBLISHED
    copy = Lesson.objects.get(course=imported, slug=original.slug)
    assert copy.video_file != original.video_file and default_storage.exists(copy.video_file)

    played = requests.get(f"{cluster.web_a.url}/academy/{imported.slug}/{copy.slug}/video", timeout=60)
    assert played.status_code == 200 and played.content == lecture
    part = requests.get(f"{cluster.web_a.url}/academy/{imported.slug}/{copy.slug}/video",
                        headers={"Range": "bytes=2000-2999"}, timeout=60)
    assert part.status_code == 206 and part.content == lecture[2000:3000]
    assert_nothing_on_disk(cluster)
