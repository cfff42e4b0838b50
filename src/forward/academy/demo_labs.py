"""The demo's graded labs: every lab lesson gets a task that fits its course, with generated,
deterministic data.

The task is chosen by the course's subject, explicitly (``TASK_BY_COURSE``; a course not listed
falls back by the words of its title): the cloud course estimates a month's cloud bill (an
answers lab), the data-analysis course predicts bike-sharing demand (MAE), the machine-learning
course predicts which customers churn (AUC), and the founders' courses work out unit economics
(an answers lab: CAC, LTV, payback). The seed comes from the lesson's slug, not from the demo's
shared generator, so the same lesson gets the same data on every load and adding labs changes no
other demo data.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import labs
from .models import LabTask, Lesson, LessonKind

TRAIN_ROWS = 600
TEST_ROWS = 300


def _csv(columns: list[str], rows) -> str:
    return ",".join(columns) + "\n" + "".join(",".join(str(v) for v in row) + "\n" for row in rows)


# --- Prediction labs ------------------------------------------------------------------------------


def _bikes(rng: np.random.Generator, n: int) -> tuple[list[str], list[list], list[float]]:
    docks = rng.integers(10, 41, n)
    temperature = rng.uniform(10, 34, n).round(1)
    rain = (rng.gamma(0.6, 6.0, n) * (rng.random(n) < 0.35)).round(1)
    weekend = (rng.random(n) < 2 / 7).astype(int)
    trips = (20 + 2.2 * docks + 1.1 * temperature - 3.0 * rain - 12 * weekend + rng.normal(0, 6, n)).clip(0).round()
    return ["docks", "temperature_c", "rain_mm", "weekend"], \
        [list(r) for r in zip(docks, temperature, rain, weekend, strict=True)], [int(t) for t in trips]


def _churn(rng: np.random.Generator, n: int) -> tuple[list[str], list[list], list[int]]:
    months = rng.integers(1, 60, n)
    monthly = rng.uniform(8, 90, n).round(2)
    tickets = rng.poisson(1.2, n)
    logit = -1.0 - 0.05 * months + 0.025 * monthly + 0.45 * tickets
    churned = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return ["tenure_months", "monthly_spend", "support_tickets"], \
        [list(r) for r in zip(months, monthly, tickets, strict=True)], list(churned)


@dataclass(frozen=True)
class PredictionTask:
    name: str
    id_column: str
    target: str
    metric: str
    threshold: float
    generate: Callable
    exercise: str  # the lesson's "Graded exercise", with {id}, {target}, {metric}, {threshold}


@dataclass(frozen=True)
class AnswersTask:
    name: str
    threshold: float  # share of the questions right
    build: Callable  # rng -> (data_csv, reference_csv, [(question id, question, answer)])
    exercise: str  # the lesson's "Graded exercise", with {n} (questions) and {right} (needed to pass)


# --- Answers labs ---------------------------------------------------------------------------------

INSTANCES = {  # instance type: (vCPUs, memory GB, USD an hour)
    "ecs.t6.medium": (2, 4, 0.034), "ecs.g7.large": (2, 8, 0.126), "ecs.c7.xlarge": (4, 8, 0.198),
    "ecs.r7.xlarge": (4, 32, 0.262)}
STORAGE = {"ssd": 0.14, "standard": 0.05}  # USD per GB-month
EGRESS_PRICE, EGRESS_FREE_GB = 0.08, 100
MONTH_HOURS = 744  # a 31-day month


def _cloud_bill(rng: np.random.Generator) -> tuple[str, str, list[tuple[str, str, str]]]:
    """A month of a small company's cloud usage, the price sheet, and six questions about the bill."""
    while True:
        types = list(INSTANCES)
        vms = [(f"vm-{i:02d}", types[int(rng.integers(0, len(types)))], int(rng.choice(
            [MONTH_HOURS, MONTH_HOURS, int(rng.integers(90, MONTH_HOURS))]))) for i in range(1, 13)]
        by_type = {t: sum(h * INSTANCES[t][2] for _r, k, h in vms if k == t) for t in types}
        top, second = sorted(by_type.values(), reverse=True)[:2]
        if top > 1.05 * second:
            break
    disks = [(f"disk-{i:02d}", "ssd" if rng.random() < 0.5 else "standard", int(rng.integers(50, 2001)))
             for i in range(1, 9)]
    egress = int(rng.integers(400, 3001))
    rows = [(r, "compute", t, h, "hours") for r, t, h in vms]
    rows += [(r, "storage", tier, gb, "GB-month") for r, tier, gb in disks]
    rows += [("net-01", "egress", "internet", egress, "GB")]
    usage = _csv(["resource_id", "service", "sku", "quantity", "unit"], rows)
    prices = _csv(["sku", "unit", "usd_per_unit", "vcpus", "memory_gb", "note"],
                  [(t, "hour", p, c, m, "") for t, (c, m, p) in INSTANCES.items()]
                  + [(tier, "GB-month", p, "", "", "") for tier, p in STORAGE.items()]
                  + [("internet", "GB", EGRESS_PRICE, "", "", f"the first {EGRESS_FREE_GB} GB each month are free")])
    compute = sum(h * INSTANCES[t][2] for _r, t, h in vms)
    storage = sum(gb * STORAGE[tier] for _r, tier, gb in disks)
    egress_cost = max(0, egress - EGRESS_FREE_GB) * EGRESS_PRICE
    always_on = sum(MONTH_HOURS * INSTANCES[t][2] for _r, t, _h in vms)
    costliest = max(by_type, key=lambda kind: by_type[kind])
    questions = [
        ("compute_cost", "What did the virtual machines (service compute) cost this month, in USD?", compute),
        ("storage_cost", "What did storage cost this month, in USD?", storage),
        ("egress_cost", "What did internet egress cost this month, in USD, after the free allowance in the price "
                        "sheet?", egress_cost),
        ("total_cost", "What is the month's total bill, in USD?", compute + storage + egress_cost),
        ("costliest_type", "Which instance type cost the most in total this month? Write its name as in the "
                           "price sheet (such as ecs.t6.medium).", costliest),
        ("always_on_cost", f"If every virtual machine had run all {MONTH_HOURS} hours of the month, what would "
                           "compute have cost, in USD?", always_on),
    ]
    return usage, prices, [(q, text, a if isinstance(a, str) else f"{a:.2f}") for q, text, a in questions]


