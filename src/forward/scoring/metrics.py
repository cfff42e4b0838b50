"""Metrics, computed with NumPy. Each agrees with scikit-learn (or Kaggle's MAP@K) to 1e-9."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .errors import SolutionError

PROBABILITY, LABEL, REGRESSION, RANKING = "probability", "label", "regression", "ranking"
ANSWERS = "answers"  # short answers to questions: numbers within a tolerance, or text


@dataclass(frozen=True)
class Metric:
    name: str
    higher_is_better: bool
    kind: str  # what the prediction column holds: probability, label, regression, ranking or answers
    compute: Callable[[np.ndarray, np.ndarray], float]
    k: int | None = None  # for map@K
    description: str = ""

    def __call__(self, y_true: np.ndarray, y_pred: np.ndarray) -> float:
        return float(self.compute(y_true, y_pred))

    def __reduce__(self) -> tuple[Callable[[str], Metric], tuple[str]]:
        # By name: map@K's compute is a closure, which pickle cannot carry to another process.
        return (get_metric, (self.name,))


# --- Binary probabilities --------------------------------------------------------------------


def auc(y_true: np.ndarray, y_score: np.ndarray) -> float:
    """Area under the ROC curve (Mann–Whitney U), ties counted as half: O(n log n).

    Each part's scores are sorted on their own (a plain sort, much faster than ranking all of
    them), and for every positive the negatives below it, and those tied with it, are counted by
    binary search; the counts are whole numbers, so the sum is exact.
    """
    positive = y_true == 1
    n_pos = int(np.count_nonzero(positive))
    n_neg = int(y_true.shape[0]) - n_pos
    if n_pos == 0 or n_neg == 0:
        raise SolutionError("AUC needs both classes (0 and 1) in the solution.")
    scores = np.asarray(y_score, dtype=np.float64)
    positives, negatives = scores[positive], scores[~positive]
    positives.sort()  # in place: the selections are copies already
    negatives.sort()
    below = np.searchsorted(negatives, positives, side="left")
    u = float(below.sum())
    # Ties count half. Only a positive with a negative of its very score has any: find their ends.
    tie = negatives[np.minimum(below, n_neg - 1)] == positives
    if tie.any():
        u += float((np.searchsorted(negatives, positives[tie], side="right") - below[tie]).sum()) / 2.0
    return u / (n_pos * n_neg)


def logloss(y_true: np.ndarray, y_prob: np.ndarray) -> float:
    """Binary cross-entropy with probabilities clipped to [eps, 1 - eps], as scikit-learn does."""
    y = np.asarray(y_true, dtype=np.float64)
    p = np.asarray(y_prob, dtype=np.float64)
    eps = np.finfo(np.float64).eps
    positive = np.clip(p, eps, 1 - eps)
    negative = np.clip(1 - p, eps, 1 - eps)
    return float(-np.mean(y * np.log(positive) + (1 - y) * np.log(negative)))


# --- Labels ----------------------------------------------------------------------------------


def accuracy(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    return float(np.mean(y_true == y_pred))


def _f1_counts(y_true: np.ndarray, y_pred: np.ndarray, label: object) -> tuple[int, int, int]:
    true_is, pred_is = y_true == label, y_pred == label
    tp = int(np.count_nonzero(true_is & pred_is))
    return tp, int(np.count_nonzero(~true_is & pred_is)), int(np.count_nonzero(true_is & ~pred_is))


def _f1(tp: int, fp: int, fn: int) -> float:
    denominator = 2 * tp + fp + fn
    return 0.0 if denominator == 0 else 2 * tp / denominator


def f1(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Binary F1 for the positive label 1."""
    return _f1(*_f1_counts(y_true, y_pred, _positive_label(y_true)))


def _positive_label(y_true: np.ndarray) -> str | int:
    return "1" if y_true.dtype.kind in "US" else 1


