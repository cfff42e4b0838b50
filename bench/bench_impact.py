"""Impact at the programme's scale, on PostgreSQL: 1,000,000 learners, 5,000,000 enrolments,
300 universities, 100,000 startups (and in proportion: completions as released runs with passing
attempts, certification holdings, competition teams, applications with accepted offers, cohort
places, credit grants, introductions, confirmed investments), generated with
``INSERT ... SELECT ... FROM generate_series(...)`` into the apps' real tables (the ORM builds only
the few dozen catalogue rows: courses, programmes, certifications, competitions, openings, calls).
Skewed: a few universities hold most students (run ids drawn as ``floor(runs * random()^3)``).

Times, in seconds:
- the full rollup (``rollup.rebuild()``), per measure and in total, with the process's peak RSS;
- an incremental day: one day's activity inserted (5,000 enrolments, 2,000 completions, 50
  course certificates revoked) then
  ``rollup.refresh()``;
and, in milliseconds, p50/p95 of ~50 requests through Django's test client: the public page (with the
programme's seven published targets, each charted and forecast) and the API.

    python bench/bench_impact.py --scale 0.01                      # a quick run (10,000 learners)
    python bench/bench_impact.py --url postgres://postgres@127.0.0.1:5432/wt_demo
    python bench/bench_impact.py --keep                           # reuse the generated database
    python bench/bench_impact.py --keep --no-rebuild              # only the incremental day and requests
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from datetime import date

import bench_talent  # timing helper (p50, p95, CPU p50)

URL = "postgres://postgres@127.0.0.1:5432/wt_demo"
COUNTRIES = ["CN", "CN", "CN", "SG", "MY", "ID", "TH", "VN", "PH"]


def configure(url: str, keep: bool) -> None:
    folder = tempfile.mkdtemp(prefix="forward-bench-")
    os.makedirs(os.path.join(folder, "static"))
    os.environ.update({"FORWARD_DATA_DIR": folder, "FORWARD_SECRET_KEY": "bench-" + "x" * 40,
                       "FORWARD_CACHE_URL": "locmem://", "FORWARD_ALLOWED_HOSTS": "testserver",
                       "FORWARD_CREDENTIAL_KEYS": "YmVuY2gtYmVuY2gtYmVuY2gtYmVuY2gtYmVuY2gtMzI=",
                       "DJANGO_SETTINGS_MODULE": "forward.settings", "FORWARD_DATABASE_URL": url})
    if not keep:
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')


def insert_select(model, columns: dict[str, str], source: str, params: tuple = ()) -> int:
    """INSERT INTO model's table (columns, and every other NOT NULL column at its Python default)
    SELECT expressions FROM source. Returns the rows inserted."""
    from django.db import connection

    names, exprs, extra = list(columns), list(columns.values()), []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.column in columns or field.null:
            continue
        if not field.has_default() and not field.empty_strings_allowed:
            raise ValueError(f"{model.__name__}.{field.name} needs a value")
        names.append(field.column)
        exprs.append("%s")
        extra.append(field.get_db_prep_save(field.get_default(), connection))
    sql = (f'INSERT INTO "{model._meta.db_table}" ({", ".join(names)}) '
           f"SELECT {', '.join(exprs)} FROM {source}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*extra, *params])
        return cursor.rowcount


def catalogue() -> dict:
    """The few rows the ORM builds: people who run things, courses with a quiz and an exam,
    programmes of each kind, certifications, competitions, openings, a call, a credit budget."""
    from datetime import timedelta

    from django.utils import timezone

    from forward.academy.models import (
        Assessment,
        AssessmentKind,
        Certification,
        CertificationLevel,
        Course,
        CourseStatus,
        Programme,
        ProgrammeCourse,
        ProgrammeKind,
    )
    from forward.competitions.models import Competition, CompetitionStatus
    from forward.core.models import Organization, OrganizationKind, User
    from forward.talent.models import Opening, OpeningStatus
    from forward.ventures.models import Call, CallStatus, CreditBudget, EntryKind, LedgerEntry

    now = timezone.now()
    operator = User.objects.create_user(email="operator@bench.test", password="x", name="Operator", is_staff=True)
    org = {kind: Organization.objects.create(name=f"Bench {kind}", slug=f"bench-{kind}", kind=kind, country="SG",
                                             verified_at=now, created_by=operator)
           for kind in (OrganizationKind.EMPLOYER, OrganizationKind.HOST, OrganizationKind.INNOVATION_CENTRE,
                        OrganizationKind.INVESTOR)}
    courses = []
    for i in range(12):
        course = Course.objects.create(slug=f"course-{i}", title=f"Course {i}", owner=org[OrganizationKind.EMPLOYER],
                                       status=CourseStatus.PUBLISHED, published_at=now)
        for kind in (AssessmentKind.QUIZ, AssessmentKind.EXAM):
            Assessment.objects.create(course=course, kind=kind, title=f"{kind} {i}")
        courses.append(course)
    for i, kind in enumerate(ProgrammeKind.values):
        programme = Programme.objects.create(slug=f"programme-{kind}", title=f"Programme {kind}", kind=kind)
        ProgrammeCourse.objects.bulk_create([ProgrammeCourse(programme=programme, course=c, order=n)
                                             for n, c in enumerate(courses[i * 2:i * 2 + 4])])
    for i, level in enumerate(CertificationLevel.values * 2):
        exam = Assessment.objects.create(kind=AssessmentKind.EXAM, title=f"Certification exam {i}")
        Certification.objects.create(slug=f"cert-{i}", title=f"Certification {i}", track="Cloud", level=level,
                                     exam=exam, owner=org[OrganizationKind.EMPLOYER])
    for i in range(20):
        Competition.objects.create(slug=f"competition-{i}", title=f"Competition {i}", host=org[OrganizationKind.HOST],
                                   metric="accuracy", status=CompetitionStatus.PUBLISHED, published_at=now)
    for i in range(200):
        Opening.objects.create(organization=org[OrganizationKind.EMPLOYER], title=f"Opening {i}",
                               status=OpeningStatus.OPEN, published_at=now)
    for i in range(4):
        Call.objects.create(organizer=org[OrganizationKind.INNOVATION_CENTRE], title=f"Batch {i}",
                            status=CallStatus.DECIDED, deadline=now - timedelta(days=180 * i + 30),
                            decided_at=now - timedelta(days=180 * i + 10))
    budget = CreditBudget.objects.create(organizer=org[OrganizationKind.INNOVATION_CENTRE], name="Credits",
                                         currency="USD", created_by=operator)
    LedgerEntry.objects.create(budget=budget, kind=EntryKind.DEPOSIT, amount=10 ** 12, created_by=operator)
    for i in range(50):
        Organization.objects.create(name=f"Fund {i}", slug=f"fund-{i}", kind=OrganizationKind.INVESTOR, country="SG",
                                    verified_at=now)
    return {"operator": operator, "budget": budget}


def generate(*, learners: int, enrolments: int, universities: int, startups: int) -> None:
    """The activity, in SQL. Times are spread over the two years before now, denser later."""
    from django.db import connection

    from forward.academy.models import (
        Assessment,
        Attempt,
        Certification,
        CertificationHolding,
        CourseRun,
        Enrolment,
    )
    from forward.competitions.models import Team, TeamMember
    from forward.core.models import Organization, User
    from forward.talent.models import Application
    from forward.ventures.models import (
        CohortApplication,
        CreditGrant,
        Deal,
        Introduction,
        Investment,
        LedgerEntry,
        Startup,
    )

    ago = "now() - (interval '730 days') * (1 - sqrt(random()))"  # later days more likely
    countries = "(ARRAY[" + ",".join(f"'{c}'" for c in COUNTRIES) + f"])[1 + floor(random() * {len(COUNTRIES)})::int]"

    def step(label, fn):
        started = time.perf_counter()
        rows = fn()
        print(f"  {label:<40} {rows:>10,} rows {time.perf_counter() - started:7.1f} s", file=sys.stderr, flush=True)

    step("universities", lambda: insert_select(Organization, {
        "name": "'University ' || g", "slug": "'university-' || g", "kind": "'university'", "country": countries,
        "created_at": "now() - interval '800 days'", "verified_at": "now() - interval '800 days'"},
        "generate_series(1, %s) g", (universities,)))
    step("startups (organizations)", lambda: insert_select(Organization, {
        "name": "'Startup ' || g", "slug": "'startup-' || g", "kind": "'startup'", "country": countries,
        "created_at": ago, "verified_at": "now() - interval '1 day'"}, "generate_series(1, %s) g", (startups,)))
    step("startups", lambda: insert_select(Startup, {
        "organization_id": "o.id", "stage": "'seed'", "sectors": "'[\"ai-data\"]'::jsonb", "created_at": "o.created_at",
        "updated_at": "o.created_at"}, "core_organization o WHERE o.kind = 'startup'"))
    step("learners", lambda: insert_select(User, {
        "email": "'learner' || g || '@bench.test'", "name": "'Learner ' || g", "password": "'!'",
        "country": f"CASE WHEN random() < 0.05 THEN '' ELSE {countries} END", "date_joined": ago,
        "is_active": "true", "is_staff": "false", "is_superuser": "false"},
        "generate_series(1, %s) g", (learners,)))
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_learner AS SELECT row_number() OVER (ORDER BY id) AS n, id "
                       "FROM core_user WHERE email LIKE 'learner%%@bench.test'")
        cursor.execute("CREATE INDEX ON bench_learner (n)")
    # Runs: each university gets each semester's runs of a few courses; ends in the past for most.
    step("course runs", lambda: insert_select(CourseRun, {
        "course_id": "c.id", "university_id": "u.id", "cohort": "u.slug || ' ' || s",
        "starts_at": "now() - (interval '1 day') * (730 - s * 182)",
        "ends_at": "now() - (interval '1 day') * (730 - s * 182 - 120)",
        "enrolment_ends": "now() - (interval '1 day') * (730 - s * 182 - 20)",
        "grades_released_at": "CASE WHEN 730 - s * 182 - 127 > 0 THEN now() - (interval '1 day') * (730 - s * 182 - 127)"
                              " END"},
        "core_organization u CROSS JOIN generate_series(0, 4) s CROSS JOIN academy_course c "
        "WHERE u.kind = 'university' AND (u.id + c.id + s) %% 3 = 0"))
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_run AS SELECT row_number() OVER (ORDER BY university_id, id) - 1 AS n, "
                       "id, starts_at, grades_released_at FROM academy_courserun")
        cursor.execute("CREATE INDEX ON bench_run (n)")
        cursor.execute("SELECT count(*) FROM bench_run")
        runs = cursor.fetchone()[0]
    # Enrolments: learner n takes its k-th course; the run skewed to the first universities.
    step("enrolments", lambda: insert_select(Enrolment, {
        "run_id": "r.id", "user_id": "l.id", "created_at": "r.starts_at - interval '3 days'",
        "completed_lessons": "0"},
        f"(SELECT g, 1 + (g %% %s) AS n, floor({runs} * power(random(), 3))::int AS rn "
        "FROM generate_series(1, %s) g) x JOIN bench_learner l ON l.n = x.n JOIN bench_run r ON r.n = x.rn "
        "ON CONFLICT DO NOTHING", (learners, enrolments)))
    # Completions: 40% of enrolments in released runs pass: a quiz and an exam attempt at 4/4.
    step("passing attempts", lambda: insert_select(Attempt, {
        "assessment_id": "a.id", "user_id": "e.user_id", "number": "1",
        "started_at": "r.grades_released_at - interval '20 days'", "submitted_at": "r.grades_released_at - interval '19 days'",
        "score": "4", "max_score": "4", "question_ids": "'[]'::jsonb", "option_orders": "'{}'::jsonb",
        "answers": "'{}'::jsonb"},
        "academy_enrolment e JOIN bench_run r ON r.id = e.run_id JOIN academy_courserun cr ON cr.id = e.run_id "
        "JOIN academy_assessment a ON a.course_id = cr.course_id "
        "WHERE r.grades_released_at IS NOT NULL AND hashtext(e.id::text) %% 5 < 2 ON CONFLICT DO NOTHING"))
    # Their course certificates (the record of a completion the impact sources count): unsigned
    # placeholders here, one per passing enrolment, under one bench key and status list.
    from forward.credentials.models import Credential, SigningKey, StatusList

    issuer = Organization.objects.get(slug="bench-employer")
    key = SigningKey.objects.create(organization=issuer, token="bench", rsa_public_pem="", ed25519_public=b"0" * 32,
                                    private_encrypted=b"")
    status_list = StatusList.objects.create(organization=issuer, number=1, size=2_000_000_000, next_index=0)
    step("course certificates", lambda: insert_select(Credential, {
        "uuid": "gen_random_uuid()", "recipient_id": "e.user_id", "issuer_id": str(issuer.pk),
        "kind": "'course_completion'", "achievement_key": "'course:' || cr.course_id || ':completion'",
        "name": "'Course'", "source": "'academy.run:' || e.run_id", "facts": "'{}'::jsonb",
        "valid_from": "r.grades_released_at", "issued_at": "r.grades_released_at", "key_id": str(key.pk),
        "status_list_id": str(status_list.pk), "status_index": "row_number() OVER ()", "document": "'{}'",
        "jwt": "''"},
        "academy_enrolment e JOIN bench_run r ON r.id = e.run_id JOIN academy_courserun cr ON cr.id = e.run_id "
        "WHERE r.grades_released_at IS NOT NULL AND hashtext(e.id::text) %% 5 < 2 ON CONFLICT DO NOTHING"))
    # Certifications: 8% of learners hold one, from a passed exam attempt.
    step("certification attempts", lambda: insert_select(Attempt, {
        "assessment_id": "c.exam_id", "user_id": "l.id", "number": "1", "started_at": ago,
        "submitted_at": "now() - interval '1 day'", "score": "4", "max_score": "4", "question_ids": "'[]'::jsonb",
        "option_orders": "'{}'::jsonb", "answers": "'{}'::jsonb"},
        "bench_learner l JOIN academy_certification c ON c.id = (SELECT min(id) FROM academy_certification) "
        "+ l.n %% 6 WHERE l.n %% 12 = 0"))
    step("certification holdings", lambda: insert_select(CertificationHolding, {
        "user_id": "a.user_id", "certification_id": "c.id", "attempt_id": "a.id", "earned_at": "a.started_at",
        "expires_at": "a.started_at + interval '730 days'"},
        "academy_attempt a JOIN academy_certification c ON c.exam_id = a.assessment_id"))
    teams = max(1, learners // 50)
    step("teams", lambda: insert_select(Team, {
        "competition_id": "(SELECT min(id) FROM competitions_competition) + g %% 20", "name": "'Team ' || g",
        "invite_code": "'bench' || g", "created_at": "now() - (interval '365 days') * (1 - sqrt(random()))",
        "is_baseline": "false"}, "generate_series(1, %s) g", (teams,)))
    step("team members", lambda: insert_select(TeamMember, {
        "team_id": "t.id", "user_id": "l.id", "competition_id": "t.competition_id", "joined_at": "t.created_at"},
        "competitions_team t JOIN bench_learner l ON l.n = 1 + (t.id * 7919) %% %s ON CONFLICT DO NOTHING",
        (learners,)))
    step("applications (30% hired)", lambda: insert_select(Application, {
        "opening_id": "(SELECT min(id) FROM talent_opening) + l.n %% 200", "applicant_id": "l.id",
        "stage": "CASE WHEN l.n %% 10 < 3 THEN 'hired' ELSE 'applied' END", "created_at": ago,
        "updated_at": "now() - interval '2 days'",
        "offer_accepted_at": "CASE WHEN l.n %% 10 < 3 THEN now() - (interval '700 days') * random() END"},
        "bench_learner l WHERE l.n %% 10 = 1 OR l.n %% 25 = 0"))
    step("cohort places (30% of startups)", lambda: insert_select(CohortApplication, {
        "call_id": "(SELECT min(id) FROM ventures_call) + o.id %% 4", "startup_id": "s.id",
        "status": "CASE WHEN o.id %% 3 = 0 THEN 'accepted' ELSE 'rejected' END", "created_at": "o.created_at",
        "submitted_at": "o.created_at", "decided_at": "o.created_at + interval '20 days'"},
        "ventures_startup s JOIN core_organization o ON o.id = s.organization_id WHERE o.id %% 10 < 9"))
    step("credit grants", lambda: insert_select(CreditGrant, {
        "budget_id": "(SELECT min(id) FROM ventures_creditbudget)", "startup_id": "o.id",
        "amount_requested": "10000", "amount_approved": "10000", "purpose": "'compute'", "status": "'approved'",
        "decided_at": "o.created_at + interval '30 days'", "created_at": "o.created_at + interval '25 days'"},
        "core_organization o WHERE o.kind = 'startup' AND o.id %% 6 = 0"))
    step("credit ledger entries", lambda: insert_select(LedgerEntry, {
        "budget_id": "g.budget_id", "kind": "'grant'", "amount": "g.amount_approved", "grant_id": "g.id",
        "note": "''", "created_at": "g.decided_at"}, "ventures_creditgrant g"))
    step("introductions accepted", lambda: insert_select(Introduction, {
        "asker_id": "o.id", "target_id": "i.id", "note": "'hello'", "status": "'accepted'",
        "pair_low": "least(o.id, i.id)", "pair_high": "greatest(o.id, i.id)", "created_at": "o.created_at",
        "answered_at": "o.created_at + interval '3 days'"},
        "core_organization o JOIN core_organization i ON i.slug = 'fund-' || (o.id %% 50) "
        "WHERE o.kind = 'startup' AND o.id %% 5 = 0"))
    step("deals", lambda: insert_select(Deal, {
        "investor_id": "i.id", "startup_id": "o.id", "stage": "'invested'", "next_step": "''",
        "created_at": "o.created_at", "updated_at": "o.created_at"},
        "core_organization o JOIN core_organization i ON i.slug = 'fund-' || (o.id %% 50) "
        "WHERE o.kind = 'startup' AND o.id %% 20 = 0"))
    step("investments confirmed", lambda: insert_select(Investment, {
        "deal_id": "d.id", "investor_id": "d.investor_id", "startup_id": "d.startup_id", "amount": "500000",
        "currency": "(ARRAY['USD','SGD','CNY'])[1 + d.id %% 3]", "instrument": "'safe'",
        "invested_on": "(d.created_at + interval '60 days')::date", "status": "'confirmed'",
        "recorded_at": "d.created_at + interval '60 days'", "dispute_reason": "''"}, "ventures_deal d"))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    del Assessment, Certification


def one_day() -> None:
    """A day's activity arriving now: 5,000 enrolments, 2,000 completions (certificates issued),
    50 certificates revoked."""
    from django.db import connection

    from forward.academy.models import Enrolment
    from forward.credentials.models import Credential

    insert_select(Enrolment, {"run_id": "r.id", "user_id": "l.id", "created_at": "now()", "completed_lessons": "0"},
                  "(SELECT l.id, row_number() OVER () AS k FROM bench_learner l ORDER BY random() LIMIT 5000) l "
                  "JOIN bench_run r ON r.n = l.k %% (SELECT count(*) FROM bench_run) ON CONFLICT DO NOTHING")
    insert_select(Credential, {  # 2,000 completions: certificates of achievement for released runs
        "uuid": "gen_random_uuid()", "recipient_id": "e.user_id", "issuer_id": "k.organization_id",
        "kind": "'course_achievement'", "achievement_key": "'course:' || cr.course_id || ':achievement'",
        "name": "'Course'", "source": "'academy.run:' || e.run_id", "facts": "'{}'::jsonb",
        "valid_from": "cr.grades_released_at", "issued_at": "now()", "key_id": "k.id", "status_list_id": "s.id",
        "status_index": "1000000000 + row_number() OVER ()", "document": "'{}'", "jwt": "''"},
        "(SELECT e.* FROM academy_enrolment e JOIN academy_courserun r ON r.id = e.run_id "
        "WHERE r.grades_released_at IS NOT NULL ORDER BY random() LIMIT 2000) e "
        "JOIN academy_courserun cr ON cr.id = e.run_id CROSS JOIN (SELECT * FROM credentials_signingkey LIMIT 1) k "
        "CROSS JOIN (SELECT * FROM credentials_statuslist LIMIT 1) s ON CONFLICT DO NOTHING")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE credentials_credential SET revoked_at = now(), revocation_reason = 'bench' "
                       "WHERE id IN (SELECT id FROM credentials_credential WHERE revoked_at IS NULL LIMIT 50)")
        if cursor.rowcount == 0:
            cursor.execute("DELETE FROM academy_certificationholding WHERE id IN "
                           "(SELECT id FROM academy_certificationholding ORDER BY random() LIMIT 50)")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=URL, help=f"PostgreSQL database to (re)create (default {URL})")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full size (0.01: a quick run)")
    parser.add_argument("--learners", type=int, help="learners (default 1,000,000 × scale)")
    parser.add_argument("--keep", action="store_true", help="reuse the database generated by an earlier run")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--no-rebuild", action="store_true",
                        help="with --keep: time only the incremental day and the requests")
    args = parser.parse_args()
    learners = args.learners or max(1000, int(1_000_000 * args.scale))
    configure(args.url, args.keep)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from forward.impact import rollup

    if not args.keep:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        catalogue()
        generate(learners=learners, enrolments=learners * 5, universities=max(30, int(300 * min(1, args.scale * 10))),
                 startups=max(1000, int(100_000 * args.scale)))
        print(f"generated {learners:,} learners in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    else:
        with connection.cursor() as cursor:
            cursor.execute("CREATE TEMP TABLE bench_learner AS SELECT row_number() OVER (ORDER BY id) AS n, id "
                           "FROM core_user WHERE email LIKE 'learner%%@bench.test'")
            cursor.execute("CREATE TEMP TABLE bench_run AS SELECT row_number() OVER (ORDER BY university_id, id) - 1 "
                           "AS n, id, starts_at, grades_released_at FROM academy_courserun")

    print(f"load average before: {os.getloadavg()[0]:.1f}", file=sys.stderr)
    print(f"{'what':<44} {'rows':>10} {'seconds':>9}")
    if not (args.keep and args.no_rebuild):
        rss_before = peak_rss_mb()
        started = time.perf_counter()
        results = rollup.rebuild()
        total = time.perf_counter() - started
        for r in results:
            print(f"{'full rollup: ' + r['measure']:<44} {r['entities']:>10,} {r['seconds']:>9.1f}", flush=True)
        print(f"{'full rollup: all measures':<44} {'':>10} {total:>9.1f}")
        print(f"{'peak RSS (MB), before → after the rollup':<44} {rss_before:>10.0f} {peak_rss_mb():>9.0f}")

    started = time.perf_counter()
    one_day()
    inserted = time.perf_counter() - started
    started = time.perf_counter()
    results = rollup.refresh()
    refreshed = time.perf_counter() - started
    print(f"{'a day inserted (not the rollup)':<44} {'':>10} {inserted:>9.1f}")
    for r in results:
        print(f"{'incremental day: ' + r['measure']:<44} {r['entities']:>10,} {r['seconds']:>9.1f}")
    print(f"{'incremental day: all measures':<44} {'':>10} {refreshed:>9.1f}", flush=True)

    from forward.impact.demo import published_targets
    from forward.impact.models import Target

    if not Target.objects.exists():  # the programme's seven published targets: the page draws and forecasts each
        published_targets(start=date(date.today().year - 2, 1, 1), today=date.today(), operator=None)
    client = Client()

    def get(url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    print(f"{'request':<52} {'p50 ms':>8} {'p95 ms':>8} {'CPU p50':>8}")
    for url in ("/impact/", "/api/v1/impact/measures", "/api/v1/impact/measures/talents?country=SG"):
        try:
            p50, p95, cpu = bench_talent.timed(get, [(url,)] * args.requests)
        except AssertionError as error:
            print(f"{url:<52} failed: {error}")
            continue
        print(f"{url:<52} {p50:>8.1f} {p95:>8.1f} {cpu:>8.1f}", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.1f}", file=sys.stderr)


if __name__ == "__main__":
    main()
