"""Choosing a metric by name (with map@K's K), and what AUC says when it cannot be computed."""

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from forward.scoring import SolutionError, get_metric


def refused(name) -> str:
    with pytest.raises(SolutionError) as caught:
        get_metric(name)
    return str(caught.value)


def test_map_at_k_is_a_ranking_metric_where_higher_is_better():
    metric = get_metric(" MAP@5 ")
    assert (metric.name, metric.higher_is_better, metric.kind, metric.k, metric.description) == (
        "map@5", True, "ranking", 5, "mean average precision at 5")
    assert metric(np.array(["a b"]), np.array(["b x a"])) == pytest.approx((1 / 1 + 2 / 3) / 2)


@pytest.mark.parametrize("name", ["map@0", "map@10000", "MAP@x", "map@", "map@012", "map@ 5"])
def test_a_map_at_k_without_a_good_k_says_what_k_may_be(name):
    assert refused(name) == f"{name!r}: map@K needs K as a whole number from 1 to 9999, e.g. map@12."


@pytest.mark.parametrize("name", ["r2", "", None, "mapk"])
def test_an_unknown_metric_lists_every_name(name):
    assert refused(name) == (f"Unknown metric {name!r}. Use one of: auc, logloss, accuracy, f1, f1_macro, "
                             "f1_micro, rmse, mae, rmsle, mape, answers, map@K (e.g. map@12).")


@pytest.mark.parametrize("truth", [[1, 1, 1], [0, 0, 0]])
def test_auc_of_one_class_says_it_needs_both(truth):
    with pytest.raises(SolutionError) as caught:
        get_metric("auc")(np.array(truth), np.array([0.2, 0.5, 0.9]))
    assert str(caught.value) == "AUC needs both classes (0 and 1) in the solution."


def test_auc_compares_scores_as_numbers_even_when_given_as_text():
    truth = np.array([1, 0, 1, 0, 1])
    as_text = np.array(["10", "9", "0.5", "2", "9"])  # as text "10" < "2" < "9"; as numbers 10 is the highest
    expected = roc_auc_score(truth, as_text.astype(float))
    assert get_metric("auc")(truth, as_text) == pytest.approx(expected, abs=1e-12)
    assert expected == pytest.approx(3.5 / 6)  # 10 beats both negatives, 9 beats 2 and ties 9, 0.5 beats none
