"""Stable matching for matching rounds (deferred acceptance with capacities). A pure library: no
Django; ids in, ids out. See `solve` and, for the command line, `forward match`."""

from .core import Matching, MatchInputError, parse, solve

__all__ = ["MatchInputError", "Matching", "parse", "solve"]
