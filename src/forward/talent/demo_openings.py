"""Demo openings: internships, graduate jobs, jobs and short data projects from the demo employers,
written through the services (so they are validated and audited). Deterministic; runs after the
core, academy and credentials demos, and alone after the rest of the demo (it finds what it needs
by query and creates the few rows that are missing)."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from typing import Any, TypeAlias

from django.db.models import Q
from django.utils import timezone

from forward.core.models import (
    ACTING_ROLES,
    Membership,
    Organization,
    OrganizationKind,
    Skill,
    User,
)

from . import openings
from .models import Opening

EMPLOYERS = {  # slug: (name, country, city)
    "straits-fintech": ("Straits Fintech", "SG", "Singapore"),
    "cloudwave-technologies": ("Cloudwave Technologies", "CN", "Hangzhou"),
    "nusantara-logistics": ("Nusantara Logistics", "ID", "Jakarta"),
    "kopi-commerce": ("Kopi Commerce", "MY", "Penang"),
    "luzon-health-analytics": ("Luzon Health Analytics", "PH", "Makati"),
}

SKILLS = {
    "python": "Python", "sql": "SQL", "machine-learning": "Machine learning", "data-analysis": "Data analysis",
    "statistics": "Statistics", "cloud-computing": "Cloud computing", "linux": "Linux",
    "product-management": "Product management", "dataframes-and-sql": "DataFrames and SQL",
    "leadership": "Leadership",
}

# (employer, title, kind, city, country, remote, required, preferred, pay (min, max, currency, period),
#  seats, weeks, what you will do, extra)
# (employer, title, kind, city, country, remote, required skills, preferred skills, (pay from, pay up to,
# currency, period), seats, weeks, tasks, extra: status, featured, eligible countries, credentials, universities)
OpeningRow: TypeAlias = tuple[str, str, str, str, str, str, list[str], list[str], tuple[int, int, str, str], int,
                              int | None, list[str], dict[str, Any]]
OPENINGS: list[OpeningRow] = [
    ("straits-fintech", "Data analyst intern, payments", "internship", "Singapore", "SG", "hybrid",
     ["sql", "data-analysis"], ["python"], (1500, 2200, "SGD", "month"), 3, 24,
     ["Reconcile card and PayNow settlements across three banks", "Build the daily fraud-signal dashboard",
      "Write SQL that the risk team reuses"], {"featured": True}),
    ("straits-fintech", "Machine learning intern, credit risk", "internship", "Singapore", "SG", "onsite",
     ["python", "machine-learning"], ["statistics"], (1800, 2500, "SGD", "month"), 2, 24,
     ["Train and validate scorecards on anonymised loan data", "Explain model decisions to the credit committee"],
     {"credentials": [{"kind": "certification", "level": 1}]}),
    ("straits-fintech", "Graduate data engineer", "graduate", "Singapore", "SG", "hybrid",
     ["python", "sql", "cloud-computing"], ["linux"], (5000, 6500, "SGD", "month"), 2, None,
     ["Own batch and streaming pipelines for the ledger", "Keep data quality checks green"], {}),
    ("straits-fintech", "Remote data project: merchant churn", "project", "", "", "remote",
     ["python", "machine-learning"], ["data-analysis"], (3000, 3000, "SGD", "total"), 4, 6,
     ["Predict which merchants stop processing within 90 days", "Hand over a notebook and a one-page memo"],
     {"eligible": ["SG", "MY", "ID", "PH"]}),
    ("straits-fintech", "Product analyst (draft)", "job", "Singapore", "SG", "hybrid",
     ["sql", "product-management"], [], (6000, 8000, "SGD", "month"), 1, None,
     ["Size features before they are built", "Run experiments with the app team"], {"status": "draft"}),
    ("cloudwave-technologies", "Cloud engineering intern", "internship", "Hangzhou", "CN", "onsite",
     ["cloud-computing", "linux"], ["python"], (4000, 6000, "CNY", "month"), 6, 12,
     ["Operate Kubernetes clusters serving retail customers", "Automate capacity reports"],
     {"credentials": [{"kind": "certification", "level": 1}], "featured": True}),
    ("cloudwave-technologies", "Big data platform intern", "internship", "Hangzhou", "CN", "onsite",
     ["sql", "dataframes-and-sql"], ["cloud-computing"], (4500, 6500, "CNY", "month"), 4, 16,
     ["Tune Spark jobs over petabyte tables", "Add lineage to the data catalogue"], {}),
    ("cloudwave-technologies", "Graduate machine learning engineer", "graduate", "Hangzhou", "CN", "hybrid",
     ["python", "machine-learning"], ["cloud-computing", "statistics"], (220000, 300000, "CNY", "year"), 5, None,
     ["Ship recommendation models to production", "Run A/B tests with the search team"],
     {"credentials": [{"kind": "course_achievement", "level": 0}]}),
    ("cloudwave-technologies", "Solutions architect, ASEAN", "job", "Singapore", "SG", "hybrid",
     ["cloud-computing", "linux"], ["leadership"], (8000, 11000, "SGD", "month"), 1, None,
     ["Design migrations for banks and retailers", "Teach partner engineers"],
     {"credentials": [{"kind": "certification", "level": 2}]}),
    ("cloudwave-technologies", "Site reliability graduate", "graduate", "Hangzhou", "CN", "onsite",
     ["linux", "cloud-computing"], ["python"], (200000, 260000, "CNY", "year"), 3, None,
     ["Keep the 99.99% promise for object storage", "Write post-mortems people read"], {}),
    ("nusantara-logistics", "Route optimisation intern", "internship", "Jakarta", "ID", "onsite",
     ["python", "data-analysis"], ["machine-learning"], (4000000, 5500000, "IDR", "month"), 3, 24,
     ["Cut kilometres driven across 400 delivery vans", "Map traffic patterns around Jabodetabek"], {}),
    ("nusantara-logistics", "Warehouse analytics intern", "internship", "Surabaya", "ID", "onsite",
     ["sql", "data-analysis"], [], (3500000, 4500000, "IDR", "month"), 2, 16,
     ["Forecast pick volumes per shift", "Find where parcels wait longest"], {}),
    ("nusantara-logistics", "Graduate data scientist, demand", "graduate", "Jakarta", "ID", "hybrid",
     ["python", "statistics", "machine-learning"], ["sql"], (12000000, 16000000, "IDR", "month"), 2, None,
     ["Forecast Ramadan and Harbolnas peaks by region", "Turn forecasts into staffing plans"], {}),
    ("nusantara-logistics", "Remote data project: delivery time prediction", "project", "", "", "remote",
     ["python", "machine-learning"], ["statistics"], (15000000, 15000000, "IDR", "total"), 5, 8,
     ["Predict door-to-door delivery times from scan events", "Publish a short write-up of what worked"],
     {"eligible": ["ID", "MY", "SG", "PH", "CN"]}),
    ("nusantara-logistics", "Fleet data engineer (closed)", "job", "Jakarta", "ID", "onsite",
     ["sql", "cloud-computing"], ["linux"], (18000000, 25000000, "IDR", "month"), 1, None,
     ["Stream telematics from 2,000 trucks", "Keep the fleet warehouse fresh"], {"status": "closed"}),
    ("kopi-commerce", "E-commerce analytics intern", "internship", "Kuala Lumpur", "MY", "hybrid",
     ["sql", "data-analysis"], ["python"], (1200, 1800, "MYR", "month"), 4, 12,
     ["Track basket size and repeat orders for 3,000 sellers", "Build weekly seller scorecards"], {}),
    ("kopi-commerce", "Data science intern, recommendations", "internship", "Penang", "MY", "onsite",
     ["python", "machine-learning"], ["sql"], (1500, 2000, "MYR", "month"), 2, 24,
     ["Improve 'you may also like' for coffee and kopi gear", "Measure uplift with experiments"], {}),
    ("kopi-commerce", "Graduate software engineer, data platform", "graduate", "Kuala Lumpur", "MY", "hybrid",
     ["python", "cloud-computing"], ["linux", "sql"], (4500, 5800, "MYR", "month"), 3, None,
     ["Build the event pipeline behind checkout", "Own services end to end"], {}),
    ("kopi-commerce", "Marketplace analyst", "job", "Penang", "MY", "onsite",
     ["sql", "statistics"], ["product-management"], (5500, 7500, "MYR", "month"), 1, None,
     ["Price promotions that pay for themselves", "Spot fraud in seller ratings"], {}),
    ("kopi-commerce", "Growth analyst intern (draft)", "internship", "Kuala Lumpur", "MY", "hybrid",
     ["data-analysis"], [], (1200, 1600, "MYR", "month"), 1, 12,
     ["Measure campaigns across Shopee and TikTok Shop"], {"status": "draft"}),
    ("luzon-health-analytics", "Health data intern", "internship", "Makati", "PH", "onsite",
     ["sql", "statistics"], ["python"], (15000, 22000, "PHP", "month"), 3, 12,
     ["Clean and link clinic visit records", "Chart vaccination coverage by barangay"], {}),
    ("luzon-health-analytics", "Clinical machine learning intern", "internship", "Makati", "PH", "hybrid",
     ["python", "machine-learning"], ["statistics"], (18000, 25000, "PHP", "month"), 2, 16,
     ["Flag readmission risk for partner hospitals", "Check models for fairness across regions"],
     {"universities": ["university-of-the-philippines-diliman", "de-la-salle-university"]}),
    ("luzon-health-analytics", "Graduate biostatistician", "graduate", "Makati", "PH", "hybrid",
     ["statistics", "data-analysis"], ["python"], (40000, 55000, "PHP", "month"), 2, None,
     ["Design analyses for real-world evidence studies", "Review protocols with clinicians"], {}),
    ("luzon-health-analytics", "Remote data project: clinic wait times", "project", "", "", "remote",
     ["data-analysis", "python"], [], (60000, 60000, "PHP", "total"), 3, 6,
     ["Find what makes outpatient waits long", "Suggest three changes and their effect"],
     {"eligible": ["PH", "SG", "MY", "ID"]}),
    ("luzon-health-analytics", "Data engineer, hospital integrations", "job", "Makati", "PH", "onsite",
     ["sql", "cloud-computing", "linux"], ["python"], (60000, 85000, "PHP", "month"), 1, None,
     ["Connect HL7 and FHIR feeds from 30 hospitals", "Keep patient data safe and auditable"], {}),
]


def _description(employer: str, title: str, tasks: list[str], weeks: int | None, kind: str) -> str:
    lines = [f"**{employer}** is looking for people who learn fast and like real data.", "",
             "## What you will do", *[f"- {t}" for t in tasks], "",
             "## What you bring",
             "- Verified skills on your Forward profile (the required ones above)",
             "- Curiosity, and clear writing in English", ""]
    if kind == "internship" and weeks:
        lines += ["## What we offer", f"- A {weeks}-week internship with a named mentor",
                  "- A return offer for the best interns", ""]
    elif kind == "project":
        lines += ["## How it works", f"- {weeks} weeks, part time, fully remote",
                  "- Anonymised data under a data-use agreement; paid on delivery", ""]
    else:
        lines += ["## What we offer", "- Training budget and certification vouchers",
                  "- Hybrid work and a team that reviews each other's code", ""]
    lines.append(f"Questions? Read about us on [Forward](https://forward.example.org/organizations/) "
                 f"before you apply to *{title}*.")
    return "\n".join(lines)


def _employer(slug: str) -> Organization:
    name, country, city = EMPLOYERS[slug]
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        organization = Organization.objects.create(name=name, slug=slug, kind=OrganizationKind.EMPLOYER,
                                                   country=country, city=city, verified_at=timezone.now())
    return organization


def _operator() -> User:
    operator = User.objects.filter(Q(is_staff=True) | Q(is_superuser=True), is_active=True).order_by("pk").first()
    if operator is None:
        operator = User.objects.create_user(email="operator@forward.demo", name="Operator Olivia Tan", is_staff=True)
    return operator


def _actor(organization: Organization, fallback: User) -> User:
    membership = (Membership.objects.filter(organization=organization, role__in=ACTING_ROLES)
                  .select_related("user").order_by("role", "pk").first())  # admins first
    return membership.user if membership else fallback


def load(*, rng: random.Random) -> None:
    now = timezone.now()
    operator = _operator()
    for slug, name in SKILLS.items():
        Skill.objects.get_or_create(slug=slug, defaults={"name": name})
    universities = set(Organization.objects.verified().filter(kind=OrganizationKind.UNIVERSITY)
                       .values_list("slug", flat=True))
    for index, (slug, title, kind, city, country, remote, required, preferred, pay, seats, weeks, tasks,
                extra) in enumerate(OPENINGS):
        organization = _employer(slug)
        actor = _actor(organization, operator)
        low, high, currency, period = pay
        chosen = [u for u in extra.get("universities", []) if u in universities]
        fields = {
            "title": title, "kind": kind, "city": city, "country": country, "remote": remote,
            "description": _description(organization.name, title, tasks, weeks, kind),
            "required_skills": required, "preferred_skills": preferred, "pay_min": Decimal(low),
            "pay_max": Decimal(high), "currency": currency, "pay_period": period, "seats": seats,
            "duration_weeks": weeks, "countries_eligible": extra.get("eligible", []),
            "required_credentials": extra.get("credentials", []),
            "deadline": (now + timedelta(days=rng.randint(12, 75))).replace(hour=15, minute=59, second=0,
                                                                            microsecond=0),
            "start_date": (now + timedelta(days=rng.randint(80, 150))).date() if kind != "job" else None,
            "who_may_apply": "universities" if chosen else "everyone", "universities": chosen,
        }
        opening = openings.opening_create(actor=actor, organization=organization, **fields)
        if extra.get("status") == "draft":
            continue
        opening = openings.opening_publish(actor=actor, opening=opening)
        # Published over the last weeks, so "newest first" means something.
        Opening.objects.filter(pk=opening.pk).update(published_at=now - timedelta(days=index % 20,
                                                                                   hours=rng.randint(0, 20)))
        if extra.get("status") == "closed":
            openings.opening_close(actor=actor, opening=opening)
        if extra.get("featured"):
            openings.opening_feature(actor=operator, opening=opening)
