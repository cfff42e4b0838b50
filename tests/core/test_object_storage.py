"""Files in object storage (a real SeaweedFS): every download goes through a view that checks
permission, then streams the object or redirects to a short-lived presigned URL; video seeks with
ranged reads; workers copy what they score into bounded temporary files."""

from __future__ import annotations

import io
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from forward.academy.models import CourseStatus, LabSubmissionStatus, Lesson
from forward.competitions import services as competition_services
from forward.competitions import submissions
from forward.competitions.models import Competition, Submission, SubmissionStatus
from forward.core import faces, storage
from forward.talent import profiles
from forward.talent.models import Visibility
from forward.ventures import startups
from forward.ventures.models import DeckShare
from tests.academy import conftest as academy_conftest
from tests.academy import test_labs
from tests.competitions import conftest as competition_conftest
from tests.competitions.conftest import predictions_csv, solution_csv, upload
from tests.conftest import client_for
from tests.talent import conftest as talent_conftest
from tests.ventures import cohorts_world
from tests.ventures import conftest as ventures_conftest

# The fixtures that build each area's people and objects, reused as they are.
world, team, cache = competition_conftest.world, competition_conftest.team, competition_conftest.cache
academy, lab, roles = academy_conftest.academy, test_labs.lab, test_labs.roles
talent = talent_conftest.talent
ventures, cw = ventures_conftest.ventures, cohorts_world.cw

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
VIDEO = bytes(range(256)) * 40  # 10,240 bytes, each position's value known
VIDEO_URL = "/academy/cloud-101/what-is-cloud/video"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def fetch(url: str, **headers) -> tuple[int, dict, bytes]:
    """GET ``url`` as a browser following a redirect would, straight from the store."""
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - the test's own server
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def keys(s3_storage) -> list[str]:
    listing = s3_storage.bucket.meta.client.list_objects_v2(Bucket=s3_storage.bucket_name)
    return [item["Key"] for item in listing.get("Contents", [])]


@pytest.fixture
def redirect_mode(settings):
    settings.FORWARD_STORAGE_REDIRECT = True
    settings.FORWARD_STORAGE_PRESIGN_SECONDS = 120


def presigned(response, s3_server, settings) -> str:
    """The presigned URL a download redirected to, after checking it points at the store and expires soon."""
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    location = response["Location"]
    assert location.startswith(s3_server.endpoint + "/")
    query = parse_qs(urlsplit(location).query)
    assert "X-Amz-Signature" in query
    assert 0 < int(query["X-Amz-Expires"][0]) <= settings.FORWARD_STORAGE_PRESIGN_SECONDS
    return location


