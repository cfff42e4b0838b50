"""A matching round inside the platform: read every ranking from the database, solve the
candidate-optimal stable matching, check it has no blocking pair, and write the results (with
their explanations) in one transaction — `talent.rounds.run_match`, as the worker runs it.

Builds a fresh database: N candidates, M openings of one verified employer with 1–20 seats, each
candidate ranks `--ranked` openings at random, each opening ranks every candidate who listed it
in random order (the rankings bulk-created). Prints a table; never a timed test.

    python bench/bench_rounds.py                                   # SQLite, 100,000 × 10,000
    python bench/bench_rounds.py --database postgres --url postgres://postgres@127.0.0.1:5432/wt_rounds
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from bench_leaderboard import configure


def build(candidates: int, openings: int, ranked: int, seed: int = 1) -> int:
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from forward.core.models import Organization, User
    from forward.talent.models import (
        CandidateRank,
        EmployerRank,
        MatchRound,
        Opening,
        RoundJob,
        RoundOpening,
    )

    call_command("migrate", verbosity=0)
    rng = random.Random(seed)
    now = timezone.now()
    employer = Organization.objects.create(name="Bench Employer", slug="bench-employer", kind="employer", country="SG",
                                           verified_at=now)
    User.objects.bulk_create([User(email=f"c{i}@bench.test", name=f"Candidate {i}") for i in range(candidates)],
                             batch_size=5_000)
    user_ids = list(User.objects.order_by("pk").values_list("pk", flat=True))
    Opening.objects.bulk_create([Opening(organization=employer, title=f"Opening {i}", status="open",
                                         seats=rng.randint(1, 20)) for i in range(openings)], batch_size=5_000)
    opening_ids = list(Opening.objects.order_by("pk").values_list("pk", flat=True))
    seats = dict(Opening.objects.values_list("pk", "seats"))
    match_round = MatchRound.objects.create(
        name="Bench round", published=True, applications_close=now - timedelta(days=3),
        interviews_close=now - timedelta(days=2), ranking_close=now - timedelta(days=1), job=RoundJob.QUEUED)
    RoundOpening.objects.bulk_create([RoundOpening(round=match_round, opening_id=o, seats=seats[o])
                                      for o in opening_ids], batch_size=5_000)
    listed: dict[int, list[int]] = {o: [] for o in opening_ids}
    rows = []
    for user in user_ids:
        for position, o in enumerate(rng.sample(opening_ids, min(ranked, openings)), start=1):
            rows.append(CandidateRank(round=match_round, candidate_id=user, opening_id=o, position=position))
            listed[o].append(user)
    CandidateRank.objects.bulk_create(rows, batch_size=10_000)
    del rows
    rows = []
    for o, users in listed.items():
        rng.shuffle(users)
        rows.extend(EmployerRank(round=match_round, opening_id=o, candidate_id=u, position=p)
                    for p, u in enumerate(users, start=1))
    EmployerRank.objects.bulk_create(rows, batch_size=10_000)
    return match_round.pk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--openings", type=int, default=10_000)
    parser.add_argument("--ranked", type=int, default=10)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--url", help="PostgreSQL URL (its database is dropped and created again)")
    args = parser.parse_args()
    configure(args.database, args.url)
    import django

    django.setup()
    from forward.talent import rounds
    from forward.talent.models import CandidateRank, EmployerRank, MatchResult, MatchRound

    started = time.perf_counter()
    round_id = build(args.candidates, args.openings, args.ranked)
    print(f"built in {time.perf_counter() - started:.1f} s: {CandidateRank.objects.count():,} candidate ranks, "
          f"{EmployerRank.objects.count():,} employer ranks", flush=True)
    timings: dict[str, float] = {}
    rounds._announce = lambda round_id: None  # the result mails are a task of their own, not the match
    match_round = rounds.run_match(round_id, timings=timings)
    assert match_round is not None and match_round.job == "done", match_round and match_round.error
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stats = MatchRound.objects.get(pk=round_id).stats
    print(f"\n{args.database}: {args.candidates:,} candidates × {args.openings:,} openings, {args.ranked} ranked each")
    print(f"{'step':<28}{'seconds':>10}")
    for key, label in (("read", "read rankings"), ("solve", "solve"), ("check", "check no blocking pair"),
                       ("write", "write results"), ("total", "total")):
        print(f"{label:<28}{timings[key]:>10.2f}")
    print(f"\nresults {MatchResult.objects.filter(round_id=round_id).count():,}; matched {stats['matched']:,}, "
          f"unmatched {stats['unmatched']:,}; peak RSS {peak:,.0f} MB")


if __name__ == "__main__":
    main()
