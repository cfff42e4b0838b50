"""Auto-graded labs: scoring against a hidden key, hostile files, limits, permissions, grading."""

from __future__ import annotations

import csv
import io
import math
from datetime import timedelta

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from sklearn.metrics import mean_squared_error, roc_auc_score

from forward import scoring
from forward.academy import labs, selectors, services
from forward.academy.models import (
    CourseRun,
    CourseStatus,
    LabSubmission,
    LabSubmissionStatus,
    LabTask,
    Lesson,
    LessonKind,
    LessonProgress,
)
from forward.core.models import Membership, OrganizationKind, Role
from forward.core.services import api_token_create
from tests.conftest import client_for, make_organization, make_user

IDS = list(range(1, 21))
FARES = [round(5 + 1.5 * i, 2) for i in IDS]
CHURN = [1 if i % 3 == 0 else 0 for i in IDS]


def csv_of(header: str, rows) -> bytes:
    return (header + "\n" + "\n".join(",".join(str(v) for v in row) for row in rows) + "\n").encode()


def up(content: bytes, name: str = "predictions.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.fixture
def lab(transactional_db, academy):
    module = academy.course.modules.first()
    lesson = Lesson.objects.create(module=module, course=academy.course, order=5, slug="fares-lab", kind=LessonKind.LAB,
                                   title="Predict taxi fares", body="Predict **fare** for each trip.",
                                   lab_url="https://example.org/dead")
    task = labs.lab_setup(actor=academy.admin, lesson=lesson, metric="rmse", pass_threshold=1.0,
                          key=up(csv_of("trip_id,fare", zip(IDS, FARES, strict=True)), "key.csv"),
                          train=up(csv_of("trip_id,km,fare", [(i, i, f) for i, f in zip(IDS, FARES, strict=True)]),
                                   "train.csv"),
                          test=up(csv_of("trip_id,km", [(i, i) for i in IDS]), "test.csv"), max_daily_submissions=3)
    services.enrol(user=academy.student, run=academy.open_run)
    return task


def submit(lab, user, content: bytes, name="predictions.csv") -> LabSubmission:
    submission = labs.lab_submission_create(user=user, lab=lab, upload=up(content, name))
    submission.refresh_from_db()
    return submission


def fares(values) -> bytes:
    return csv_of("trip_id,fare", zip(IDS, values, strict=True))


# --- Scoring ------------------------------------------------------------------------------------


def test_setup_reads_the_columns_from_the_key_and_clears_the_dead_link(lab):
    assert (lab.id_column, lab.target_column, lab.metric) == ("trip_id", "fare", "rmse")
    assert not lab.higher_is_better
    assert Lesson.objects.get(pk=lab.lesson_id).lab_url == ""


def test_a_submission_is_scored_like_a_hand_computed_rmse_and_sklearn(lab, academy):
    guesses = [f + (0.5 if i % 2 else -1.0) for i, f in enumerate(FARES)]
    s = submit(lab, academy.student, fares(guesses))
    by_hand = math.sqrt(sum((g - f) ** 2 for g, f in zip(guesses, FARES, strict=True)) / len(FARES))
    assert s.status == LabSubmissionStatus.SCORED
    assert s.score == pytest.approx(by_hand)
    assert s.score == pytest.approx(math.sqrt(mean_squared_error(FARES, guesses)))
    assert s.passed is (by_hand <= 1.0)


def test_auc_labs_agree_with_sklearn(tmp_path):
    rng = np.random.default_rng(7)
    probs = rng.random(len(IDS)).round(4)
    (tmp_path / "key.csv").write_bytes(csv_of("customer,churned", zip(IDS, CHURN, strict=True)))
    (tmp_path / "sub.csv").write_bytes(csv_of("customer,churned", zip(IDS, probs, strict=True)))
    value, rows = scoring.score_key_files(tmp_path / "key.csv", tmp_path / "sub.csv", "auc")
    assert rows == len(IDS)
    assert value == pytest.approx(roc_auc_score(CHURN, probs))


def test_a_passing_submission_marks_the_lesson_done(lab, academy):
    s = submit(lab, academy.student, fares(FARES))
    assert s.passed and s.score == pytest.approx(0.0)
    progress = LessonProgress.objects.get(enrolment__user=academy.student, lesson=lab.lesson)
    assert progress.completed_at is not None


def test_a_failing_score_does_not_mark_the_lesson_done(lab, academy):
    s = submit(lab, academy.student, fares([f + 5 for f in FARES]))
    assert s.status == LabSubmissionStatus.SCORED and not s.passed
    assert not LessonProgress.objects.filter(lesson=lab.lesson, completed_at__isnull=False).exists()


@pytest.mark.parametrize(("content", "words"), [
    (csv_of("trip_id,prediction", zip(IDS, FARES, strict=True)), "fare"),  # wrong column names the expected one
    (csv_of("trip_id,fare", zip(IDS[:-2], FARES[:-2], strict=True)), "20"),  # missing ids
    (csv_of("trip_id,fare", zip([*IDS[:-1], 1], FARES, strict=True)), "1"),  # duplicate id
    (fares(["=HYPERLINK(\"http://x\")", *FARES[1:]]), "number"),  # formula text in a number column
    (b"\x00\x01\x02\xff\xfe binary junk \x00" * 50, ""),
])
def test_hostile_files_fail_with_a_message_a_learner_can_act_on(lab, academy, content, words):
    s = submit(lab, academy.student, content)
    assert s.status == LabSubmissionStatus.FAILED
    assert s.error and words in s.error
    assert s.score is None and not s.passed


def test_a_huge_file_is_refused_before_it_is_stored(lab, academy):
    lab.max_submission_mb = 1
    lab.save()
    with pytest.raises(ValidationError, match="1 MB"):
        labs.lab_submission_create(user=academy.student, lab=lab, upload=up(b"trip_id,fare\n" + b"1,1\n" * 300_000))
    assert not LabSubmission.objects.exists()


def test_wrong_types_and_empty_files_are_refused(lab, academy):
    with pytest.raises(ValidationError, match="csv"):
        labs.lab_submission_create(user=academy.student, lab=lab, upload=up(b"x", "notes.exe"))
    with pytest.raises(ValidationError, match="empty"):
        labs.lab_submission_create(user=academy.student, lab=lab, upload=up(b""))


def test_a_job_over_the_memory_limit_fails_with_the_limit_and_the_worker_lives(lab, academy, settings, monkeypatch):
    settings.FORWARD_SCORING_MEMORY_MB = 16
    monkeypatch.setattr(scoring, "score_key_files", lambda *args: bytearray(512 * 1024**2))  # in the child
    s = submit(lab, academy.student, fares(FARES))
    assert s.status == LabSubmissionStatus.FAILED
    assert "16 MB" in s.error
    monkeypatch.undo()
    assert submit(lab, academy.student, fares(FARES)).status == LabSubmissionStatus.SCORED  # this process scores on


def test_the_key_is_checked_before_setup(academy, lab):
    with pytest.raises(ValidationError, match="answer key"):
        labs.lab_setup(actor=academy.admin, lesson=lab.lesson, metric="auc", pass_threshold=0.7,
                       key=up(csv_of("id,y", [(1, 0), (2, 0)]), "key.csv"))
    with pytest.raises(ValidationError, match="Unknown metric"):
        labs.lab_setup(actor=academy.admin, lesson=lab.lesson, metric="vibes", pass_threshold=0.7)
    lab.refresh_from_db()
    assert lab.metric == "rmse"


# --- Limits -------------------------------------------------------------------------------------


def test_the_daily_limit_holds_and_says_when_it_resets(lab, academy):
    for _ in range(3):
        submit(lab, academy.student, fares(FARES))
    with pytest.raises(ValidationError, match="00:00 UTC"):
        submit(lab, academy.student, fares(FARES))
    assert LabSubmission.objects.count() == 3
    LabSubmission.objects.update(created_at=timezone.now() - timedelta(days=1, hours=1))
    submit(lab, academy.student, fares(FARES))


def test_a_double_click_on_the_last_slot_makes_one_submission(fresh_storage, lab, academy):
    lab.max_daily_submissions = 1
    lab.save()
    client = client_for(academy.student)
    url = reverse("academy:lab_submit", args=[academy.course.slug, lab.lesson.slug])
    for _ in range(2):
        client.post(url, {"file": up(fares(FARES))})
    assert LabSubmission.objects.count() == 1
    assert not list(default_storage.listdir(f"academy/labs/{lab.lesson_id}/submissions/{academy.student.pk}")[1])[1:]


def test_a_stuck_submission_is_requeued_and_scored(lab, academy):
    s = submit(lab, academy.student, fares(FARES))
    LabSubmission.objects.filter(pk=s.pk).update(status=LabSubmissionStatus.RUNNING, score=None, passed=False,
                                                 started_at=timezone.now() - timedelta(hours=2))
    assert labs.lab_submissions_requeue_stale() == [s.pk]
    s.refresh_from_db()
    assert s.status == LabSubmissionStatus.SCORED


def test_a_submission_is_scored_once(lab, academy):
    s = submit(lab, academy.student, fares(FARES))
    assert labs.lab_submission_score(submission_id=s.pk) is None  # already scored: not claimed again


# --- Grading ------------------------------------------------------------------------------------


def test_labs_count_in_a_policy_that_has_them(lab, academy):
    course = academy.course
    course.grading_policy = {"types": [{"type": "lab", "weight": 1.0, "min_count": 2, "drop_lowest": 0}],
                             "cutoffs": {"pass": 0.5}}
    course.save()
    submit(lab, academy.student, fares([f + 5 for f in FARES]))  # rmse 5: 20 % of the way to 1.0
    submit(lab, academy.student, fares(FARES))  # passes: 100 %
    grade = selectors.grades(course=course, user_ids=[academy.student.pk])[academy.student.pk]
    assert grade["grade"] == pytest.approx(0.5)  # the best of the one lab, and a missing second lab as 0
    assert grade["designation"] == "pass"


def test_policies_without_labs_are_unchanged(lab, academy):
    submit(lab, academy.student, fares(FARES))
    grade = selectors.grades(course=academy.course, user_ids=[academy.student.pk])[academy.student.pk]
    assert [b["type"] for b in grade["breakdown"]] == ["quiz", "exam"]
    assert grade["grade"] == 0


# --- Pages and permissions ----------------------------------------------------------------------


@pytest.fixture
def roles(academy, lab):
    class Roles:
        pass

    r = Roles()
    r.anonymous = None
    r.learner = academy.student
    r.member = make_user("member2@ntu.test", "Not Enrolled")
    Membership.objects.create(user=r.member, organization=academy.university, role=Role.MEMBER)
    r.other_admin = make_user("admin@other.test", "Other Admin")
    make_organization(creator=r.other_admin, name="Other Uni", kind=OrganizationKind.UNIVERSITY, country="MY")
    r.unverified_admin = make_user("admin@unverified.test", "Unverified Admin")
    make_organization(creator=r.unverified_admin, name="Pending Uni", kind=OrganizationKind.UNIVERSITY,
                      country="ID", verified=False)
    r.operator = make_user("ops@forward.test", "Op", is_staff=True)
    r.course_admin = academy.admin
    return r


def test_the_lab_page_shows_task_downloads_form_and_no_dead_link(lab, academy):
    submit(lab, academy.student, fares(FARES))
    page = client_for(academy.student).get(reverse("academy:lesson", args=[academy.course.slug, lab.lesson.slug]))
    html = page.content.decode()
    assert "rmse" in html and 'data-testid="lab-form"' in html and "example.org/dead" not in html
    assert reverse("academy:lab_data", args=[academy.course.slug, lab.lesson.slug, "train"]) in html
    assert 'data-testid="lab-passed"' in html and 'data-testid="lab-done"' in html


@pytest.mark.parametrize("role", ["anonymous", "learner", "member", "other_admin", "unverified_admin", "operator"])
def test_anyone_may_download_the_public_data_of_a_published_course(lab, roles, role, academy):
    for which in ("train", "test"):
        response = client_for(getattr(roles, role)).get(
            reverse("academy:lab_data", args=[academy.course.slug, lab.lesson.slug, which]))
        assert response.status_code == 200
        body = b"".join(response.streaming_content)
        assert body.startswith(b"trip_id,km")


@pytest.mark.parametrize(("role", "allowed"), [
    ("anonymous", False), ("learner", False), ("member", False), ("other_admin", False),
    ("unverified_admin", False), ("course_admin", True), ("operator", True)])
def test_a_draft_courses_lab_data_is_only_for_its_team(lab, roles, role, allowed, academy):
    academy.course.status = CourseStatus.DRAFT
    academy.course.save()
    response = client_for(getattr(roles, role)).get(
        reverse("academy:lab_data", args=[academy.course.slug, lab.lesson.slug, "train"]))
    assert response.status_code == (200 if allowed else 404)


def test_the_answer_key_is_reachable_by_no_url(lab, roles, academy):
    key = default_storage.open(lab.key_file).read()
    names = ["train", "test", "key", "key_file", "solution", "private", "answer"]
    urls = [reverse("academy:lab_data", args=[academy.course.slug, lab.lesson.slug, n]) for n in names[2:]]
    urls += [reverse("academy:lab_data", args=[academy.course.slug, lab.lesson.slug, n]) for n in names[:2]]
    urls += [reverse("academy:lab_rows", args=[academy.course.slug, lab.lesson.slug]),
             reverse("academy:lesson", args=[academy.course.slug, lab.lesson.slug]),
             reverse("academy:studio_lab", args=[academy.course.slug, lab.lesson_id]),
             "/media/" + lab.key_file, "/static/" + lab.key_file, "/" + lab.key_file]
    for role in ("anonymous", "learner", "course_admin", "operator"):
        client = client_for(getattr(roles, role))
        for url in urls:
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert key not in body, url
            if lab.key_file not in url:  # a 404 page may echo the address asked for
                assert lab.key_file.encode() not in body, url
            else:
                assert response.status_code == 404, url


@pytest.mark.parametrize(("role", "expected"), [
    ("anonymous", 302), ("member", "Enrol"), ("other_admin", "Enrol"), ("unverified_admin", "Enrol"),
    ("learner", None), ("operator", "Enrol")])
def test_only_enrolled_learners_submit(lab, roles, role, expected, academy):
    client = client_for(getattr(roles, role))
    response = client.post(reverse("academy:lab_submit", args=[academy.course.slug, lab.lesson.slug]),
                           {"file": up(fares(FARES))}, follow=role != "anonymous")
    if expected == 302:
        assert response.status_code == 302 and "login" in response["Location"]
        assert not LabSubmission.objects.exists()
    elif expected is None:
        assert LabSubmission.objects.filter(user=roles.learner).count() == 1
    else:
        assert expected in response.content.decode()
        assert not LabSubmission.objects.exists()


def test_a_post_without_a_file_says_what_to_do(lab, academy):
    response = client_for(academy.student).post(
        reverse("academy:lab_submit", args=[academy.course.slug, lab.lesson.slug]), follow=True)
    assert "Choose a CSV file" in response.content.decode()


def _api(user):
    _token, raw = api_token_create(user=user, name="notebook")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_notebook_submits_through_the_api_and_reads_the_status(lab, academy):
    client = client_for(None)
    response = client.post(f"/api/v1/academy/labs/{lab.pk}/submissions", {"file": up(fares(FARES))},
                           **_api(academy.student))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "scored" and data["passed"] and data["left_today"] == 2
    status = client.get(f"/api/v1/academy/labs/{lab.pk}/submissions/{data['id']}", **_api(academy.student))
    assert status.status_code == 200 and status.json()["score"] == pytest.approx(0.0)


def test_the_api_refuses_bad_input_clearly(lab, academy, roles):
    client = client_for(None)
    assert client.post(f"/api/v1/academy/labs/{lab.pk}/submissions", {"file": up(fares(FARES))}).status_code == 401
    response = client.post(f"/api/v1/academy/labs/{lab.pk}/submissions", {"file": up(fares(FARES))},
                           **_api(roles.member))
    assert response.status_code == 400 and "Enrol" in response.json()["detail"]
    response = client.post(f"/api/v1/academy/labs/{lab.pk}/submissions", {"file": up(b"", "x.csv")},
                           **_api(academy.student))
    assert response.status_code == 400 and "empty" in response.json()["detail"]
    assert client.post("/api/v1/academy/labs/999999/submissions", {"file": up(fares(FARES))},
                       **_api(academy.student)).status_code == 404


@pytest.mark.parametrize(("role", "visible"), [
    ("learner", True), ("member", False), ("other_admin", False), ("unverified_admin", False),
    ("course_admin", True), ("operator", True)])
def test_who_sees_a_learners_submission(lab, roles, role, visible, academy):
    s = submit(lab, academy.student, fares(FARES))
    response = client_for(None).get(f"/api/v1/academy/labs/{lab.pk}/submissions/{s.pk}", **_api(getattr(roles, role)))
    assert response.status_code == (200 if visible else 404)


def test_a_university_instructor_sees_submissions_of_their_cohort_only(lab, academy):
    instructor = make_user("prof@ntu.test", "Prof")
    academy.uni_run.instructors.add(instructor)
    other = make_user("learner2@ntu.test", "Two")
    Membership.objects.create(user=other, organization=academy.university, role=Role.MEMBER)
    services.enrol(user=other, run=academy.uni_run)
    mine = submit(lab, other, fares(FARES))
    open_cohort = submit(lab, academy.student, fares(FARES))
    client = client_for(None)
    assert client.get(f"/api/v1/academy/labs/{lab.pk}/submissions/{mine.pk}", **_api(instructor)).status_code == 200
    assert client.get(f"/api/v1/academy/labs/{lab.pk}/submissions/{open_cohort.pk}",
                      **_api(instructor)).status_code == 404


def test_the_submissions_list_is_paginated_with_constant_queries(lab, academy, django_assert_max_num_queries):
    lab.max_daily_submissions = 30
    lab.save()
    LabSubmission.objects.bulk_create([LabSubmission(lab=lab, user=academy.student, enrolment=academy.student.enrolments.get(),
                                                     file="x.csv", status=LabSubmissionStatus.FAILED, error="bad")
                                       for _ in range(25)])
    client = client_for(academy.student)
    url = reverse("academy:lab_rows", args=[academy.course.slug, lab.lesson.slug])
    client.get(url)
    with django_assert_max_num_queries(8) as small:
        client.get(url)
    LabSubmission.objects.bulk_create([LabSubmission(lab=lab, user=academy.student, enrolment=academy.student.enrolments.get(),
                                                     file="x.csv", status=LabSubmissionStatus.FAILED, error="bad")
                                       for _ in range(25)])
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url)
    assert page.content.decode().count('data-testid="lab-submission"') == 10