def unsigned(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


# --- Competitions: data files and the hidden solution --------------------------------------------


def test_data_files_and_the_solution_stream_from_the_bucket_to_those_allowed(s3_storage, world, team):
    datafile = competition_services.datafile_upload(actor=world.host_user, phase=world.phase,
                                                    upload=upload(b"id,x\n1,2\n", "train.csv"))
    assert datafile.file in keys(s3_storage) and world.phase.solution_file in keys(s3_storage)
    url = f"/competitions/{world.competition.slug}/data/{datafile.pk}/download/"
    assert client_for(None).get(url).status_code == 302  # sign in first
    assert client_for(world.carol).get(url).status_code == 403  # has not accepted the rules
    response = client_for(world.alice).get(url)
    assert response.status_code == 200 and response.streaming
    assert body(response) == b"id,x\n1,2\n"
    assert response["Content-Length"] == "9"
    assert response["Content-Disposition"] == 'attachment; filename="train.csv"'
    assert response["Cache-Control"] == "private, no-store"

    solution = f"/competitions/{world.competition.slug}/host/solution/1/download/"
    for person in (None, world.alice, world.outsider, world.other_host):
        assert client_for(person).get(solution).status_code == 404
    response = client_for(world.host_member).get(solution)
    assert response.status_code == 200 and body(response) == solution_csv()
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Length"] == str(len(solution_csv()))


def test_in_redirect_mode_only_a_host_member_is_given_a_url_for_the_solution(
        s3_storage, s3_server, world, team, redirect_mode, settings):
    solution = f"/competitions/{world.competition.slug}/host/solution/1/download/"
    for person in (None, world.alice, world.bob, world.outsider, world.other_host):
        response = client_for(person).get(solution)
        assert response.status_code == 404 and "Location" not in response
    location = presigned(client_for(world.host_member).get(solution), s3_server, settings)
    status, headers, data = fetch(location)
    assert status == 200 and data == solution_csv()
    assert headers["Content-Disposition"] == f'attachment; filename="{world.competition.slug}-round1-solution.csv"'
    # Nothing is public: the same object without the signature is refused.
    status, _headers, data = fetch(unsigned(location))
    assert status == 403 and b"Usage" not in data


def test_in_redirect_mode_a_data_file_redirects_after_the_rules_check(s3_storage, s3_server, world, team,
                                                                      redirect_mode, settings):
    datafile = competition_services.datafile_upload(actor=world.host_user, phase=world.phase,
                                                    upload=upload(b"id,x\n1,2\n", "train.csv"))
    url = f"/competitions/{world.competition.slug}/data/{datafile.pk}/download/"
    assert client_for(world.carol).get(url).status_code == 403
    status, _headers, data = fetch(presigned(client_for(world.alice).get(url), s3_server, settings))
    assert status == 200 and data == b"id,x\n1,2\n"


def test_a_user_typed_filename_is_encoded_in_the_stream_and_in_the_presigned_url(s3_storage, s3_server, settings):
    name = s3_storage.save("private/test/report.csv", ContentFile(b"a,b\n"))
    filename = 'naïve "plan"\r\nX-Evil: 1.csv'
    request = RequestFactory().get("/")
    streamed = storage.download_response(request, name, filename=filename)
    expected = "attachment; filename*=utf-8''na%C3%AFve%20%22plan%22%0D%0AX-Evil%3A%201.csv"
    assert streamed["Content-Disposition"] == expected and body(streamed) == b"a,b\n"
    settings.FORWARD_STORAGE_REDIRECT = True
    status, headers, data = fetch(storage.download_response(request, name, filename=filename)["Location"])
    assert status == 200 and data == b"a,b\n"
    assert headers["Content-Disposition"] == expected and "X-Evil" not in headers


def test_a_missing_object_is_404_streamed_or_redirected(s3_storage, settings):
    request = RequestFactory().get("/")
    from django.http import Http404

    for redirect in (False, True):
        settings.FORWARD_STORAGE_REDIRECT = redirect
        with pytest.raises(Http404):
            storage.download_response(request, "private/nothing-here.csv", filename="x.csv")


# --- Workers: scoring from the bucket, bounded copies, the solution cache --------------------------


def test_submissions_in_the_bucket_are_scored_and_the_solution_is_read_once(s3_storage, world, team, cache):
    first = submissions.submission_create(user=world.alice, phase=world.phase, upload=upload(predictions_csv()))
    second = submissions.submission_create(user=world.bob, phase=world.phase, upload=upload(predictions_csv()))
    for submission in (first, second):
        submission.refresh_from_db()
        assert submission.status == SubmissionStatus.SCORED, submission.error
        assert submission.public_score == pytest.approx(1.0)
        assert submission.file in keys(s3_storage)
    assert cache.loads == 1  # the second submission found the round's solution in the worker's cache


def test_a_stored_submission_over_the_limit_fails_clearly_and_the_next_one_scores(s3_storage, world, team, cache):
    Competition.objects.filter(pk=world.competition.pk).update(max_submission_mb=1)
    # The row records what was accepted (60 KB); the object in the bucket is 1.4 MB (replaced behind the
    # platform's back): the worker does not copy more than the limit or the accepted size allows.
    big = b"id,target\n" + b"1,0.5\n" * 250_000
    name = s3_storage.save("competitions/test/big.csv", ContentFile(big))
    row = Submission.objects.create(phase=world.phase, team=team, submitted_by=world.alice, file=name,
                                    original_name="big.csv", size=60_000)
    assert submissions.submission_score(submission_id=row.pk) == SubmissionStatus.FAILED
    row.refresh_from_db()
    assert row.error == "The file is 1.4 MB; this competition accepts up to 1 MB."
    assert not row.counts_against_limit
    following = submissions.submission_create(user=world.alice, phase=world.phase, upload=upload(predictions_csv()))
    following.refresh_from_db()
    assert following.status == SubmissionStatus.SCORED and following.public_score == pytest.approx(1.0)


def test_a_file_accepted_before_the_limit_was_lowered_is_still_read(s3_storage, world, team, cache):
    Competition.objects.filter(pk=world.competition.pk).update(max_submission_mb=1)
    rows = "".join(f"{i},0.5\n" for i in range(200_000))  # 1.4 MB, accepted when the limit was higher
    content = ("id,target\n" + rows).encode()
    name = s3_storage.save("competitions/test/accepted.csv", ContentFile(content))
    row = Submission.objects.create(phase=world.phase, team=team, submitted_by=world.alice, file=name,
                                    original_name="accepted.csv", size=len(content))
    submissions.submission_score(submission_id=row.pk)
    row.refresh_from_db()
    assert "accepts up to" not in row.error  # read and judged on its content (its ids are not the round's)
    assert row.error



def test_local_path_refuses_an_object_over_the_bound_before_copying(s3_storage):
    name = s3_storage.save("private/test/data.csv", ContentFile(b"x" * 2000))
    with pytest.raises(storage.StoredFileTooLarge) as refused, storage.local_path(name, max_bytes=1000):
        pass
    assert "2000 bytes" in str(refused.value) and "1000 bytes" in str(refused.value)
    with storage.local_path(name, max_bytes=2000) as path:
        assert path.read_bytes() == b"x" * 2000
        copy = path
    assert not copy.exists()  # the temporary copy is gone afterwards
    with pytest.raises(FileNotFoundError), storage.local_path("private/test/missing.csv"):
        pass


# --- Academy: lab data and lab scoring --------------------------------------------------------------


def test_lab_data_streams_from_the_bucket_and_a_drafts_data_only_to_its_team(s3_storage, academy, lab, roles):
    url = reverse("academy:lab_data", args=[academy.course.slug, lab.lesson.slug, "train"])
    assert lab.train_file in keys(s3_storage) and lab.key_file in keys(s3_storage)
    response = client_for(None).get(url)
    assert response.status_code == 200 and body(response).startswith(b"trip_id,km,fare\n")
    assert response["Content-Disposition"] == 'attachment; filename="fares-lab-train.csv"'
    academy.course.status = CourseStatus.DRAFT
    academy.course.save()
    for role in ("anonymous", "learner", "other_admin", "unverified_admin"):
        assert client_for(getattr(roles, role)).get(url).status_code == 404, role
    assert client_for(roles.course_admin).get(url).status_code == 200


def test_a_lab_submission_in_the_bucket_is_scored_and_an_oversized_one_fails_clearly(s3_storage, academy, lab):
    scored = test_labs.submit(lab, academy.student, test_labs.fares(test_labs.FARES))
    assert scored.status == LabSubmissionStatus.SCORED and scored.passed
    lab.max_submission_mb = 1
    lab.save()
    big = s3_storage.save("academy/test/big.csv", ContentFile(b"trip_id,fare\n" + b"1,5.0\n" * 250_000))
    from forward.academy import labs
    from forward.academy.models import LabSubmission

    row = LabSubmission.objects.create(lab=lab, user=academy.student, enrolment=scored.enrolment, file=big)
    assert labs.lab_submission_score(submission_id=row.pk) == LabSubmissionStatus.FAILED
    row.refresh_from_db()
    assert row.error == "The file is 1.4 MB; this lab accepts up to 1 MB."


# --- Talent and ventures: CVs, application files, decks ---------------------------------------------


def test_a_cv_streams_from_the_bucket_only_to_those_who_may_see_the_profile(s3_storage, talent):
    profiles.cv_upload(user=talent.student, upload=SimpleUploadedFile("cv.pdf", PDF))
    profile = profiles.set_visibility(user=talent.student, visibility=Visibility.PARTNERS)
    assert profile.cv.name in keys(s3_storage)
    url = f"/talent/people/{profile.pk}/cv.pdf"
    for person in (talent.student, talent.employer_admin):
        response = client_for(person).get(url)
        assert response.status_code == 200 and body(response) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment")
    for person in (None, talent.outsider, talent.unverified_admin, talent.other_uni_admin):
        assert client_for(person).get(url).status_code == 404


def test_an_application_file_streams_from_the_bucket_to_the_startup_staff_and_judges(s3_storage, cw):
    url = f"/ventures/applications/{cw.application.pk}/files/{cw.q_file.pk}/"
    for role in ("founder", "centre_staff", "judge"):
        response = client_for(cw.actor(role)).get(url)
        assert response.status_code == 200, role
        assert body(response).startswith(b"%PDF-") and response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
    assert client_for(None).get(url).status_code == 302
    for role in ("outsider", "other_founder", "investor", "employer_admin"):
        assert client_for(cw.actor(role)).get(url).status_code == 404, role


def test_a_deck_is_shown_inline_from_the_bucket_only_to_those_it_was_shared_with(s3_storage, ventures):
    w = ventures
    startups.deck_upload(actor=w.founder, startup=w.startup, upload=SimpleUploadedFile("d.pdf", PDF))
    DeckShare.objects.create(startup=w.startup, investor=w.fund_investor)
    url = f"/ventures/startups/{w.startup_org.pk}/deck/"
    for role in ("founder", "investor"):
        response = client_for(w.actor(role)).get(url)
        assert response.status_code == 200 and body(response) == PDF, role
        assert response["Content-Disposition"].startswith("inline")
    for role in ("anonymous", "outsider", "other_investor", "other_founder"):
        person = None if role == "anonymous" else w.actor(role)
        assert client_for(person).get(url).status_code == 404, role


def test_an_uploaded_picture_is_served_from_the_bucket_even_in_redirect_mode(s3_storage, people, redirect_mode):
    png = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (400, 300), "teal").save(png, format="PNG")
    client_for(people.admin).post(reverse("core:organization_logo", kwargs={"slug": people.org.slug}),
                                  {"picture": SimpleUploadedFile("logo.png", png.getvalue(), "image/png")})
    people.org.refresh_from_db()
    face = faces.face(people.org, 64)
    response = client_for(None).get(face.url)
    assert response.status_code == 200 and response["Content-Type"] == "image/webp"
    assert Image.open(io.BytesIO(response.content)).size == (64, 64)
    assert client_for(None).get(face.url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


# --- Video: ranged reads from the bucket ------------------------------------------------------------


@pytest.fixture
def video(s3_storage, academy):
    name = s3_storage.save("academy/videos/cloud-101/lecture.mp4", ContentFile(VIDEO))
    Lesson.objects.filter(pk=academy.video.pk).update(video_url="", video_file=name)
    return name


def test_a_video_streams_whole_from_the_bucket(video):
    response = client_for(None).get(VIDEO_URL)
    assert response.status_code == 200 and body(response) == VIDEO
    assert response["Content-Length"] == str(len(VIDEO)) and response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/mp4" and response["ETag"].startswith('"')


@pytest.mark.parametrize(("header", "first", "last"), [
    ("bytes=0-99", 0, 99), ("bytes=5000-5099", 5000, 5099), ("bytes=-100", 10140, 10239),
    ("bytes=10000-", 10000, 10239), ("bytes=10200-99999", 10200, 10239)])
def test_a_video_range_fetches_exactly_those_bytes(video, header, first, last):
    response = client_for(None).get(VIDEO_URL, HTTP_RANGE=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/{len(VIDEO)}"
    assert response["Content-Length"] == str(last - first + 1)
    assert body(response) == VIDEO[first:last + 1]


def test_a_video_range_past_the_end_and_conditional_requests(video):
    client = client_for(None)
    refused = client.get(VIDEO_URL, HTTP_RANGE="bytes=10240-")
    assert refused.status_code == 416 and refused["Content-Range"] == f"bytes */{len(VIDEO)}"
    etag = client.get(VIDEO_URL)["ETag"]
    assert client.get(VIDEO_URL, HTTP_IF_NONE_MATCH=etag).status_code == 304
    matching = client.get(VIDEO_URL, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=etag)
    assert matching.status_code == 206 and body(matching) == VIDEO[:10]
    stale = client.get(VIDEO_URL, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"an-older-copy"')
    assert stale.status_code == 200 and body(stale) == VIDEO


def test_a_draft_courses_video_in_the_bucket_is_still_refused_to_outsiders(video, academy):
    academy.course.status = CourseStatus.DRAFT
    academy.course.save()
    for person in (None, academy.student, academy.outsider):
        assert client_for(person).get(VIDEO_URL).status_code == 404
    response = client_for(academy.admin).get(VIDEO_URL, HTTP_RANGE="bytes=0-9")
    assert response.status_code == 206 and body(response) == VIDEO[:10]
    assert response["Cache-Control"] == "private, no-cache"


def test_in_redirect_mode_a_video_redirects_and_the_store_serves_ranges(video, s3_server, redirect_mode, settings,
                                                                       academy):
    location = presigned(client_for(None).get(VIDEO_URL), s3_server, settings)
    status, headers, data = fetch(location, Range="bytes=-100")
    assert status == 206 and data == VIDEO[-100:] and headers["Content-Type"] == "video/mp4"
    status, _headers, data = fetch(location)
    assert status == 200 and data == VIDEO
    assert fetch(unsigned(location))[0] == 403
    # The pages let the player load media from the store's origin (plain http here), and only in this mode.
    policy = client_for(None).get("/")["Content-Security-Policy"]
    media = next(part for part in policy.split("; ") if part.startswith("media-src"))
    assert s3_server.endpoint in media.split()
    assert s3_server.endpoint not in next(part for part in policy.split("; ") if part.startswith("img-src"))
    settings.FORWARD_STORAGE_REDIRECT = False
    assert s3_server.endpoint not in client_for(None).get("/")["Content-Security-Policy"]
    academy.course.status = CourseStatus.DRAFT
    academy.course.save()
    settings.FORWARD_STORAGE_REDIRECT = True
    assert client_for(academy.outsider).get(VIDEO_URL).status_code == 404  # no URL for a draft's outsiders


def test_read_range_fetches_a_prefix_and_an_empty_object_gives_no_bytes(s3_storage):
    name = s3_storage.save("private/test/answers.csv", ContentFile(b"q1,a\n" * 1000))
    chunks = storage.read_range(name, 0, 9)
    assert chunks.length == 10 and b"".join(chunks) == b"q1,a\nq1,a\n"
    chunks.close()
    empty = s3_storage.save("private/test/empty.csv", ContentFile(b""))
    assert b"".join(storage.read_range(empty, 0, 99)) == b""
    with pytest.raises(FileNotFoundError):
        storage.read_range("private/test/missing.csv", 0, 9)
