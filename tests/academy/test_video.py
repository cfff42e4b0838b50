"""Lesson videos: uploads are streamed with HTTP Range requests to whoever may see the course, and the
demo generates short lectures that play."""

from __future__ import annotations

import io
import logging

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from forward.academy import demo, video
from forward.academy.models import Course, CourseStatus, Lesson, LessonKind
from tests.conftest import client_for

DATA = bytes(range(256)) * 40  # 10,240 bytes, each position recognisable
SIZE = len(DATA)
URL = "/academy/cloud-101/what-is-cloud/video"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture
def uploaded(academy):
    """The conftest's video lesson with an uploaded file instead of a URL."""
    name = default_storage.save("academy/videos/cloud-101/lecture.mp4", ContentFile(DATA))
    Lesson.objects.filter(pk=academy.video.pk).update(video_url="", video_file=name)
    academy.video.refresh_from_db()
    return academy


def body(response) -> bytes:
    """Read a streamed response to its end (the test client then closes it, and the file)."""
    return b"".join(response.streaming_content)


def get(url: str = URL, user=None, **headers):
    return client_for(user).get(url, headers=headers)


def test_the_whole_file_with_its_length_and_type(uploaded):
    response = get()
    assert response.status_code == 200
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Length"] == str(SIZE)
    assert response["Accept-Ranges"] == "bytes"
    assert response["Cache-Control"] == "public, max-age=3600"
    assert response["ETag"] and response["Last-Modified"]
    assert body(response) == DATA