@pytest.mark.parametrize(("role", "allowed"), [
    ("anonymous", False), ("learner", False), ("member", False), ("other_admin", False),
    ("unverified_admin", False), ("course_admin", True), ("operator", True)])
def test_only_the_course_team_sets_up_a_lab(lab, roles, role, allowed, academy):
    url = reverse("academy:studio_lab", args=[academy.course.slug, lab.lesson_id])
    response = client_for(getattr(roles, role)).post(url, {
        "metric": "mae", "pass_threshold": "2", "max_daily_submissions": "5"})
    lab.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert (lab.metric, lab.pass_threshold, lab.max_daily_submissions) == ("mae", 2.0, 5)
    else:
        assert response.status_code in (302, 404)
        assert lab.metric == "rmse"
    if not allowed and getattr(roles, role) is not None:
        with pytest.raises(PermissionDenied):
            labs.lab_setup(actor=getattr(roles, role), lesson=lab.lesson, metric="mae", pass_threshold=2)


def test_the_studio_form_explains_a_bad_key(lab, academy):
    response = client_for(academy.admin).post(
        reverse("academy:studio_lab", args=[academy.course.slug, lab.lesson_id]),
        {"metric": "rmse", "pass_threshold": "1", "max_daily_submissions": "5",
         "key": up(csv_of("trip_id,fare", [(1, 2), (1, 3)]), "key.csv")})
    assert response.status_code == 200
    assert "duplicate" in response.content.decode()


