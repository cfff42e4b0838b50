"""The studio: a course team builds, previews and publishes a course; nobody else sees a draft."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from forward.academy import authoring
from forward.academy.models import (
    Assessment,
    AssessmentKind,
    Attempt,
    Course,
    CourseStatus,
    Enrolment,
    Lesson,
    LessonKind,
    Module,
    Question,
    QuestionKind,
)
from forward.core.models import Membership, OrganizationKind, Role
from tests.conftest import client_for, make_organization, make_user

MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 64


class Studio:
    pass


@pytest.fixture
def studio(db) -> Studio:
    s = Studio()
    s.owner_admin = make_user("admin@cloud.test", "Cloud Admin")
    s.engineer = make_user("eng@cloud.test", "Eng Ineer")  # staff of the employer: may create courses
    s.colleague = make_user("colleague@cloud.test", "Col League")  # staff too, not on this course's team
    s.student = make_user("student@uni.test", "Stu Dent")
    s.uni_admin = make_user("admin@uni.test", "Uni Admin")
    s.other_admin = make_user("admin@other.test", "Other Admin")
    s.cloud = make_organization(creator=s.owner_admin, name="Cloud Co", kind=OrganizationKind.EMPLOYER, country="CN")
    Membership.objects.create(user=s.engineer, organization=s.cloud, role=Role.STAFF)
    Membership.objects.create(user=s.colleague, organization=s.cloud, role=Role.STAFF)
    s.uni = make_organization(creator=s.uni_admin, name="Uni", kind=OrganizationKind.UNIVERSITY, country="SG")
    Membership.objects.create(user=s.student, organization=s.uni, role=Role.MEMBER)
    s.other = make_organization(creator=s.other_admin, name="Other", kind=OrganizationKind.EMPLOYER, country="MY")
    return s


def _create(client, owner, title="Serverless in Practice", **extra):
    data = {"owner": owner.pk, "title": title, "slug": "", "summary": "Functions, events, queues.",
            "level": "intermediate", "language": "en", "estimated_hours": 12, "credit_units": "1.5",
            "new_skills": "Serverless, Event-driven design", "grading_policy": "", **extra}
    return client.post(reverse("academy:studio_new"), data)


def _lesson(client, course, module, kind, title, **extra):
    data = {"title": title, "slug": "", "kind": kind, "minutes": 10, "video_url": "", "captions_vtt": "",
            "transcript": "", "body": "", "lab_url": "", **extra}
    return client.post(reverse("academy:studio_lesson_new", args=[course.slug, module.pk]), data)


def _question(client, course, lesson, **fields):
    data = {"kind": "single", "prompt": "Q?", "options": "", "correct": "", "tolerance": "", "pattern": "",
            "points": 1, "explanation": "", **fields}
    return client.post(reverse("academy:studio_question_new", args=[course.slug, lesson.pk]), data)


def test_an_engineer_builds_previews_and_publishes_a_course(studio, client, settings, tmp_path):
    client = client_for(studio.engineer)
    response = _create(client, studio.cloud)
    course = Course.objects.get(title="Serverless in Practice")
    assert response.status_code == 302 and response.url == reverse("academy:studio_course", args=[course.slug])
    assert course.status == CourseStatus.DRAFT and course.slug == "serverless-in-practice"
    assert list(course.authors.all()) == [studio.engineer]
    assert sorted(s.name for s in course.skills.all()) == ["Event-driven design", "Serverless"]

    # Nothing to publish yet: the studio says what is missing.
    page = client.get(reverse("academy:studio_course", args=[course.slug]))
    assert "Add at least one lesson." in page.content.decode()
    client.post(reverse("academy:studio_module_add", args=[course.slug]), {"title": "Functions"})
    module = Module.objects.get(course=course)
    video = SimpleUploadedFile("intro.mp4", MP4, content_type="video/mp4")
    response = _lesson(client, course, module, "video", "What a function is", video=video,
                       captions_vtt="WEBVTT\n\n00:00.000 --> 00:02.000\nHello\n", transcript="Hello.")
    assert response.status_code == 302
    lesson = Lesson.objects.get(course=course, slug="what-a-function-is")
    assert lesson.video_file.startswith(f"academy/videos/{course.slug}/") and lesson.video_file.endswith(".mp4")
    with default_storage.open(lesson.video_file) as stored:
        assert stored.read() == MP4
    response = _lesson(client, course, module, "quiz", "Check yourself")
    quiz = Lesson.objects.get(course=course, slug="check-yourself")
    assert response.url == reverse("academy:studio_lesson", args=[course.slug, quiz.pk])
    response = client.post(reverse("academy:studio_publish", args=[course.slug]), {"action": "publish"}, follow=True)
    assert "“Check yourself” is a quiz without questions." in response.content.decode()
    assert Course.objects.get(pk=course.pk).status == CourseStatus.DRAFT

    assert _question(client, course, quiz, kind="single", prompt="Which runs on an event?",
                     options="A function\nA mainframe\nA fax", correct="1").status_code == 302
    _question(client, course, quiz, kind="multiple", prompt="Which are triggers?",
              options="HTTP request\nQueue message\nA mood", correct="1, 2")
    _question(client, course, quiz, kind="numeric", prompt="Max minutes per call?", correct="15", tolerance="0.5")
    _question(client, course, quiz, kind="text", prompt="Name the pattern", correct="fan-out\nfan out")
    questions = list(Question.objects.filter(assessment__lesson=quiz).order_by("order"))
    assert [(q.kind, q.options, q.correct) for q in questions] == [
        ("single", ["A function", "A mainframe", "A fax"], [0]),
        ("multiple", ["HTTP request", "Queue message", "A mood"], [0, 1]),
        ("numeric", [], [15]), ("text", [], ["fan-out", "fan out"])]
    assert questions[2].tolerance == 0.5

    # Preview as a learner: only the team sees the draft.
    preview = client.get(reverse("academy:lesson", args=[course.slug, lesson.slug]))
    assert preview.status_code == 200 and 'data-testid="preview"' in preview.content.decode()
    assert client_for(None).get(reverse("academy:course", args=[course.slug])).status_code == 404
    assert client_for(studio.student).get(reverse("academy:lesson", args=[course.slug, lesson.slug])).status_code == 404

    response = client.post(reverse("academy:studio_publish", args=[course.slug]), {"action": "publish"})
    course.refresh_from_db()
    assert course.status == CourseStatus.PUBLISHED and course.published_at is not None
    public = client_for(None).get(reverse("academy:catalogue"), {"q": "Serverless"})
    assert "Serverless in Practice" in public.content.decode()
    page = client_for(None).get(reverse("academy:course", args=[course.slug]))
    assert page.status_code == 200 and 'data-testid="preview"' not in page.content.decode()


@pytest.fixture
def course(studio) -> Course:
    course = Course.objects.create(slug="draft-course", title="Draft course", owner=studio.cloud)
    course.authors.add(studio.engineer)
    m1 = Module.objects.create(course=course, order=0, title="One")
    m2 = Module.objects.create(course=course, order=1, title="Two")
    for module, slugs in ((m1, ["a", "b"]), (m2, ["c"])):
        for i, slug in enumerate(slugs):
            Lesson.objects.create(module=module, course=course, order=i, slug=slug, title=slug.upper(),
                                  kind=LessonKind.READING, body="Text")
    return course


@pytest.fixture
def academy_run_for():
    from datetime import timedelta

    from django.utils import timezone

    from forward.academy.models import CourseRun

    def make(course):
        now = timezone.now()
        return CourseRun.objects.create(course=course, cohort="Open", enrolment_ends=now + timedelta(days=5),
                                        starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=30))
    return make


@pytest.mark.parametrize("who, status", [
    ("anonymous", 302), ("student", 404), ("uni_admin", 404), ("other_admin", 404), ("colleague", 404),
    ("engineer", 200), ("owner_admin", 200)])
def test_only_the_course_team_and_the_owners_admins_reach_the_studio(studio, course, who, status):
    client = client_for(None if who == "anonymous" else getattr(studio, who))
    lesson = Lesson.objects.get(course=course, slug="a")
    for url in (reverse("academy:studio_course", args=[course.slug]),
                reverse("academy:studio_edit", args=[course.slug]),
                reverse("academy:studio_lesson", args=[course.slug, lesson.pk])):
        assert client.get(url).status_code == status, url
    preview = client.get(reverse("academy:course", args=[course.slug]))
    assert preview.status_code == (200 if status == 200 else 404)
    # Writes are refused the same way, and change nothing.
    client.post(reverse("academy:studio_publish", args=[course.slug]), {"action": "publish"})
    client.post(reverse("academy:studio_lesson_action", args=[course.slug, lesson.pk]), {"action": "delete"})
    client.post(reverse("academy:studio_team", args=[course.slug]), {"action": "add", "email": "admin@other.test"})
    course.refresh_from_db()
    if status != 200:
        assert course.status == CourseStatus.DRAFT
        assert Lesson.objects.filter(pk=lesson.pk).exists()
        assert not course.authors.filter(email="admin@other.test").exists()


def test_who_may_start_a_course(studio, client):
    # A university's student is not its teaching staff: no course in its name.
    response = client_for(studio.student).get(reverse("academy:studio_new"))
    assert response.status_code == 302
    form = client_for(studio.engineer).get(reverse("academy:studio_new")).content.decode()
    assert "Cloud Co" in form and "Uni" not in form.split('name="owner"')[1].split("</select>")[0]
    # An engineer cannot create a course in another organization's name by forging the form.
    response = _create(client_for(studio.engineer), studio.other)
    assert response.status_code == 200 and not Course.objects.exists()
    # The university's admin can.
    _create(client_for(studio.uni_admin), studio.uni, title="Uni course")
    assert Course.objects.get().owner == studio.uni


def test_reordering_moves_lessons_within_and_across_modules(studio, course):
    client = client_for(studio.engineer)
    b = Lesson.objects.get(course=course, slug="b")

    def outline():
        return [[lsn.slug for lsn in m.lessons.order_by("order")] for m in course.modules.order_by("order")]

    client.post(reverse("academy:studio_lesson_action", args=[course.slug, b.pk]), {"action": "up"})
    assert outline() == [["b", "a"], ["c"]]
    client.post(reverse("academy:studio_lesson_action", args=[course.slug, b.pk]), {"action": "down"})
    client.post(reverse("academy:studio_lesson_action", args=[course.slug, b.pk]), {"action": "down"})
    assert outline() == [["a"], ["b", "c"]]
    two = Module.objects.get(course=course, title="Two")
    client.post(reverse("academy:studio_module", args=[course.slug, two.pk]), {"action": "up"})
    assert [m.title for m in course.modules.order_by("order")] == ["Two", "One"]
    # A module with lessons is not deleted by accident.
    response = client.post(reverse("academy:studio_module", args=[course.slug, two.pk]), {"action": "delete"},
                           follow=True)
    assert "Move or delete the module&#x27;s lessons first." in response.content.decode()
    assert Module.objects.filter(pk=two.pk).exists()


def test_a_forged_id_from_another_course_is_not_found(studio, course):
    other = Course.objects.create(slug="other-course", title="Other", owner=studio.other)
    module = Module.objects.create(course=other, title="M")
    foreign = Lesson.objects.create(module=module, course=other, slug="x", title="X", kind=LessonKind.READING)
    client = client_for(studio.engineer)
    assert client.get(reverse("academy:studio_lesson", args=[course.slug, foreign.pk])).status_code == 404
    assert client.post(reverse("academy:studio_lesson_action", args=[course.slug, foreign.pk]),
                       {"action": "delete"}).status_code == 404
    assert client.post(reverse("academy:studio_module", args=[course.slug, module.pk]),
                       {"action": "delete"}).status_code == 404
    assert Lesson.objects.filter(pk=foreign.pk).exists() and Module.objects.filter(pk=module.pk).exists()


def test_bad_input_says_what_to_fix_and_stores_nothing(studio, course):
    client = client_for(studio.engineer)
    module = course.modules.first()
    before = set(default_storage.listdir(f"academy/videos/{course.slug}")[1]) \
        if default_storage.exists(f"academy/videos/{course.slug}") else set()
    fake = SimpleUploadedFile("talk.mp4", b"<html>not a video</html>", content_type="video/mp4")
    response = _lesson(client, course, module, "video", "Fake video", video=fake)
    assert response.status_code == 200
    assert "is not a playable MP4 file" in response.content.decode()
    assert not Lesson.objects.filter(course=course, title="Fake video").exists()
    after = set(default_storage.listdir(f"academy/videos/{course.slug}")[1]) \
        if default_storage.exists(f"academy/videos/{course.slug}") else set()
    assert after == before
    wrong = SimpleUploadedFile("talk.avi", MP4)
    assert "Upload an MP4 or WebM video" in _lesson(client, course, module, "video", "Avi", video=wrong).content.decode()
    # Duplicate lesson slug, captions that are not WebVTT.
    response = _lesson(client, course, module, "reading", "Again", slug="a", body="x")
    assert "Another lesson of this course uses “a”." in response.content.decode()
    response = _lesson(client, course, module, "video", "Captions", captions_vtt="1\n00:00:00,000 --> 00:00:01,000\n")
    assert "Captions must be WebVTT" in response.content.decode()
    # Course form: reserved and taken short names, bad policy JSON.
    response = _create(client, studio.cloud, title="Studio", slug="studio")
    assert "is a page of the academy" in response.content.decode()
    response = _create(client, studio.cloud, title="Copy", slug="draft-course")
    assert "Another course uses “draft-course”." in response.content.decode()
    response = _create(client, studio.cloud, title="Policy", grading_policy="{types: ]")
    assert "This is not valid JSON (line 1" in response.content.decode()
    response = _create(client, studio.cloud, title="Policy", grading_policy='{"types": ' + "[" * 100_000 + "}")
    assert "nested deeper than 64 levels" in response.content.decode()  # was a 500 (RecursionError)
    response = _create(client, studio.cloud, title="Policy", grading_policy='{"cutoffs": {"pass": ' + "9" * 5001 + "}}")
    assert "more than 100 digits" in response.content.decode()  # was a 500 (int-from-string limit)
    response = _create(client, studio.cloud, title="Policy", grading_policy='{"types": [], "cutoffs": {}}')
    assert response.status_code == 200
    assert Course.objects.filter(owner=studio.cloud).count() == 1


def test_question_validation(studio, course):
    client = client_for(studio.engineer)
    module = course.modules.first()
    _lesson(client, course, module, "quiz", "Quiz")
    quiz = Lesson.objects.get(course=course, slug="quiz")
    cases = [
        ({"kind": "single", "options": "Only one"}, "Give at least two options"),
        ({"kind": "single", "options": "A\nB", "correct": "3"}, "Option numbers go from 1 to 2."),
        ({"kind": "single", "options": "A\nB", "correct": "1,2"}, "exactly one right option"),
        ({"kind": "multiple", "options": "A\nB", "correct": "first"}, "Give option numbers such as 1 or 1, 3."),
        ({"kind": "numeric", "correct": "about ten"}, "Give the right answer as a number"),
        ({"kind": "text", "pattern": "([a-z"}, "not a valid regular expression"),
        ({"kind": "text"}, "Give at least one accepted answer, or a pattern."),
    ]
    for fields, message in cases:
        response = _question(client, course, quiz, **fields)
        assert response.status_code == 200 and message in response.content.decode(), fields
    assert not Question.objects.filter(assessment__lesson=quiz).exists()


def test_exam_settings_and_question_editing(studio, course):
    client = client_for(studio.engineer)
    _lesson(client, course, course.modules.first(), "quiz", "Final")
    lesson = Lesson.objects.get(course=course, slug="final")
    url = reverse("academy:studio_assessment", args=[course.slug, lesson.pk])
    base = {"kind": "exam", "title": "Final exam", "attempts_allowed": 1, "questions_per_attempt": 0,
            "shuffle_options": "on", "closes_at": "", "pass_mark": 60, "category": ""}

    def post(**fields):
        return client.post(url, {f"exam-{k}": v for k, v in {**base, **fields}.items()}, follow=True)

    assert "An exam is timed" in post(time_limit_minutes="").content.decode()
    assert "between 0 and 100" in post(time_limit_minutes=45, pass_mark=120).content.decode()
    assert Assessment.objects.get(lesson=lesson).kind == "quiz"
    post(time_limit_minutes=45)
    exam = Assessment.objects.get(lesson=lesson)
    assert (exam.kind, exam.time_limit_minutes, exam.pass_mark, exam.attempts_allowed) == ("exam", 45, 60, 1)
    _question(client, course, lesson, kind="single", prompt="First?", options="x\ny", correct="2")
    _question(client, course, lesson, kind="numeric", prompt="Second?", correct="2")
    first, second = Question.objects.filter(assessment=exam).order_by("order")
    form = client.get(reverse("academy:studio_question", args=[course.slug, first.pk])).content.decode()
    assert "x\ny" in form
    client.post(reverse("academy:studio_question", args=[course.slug, first.pk]),
                {"kind": "single", "prompt": "First, edited?", "options": "x\ny\nz", "correct": "3", "points": 2,
                 "explanation": "z it is"})
    first.refresh_from_db()
    assert (first.prompt, first.options, first.correct, first.points) == ("First, edited?", ["x", "y", "z"], [2], 2)
    client.post(reverse("academy:studio_question_action", args=[course.slug, second.pk]), {"action": "up"})
    assert list(Question.objects.filter(assessment=exam).order_by("order").values_list("pk", flat=True)) == \
        [second.pk, first.pk]


def test_what_learners_depend_on_is_protected(studio, course, academy_run_for):
    client = client_for(studio.engineer)
    _lesson(client, course, course.modules.first(), "quiz", "Quiz")
    quiz = Lesson.objects.get(course=course, slug="quiz")
    _question(client, course, quiz, kind="numeric", prompt="1+1?", correct="2")
    client.post(reverse("academy:studio_publish", args=[course.slug]), {"action": "publish"})
    run = academy_run_for(course)
    Enrolment.objects.create(run=run, user=studio.student)
    Attempt.objects.create(assessment=quiz.assessment, user=studio.student, question_ids=[], score=1, max_score=1)
    response = client.post(reverse("academy:studio_publish", args=[course.slug]), {"action": "unpublish"}, follow=True)
    assert "1 learners are enrolled" in response.content.decode()
    assert Course.objects.get(pk=course.pk).status == CourseStatus.PUBLISHED
    response = client.post(reverse("academy:studio_lesson_action", args=[course.slug, quiz.pk]), {"action": "delete"},
                           follow=True)
    assert "Learners have answered this quiz" in response.content.decode()
    assert Lesson.objects.filter(pk=quiz.pk).exists()


def test_the_team_is_managed_by_its_members(studio, course):
    client = client_for(studio.engineer)
    response = client.post(reverse("academy:studio_team", args=[course.slug]),
                           {"action": "add", "email": "nobody@nowhere.test"}, follow=True)
    assert "Nobody has a Forward account with the address nobody@nowhere.test" in response.content.decode()
    client.post(reverse("academy:studio_team", args=[course.slug]), {"action": "add", "email": "COLLEAGUE@cloud.test"})
    assert client_for(studio.colleague).get(reverse("academy:studio_course", args=[course.slug])).status_code == 200
    client.post(reverse("academy:studio_team", args=[course.slug]), {"action": "remove", "user": studio.colleague.pk})
    assert client_for(studio.colleague).get(reverse("academy:studio_course", args=[course.slug])).status_code == 404


def _run_data(**extra):
    return {"cohort": "Semester 1, 2027", "enrolment_ends": "2027-02-15T23:59", "starts_at": "2027-02-01T09:00",
            "ends_at": "2027-06-30T18:00", "instructors": "eng@cloud.test\nADMIN@uni.test", **extra}


def test_a_university_admin_offers_a_published_course_with_a_visiting_professor(studio, course):
    from forward.academy.models import CourseRun

    course.status = CourseStatus.PUBLISHED
    course.save()
    client = client_for(studio.uni_admin)
    page = client.get(reverse("academy:course", args=[course.slug])).content.decode()
    assert "Offer this course at your university" in page
    response = client.post(reverse("academy:run_new", args=[course.slug]), _run_data(university=studio.uni.pk))
    run = CourseRun.objects.get(course=course)
    assert response.url == reverse("academy:cohort", args=[run.pk])
    assert run.university == studio.uni and run.cohort == "Semester 1, 2027"
    assert sorted(run.instructors.values_list("email", flat=True)) == ["admin@uni.test", "eng@cloud.test"]
    # The visiting professor now sees the cohort; the other university's admin does not.
    assert client_for(studio.engineer).get(reverse("academy:cohort", args=[run.pk])).status_code == 200
    assert client_for(studio.other_admin).get(reverse("academy:cohort", args=[run.pk])).status_code == 404
    # Only the university's admins change the run, and it stays at their university.
    for who in (studio.engineer, studio.other_admin, studio.student):
        assert client_for(who).get(reverse("academy:run_edit", args=[run.pk])).status_code == 404
    client.post(reverse("academy:run_edit", args=[run.pk]), _run_data(university=studio.other.pk, cohort="Moved"))
    run.refresh_from_db()
    assert run.university == studio.uni and run.cohort == "Semester 1, 2027"


def test_who_offers_runs_where(studio, course):
    from forward.academy.models import CourseRun

    url = reverse("academy:run_new", args=[course.slug])
    # A draft is offered by nobody but its team; its team offers it open to everyone only.
    assert client_for(studio.uni_admin).get(url).status_code == 404
    assert client_for(studio.student).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302
    team = client_for(studio.engineer)
    team.post(url, _run_data(university=studio.uni.pk))
    assert not CourseRun.objects.exists()
    team.post(url, _run_data(university=""))
    run = CourseRun.objects.get()
    assert run.university is None
    # The team sees its open run's cohort (and lists it in the teaching page).
    assert client_for(studio.colleague).get(reverse("academy:cohort", args=[run.pk])).status_code == 404
    assert "Semester 1, 2027" in team.get(reverse("academy:teaching")).content.decode()


def test_run_dates_and_instructors_are_checked(studio, course):
    from forward.academy.models import CourseRun

    url = reverse("academy:run_new", args=[course.slug])
    client = client_for(studio.engineer)
    page = client.post(url, _run_data(university="", ends_at="2027-01-01T00:00")).content.decode()
    assert "The run ends after it starts." in page and "Enrolment closes before the run ends." in page
    page = client.post(url, _run_data(university="", instructors="ghost@nowhere.test")).content.decode()
    assert "No Forward account has the address ghost@nowhere.test" in page
    page = client.post(url, _run_data(university="", starts_at="next week")).content.decode()
    assert "Enter a valid date/time." in page
    assert not CourseRun.objects.exists()


def test_a_video_shared_by_two_lessons_stays_until_neither_uses_it(studio, course,
                                                                   django_capture_on_commit_callbacks):
    name = default_storage.save(f"academy/videos/{course.slug}/shared.mp4", SimpleUploadedFile("s.mp4", MP4))
    Lesson.objects.filter(course=course, slug__in=["a", "b"]).update(kind=LessonKind.VIDEO, video_file=name)
    client = client_for(studio.engineer)
    for slug in ("a", "b"):
        lesson = Lesson.objects.get(course=course, slug=slug)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("academy:studio_lesson_action", args=[course.slug, lesson.pk]), {"action": "delete"})
        assert default_storage.exists(name) is (slug == "a")


def test_a_course_is_exported_and_imported_through_the_studio(studio, course):
    from forward.academy import bundle

    team = client_for(studio.engineer)
    response = team.get(reverse("academy:studio_export", args=[course.slug]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    data = b"".join(response.streaming_content) if response.streaming else response.content
    for who in (studio.colleague, studio.other_admin, studio.student):
        assert client_for(who).get(reverse("academy:studio_export", args=[course.slug])).status_code == 404
    # The team edits the files and imports them again: the course is updated in place.
    files = bundle.read_zip(data)
    files["course.yaml"] = files["course.yaml"].replace(b"title: Draft course", b"title: Draft course, v2")
    upload = SimpleUploadedFile("course.zip", _zip_files(files), content_type="application/zip")
    response = team.post(reverse("academy:studio_import"), {"owner": studio.cloud.pk, "bundle": upload})
    assert response.url == reverse("academy:studio_course", args=[course.slug])
    assert Course.objects.get(pk=course.pk).title == "Draft course, v2"
    # A colleague at the same company is not on the team: no overwriting by import.
    upload = SimpleUploadedFile("course.zip", _zip_files(files), content_type="application/zip")
    response = client_for(studio.colleague).post(reverse("academy:studio_import"),
                                                 {"owner": studio.cloud.pk, "bundle": upload}, follow=True)
    assert "you are not on its team" in response.content.decode()
    # Nor can anyone import into an organization they do not work for.
    upload = SimpleUploadedFile("course.zip", _zip_files(files), content_type="application/zip")
    response = client_for(studio.student).post(reverse("academy:studio_import"),
                                               {"owner": studio.cloud.pk, "bundle": upload}, follow=True)
    assert "Choose the organization" in response.content.decode()
    bad = SimpleUploadedFile("course.zip", b"not a zip")
    response = team.post(reverse("academy:studio_import"), {"owner": studio.cloud.pk, "bundle": bad}, follow=True)
    assert "This file is not a zip archive" in response.content.decode()
    assert Course.objects.get(pk=course.pk).title == "Draft course, v2"


def _zip_files(files: dict) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(f"course/{name}", data)
    return buffer.getvalue()


def test_adding_and_removing_a_team_member_are_both_in_the_audit_log(studio):
    from forward.core.models import AuditEvent

    client = client_for(studio.engineer)
    _create(client, studio.cloud)
    course = Course.objects.get(title="Serverless in Practice")
    team = reverse("academy:studio_team", args=[course.slug])
    client.post(team, {"action": "add", "email": "colleague@cloud.test"})
    assert course.authors.filter(pk=studio.colleague.pk).exists()
    client.post(team, {"action": "remove", "user": str(studio.colleague.pk)})
    client.post(team, {"action": "remove", "user": str(studio.colleague.pk)})  # a second click changes nothing
    assert not course.authors.filter(pk=studio.colleague.pk).exists()
    events = list(AuditEvent.objects.filter(action__startswith="course.author_").order_by("pk")
                  .values_list("action", "actor_id", "target"))
    assert events == [("course.author_add", studio.engineer.pk, f"{course.slug}:colleague@cloud.test"),
                      ("course.author_remove", studio.engineer.pk, f"{course.slug}:colleague@cloud.test")]


def test_a_certification_exam_is_not_edited_through_the_course_studio(studio):
    """A certification's exam belongs to no course, so no course team edits it: the studio's services
    refuse it (they used to fail on the course it does not have, with a server error)."""
    exam = Assessment.objects.create(course=None, kind=AssessmentKind.EXAM, title="Cloud exam", time_limit_minutes=60)
    question = Question.objects.create(assessment=exam, kind=QuestionKind.NUMERIC, prompt="1+1", correct=[2])
    for actor in (studio.owner_admin, studio.engineer):
        with pytest.raises(PermissionDenied):
            authoring.assessment_update(actor=actor, assessment=exam, title="Renamed")
        with pytest.raises(PermissionDenied):
            authoring.question_save(actor=actor, assessment=exam, prompt="2+2")
        with pytest.raises(PermissionDenied):
            authoring.question_move(actor=actor, question=question, direction="up")
        with pytest.raises(PermissionDenied):
            authoring.question_delete(actor=actor, question=question)
    exam.refresh_from_db()
    assert exam.title == "Cloud exam" and list(exam.questions.values_list("prompt", flat=True)) == ["1+1"]


def _policy(types, cutoffs=None):
    return json.dumps({"types": types, "cutoffs": {"pass": 0.5} if cutoffs is None else cutoffs})


QUIZ = {"type": "quiz", "weight": 1, "min_count": 1, "drop_lowest": 0}


@pytest.mark.parametrize(("policy", "words"), [
    # Each of these was a server error (500) or was stored and broke every grade of the course.
    (_policy([{**QUIZ, "weight": "heavy"}]), "The weight of “quiz” is a number from 0 to 1, such as 0.3."),
    (_policy([{**QUIZ, "weight": [1]}]), "The weight of “quiz” is a number from 0 to 1"),
    (_policy([{**QUIZ, "weight": True}]), "The weight of “quiz” is a number from 0 to 1"),
    (_policy([{**QUIZ, "weight": 1.5}, {**QUIZ, "type": "exam", "weight": -0.5}]), "The weight of “quiz” is a number"),
    (_policy([{**QUIZ, "min_count": "a"}]), "“min_count” of “quiz” is a whole number from 0 to 100."),
    (_policy([{**QUIZ, "min_count": 1.5}]), "“min_count” of “quiz” is a whole number from 0 to 100."),
    (_policy([{**QUIZ, "min_count": 1_000_000_000}]), "“min_count” of “quiz” is a whole number from 0 to 100."),
    (_policy([{**QUIZ, "drop_lowest": -1}]), "“drop_lowest” of “quiz” is a whole number from 0 to 100."),
    (_policy([{"weight": 1}]), "Each assessment type names the assessments it grades in “type”"),
    (_policy([{**QUIZ, "type": " "}]), "Each assessment type names the assessments it grades in “type”"),
    (_policy([{**QUIZ, "type": 7}]), "Each assessment type names the assessments it grades in “type”"),
    (_policy([{**QUIZ, "weight": 0.5}, {**QUIZ, "weight": 0.5}]), "“quiz” is listed twice in “types”"),
    (_policy([QUIZ], {"pass": "half"}), "The cutoff “pass” is a number, such as 0.5."),
    (_policy([QUIZ], {"pass": None}), "The cutoff “pass” is a number, such as 0.5."),
    (_policy([QUIZ], {"pass": 0.5, " ": 0.7}), "Each cutoff is named by its designation"),
])
def test_a_grading_policy_with_a_field_of_the_wrong_kind_is_explained(studio, policy, words):
    response = _create(client_for(studio.engineer), studio.cloud, title="Policy", grading_policy=policy)
    assert response.status_code == 200
    assert words in response.content.decode().replace("&quot;", '"')
    assert not Course.objects.filter(title="Policy").exists()


def test_a_grading_policy_within_its_bounds_is_kept(studio):
    policy = _policy([{**QUIZ, "weight": 0.25, "min_count": 100, "drop_lowest": 99},
                      {"type": "Capstone project", "weight": 0.75}], {"pass": 0.5, "merit": 1})
    response = _create(client_for(studio.engineer), studio.cloud, title="Policy", grading_policy=policy)
    assert response.status_code == 302
    assert Course.objects.get(title="Policy").grading_policy["types"][1] == {"type": "Capstone project", "weight": 0.75}
