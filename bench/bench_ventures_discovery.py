"""Ventures discovery at the programme's scale: 100,000 startups and 5,000 investors. Server time of
whole requests through Django's test client (middleware, permission, selector, template), p50 and
p95 in milliseconds:

- an investor's first page of startups, sorted by fit to its thesis (the 20 best of 100,000);
- a filtered page (sector, country, raising now; pages 1–3), also as the API;
- a text search on name and one-liner;
- a founder's page of investors, sorted by fit to their startup.

The fit is computed in SQL from the derived search columns (sector/stage bit masks, country key,
amounts in US dollars), the same score as forward.matching.thesis, then the page's 20 reasons in
Python. Builds the data with bulk_create in a fresh database.

    python bench/bench_ventures_discovery.py --database sqlite
    python bench/bench_ventures_discovery.py --database postgres --url postgres://postgres@127.0.0.1:5432/wt_directory
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from decimal import Decimal

import bench_talent  # the same set-up (fresh database) and timing as the talent benchmark

COUNTRIES = ["SG", "MY", "ID", "CN", "PH", "TH", "VN", "AU", "HK"]
CURRENCIES = ["USD", "USD", "USD", "SGD", "MYR", "IDR", "CNY"]
WORDS = ["Cloud", "Data", "Pay", "Health", "Learn", "Agri", "Grid", "Secure", "Go", "Market", "Chain", "Vision"]


def configure(database: str, url: str | None) -> None:
    bench_talent.configure(database, url or "postgres://postgres@127.0.0.1:5432/wt_directory")


def build(n_startups: int, n_investors: int) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from forward.core.models import Membership, Organization, OrganizationKind, Role, User
    from forward.ventures.models import Investor, Sector, Stage, Startup

    call_command("migrate", verbosity=0)
    rng = random.Random(14)
    now = timezone.now()
    operator = User.objects.create_user(email="operator@bench.test", password="x", name="Operator", is_staff=True)
    investor_user = User.objects.create_user(email="investor@bench.test", password="x", name="Ivy Investor")
    founder = User.objects.create_user(email="founder@bench.test", password="x", name="Fred Founder")
    sectors, stages = list(Sector.values), list(Stage.values)

    chunk = 5000
    for start in range(0, n_startups, chunk):
        orgs = [Organization(name=f"{rng.choice(WORDS)} {rng.choice(WORDS)} {i}", slug=f"startup-{i}",
                             kind=OrganizationKind.STARTUP, country=rng.choice(COUNTRIES), created_by=operator,
                             verified_at=now if rng.random() < 0.9 else None)
                for i in range(start, min(n_startups, start + chunk))]
        Organization.objects.bulk_create(orgs)
        if connection.vendor != "postgresql":  # SQLite's bulk_create does not return ids on this version
            orgs = list(Organization.objects.filter(slug__in=[o.slug for o in orgs]))
        rows = []
        for org in orgs:
            raising = rng.random() < 0.6
            startup = Startup(organization=org, one_liner=f"{rng.choice(WORDS)} for {rng.choice(WORDS).lower()} teams",
                              sectors=rng.sample(sectors, rng.randint(1, 3)), stage=rng.choice(stages),
                              raising_amount=Decimal(rng.choice([50_000, 250_000, 1_000_000, 4_000_000, 20_000_000]))
                              if raising else None, raising_currency=rng.choice(CURRENCIES),
                              raising_instrument="safe" if raising else "")
            startup.refresh_search_fields()
            rows.append(startup)
        Startup.objects.bulk_create(rows)

    orgs = [Organization(name=f"{rng.choice(WORDS)} Capital {i}", slug=f"investor-{i}", kind=OrganizationKind.INVESTOR,
                         country=rng.choice(COUNTRIES), created_by=operator, verified_at=now)
            for i in range(n_investors)]
    Organization.objects.bulk_create(orgs)
    orgs = list(Organization.objects.filter(kind=OrganizationKind.INVESTOR).order_by("pk"))
    rows = []
    for org in orgs:
        low = rng.choice([10_000, 100_000, 500_000, 2_000_000])
        investor = Investor(organization=org, sectors=rng.sample(sectors, rng.randint(1, 4)),
                            stages=rng.sample(stages, rng.randint(1, 3)), countries=rng.sample(COUNTRIES, rng.randint(0, 3)),
                            ticket_min=Decimal(low), ticket_max=Decimal(low * 10), ticket_currency=rng.choice(CURRENCIES))
        investor.refresh_search_fields()
        rows.append(investor)
    Investor.objects.bulk_create(rows)
    fund = orgs[0]
    Membership.objects.create(user=investor_user, organization=fund, role=Role.ADMIN)
    startup_org = Organization.objects.filter(kind=OrganizationKind.STARTUP, verified_at__isnull=False).order_by("pk").first()
    Membership.objects.create(user=founder, organization=startup_org, role=Role.ADMIN)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"investor": investor_user, "founder": founder, "fund": fund, "startup": startup_org}


timed = bench_talent.timed  # p50 and p95 wall time, and p50 CPU time of this process (ms)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--url", help="PostgreSQL URL of a database to (re)create")
    parser.add_argument("--startups", type=int, default=100_000)
    parser.add_argument("--investors", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    configure(args.database, args.url)
    import django

    django.setup()
    from django.test import Client

    started = time.perf_counter()
    world = build(args.startups, args.investors)
    print(f"built {args.startups:,} startups and {args.investors:,} investors on {args.database} "
          f"in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    investor, founder = Client(), Client()
    investor.force_login(world["investor"])
    founder.force_login(world["founder"])
    anonymous = Client()
    rng = random.Random(3)

    def get(client, url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    sectors = ["ai-data", "fintech", "climate", "edtech", "logistics", "healthtech"]
    filtered = [(investor, f"/ventures/startups/?sector={rng.choice(sectors)}&country={rng.choice(COUNTRIES)}"
                           f"&raising=yes&page={rng.randint(1, 3)}") for _ in range(args.requests)]
    cases = [
        ("investor: startups by fit, page 1", [(investor, "/ventures/startups/")] * args.requests),
        ("investor: startups by fit, page 1–50", [(investor, f"/ventures/startups/?page={rng.randint(1, 50)}")
                                                  for _ in range(args.requests)]),
        ("investor: filtered (sector, country, raising), p1–3", filtered),
        ("investor: API, filtered, page 1", [
            (c, u.replace("/ventures/startups/", "/api/v1/ventures/startups").split("&page=")[0]) for c, u in filtered]),
        ("investor: text search", [(investor, f"/ventures/startups/?q={rng.choice(WORDS)}+{rng.choice(WORDS)}")
                                   for _ in range(args.requests)]),
        ("anyone: startups by name, page 1", [(anonymous, "/ventures/startups/")] * args.requests),
        ("founder: investors by fit, page 1", [(founder, "/ventures/investors/")] * args.requests),
        ("founder: investors filtered (sector, stage)", [
            (founder, f"/ventures/investors/?sector={rng.choice(sectors)}&stage=seed") for _ in range(args.requests)]),
    ]
    print(f"load average before: {os.getloadavg()[0]:.1f}", file=sys.stderr)
    print(f"{'database':<10} {'what':<52} {'p50 ms':>8} {'p95 ms':>8} {'CPU p50':>8}")
    for name, calls in cases:
        p50, p95, cpu = timed(get, calls)
        print(f"{args.database:<10} {name:<52} {p50:>8.1f} {p95:>8.1f} {cpu:>8.1f}", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.1f}", file=sys.stderr)


if __name__ == "__main__":
    main()