# --- Answers labs ----------------------------------------------------------------------------------

QUESTIONS = [{"id": "vm_cost", "text": "What did the virtual machines cost, in USD?"},
             {"id": "storage_cost", "text": "What did storage cost, in USD?"},
             {"id": "egress_cost", "text": "What did egress cost after the free 100 GB, in USD?"},
             {"id": "costliest", "text": "Which instance type cost the most?"}]
KEY = {"vm_cost": "1234.56", "storage_cost": "87.21", "egress_cost": "0", "costliest": "ecs.r7.xlarge"}


def key_csv(key=KEY) -> bytes:
    return csv_of("question_id,answer", key.items())


@pytest.fixture
def answers_lab(transactional_db, academy):
    module = academy.course.modules.first()
    lesson = Lesson.objects.create(module=module, course=academy.course, order=6, slug="bill-lab", kind=LessonKind.LAB,
                                   title="Estimate the month's bill", body="Work out the bill.")
    task = labs.lab_setup(actor=academy.admin, lesson=lesson, metric="answers", pass_threshold=0.75,
                          key=up(key_csv(), "key.csv"), questions=QUESTIONS,
                          train=up(csv_of("resource_id,sku,hours", [("vm-01", "ecs.r7.xlarge", 744)]), "usage.csv"),
                          test=up(csv_of("sku,usd_per_hour", [("ecs.r7.xlarge", 0.262)]), "prices.csv"))
    services.enrol(user=academy.student, run=academy.open_run)
    return task