def _unit_economics(rng: np.random.Generator) -> tuple[str, str, list[tuple[str, str, str]]]:
    """A start-up's last twelve months, its gross margin, and six unit-economics questions."""
    months = [f"{2025 + (6 + m) // 12}-{(6 + m) % 12 + 1:02d}" for m in range(12)]  # 2025-07 … 2026-06
    customers = int(rng.integers(300, 900))
    price = float(rng.uniform(29, 79))
    margin = round(float(rng.uniform(0.6, 0.8)), 2)
    rows = []
    for month in months:
        spend = int(rng.integers(8, 30)) * 1000
        new = max(5, int(spend / rng.uniform(180, 420)))
        lost = int(rng.binomial(customers, rng.uniform(0.02, 0.05)))
        revenue = round(customers * price * rng.uniform(0.95, 1.05), 2)
        rows.append((month, spend, new, customers, lost, revenue))
        customers += new - lost
    monthly = _csv(["month", "marketing_usd", "new_customers", "customers_start", "customers_lost", "revenue_usd"],
                   rows)
    reference = _csv(["assumption", "value"], [("gross_margin", margin)])
    spend = sum(r[1] for r in rows)
    new = sum(r[2] for r in rows)
    customer_months = sum(r[3] for r in rows)
    cac = spend / new
    arpu = sum(r[5] for r in rows) / customer_months
    churn = sum(r[4] for r in rows) / customer_months
    ltv = arpu * margin / churn
    cheapest = min(rows, key=lambda r: r[1] / r[2])[0]
    questions = [
        ("cac", "Customer acquisition cost (CAC) over the twelve months: total marketing spend divided by total new "
                "customers, in USD.", f"{cac:.2f}"),
        ("arpu", "Average revenue per customer per month (ARPU): total revenue divided by the sum of the customers at "
                 "the start of each month, in USD.", f"{arpu:.2f}"),
        ("churn_percent", "Average monthly churn: customers lost divided by the sum of the customers at the start of "
                          "each month, as a percentage (such as 3.25).", f"{100 * churn:.3f}"),
        ("ltv", "Lifetime value (LTV) of a customer: ARPU × gross margin ÷ monthly churn (as a fraction), in USD.",
         f"{ltv:.2f}"),
        ("payback_months", "Months to pay back the acquisition cost: CAC ÷ (ARPU × gross margin).",
         f"{cac / (arpu * margin):.2f}"),
        ("cheapest_month", "In which month was acquiring a customer cheapest (that month's marketing spend ÷ its new "
                           "customers)? Write the month as in the data, such as 2026-01.", cheapest),
    ]
    return monthly, reference, questions


CLOUD_BILL = AnswersTask(
    "cloud_bill", 0.8, _cloud_bill,
    "Download the month's cloud usage (compute hours by instance type, storage in GB-months, internet egress "
    "in GB) and the provider's price sheet. Work out the answers in your own notebook or spreadsheet, then type "
    "them into the lab below, or upload a CSV with the columns `question_id` and `answer`. A number is right "
    "within 1% of the hidden answer key; answer {right} of the {n} questions right to pass.")
