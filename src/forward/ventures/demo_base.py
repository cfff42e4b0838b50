"""The ventures demo's cast: startups at the Kuala Lumpur innovation centre and from the demo
universities, and investors with theses. Every other ventures demo loader builds on these.
Deterministic (seeded); run after the core demo."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify

from forward.core.models import Membership, Organization, OrganizationKind, Role, User

from .models import (
    Currency,
    Instrument,
    Investor,
    InvestorType,
    LeadStyle,
    Partner,
    Sector,
    Stage,
    Startup,
    TeamMember,
)

FOUNDER_STARTUP = "kampung-cloud"  # founder@forward.demo's startup

# name, country, city, stage, sectors, one-liner
STARTUPS = [
    ("Kampung Cloud", "MY", "Kuala Lumpur", Stage.SEED, [Sector.CLOUD_DEVTOOLS, Sector.ECOMMERCE],
     "Cloud storefronts and payments for village cooperatives, set up in an afternoon."),
    ("Padi Sense", "MY", "Kuala Lumpur", Stage.PRE_SEED, [Sector.AGRITECH, Sector.AI_DATA],
     "Satellite and drone imagery that tells rice farmers when to irrigate."),
    ("Halal Chain", "MY", "Kuala Lumpur", Stage.SEED, [Sector.LOGISTICS, Sector.ECOMMERCE],
     "Traceable halal supply chains from farm to shelf."),
    ("Klinik Kita", "MY", "Kuala Lumpur", Stage.SERIES_A, [Sector.HEALTHTECH],
     "Telehealth and e-prescriptions for suburban clinics."),
    ("Tenaga Grid", "MY", "Kuala Lumpur", Stage.IDEA, [Sector.CLIMATE, Sector.AI_DATA],
     "Forecasting rooftop solar output for Malaysia's net-metering scheme."),
    ("Bahasa AI", "MY", "Kuala Lumpur", Stage.SEED, [Sector.AI_DATA, Sector.EDTECH],
     "Speech recognition and tutoring in Malay, Tamil and Mandarin."),
    ("Selat Pay", "SG", "Singapore", Stage.SERIES_A, [Sector.FINTECH],
     "Cross-border payroll for migrant workers at a tenth of remittance fees."),
    ("Merlion Robotics", "SG", "Singapore", Stage.SEED, [Sector.LOGISTICS, Sector.AI_DATA],
     "Autonomous forklifts for ageing warehouse workforces."),
    ("Garuda Learn", "ID", "Depok", Stage.PRE_SEED, [Sector.EDTECH],
     "Exam preparation over WhatsApp for students outside Java."),
    ("Warung Data", "ID", "Bandung", Stage.SEED, [Sector.ECOMMERCE, Sector.AI_DATA],
     "Inventory and credit scoring for neighbourhood shops."),
    ("Nelayan Link", "ID", "Jakarta", Stage.IDEA, [Sector.AGRITECH, Sector.LOGISTICS],
     "A cold-chain marketplace connecting fishers to restaurants."),
    ("Bayani Health", "PH", "Quezon City", Stage.PRE_SEED, [Sector.HEALTHTECH, Sector.AI_DATA],
     "Triage chatbots in Filipino for barangay health workers."),
    ("Jeepney Go", "PH", "Manila", Stage.SEED, [Sector.LOGISTICS, Sector.GOVTECH],
     "Live routes and cashless fares for modernised jeepneys."),
    ("Xihu Vision", "CN", "Hangzhou", Stage.SERIES_A, [Sector.AI_DATA, Sector.ECOMMERCE],
     "Computer vision that checks live-commerce listings against the product shipped."),
    ("Yangtze Carbon", "CN", "Shanghai", Stage.SEED, [Sector.CLIMATE, Sector.FINTECH],
     "Carbon accounting for export manufacturers facing border taxes."),
    ("Beihang Aero Data", "CN", "Beijing", Stage.PRE_SEED, [Sector.AI_DATA, Sector.LOGISTICS],
     "Predictive maintenance for regional airlines' turboprops."),
    ("Zhujiang Secure", "CN", "Guangzhou", Stage.SERIES_B_PLUS, [Sector.CYBERSECURITY, Sector.CLOUD_DEVTOOLS],
     "Zero-trust access for factories' industrial control systems."),
    ("Wuhan MedScan", "CN", "Wuhan", Stage.SEED, [Sector.HEALTHTECH, Sector.AI_DATA],
     "Pathology slide screening that flags what a pathologist should look at first."),
]

# name, country, city, type, sectors, stages, countries, ticket min, max, currency, lead style, thesis
INVESTORS = [
    ("Lion City Ventures", "SG", "Singapore", InvestorType.FUND,
     [Sector.AI_DATA, Sector.CLOUD_DEVTOOLS, Sector.FINTECH], [Stage.PRE_SEED, Stage.SEED],
     ["SG", "MY", "ID", "PH"], 100_000, 1_500_000, Currency.USD, LeadStyle.LEADS,
     "We lead pre-seed and seed rounds of technical founders building data and cloud infrastructure "
     "for South-East Asia's next hundred million online businesses."),
    ("Merdeka Capital", "MY", "Kuala Lumpur", InvestorType.FUND,
     [Sector.AGRITECH, Sector.CLIMATE, Sector.LOGISTICS, Sector.ECOMMERCE], [Stage.SEED, Stage.SERIES_A],
     ["MY", "ID"], 1_000_000, 10_000_000, Currency.MYR, LeadStyle.BOTH,
     "Malaysian capital for the companies that feed, move and power the region."),
    ("Nusantara Angels", "ID", "Jakarta", InvestorType.ANGEL,
     [Sector.EDTECH, Sector.ECOMMERCE, Sector.FINTECH], [Stage.IDEA, Stage.PRE_SEED],
     ["ID"], 10_000, 100_000, Currency.USD, LeadStyle.FOLLOWS,
     "Operators who built Indonesia's first unicorns, writing first cheques for the next ones."),
    ("Cloudwave Ventures", "CN", "Hangzhou", InvestorType.CORPORATE_VC,
     [Sector.AI_DATA, Sector.CLOUD_DEVTOOLS, Sector.CYBERSECURITY], [Stage.SEED, Stage.SERIES_A, Stage.SERIES_B_PLUS],
     ["CN", "SG", "MY"], 500_000, 5_000_000, Currency.USD, LeadStyle.BOTH,
     "The corporate venture arm of Cloudwave: startups that build on, or for, the cloud."),
    ("Manila Bay Partners", "PH", "Makati", InvestorType.FUND,
     [Sector.HEALTHTECH, Sector.FINTECH, Sector.GOVTECH, Sector.LOGISTICS], [Stage.PRE_SEED, Stage.SEED],
     ["PH"], 50_000, 750_000, Currency.USD, LeadStyle.LEADS,
     "Backing Filipino founders solving Filipino problems first."),
    ("Jade Harbour Capital", "CN", "Shanghai", InvestorType.FUND,
     [Sector.CLIMATE, Sector.HEALTHTECH, Sector.AI_DATA], [Stage.SERIES_A, Stage.SERIES_B_PLUS],
     ["CN", "SG"], 2_000_000, 20_000_000, Currency.CNY, LeadStyle.LEADS,
     "Growth capital for deep-tech companies ready to cross borders."),
]

TITLES = ["CEO & co-founder", "CTO & co-founder", "Head of product", "Lead engineer", "Head of growth"]


def load(*, rng: random.Random) -> None:
    now = timezone.now()
    operator = User.objects.get(email="operator@forward.demo")
    students = list(User.objects.filter(
        memberships__organization__kind=OrganizationKind.UNIVERSITY, memberships__role=Role.MEMBER,
        email__contains="@", is_staff=False).exclude(email__endswith="@forward.demo").exclude(
        email__in=["student@ntu.forward.demo", "student@zju.forward.demo"]).order_by("pk").distinct())
    by_country: dict[str, list[User]] = {}
    for user in students:
        by_country.setdefault(user.country.code, []).append(user)
    founder = User.objects.get(email="founder@forward.demo")
    memberships, team = [], []
    for i, (name, country, city, stage, sectors, one_liner) in enumerate(STARTUPS):
        org = Organization.objects.create(
            name=name, slug=slugify(name), kind=OrganizationKind.STARTUP, country=country, city=city,
            website=f"https://{slugify(name)}.example", description=one_liner,
            created_at=now - timedelta(days=300 - i * 7), created_by=operator,
            verified_at=now - timedelta(days=290 - i * 7), verified_by=operator)
        raising = stage != Stage.IDEA and i % 3 != 2
        startup = Startup.objects.create(
            organization=org, one_liner=one_liner, sectors=[str(s) for s in sectors], stage=stage,
            founded_on=date(2021 + i % 5, 1 + i % 12, 1),
            video_url=f"https://video.example/{slugify(name)}",
            raising_amount=Decimal({Stage.PRE_SEED: 300_000, Stage.SEED: 1_200_000, Stage.SERIES_A: 6_000_000,
                                    Stage.SERIES_B_PLUS: 25_000_000}.get(stage, 100_000)) if raising else None,
            raising_currency=Currency.USD,
            raising_instrument=(Instrument.SAFE if stage in (Stage.PRE_SEED, Stage.SEED) else Instrument.EQUITY)
            if raising else "")
        pool = by_country.get(country) or students
        people = [founder] if org.slug == FOUNDER_STARTUP else []
        while len(people) < 2 + i % 3:
            candidate = pool[rng.randrange(len(pool))]
            if candidate not in people:
                people.append(candidate)
        for n, person in enumerate(people):
            memberships.append(Membership(user=person, organization=org, role=Role.ADMIN if n < 2 else Role.STAFF))
            team.append(TeamMember(startup=startup, user=person, title=TITLES[n], order=n))
    Membership.objects.bulk_create(memberships, ignore_conflicts=True)
    TeamMember.objects.bulk_create(team)

    for name, country, city, kind, sectors, stages, countries, low, high, currency, style, thesis in INVESTORS:
        existing = Organization.objects.filter(name=name).first()
        org = existing if existing is not None else Organization.objects.create(
            name=name, slug=slugify(name), kind=OrganizationKind.INVESTOR, country=country, city=city,
            website=f"https://{slugify(name)}.example", created_at=now - timedelta(days=200),
            created_by=operator, verified_at=now - timedelta(days=199), verified_by=operator)
        org.description = thesis
        org.save(update_fields=["description"])
        investor = Investor.objects.create(
            organization=org, investor_type=kind, thesis=thesis, sectors=[str(s) for s in sectors],
            stages=[str(s) for s in stages], countries=countries, ticket_min=Decimal(low), ticket_max=Decimal(high),
            ticket_currency=currency, lead_style=style)
        acting = list(Membership.objects.filter(organization=org, role__in=[Role.ADMIN, Role.STAFF])
                      .select_related("user").order_by("pk")[:2])
        if not acting:  # a new investor: two partners from the region
            for _n in range(2):
                pool = by_country.get(country) or students
                person = pool[rng.randrange(len(pool))]
                acting.append(Membership.objects.get_or_create(user=person, organization=org,
                                                               defaults={"role": Role.ADMIN})[0])
        Partner.objects.bulk_create([
            Partner(investor=investor, user=m.user, title="Managing partner" if n == 0 else "Partner", order=n)
            for n, m in enumerate(acting)], ignore_conflicts=True)