@pytest.mark.parametrize(("header", "first", "last"), [
    ("bytes=0-99", 0, 99),
    ("bytes=100-", 100, SIZE - 1),
    ("bytes=-50", SIZE - 50, SIZE - 1),
    ("bytes=10000-99999", 10000, SIZE - 1),  # a last byte past the end means "to the end"
    ("bytes=-99999", 0, SIZE - 1),  # a suffix longer than the file is the whole file
    ("bytes=5-5", 5, 5),
])
def test_one_byte_range(uploaded, header, first, last):
    response = get(Range=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/{SIZE}"
    assert response["Content-Length"] == str(last - first + 1)
    assert response["Content-Type"] == "video/mp4"
    assert body(response) == DATA[first:last + 1]


@pytest.mark.parametrize("header", ["bytes=10240-", "bytes=99999-100000", "bytes=-0"])
def test_a_range_past_the_end_is_not_satisfiable(uploaded, header):
    response = get(Range=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{SIZE}"


HUGE = "9" * 5000  # int() refuses more than 4,300 digits


@pytest.mark.parametrize("header", [f"bytes={HUGE}-", f"bytes={HUGE}-{HUGE}9", f"bytes=1{'0' * 18}-"])
def test_a_range_starting_at_a_huge_number_is_not_satisfiable(uploaded, header):
    """Issue reproduction: ``Range: bytes=<5000 digits>-`` was a 500 (int() of 5,000 digits)."""
    response = get(Range=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{SIZE}"


@pytest.mark.parametrize(("header", "first", "last"), [
    (f"bytes=0-{HUGE}", 0, SIZE - 1),  # a last byte past the end means "to the end"
    (f"bytes=-{HUGE}", 0, SIZE - 1),  # a suffix longer than the file is the whole file
    (f"bytes={'0' * 5000}7-{'0' * 5000}9", 7, 9),  # leading zeros are still small numbers
])
def test_huge_last_positions_and_suffixes_mean_to_the_end(uploaded, header, first, last):
    response = get(Range=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/{SIZE}"
    assert body(response) == DATA[first:last + 1]


@pytest.mark.parametrize("header", ["bytes=0-1,5-6", "bytes=abc", "items=0-9", "bytes=9-2", "bytes=-",
                                    f"bytes={HUGE}-5", "bytes=\u0663-", "bytes=\u0661-\u0663"])
def test_several_or_malformed_ranges_get_the_whole_file(uploaded, header):
    response = get(Range=header)
    assert response.status_code == 200
    assert body(response) == DATA


def test_conditional_requests(uploaded):
    first = get()
    etag = first["ETag"]
    body(first)
    not_modified = get(If_None_Match=etag)
    assert not_modified.status_code == 304 and not_modified["ETag"] == etag
    current = get(Range="bytes=0-9", If_Range=etag)
    assert current.status_code == 206 and body(current) == DATA[:10]
    changed = get(Range="bytes=0-9", If_Range='"an-older-version"')
    assert changed.status_code == 200 and body(changed) == DATA


def test_head_and_content_types(uploaded):
    head = client_for(None).head(URL)
    assert head.status_code == 200 and head["Content-Length"] == str(SIZE)
    body(head)
    for suffix, content_type in ((".webm", "video/webm"), (".m3u8", "application/vnd.apple.mpegurl")):
        name = default_storage.save(f"academy/videos/cloud-101/other{suffix}", ContentFile(b"x" * 10))
        Lesson.objects.filter(pk=uploaded.video.pk).update(video_file=name)
        response = get()
        assert response["Content-Type"] == content_type
        body(response)
    assert client_for(None).post(URL).status_code == 405


def test_a_draft_course_video_is_only_for_its_team(uploaded):
    Course.objects.filter(pk=uploaded.course.pk).update(status=CourseStatus.DRAFT)
    assert get().status_code == 404
    assert get(user=uploaded.outsider).status_code == 404
    assert get(user=uploaded.student).status_code == 404
    uploaded.course.authors.add(uploaded.outsider)
    response = get(user=uploaded.outsider, Range="bytes=0-9")
    assert response.status_code == 206 and body(response) == DATA[:10]
    assert response["Cache-Control"] == "private, no-cache"
    admin = get(user=uploaded.admin)  # an admin of the organization that owns the course
    assert admin.status_code == 200
    body(admin)


def test_only_a_video_lesson_with_an_upload_has_a_video(uploaded):
    assert get("/academy/cloud-101/notes/video").status_code == 404  # a reading
    Lesson.objects.filter(pk=uploaded.reading.pk).update(video_file=uploaded.video.video_file)
    assert get("/academy/cloud-101/notes/video").status_code == 404  # still a reading
    assert get("/academy/cloud-101/no-such-lesson/video").status_code == 404
    assert get("/academy/no-such-course/what-is-cloud/video").status_code == 404
    Lesson.objects.filter(pk=uploaded.video.pk).update(video_file="")
    assert get().status_code == 404
    Lesson.objects.filter(pk=uploaded.video.pk).update(video_file="academy/videos/cloud-101/gone.mp4")
    assert get().status_code == 404  # the row names a file the storage no longer has


def test_the_file_comes_from_the_lesson_never_from_the_url(uploaded, tmp_path):
    (tmp_path / "secret.txt").write_text("not for anyone")
    response = get(URL + "?name=../../secret.txt&file=../secret.txt")
    assert body(response) == DATA  # query parameters choose nothing
    for url in ("/academy/cloud-101/..%2F..%2Fsecret.txt/video", "/academy/cloud-101/what-is-cloud/video/..%2F.."):
        assert get(url).status_code == 404
    Lesson.objects.filter(pk=uploaded.video.pk).update(video_file="../secret.txt")  # even a bad row
    response = get()
    # A local directory refuses the name (400); in a bucket ".." cannot leave the bucket, so the
    # name is just one the bucket does not have (404). Either way the file is not served.
    assert response.status_code in (400, 404) and b"not for anyone" not in response.content


def test_the_lesson_page_plays_an_upload_or_a_link(uploaded):
    page = get(f"/academy/cloud-101/{uploaded.video.slug}/").content.decode()
    assert f'src="{URL}"' in page and "captions.vtt" in page
    Lesson.objects.filter(pk=uploaded.video.pk).update(video_url="https://cdn.example.org/lecture.m3u8")
    page = get(f"/academy/cloud-101/{uploaded.video.slug}/").content.decode()
    assert 'src="https://cdn.example.org/lecture.m3u8"' in page and URL not in page  # a link wins
    Lesson.objects.filter(pk=uploaded.video.pk).update(video_url="", video_file="")
    page = get(f"/academy/cloud-101/{uploaded.video.slug}/").content.decode()
    assert "<video" not in page and "not available offline" in page


def test_demo_mp4_is_a_playable_deterministic_lecture():
    import av

    content = video.demo_mp4(title="Cloud Computing Fundamentals", seconds=3)
    assert content[4:8] == b"ftyp"
    assert 10_000 < len(content) < 500_000
    assert content.index(b"moov") < content.index(b"mdat")  # the index first: playback starts at once
    with av.open(io.BytesIO(content)) as container:
        picture = container.streams.video[0]
        assert (picture.codec_context.name, picture.width, picture.height) == ("vp9", 640, 360)
        assert container.streams.audio[0].codec_context.name == "opus"
        assert container.duration / av.time_base == pytest.approx(3, abs=0.1)
        assert sum(1 for _ in container.decode(video=0)) == 3 * video.FPS
    assert video.demo_mp4(title="Cloud Computing Fundamentals", seconds=3) == content


def test_demo_captions_match_the_lecture():
    captions = video.demo_captions(title="Machine Learning Foundations", seconds=12)
    assert captions.startswith("WEBVTT\n\n00:00:00.000 --> 00:00:04.000\nWelcome to Machine Learning Foundations.")
    assert captions.endswith("00:00:08.000 --> 00:00:12.000\nNext, read the notes, try the lab and take the quiz.\n")
    assert captions.count(" --> ") == 3


SLIDES = (("Regions and zones", ("A region holds zones", "Zones fail independently"), "Use two zones."),
          ("Service models", ("IaaS", "PaaS", "SaaS"), "Three models."))


@pytest.fixture
def demo_videos():
    """The demo's per-process cache of encoded lectures, empty before and after (these tests swap the encoder)."""
    demo._lecture_mp4.cache_clear()
    yield
    demo._lecture_mp4.cache_clear()


def test_the_demo_gives_every_video_lesson_a_generated_lecture(academy, monkeypatch, demo_videos):
    made = []
    monkeypatch.setattr(video, "demo_mp4", lambda **spec: made.append(spec) or DATA)
    demo._videos([(academy.video, SLIDES)])
    lesson = Lesson.objects.get(pk=academy.video.pk)
    assert lesson.video_file == "academy/videos/demo/cloud-101/what-is-cloud.mp4"
    assert made == [{"title": "Basics", "subtitle": "Cloud Computing Fundamentals", "slides": SLIDES, "seconds": 60}]
    assert lesson.captions_vtt.startswith("WEBVTT\n\n00:00:00.000 --> 00:00:06.000\nWelcome to this short lecture: Basics.")
    assert lesson.captions_vtt.endswith("00:00:33.000 --> 00:01:00.000\nThree models.\n")
    demo._videos([(academy.video, SLIDES)])  # a file from an earlier demo is replaced, not renamed around
    assert len(made) == 1  # the same lecture is encoded once per process
    assert Lesson.objects.get(pk=academy.video.pk).video_file == "academy/videos/demo/cloud-101/what-is-cloud.mp4"
    with default_storage.open("academy/videos/demo/cloud-101/what-is-cloud.mp4") as stored:
        assert stored.read() == DATA
    assert not Lesson.objects.filter(kind=LessonKind.READING).exclude(video_file="").exists()


def test_without_an_encoder_the_demo_says_so_once_and_goes_on(academy, monkeypatch, caplog, demo_videos):
    def unavailable(**_):
        raise video.VideoEncoderUnavailable("no VP9 encoder")

    monkeypatch.setattr(video, "demo_mp4", unavailable)
    with caplog.at_level(logging.WARNING, logger="forward.academy.demo"):
        demo._videos([(academy.video, SLIDES), (academy.video, SLIDES)])
    assert [r.getMessage() for r in caplog.records] == [
        "Demo lesson videos skipped (they show as not available offline): no VP9 encoder"]
    assert Lesson.objects.get(pk=academy.video.pk).video_file == ""


@pytest.mark.parametrize("url, ok", [("https://cdn.example.org/a.mp4", True), ("/media/a.mp4", True),
                                     ("http://cdn.example.org/a.mp4", False), ("javascript:alert(1)", False)])
def test_a_video_address_is_one_the_content_security_policy_lets_play(url, ok):
    from forward.academy.forms import LessonForm

    form = LessonForm(data={"title": "Intro", "kind": "video", "minutes": 5, "video_url": url})
    form.is_valid()
    assert ("video_url" not in form.errors) is ok
