"""Scoring for data competitions: a pure library (no Django).

Read and validate submissions against a hidden solution, and compute metrics that agree with
scikit-learn. The web app's workers and the ``forward score`` command use the same code.
"""

from .errors import ScoringError, SolutionError, SubmissionError
from .metrics import METRIC_NAMES, METRICS, Metric, get_metric
from .scorer import Score, Solution, load_solution, score

__all__ = [
    "METRICS",
    "METRIC_NAMES",
    "Metric",
    "Score",
    "ScoringError",
    "Solution",
    "SolutionError",
    "SubmissionError",
    "get_metric",
    "load_solution",
    "score",
]