def type_answers(client, lab, answers: dict, follow=True):
    return client.post(reverse("academy:lab_answer", args=[lab.lesson.course.slug, lab.lesson.slug]),
                       {f"answer-{q}": a for q, a in answers.items()}, follow=follow)


def test_answers_typed_into_the_lab_page_are_scored_and_pass_the_lesson(answers_lab, academy):
    client = client_for(academy.student)
    page = type_answers(client, answers_lab, {"vm_cost": "1240", "storage_cost": "87.2", "egress_cost": "0",
                                              "costliest": " ECS.R7.XLARGE "}).content.decode()
    s = LabSubmission.objects.get()
    assert (s.status, s.score, s.passed) == (LabSubmissionStatus.SCORED, 1.0, True)
    assert "Your answers are being scored" in page and "100% right" in page and 'data-testid="lab-done"' in page
    assert default_storage.open(s.file).read() == (b"question_id,answer\nvm_cost,1240\nstorage_cost,87.2\n"
                                                   b"egress_cost,0\ncostliest,ECS.R7.XLARGE\n")


@pytest.mark.parametrize(("answers", "score", "passed"), [
    ({"vm_cost": "1250", "storage_cost": "87.21", "egress_cost": "0", "costliest": "ecs.r7.xlarge"}, 0.75, True),
    ({"vm_cost": "1250", "storage_cost": "95", "egress_cost": "0", "costliest": "ecs.r7.xlarge"}, 0.5, False),
    ({"vm_cost": "1234.56", "storage_cost": "87.21", "egress_cost": "0.5", "costliest": "ecs.g7.large"}, 0.5, False),
])
def test_answers_count_within_one_percent_and_text_exactly(answers_lab, academy, answers, score, passed):
    s = submit(answers_lab, academy.student, csv_of("question_id,answer", answers.items()))
    assert (s.status, s.score, s.passed) == (LabSubmissionStatus.SCORED, score, passed)
    assert answers_lab.percent(s.score) == (100.0 if passed else pytest.approx(100 * score / 0.75))


