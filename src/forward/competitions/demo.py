"""Demo competitions with deterministic synthetic data, scored by the real scoring code.

* "Tmall repeat-buyer prediction" (running): about 100,000 user–merchant pairs with behavioural
  features and a label with realistic signal; a baseline; teams of students from the demo
  universities with scored submissions spread over the past days.
* "Urban traffic flow forecasting" (ended): a revealed private leaderboard.
* "Cloud cost anomaly detection" (upcoming).
"""

from __future__ import annotations

import io
import random
from datetime import timedelta

import numpy as np
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from forward.core.models import Membership, Organization, OrganizationKind, User

from . import submissions as submission_services
from .models import (
    Competition,
    CompetitionStatus,
    DataFile,
    Phase,
    Registration,
    Submission,
    Team,
    TeamMember,
)

TEAM_WORDS = ["Gradient", "Boost", "Tensor", "Lambda", "Sigma", "Kernel", "Vector", "Panda", "Orchid", "Durian",
              "Merlion", "Dragon", "Komodo", "Tiger", "Monsoon", "Lotus", "Harbor", "Summit", "Pixel", "Quantum"]
TEAM_SUFFIX = ["Lab", "Squad", "Crew", "Minds", "Forge", "Works", "United", "Collective", "AI", "Analytics"]

TMALL_OVERVIEW = """\
Merchants run big promotions on **Double 11** to attract new buyers, but many of them buy once and
never come back. Predict which new buyers of a merchant will **buy from it again within six months**,
so that merchants can target them.

### Data
* `train.csv` — user–merchant pairs from the promotion with behavioural features and the label
  `repeat_buyer` (1 = bought again).
* `test.csv` — the same features for other pairs; predict the probability of a repeat purchase.
* `sample_submission.csv` — the format: `pair_id,prob`.

Features: `age_range` (0 unknown, 1 <18 … 8 >50), `gender` (0 female, 1 male, 2 unknown),
`clicks`, `carts`, `favourites`, `purchases` (the user's actions at this merchant in the six months
before), `days_active`, `merchant_repeat_rate` (the merchant's historical repeat rate),
`user_merchants` (how many merchants the user bought from on the day).

### Evaluation
Area under the ROC curve (`auc`) between the predicted probability and the observed label. 30 % of
the test set is used for the public leaderboard, the rest for the final private leaderboard.
"""

TMALL_RULES = """\
1. Teams of up to 4 students from partner universities.
2. Up to 5 submissions per team per day; the day resets at 00:00 UTC.
3. Select up to 2 final submissions before the end; otherwise your best public ones count.
4. Do not share the data or code privately outside your team. Public sharing in the competition's discussion is fine.
5. The top 3 teams present their solutions to the host and receive certificates.
"""


def _csv_bytes(header: list[str], columns: list[np.ndarray], formats: list[str]) -> bytes:
    out = io.StringIO()
    out.write(",".join(header) + "\n")
    fmt = ",".join(formats) + "\n"
    for row in zip(*columns, strict=True):
        out.write(fmt % row)
    return out.getvalue().encode()


def _tmall_data(rng: np.random.Generator, n: int = 100_000):
    age = rng.integers(0, 9, n)
    gender = rng.choice([0, 1, 2], n, p=[0.6, 0.33, 0.07])
    clicks = rng.poisson(12, n) + rng.poisson(30, n) * (rng.random(n) < 0.2)
    carts = rng.binomial(clicks, 0.08)
    favourites = rng.binomial(clicks, 0.05)
    purchases = 1 + rng.poisson(0.4, n)
    days_active = np.minimum(180, rng.gamma(2.0, 12.0, n).astype(int) + 1)
    merchant_repeat_rate = np.clip(rng.beta(2, 25, n), 0, 1)
    user_merchants = 1 + rng.poisson(2.5, n)
    logit = (-3.2 + 0.55 * np.log1p(purchases - 1) + 0.18 * np.log1p(favourites) + 0.12 * np.log1p(carts)
             + 0.25 * np.log1p(days_active) / 3 + 9.0 * merchant_repeat_rate - 0.12 * user_merchants
             + 0.08 * (age >= 4) - 0.05 * (gender == 1) + rng.normal(0, 0.9, n))
    label = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    features = [age, gender, clicks, carts, favourites, purchases, days_active, merchant_repeat_rate, user_merchants]
    return features, logit, label


