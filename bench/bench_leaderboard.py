"""Public leaderboard of a competition with 10,000 teams and 200,000 submissions: server time.

Builds the data in a fresh database, then requests random pages of the leaderboard page and of
the API through Django's test client and prints p50 and p95 (milliseconds).

    python bench/bench_leaderboard.py --database sqlite
    python bench/bench_leaderboard.py --database postgres   # postgres://postgres@127.0.0.1:5432/forward_bench
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time


def configure(database: str, url: str | None) -> None:
    folder = tempfile.mkdtemp(prefix="forward-bench-")
    os.makedirs(os.path.join(folder, "static"))
    os.environ.update({"FORWARD_DATA_DIR": folder, "FORWARD_SECRET_KEY": "bench-" + "x" * 40,
                       "FORWARD_CACHE_URL": "locmem://", "FORWARD_ALLOWED_HOSTS": "testserver",
                       "FORWARD_CREDENTIAL_KEYS": "YmVuY2gtYmVuY2gtYmVuY2gtYmVuY2gtYmVuY2gtMzI=",
                       "DJANGO_SETTINGS_MODULE": "forward.settings"})
    if database == "postgres":
        url = url or "postgres://postgres@127.0.0.1:5432/forward_bench"
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["FORWARD_DATABASE_URL"] = url
    else:
        os.environ.pop("FORWARD_DATABASE_URL", None)


def build(teams: int, submissions: int) -> str:
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from forward.competitions.models import (
        Competition,
        CompetitionStatus,
        LeaderboardEntry,
        Phase,
        Submission,
        SubmissionStatus,
        Team,
    )
    from forward.core.models import Organization, User

    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    now = timezone.now()
    host = Organization.objects.create(name="Bench Host", slug="bench-host", kind="host", country="CN")
    user = User.objects.create_user(email="bench@example.test")
    competition = Competition.objects.create(slug="bench", title="Bench", host=host, metric="auc",
                                             status=CompetitionStatus.PUBLISHED, created_by=user)
    phase = Phase.objects.create(competition=competition, starts_at=now - timedelta(days=30),
                                 ends_at=now + timedelta(days=30), solution_file="private/x.csv")
    Team.objects.bulk_create([Team(competition=competition, name=f"Team {i:05d}", invite_code=f"code{i:06d}")
                              for i in range(teams)], batch_size=2000)
    team_ids = list(Team.objects.filter(competition=competition).values_list("pk", flat=True))
    rows = []
    for n in range(submissions):
        rows.append(Submission(phase=phase, team_id=team_ids[n % teams], file="x.csv", original_name="x.csv",
                               status=SubmissionStatus.SCORED, public_score=rng.uniform(0.5, 0.9),
                               private_score=rng.uniform(0.5, 0.9),
                               created_at=now - timedelta(minutes=rng.randint(1, 40000))))
    Submission.objects.bulk_create(rows, batch_size=5000)
    best: dict[int, Submission] = {}
    counts: dict[int, int] = {}
    last: dict[int, object] = {}
    for s in Submission.objects.filter(phase=phase).only("pk", "team_id", "public_score", "created_at").iterator(
            chunk_size=10000):
        counts[s.team_id] = counts.get(s.team_id, 0) + 1
        last[s.team_id] = max(last.get(s.team_id, s.created_at), s.created_at)
        current = best.get(s.team_id)
        if current is None or (s.public_score, -s.created_at.timestamp()) > (current.public_score,
                                                                            -current.created_at.timestamp()):
            best[s.team_id] = s
    LeaderboardEntry.objects.bulk_create([
        LeaderboardEntry(phase=phase, team_id=t, best_public=s.public_score, sort_key=-s.public_score,
                         best_submission_id=s.pk, best_at=s.created_at, entries=counts[t], last_submission_at=last[t])
        for t, s in best.items()], batch_size=5000)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum does after a bulk load
    return competition.slug


def measure(client, url: str, pages: int, requests: int) -> tuple[float, float]:
    rng = random.Random(1)
    times = []
    for _ in range(requests):
        page = rng.randint(1, pages)
        started = time.perf_counter()
        response = client.get(f"{url}page={page}")
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--url", help="PostgreSQL URL of a database to (re)create")
    parser.add_argument("--teams", type=int, default=10_000)
    parser.add_argument("--submissions", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    configure(args.database, args.url)
    import django

    django.setup()
    from django.test import Client

    started = time.perf_counter()
    slug = build(args.teams, args.submissions)
    print(f"built {args.teams:,} teams and {args.submissions:,} submissions on {args.database} "
          f"in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    client = Client()
    pages = -(-args.teams // 50)
    print(f"{'database':<10} {'endpoint':<34} {'p50 ms':>8} {'p95 ms':>8}")
    for name, url in [("leaderboard page (HTML + chart)", f"/competitions/{slug}/leaderboard/?"),
                      ("API leaderboard", f"/api/v1/competitions/{slug}/leaderboard?")]:
        measure(client, url, pages, 10)  # warm up
        p50, p95 = measure(client, url, pages, args.requests)
        print(f"{args.database:<10} {name:<34} {p50:>8.1f} {p95:>8.1f}")


if __name__ == "__main__":
    main()
