"""The "answers" metric: a short list of questions, numbers right within 1%, text right exactly."""

from __future__ import annotations

import numpy as np
import pytest

from forward import scoring
from forward.scoring.metrics import answer_is_right, answer_number, answer_text, answers_right

KEY = "question_id,answer\nvm_cost,1234.50\nstorage_cost,87.2\ncheapest,c6.large\negress_cost,0\n"


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text)
    return path


def score(tmp_path, answers: str) -> float:
    value, rows = scoring.score_key_files(write(tmp_path, "key.csv", KEY), write(tmp_path, "a.csv", answers),
                                          "answers")
    assert rows == 4
    return value


@pytest.mark.parametrize(("expected", "given", "right"), [
    ("1234.50", "1234.5", True),
    ("1234.50", "1246.8", True),  # within 1%
    ("1234.50", "1247.0", False),  # just over 1%
    ("1234.50", "1.2345e3", True),
    ("0", "0", True),
    ("0", "-0.0", True),
    ("0", "0.01", False),  # a key of 0 needs 0
    ("0.031", "0.035", False),  # small fractions are held to 1% too
    ("c6.large", " C6.LARGE ", True),
    ("c6.large", "c6.xlarge", False),
    ("New York", "new   york", True),
    ("1234.50", "$1234.50", False),
    ("100", "101", True),  # exactly 1% is within
    ("100", "99", True),
    ("1e999", "1e999", True),  # too large for a float: compared as text
    ("1e999", "inf", False),
])
def test_an_answer_is_right_within_the_tolerance_or_by_its_text(expected, given, right):
    assert answer_is_right(expected, given) is right


def test_the_metric_is_the_share_of_right_answers():
    truth = np.array(["10", "20", "x"], dtype=object)
    assert answers_right(truth, np.array(["10.05", "25", "X"], dtype=object)) == pytest.approx(2 / 3)
    assert scoring.get_metric("answers").higher_is_better


def test_numbers_and_texts_are_read_as_documented():
    assert answer_number(" -1.5e2 ") == -150.0
    assert answer_number("1e999") is None  # overflows to infinity: not a number an answer can state
    assert answer_number("nan") is None
    assert answer_text("  New\tYORK  city ") == "new york city"


def test_no_questions_score_nothing_and_one_right_question_scores_all():
    empty = np.array([], dtype=object)
    assert answers_right(empty, empty) == 0.0
    assert answers_right(np.array(["7"], dtype=object), np.array(["7"], dtype=object)) == 1.0
    assert answers_right(np.array(["7"], dtype=object), np.array(["8"], dtype=object)) == 0.0


def test_answers_and_key_of_different_lengths_are_a_bug_not_a_score():
    with pytest.raises(ValueError, match="zip"):
        answers_right(np.array(["7", "8"], dtype=object), np.array(["7"], dtype=object))


def test_a_file_of_answers_is_scored_in_any_order(tmp_path):
    assert score(tmp_path, "question_id,answer\ncheapest,c6.large\nvm_cost,1240\nstorage_cost,80\n"
                           "egress_cost,0\n") == pytest.approx(0.75)
    assert score(tmp_path, 'question_id,answer\nvm_cost,1234.5\nstorage_cost,87.20\ncheapest,"c6.large"\n'
                           "egress_cost,0.00\n") == 1.0


@pytest.mark.parametrize(("answers", "words"), [
    ("question_id,answer\nvm_cost,1234.5\nstorage_cost,87.2\ncheapest,c6.large\n", "1 questions have no answer: "
                                                                                      "egress_cost"),
    ("question_id,answer\nvm_cost,1\nstorage_cost,2\ncheapest,c6.large\negress_cost,0\nbonus,5\n",
     "not questions of this lab: bonus"),
    ("question_id,answer\nvm_cost,1\nvm_cost,2\ncheapest,c6.large\negress_cost,0\n", "answered more than once"),
    ("question_id,answer\nvm_cost,about 1200\nstorage_cost,87.2\ncheapest,c6.large\negress_cost,0\n",
     "Line 2: the answer to vm_cost is 'about 1200'; this question needs a number"),
    ("question_id,answer\nvm_cost,1234.5\nstorage_cost,\ncheapest,c6.large\negress_cost,0\n", "Line 3"),
    ("question,answer\nvm_cost,1234.5\n", "missing column question_id"),
])
def test_bad_answers_are_refused_with_what_to_fix(tmp_path, answers, words):
    with pytest.raises(scoring.SubmissionError, match=None) as caught:
        score(tmp_path, answers)
    assert words in str(caught.value)


def test_a_key_with_a_blank_answer_is_refused(tmp_path):
    with pytest.raises(scoring.SolutionError, match=r"^Line 3: the answer value is empty\.$"):
        scoring.load_solution(write(tmp_path, "key.csv", 'question_id,answer\na,1\nb," "\n'), "answers", parts=False)