def _prediction(rng: np.random.Generator, logit: np.ndarray, skill: float) -> np.ndarray:
    """A model of some quality: the true signal plus noise that shrinks as skill grows."""
    noisy = logit * skill + rng.normal(0, 1.6 * (1.05 - skill), logit.shape[0])
    return 1 / (1 + np.exp(-noisy))


def _save(name: str, content: bytes) -> str:
    return default_storage.save(name, ContentFile(content))


def _students(limit: int, rng: random.Random) -> list[User]:
    ids = list(Membership.objects.filter(organization__kind=OrganizationKind.UNIVERSITY, role="member")
               .exclude(user__email__startswith="professor").values_list("user_id", flat=True).distinct())
    rng.shuffle(ids)
    return list(User.objects.filter(pk__in=ids[:limit]).order_by("pk"))


def _teams(competition: Competition, people: list[User], count: int, size_max: int, rng: random.Random,
           named: dict[str, User]) -> list[Team]:
    teams, names, members = [], set(), []
    now = timezone.now()
    pool = list(people)
    for i in range(count):
        name = f"{rng.choice(TEAM_WORDS)} {rng.choice(TEAM_SUFFIX)}"
        while name in names:
            name = f"{rng.choice(TEAM_WORDS)} {rng.choice(TEAM_SUFFIX)} {i}"
        names.add(name)
        team = Team.objects.create(competition=competition, name=name, invite_code=f"demo{competition.pk}x{i:04d}",
                                   created_at=now - timedelta(days=12))
        size = rng.randint(1, size_max)
        chosen = [pool.pop() for _ in range(min(size, len(pool)))]
        if i == 0 and named.get("student"):
            chosen = [named["student"], *chosen[: size - 1]]
        for user in chosen:
            members.append(TeamMember(team=team, user=user, competition=competition))
        teams.append(team)
    TeamMember.objects.bulk_create(members)
    Registration.objects.bulk_create([Registration(competition=competition, user=m.user) for m in members],
                                     ignore_conflicts=True)
    return teams


def _submit(phase: Phase, team: Team, user: User | None, content: bytes, when, description: str = "") -> Submission:
    name = _save(f"competitions/{phase.competition_id}/phase-{phase.number}/submissions/{team.pk}/demo.csv", content)
    submission = Submission.objects.create(phase=phase, team=team, submitted_by=user, file=name,
                                           original_name="submission.csv", size=len(content),
                                           description=description, created_at=when)
    # Generated here, so scored in this process: a child per file would add ~100 ms to each of ~200.
    submission_services.submission_score(submission_id=submission.pk, isolated=False)
    return submission


