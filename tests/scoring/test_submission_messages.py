"""Scoring a submission against a solution: each refusal's whole message (what a participant reads
to fix the file), the limits a solution sets, and scoring with a metric given at scoring time."""

from __future__ import annotations

import pytest
from sklearn.metrics import mean_absolute_error

from forward.scoring import SubmissionError, load_solution, score, score_files, score_key_files

SOLUTION = "id,target,Usage\n1,1,Public\n2,5,Private\n3,2,Public\n"


def write(tmp_path, text: str, name: str):
    path = tmp_path / name
    path.write_text(text)
    return path


def refusal(call) -> str:
    with pytest.raises(SubmissionError) as caught:
        call()
    return str(caught.value)


@pytest.fixture
def solution(tmp_path):
    return load_solution(write(tmp_path, SOLUTION, "solution.csv"), "rmse")


@pytest.mark.parametrize(("header", "message"), [
    ("id,y", "The header has missing column target and unexpected column y. Expected exactly: id,target."),
    ("a,b", "The header has missing columns id, target and unexpected columns a, b. Expected exactly: id,target."),
    ("id,target,a,b", "The header has unexpected columns a, b. Expected exactly: id,target."),
    ("target", "The header has missing column id. Expected exactly: id,target."),
])
def test_a_header_with_wrong_columns_names_them(tmp_path, solution, header, message):
    rows = ",".join(["1"] * len(header.split(",")))
    assert refusal(lambda: score(solution, write(tmp_path, f"{header}\n{rows}\n", "s.csv"))) == message


def test_a_metric_given_when_scoring_is_the_one_used(tmp_path, solution):
    result = score(solution, write(tmp_path, "id,target\n1,2\n2,2\n3,5\n", "s.csv"), "mae")
    assert result.metric == "mae"
    assert result.public == pytest.approx(mean_absolute_error([1, 2], [2, 5]), abs=1e-12)
    assert result.private == pytest.approx(3.0)


def test_score_files_scores_with_the_metric_named(tmp_path):
    result = score_files(write(tmp_path, SOLUTION, "solution.csv"), write(tmp_path, "id,target\n1,2\n2,2\n3,5\n",
                                                                          "s.csv"), "mae")
    assert (result.metric, result.public, result.private) == ("mae", 2.0, 3.0)


def test_a_smaller_size_limit_given_when_scoring_holds_and_keeps_the_solutions_hint(tmp_path, solution):
    submission = write(tmp_path, "id,target\n1,1\n2,5\n3,2\n" + "\n" * 2000, "s.csv")  # 2,015 bytes
    assert refusal(lambda: score(solution, submission, max_bytes=1024)) == (
        "The file is 1 KB, more than 1 KB; a submission for this competition has 3 rows and should be about 1 KB.")


def test_a_smaller_size_limit_keeps_the_line_limit(tmp_path, solution):
    # 3 ids allow 3 + 1000 rows; blank lines past that are refused even when the bytes are few.
    submission = write(tmp_path, "id,target\n1,1\n2,5\n3,2\n" + "\n" * 1001, "s.csv")
    assert refusal(lambda: score(solution, submission, max_bytes=1_000_000)) == (
        "The file has more than 1,003 rows; a submission for this competition has 3 rows and should be about 1 KB.")
    ok = write(tmp_path, "id,target\n1,1\n2,5\n3,2\n" + "\n" * 1000, "ok.csv")
    assert score(solution, ok, max_bytes=1_000_000).rows == 3


def test_a_ranking_prediction_may_be_as_long_as_k_items_allow(tmp_path):
    # map@12 takes lists up to 100 × 12 = 1,200 characters, beyond the 1,000 of other values.
    solution = load_solution(write(tmp_path, "id,items,Usage\n1,a b,Public\n2,c,Private\n", "solution.csv"),
                             "map@12")
    long_list = "a " + " ".join(f"item{i:04d}" for i in range(120))  # 1,081 characters
    result = score(solution, write(tmp_path, f"id,items\n1,{long_list}\n2,c\n", "s.csv"))
    assert (result.public, result.private) == (0.5, 1.0)
    too_long = "a" + " b" * 600  # 1,201 characters
    assert refusal(lambda: score(solution, write(tmp_path, f"id,items\n1,{too_long}\n2,c\n", "t.csv"))) == (
        "Line 2: the value in column 'items' is 1,201 characters long; values may be at most 1,200.")


def test_a_word_answer_to_a_number_question_is_quoted_in_its_first_40_characters(tmp_path):
    key = write(tmp_path, "id,answer\ncost,1234.50\n", "key.csv")
    answer = "about twelve hundred and thirty four dollars, give or take"
    assert refusal(lambda: score_key_files(key, write(tmp_path, f"id,answer\ncost,\"{answer}\"\n", "a.csv"),
                                           "answers")) == (
        "Line 2: the answer to cost is 'about twelve hundred and thirty four dol'; this question needs a number, "
        "such as 1234.56 (no units, currency signs or thousands separators).")


def test_a_ranking_prediction_may_be_twice_as_long_as_the_longest_list_of_the_solution(tmp_path):
    # map@1 allows 100 characters a list, but this solution's lists run to 600: twice that is allowed.
    items = " ".join(f"i{n:04d}" for n in range(100))[:599] + "x"  # 600 characters
    solution = load_solution(write(tmp_path, f"id,items,Usage\n1,{items},Public\n2,c,Private\n", "solution.csv"),
                             "map@1")
    long_list = "i0000 " + "y" * 1193  # 1,199 characters
    result = score(solution, write(tmp_path, f"id,items\n1,{long_list}\n2,c\n", "s.csv"))
    assert (result.public, result.private) == (1.0, 1.0)
    assert refusal(lambda: score(solution, write(tmp_path, f"id,items\n1,{long_list}yy\n2,c\n", "t.csv"))) == (
        "Line 2: the value in column 'items' is 1,201 characters long; values may be at most 1,200.")


def test_many_unknown_ids_are_counted_and_five_of_them_shown(tmp_path):
    # The count says how many there are; "e.g." shows the first five, with no "…" after them.
    rows = "".join(f"{i},{i % 2},{'Public' if i % 2 else 'Private'}\n" for i in range(1, 9))
    solution = load_solution(write(tmp_path, "id,target,Usage\n" + rows, "solution.csv"), "mae")
    submission = "id,target\n" + "".join(f"{i},0\n" for i in range(1, 3)) + \
        "".join(f"{i},0\n" for i in range(101, 108)) + "".join(f"{i},0\n" for i in range(3, 9))
    assert refusal(lambda: score(solution, write(tmp_path, submission, "submission.csv"))) == (
        "7 ids are not in the test set, e.g. 101, 102, 103, 104, 105 (line 4).")


def test_many_missing_ids_are_counted_and_five_of_them_shown(tmp_path):
    rows = "".join(f"{i},{i % 2},{'Public' if i % 2 else 'Private'}\n" for i in range(1, 10))
    solution = load_solution(write(tmp_path, "id,target,Usage\n" + rows, "solution.csv"), "mae")
    assert refusal(lambda: score(solution, write(tmp_path, "id,target\n1,0\n3,0\n", "submission.csv"))) == (
        "7 ids of the test set are missing, e.g. 2, 4, 5, 6, 7. Submit one row for each of the 9 ids.")