UNIT_ECONOMICS = AnswersTask(
    "unit_economics", 0.8, _unit_economics,
    "Download the start-up's last twelve months (marketing spend, new, active and lost customers, revenue) "
    "and its gross margin. Work out its unit economics in your own spreadsheet or notebook, then type the "
    "answers into the lab below, or upload a CSV with the columns `question_id` and `answer`. A number is right "
    "within 1% of the hidden answer key; answer {right} of the {n} questions right to pass, and check whether "
    "LTV is at least three times CAC.")
BIKES = PredictionTask(
    "bikes", "station_day_id", "trips", "mae", 6.0, _bikes,
    "Download a city's bike-sharing data: one row per station and day with the station's docks, the day's "
    "temperature and rain, and whether it was a weekend. Explore it with pandas, fit a model in your own "
    "notebook and predict the number of trips for every station-day of the test data. Submit a CSV with the "
    "columns `{id}` and `{target}`; it is scored by {metric} against a hidden key, and a score of {threshold:g} "
    "or less passes the lab.")
CHURN = PredictionTask(
    "churn", "customer_id", "churned", "auc", 0.65, _churn,
    "Download a subscription service's customers: tenure, monthly spend and support tickets, and whether each "
    "customer of the training data left in the next quarter. Train a classifier in your own notebook, keeping a "
    "validation split, and predict the probability that each customer of the test data leaves. Submit a CSV "
    "with the columns `{id}` and `{target}`; it is scored by {metric} against a hidden key, and a score of "
    "{threshold:g} or more passes the lab.")

TASK_BY_COURSE: dict[str, PredictionTask | AnswersTask] = {
    "cloud-computing-fundamentals": CLOUD_BILL,
    "big-data-analytics-with-python": BIKES,
    "machine-learning-foundations": CHURN,
    "business-leadership-for-digital-founders": UNIT_ECONOMICS,
    "venture-capital-networking": UNIT_ECONOMICS,
}
TASK_BY_WORD: list[tuple[str, PredictionTask | AnswersTask]] = [("cloud", CLOUD_BILL), ("machine learning", CHURN), ("found", UNIT_ECONOMICS),
                ("venture", UNIT_ECONOMICS), ("business", UNIT_ECONOMICS)]


def task_for(lesson: Lesson) -> PredictionTask | AnswersTask:
    """The task that fits the lesson's course: listed by slug, else by its title's words, else data analysis."""
    course = lesson.course
    if course.slug in TASK_BY_COURSE:
        return TASK_BY_COURSE[course.slug]
    title = course.title.lower()
    return next((task for word, task in TASK_BY_WORD if word in title), BIKES)


def _add_exercise(lesson: Lesson, text: str) -> None:
    if "## Graded exercise" not in lesson.body:
        lesson.body = (lesson.body.rstrip() + f"\n\n## Graded exercise\n\n{text}\n").lstrip()
        Lesson.objects.filter(pk=lesson.pk).update(body=lesson.body)


def setup_lab(lesson: Lesson) -> LabTask:
    seed = zlib.crc32(lesson.slug.encode())
    rng = np.random.default_rng(seed)
    task = task_for(lesson)
    if isinstance(task, AnswersTask):
        data, reference, asked = task.build(rng)
        right = int(np.ceil(task.threshold * len(asked)))
        _add_exercise(lesson, task.exercise.format(n=len(asked), right=right))
        return labs.lab_setup_generated(
            lesson=lesson, metric="answers", pass_threshold=task.threshold,
            key_csv=_csv(["question_id", "answer"], [(q, a) for q, _t, a in asked]), train_csv=data,
            test_csv=reference, questions=[{"id": q, "text": t} for q, t, _a in asked])
    features, rows, targets = task.generate(rng, TRAIN_ROWS + TEST_ROWS)
    ids = list(range(1001, 1001 + TRAIN_ROWS + TEST_ROWS))
    id_col, target = task.id_column, task.target
    train = _csv([id_col, *features, target],
                 ([i, *r, t] for i, r, t in zip(ids[:TRAIN_ROWS], rows[:TRAIN_ROWS], targets[:TRAIN_ROWS], strict=True)))
    test = _csv([id_col, *features], ([i, *r] for i, r in zip(ids[TRAIN_ROWS:], rows[TRAIN_ROWS:], strict=True)))
    key = _csv([id_col, target], zip(ids[TRAIN_ROWS:], targets[TRAIN_ROWS:], strict=True))
    _add_exercise(lesson, task.exercise.format(id=id_col, target=target, metric=task.metric.upper(),
                                               threshold=task.threshold))
    return labs.lab_setup_generated(lesson=lesson, metric=task.metric, pass_threshold=task.threshold, key_csv=key,
                                    train_csv=train, test_csv=test)


def load() -> int:
    """Set up every demo lab lesson that has no task yet; returns how many were set up."""
    lessons = Lesson.objects.filter(kind=LessonKind.LAB, lab_task__isnull=True).select_related("course").order_by("pk")
    made = 0
    for lesson in lessons:
        setup_lab(lesson)
        made += 1
    return made