def load(*, rng: random.Random) -> None:
    host = Organization.objects.get(slug="tianmu-retail-data-lab")
    creator = User.objects.get(email="host@tianmu.forward.demo")
    named = {"student": User.objects.get(email="student@ntu.forward.demo")}
    np_rng = np.random.default_rng(rng.randint(0, 2**31))
    now = timezone.now()
    students = _students(200, rng)

    # --- Tmall repeat-buyer prediction: running --------------------------------------------------
    tmall = Competition.objects.create(
        slug="tmall-repeat-buyers", title="Tmall repeat-buyer prediction",
        subtitle="Predict which Double 11 shoppers come back to the same merchant.",
        host=host, overview=TMALL_OVERVIEW, rules=TMALL_RULES, metric="auc", team_size_limit=4,
        prize="Top 3: internship interviews at Tianmu Retail Data Lab and certificates of achievement",
        eligibility="universities", merger_deadline=now + timedelta(days=10),
        status=CompetitionStatus.PUBLISHED, published_at=now - timedelta(days=12), created_by=creator,
        created_at=now - timedelta(days=14),
    )
    phase = Phase.objects.create(competition=tmall, number=1, name="Preliminary round",
                                 starts_at=now - timedelta(days=10), ends_at=now + timedelta(days=20))
    features, logit, label = _tmall_data(np_rng)
    n = label.shape[0]
    n_test = 20_000
    pair_id = np.arange(100001, 100001 + n)
    train, test = slice(0, n - n_test), slice(n - n_test, n)
    header = ["pair_id", "age_range", "gender", "clicks", "carts", "favourites", "purchases", "days_active",
              "merchant_repeat_rate", "user_merchants"]
    formats = ["%d"] * 8 + ["%.4f", "%d"]
    train_csv = _csv_bytes([*header, "repeat_buyer"], [pair_id[train], *(f[train] for f in features), label[train]],
                           [*formats, "%d"])
    test_csv = _csv_bytes(header, [pair_id[test], *(f[test] for f in features)], formats)
    usage = np.where(np_rng.random(n_test) < 0.3, "Public", "Private")
    solution_csv = _csv_bytes(["pair_id", "prob", "Usage"], [pair_id[test], label[test], usage], ["%d", "%d", "%s"])
    sample_csv = _csv_bytes(["pair_id", "prob"], [pair_id[test], np.full(n_test, 0.5)], ["%d", "%.1f"])
    for fname, content, description in [("train.csv", train_csv, "80,000 labelled user–merchant pairs"),
                                        ("test.csv", test_csv, "20,000 pairs to predict"),
                                        ("sample_submission.csv", sample_csv, "the submission format")]:
        DataFile.objects.create(phase=phase, name=fname, size=len(content), description=description,
                                file=_save(f"competitions/{tmall.pk}/phase-1/data/{fname}", content))
    phase.solution_file = _save(f"private/competitions/{tmall.pk}/phase-1/solution.csv", solution_csv)
    phase.solution_rows, phase.solution_public_rows = n_test, int((usage == "Public").sum())
    phase.sample_columns = ["pair_id", "prob"]
    phase.solution_uploaded_at = now - timedelta(days=12)
    phase.save()

    test_logit = logit[test]
    ids = pair_id[test]

    def predictions(skill: float) -> bytes:
        return _csv_bytes(["pair_id", "prob"], [ids, _prediction(np_rng, test_logit, skill)], ["%d", "%.6f"])

    baseline_team = Team.objects.create(competition=tmall, name="Host baseline", invite_code=f"baseline-{tmall.pk}",
                                        is_baseline=True)
    _submit(phase, baseline_team, creator, predictions(0.35), now - timedelta(days=10), "logistic baseline")
    teams = _teams(tmall, students[:120], 24, 4, rng, named)
    for t_index, team in enumerate(teams):
        talent = rng.uniform(0.35, 0.9)
        members = list(team.members.select_related("user"))
        for k in range(rng.randint(2, 9)):
            day = rng.uniform(0.1, 9.8)
            skill = min(0.97, talent * (0.75 + 0.05 * k) + rng.uniform(-0.05, 0.05))
            when = now - timedelta(days=day)
            _submit(phase, team, rng.choice(members).user if members else None, predictions(skill), when,
                    rng.choice(["", "lightgbm", "more features", "tuned", "ensemble", "target encoding"]))
        if t_index == 0:
            # One broken file, as people make them: the error says what to fix.
            bad = _csv_bytes(["pair_id", "probability"], [ids[:100], np.full(100, 0.5)], ["%d", "%.1f"])
            _submit(phase, team, members[0].user if members else None, bad, now - timedelta(hours=5), "oops")

    # --- Urban traffic flow forecasting: ended, private leaderboard revealed --------------------------
    traffic = Competition.objects.create(
        slug="urban-traffic-flow", title="Urban traffic flow forecasting",
        subtitle="Forecast hourly traffic volume at 500 road sensors.", host=host, metric="rmse",
        overview="Forecast the number of vehicles passing each sensor in the next hour. Lower RMSE is better.",
        rules="Teams of up to 3. Up to 5 submissions per day.", team_size_limit=3, prize="Certificates for the top 10%",
        status=CompetitionStatus.PUBLISHED, published_at=now - timedelta(days=70), created_by=creator,
        created_at=now - timedelta(days=75),
    )
    tphase = Phase.objects.create(competition=traffic, number=1, name="Main round",
                                  starts_at=now - timedelta(days=60), ends_at=now - timedelta(days=30))
    m = 5_000
    truth = np.round(np.abs(np_rng.normal(420, 160, m)), 1)
    usage = np.where(np_rng.random(m) < 0.4, "Public", "Private")
    sensor_ids = np.array([f"S{i:05d}" for i in range(m)])
    tphase.solution_file = _save(f"private/competitions/{traffic.pk}/phase-1/solution.csv",
                                 _csv_bytes(["row_id", "volume", "Usage"], [sensor_ids, truth, usage],
                                            ["%s", "%.1f", "%s"]))
    tphase.solution_rows, tphase.solution_public_rows = m, int((usage == "Public").sum())
    tphase.sample_columns = ["row_id", "volume"]
    tphase.save()
    tteams = _teams(traffic, students[120:], 14, 3, rng, {})
    for team in tteams:
        talent = rng.uniform(20, 120)
        members = list(team.members.select_related("user"))
        made = []
        for _k in range(rng.randint(2, 6)):
            noise = talent * rng.uniform(0.7, 1.3)
            guess = np.round(np.abs(truth + np_rng.normal(0, noise, m)), 1)
            made.append(_submit(tphase, team, rng.choice(members).user if members else None,
                                _csv_bytes(["row_id", "volume"], [sensor_ids, guess], ["%s", "%.1f"]),
                                now - timedelta(days=rng.uniform(31, 59))))
        if rng.random() < 0.6:
            Submission.objects.filter(pk=made[-1].pk).update(selected=True)
    submission_services.phase_finalize(phase_id=tphase.pk)

    # --- Cloud cost anomaly detection: upcoming ----------------------------------------------------
    upcoming = Competition.objects.create(
        slug="cloud-cost-anomalies", title="Cloud cost anomaly detection",
        subtitle="Flag the hours in which a cloud account's spending is anomalous.", host=host, metric="f1",
        overview="Each row is one account-hour of billing metrics. Predict 1 for an anomaly. Scored with F1.",
        rules="Teams of up to 5. Open to everyone.", status=CompetitionStatus.PUBLISHED,
        published_at=now - timedelta(days=2), created_by=creator, prize="Cloud credits for the top 3 teams",
    )
    uphase = Phase.objects.create(competition=upcoming, number=1, name="Main round",
                                  starts_at=now + timedelta(days=14), ends_at=now + timedelta(days=44))
    k = 2_000
    anomalies = (np_rng.random(k) < 0.1).astype(int)
    anomalies[:2] = [0, 1]
    usage = np.where(np.arange(k) % 3 == 0, "Public", "Private")
    uphase.solution_file = _save(f"private/competitions/{upcoming.pk}/phase-1/solution.csv",
                                 _csv_bytes(["hour_id", "anomaly", "Usage"], [np.arange(1, k + 1), anomalies, usage],
                                            ["%d", "%d", "%s"]))
    uphase.solution_rows, uphase.solution_public_rows = k, int((usage == "Public").sum())
    uphase.sample_columns = ["hour_id", "anomaly"]
    uphase.save()


def issue_credentials() -> int:
    """The awards of the demo's finished competitions, issued the way production issues them."""
    from forward.credentials import services as credential_services

    from . import awards
    from .models import PhaseResult

    finished = PhaseResult.objects.values_list("phase__competition_id", flat=True)
    issued = 0
    for competition in Competition.objects.filter(pk__in=finished).select_related("host"):
        issued += len(credential_services.issue(awards.competition_awards(competition=competition)))
    return issued