def f1_macro(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    labels = np.union1d(y_true, y_pred)
    return float(np.mean([_f1(*_f1_counts(y_true, y_pred, label)) for label in labels]))


def f1_micro(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Micro-averaged F1 over all labels: for single-label data it equals accuracy."""
    tp = int(np.count_nonzero(y_true == y_pred))
    wrong = y_true.shape[0] - tp
    return _f1(tp, wrong, wrong)


# --- Regression ------------------------------------------------------------------------------


def rmse(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    return float(np.sqrt(np.mean((y_true - y_pred) ** 2)))


def mae(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    return float(np.mean(np.abs(y_true - y_pred)))


def rmsle(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    return float(np.sqrt(np.mean((np.log1p(y_pred) - np.log1p(y_true)) ** 2)))


def mape(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Mean absolute percentage error as a fraction (scikit-learn's definition)."""
    eps = np.finfo(np.float64).eps
    return float(np.mean(np.abs(y_pred - y_true) / np.maximum(np.abs(y_true), eps)))


# --- Answers to questions -------------------------------------------------------------------

ANSWER_RELATIVE_TOLERANCE = 0.01  # a number within 1% of the key's answer is right …
ANSWER_ABSOLUTE_TOLERANCE = 1e-9  # … and a key of 0 needs 0 (floating-point slack only)
_ANSWER_NUMBER = re.compile(r"^[+-]?((\d+(\.\d*)?)|(\.\d+))([eE][+-]?\d+)?$")


def answer_number(text: object) -> float | None:
    """The number an answer states (``1234.5``, ``-0.25``, ``1e3``), or None if it is not one."""
    value = str(text).strip()
    if not _ANSWER_NUMBER.match(value):
        return None
    number = float(value)
    return number if np.isfinite(number) else None


def answer_text(text: object) -> str:
    """A text answer compared without case and with runs of white space as one space."""
    return " ".join(str(text).split()).casefold()


def answer_is_right(expected: object, given: object) -> bool:
    """A numeric key: ``given`` is a number within the tolerance. A text key: the same text."""
    number = answer_number(expected)
    if number is None:
        return answer_text(given) == answer_text(expected)
    guess = answer_number(given)
    tolerance = max(ANSWER_RELATIVE_TOLERANCE * abs(number), ANSWER_ABSOLUTE_TOLERANCE)
    return guess is not None and abs(guess - number) <= tolerance * (1 + 1e-9)


def answers_right(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """The share of questions answered right (see :func:`answer_is_right`)."""
    if y_true.shape[0] == 0:
        return 0.0
    return sum(answer_is_right(t, p) for t, p in zip(y_true, y_pred, strict=True)) / int(y_true.shape[0])


# --- Ranking ---------------------------------------------------------------------------------


def average_precision_at_k(actual: list[str], predicted: list[str], k: int) -> float:
    """Kaggle's AP@K for one row."""
    if not actual:
        return 0.0
    predicted = predicted[:k]
    relevant = set(actual)
    seen: set[str] = set()
    hits, score = 0, 0.0
    for i, p in enumerate(predicted):
        if p in relevant and p not in seen:
            hits += 1
            score += hits / (i + 1.0)
        seen.add(p)
    return score / min(len(actual), k)


def map_at_k(k: int) -> Callable[[np.ndarray, np.ndarray], float]:
    def compute(y_true: np.ndarray, y_pred: np.ndarray) -> float:
        if y_true.shape[0] == 0:
            return 0.0
        total = 0.0
        for actual, predicted in zip(y_true, y_pred, strict=True):
            total += average_precision_at_k(str(actual).split(), str(predicted).split(), k)
        return total / int(y_true.shape[0])

    return compute


METRICS: dict[str, Metric] = {
    m.name: m for m in [
        Metric("auc", True, PROBABILITY, auc, description="area under the ROC curve"),
        Metric("logloss", False, PROBABILITY, logloss, description="binary log loss"),
        Metric("accuracy", True, LABEL, accuracy, description="share of correct labels"),
        Metric("f1", True, LABEL, f1, description="F1 of the positive class 1"),
        Metric("f1_macro", True, LABEL, f1_macro, description="mean F1 over classes"),
        Metric("f1_micro", True, LABEL, f1_micro, description="F1 over all decisions"),
        Metric("rmse", False, REGRESSION, rmse, description="root mean squared error"),
        Metric("mae", False, REGRESSION, mae, description="mean absolute error"),
        Metric("rmsle", False, REGRESSION, rmsle, description="root mean squared log error"),
        Metric("mape", False, REGRESSION, mape, description="mean absolute percentage error"),
        Metric("answers", True, ANSWERS, answers_right,
               description="share of questions answered right: numbers within 1%, text exactly (in any case)"),
    ]
}
METRIC_NAMES = [*METRICS, "map@K"]
_MAP = re.compile(r"^map@([1-9][0-9]{0,3})$")


def get_metric(name: str) -> Metric:
    """The metric called ``name`` (``map@12`` for MAP@12). Unknown names list the valid ones."""
    key = (name or "").strip().lower()
    if key in METRICS:
        return METRICS[key]
    match = _MAP.match(key)
    if match:
        k = int(match.group(1))
        return Metric(f"map@{k}", True, RANKING, map_at_k(k), k=k, description=f"mean average precision at {k}")
    if key.startswith("map@"):
        raise SolutionError(f"{name!r}: map@K needs K as a whole number from 1 to 9999, e.g. map@12.")
    raise SolutionError(f"Unknown metric {name!r}. Use one of: {', '.join(METRIC_NAMES)} (e.g. map@12).")
