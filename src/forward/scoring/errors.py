"""Errors that people can act on. ``str(error)`` is shown to them verbatim."""


class ScoringError(Exception):
    """Base class of every error this library raises on purpose."""


class SolutionError(ScoringError):
    """The host's solution file (or the metric chosen for it) is unusable."""


class SubmissionError(ScoringError):
    """A participant's submission is invalid; the message says what to fix."""
