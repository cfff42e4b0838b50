"""Predictions a metric cannot score are refused with the submission's line, the value and what to
send instead: NaN and infinity anywhere, a probability where a class label is due, a negative value
for rmsle. Values the metric takes are scored, at the edges too."""

import pytest
from sklearn.metrics import root_mean_squared_log_error

from forward.scoring import SubmissionError, load_solution, score

NUMBERS = "id,target,Usage\n1,1.0,Public\n2,2.0,Private\n3,3.0,Public\n4,4.0,Private\n5,5.0,Public\n"
LABELS = "id,target,Usage\n1,0,Public\n2,1,Private\n3,2,Public\n4,3,Private\n5,1,Public\n"


def scored(tmp_path, metric, solution, submission):
    (tmp_path / "solution.csv").write_text(solution)
    (tmp_path / "submission.csv").write_text(submission)
    return score(load_solution(tmp_path / "solution.csv", metric), tmp_path / "submission.csv")


def refusal(tmp_path, metric, solution, submission) -> str:
    with pytest.raises(SubmissionError) as refused:
        scored(tmp_path, metric, solution, submission)
    return str(refused.value)


@pytest.mark.parametrize(("rows", "message"), [
    ("1,1.5\n2,2.5\n3,inf\n4,2\n5,nan\n", "Line 4: target is inf; NaN and infinity are not allowed."),
    ("1,1.5\n2,2.5\n3,3\n4,2\n5,nan\n", "Line 6: target is nan; NaN and infinity are not allowed."),
    ("1,-inf\n2,2.5\n3,3\n4,2\n5,1\n", "Line 2: target is -inf; NaN and infinity are not allowed."),
])
def test_the_first_value_that_is_not_a_finite_number_is_named_by_its_line(tmp_path, rows, message):
    assert refusal(tmp_path, "rmse", NUMBERS, "id,target\n" + rows) == message


def test_a_probability_sent_for_a_class_label_is_refused_with_the_labels_to_use(tmp_path):
    message = refusal(tmp_path, "accuracy", LABELS, "id,target\n1,0\n2,1\n3,0.7\n4,3\n5,0.2\n")
    # The first three of the solution's four labels, with no "…": they are examples, not the list.
    assert message == "Line 4: target is 0.7; predict a class label such as 0, 1, 2, not a probability."


def test_whole_numbers_are_class_labels_however_they_are_written(tmp_path):
    result = scored(tmp_path, "accuracy", LABELS, "id,target\n1,0\n2,1.0\n3,2\n4,3\n5,0\n")
    assert (result.public, result.private) == (pytest.approx(2 / 3), 1.0)


def test_rmsle_refuses_the_first_negative_prediction_and_takes_zero_and_fractions(tmp_path):
    message = refusal(tmp_path, "rmsle", NUMBERS, "id,target\n1,0\n2,0.5\n3,-1\n4,2\n5,-3\n")
    assert message == "Line 4: target is -1; rmsle needs predictions of 0 or more."
    result = scored(tmp_path, "rmsle", NUMBERS, "id,target\n1,0\n2,0.5\n3,1\n4,2\n5,3\n")
    assert result.public == pytest.approx(root_mean_squared_log_error([1, 3, 5], [0, 1, 3]), abs=1e-12)
    assert result.private == pytest.approx(root_mean_squared_log_error([2, 4], [0.5, 2]), abs=1e-12)


def test_other_regression_metrics_take_negative_predictions(tmp_path):
    result = scored(tmp_path, "rmse", NUMBERS, "id,target\n1,0\n2,-0.5\n3,1\n4,2\n5,3\n")
    assert result.public == pytest.approx(3 ** 0.5)
