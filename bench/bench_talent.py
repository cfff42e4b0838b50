"""Talent pool at scale: opening search, a learner's recommendations and an employer's ranked
candidates with 200,000 profiles and 20,000 openings. Server time, p50 and p95 (milliseconds).

Builds the data with bulk_create in a fresh database (profiles with verified skills, percentiles,
grades, levels, countries; openings with required and preferred skills, some asking for a
certification), then times ~50 requests of each kind through Django's test client (whole
request: middleware, permission, selector, template; the opening search as the browse page and as
the API, pages 1-20 or as many as the filters give). It also times the pure library alone
(forward.matching.fit) on 20,000 openings for one learner and 10,000 candidates for one opening.

    python bench/bench_talent.py --database sqlite
    python bench/bench_talent.py --database postgres --url postgres://postgres@127.0.0.1:5432/wt_recommend
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from urllib.parse import urlencode

COUNTRIES = ["SG", "MY", "ID", "CN", "PH", "TH", "VN"]
KINDS = ["internship", "internship", "internship", "graduate", "job", "project"]
WORDS = ["Data", "Cloud", "Platform", "Machine Learning", "Backend", "Analytics", "Security", "Mobile", "DevOps",
         "Product", "Fintech", "Research"]


def configure(database: str, url: str | None) -> None:
    folder = tempfile.mkdtemp(prefix="forward-bench-")
    os.makedirs(os.path.join(folder, "static"))
    os.environ.update({"FORWARD_DATA_DIR": folder, "FORWARD_SECRET_KEY": "bench-" + "x" * 40,
                       "FORWARD_CACHE_URL": "locmem://", "FORWARD_ALLOWED_HOSTS": "testserver",
                       "FORWARD_CREDENTIAL_KEYS": "YmVuY2gtYmVuY2gtYmVuY2gtYmVuY2gtYmVuY2gtMzI=",
                       "DJANGO_SETTINGS_MODULE": "forward.settings"})
    if database == "postgres":
        url = url or "postgres://postgres@127.0.0.1:5432/wt_recommend"
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["FORWARD_DATABASE_URL"] = url
    else:
        os.environ.pop("FORWARD_DATABASE_URL", None)


_CUMULATIVE: list[float] = []


def _popular(rng: random.Random, skills: list[int], k: int) -> list[int]:
    """k distinct skills drawn by Zipf's law (the i-th most common skill 1/i as often as the first:
    a few skills are on half the profiles, most are rare)."""
    if len(_CUMULATIVE) != len(skills):
        total = 0.0
        _CUMULATIVE[:] = [total := total + 1 / (i + 1) for i in range(len(skills))]
    chosen: dict[int, None] = {}
    while len(chosen) < k:
        chosen[rng.choices(skills, cum_weights=_CUMULATIVE)[0]] = None
    return list(chosen)


def build(profiles: int, openings: int, n_skills: int) -> dict:
    from datetime import date, timedelta

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from forward.core.models import Membership, Organization, Role, Skill, User
    from forward.credentials import services as credentials
    from forward.credentials.documents import Award
    from forward.talent.models import Opening, Profile, ProfileSkill

    call_command("migrate", verbosity=0)
    rng = random.Random(13)
    now = timezone.now()
    Skill.objects.bulk_create([Skill(slug=f"skill-{i:03d}", name=f"Skill {i:03d}") for i in range(n_skills)],
                              ignore_conflicts=True)
    skills = list(Skill.objects.order_by("pk").values_list("pk", flat=True))
    slug_of = dict(Skill.objects.values_list("pk", "slug"))
    employers = Organization.objects.bulk_create([
        Organization(name=f"Employer {i:03d}", slug=f"employer-{i:03d}", kind="employer",
                     country=COUNTRIES[i % len(COUNTRIES)], verified_at=now) for i in range(200)])
    university = Organization.objects.create(name="Bench University", slug="bench-uni", kind="university",
                                             country="SG", verified_at=now)

    User.objects.bulk_create([User(email=f"p{i:06d}@bench.test", name=f"Person {i:06d}", password="!")
                              for i in range(profiles)], batch_size=5000)
    user_ids = list(User.objects.filter(email__endswith="@bench.test").order_by("pk").values_list("pk", flat=True))
    rows = []
    for pk in user_ids:
        visibility = rng.choices(["hidden", "partners", "public"], [4, 4, 2])[0]
        rows.append(Profile(
            user_id=pk, visibility=visibility, consent_at=None if visibility == "hidden" else now,
            countries="," + ",".join(rng.sample(COUNTRIES, rng.randint(1, 2))) + ",",
            available_for=rng.sample(["internship", "graduate", "job"], rng.randint(1, 2)),
            available_from=date(2027, 1, 1) + timedelta(days=rng.randint(-60, 120)),
            best_percentile=round(rng.uniform(1, 100), 1) if rng.random() < 0.3 else None,
            best_grade=round(rng.uniform(0.5, 1), 2) if rng.random() < 0.6 else None,
            best_level=rng.choices([0, 1, 2, 3], [5, 3, 2, 1])[0], verified_count=rng.randint(1, 8),
            public_token=f"t{pk:010d}", refreshed_at=now))
    Profile.objects.bulk_create(rows, batch_size=5000)
    profile_ids = list(Profile.objects.order_by("pk").values_list("pk", flat=True))
    batch = []
    for pk in profile_ids:
        for skill in _popular(rng, skills, rng.randint(2, 6)):
            batch.append(ProfileSkill(profile_id=pk, skill_id=skill, credentials=rng.randint(1, 3),
                                      level=rng.choice([0, 0, 1, 2, 3])))
        if len(batch) >= 50_000:
            ProfileSkill.objects.bulk_create(batch, batch_size=10_000)
            batch = []
    ProfileSkill.objects.bulk_create(batch, batch_size=10_000)

    rng = random.Random(14)  # the openings are the same whatever the number of profiles
    rows = []
    for i in range(openings):
        status = "open" if rng.random() < 0.85 else rng.choice(["draft", "closed"])
        rows.append(Opening(
            organization=employers[i % len(employers)], kind=rng.choice(KINDS), status=status,
            title=f"{rng.choice(WORDS)} {rng.choice(['Intern', 'Engineer', 'Analyst', 'Scientist'])} {i}",
            description="Work with real data. " * rng.randint(3, 20), city="City",
            country=rng.choice(COUNTRIES), remote=rng.choice(["onsite", "hybrid", "remote"]),
            countries_eligible="" if rng.random() < 0.3 else "," + ",".join(rng.sample(COUNTRIES, 2)) + ",",
            required_credentials=[{"kind": "certification", "level": rng.randint(1, 3)}] if rng.random() < 0.1 else [],
            start_date=date(2027, 1, 1) + timedelta(days=rng.randint(0, 180)),
            pay_min=rng.randint(1000, 3000), pay_max=rng.randint(3000, 6000), currency="SGD", pay_period="month",
            featured_at=now if rng.random() < 0.02 else None,
            published_at=now - timedelta(minutes=rng.randint(1, 100_000)) if status != "draft" else None))
    Opening.objects.bulk_create(rows, batch_size=2000)
    opening_ids = list(Opening.objects.order_by("pk").values_list("pk", flat=True))
    required, preferred = [], []
    for pk in opening_ids:
        chosen = _popular(rng, skills, rng.randint(1, 6))
        cut = rng.randint(1, min(3, len(chosen)))
        required += [Opening.required_skills.through(opening_id=pk, skill_id=s) for s in chosen[:cut]]
        preferred += [Opening.preferred_skills.through(opening_id=pk, skill_id=s) for s in chosen[cut:]]
    Opening.required_skills.through.objects.bulk_create(required, batch_size=10_000)
    Opening.preferred_skills.through.objects.bulk_create(preferred, batch_size=10_000)

    # The people who make the requests: learners with real (signed) credentials, an employer's admin.
    learners = []
    for n in range(5):
        learner = User.objects.create_user(email=f"learner{n}@bench.test", password="x", name=f"Learner {n}")
        Membership.objects.create(user=learner, organization=university, role=Role.MEMBER)
        awards = []
        for c, skill_ids in enumerate([_popular(rng, skills, 3), _popular(rng, skills, 2), _popular(rng, skills, 2)]):
            kind, facts = [("certification", {"level": 2}), ("competition", {"percentile": 88.0}),
                           ("course_achievement", {"grade": 0.86})][c]
            awards.append(Award(recipient=learner, issuer=university, kind=kind, achievement_key=f"bench:{n}:{c}",
                                name=f"Achievement {c}",
                                achievement={"id": f"https://bench.test/a/{n}/{c}", "type": ["Achievement"],
                                             "name": f"Achievement {c}", "description": "Bench",
                                             "criteria": {"narrative": "Bench"}},
                                facts={"skills": [{"slug": slug_of[s], "name": slug_of[s]} for s in skill_ids],
                                       **facts}))
        credentials.issue(awards)
        learners.append(learner)
    admin = User.objects.create_user(email="hr@bench.test", password="x", name="HR")
    Membership.objects.create(user=admin, organization=employers[0], role=Role.ADMIN)
    own = list(Opening.objects.filter(organization=employers[0], status="open").values_list("uuid", flat=True))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum does after a bulk load
    return {"learners": learners, "admin": admin, "own": own, "skills": [slug_of[s] for s in skills[:40]]}


# --- opening search ------------------------------------------------------------------------------
# The real thing: the browse page and the API, through the test client, as a visitor asks for them.

def search_runners(client) -> dict:
    """name -> a function (filters, page) -> None that requests one page of the search."""

    def page(filters: dict, number: int) -> None:
        response = client.get(f"/talent/openings/?{urlencode({**filters, 'page': number})}")
        assert response.status_code == 200, response.status_code
        assert b'data-testid="opening-card"' in response.content

    def api(filters: dict, number: int) -> None:
        response = client.get(f"/api/v1/talent/openings?{urlencode({**filters, 'page': number})}")
        assert response.status_code == 200, (response.status_code, response.content[:200])
        assert response.json()["results"]

    return {"page `/talent/openings/`": page, "API `GET /api/v1/talent/openings`": api}


def timed(fn, calls: list) -> tuple[float, float, float]:
    """p50 and p95 wall time, and p50 CPU time of this process (ms): on a shared machine the wall
    time includes waiting for a core, the CPU time does not (nor the database server's work)."""
    fn(*calls[0])  # warm up
    times, cpu = [], []
    for args in calls:
        started, started_cpu = time.perf_counter(), time.process_time()
        fn(*args)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)], statistics.median(cpu)


