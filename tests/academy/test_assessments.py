from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from forward.academy import assessments, grading, services
from forward.academy.models import Assessment, AssessmentKind, Attempt, Question, QuestionKind


def q(kind, **fields):
    return Question(kind=kind, prompt="?", **fields)


@pytest.mark.parametrize(("question", "answer", "right"), [
    (q(QuestionKind.SINGLE, options=["a", "b"], correct=[1]), 1, True),
    (q(QuestionKind.SINGLE, options=["a", "b"], correct=[1]), "0", False),
    (q(QuestionKind.MULTIPLE, options=["a", "b", "c"], correct=[0, 2]), [2, 0], True),
    (q(QuestionKind.MULTIPLE, options=["a", "b", "c"], correct=[0, 2]), [0], False),
    (q(QuestionKind.NUMERIC, correct=[3.14], tolerance=0.01), "3.145", True),
    (q(QuestionKind.NUMERIC, correct=[3.14], tolerance=0.01), "3.2", False),
    (q(QuestionKind.NUMERIC, correct=[1000], tolerance=0), "1,000", True),
    (q(QuestionKind.NUMERIC, correct=[1], tolerance=0), "one", False),
    (q(QuestionKind.TEXT, correct=["Object Storage"]), "  object   storage ", True),
    (q(QuestionKind.TEXT, pattern=r"(virtual )?private cloud|vpc"), "VPC", True),
    (q(QuestionKind.TEXT, correct=["vpc"]), "", False),
])
def test_marking_each_kind_of_question(question, answer, right):
    assert grading.is_correct(question, answer) is right


@pytest.fixture
def quiz(academy):
    assessment = Assessment.objects.create(course=academy.course, title="Check yourself", attempts_allowed=2,
                                           questions_per_attempt=2)
    for i in range(4):
        Question.objects.create(assessment=assessment, order=i, kind=QuestionKind.SINGLE, prompt=f"Q{i}",
                                options=["wrong", "right", "also wrong"], correct=[1])
    return assessment


@pytest.fixture
def exam(academy):
    assessment = Assessment.objects.create(course=academy.course, title="Final exam", kind=AssessmentKind.EXAM,
                                           time_limit_minutes=30, attempts_allowed=1, shuffle_options=False,
                                           closes_at=timezone.now() + timedelta(days=1))
    Question.objects.create(assessment=assessment, kind=QuestionKind.NUMERIC, prompt="2+2", correct=[4])
    return assessment


def test_quizzes_need_an_enrolment(academy, quiz):
    with pytest.raises(PermissionDenied):
        assessments.attempt_start(user=academy.outsider, assessment=quiz)


def test_a_quiz_draws_questions_and_gives_feedback_at_once(academy, quiz):
    services.enrol(user=academy.student, run=academy.uni_run)
    attempt = assessments.attempt_start(user=academy.student, assessment=quiz)
    assert len(attempt.question_ids) == 2 and attempt.max_score == 2
    assert all(sorted(order) == [0, 1, 2] for order in attempt.option_orders.values())
    assert assessments.attempt_start(user=academy.student, assessment=quiz).pk == attempt.pk  # resumes
    first, second = attempt.question_ids
    assessments.answer_save(user=academy.student, attempt_id=attempt.pk, question_id=first, answer=1)
    assessments.answer_save(user=academy.student, attempt_id=attempt.pk, question_id=second, answer=0)
    done = assessments.attempt_submit(user=academy.student, attempt_id=attempt.pk)
    assert done.score == 1 and done.percent == 50
    assert assessments.results_visible(done)
    with pytest.raises(ValidationError, match="submitted"):
        assessments.answer_save(user=academy.student, attempt_id=attempt.pk, question_id=first, answer=0)


def test_attempt_limits_hold(academy, quiz):
    services.enrol(user=academy.student, run=academy.uni_run)
    for _ in range(2):
        attempt = assessments.attempt_start(user=academy.student, assessment=quiz)
        assessments.attempt_submit(user=academy.student, attempt_id=attempt.pk)
    with pytest.raises(ValidationError, match="all 2 attempts"):
        assessments.attempt_start(user=academy.student, assessment=quiz)


