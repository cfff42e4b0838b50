"""The academy catalogue with 2,000 courses and a learner dashboard with 100 enrolments: server time.

Builds the data in a fresh database (2,000 published courses with skills, programmes and runs at
universities in five countries; one learner enrolled in 100 of them with progress and exams),
then requests each page through Django's test client and prints p50 and p95 (milliseconds) and the
number of queries per request.

    python bench/bench_catalogue.py --database sqlite
    python bench/bench_catalogue.py --database postgres   # postgres://postgres@127.0.0.1:5432/forward_bench
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
        Course,
        CourseRun,
        Enrolment,
        Lesson,
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
                                       kind="reading") for m in modules for k in range(8)])
    Assessment.objects.bulk_create([Assessment(course=c, kind="exam", title="Final exam", time_limit_minutes=30,
                                               closes_at=now + timedelta(days=rng.randint(1, 90))) for c in made])
    learner = User.objects.create_user(email="learner@bench.test", password="x", name="Learner")
    lessons = {}
    for lesson in Lesson.objects.filter(course__in=made[:enrolments]):
        lessons.setdefault(lesson.course_id, []).append(lesson)
    Enrolment.objects.bulk_create([
        Enrolment(run=run, user=learner, completed_lessons=rng.randint(0, 8),
                  last_lesson=rng.choice(lessons[run.course_id]), last_activity_at=now - timedelta(hours=i))
        for i, run in enumerate(runs[:enrolments])])


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
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--url")
    parser.add_argument("--courses", type=int, default=2000)
    parser.add_argument("--enrolments", type=int, default=100)
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    configure(args.database, args.url)
    import django

    django.setup()
    from django.test import Client

    from forward.core.models import User

    build(args.courses, args.enrolments)
    client = Client()
    client.force_login(User.objects.get(email="learner@bench.test"))
    pages = [
        ("catalogue, first page", "/academy/"),
        ("catalogue, search 'cloud data'", "/academy/?q=cloud+data"),
        ("catalogue, skill search", "/academy/?q=kubernetes"),
        ("catalogue, level + country", "/academy/?level=advanced&country=MY"),
        ("catalogue, programme + language", "/academy/?programme=programme-3&language=en"),
        ("catalogue, page 40", "/academy/?page=40"),
        (f"dashboard, {args.enrolments} enrolments", "/academy/my/"),
    ]
    print(f"{'database':<10} {'page':<34} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for name, url in pages:
        p50, p95, queries = measure(client, url, args.requests)
        print(f"{args.database:<10} {name:<34} {p50:>8.1f} {p95:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
