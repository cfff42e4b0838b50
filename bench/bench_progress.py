"""Progress events through the batch endpoint: events per second, none lost, none counted twice.

Learners enrolled in a 30-lesson course post batches of player events (positions and completions)
to POST /api/v1/academy/progress through Django's test client, in several threads. Every batch is
sent twice (as a player retrying after a timeout would); afterwards every learner must have
exactly the completions that were sent.

    python bench/bench_progress.py --database postgres --batch 20 --processes 2
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import sys
import threading
import time
from datetime import UTC, datetime, timedelta

sys.path.insert(0, os.path.dirname(__file__))
from bench_leaderboard import configure


def build(learners: int, lessons: int) -> tuple[list[str], list[int]]:
    from django.core.management import call_command
    from django.utils import timezone

    from forward.academy.models import Course, CourseRun, CourseStatus, Enrolment, Lesson, Module
    from forward.core.models import ApiToken, Organization, User, hash_secret

    call_command("migrate", verbosity=0)
    now = timezone.now()
    owner = Organization.objects.create(name="Bench U", slug="bench-u", kind="university", country="SG")
    course = Course.objects.create(slug="bench", title="Bench", owner=owner, status=CourseStatus.PUBLISHED)
    module = Module.objects.create(course=course, title="M")
    Lesson.objects.bulk_create([Lesson(module=module, course=course, order=i, slug=f"l{i}", title=f"L{i}",
                                       kind="video") for i in range(lessons)])
    run = CourseRun.objects.create(course=course, cohort="Bench", enrolment_ends=now + timedelta(days=1),
                                   starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=9))
    User.objects.bulk_create([User(email=f"l{i}@bench.test", password="!") for i in range(learners)])
    users = list(User.objects.filter(email__endswith="@bench.test").order_by("pk"))
    Enrolment.objects.bulk_create([Enrolment(run=run, user=u) for u in users])
    tokens = [f"fwd_bench{i:08d}{'x' * 30}" for i in range(learners)]
    ApiToken.objects.bulk_create([ApiToken(user=u, name="bench", token_hash=hash_secret(t), hint=t[:10])
                                  for u, t in zip(users, tokens, strict=True)])
    return tokens, list(Lesson.objects.filter(course=course).order_by("order").values_list("pk", flat=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--url")
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--batch", type=int, default=20, help="events per request")
    parser.add_argument("--batches", type=int, default=40, help="batches per learner")
    parser.add_argument("--threads", type=int, default=4, help="client threads per process")
    parser.add_argument("--processes", type=int, default=1,
                        help="server processes (each runs the app and its client threads, as gunicorn workers)")
    args = parser.parse_args()
    configure(args.database, args.url)
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from forward.academy.models import Enrolment

    tokens, lessons = build(args.learners, 30)
    rng = random.Random(3)
    plan = []  # (token, body) — each learner completes a known set of lessons
    expected = {}
    start = datetime(2026, 11, 1, tzinfo=UTC)
    for index, token in enumerate(tokens):
        done = set(rng.sample(lessons, rng.randint(1, len(lessons))))
        expected[index] = len(done)
        for b in range(args.batches):
            events = []
            for e in range(args.batch):
                lesson = rng.choice(lessons)
                events.append({"lesson": lesson, "position": rng.uniform(0, 900),
                               "completed": lesson in done and rng.random() < 0.5,
                               "at": (start + timedelta(seconds=b * args.batch + e)).isoformat()})
            plan.append((token, json.dumps({"events": events})))
        # make sure every lesson in `done` is completed at least once
        plan.append((token, json.dumps({"events": [
            {"lesson": lsn, "completed": True, "position": 900, "at": start.isoformat()} for lsn in sorted(done)]})))
    rng.shuffle(plan)
    work = [item for item in plan for _ in range(2)]  # every batch is sent twice
    lock = threading.Lock()
    position = {"next": 0}
    events_sent = {"n": 0}
    errors = []

    def worker():
        client = Client()
        while True:
            with lock:
                i = position["next"]
                position["next"] += 1
            if i >= len(work):
                break
            token, body = work[i]
            response = client.post("/api/v1/academy/progress", body, content_type="application/json",
                                   HTTP_AUTHORIZATION=f"Bearer {token}")
            if response.status_code != 200:
                errors.append(response.status_code)
            with lock:
                events_sent["n"] += len(json.loads(body)["events"])
        connection.close()

    def process(index: int, results) -> None:
        # Each process serves every `processes`-th request, like gunicorn workers behind one socket.
        nonlocal work
        work = work[index::args.processes]
        threads = [threading.Thread(target=worker) for _ in range(args.threads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        results.put((events_sent["n"], len(errors)))

    connection.close()
    started = time.perf_counter()
    if args.processes == 1:
        threads = [threading.Thread(target=worker) for _ in range(args.threads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    else:
        context = multiprocessing.get_context("fork")
        results = context.Queue()
        processes = [context.Process(target=process, args=(i, results)) for i in range(args.processes)]
        for p in processes:
            p.start()
        for _ in processes:
            sent, failed = results.get()
            events_sent["n"] += sent
            errors.extend([500] * failed)
        for p in processes:
            p.join()
    elapsed = time.perf_counter() - started
    got = dict(Enrolment.objects.order_by("user_id").values_list("user_id", "completed_lessons"))
    counts = list(got.values())
    wrong = sum(1 for i, n in enumerate(counts) if n != expected[i])
    print(f"{'database':<10} {'procs':>5} {'batch':>6} {'requests':>9} {'events':>9} {'seconds':>8} {'events/s':>9} "
          f"{'errors':>7} {'wrong counts':>13}")
    print(f"{args.database:<10} {args.processes:>5} {args.batch:>6} {len(work):>9,} {events_sent['n']:>9,} {elapsed:>8.1f} "
          f"{events_sent['n'] / elapsed:>9,.0f} {len(errors):>7} {wrong:>13}")


if __name__ == "__main__":
    main()
