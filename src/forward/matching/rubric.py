"""Judging on a rubric: weighted totals of 1–5 marks, normalised per judge, and the ranking.

A pure library (no Django): the cohorts area gathers plain values (each judge's submitted marks)
and calls `weighted_total` and `rank`.

- A judge's *weighted total* of an application is the weighted mean of their marks, on the same
  1–5 scale as the marks: sum(weight × mark) / sum(weight).
- Judges differ in harshness, so each judge's totals are turned into z-scores across the
  applications *that judge* scored: z = (total − the judge's mean) / the judge's standard deviation
  (the population standard deviation, ddof = 0, as ``scipy.stats.zscore`` computes by default).
- A judge who scored only one application, or gave every application the same total, has no
  spread to normalise by: their z-scores are 0. They still count as a judge of those applications
  (the number of judges and the raw mean include them), but they move no application up or down
  in the normalised ranking — a single score says nothing about how harsh the judge is.
- Per application the ranking gives: the number of judges, the raw mean of the weighted totals,
  the normalised mean (mean of the judges' z-scores), and their spread (min, max and population
  standard deviation of the z-scores). Ties sort by the raw mean, then by the key, so the order is
  the same every time.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass

MIN_MARK = 1
MAX_MARK = 5


def weighted_total(marks: Mapping[Hashable, int], weights: Mapping[Hashable, float]) -> float:
    """The weighted mean of the marks over every criterion in ``weights``. Every criterion must be
    marked 1–5 and every weight positive; a ValueError says which is not."""
    if not weights:
        raise ValueError("the rubric has no criteria")
    total = 0.0
    weight_sum = 0.0
    for criterion, weight in weights.items():
        if weight <= 0:
            raise ValueError(f"criterion {criterion!r} has a weight of {weight}; weights must be positive")
        mark = marks.get(criterion)
        if mark is None:
            raise ValueError(f"criterion {criterion!r} is not marked")
        if not MIN_MARK <= mark <= MAX_MARK:
            raise ValueError(f"criterion {criterion!r} is marked {mark}; marks are {MIN_MARK} to {MAX_MARK}")
        total += weight * mark
        weight_sum += weight
    return total / weight_sum


def _mean(values: list[float]) -> float:
    return math.fsum(values) / len(values)


def _pstdev(values: list[float]) -> float:
    mean = _mean(values)
    return math.sqrt(math.fsum((v - mean) ** 2 for v in values) / len(values))


# Below this a judge's spread is treated as none (totals are means of small integers).
ZERO_SPREAD = 1e-9


def zscores(totals: Iterable[tuple[Hashable, Hashable, float]]) -> dict[tuple[Hashable, Hashable], float]:
    """{(judge, application): z} from (judge, application, weighted total) triples, per judge."""
    by_judge: dict[Hashable, list[tuple[Hashable, float]]] = defaultdict(list)
    for judge, application, total in totals:
        by_judge[judge].append((application, float(total)))
    out: dict[tuple[Hashable, Hashable], float] = {}
    for judge, items in by_judge.items():
        values = [t for _a, t in items]
        mean = _mean(values)
        spread = _pstdev(values)
        for application, total in items:
            out[(judge, application)] = 0.0 if spread < ZERO_SPREAD else (total - mean) / spread
    return out


@dataclass(frozen=True)
class Ranked:
    application: Hashable
    judges: int
    raw_mean: float  # mean of the judges' weighted totals, 1–5
    normalised_mean: float  # mean of the judges' z-scores
    z_min: float
    z_max: float
    z_sd: float  # population standard deviation of the judges' z-scores (0 for one judge)


SORT_KEYS = ("normalised", "raw", "judges", "spread")


def rank(totals: Iterable[tuple[Hashable, Hashable, float]], *, sort: str = "normalised",
         descending: bool = True) -> list[Ranked]:
    """The applications that have at least one score, best first by the normalised mean (or by
    ``sort``: raw, judges, spread), ties by raw mean then key."""
    triples = list(totals)
    z = zscores(triples)
    raw: dict[Hashable, list[float]] = defaultdict(list)
    zs: dict[Hashable, list[float]] = defaultdict(list)
    for judge, application, total in triples:
        raw[application].append(float(total))
        zs[application].append(z[(judge, application)])
    rows = [Ranked(application=a, judges=len(raw[a]), raw_mean=_mean(raw[a]), normalised_mean=_mean(zs[a]),
                   z_min=min(zs[a]), z_max=max(zs[a]), z_sd=_pstdev(zs[a])) for a in raw]
    if sort not in SORT_KEYS:
        raise ValueError(f"unknown sort {sort!r}; use one of {', '.join(SORT_KEYS)}")
    primary: Callable[[Ranked], float] = {"normalised": lambda r: r.normalised_mean, "raw": lambda r: r.raw_mean,
               "judges": lambda r: r.judges, "spread": lambda r: r.z_sd}[sort]
    sign = -1 if descending else 1
    return sorted(rows, key=lambda r: (sign * primary(r), -r.raw_mean, str(r.application)))