@pytest.mark.parametrize(("content", "words"), [
    (csv_of("question_id,answer", [("vm_cost", 1), ("storage_cost", 2), ("egress_cost", 0)]),
     "1 questions have no answer: costliest"),
    (csv_of("question_id,answer", [*KEY.items(), ("bonus", 3)]), "not questions of this lab: bonus"),
    (csv_of("question_id,answer", [("vm_cost", "about 1200 dollars"), *list(KEY.items())[1:]]),
     "Line 2: the answer to vm_cost is 'about 1200 dollars'; this question needs a number"),
    (csv_of("question_id,answer", [("vm_cost", "$1234.56"), *list(KEY.items())[1:]]), "needs a number"),
    (csv_of("id,answer", KEY.items()), "missing column question_id"),
])
def test_bad_answer_files_fail_with_what_to_fix(answers_lab, academy, content, words):
    s = submit(answers_lab, academy.student, content)
    assert s.status == LabSubmissionStatus.FAILED and words in s.error, s.error
    page = client_for(academy.student).get(reverse("academy:lesson", args=[academy.course.slug, "bill-lab"]))
    assert 'data-testid="lab-error"' in page.content.decode()


def test_a_typed_answer_that_is_not_a_number_fails_with_the_question(answers_lab, academy):
    page = type_answers(client_for(academy.student), answers_lab, {**KEY, "storage_cost": "eighty"}).content.decode()
    s = LabSubmission.objects.get()
    assert s.status == LabSubmissionStatus.FAILED and "the answer to storage_cost is &#x27;eighty&#x27;" in page


