"""Talent: `talent.profiles.refresh` on a whole batch of learners in one call (what the
holdings_changed receiver does after a cohort is certified).

Builds a fresh database with N learners holding K credentials each (one signed for real, the rest
copies of its row with their own recipient, uuid and status position: refresh reads rows, never
signatures), each backing 2 of 6 skills, then times:
  - first: every profile created and indexed;
  - again: the same people refreshed with nothing changed;
  - revoke: one credential in ten revoked, then refreshed.

    python bench/bench_talent_refresh.py --learners 10000
    python bench/bench_talent_refresh.py --database postgres --url postgres://postgres@127.0.0.1:5432/wt_profiles
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(__file__))
from bench_leaderboard import configure

SKILLS = ("python", "sql", "cloud-computing", "machine-learning", "statistics", "spark")


def build(learners: int, per_learner: int) -> list[int]:
    from django.core.management import call_command
    from django.utils import timezone

    from forward.core.models import Organization, Skill, User
    from forward.credentials import documents, services
    from forward.credentials.models import Credential

    call_command("migrate", verbosity=0)
    now = timezone.now()
    university = Organization.objects.create(name="Nanyang Technological University", slug="ntu",
                                             kind="university", country="SG", verified_at=now)
    Skill.objects.bulk_create([Skill(slug=s, name=s.title()) for s in SKILLS])
    User.objects.bulk_create([User(email=f"learner{i}@ntu.test", name=f"Learner {i}") for i in range(learners)])
    ids = list(User.objects.order_by("pk").values_list("pk", flat=True))
    first = User.objects.get(pk=ids[0])
    [model] = services.issue([documents.Award(
        recipient=first, issuer=university, kind="course_achievement", achievement_key="bench:0", name="Cloud",
        achievement=documents.achievement(id="https://bench.test/a", kind="Course", name="Cloud",
                                          description="Cloud", criteria="Pass."),
        facts={"skills": [{"slug": "python"}, {"slug": "sql"}], "grade": 0.8})])
    rows, index = [], model.status_index + 1
    for n, user_id in enumerate(ids):
        for k in range(per_learner):
            if n == 0 and k == 0:
                continue
            kind = ("course_achievement", "certification", "competition")[k % 3]
            facts = {"skills": [{"slug": SKILLS[(n + k) % 6]}, {"slug": SKILLS[(n + k + 1) % 6]}]}
            facts.update({"course_achievement": {"grade": 0.5 + (n % 50) / 100},
                          "certification": {"level": 1 + n % 3},
                          "competition": {"percentile": float(n % 100)}}[kind])
            rows.append(Credential(
                uuid=uuid.uuid4(), recipient_id=user_id, issuer=university, kind=kind, achievement_key=f"bench:{k}",
                name=f"Achievement {k}", facts=facts, valid_from=now, issued_at=now, key=model.key,
                status_list=model.status_list, status_index=index, document="{}", jwt=""))
            index += 1
    Credential.objects.bulk_create(rows, batch_size=2000)
    return ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--credentials", type=int, default=3, help="per learner")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--url")
    args = parser.parse_args()
    configure(args.database, args.url)
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from forward.credentials.models import Credential
    from forward.talent import profiles

    started = time.perf_counter()
    ids = build(args.learners, args.credentials)
    print(f"built {args.learners:,} learners × {args.credentials} credentials in {time.perf_counter() - started:.1f} s "
          f"({args.database})")
    print("| refresh | learners | seconds | statements |")
    print("| --- | ---: | ---: | ---: |")
    for label in ("first", "again", "revoke"):
        if label == "revoke":
            every_tenth = list(Credential.objects.order_by("pk").values_list("pk", flat=True))[::10]
            Credential.objects.filter(pk__in=every_tenth).update(revoked_at=timezone.now(), revocation_reason="bench")
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            profiles.refresh(ids)
            seconds = time.perf_counter() - started
        print(f"| {label} | {len(ids):,} | {seconds:.2f} | {len(queries)} |")


if __name__ == "__main__":
    main()
