"""The demo's graded labs: every lab lesson gets a task with generated, deterministic data.

Three kinds of task, chosen by the lesson's slug (the same lesson gets the same data on every
load): predict taxi fares (RMSE), predict which customers churn (AUC), predict flat prices (MAE).
The seed comes from the slug, not from the demo's shared generator, so adding labs changes no
other demo data.
"""

from __future__ import annotations

import zlib

import numpy as np

from . import labs
from .models import LabTask, Lesson, LessonKind

TRAIN_ROWS = 600
TEST_ROWS = 300


def _csv(columns: list[str], rows) -> str:
    return ",".join(columns) + "\n" + "".join(",".join(str(v) for v in row) + "\n" for row in rows)


def _fares(rng: np.random.Generator, n: int) -> tuple[list[str], list[list], list[float]]:
    km = rng.gamma(2.0, 3.0, n).round(2)
    minutes = (km * rng.uniform(1.8, 3.2, n) + rng.normal(4, 1.5, n)).clip(2).round(1)
    night = rng.integers(0, 2, n)
    fare = (3.2 + 1.45 * km + 0.22 * minutes + 2.0 * night + rng.normal(0, 1.2, n)).clip(3.2).round(2)
    return ["km", "minutes", "night"], [list(r) for r in zip(km, minutes, night, strict=True)], list(fare)


def _churn(rng: np.random.Generator, n: int) -> tuple[list[str], list[list], list[int]]:
    months = rng.integers(1, 60, n)
    monthly = rng.uniform(8, 90, n).round(2)
    tickets = rng.poisson(1.2, n)
    logit = -1.0 - 0.05 * months + 0.025 * monthly + 0.45 * tickets
    churned = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return ["tenure_months", "monthly_spend", "support_tickets"], \
        [list(r) for r in zip(months, monthly, tickets, strict=True)], list(churned)


def _flats(rng: np.random.Generator, n: int) -> tuple[list[str], list[list], list[float]]:
    area = rng.uniform(35, 160, n).round(1)
    rooms = (area // 30 + rng.integers(0, 2, n)).astype(int)
    distance = rng.uniform(0.5, 25, n).round(1)
    price = (2.1 * area + 15 * rooms - 3.5 * distance + rng.normal(0, 12, n) + 60).clip(40).round(1)
    return ["area_m2", "rooms", "km_to_centre"], [list(r) for r in zip(area, rooms, distance, strict=True)], \
        list(price)


# name, id column, target column, metric, pass threshold, generator, what the learner predicts
TASKS = [
    ("fares", "trip_id", "fare", "rmse", 1.6, _fares, "the fare of each taxi trip (in dollars)"),
    ("churn", "customer_id", "churned", "auc", 0.65, _churn, "the probability that each customer leaves (1) "
                                                            "in the next quarter"),
    ("flats", "flat_id", "price_k", "mae", 12.0, _flats, "the price of each flat (in thousands)"),
]


def setup_lab(lesson: Lesson) -> LabTask:
    seed = zlib.crc32(lesson.slug.encode())
    _name, id_col, target, metric, threshold, generate, what = TASKS[seed % len(TASKS)]
    rng = np.random.default_rng(seed)
    features, rows, targets = generate(rng, TRAIN_ROWS + TEST_ROWS)
    ids = list(range(1001, 1001 + TRAIN_ROWS + TEST_ROWS))
    train = _csv([id_col, *features, target],
                 ([i, *r, t] for i, r, t in zip(ids[:TRAIN_ROWS], rows[:TRAIN_ROWS], targets[:TRAIN_ROWS], strict=True)))
    test = _csv([id_col, *features], ([i, *r] for i, r in zip(ids[TRAIN_ROWS:], rows[TRAIN_ROWS:], strict=True)))
    key = _csv([id_col, target], zip(ids[TRAIN_ROWS:], targets[TRAIN_ROWS:], strict=True))
    if "## Graded exercise" not in lesson.body:
        better = "or more" if metric == "auc" else "or less"
        lesson.body = (lesson.body.rstrip() + f"\n\n## Graded exercise\n\nDownload the training data, fit a model in "
                       f"your own notebook, and predict {what} for every row of the test data. Submit a CSV "
                       f"with the columns `{id_col}` and `{target}`; it is scored by {metric.upper()} against a "
                       f"hidden key, and a score of {threshold:g} {better} passes the lab.\n").lstrip()
        Lesson.objects.filter(pk=lesson.pk).update(body=lesson.body)
    return labs.lab_setup_generated(lesson=lesson, metric=metric, pass_threshold=threshold, key_csv=key,
                                    train_csv=train, test_csv=test)


def load() -> int:
    """Set up every demo lab lesson that has no task yet; returns how many were set up."""
    lessons = Lesson.objects.filter(kind=LessonKind.LAB, lab_task__isnull=True).order_by("pk")
    return sum(1 for lesson in lessons if setup_lab(lesson))
