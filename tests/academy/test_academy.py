from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from forward.academy import selectors, services
from forward.academy.models import Course, CourseStatus, Enrolment, LessonProgress
from forward.core.services import api_token_create
from tests.conftest import client_for


def test_anyone_browses_watches_and_reads_without_an_account(academy):
    client = client_for(None)
    assert "Cloud Computing Fundamentals" in client.get("/academy/").content.decode()
    assert client.get("/academy/cloud-101/").status_code == 200
    video = client.get("/academy/cloud-101/what-is-cloud/").content.decode()
    assert 'src="/static/demo.mp4"' in video and "captions.vtt" in video
    captions = client.get("/academy/cloud-101/what-is-cloud/captions.vtt")
    assert captions["Content-Type"].startswith("text/vtt") and b"Hello" in captions.content
    reading = client.get("/academy/cloud-101/notes/").content.decode()
    assert "<strong>Bold</strong>" in reading and "<script>x()" not in reading


def test_draft_courses_are_not_public(academy):
    Course.objects.filter(pk=academy.course.pk).update(status=CourseStatus.DRAFT)
    assert client_for(None).get("/academy/cloud-101/").status_code == 404
    assert "Cloud Computing" not in client_for(None).get("/academy/").content.decode()


def test_catalogue_search_and_filters(academy):
    client = client_for(None)
    assert "Cloud Computing" in client.get("/academy/?q=linux").content.decode()
    assert "Cloud Computing" not in client.get("/academy/?q=painting").content.decode()
    assert "Cloud Computing" in client.get("/academy/?country=sg").content.decode()
    assert "Cloud Computing" not in client.get("/academy/?level=advanced").content.decode()


def test_catalogue_queries_do_not_grow_with_courses(academy, django_assert_num_queries):
    client = client_for(None)
    client.get("/academy/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/academy/")
    Course.objects.bulk_create([Course(slug=f"c-{i}", title=f"Course {i}", owner=academy.university,
                                       status=CourseStatus.PUBLISHED) for i in range(30)])
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/academy/")


def test_university_runs_are_for_their_students(academy):
    with pytest.raises(ValidationError, match="NTU"):
        services.enrol(user=academy.outsider, run=academy.uni_run)
    services.enrol(user=academy.outsider, run=academy.open_run)
    first = services.enrol(user=academy.student, run=academy.uni_run)
    assert services.enrol(user=academy.student, run=academy.uni_run).pk == first.pk  # double click


def test_a_course_page_offers_the_runs_one_may_join(academy):
    assert "NTU S1" in client_for(academy.student).get("/academy/cloud-101/").content.decode()
    html = client_for(academy.outsider).get("/academy/cloud-101/").content.decode()
    assert "NTU S1" not in html and "Open 2026" in html


def test_closed_enrolment_is_refused(academy):
    academy.open_run.enrolment_ends = timezone.now() - timedelta(days=1)
    academy.open_run.save()
    with pytest.raises(ValidationError, match="closed"):
        services.enrol(user=academy.student, run=academy.open_run)


def event(lesson, position, completed=False, seconds=0):
    return services.ProgressEvent(lesson_id=lesson.pk, position=position, completed=completed,
                                  at=timezone.now() + timedelta(seconds=seconds))


def test_progress_events_resume_position_and_count_completion_once(academy):
    enrolment = services.enrol(user=academy.student, run=academy.uni_run)
    batch = [event(academy.video, 30, seconds=1), event(academy.video, 10, seconds=0),
             event(academy.video, 95, completed=True, seconds=2)]
    assert services.progress_apply(user=academy.student, events=batch).applied == 3
    services.progress_apply(user=academy.student, events=batch)  # the same batch again
    row = LessonProgress.objects.get(enrolment=enrolment, lesson=academy.video)
    assert row.position_seconds == 95 and row.completed_at is not None
    enrolment.refresh_from_db()
    assert enrolment.completed_lessons == 1
    assert enrolment.last_lesson == academy.video
    # An older event arriving late does not move the position back.
    services.progress_apply(user=academy.student, events=[event(academy.video, 5, seconds=-60)])
    assert LessonProgress.objects.get(pk=row.pk).position_seconds == 95


def test_progress_for_courses_one_is_not_enrolled_in_is_ignored(academy):
    result = services.progress_apply(user=academy.outsider, events=[event(academy.video, 12)])
    assert result.applied == 0 and "not enrolled" in result.ignored[0]
    assert not LessonProgress.objects.exists()


def test_progress_api_batches_events(client, academy):
    services.enrol(user=academy.student, run=academy.open_run)
    _token, raw = api_token_create(user=academy.student, name="player")
    body = {"events": [{"lesson": academy.video.pk, "position": 42.5, "at": timezone.now().isoformat()},
                       {"lesson": academy.reading.pk, "completed": True, "at": timezone.now().isoformat()},
                       {"lesson": 999999, "at": timezone.now().isoformat()}]}
    response = client.post("/api/v1/academy/progress", body, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json()["applied"] == 2
    assert client.post("/api/v1/academy/progress", body, content_type="application/json").status_code == 401
    html = client_for(academy.student).get("/academy/cloud-101/what-is-cloud/").content.decode()
    assert 'data-position="42.5"' in html


def test_dashboard_shows_completion_and_where_to_continue(academy):
    services.enrol(user=academy.student, run=academy.uni_run)
    services.progress_apply(user=academy.student, events=[event(academy.reading, 0, completed=True)])
    rows = selectors.learner_dashboard(user=academy.student)
    assert rows[0]["percent"] == 50
    html = client_for(academy.student).get("/academy/my/").content.decode()
    assert "50% done" in html and "Continue where you left off" in html
    assert Enrolment.objects.count() == 1


def test_marking_a_reading_done_needs_an_enrolment(academy):
    client = client_for(academy.outsider)
    response = client.post("/academy/cloud-101/notes/done/", follow=True)
    assert "Enrol in the course" in response.content.decode()
    services.enrol(user=academy.outsider, run=academy.open_run)
    client.post("/academy/cloud-101/notes/done/")
    assert LessonProgress.objects.get(lesson=academy.reading).completed_at is not None
