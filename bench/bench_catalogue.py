"""The academy catalogue with 2,000 courses and a learner dashboard with 100 enrolments: server time.

Builds the data in a fresh database (2,000 published courses with skills, programmes and runs at
universities in five countries; one learner enrolled in 100 of them with progress and exams),
then requests each page through Django's test client and prints p50 and p95 (milliseconds) and the
number of queries per request.

    python bench/bench_catalogue.py                       # SQLite in a temporary folder
    python bench/bench_catalogue.py --database postgres   # postgres://postgres@127.0.0.1:5432/forward_bench
    FORWARD_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_catalogue python bench/bench_catalogue.py

PostgreSQL: the database named in the URL is dropped and created again (connecting to the server's
"postgres" database to do so), so point it at a database kept for benchmarks.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta

sys.path.insert(0, os.path.dirname(__file__))
from bench_leaderboard import configure

WORDS = ["cloud", "data", "machine", "learning", "python", "security", "network", "startup", "finance", "design",
         "analytics", "ai", "leadership", "venture", "storage", "kubernetes", "sql", "mobile", "web", "iot"]
COUNTRIES = ["SG", "CN", "MY", "ID", "PH"]


def build(courses: int, enrolments: int) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from forward.academy.models import (
        Assessment,
        Attempt,
        Course,
        CourseRun,
        Enrolment,
        Lesson,
        LessonProgress,
        Module,
        Programme,
        ProgrammeCourse,
        Skill,
    )
    from forward.core.models import Organization, User

    call_command("migrate", verbosity=0)
    rng = random.Random(11)
    now = timezone.now()
    owner = Organization.objects.create(name="Cloudwave", slug="cloudwave", kind="employer", country="CN")
    universities = Organization.objects.bulk_create([
        Organization(name=f"University {i}", slug=f"university-{i}", kind="university", country=COUNTRIES[i % 5])
        for i in range(15)])
    skills = Skill.objects.bulk_create([Skill(slug=w, name=w.title()) for w in WORDS])
    programmes = Programme.objects.bulk_create([
        Programme(slug=f"programme-{i}", title=f"Programme {i}", kind="developers") for i in range(6)])
    made = Course.objects.bulk_create([
        Course(slug=f"course-{i}", title=f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {i}", owner=owner,
               summary=" ".join(rng.choice(WORDS) for _ in range(25)), status="published",
               level=rng.choice(["introductory", "intermediate", "advanced"]),
               language=rng.choice(["en", "en", "zh-hans", "id", "ms"]), published_at=now)
        for i in range(courses)])
    Course.skills.through.objects.bulk_create([
        Course.skills.through(course_id=c.pk, skill_id=s.pk) for c in made for s in rng.sample(skills, 3)])
    ProgrammeCourse.objects.bulk_create([
        ProgrammeCourse(programme=rng.choice(programmes), course=c, order=i) for i, c in enumerate(made)],
        ignore_conflicts=True)
    runs = CourseRun.objects.bulk_create([
        CourseRun(course=c, university=rng.choice([None, *universities]), cohort="2026",
                  starts_at=now - timedelta(days=10), enrolment_ends=now + timedelta(days=20),
                  ends_at=now + timedelta(days=rng.randint(15, 120))) for c in made])
    modules = Module.objects.bulk_create([Module(course=c, title="Module") for c in made])
    Lesson.objects.bulk_create([Lesson(module=m, course_id=m.course_id, order=k, slug=f"l{k}", title=f"Lesson {k}",
                                       kind="quiz" if k == 7 else "reading") for m in modules for k in range(8)])
    exams = Assessment.objects.bulk_create([
        Assessment(course_id=lesson.course_id, lesson=lesson, kind="exam", title="Final exam", time_limit_minutes=30,
                   closes_at=now + timedelta(days=rng.randint(1, 90)))
        for lesson in Lesson.objects.filter(slug="l7").only("pk", "course_id")])
    learner = User.objects.create_user(email="learner@bench.test", password="x", name="Learner")
    lessons = {}
    for lesson in Lesson.objects.filter(course__in=made[:enrolments]).order_by("order"):
        lessons.setdefault(lesson.course_id, []).append(lesson)
    enrolled = Enrolment.objects.bulk_create([
        Enrolment(run=run, user=learner, completed_lessons=rng.randint(0, 8),
                  last_lesson=rng.choice(lessons[run.course_id]), last_activity_at=now - timedelta(hours=i))
        for i, run in enumerate(runs[:enrolments])])
    LessonProgress.objects.bulk_create([
        LessonProgress(enrolment=e, lesson=lesson, completed_at=now - timedelta(hours=k), position_seconds=300)
        for e in enrolled for k, lesson in enumerate(lessons[e.run.course_id][:e.completed_lessons])])
    # Every third exam of the learner's courses submitted, one in progress.
    mine = [exam for exam in exams if exam.course_id in lessons]
    Attempt.objects.bulk_create([
        Attempt(assessment=exam, user=learner, started_at=now - timedelta(days=1), submitted_at=now - timedelta(days=1),
                score=1, max_score=2) for exam in mine[::3]])
    Attempt.objects.create(assessment=mine[1], user=learner, deadline=now + timedelta(minutes=25), max_score=2)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum does after a bulk load


def measure(client, url: str, requests: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        client.get(url)
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], len(queries.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    url = os.environ.get("FORWARD_DATABASE_URL", "")
    parser.add_argument("--database", choices=["sqlite", "postgres"],
                        default="postgres" if url.startswith("postgres") else "sqlite",
                        help="default: postgres when FORWARD_DATABASE_URL names a PostgreSQL database")
    parser.add_argument("--url", default=url if url.startswith("postgres") else None,
                        help="PostgreSQL URL of a database to (re)create (default: FORWARD_DATABASE_URL)")
    parser.add_argument("--courses", type=int, default=2000)
    parser.add_argument("--enrolments", type=int, default=100)
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    configure(args.database, args.url)
    import django

    django.setup()
    from django.test import Client

    from forward.core.models import User

    started = time.perf_counter()
    build(args.courses, args.enrolments)
    print(f"built {args.courses:,} courses and {args.enrolments} enrolments on {args.database} "
          f"in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    client = Client()
    client.force_login(User.objects.get(email="learner@bench.test"))
    pages = [
        ("catalogue, first page", "/academy/"),
        ("catalogue, search 'cloud data'", "/academy/?q=cloud+data"),
        ("catalogue, skill search", "/academy/?q=kubernetes"),
        ("catalogue, level + country", "/academy/?level=advanced&country=MY"),
        ("catalogue, programme + language", "/academy/?programme=programme-3&language=en"),
        ("catalogue, university + search", "/academy/?university=university-4&q=data"),
        ("catalogue, page 40", "/academy/?page=40"),
        (f"dashboard, {args.enrolments} enrolments", "/academy/my/"),
        (f"dashboard, {args.enrolments} enrolments, page 4", "/academy/my/?page=4"),
    ]
    print(f"{'database':<10} {'page':<38} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for name, url in pages:
        p50, p95, queries = measure(client, url, args.requests)
        print(f"{args.database:<10} {name:<38} {p50:>8.1f} {p95:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
