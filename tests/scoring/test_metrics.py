"""Every metric agrees with scikit-learn (or Kaggle's MAP@K) to 1e-9, ties and edge cases included."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn import metrics as sk

from forward.scoring import SolutionError, get_metric

TOL = 1e-9
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Probabilities drawn from a small set make ties common; from floats, rare.
probability = st.one_of(st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.75, 1.0]),
                        st.floats(0, 1, allow_nan=False, allow_infinity=False))


@st.composite
def binary_case(draw, min_size=2):
    n = draw(st.integers(min_size, 60))
    y = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    p = np.array(draw(st.lists(probability, min_size=n, max_size=n)), dtype=float)
    return y, p


@FAST
@given(binary_case())
def test_auc_matches_sklearn(case):
    y, p = case
    if len(set(y)) < 2:
        with pytest.raises(SolutionError):
            get_metric("auc")(y, p)
        return
    assert abs(get_metric("auc")(y, p) - sk.roc_auc_score(y, p)) < TOL


@FAST
@given(binary_case(min_size=1))
def test_logloss_matches_sklearn(case):
    y, p = case
    expected = sk.log_loss(y, p, labels=[0, 1])
    assert abs(get_metric("logloss")(y, p) - expected) < TOL


@st.composite
def label_case(draw):
    n = draw(st.integers(1, 60))
    classes = draw(st.sampled_from([[0, 1], [0, 1, 2], [1, 2, 3, 7]]))
    y = np.array(draw(st.lists(st.sampled_from(classes), min_size=n, max_size=n)))
    p = np.array(draw(st.lists(st.sampled_from(classes), min_size=n, max_size=n)))
    return y, p


@FAST
@given(label_case())
def test_label_metrics_match_sklearn(case):
    y, p = case
    assert abs(get_metric("accuracy")(y, p) - sk.accuracy_score(y, p)) < TOL
    assert abs(get_metric("f1_macro")(y, p) - sk.f1_score(y, p, average="macro", zero_division=0)) < TOL
    assert abs(get_metric("f1_micro")(y, p) - sk.f1_score(y, p, average="micro", zero_division=0)) < TOL


@FAST
@given(st.integers(1, 60).flatmap(lambda n: st.tuples(
    st.lists(st.integers(0, 1), min_size=n, max_size=n), st.lists(st.integers(0, 1), min_size=n, max_size=n))))
def test_binary_f1_matches_sklearn(case):
    y, p = (np.array(v) for v in case)
    assert abs(get_metric("f1")(y, p) - sk.f1_score(y, p, zero_division=0)) < TOL


def test_f1_works_with_string_labels():
    y = np.array(["cat", "dog", "dog", "bird"])
    p = np.array(["cat", "dog", "bird", "bird"])
    assert abs(get_metric("f1_macro")(y, p) - sk.f1_score(y, p, average="macro")) < TOL


number = st.floats(0, 1e6, allow_nan=False, allow_infinity=False)


@FAST
@given(st.integers(1, 60).flatmap(lambda n: st.tuples(
    st.lists(number, min_size=n, max_size=n), st.lists(number, min_size=n, max_size=n))))
def test_regression_metrics_match_sklearn(case):
    y, p = (np.array(v, dtype=float) for v in case)
    assert abs(get_metric("rmse")(y, p) - sk.root_mean_squared_error(y, p)) <= TOL * max(1, np.abs(y - p).max())
    assert abs(get_metric("mae")(y, p) - sk.mean_absolute_error(y, p)) <= TOL * max(1, np.abs(y - p).max())
    assert abs(get_metric("rmsle")(y, p) - sk.root_mean_squared_log_error(y, p)) < TOL
    expected = sk.mean_absolute_percentage_error(y, p)
    assert abs(get_metric("mape")(y, p) - expected) <= TOL * max(1.0, abs(expected))


def reference_apk(actual, predicted, k):
    """Kaggle's ml_metrics.apk, as published."""
    if len(predicted) > k:
        predicted = predicted[:k]
    score, hits = 0.0, 0.0
    for i, p in enumerate(predicted):
        if p in actual and p not in predicted[:i]:
            hits += 1.0
            score += hits / (i + 1.0)
    if not actual:
        return 0.0
    return score / min(len(actual), k)


ids = st.lists(st.sampled_from(list("abcdefgh")), max_size=8)


@FAST
@given(st.integers(1, 12), st.lists(st.tuples(ids, ids), min_size=1, max_size=30))
def test_map_at_k_matches_kaggle(k, rows):
    actual = np.array([" ".join(a) for a, _ in rows])
    predicted = np.array([" ".join(p) for _, p in rows])
    expected = np.mean([reference_apk(a, p, k) for a, p in rows])
    assert abs(get_metric(f"map@{k}")(actual, predicted) - expected) < TOL


def test_direction_and_names():
    assert get_metric("AUC").higher_is_better and not get_metric("rmse").higher_is_better
    assert get_metric("map@12").k == 12
    with pytest.raises(SolutionError, match="auc"):
        get_metric("r2")
    with pytest.raises(SolutionError):
        get_metric("map@0")
