import pytest

from forward.academy import assessments, grading, selectors, services
from forward.academy.models import Assessment, AssessmentKind, Question, QuestionKind
from tests.conftest import client_for

POLICY = {
    "types": [{"type": "quiz", "weight": 0.4, "min_count": 3, "drop_lowest": 1},
              {"type": "exam", "weight": 0.6, "min_count": 1, "drop_lowest": 0}],
    "cutoffs": {"distinction": 0.85, "merit": 0.7, "pass": 0.5},
}


def test_weights_minimum_counts_and_dropped_scores():
    # Quizzes: 100, 40 and a missing one (0): drop the lowest, average 70. Exam 90.
    result = grading.course_grade(POLICY, {"quiz": [100, 40], "exam": [90]})
    assert result["breakdown"][0]["average"] == pytest.approx(0.70)
    assert result["grade"] == pytest.approx(0.4 * 0.70 + 0.6 * 0.90)
    assert result["designation"] == "merit"
    assert grading.course_grade(POLICY, {})["designation"] == ""
    assert grading.course_grade(POLICY, {"quiz": [100, 100, 100], "exam": [100]})["designation"] == "distinction"


def test_policy_mistakes_are_explained():
    assert grading.policy_errors(POLICY) == []
    bad = {"types": [{"type": "quiz", "weight": 0.5, "min_count": 1, "drop_lowest": 1}], "cutoffs": {}}
    errors = " ".join(grading.policy_errors(bad))
    assert "add up to 0.5" in errors and "pass cutoff" in errors and "drop fewer" in errors


@pytest.fixture
def graded(academy):
    academy.course.grading_policy = POLICY
    academy.course.save()
    academy.quiz = Assessment.objects.create(course=academy.course, title="Q1", kind=AssessmentKind.QUIZ,
                                             shuffle_options=False)
    Question.objects.create(assessment=academy.quiz, kind=QuestionKind.NUMERIC, prompt="1+1", correct=[2])
    services.enrol(user=academy.student, run=academy.uni_run)
    attempt = assessments.attempt_start(user=academy.student, assessment=academy.quiz)
    assessments.answer_save(user=academy.student, attempt_id=attempt.pk, question_id=attempt.question_ids[0],
                            answer="2")
    assessments.attempt_submit(user=academy.student, attempt_id=attempt.pk)
    return academy


def test_learners_see_a_provisional_grade_until_staff_release_it(graded):
    grade = selectors.grades(course=graded.course, user_ids=[graded.student.pk])[graded.student.pk]
    assert grade["grade"] == pytest.approx(0.4 * (1.0 + 0.0) / 2)  # one quiz of three, lowest dropped
    html = client_for(graded.student).get("/academy/cloud-101/").content.decode()
    assert "provisional" in html
    client_for(graded.admin).post(f"/academy/runs/{graded.uni_run.pk}/release/")
    assert "Final grade" in client_for(graded.student).get("/academy/cloud-101/").content.decode()


def test_only_staff_of_the_run_release_grades_and_export_them(graded):
    url = f"/academy/runs/{graded.uni_run.pk}/"
    assert client_for(graded.student).post(url + "release/").status_code == 404
    graded.uni_run.refresh_from_db()
    assert graded.uni_run.grades_released_at is None
    assert client_for(graded.outsider).get(url + "grades.csv").status_code == 404
    csv = client_for(graded.admin).get(url + "grades.csv").content.decode()
    assert csv.splitlines()[0].startswith("name,email,progress_pct,Q1,grade_pct,designation")
    assert "student@ntu.test" in csv and ",20.0," in csv