def pure_fit(rng: random.Random) -> list[tuple[str, float]]:
    from datetime import date

    from forward.matching import fit

    slugs = [f"s{i}" for i in range(300)]
    learner = fit.Candidate(skills={s: fit.SkillEvidence(level=2) for s in rng.sample(slugs, 8)},
                            held=(fit.HeldCredential("certification", 2),), best_grade=0.8, best_level=2,
                            best_percentile=90.0, countries=frozenset({"SG", "MY"}),
                            available_for=frozenset({"internship"}), available_from=date(2027, 1, 1))
    openings = [fit.Opening(required_skills=tuple(rng.sample(slugs, 3)), preferred_skills=tuple(rng.sample(slugs, 2)),
                            kind=rng.choice(KINDS), countries_eligible=frozenset(rng.sample(COUNTRIES, 2)),
                            start_date=date(2027, rng.randint(1, 12), 1), key=i) for i in range(20_000)]
    people = [fit.Candidate(skills={s: fit.SkillEvidence() for s in rng.sample(slugs, 5)},
                            best_percentile=rng.uniform(0, 100), countries=frozenset(rng.sample(COUNTRIES, 1)),
                            key=i) for i in range(10_000)]
    summaries = [fit.summary_of(learner, o) for o in openings]
    out = []
    for name, fn in [("fit: 20,000 openings, 1 learner", lambda: fit.rank_openings(learner, openings)),
                     ("fit from counts: 20,000 openings, 1 learner", lambda: fit.rank_summaries(learner, summaries)),
                     ("fit: 10,000 candidates, 1 opening", lambda: fit.rank_candidates(people, openings[0]))]:
        times = []
        for _ in range(5):
            started = time.perf_counter()
            fn()
            times.append((time.perf_counter() - started) * 1000)
        out.append((name, min(times)))  # best of 5
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--url", help="PostgreSQL URL of a database to (re)create")
    parser.add_argument("--profiles", type=int, default=200_000)
    parser.add_argument("--openings", type=int, default=20_000)
    parser.add_argument("--skills", type=int, default=300)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--only", choices=["search", "recommendations"],
                        help="time only the opening search, or only the recommendations (and fit)")
    args = parser.parse_args()
    configure(args.database, args.url)
    import django

    django.setup()
    from django.test import Client

    rng = random.Random(5)
    started = time.perf_counter()
    world = build(args.profiles, args.openings, args.skills)
    print(f"built {args.profiles:,} profiles and {args.openings:,} openings on {args.database} "
          f"in {time.perf_counter() - started:.0f} s", file=sys.stderr)

    print(f"load average before: {os.getloadavg()[0]:.1f}", file=sys.stderr)
    print(f"{'database':<10} {'what':<56} {'p50 ms':>8} {'p95 ms':>8} {'CPU p50':>8}")

    def row(name: str, p50: float, p95: float | None = None, cpu: float | None = None) -> None:
        print(f"{args.database:<10} {name:<56} {p50:>8.1f} {'' if p95 is None else f'{p95:8.1f}':>8} "
              f"{'' if cpu is None else f'{cpu:8.1f}':>8}", flush=True)

    anonymous = Client()
    mixes = {
        "no filter": {},
        "kind + country": {"kind": "internship", "country": "SG"},
        "skill": {"skill": world["skills"][0]},
        "text + remote": {"text": "data", "remote": "remote"},
        "skill + country + min pay": {"skill": world["skills"][5], "country": "MY", "min_pay": 4000,
                                      "currency": "SGD", "pay_period": "month"},
    }
    for where, search in (search_runners(anonymous) if args.only != "recommendations" else {}).items():
        for label, filters in mixes.items():
            pages = anonymous.get(f"/api/v1/talent/openings?{urlencode(filters)}").json()["pages"]
            calls = [(filters, rng.randint(1, min(20, pages))) for _ in range(args.requests)]
            row(f"search, {where}: {label}", *timed(search, calls))

    if args.only == "search":
        print(f"load average after: {os.getloadavg()[0]:.1f}", file=sys.stderr)
        return
    clients = []
    for learner in world["learners"]:
        client = Client()
        client.force_login(learner)
        clients.append(client)

    def recommended(i: int, page: int) -> None:
        response = clients[i % len(clients)].get(f"/talent/recommended/?page={page}")
        assert response.status_code == 200, response.status_code

    row("learner: /talent/recommended/ (page 1)", *timed(recommended, [(i, 1) for i in range(args.requests)]))
    row("learner: /talent/recommended/ (pages 1-50)",
        *timed(recommended, [(i, rng.randint(1, 50)) for i in range(args.requests)]))

    employer = Client()
    employer.force_login(world["admin"])

    def candidates(uuid, page: int) -> None:
        response = employer.get(f"/talent/openings/{uuid}/candidates/?page={page}")
        assert response.status_code == 200, response.status_code

    own = world["own"]
    row("employer: /talent/openings/<uuid>/candidates/ (page 1)",
        *timed(candidates, [(own[i % len(own)], 1) for i in range(args.requests)]))
    row("employer: /talent/openings/<uuid>/candidates/ (pages 1-10)",
        *timed(candidates, [(own[i % len(own)], rng.randint(1, 10)) for i in range(args.requests)]))

    def candidates_api(uuid) -> None:
        response = employer.get(f"/api/v1/talent/openings/{uuid}/candidates")
        assert response.status_code == 200, response.status_code

    row("employer: GET /api/v1/talent/openings/{uuid}/candidates",
        *timed(candidates_api, [(own[i % len(own)],) for i in range(args.requests)]))
    for name, ms in pure_fit(random.Random(3)):
        row(f"{name} (best of 5)", ms)
    print(f"load average after: {os.getloadavg()[0]:.1f}", file=sys.stderr)


if __name__ == "__main__":
    main()
