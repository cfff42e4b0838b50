"""Loading a competition's solution and a lab's answer key: each refusal's whole message (what a
host reads to fix the file), and what a solution that loads holds and scores."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from sklearn.metrics import f1_score, mean_absolute_percentage_error, root_mean_squared_log_error

from forward.scoring import (
    Solution,
    SolutionError,
    get_metric,
    load_solution,
    score,
    score_key_files,
)
from forward.scoring.reading import Limits


def write(tmp_path, text: str | bytes, name: str = "solution.csv"):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def refused(tmp_path, text: str | bytes, metric: str = "rmse", *, parts: bool = True) -> str:
    with pytest.raises(SolutionError) as caught:
        load_solution(write(tmp_path, text), metric, parts=parts)
    return str(caught.value)


@pytest.mark.parametrize("parts", [True, False])
def test_an_empty_file_is_refused_as_a_solution_error(tmp_path, parts):
    assert refused(tmp_path, b"", parts=parts) == "The file is empty."


def test_a_header_with_an_overlong_name_says_which_columns_a_solution_needs(tmp_path):
    text = "id," + "t" * 1001 + ",Usage\n1,2,Public\n"
    assert refused(tmp_path, text) == ("A column name on line 1 is 1,001 characters long; names may be at most "
                                       "1,000; the file needs only the columns id, target, Usage.")


def test_a_solution_without_usage_lists_the_columns_it_has(tmp_path):
    assert refused(tmp_path, "id,target\n1,1\n") == (
        "The solution needs a Usage column saying Public or Private for each row (found columns: id, target).")


@pytest.mark.parametrize("usage", ["Usage", "USAGE"])
def test_usage_may_not_be_the_first_column(tmp_path, usage):
    assert refused(tmp_path, f"{usage},id,target\nPublic,1,2\nPrivate,2,3\n") == (
        "The first column of the solution must be the id column, not Usage.")


@pytest.mark.parametrize(("header", "found"), [
    ("id,Usage", "0 target columns (none)"),
    ("id,a,b,Usage", "2 target columns (a, b)"),
    ("id,a,usage,b", "2 target columns (a, b)"),
])
def test_a_solution_needs_exactly_one_target_column(tmp_path, header, found):
    row = ",".join("Public" if name.lower() == "usage" else "1" for name in header.split(","))
    assert refused(tmp_path, f"{header}\n{row}\n") == (
        f"The solution must have the id column, one target column and Usage; found {found}.")


def test_a_solution_needs_rows_and_unique_ids(tmp_path):
    assert refused(tmp_path, "id,target,Usage\n") == "The solution has no rows."
    assert refused(tmp_path, "id,target,Usage\n1,1,Public\n2,2,Private\n1,3,Private\n") == (
        "The solution has 1 duplicate ids: 1 on lines 2, 4.")


def test_an_answer_key_needs_rows_and_one_question_is_enough(tmp_path):
    assert refused(tmp_path, "id,target\n", "answers", parts=False) == "The answer key has no rows."
    key = write(tmp_path, "id,target\nq1,42\n", "key.csv")
    assert score_key_files(key, write(tmp_path, "id,target\nq1,42.1\n", "a.csv"), "answers") == (1.0, 1)
    assert score_key_files(key, write(tmp_path, "id,target\nq1,50\n", "b.csv"), "answers") == (0.0, 1)


def test_ids_that_start_as_integers_and_turn_to_text_are_read_as_text(tmp_path):
    # The first id looks like an integer, so integers are tried first; "x3" sends the reading back
    # to text, where surrounding spaces are dropped as they are for any text id.
    solution = load_solution(write(tmp_path, "id,target,Usage\n1,1.5,Public\n 2 ,2.5,Private\nx3,3.5,Public\n"),
                             "rmse")
    assert solution.ids.to_pylist() == ["1", "2", "x3"]
    result = score(solution, write(tmp_path, "id,target\nx3,4.5\n2,2.0\n1,1.5\n", "s.csv"))
    assert (result.public, result.private) == (pytest.approx(0.5 ** 0.5), 0.5)


def test_ids_that_turn_to_text_are_checked_again_as_text(tmp_path):
    text = 'id,target,Usage\n1,cat,Public\nx2,"d\nog",Private\n3,cat,Public\n'
    assert refused(tmp_path, text, "accuracy") == (
        "Line 3: the target value holds a line break; each value must be on one line (is a quote left open?).")


def test_a_blank_integer_id_after_a_value_with_a_line_break_names_the_line_break_first(tmp_path):
    # Line 3 opens a label that runs onto line 4; the blank id is on line 5. The line break comes
    # first, and the rows after it no longer match their line numbers, so it is the one named.
    text = 'id,target,Usage\n1,cat,Public\n2,"d\nog",Private\n ,cat,Public\n'
    assert refused(tmp_path, text, "accuracy") == (
        "Line 3: the target value holds a line break; each value must be on one line (is a quote left open?).")


@pytest.mark.parametrize("ids", [("r1", "r2"), ("1", "2"), ("1", "x2")], ids=["text", "integer", "integer-then-text"])
def test_a_solution_that_is_not_utf8_is_named_as_the_solution(tmp_path, ids):
    # Text ids are read once, integer ids as integers, and integers that turn to text twice: each
    # reading names the solution.
    text = f"id,target,Usage\n{ids[0]},cat,Public\n{ids[1]},dog,Private\n3,c".encode() + b"\xffat,Public\n"
    assert refused(tmp_path, text, "accuracy") == (
        "The solution is not UTF-8 text (line 4, byte 4). Save it as “CSV UTF-8”.")


def test_a_metric_may_be_given_as_a_metric_object(tmp_path):
    solution = load_solution(write(tmp_path, "id,target,Usage\n1,1,Public\n2,4,Private\n"), get_metric("mae"))
    assert solution.metric.name == "mae"
    result = score(solution, write(tmp_path, "id,target\n1,2\n2,2\n", "s.csv"))
    assert (result.metric, result.public, result.private) == ("mae", 1.0, 2.0)


def test_a_solution_made_in_code_builds_its_own_index(tmp_path):
    solution = Solution(metric=get_metric("mae"), id_column="id", target_column="y", ids=pa.array([30, 10, 20]),
                        targets=np.array([3.0, 1.0, 2.0]), public=np.array([True, False, True]))
    result = score(solution, write(tmp_path, "y,id\n1.5,10\n2.5,20\n3.5,30\n", "s.csv"))
    assert (result.public, result.private, result.rows) == (0.5, 0.5, 3)
    assert solution.id_index.positions(pa.array([20, 30, 99])).tolist() == [2, 0, -1]


@pytest.mark.parametrize(("rows", "width", "about"), [(31, 85, "2 KB"), (23, 77, "2 KB")])
def test_the_limits_of_a_submission_follow_from_the_solution(tmp_path, rows, width, about):
    # A row may take 2 × (id + 24) + 64 bytes and the file 16 MB more; a real file is about
    # rows × (id + 10 + 2) + 64 bytes: 3,071 bytes for 31 ids of 85 characters (just under 3 KB),
    # 2,111 for 23 ids of 77 (just over 2 KB).
    lines = "".join(f"{'r' * (width - 5)}{i:05d},{i}.5,{'Public' if i % 2 else 'Private'}\n" for i in range(rows))
    solution = load_solution(write(tmp_path, "id,target,Usage\n" + lines), "rmse")
    assert solution.submission_limits() == Limits(
        max_bytes=rows * (2 * (width + 24) + 64) + 16 * 1024**2, max_lines=rows + 1 + 1000,
        expected=f"a submission for this competition has {rows} rows and should be about {about}")


@pytest.mark.parametrize("missing", ["Public", "Private"])
def test_a_solution_needs_rows_in_both_parts(tmp_path, missing):
    usage = "Private" if missing == "Public" else "Public"
    assert refused(tmp_path, f"id,target,Usage\n1,1,{usage}\n2,2,{usage.lower()}\n") == (
        f"The solution has no {missing} rows; both the Public and the Private part need rows.")


@pytest.mark.parametrize(("rows", "message"), [
    ("1,1\n2,nan\n3,inf\n", "Line 3: target is nan; targets must be finite numbers."),
    ("1,1\n2,2\n3,-inf\n", "Line 4: target is -inf; targets must be finite numbers."),
])
def test_a_target_that_is_not_a_finite_number_is_named_by_its_line(tmp_path, rows, message):
    usage = ["Public", "Private", "Public"]
    text = "id,target,Usage\n" + "".join(f"{r},{u}\n" for r, u in zip(rows.splitlines(), usage, strict=True))
    assert refused(tmp_path, text) == message


def test_probability_targets_must_be_0_or_1_and_are_kept_a_byte_each(tmp_path):
    assert refused(tmp_path, "id,target,Usage\n1,1,Public\n2,0.5,Private\n3,0,Public\n", "logloss") == (
        "Line 3: target is 0.5; logloss needs targets of 0 or 1.")
    solution = load_solution(write(tmp_path, "id,target,Usage\n1,1,Public\n2,0,Private\n3,1.0,Public\n"), "logloss")
    assert solution.targets.tolist() == [1, 0, 1]
    assert solution.targets.nbytes == solution.rows  # what the solution cache counts for it


def test_rmsle_refuses_a_negative_target_and_takes_zero_and_fractions(tmp_path):
    assert refused(tmp_path, "id,target,Usage\n1,1,Public\n2,-0.5,Private\n3,-2,Public\n", "rmsle") == (
        "Line 3: target is negative; rmsle needs targets of 0 or more.")
    solution = load_solution(write(tmp_path, "id,target,Usage\n1,0,Public\n2,0.5,Private\n3,2,Public\n"), "rmsle")
    result = score(solution, write(tmp_path, "id,target\n1,1\n2,1\n3,1\n", "s.csv"))
    assert result.public == pytest.approx(root_mean_squared_log_error([0, 2], [1, 1]), abs=1e-12)
    assert result.private == pytest.approx(root_mean_squared_log_error([0.5], [1]), abs=1e-12)


def test_mape_refuses_a_zero_target_and_takes_any_other(tmp_path):
    assert refused(tmp_path, "id,target,Usage\n1,1,Public\n2,0,Private\n3,0,Public\n", "mape") == (
        "Line 3: target is 0; mape divides by the target, so targets must not be 0.")
    solution = load_solution(write(tmp_path, "id,target,Usage\n1,-2,Public\n2,0.5,Private\n3,4,Public\n"), "mape")
    result = score(solution, write(tmp_path, "id,target\n1,-1\n2,1\n3,5\n", "s.csv"))
    assert result.public == pytest.approx(mean_absolute_percentage_error([-2, 4], [-1, 5]), abs=1e-12)
    assert result.private == pytest.approx(mean_absolute_percentage_error([0.5], [1]), abs=1e-12)


def test_binary_f1_needs_labels_0_and_1(tmp_path):
    for labels in ("0,1,2", "no,yes,no"):
        rows = "".join(f"{i},{label},{'Public' if i % 2 else 'Private'}\n"
                       for i, label in enumerate(labels.split(",")))
        assert refused(tmp_path, "id,target,Usage\n" + rows, "f1") == (
            "Binary F1 needs target to be 0 or 1 in every row.")
    truth = [1, 0, 1, 1, 0, 0]
    rows = "".join(f"{i},{label},{'Public' if i < 3 else 'Private'}\n" for i, label in enumerate(truth))
    solution = load_solution(write(tmp_path, "id,target,Usage\n" + rows), "f1")
    predicted = [1, 1, 0, 1, 0, 1]
    result = score(solution, write(tmp_path, "id,target\n" + "".join(f"{i},{p}\n" for i, p in enumerate(predicted)),
                                   "s.csv"))
    assert result.public == pytest.approx(f1_score(truth[:3], predicted[:3]))
    assert result.private == pytest.approx(f1_score(truth[3:], predicted[3:]))


def test_a_ranking_solution_keeps_its_lists(tmp_path):
    solution = load_solution(write(tmp_path, "id,items,Usage\n1,a b c,Public\n2, d ,Private\n"), "map@3")
    assert solution.targets.tolist() == ["a b c", " d "]
    result = score(solution, write(tmp_path, "id,items\n1,a x c\n2,x d\n", "s.csv"))
    assert (result.public, result.private) == (pytest.approx((1 + 2 / 3) / 3), 0.5)


@pytest.mark.parametrize(("targets", "message"), [
    ("0,0,0,1", "The Private part has only class 0; AUC needs both classes (0 and 1) in each part."),
    ("1,1,0,1", "The Private part has only class 1; AUC needs both classes (0 and 1) in each part."),
    ("0,1,0,0", "The Public part has only class 0; AUC needs both classes (0 and 1) in each part."),
])
def test_each_part_of_an_auc_solution_needs_both_classes(tmp_path, targets, message):
    # Rows 1 and 2 are Private, 3 and 4 Public.
    rows = "".join(f"{i + 1},{t},{'Private' if i < 2 else 'Public'}\n" for i, t in enumerate(targets.split(",")))
    assert refused(tmp_path, "id,target,Usage\n" + rows, "auc") == message
