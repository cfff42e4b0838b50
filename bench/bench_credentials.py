"""Credentials: issue (sign both ways and store; no PDF) and verify, per second.

Builds a fresh database with one issuing university, a course with skills and credit units and
N learners, then:
  - issue: `services.issue` on course-completion awards in chunks of 200 (the batch worker's unit):
    each credential is built, canonicalized (RDFC-1.0) and signed with Ed25519 (Data Integrity),
    signed again as a VC-JWT (RS256), given a status-list position and bulk-inserted;
  - verify: `selectors.verify_data` on the stored credentials, as the API does: VC-JWT and the JSON
    with its Data Integrity proof, each checking signature, issuer, dates and the status list
    (read from the database).
With --processes P, P forked processes share the work (as P workers or P gunicorn workers would).

    python bench/bench_credentials.py                        # SQLite in a temporary folder
    python bench/bench_credentials.py --database postgres --processes 2
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from bench_leaderboard import configure


def build(learners: int) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from forward.academy.models import Course, CourseRun, Skill
    from forward.core.models import Organization, User

    call_command("migrate", verbosity=0)
    now = timezone.now()
    university = Organization.objects.create(name="Nanyang Technological University", slug="ntu", kind="university",
                                             country="SG", website="https://www.ntu.edu.sg",
                                             verified_at=now)  # only verified organizations issue
    course = Course.objects.create(slug="ml", title="Machine Learning Foundations", owner=university,
                                   status="published", credit_units=4, summary="Supervised learning, evaluation, "
                                   "and the maths behind them.")
    course.skills.add(*Skill.objects.bulk_create([Skill(slug=s, name=s.title()) for s in ("python", "statistics")]))
    CourseRun.objects.create(course=course, university=university, cohort="NTU 2026 S1", starts_at=now,
                             enrolment_ends=now, ends_at=now + timezone.timedelta(days=90), grades_released_at=now)
    User.objects.bulk_create([User(email=f"learner{i}@ntu.test", name=f"Learner {i} 陈") for i in range(learners)])


def awards(offset: int, count: int, tag: str):
    from forward.academy import awards as academy_awards
    from forward.academy.models import CourseRun
    from forward.core.models import User

    run = CourseRun.objects.select_related("course__owner").prefetch_related("course__skills").get()
    users = list(User.objects.order_by("pk")[offset:offset + count])
    result = []
    for user in users:
        award = academy_awards.award_course_completion(user=user, run=run, grade=0.82, designation="merit", cutoff=0.5)
        award.achievement_key = f"bench:{tag}"
        result.append(award)
    return result


def issue_part(index: int, processes: int, total: int, queue) -> None:
    from django.db import connections

    connections.close_all()
    from forward.credentials import services

    share = range(index, total, processes)
    prepared = awards(0, total, "issue")
    mine = [prepared[i] for i in share]
    start = time.perf_counter()
    issued = 0
    for k in range(0, len(mine), 200):
        issued += len(services.issue(mine[k:k + 200]))
    queue.put((issued, time.perf_counter() - start))


def verify_part(index: int, processes: int, field: str, queue) -> None:
    from django.db import connections

    connections.close_all()
    from forward.credentials import selectors
    from forward.credentials.models import Credential

    items = list(Credential.objects.order_by("pk").values_list(field, flat=True))[index::processes]
    selectors.verify_data(items[0])
    start = time.perf_counter()
    ok = sum(1 for item in items if selectors.verify_data(item).ok)
    queue.put((ok, time.perf_counter() - start, len(items)))


def _guarded(target, *args):
    queue = args[-1]
    try:
        target(*args)
    except BaseException as exc:  # report it: a silent child would leave the parent waiting forever
        queue.put(exc)
        raise


def run_parallel(target, processes: int, *args):
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    workers = [context.Process(target=_guarded, args=(target, i, processes, *args, queue)) for i in range(processes)]
    wall = time.perf_counter()
    for w in workers:
        w.start()
    results = [queue.get(timeout=600) for _ in workers]
    for result in results:
        if isinstance(result, BaseException):
            raise SystemExit(f"a benchmark process failed: {result!r}")
    for w in workers:
        w.join()
    return results, time.perf_counter() - wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--url", help="PostgreSQL URL (the database is dropped and created)")
    parser.add_argument("--credentials", type=int, default=5000)
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args()
    configure(args.database, args.url)
    import django

    django.setup()
    from forward.credentials import keys

    build(args.credentials)
    from forward.core.models import Organization

    keys.private_keys(keys.active_key(Organization.objects.get(slug="ntu")))  # make the key before forking

    print(f"{'database':<10} {'procs':>5} {'operation':<34} {'count':>7} {'seconds':>8} {'per second':>11}")
    results, _wall = run_parallel(issue_part, args.processes, args.credentials)
    issued = sum(r[0] for r in results)
    wall = max(r[1] for r in results)  # the slowest process's working time (forking and setup excluded)
    print(f"{args.database:<10} {args.processes:>5} {'issue (sign 2 ways + store)':<34} {issued:>7,} {wall:>8.2f} "
          f"{issued / wall:>11,.0f}")
    for field, label in (("jwt", "verify VC-JWT (RS256)"), ("document", "verify JSON (eddsa-rdfc-2022)")):
        results, _wall = run_parallel(verify_part, args.processes, field)
        wall = max(r[1] for r in results)
        ok = sum(r[0] for r in results)
        total = sum(r[2] for r in results)
        print(f"{args.database:<10} {args.processes:>5} {label:<34} {total:>7,} {wall:>8.2f} {total / wall:>11,.0f}"
              + ("" if ok == total else f"   ({total - ok} did not verify!)"))


if __name__ == "__main__":
    main()