def test_the_form_shows_the_last_answers_again_to_correct_them(answers_lab, academy):
    client = client_for(academy.student)
    typed = {**KEY, "storage_cost": "eighty", "costliest": '"><script>alert(1)</script>'}
    page = type_answers(client, answers_lab, typed).content.decode()
    assert 'value="1234.56"' in page and 'value="eighty"' in page
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in page and "<script>alert(1)" not in page
    # Another learner's form stays empty; so does the form of a learner with no submission yet.
    other = make_user("other@ntu.test", "Other Learner")
    services.enrol(user=other, run=academy.open_run)
    page = client_for(other).get(reverse("academy:lesson", args=[academy.course.slug, "bill-lab"])).content.decode()
    assert 'data-testid="lab-answers-form"' in page and 'value="1234.56"' not in page and 'value="eighty"' not in page


def test_a_blank_typed_answer_is_refused_and_nothing_is_stored(answers_lab, academy):
    page = type_answers(client_for(academy.student), answers_lab, {**KEY, "vm_cost": " ", "costliest": ""})
    assert "Answer every question; these are blank: vm_cost, costliest." in page.content.decode()
    assert not LabSubmission.objects.exists()


def test_typed_answers_are_only_for_enrolled_learners_of_answers_labs(answers_lab, lab, roles, academy):
    assert "login" in type_answers(client_for(None), answers_lab, KEY, follow=False)["Location"]
    assert "Enrol" in type_answers(client_for(roles.member), answers_lab, KEY).content.decode()
    assert type_answers(client_for(academy.student), lab, {"a": "1"}, follow=False).status_code == 404  # predictions
    assert not LabSubmission.objects.exists()


def test_the_answers_lab_page_shows_questions_and_never_the_key(answers_lab, roles, academy):
    key = default_storage.open(answers_lab.key_file).read()
    for role in ("anonymous", "learner", "member", "course_admin", "operator"):
        client = client_for(getattr(roles, role))
        page = client.get(reverse("academy:lesson", args=[academy.course.slug, "bill-lab"])).content.decode()
        for q in QUESTIONS:
            assert q["text"] in page
        for answer in ("1234.56", "87.21", "ecs.r7.xlarge"):
            assert answer not in page, (role, answer)
        urls = [reverse("academy:lab_data", args=[academy.course.slug, "bill-lab", n])
                for n in ("train", "test", "key", "answers", "solution")]
        urls += [reverse("academy:lab_rows", args=[academy.course.slug, "bill-lab"]),
                 reverse("academy:studio_lab", args=[academy.course.slug, answers_lab.lesson_id]),
                 f"/api/v1/academy/labs/{answers_lab.pk}/submissions/1", "/media/" + answers_lab.key_file]
        for url in urls:
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert key not in body and b"1234.56" not in body, (role, url)
    learner_page = client_for(academy.student).get(reverse("academy:lesson", args=[academy.course.slug, "bill-lab"]))
    html = learner_page.content.decode()
    assert 'data-testid="lab-answers-form"' in html and 'for="answer-vm_cost"' in html
    assert reverse("academy:lab_data", args=[academy.course.slug, "bill-lab", "test"]) in html


def test_an_answers_labs_data_downloads_under_plain_names(answers_lab, academy):
    response = client_for(None).get(reverse("academy:lab_data", args=[academy.course.slug, "bill-lab", "test"]))
    assert response.status_code == 200 and "bill-lab-reference.csv" in response["Content-Disposition"]


