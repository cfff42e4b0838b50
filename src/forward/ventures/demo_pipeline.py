"""Demo deal pipelines, deterministic: Lion City Ventures follows a dozen demo startups across every
stage, with notes, next steps and a stage history; it invested in Merlion Robotics (confirmed by the
startup, so it counts as funding raised) and in Kampung Cloud (waiting for founder@forward.demo to
confirm on first sign-in). Cloudwave Ventures keeps a small pipeline too.

Rows are written directly, not through the services: the history is in the past, and nobody is
mailed. Loading twice changes nothing."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from forward.core.models import ACTING_ROLES, Membership, Organization, OrganizationKind

from .models import (
    Currency,
    Deal,
    DealNote,
    DealStage,
    DealStageChange,
    Instrument,
    Investment,
    InvestmentStatus,
)

ORDER: list[str] = [DealStage.SOURCED, DealStage.FIRST_MEETING, DealStage.DUE_DILIGENCE, DealStage.TERM_SHEET,
         DealStage.INVESTED]

# investor slug, startup slug, stage, next step, days until it (or None)
DEALS = [
    ("lion-city-ventures", "kampung-cloud", DealStage.INVESTED, "Board seat paperwork", 14),
    ("lion-city-ventures", "merlion-robotics", DealStage.INVESTED, "Quarterly update call", 30),
    ("lion-city-ventures", "bahasa-ai", DealStage.TERM_SHEET, "Send the term sheet draft", 3),
    ("lion-city-ventures", "warung-data", DealStage.DUE_DILIGENCE, "Reference calls with three shop owners", 6),
    ("lion-city-ventures", "selat-pay", DealStage.DUE_DILIGENCE, "Review the licence in Singapore", 9),
    ("lion-city-ventures", "padi-sense", DealStage.FIRST_MEETING, "First meeting at the innovation centre", 2),
    ("lion-city-ventures", "bayani-health", DealStage.FIRST_MEETING, "", None),
    ("lion-city-ventures", "jeepney-go", DealStage.SOURCED, "Ask for an introduction", 5),
    ("lion-city-ventures", "garuda-learn", DealStage.SOURCED, "", None),
    ("lion-city-ventures", "xihu-vision", DealStage.SOURCED, "", None),
    ("lion-city-ventures", "tenaga-grid", DealStage.PASSED, "", None),
    ("lion-city-ventures", "halal-chain", DealStage.PASSED, "", None),
    ("cloudwave-ventures", "zhujiang-secure", DealStage.TERM_SHEET, "Partner meeting", 4),
    ("cloudwave-ventures", "merlion-robotics", DealStage.FIRST_MEETING, "", None),
]
NOTES = [
    "Founders are technical and know their customers by name. Strong first impression.",
    "Unit economics look right at current scale; check the payback period on the next cohort.",
    "Competitor raised last quarter; ask how they win deals against them.",
    "Spoke to two customers: both would be very disappointed without the product.",
    "Cap table is clean; the angel round was on a post-money SAFE.",
]
# investor slug, startup slug: amount, currency, instrument, days ago, status
INVESTMENTS = {
    ("lion-city-ventures", "merlion-robotics"): (Decimal("750000"), Currency.USD, Instrument.SAFE, 60,
                                                 InvestmentStatus.CONFIRMED),
    ("lion-city-ventures", "kampung-cloud"): (Decimal("500000"), Currency.USD, Instrument.SAFE, 5,
                                              InvestmentStatus.PENDING),
}


def _path(stage: str) -> list[str]:
    if stage == DealStage.PASSED:
        return [DealStage.SOURCED, DealStage.FIRST_MEETING, DealStage.PASSED]
    return ORDER[:ORDER.index(stage) + 1]


def load(*, rng: random.Random) -> None:
    if Deal.objects.exists():
        return
    now = timezone.now()
    today = timezone.localdate()
    orgs = {o.slug: o for o in Organization.objects.filter(
        slug__in={s for row in DEALS for s in row[:2]}, kind__in=[OrganizationKind.INVESTOR, OrganizationKind.STARTUP])}
    partners = {}
    for slug, org in orgs.items():
        if org.kind == OrganizationKind.INVESTOR:
            partners[slug] = [m.user for m in Membership.objects.filter(organization=org, role__in=ACTING_ROLES)
                              .select_related("user").order_by("pk")[:3]]
    for i, (investor_slug, startup_slug, stage, next_step, next_days) in enumerate(DEALS):
        investor, startup = orgs.get(investor_slug), orgs.get(startup_slug)
        if investor is None or startup is None or not partners.get(investor_slug):
            continue
        people = partners[investor_slug]
        path = _path(stage)
        start = now - timedelta(days=90 - i * 3)
        deal = Deal.objects.create(
            investor=investor, startup=startup, stage=stage, next_step=next_step,
            next_step_on=today + timedelta(days=next_days) if next_days is not None else None,
            created_by=people[0], created_at=start, updated_at=start + timedelta(days=7 * (len(path) - 1)))
        DealStageChange.objects.bulk_create([
            DealStageChange(deal=deal, actor=people[n % len(people)], from_stage=path[n - 1] if n else "",
                            to_stage=to, at=start + timedelta(days=7 * n)) for n, to in enumerate(path)])
        DealNote.objects.bulk_create([
            DealNote(deal=deal, author=people[(i + n) % len(people)], text=NOTES[(i + n) % len(NOTES)],
                     created_at=start + timedelta(days=2 + 5 * n, hours=rng.randrange(9, 18)))
            for n in range(min(len(path), 3))])
        found = INVESTMENTS.get((investor_slug, startup_slug))
        if found is not None:
            amount, currency, instrument, days_ago, status = found
            confirmed = status == InvestmentStatus.CONFIRMED
            founder = Membership.objects.filter(organization=startup, role__in=ACTING_ROLES).order_by("pk").first()
            Investment.objects.create(
                deal=deal, investor=investor, startup=startup, amount=amount, currency=currency,
                instrument=instrument, invested_on=today - timedelta(days=days_ago), status=status,
                recorded_by=people[0], recorded_at=now - timedelta(days=days_ago),
                answered_by=founder.user if confirmed and founder else None,
                answered_at=now - timedelta(days=days_ago - 2) if confirmed else None)
