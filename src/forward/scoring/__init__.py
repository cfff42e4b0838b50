"""Scoring for data competitions: a pure library (no Django).

Read and validate submissions against a hidden solution, and compute metrics that agree with
scikit-learn. The web app's workers and the ``forward score`` command use the same code.
"""

from .cache import SolutionCache, file_sha256
from .errors import ScoringError, SolutionError, SubmissionError
from .isolation import JobCrashed, LimitExceeded, run_limited
from .metrics import METRIC_NAMES, METRICS, Metric, get_metric
from .scorer import Score, Solution, load_solution, score, score_files, score_key_files, score_whole

__all__ = [
    "METRICS",
    "METRIC_NAMES",
    "JobCrashed",
    "LimitExceeded",
    "Metric",
    "Score",
    "ScoringError",
    "Solution",
    "SolutionCache",
    "SolutionError",
    "SubmissionError",
    "file_sha256",
    "get_metric",
    "load_solution",
    "run_limited",
    "score",
    "score_files",
    "score_key_files",
    "score_whole",
]