def _studio_post(client, course, lesson_id, **fields):
    data = {"metric": "answers", "pass_threshold": "0.8", "max_daily_submissions": "5",
            "questions": "\n".join(f"{q['id']} | {q['text']}" for q in QUESTIONS), **fields}
    return client.post(reverse("academy:studio_lab", args=[course.slug, lesson_id]), data)


@pytest.mark.parametrize(("role", "allowed"), [
    ("anonymous", False), ("learner", False), ("member", False), ("other_admin", False),
    ("unverified_admin", False), ("course_admin", True), ("operator", True)])
def test_only_the_course_team_sets_up_an_answers_lab(lab, roles, role, allowed, academy):
    response = _studio_post(client_for(getattr(roles, role)), academy.course, lab.lesson_id,
                            key=up(key_csv(), "key.csv"))
    lab.refresh_from_db()
    if allowed:
        assert response.status_code == 302, response.content.decode()[-2000:]
        assert lab.is_answers and lab.questions == QUESTIONS and lab.pass_threshold == 0.8
        assert (lab.id_column, lab.target_column) == ("question_id", "answer")
    else:
        assert response.status_code in (302, 404)
        assert lab.metric == "rmse" and lab.questions == []
    if not allowed and getattr(roles, role) is not None:
        with pytest.raises(PermissionDenied):
            labs.lab_setup(actor=getattr(roles, role), lesson=lab.lesson, metric="answers", pass_threshold=0.8,
                           key=up(key_csv(), "key.csv"), questions=QUESTIONS)


@pytest.mark.parametrize(("fields", "words"), [
    ({"questions": ""}, "needs its questions"),
    ({"questions": "vm_cost What did it cost?"}, "Line 1 has no vertical bar"),
    ({"questions": "vm cost | What did it cost?"}, "is not usable"),
    ({"questions": "vm_cost | A?\nvm_cost | B?"}, "used twice"),
    ({"questions": "vm_cost | A?\nstorage_cost | B?\negress_cost | C?\nspare | D?"},
     "no answer in the key for spare; answers in the key to no question: costliest"),
    ({"key": csv_of("question_id,answer", [("vm_cost", 1), ("storage_cost", " ")])}, "Line 3: the answer value is empty."),
])
def test_the_studio_explains_a_bad_answers_lab_and_keeps_the_old_one(lab, academy, fields, words):
    # The upload is made here, each run: a file object in the parameters would be read to its end by
    # the first run, and a second run in the same process (as mutmut makes) would send it empty.
    fields = {**fields, "key": up(fields.get("key", key_csv()), "key.csv")}
    response = _studio_post(client_for(academy.admin), academy.course, lab.lesson_id, **fields)
    assert response.status_code == 200 and words in response.content.decode(), response.content.decode()[-3000:]
    lab.refresh_from_db()
    assert lab.metric == "rmse" and lab.questions == []


def test_changing_an_answers_lab_keeps_its_questions_and_key(answers_lab, academy):
    response = _studio_post(client_for(academy.admin), academy.course, answers_lab.lesson_id, questions="",
                            pass_threshold="0.5")
    assert response.status_code == 302
    answers_lab.refresh_from_db()
    assert answers_lab.questions == QUESTIONS and answers_lab.pass_threshold == 0.5
    form = client_for(academy.admin).get(reverse("academy:studio_lab", args=[academy.course.slug,
                                                                             answers_lab.lesson_id]))
    assert "vm_cost | What did the virtual machines cost, in USD?" in form.content.decode()


# --- Demo ---------------------------------------------------------------------------------------


def _fit_and_predict(lab: LabTask) -> bytes:
    """What a learner's notebook does: a least-squares fit on the training data, predictions for the test rows."""
    train = np.genfromtxt(default_storage.open(lab.train_file), delimiter=",", names=True)
    test = np.genfromtxt(default_storage.open(lab.test_file), delimiter=",", names=True)
    features = [n for n in test.dtype.names if n != lab.id_column]
    design = np.column_stack([np.ones(len(train))] + [train[n] for n in features])
    coef, *_ = np.linalg.lstsq(design, train[lab.target_column], rcond=None)
    predicted = np.column_stack([np.ones(len(test))] + [test[n] for n in features]) @ coef
    if lab.metric == "auc":  # a probability, as the lab asks
        predicted = predicted.clip(0, 1)
    return csv_of(f"{lab.id_column},{lab.target_column}",
                  zip(test[lab.id_column].astype(int), predicted.round(4), strict=True))


DEMO_COURSES = {  # slug, title: the task each demo course's labs get
    ("cloud-computing-fundamentals", "Cloud Computing Fundamentals"): "cloud_bill",
    ("big-data-analytics-with-python", "Big Data Analytics with Python"): "bikes",
    ("machine-learning-foundations", "Machine Learning Foundations"): "churn",
    ("business-leadership-for-digital-founders", "Business Leadership for Digital Founders"): "unit_economics",
    ("venture-capital-networking", "Venture Capital Networking"): "unit_economics",
}


