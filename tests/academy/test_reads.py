"""Reads never write (issue 18 §2): an attempt whose deadline passed while the learner was away is
shown closed and counts as submitted on every page that reads it (results, attempts left, grades,
the grade book, certification status) without a page view writing anything; the periodic job, or
the learner's next POST, stores the marking, and a passed certification exam's credential is issued
there, once. Posting answers and submitting is one transaction."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from forward.academy import assessments, certifications, grading, selectors, services, tasks
from forward.academy.models import (
    Assessment,
    AssessmentKind,
    Attempt,
    CertificationHolding,
    Lesson,
    LessonKind,
    LessonProgress,
    Question,
    QuestionKind,
)
from forward.credentials.models import Credential
from tests.academy.test_certifications import world  # noqa: F401
from tests.conftest import client_for
from tests.reads import no_writes


@pytest.fixture
def exam(academy):
    """A timed exam lesson of two numeric questions; the student has started it and saved one right
    answer and one wrong one, and then the time ran out."""
    lesson = Lesson.objects.create(module=academy.video.module, course=academy.course, order=5, slug="final",
                                   kind=LessonKind.QUIZ, title="Final exam")
    exam = Assessment.objects.create(course=academy.course, lesson=lesson, title="Final exam", kind=AssessmentKind.EXAM,
                                     time_limit_minutes=30, attempts_allowed=2, shuffle_options=False,
                                     closes_at=timezone.now() + timedelta(days=1))
    first = Question.objects.create(assessment=exam, order=0, kind=QuestionKind.NUMERIC, prompt="2+2", correct=[4])
    second = Question.objects.create(assessment=exam, order=1, kind=QuestionKind.NUMERIC, prompt="3+3", correct=[6])
    services.enrol(user=academy.student, run=academy.uni_run)
    attempt = assessments.attempt_start(user=academy.student, assessment=exam)
    assessments.answer_save(user=academy.student, attempt_id=attempt.pk, question_id=first.pk, answer="4")
    assessments.answer_save(user=academy.student, attempt_id=attempt.pk, question_id=second.pk, answer="7")
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    exam.attempt = Attempt.objects.get(pk=attempt.pk)
    exam.right, exam.wrong = first, second
    return exam


def test_an_exam_that_ran_out_is_shown_closed_and_counted_by_every_read_without_writing(academy, exam):
    student, admin = client_for(academy.student), client_for(academy.admin)
    with no_writes():
        page = student.get("/academy/cloud-101/final/").content.decode()
        book = admin.get(reverse("academy:gradebook_csv", args=[academy.uni_run.pk])).content.decode()
        cohort = admin.get(reverse("academy:cohort", args=[academy.uni_run.pk]))
        grade = selectors.grades(course=academy.course, user_ids=[academy.student.pk])[academy.student.pk]
        deadlines = selectors.learner_deadlines(user=academy.student)
    # Shown closed: no answer form, the attempt is counted as marked with the answers saved in time.
    assert 'name="action" value="submit"' not in page and 'data-testid="ran-out"' in page
    assert "Attempt 1" in page and "1 attempt left." in page
    assert "results when the exam closes" in page  # an exam's results wait for it to close
    student_row = next(line for line in book.splitlines() if academy.student.email in line)
    assert ",50.0," in student_row  # the grade book counts it: 1 of 2 points
    assert cohort.status_code == 200
    assert grade["grade"] == 0.0  # results not visible yet: no grade from it before the exam closes
    assert not [d for d in deadlines if d["kind"] == "in_progress"]
    stored = Attempt.objects.get(pk=exam.attempt.pk)
    assert stored.submitted_at is None and stored.score is None  # nothing was written

    Assessment.objects.filter(pk=exam.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    with no_writes():
        page = student.get("/academy/cloud-101/final/").content.decode()
        grade = selectors.grades(course=academy.course, user_ids=[academy.student.pk])[academy.student.pk]
    assert "<strong>1 / 2</strong>" in page
    assert grade["grade"] == pytest.approx(0.7 * 0.5)  # the exam's weight in the default policy, at 50%

    assert tasks.close_attempts() == [exam.attempt.pk]  # the durable path: the periodic job
    assert tasks.close_attempts() == []  # once
    stored = Attempt.objects.get(pk=exam.attempt.pk)
    assert stored.score == 1 and stored.submitted_at == exam.attempt.deadline
    done = LessonProgress.objects.get(enrolment__user=academy.student, lesson=exam.lesson)
    assert done.completed_at is not None  # a submitted exam's lesson is done
    after = student.get("/academy/cloud-101/final/").content.decode()
    assert "<strong>1 / 2</strong>" in after and 'data-testid="ran-out"' in after  # the same as before


def test_the_next_post_stores_the_marking_and_refuses_late_answers(academy, exam):
    student = client_for(academy.student)
    page = student.post("/academy/cloud-101/final/attempt/", {"action": "submit", f"q{exam.wrong.pk}": "6"},
                        follow=True).content.decode()
    assert "Time is up: this attempt was submitted with the answers saved in time." in page
    stored = Attempt.objects.get(pk=exam.attempt.pk)
    assert stored.score == 1 and stored.submitted_at == exam.attempt.deadline
    assert stored.answers[str(exam.wrong.pk)] == "7"  # the late answer does not count
    assert tasks.close_attempts() == []  # nothing left for the job


def test_starting_again_after_a_lapsed_attempt_counts_it_and_starts_the_next(academy, exam):
    attempt = assessments.attempt_start(user=academy.student, assessment=exam)
    assert attempt.number == 2 and attempt.pk != exam.attempt.pk
    assert Attempt.objects.get(pk=exam.attempt.pk).submitted_at == exam.attempt.deadline


def test_saving_answers_and_submitting_is_one_transaction(academy, exam, monkeypatch):
    Attempt.objects.filter(pk=exam.attempt.pk).update(deadline=timezone.now() + timedelta(minutes=10))

    def broken(question, answer):
        raise RuntimeError("marking failed")

    monkeypatch.setattr(grading, "mark", broken)  # the submit fails after the answers are saved
    client = client_for(academy.student)
    with pytest.raises(RuntimeError, match="marking failed"):
        client.post("/academy/cloud-101/final/attempt/",
                    {"action": "submit", f"q{exam.right.pk}": "5", f"q{exam.wrong.pk}": "6"})
    stored = Attempt.objects.get(pk=exam.attempt.pk)
    assert stored.answers == {str(exam.right.pk): "4", str(exam.wrong.pk): "7"}  # as before the POST
    assert stored.submitted_at is None and stored.score is None
    monkeypatch.undo()
    page = client.post("/academy/cloud-101/final/attempt/",
                       {"action": "submit", f"q{exam.wrong.pk}": "6"}, follow=True).content.decode()
    assert "Results are shown when the exam closes" in page
    stored = Attempt.objects.get(pk=exam.attempt.pk)
    assert stored.score == 2 and stored.answers[str(exam.wrong.pk)] == "6"


def test_a_certification_exam_that_ran_out_is_certified_by_the_periodic_job_once(world):  # noqa: F811
    voucher, = certifications.vouchers_issue(actor=world.admin, certification=world.associate,
                                             organization=world.ntu, count=1)
    certifications.voucher_redeem(user=world.student, code=voucher.code)
    attempt = assessments.attempt_start(user=world.student, assessment=world.associate.exam)
    for qid in attempt.question_ids:  # every answer right, then the candidate closes the tab
        assessments.answer_save(user=world.student, attempt_id=attempt.pk, question_id=qid,
                                answer=str(Question.objects.get(pk=qid).correct[0]))
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=1))

    client = client_for(world.student)
    with no_writes():
        page = client.get(reverse("academy:certification", args=[world.associate.slug])).content.decode()
        ladder = client.get(reverse("academy:certifications")).content.decode()
        status = certifications.holding_status(user=world.student, certification=world.associate)
    assert 'data-testid="ran-out"' in page and "<strong>2 / 2</strong>" in page
    assert 'data-testid="holding"' in page and "You hold this certification" in page
    assert 'name="action" value="submit"' not in page
    assert "Held until" in ladder and status.state == "valid"
    assert not CertificationHolding.objects.exists() and not Credential.objects.exists()  # no GET issued it

    with TestCase.captureOnCommitCallbacks(execute=True):  # the job's commit sends the issuing task
        assert tasks.close_attempts() == [attempt.pk]
    holding = CertificationHolding.objects.get()
    deadline = Attempt.objects.get(pk=attempt.pk).deadline
    assert holding.attempt_id == attempt.pk and holding.earned_at == deadline == status.holding.earned_at
    assert Credential.objects.filter(recipient=world.student).count() == 1
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert tasks.close_attempts() == []  # twice run: nothing more
    assert CertificationHolding.objects.count() == 1 and Credential.objects.count() == 1