def test_exam_deadline_is_kept_by_the_server(academy, exam):
    services.enrol(user=academy.student, run=academy.uni_run)
    attempt = assessments.attempt_start(user=academy.student, assessment=exam)
    assert attempt.deadline is not None
    question = attempt.question_ids[0]
    assessments.answer_save(user=academy.student, attempt_id=attempt.pk, question_id=question, answer="5")
    # The learner's time runs out (a closed browser does not stop the clock).
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError, match="Time is up"):
        assessments.answer_save(user=academy.student, attempt_id=attempt.pk, question_id=question, answer="4")
    assert assessments.open_attempt(user=academy.student, assessment=exam) is None  # no longer in progress
    assert assessments.attempts_close_lapsed() == [attempt.pk]  # the periodic job marks it
    marked = Attempt.objects.get(pk=attempt.pk)
    assert marked.score == 0 and marked.submitted_at is not None
    assert not assessments.results_visible(marked)  # results when the exam closes
    Assessment.objects.filter(pk=exam.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    assert assessments.results_visible(Attempt.objects.select_related("assessment").get(pk=attempt.pk))


def test_nobody_answers_in_someone_elses_attempt(academy, exam):
    services.enrol(user=academy.student, run=academy.uni_run)
    services.enrol(user=academy.outsider, run=academy.open_run)
    attempt = assessments.attempt_start(user=academy.student, assessment=exam)
    with pytest.raises(PermissionDenied):
        assessments.answer_save(user=academy.outsider, attempt_id=attempt.pk, question_id=attempt.question_ids[0],
                                answer="4")


def test_taking_a_quiz_and_an_exam_through_the_pages(academy, quiz, exam):
    from forward.academy.models import Lesson, LessonKind
    from tests.conftest import client_for

    module = academy.video.module
    for slug, assessment in (("check", quiz), ("final", exam)):
        lesson = Lesson.objects.create(module=module, course=academy.course, order=5, slug=slug,
                                       kind=LessonKind.QUIZ, title=assessment.title)
        assessment.lesson = lesson
        assessment.save()
    services.enrol(user=academy.student, run=academy.uni_run)
    client = client_for(academy.student)
    client.post("/academy/cloud-101/check/attempt/", {"action": "start"})
    attempt = Attempt.objects.get(assessment=quiz)
    answers = {f"q{qid}": "1" for qid in attempt.question_ids}
    html = client.post("/academy/cloud-101/check/attempt/", {"action": "submit", **answers}, follow=True)
    assert "Submitted: 2 of 2 points" in html.content.decode() and "Passed" in html.content.decode()

    client.post("/academy/cloud-101/final/attempt/", {"action": "start"})
    exam_attempt = Attempt.objects.get(assessment=exam)
    page = client.get("/academy/cloud-101/final/").content.decode()
    assert "Answers count until" in page
    done = client.post("/academy/cloud-101/final/attempt/",
                       {"action": "submit", f"q{exam_attempt.question_ids[0]}": "4"}, follow=True).content.decode()
    assert "Results are shown when the exam closes" in done
    assert Attempt.objects.get(pk=exam_attempt.pk).score == 1


def test_an_exam_closes_for_a_cohort_when_its_run_ends(academy, exam):
    """The exam is open for other cohorts until next week, but this cohort's run is over: its
    learners see their results, and the grade book counts them; another run's learner still waits."""
    from forward.academy import selectors
    from forward.academy.models import CourseRun
    from tests.conftest import make_user

    Assessment.objects.filter(pk=exam.pk).update(closes_at=timezone.now() + timedelta(days=7))
    exam.refresh_from_db()
    services.enrol(user=academy.student, run=academy.uni_run)
    other = make_user("late@ntu.test")
    services.enrol(user=other, run=academy.open_run)
    for user in (academy.student, other):
        attempt = assessments.attempt_start(user=user, assessment=exam)
        assessments.answer_save(user=user, attempt_id=attempt.pk, question_id=attempt.question_ids[0], answer="4")
        assessments.attempt_submit(user=user, attempt_id=attempt.pk)
    mine = Attempt.objects.get(user=academy.student, assessment=exam)
    assert not assessments.results_visible(mine)
    CourseRun.objects.filter(pk=academy.uni_run.pk).update(ends_at=timezone.now())
    assert assessments.results_visible(Attempt.objects.get(pk=mine.pk))
    assert not assessments.results_visible(Attempt.objects.get(user=other, assessment=exam))
    grades = selectors.grades(course=academy.course, user_ids=[academy.student.pk, other.pk])
    assert grades[academy.student.pk]["grade"] > grades[other.pk]["grade"] == 0


def _quiz_lesson(academy, quiz):
    from forward.academy.models import Lesson, LessonKind

    lesson = Lesson.objects.create(module=academy.video.module, course=academy.course, order=5, slug="check",
                                   kind=LessonKind.QUIZ, title=quiz.title)
    quiz.lesson = lesson
    quiz.save()
    Question.objects.filter(assessment=quiz).update(explanation="Because the second option is the right one.")
    services.enrol(user=academy.student, run=academy.uni_run)


def test_a_quiz_shows_the_correct_answer_and_why_after_the_attempt(academy, quiz):
    from tests.conftest import client_for

    _quiz_lesson(academy, quiz)
    client = client_for(academy.student)
    client.post("/academy/cloud-101/check/attempt/", {"action": "start"})
    page = client.get("/academy/cloud-101/check/").content.decode()
    assert "Correct answer" not in page and "Because the second" not in page  # nothing before submitting
    attempt = Attempt.objects.get(assessment=quiz)
    first, second = attempt.question_ids
    page = client.post("/academy/cloud-101/check/attempt/", {"action": "submit", f"q{first}": "1", f"q{second}": "0"},
                       follow=True).content.decode()
    assert 'data-testid="feedback"' in page
    assert page.count('data-testid="correct-answer">Correct answer: right</span>') == 1  # for the wrong one only
    assert page.count("Because the second option is the right one.") == 2


def test_a_quiz_with_nothing_right_is_not_announced_as_a_success(academy, quiz):
    from tests.conftest import client_for

    _quiz_lesson(academy, quiz)
    client = client_for(academy.student)
    client.post("/academy/cloud-101/check/attempt/", {"action": "start"})
    attempt = Attempt.objects.get(assessment=quiz)
    page = client.post("/academy/cloud-101/check/attempt/",
                       {"action": "submit", **{f"q{qid}": "0" for qid in attempt.question_ids}},
                       follow=True).content.decode()
    assert '<li class="message warning">Submitted: 0 of 2 points.</li>' in page
    assert 'class="message success"' not in page and "Not passed yet" in page
    client.post("/academy/cloud-101/check/attempt/", {"action": "start"})
    attempt = Attempt.objects.get(assessment=quiz, number=2)
    page = client.post("/academy/cloud-101/check/attempt/",
                       {"action": "submit", **{f"q{qid}": "1" for qid in attempt.question_ids}},
                       follow=True).content.decode()
    assert '<li class="message success">Submitted: 2 of 2 points.</li>' in page


@pytest.mark.parametrize(("question", "text"), [
    (q(QuestionKind.SINGLE, options=["a", "b"], correct=[1]), "b"),
    (q(QuestionKind.MULTIPLE, options=["a", "b", "c"], correct=[2, 0]), "a; c"),
    (q(QuestionKind.NUMERIC, correct=[43.2], tolerance=0.5), "43.2 ± 0.5"),
    (q(QuestionKind.NUMERIC, correct=[32]), "32"),
    (q(QuestionKind.TEXT, correct=["VPC", "virtual private cloud"]), "VPC"),
    (q(QuestionKind.TEXT, pattern="v?pc"), ""),
])
def test_the_correct_answer_as_a_learner_reads_it(question, text):
    assert assessments.correct_answer(question) == text