def _rows_of(name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(default_storage.open(name).read().decode())))


def _work_out_cloud_bill(lab: LabTask) -> dict[str, str]:
    """A learner's spreadsheet: the bill from the usage and the price sheet, as the questions ask."""
    usage, prices = _rows_of(lab.train_file), {r["sku"]: r for r in _rows_of(lab.test_file)}
    price = {sku: float(r["usd_per_unit"]) for sku, r in prices.items()}
    free = float(prices["internet"]["note"].split("first ")[1].split(" GB")[0])
    compute = [r for r in usage if r["service"] == "compute"]
    by_type: dict[str, float] = {}
    for r in compute:
        by_type[r["sku"]] = by_type.get(r["sku"], 0) + float(r["quantity"]) * price[r["sku"]]
    storage = sum(float(r["quantity"]) * price[r["sku"]] for r in usage if r["service"] == "storage")
    egress = sum(max(0, float(r["quantity"]) - free) * price[r["sku"]] for r in usage if r["service"] == "egress")
    answers = {"compute_cost": sum(by_type.values()), "storage_cost": storage, "egress_cost": egress,
               "total_cost": sum(by_type.values()) + storage + egress,
               "costliest_type": max(by_type, key=by_type.get),
               "always_on_cost": sum(744 * price[r["sku"]] for r in compute)}
    return {q: str(a) for q, a in answers.items()}


def _work_out_unit_economics(lab: LabTask) -> dict[str, str]:
    months = _rows_of(lab.train_file)
    margin = float(_rows_of(lab.test_file)[0]["value"])
    total = {c: sum(float(m[c]) for m in months) for c in months[0] if c != "month"}
    cac = total["marketing_usd"] / total["new_customers"]
    arpu = total["revenue_usd"] / total["customers_start"]
    churn = total["customers_lost"] / total["customers_start"]
    cheapest = min(months, key=lambda m: float(m["marketing_usd"]) / float(m["new_customers"]))["month"]
    return {"cac": str(cac), "arpu": str(arpu), "churn_percent": str(100 * churn), "ltv": str(arpu * margin / churn),
            "payback_months": str(cac / (arpu * margin)), "cheapest_month": cheapest}


def test_every_demo_lab_fits_its_course_and_a_learner_who_does_the_work_passes(transactional_db, academy):
    from forward.academy import demo_labs
    from forward.academy.models import Course, Module

    lessons = {}
    for (slug, title), task in DEMO_COURSES.items():
        course = Course.objects.create(slug=slug, title=title, owner=academy.university, status=CourseStatus.PUBLISHED)
        module = Module.objects.create(course=course, title="Module")
        lessons[task, slug] = Lesson.objects.create(module=module, course=course, order=2, slug=f"{slug[:20]}-lab",
                                                    kind=LessonKind.LAB, title="Lab", body="## Lab: the task\n",
                                                    lab_url="https://example.org/dead")
    assert demo_labs.load() == len(DEMO_COURSES)
    assert demo_labs.load() == 0  # loading again sets up nothing twice
    for (task, _slug), lesson in lessons.items():
        lesson.refresh_from_db()
        lab = lesson.lab_task
        assert demo_labs.task_for(lesson).name == task
        assert lesson.lab_url == "" and lesson.body.count("## Graded exercise") == 1
        services.enrol(user=academy.student, run=CourseRun.objects.create(
            course=lesson.course, cohort="Open", enrolment_ends=timezone.now() + timedelta(days=5),
            starts_at=timezone.now(), ends_at=timezone.now() + timedelta(days=30)))
        key = default_storage.open(lab.key_file).read()
        again = demo_labs.setup_lab(lesson)  # the same lesson gets the same data
        assert default_storage.open(again.key_file).read() == key
        if task in ("cloud_bill", "unit_economics"):
            assert again.is_answers and len(again.questions) == 6 and "question_id" in lesson.body
            answers = (_work_out_cloud_bill if task == "cloud_bill" else _work_out_unit_economics)(again)
            s = submit(again, academy.student, labs.lab_answers_file(lab=again, answers=answers).read())
            assert s.status == LabSubmissionStatus.SCORED and s.score == 1.0, s.error
        else:
            assert not again.is_answers and again.target_column in lesson.body
            s = submit(again, academy.student, _fit_and_predict(again))
            assert s.status == LabSubmissionStatus.SCORED and s.passed, (lab.metric, s.score, s.error)
    cloud = lessons["cloud_bill", "cloud-computing-fundamentals"]
    assert "cloud usage" in cloud.body and "taxi" not in cloud.body and "fare" not in cloud.lab_task.target_column
    # A course the mapping does not list gets a task by its title's words, deterministically.
    other = Course.objects.create(slug="intro-to-cloud-ops", title="Cloud Operations", owner=academy.university)
    assert demo_labs.task_for(Lesson(course=other, slug="x")).name == "cloud_bill"
