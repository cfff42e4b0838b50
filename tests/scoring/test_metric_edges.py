"""Metrics at their edges agree with scikit-learn exactly: perfect predictions, inputs that are not
float64 yet, and labels written as text."""

import numpy as np
import pytest
from sklearn import metrics as sk

from forward.scoring import get_metric


@pytest.mark.filterwarnings("error")  # a deprecated NumPy call would fail on a later NumPy
def test_perfect_probabilities_score_the_clipped_log_loss_of_sklearn_exactly():
    y, p = np.array([1, 0, 1, 0]), np.array([1.0, 0.0, 1.0, 0.0])
    expected = sk.log_loss(y, p, labels=[0, 1])
    # Clipped to 1 - eps, not to 1 (that would score 0). The last bit depends on how the version
    # installed takes the logarithm (scikit-learn 1.9 agrees with log(1 - eps), not log1p(-eps)).
    assert expected > 0
    assert expected == pytest.approx(-np.log1p(-np.finfo(np.float64).eps), rel=1e-15)
    assert get_metric("logloss")(y, p) == expected
    assert get_metric("logloss")(np.array([1]), np.array([1.0])) == expected
    assert get_metric("logloss")(np.array([0]), np.array([0.0])) == expected


def test_log_loss_reads_text_labels_and_probabilities_held_as_python_objects():
    y = np.array(["1", "0", "1", "0"])
    p = np.array([0.9, 0.2, 0.6, 0.7], dtype=object)
    assert get_metric("logloss")(y, p) == pytest.approx(sk.log_loss(y, p.astype(float)), abs=1e-12)


@pytest.mark.filterwarnings("error")
def test_mape_divides_a_zero_target_by_the_smallest_float_as_sklearn_does():
    y, p = np.array([0.0, 2.0, 4.0]), np.array([1e-16, 1.0, 5.0])
    expected = sk.mean_absolute_percentage_error(y, p)
    assert expected == pytest.approx((1e-16 / np.finfo(np.float64).eps + 0.5 + 0.25) / 3, rel=1e-12)
    assert get_metric("mape")(y, p) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(("y", "p", "positive"), [
    (np.array(["1", "0", "1", "1", "0"]), np.array(["1", "1", "0", "1", "0"]), "1"),
    (np.array([1, 0, 1, 1, 0], dtype=np.uint8), np.array([1, 1, 0, 1, 0], dtype=np.uint8), 1),
])
def test_binary_f1_finds_the_positive_label_1_written_as_text_or_as_a_small_integer(y, p, positive):
    expected = sk.f1_score(y, p, pos_label=positive)
    assert expected == pytest.approx(2 / 3)
    assert get_metric("f1")(y, p) == pytest.approx(expected, abs=1e-12)
