"""The innovation centre's demo: the Kuala Lumpur centre's experts and catalogue, SMEs in Malaysia
with readiness results, service requests in every state, office hours next week (some booked), and a
cloud-credit budget with approved and pending grants for cohort startups.

Cohort: credit grants need startups accepted to a call of the centre. If the cohorts demo made such
calls, their accepted startups are used; if the centre has no call at all, this loader opens one
(decided, with Kampung Cloud and two other KL startups accepted) so grants have someone to go to.
Deterministic (seeded); runs after demo_base."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.utils import timezone
from django.utils.text import slugify

from forward.core.models import Membership, Organization, OrganizationKind, Role, User

from . import readiness
from .demo_base import FOUNDER_STARTUP
from .models import (
    ApplicationStatus,
    Assessment,
    Call,
    CallStatus,
    CentreService,
    CohortApplication,
    CreditBudget,
    CreditGrant,
    EntryKind,
    GrantStatus,
    LedgerEntry,
    OfficeHourSlot,
    RequestEvent,
    RequestStatus,
    ServiceRequest,
    Startup,
)
from .services_centre import add_working_days

CENTRE = "forward-innovation-centre-kuala-lumpur"
EXPERTS = [("aminah.razak@klcentre.forward.demo", "Aminah Razak"), ("daniel.wong@klcentre.forward.demo", "Daniel Wong"),
           ("kavitha.n@klcentre.forward.demo", "Kavitha Narayanan")]

# slug, name, description, readiness areas, assign days, done days
SERVICES = [
    ("cloud-migration-assessment", "Cloud migration assessment",
     "An architect reviews your servers and applications and hands you a costed, step-by-step plan to move "
     "them to the cloud.", ["cloud"], 2, 15),
    ("architecture-review", "Architecture review",
     "Two experts review your system's design for reliability, security and cost, with a written report.",
     ["cloud", "security"], 2, 10),
    ("data-platform-workshop", "Data platform workshop",
     "A two-day workshop with your team: from spreadsheets to a small data warehouse and your first dashboards.",
     ["data", "skills"], 3, 20),
    ("mentoring-office-hours", "Mentoring office hours",
     "Regular sessions with a mentor on digital strategy, hiring and leading change.", ["strategy", "skills"], 1, 5),
]

# name, city, description, admin (email, name), readiness level profile (area -> 1..5)
SMES = [
    ("Batik Nusa Sdn Bhd", "Kuala Lumpur", "Hand-drawn batik sold in 30 shops and online.",
     ("farid@batiknusa.forward.demo", "Farid Hassan"),
     {"strategy": 2, "data": 1, "cloud": 2, "security": 1, "skills": 2}),
    ("Kedai Runcit Pak Ali", "Shah Alam", "A chain of 12 neighbourhood grocery shops.",
     ("ali@pakali.forward.demo", "Ali bin Osman"),
     {"strategy": 1, "data": 2, "cloud": 1, "security": 2, "skills": 1}),
    ("Penang Precision Parts", "Penang", "Precision machining for the electronics industry.",
     ("lim@penangprecision.forward.demo", "Lim Chee Keong"),
     {"strategy": 3, "data": 3, "cloud": 2, "security": 3, "skills": 3}),
    ("Sabah Eco Travel", "Kota Kinabalu", "Rainforest and island tours for small groups.",
     ("joanna@sabaheco.forward.demo", "Joanna Majinbon"),
     {"strategy": 3, "data": 2, "cloud": 4, "security": 2, "skills": 3}),
]


def _answers(rng: random.Random, profile: dict[str, int]) -> dict[str, int]:
    """Answers whose area levels land on the profile (give or take one option here and there)."""
    out = {}
    for question in readiness.QUESTIONS:
        target = profile[question.area] - 1
        out[question.id] = max(0, min(len(question.options) - 1, target + rng.choice((0, 0, 0, 1, -1))))
    return out


def _assess(*, rng, organization, user, profile, when, shared_with=None) -> Assessment:
    answers = _answers(rng, profile)
    percents, levels, overall = readiness.score(answers)
    return Assessment.objects.create(organization=organization, taken_by=user, version=readiness.VERSION,
                                     answers=answers, levels=levels, scores=percents, overall=overall,
                                     shared_with=shared_with, created_at=when)


def _person(email: str, name: str, password: str, joined) -> User:
    user = User.objects.create(email=email, name=name, country="MY", password=password, time_zone="Asia/Kuala_Lumpur",
                               preferred_language="en", date_joined=joined)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _request(*, service, organization, by, created, status, expert=None, staff=None, note="") -> ServiceRequest:
    row = ServiceRequest.objects.create(
        service=service, organization=organization, requested_by=by, note=note, status=RequestStatus.REQUESTED,
        created_at=created, updated_at=created, assign_due=add_working_days(created, service.assign_within_days),
        done_due=add_working_days(created, service.done_within_days))
    events = [RequestEvent(request=row, actor=by, from_status="", to_status=RequestStatus.REQUESTED, at=created)]
    path = {RequestStatus.REQUESTED: [], RequestStatus.ASSIGNED: [RequestStatus.ASSIGNED],
            RequestStatus.IN_PROGRESS: [RequestStatus.ASSIGNED, RequestStatus.IN_PROGRESS],
            RequestStatus.DONE: [RequestStatus.ASSIGNED, RequestStatus.IN_PROGRESS, RequestStatus.DONE],
            RequestStatus.CANCELLED: [RequestStatus.CANCELLED]}[status]
    at, before = created, RequestStatus.REQUESTED
    for step in path:
        at += timedelta(days=1, hours=3)
        if step == RequestStatus.ASSIGNED:
            row.expert, row.assigned_at = expert, at
        events.append(RequestEvent(request=row, actor=by if step == RequestStatus.CANCELLED else staff,
                                   from_status=before, to_status=step, expert=row.expert, at=at))
        before = step
    row.status = status
    row.updated_at = at
    if status in (RequestStatus.DONE, RequestStatus.CANCELLED):
        row.closed_at = at
    row.save()
    RequestEvent.objects.bulk_create(events)
    return row


def _cohort(centre: Organization, operator: User, now) -> list[Organization]:
    """Startups accepted to a call of the centre; a call of our own only if the centre has none."""
    if not Call.objects.filter(organizer=centre).exists():
        call = Call.objects.create(organizer=centre, title="Forward Innovation Centre Accelerator 2026, batch 1",
                                   description="Twelve weeks at the Kuala Lumpur centre: cloud, customers, capital.",
                                   status=CallStatus.DECIDED, deadline=now - timedelta(days=75),
                                   created_at=now - timedelta(days=120))
        for slug in (FOUNDER_STARTUP, "padi-sense", "halal-chain"):
            startup = Startup.objects.filter(organization__slug=slug).first()
            if startup is not None:
                CohortApplication.objects.create(call=call, startup=startup, status=ApplicationStatus.ACCEPTED,
                                                 created_at=now - timedelta(days=90),
                                                 submitted_at=now - timedelta(days=80),
                                                 decided_at=now - timedelta(days=60))
    return list(Organization.objects.filter(
        pk__in=CohortApplication.objects.filter(call__organizer=centre, status=ApplicationStatus.ACCEPTED)
        .values("startup__organization_id"), verified_at__isnull=False).order_by("name"))


def load(*, rng: random.Random) -> None:
    now = timezone.now().replace(second=0, microsecond=0)
    centre = Organization.objects.get(slug=CENTRE)
    if centre.verified_at is None:
        centre.verified_at = now - timedelta(days=300)
        centre.save(update_fields=["verified_at"])
    operator = User.objects.get(email="operator@forward.demo")
    founder = User.objects.get(email="founder@forward.demo")
    password = operator.password  # every demo account shares the demo password

    experts = []
    for n, (email, name) in enumerate(EXPERTS):
        user = _person(email, name, password, now - timedelta(days=250 - n))
        Membership.objects.create(user=user, organization=centre, role=Role.ADMIN if n == 0 else Role.STAFF)
        experts.append(user)

    services = [CentreService.objects.create(centre=centre, slug=slug, name=name, description=text, areas=areas,
                                             assign_within_days=a, done_within_days=d, order=n)
                for n, (slug, name, text, areas, a, d) in enumerate(SERVICES)]

    smes = []
    for n, (name, city, text, (email, person), profile) in enumerate(SMES):
        admin = _person(email, person, password, now - timedelta(days=200 - n))
        org = Organization.objects.create(name=name, slug=slugify(name), kind=OrganizationKind.SME, country="MY",
                                          city=city, description=text, created_at=now - timedelta(days=200 - n),
                                          created_by=admin, verified_at=now - timedelta(days=190 - n),
                                          verified_by=operator)
        Membership.objects.create(user=admin, organization=org, role=Role.ADMIN)
        smes.append((org, admin, profile))
        if n % 2 == 0:  # an earlier result too, to compare with
            _assess(rng=rng, organization=org, user=admin, when=now - timedelta(days=150 - n),
                    profile={a: max(1, v - 1) for a, v in profile.items()}, shared_with=centre)
        _assess(rng=rng, organization=org, user=admin, profile=profile, when=now - timedelta(days=20 - n),
                shared_with=centre if n != 3 else None)

    kampung = Organization.objects.get(slug=FOUNDER_STARTUP)
    _assess(rng=rng, organization=kampung, user=founder, when=now - timedelta(days=40), shared_with=centre,
            profile={"strategy": 3, "data": 2, "cloud": 3, "security": 1, "skills": 2})

    # Requests in every state; the newest ones wait for an expert (operator@ and the centre's staff assign them).
    (batik, batik_admin, _p), (kedai, kedai_admin, _p2), (penang, penang_admin, _p3), (sabah, sabah_admin, _p4) = smes
    lead = experts[0]
    plan = [
        (services[2], batik, batik_admin, 70, RequestStatus.DONE, experts[1], "Our sales are in five spreadsheets."),
        (services[0], penang, penang_admin, 30, RequestStatus.IN_PROGRESS, experts[0],
         "Two on-premise servers run our ERP; the warranty ends in March."),
        (services[1], kampung, founder, 12, RequestStatus.ASSIGNED, experts[0],
         "Review our payments architecture before we onboard 200 cooperatives."),
        (services[3], sabah, sabah_admin, 25, RequestStatus.CANCELLED, None, "We found a mentor elsewhere."),
        (services[0], kedai, kedai_admin, 6, RequestStatus.REQUESTED, None,
         "We want to move our point-of-sale system to the cloud."),  # overdue by now
        (services[2], sabah, sabah_admin, 1, RequestStatus.REQUESTED, None,
         "Help us understand which tours make money."),
        (services[3], batik, batik_admin, 0, RequestStatus.REQUESTED, None, "Mentoring on selling online."),
    ]
    for service, org, by, days_ago, status, expert, note in plan:
        _request(service=service, organization=org, by=by, created=now - timedelta(days=days_ago, hours=rng.randint(1, 5)),
                 status=status, expert=expert, staff=lead, note=note)

    # Office hours next week: 10:00 and 14:00 Kuala Lumpur time (02:00 and 06:00 UTC), Monday to Thursday.
    days_to_monday = (7 - now.weekday()) % 7 or 7
    monday = (now + timedelta(days=days_to_monday)).replace(hour=2, minute=0)
    slots = []
    for day in range(4):
        for hour, expert in ((0, experts[day % 3]), (4, experts[(day + 1) % 3])):
            start = monday + timedelta(days=day, hours=hour)
            slots.append(OfficeHourSlot.objects.create(
                centre=centre, expert=expert, starts_at=start, ends_at=start + timedelta(minutes=30),
                topic=["Cloud costs", "Data and dashboards", "Security basics", "Hiring your first engineer"][day],
                where="Level 3, Room Merbok" if hour == 0 else "https://meet.example/klcentre",
                created_at=now - timedelta(days=3)))
    for slot, org, by in ((slots[1], kampung, founder), (slots[4], penang, penang_admin)):
        slot.booked_by_org, slot.booked_by, slot.booked_at = org, by, now - timedelta(days=1)
        slot.save(update_fields=["booked_by_org", "booked_by", "booked_at"])

    # The credit budget: approved grants for the cohort, and pending ones (Kampung Cloud's among them).
    budget = CreditBudget.objects.create(organizer=centre, name="Cloud credits for the 2026 accelerator",
                                         currency="USD", created_by=lead, created_at=now - timedelta(days=58))
    LedgerEntry.objects.create(budget=budget, kind=EntryKind.DEPOSIT, amount=Decimal("150000"), created_by=lead,
                               note="Opening total", created_at=now - timedelta(days=58))
    LedgerEntry.objects.create(budget=budget, kind=EntryKind.DEPOSIT, amount=Decimal("50000"), created_by=operator,
                               note="Top-up from the programme office", created_at=now - timedelta(days=20))
    cohort = _cohort(centre, operator, now)
    purposes = ["GPU hours to train our crop-health models", "Managed databases for the traceability ledger",
                "Hosting for the cooperative storefronts during the harvest festival"]
    for n, startup in enumerate(cohort):
        requester = Membership.objects.filter(organization=startup, role=Role.ADMIN).order_by("pk").first()
        applicant = founder if startup.slug == FOUNDER_STARTUP else (requester.user if requester else None)
        if startup.slug != FOUNDER_STARTUP:
            asked = Decimal(10_000 + 5_000 * (n % 3))
            approved, decided = asked - 2_000, now - timedelta(days=30 - n)
            grant = CreditGrant.objects.create(
                budget=budget, startup=startup, requested_by=applicant, amount_requested=asked,
                purpose=purposes[n % len(purposes)], status=GrantStatus.APPROVED, amount_approved=approved,
                decided_by=lead, decided_at=decided, created_at=now - timedelta(days=40 - n))
            LedgerEntry.objects.create(budget=budget, kind=EntryKind.GRANT, amount=approved, grant=grant,
                                       created_by=lead, created_at=decided)
        CreditGrant.objects.create(budget=budget, startup=startup, requested_by=applicant,
                                   amount_requested=Decimal(25_000 if startup.slug == FOUNDER_STARTUP else 8_000),
                                   purpose=purposes[2] if startup.slug == FOUNDER_STARTUP else purposes[n % 2],
                                   created_at=now - timedelta(days=2 + n))
