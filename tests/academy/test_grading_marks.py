"""Marks, course grades and certificate rules as a learner or instructor sees them (pure functions)."""

import pytest

from forward.academy import grading
from forward.academy.models import Question, QuestionKind


def q(kind, **fields):
    return Question(kind=kind, prompt="?", points=1, **fields)


# --- Marking one answer -------------------------------------------------------------------------

@pytest.mark.parametrize(("question", "answer", "right"), [
    # Answers stored as the list of values posted (a form field, the API) are read like one value.
    (q(QuestionKind.NUMERIC, correct=[2], tolerance=0), ["2"], True),
    (q(QuestionKind.NUMERIC, correct=[2], tolerance=0), ["3"], False),
    (q(QuestionKind.TEXT, correct=["Paris"]), [" paris "], True),
    (q(QuestionKind.TEXT, correct=["Paris"]), ["Lyon"], False),
    # A pattern is matched whatever the case its author or the learner typed.
    (q(QuestionKind.TEXT, pattern=r"Virtual Private Cloud|VPC"), "virtual private cloud", True),
    (q(QuestionKind.TEXT, pattern=r"Virtual Private Cloud|VPC"), "vpc", True),
    # A question that accepts any text gives nothing for no answer at all.
    (q(QuestionKind.TEXT, pattern=r".*"), "", False),
    (q(QuestionKind.TEXT, pattern=r".*"), "anything", True),
    # Values that are not option numbers are ignored, wherever they are in the list.
    (q(QuestionKind.SINGLE, options=["a", "b"], correct=[1]), ["b", "1"], True),
    (q(QuestionKind.MULTIPLE, options=["a", "b", "c"], correct=[0, 2]), [None, "0", "x", "2"], True),
    (q(QuestionKind.MULTIPLE, options=["a", "b", "c"], correct=[0, 2]), ["x", "0"], False),
])
def test_marking_answers_as_posted(question, answer, right):
    assert grading.is_correct(question, answer) is right
    assert grading.mark(question, answer) == (1 if right else 0)


def test_a_numeric_answer_at_the_tolerance_is_right():
    exact = q(QuestionKind.NUMERIC, correct=[0], tolerance=0)
    # The tolerance takes in float rounding (1e-12), inclusively; anything further is wrong.
    assert grading.is_correct(exact, "0.000000000001") is True
    assert grading.is_correct(exact, "0.000000000002") is False
    assert grading.is_correct(q(QuestionKind.NUMERIC, correct=[2], tolerance=0.5), "2.5") is True


# --- Course grades ------------------------------------------------------------------------------

CUTOFFS = {"distinction": 0.85, "merit": 0.7, "pass": 0.5}


def test_the_breakdown_shows_each_types_weight_average_and_contribution():
    policy = {"types": [{"type": "quiz", "weight": 0.25, "min_count": 2, "drop_lowest": 0},
                        {"type": "exam", "weight": 0.75, "min_count": 1, "drop_lowest": 0}],
              "cutoffs": CUTOFFS}
    assert grading.course_grade(policy, {"quiz": [100], "exam": [100]}) == {
        "grade": 0.875,
        "designation": "distinction",
        "breakdown": [
            {"type": "quiz", "weight": 0.25, "average": 0.5, "contribution": 0.125},
            {"type": "exam", "weight": 0.75, "average": 1.0, "contribution": 0.75},
        ],
    }


def test_a_type_without_counts_counts_one_assessment_and_drops_none():
    policy = {"types": [{"type": "quiz", "weight": 1}], "cutoffs": CUTOFFS}
    assert grading.policy_errors(policy) == []
    one = grading.course_grade(policy, {"quiz": [80]})
    assert one["grade"] == pytest.approx(0.8)  # not averaged with a missing second quiz
    assert one["designation"] == "merit"
    two = grading.course_grade(policy, {"quiz": [100, 50]})
    assert two["grade"] == pytest.approx(0.75)  # both counted, the lowest not dropped
    assert two["breakdown"][0]["average"] == pytest.approx(0.75)


def test_a_type_with_no_minimum_and_no_assessment_taken_earns_nothing():
    policy = {"types": [{"type": "quiz", "weight": 0.5, "min_count": 0, "drop_lowest": 0},
                        {"type": "exam", "weight": 0.5, "min_count": 1, "drop_lowest": 0}],
              "cutoffs": CUTOFFS}
    assert grading.policy_errors(policy) == []
    result = grading.course_grade(policy, {"exam": [100]})
    assert result["grade"] == pytest.approx(0.5)
    assert result["designation"] == "pass"
    assert result["breakdown"][0]["average"] == 0.0


def test_a_policy_without_types_grades_nothing():
    assert grading.course_grade({"cutoffs": {"pass": 0.5}}, {"quiz": [100]}) == {
        "grade": 0.0, "designation": "", "breakdown": []}


def test_the_designation_is_the_highest_cutoff_reached_whatever_the_names():
    # Names whose alphabetical order is not the order of their cutoffs.
    policy = {"types": [{"type": "exam", "weight": 1, "min_count": 1, "drop_lowest": 0}],
              "cutoffs": {"pass": 0.5, "credit": 0.65, "distinction": 0.75, "high distinction": 0.85}}
    assert grading.policy_errors(policy) == []
    designations = {p: grading.course_grade(policy, {"exam": [p]})["designation"] for p in (40, 50, 70, 80, 90)}
    assert designations == {40: "", 50: "pass", 70: "credit", 80: "distinction", 90: "high distinction"}


def test_a_grade_short_of_a_cutoff_by_float_rounding_reaches_it():
    policy = {"types": [{"type": "exam", "weight": 1, "min_count": 1, "drop_lowest": 0}], "cutoffs": CUTOFFS}
    # 69.9999999999 % is 0.699999999999: 1e-12 (the rounding allowed) below the merit cutoff.
    assert grading.course_grade(policy, {"exam": [69.9999999999]})["designation"] == "merit"
    assert grading.course_grade(policy, {"exam": [69.9999999998]})["designation"] == "pass"


# --- Certificates -------------------------------------------------------------------------------

@pytest.mark.parametrize(("certificates", "rules"), [
    ({"completion": True, "achievement": "merit"}, (True, "merit")),
    ({"completion": False, "achievement": "merit"}, (False, "merit")),
    ({"completion": False, "achievement": ""}, (False, "")),
    ({"achievement": "distinction"}, (True, "distinction")),
    ({"completion": True}, (True, "")),
    ({"completion": True, "achievement": "honours"}, (True, "")),  # not one of the cutoffs
])
def test_certificate_rules(certificates, rules):
    assert grading.certificate_rules({"types": [], "cutoffs": CUTOFFS, "certificates": certificates}) == rules


def test_no_certificate_of_achievement_without_an_achievement_designation_whatever_the_cutoffs():
    # Designations are the instructor's words: none of them is taken for the achievement unless named.
    for name in ("honours", "XXXX", "None"):
        policy = {"types": [], "cutoffs": {"pass": 0.5, name: 0.9}, "certificates": {"completion": True}}
        assert grading.certificate_rules(policy) == (True, "")
    assert grading.certificate_rules({"types": [], "cutoffs": CUTOFFS}) == (True, "")
    assert grading.certificate_rules({}) == (True, "merit")  # the default policy
