"""A lab's answer key (two columns, no Usage, scored whole): what is refused, and with what message."""

from __future__ import annotations

import pytest

from forward.scoring import SolutionError, SubmissionError, load_solution, score_key_files
from forward.scoring.reading import MAX_COLUMNS
from forward.scoring.scorer import NUMBER_WIDTH


def write(tmp_path, name: str, text: str | bytes):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


def refused(tmp_path, text: str | bytes, metric: str = "answers") -> str:
    with pytest.raises(SolutionError) as caught:
        load_solution(write(tmp_path, "key.csv", text), metric, parts=False)
    return str(caught.value)


def test_a_key_needs_exactly_two_columns(tmp_path):
    assert refused(tmp_path, "id,target,extra\n1,2,3\n") == (
        "The answer key must have exactly two columns, the id and the target; found 3 (id, target, extra).")
    assert refused(tmp_path, "a,b,c,d,e\n1,2,3,4,5\n").endswith("found 5 (a, b, c, d, e).")  # all five, no "…"


def test_a_key_that_is_not_a_csv_is_refused_as_a_key(tmp_path):
    assert refused(tmp_path, b"\xff\xfeid,target\n") == (
        "The file is not UTF-8 text (line 1, byte 1). Save it as “CSV UTF-8”.")
    wide = ",".join(f"c{i}" for i in range(MAX_COLUMNS + 1)) + "\n"
    assert refused(tmp_path, wide).endswith("; the file needs only the columns id, target.")


def test_a_key_with_duplicate_ids_names_each(tmp_path):
    assert refused(tmp_path, "id,target\n1,a\n2,b\n2,c\n3,d\n3,e\n") == (
        "The answer key has 2 duplicate ids: 2 on lines 3, 4; 3 on lines 5, 6.")


def test_an_auc_key_needs_both_classes(tmp_path):
    message = "The answer key has only one class; AUC needs both classes (0 and 1)."
    assert refused(tmp_path, "id,target\n1,1\n2,1\n", "auc") == message
    assert refused(tmp_path, "id,target\n1,0\n2,0\n", "auc") == message
    key = write(tmp_path, "one-positive.csv", "id,target\n1,1\n2,0\n3,0\n")
    assert load_solution(key, "auc", parts=False).rows == 3  # one positive is enough


def test_a_numeric_key_is_scored_as_numbers(tmp_path):
    key = write(tmp_path, "key.csv", "id,target\n1,1.5\n22,2.5\n")
    solution = load_solution(key, "rmse", parts=False)
    assert solution.targets.dtype.kind == "f"
    assert (solution.id_width, solution.target_width) == (2, NUMBER_WIDTH)
    assert score_key_files(key, write(tmp_path, "s.csv", "id,target\n22,3.5\n1,2.5\n"), "rmse") == (1.0, 2)


def test_every_row_of_a_key_is_scored_and_its_widths_are_its_longest_values(tmp_path):
    solution = load_solution(write(tmp_path, "key.csv", "id,target\nquestion_long,abcdefgh\nq2,x\n"), "answers",
                             parts=False)
    assert solution.public_rows == solution.rows == 2
    public, private = solution.part_targets
    assert list(public) == ["abcdefgh", "x"] and len(private) == 0
    assert (solution.id_width, solution.target_width) == (len("question_long"), len("abcdefgh"))


def test_the_size_limit_given_with_a_key_holds(tmp_path):
    key = write(tmp_path, "key.csv", "id,target\nq1,10\nq2,20\n")
    submission = write(tmp_path, "s.csv", "id,target\nq1,10\nq2,20\n")
    assert score_key_files(key, submission, "answers") == (1.0, 2)
    with pytest.raises(SubmissionError, match="more than"):
        score_key_files(key, submission, "answers", max_bytes=10)


def test_answers_to_unknown_or_repeated_questions_are_named(tmp_path):
    key = write(tmp_path, "key.csv", "id,target\nq1,10\nq2,20\n")
    with pytest.raises(SubmissionError) as caught:
        score_key_files(key, write(tmp_path, "s.csv", "id,target\nq1,10\nq2,20\nq3,1\nq4,2\n"), "answers")
    assert str(caught.value) == ("2 question ids are not questions of this lab: q3, q4 (line 4). "
                                 "The questions are q1, q2.")
    with pytest.raises(SubmissionError) as caught:
        score_key_files(key, write(tmp_path, "s.csv", "id,target\nq1,10\nq1,11\nq2,20\nq2,3\n"), "answers")
    assert str(caught.value) == ("2 questions are answered more than once: q1 on lines 2, 3; q2 on lines 4, 5. "
                                 "Answer each once.")
