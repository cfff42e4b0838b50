"""Demo introductions, deterministic, between demo_base's startups and investors, in every state:
investor@lioncity.forward.demo (Lion City Ventures) finds two startups' requests to answer on first
sign-in; founder@forward.demo (Kampung Cloud) has an accepted introduction with Lion City and a
thread, and a request to Cloudwave still waiting; there are a "not now" and a withdrawn one.

Rows are written directly, not through the services: the demo's history is in the past, and nobody
is mailed. Loading twice changes nothing."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from forward.core.models import ACTING_ROLES, Membership, Organization, User

from .models import Introduction, IntroMessage, IntroStatus

LION_CITY = "lion-city-ventures"
KAMPUNG = "kampung-cloud"

# asker slug, target slug, status, days ago asked, days ago answered, note
INTROS = [
    (LION_CITY, KAMPUNG, IntroStatus.ACCEPTED, 21, 19,
     "We lead seed rounds in cloud infrastructure for South-East Asian businesses, and your cooperative storefronts "
     "caught our eye at the innovation centre's demo day. Could we talk about your round?"),
    ("bahasa-ai", LION_CITY, IntroStatus.OPEN, 2, None,
     "We build speech recognition in Malay, Tamil and Mandarin; 40 schools use our tutor. Raising USD 1.2M seed on a "
     "SAFE and would value a lead who knows data infrastructure."),
    ("warung-data", LION_CITY, IntroStatus.OPEN, 4, None,
     "Inventory and credit scoring for 3,000 neighbourhood shops in West Java, growing 15% a month. We would love "
     "twenty minutes to show you the data."),
    ("tenaga-grid", LION_CITY, IntroStatus.DECLINED, 35, 30,
     "Solar output forecasting for Malaysia's net-metering scheme; pre-revenue, pilots with two installers."),
    ("padi-sense", "merdeka-capital", IntroStatus.WITHDRAWN, 50, 45,
     "Drone imagery that tells rice farmers when to irrigate; we would like your view on agritech in Malaysia."),
    (KAMPUNG, "cloudwave-ventures", IntroStatus.OPEN, 3, None,
     "We run on Cloudwave and serve 600 village cooperatives. We are raising our seed round and would welcome a "
     "conversation with your corporate venture team."),
    ("cloudwave-ventures", "merlion-robotics", IntroStatus.ACCEPTED, 40, 38,
     "Your autonomous forklifts run their fleet brain on our cloud; our venture arm would like to meet."),
    ("garuda-learn", "nusantara-angels", IntroStatus.DECLINED, 60, 55,
     "Exam preparation over WhatsApp for students outside Java; 25,000 learners. Raising a small pre-seed."),
]

THREADS = {
    (LION_CITY, KAMPUNG): [
        (0, "Thanks for accepting! Could you share your monthly GMV and cooperative count for the last six months?"),
        (1, "Of course: 612 cooperatives, GMV up from MYR 180k to MYR 410k a month since June. Deck attached "
            "in the directory, shared with you."),
        (0, "Impressive retention. Are you free on Thursday at 10:00 for a first meeting at the innovation centre?"),
        (1, "Thursday at 10:00 works. We will bring our CTO."),
    ],
    ("cloudwave-ventures", "merlion-robotics"): [
        (0, "Happy to connect. When is your next board meeting?"),
        (1, "Mid-month; we can meet before then in Singapore."),
    ],
}


def _acting(org: Organization, rng: random.Random) -> User:
    members = list(Membership.objects.filter(organization=org, role__in=ACTING_ROLES).select_related("user")
                   .order_by("pk"))
    return members[0].user


def load(*, rng: random.Random) -> None:
    if Introduction.objects.exists():
        return
    now = timezone.now()
    orgs = {o.slug: o for o in Organization.objects.filter(slug__in={s for row in INTROS for s in row[:2]})}
    for asker_slug, target_slug, status, asked_days, answered_days, note in INTROS:
        asker, target = orgs.get(asker_slug), orgs.get(target_slug)
        if asker is None or target is None:
            continue
        asked_by, answerer = _acting(asker, rng), _acting(target, rng)
        created = now - timedelta(days=asked_days, hours=rng.randrange(1, 8))
        answered = now - timedelta(days=answered_days, hours=rng.randrange(1, 8)) if answered_days else None
        intro = Introduction.objects.create(
            asker=asker, target=target, asked_by=asked_by, note=note, status=status,
            pair_low=min(asker.pk, target.pk), pair_high=max(asker.pk, target.pk), created_at=created,
            answered_at=answered, answered_by=(asked_by if status == IntroStatus.WITHDRAWN else answerer)
            if answered else None)
        if answered is None:  # a thread follows an answer
            continue
        messages = []
        for n, (side, text) in enumerate(THREADS.get((asker_slug, target_slug), [])):
            at = answered + timedelta(hours=3 + n * 20)
            messages.append(IntroMessage(introduction=intro, organization=asker if side == 0 else target,
                                         author=asked_by if side == 0 else answerer, text=text, created_at=at))
        if messages:
            IntroMessage.objects.bulk_create(messages)
            Introduction.objects.filter(pk=intro.pk).update(last_message_at=messages[-1].created_at)
