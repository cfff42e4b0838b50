"""Demo applications, deterministic: students apply to the demo's open openings with their verified
achievements, and the employers have moved them through every stage (with private notes, proposed
and booked interview slots). hr@straits.forward.demo finds new applications to screen and a
candidate at the interview stage without a time yet; student@ntu.forward.demo is invited to an
interview at Straits Fintech with times to book; student@zju.forward.demo holds an offer.

Rows are written directly (with the same snapshot the service takes), not through apply(): the
demo's history is in the past, and nobody is mailed."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from forward.core.models import Membership, Organization, OrganizationKind, Role, User
from forward.credentials import selectors as credential_selectors

from .applications import _snapshot
from .models import (
    Application,
    ApplicationNote,
    InterviewSlot,
    Opening,
    OpeningStatus,
    Profile,
    Stage,
    StageChange,
)

STRAITS = "straits-fintech"
NAMED_STUDENTS = ("student@ntu.forward.demo", "student@zju.forward.demo")
PATHS: dict[str, list[Stage]] = {
    Stage.APPLIED: [Stage.APPLIED],
    Stage.SCREENING: [Stage.APPLIED, Stage.SCREENING],
    Stage.INTERVIEW: [Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEW],
    Stage.OFFER: [Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEW, Stage.OFFER],
    Stage.HIRED: [Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEW, Stage.OFFER, Stage.HIRED],
    Stage.REJECTED: [Stage.APPLIED, Stage.SCREENING, Stage.REJECTED],
    Stage.WITHDRAWN: [Stage.APPLIED, Stage.WITHDRAWN],
    Stage.DECLINED: [Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEW, Stage.OFFER, Stage.DECLINED],
}
BY_APPLICANT = {Stage.WITHDRAWN, Stage.DECLINED, Stage.HIRED, Stage.APPLIED}
# Every opening gets these (in this order, after shuffling the applicants); Straits' first opening
# keeps most at "applied" so its admin has something to screen on first sign-in.
SPREAD = [Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEW, Stage.OFFER, Stage.HIRED, Stage.REJECTED,
          Stage.WITHDRAWN, Stage.DECLINED, Stage.APPLIED]
STRAITS_SPREAD = [Stage.APPLIED, Stage.APPLIED, Stage.APPLIED, Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEW,
                  Stage.INTERVIEW, Stage.REJECTED]
NOTES = [
    "Strong SQL in the course project; ask about the Spark pipeline.",
    "Certification is recent — check hands-on cloud networking in the interview.",
    "Top 10% in the retail forecasting competition. Fast-track.",
    "Available from June only; confirm the internship dates.",
    "Good note, clear motivation. Portfolio link worth a look.",
]
APPLICATION_NOTES = [
    "I enjoyed the data engineering course and would love to build pipelines that real customers use.",
    "My competition team placed in the top 10%; I would like to bring that forecasting work to your team.",
    "I am looking for an internship where I can learn cloud architecture from experienced engineers.",
    "",
]


def _straits_openings() -> list[Opening]:
    organization = Organization.objects.filter(slug=STRAITS).first() or Organization.objects.verified().filter(
        kind=OrganizationKind.EMPLOYER).order_by("pk").first()
    if organization is None:
        return []
    now = timezone.now()
    return [
        Opening.objects.create(
            organization=organization, title="Data Engineering Intern", kind="internship", status=OpeningStatus.OPEN,
            city="Singapore", country="SG", description="Build the pipelines behind our payments analytics.",
            seats=2, deadline=now + timedelta(days=30), start_date=(now + timedelta(days=90)).date(),
            duration_weeks=24, published_at=now - timedelta(days=20)),
        Opening.objects.create(
            organization=organization, title="Graduate Risk Analyst", kind="graduate", status=OpeningStatus.OPEN,
            city="Singapore", country="SG", description="Model credit risk with modern ML.", seats=1,
            deadline=now + timedelta(days=45), published_at=now - timedelta(days=10)),
    ]


def _actor(organization: Organization) -> User | None:
    membership = (Membership.objects.filter(organization=organization, role__in=[Role.ADMIN, Role.STAFF])
                  .select_related("user").order_by("role", "pk").first())
    return membership.user if membership else None


def _students(limit: int = 80) -> list[User]:
    member_ids = Membership.objects.filter(role=Role.MEMBER, organization__kind=OrganizationKind.UNIVERSITY,
                                           organization__verified_at__isnull=False).values("user_id")
    named = list(User.objects.filter(email__in=NAMED_STUDENTS).order_by("email"))
    others = list(User.objects.filter(pk__in=member_ids, credentials__isnull=False).exclude(
        pk__in=[u.pk for u in named]).distinct().order_by("pk")[:limit])
    if len(others) < 10:
        others += list(User.objects.filter(pk__in=member_ids).exclude(pk__in=[u.pk for u in named + others])
                       .order_by("pk")[:limit - len(others)])
    return named + others


def load(*, rng: random.Random) -> None:
    if Application.objects.exists():
        return
    now = timezone.now()
    openings = list(Opening.objects.filter(status=OpeningStatus.OPEN, organization__verified_at__isnull=False,
                                           organization__kind=OrganizationKind.EMPLOYER)
                    .select_related("organization").order_by("pk"))
    if not openings:
        openings = _straits_openings()
    students = _students()
    if not openings or not students:
        return
    named = {u.email: u for u in students if u.email in NAMED_STUDENTS}
    straits = [o for o in openings if o.organization.slug == STRAITS] or [openings[0]]
    snapshots: dict[int, tuple] = {}

    def snapshot_for(user: User) -> dict:
        if user.pk not in snapshots:
            profile, _ = Profile.objects.get_or_create(user=user)
            held = list(credential_selectors.active_for(user=user, now=now))
            snapshots[user.pk] = (profile, held)
        profile, held = snapshots[user.pk]
        chosen = held[: rng.randint(min(1, len(held)), min(4, len(held)))] if held else []
        return _snapshot(user, profile, chosen, now)

    plan: list[tuple[Opening, User, str]] = []
    for index, opening in enumerate(openings):
        if opening.pk == straits[0].pk:
            spread = STRAITS_SPREAD
        elif index <= 1:  # the first other opening shows every stage
            spread = SPREAD
        else:
            shift = index % len(SPREAD)
            spread = (SPREAD[shift:] + SPREAD[:shift])[: 5 + index % 5]
        pool = [u for u in students if u.email not in NAMED_STUDENTS]
        chosen = rng.sample(pool, min(len(spread), len(pool)))
        plan += [(opening, user, stage) for user, stage in zip(chosen, spread, strict=False)]
    # The named students' stories: Aisyah is invited to interview at Straits, Li Hua holds an offer.
    if "student@ntu.forward.demo" in named:
        plan = [p for p in plan if not (p[0].pk == straits[0].pk and p[1].email == "student@ntu.forward.demo")]
        plan.append((straits[0], named["student@ntu.forward.demo"], Stage.INTERVIEW))
    if "student@zju.forward.demo" in named:
        offer_at = next((o for o in openings if o.organization.slug != STRAITS), openings[-1])
        plan.append((offer_at, named["student@zju.forward.demo"], Stage.OFFER))
        if len(straits) > 1:
            plan.append((straits[1], named["student@zju.forward.demo"], Stage.APPLIED))

    actors = {o.organization_id: _actor(o.organization) for o in openings}
    changes, notes = [], []
    interview_rows: dict[int, list[Application]] = {}
    seen = set()
    for opening, user, stage in plan:
        if (opening.pk, user.pk) in seen:
            continue
        seen.add((opening.pk, user.pk))
        path = PATHS[stage]
        created = now - timedelta(days=len(path) * 3 + rng.randint(0, 6), hours=rng.randint(0, 23))
        steps = [created + timedelta(days=3 * i, hours=rng.randint(0, 8)) for i in range(len(path))]
        application = Application.objects.create(
            opening=opening, applicant=user, note=rng.choice(APPLICATION_NOTES), snapshot=snapshot_for(user),
            stage=stage, created_at=created, updated_at=steps[-1],
            offer_accepted_at=steps[-1] if stage == Stage.HIRED else None)
        employer = actors.get(opening.organization_id)
        for i, to_stage in enumerate(path):
            by_applicant = i == 0 or to_stage in BY_APPLICANT
            changes.append(StageChange(application=application, actor=user if by_applicant else employer,
                                       from_stage=path[i - 1] if i else "", to_stage=to_stage, at=steps[i]))
        if stage != Stage.APPLIED and rng.random() < 0.6:
            notes.append(ApplicationNote(application=application, organization=opening.organization, author=employer,
                                         text=rng.choice(NOTES), created_at=steps[-1]))
        if stage == Stage.INTERVIEW:
            interview_rows.setdefault(opening.pk, []).append(application)
    StageChange.objects.bulk_create(changes)
    ApplicationNote.objects.bulk_create(notes)

    # Slots: times proposed for each opening with candidates at interview (10:00 and 14:00 in
    # Singapore, the next working days); all but one candidate per opening have booked, and at
    # Straits the named student has times to choose from.
    by_pk = {o.pk: o for o in openings}
    for opening_pk, rows in interview_rows.items():
        opening = by_pk[opening_pk]
        employer = actors.get(opening.organization_id)
        slots = []
        for day in range(2, 5):
            for hour_utc in (2, 6):
                start = (now + timedelta(days=day)).replace(hour=hour_utc, minute=0, second=0, microsecond=0)
                slots.append(InterviewSlot.objects.create(
                    opening=opening, starts_at=start, ends_at=start + timedelta(minutes=45),
                    where=rng.choice(["https://meet.forward.demo/" + opening.organization.slug, "Level 12, meeting room 3"]),
                    created_by=employer, created_at=now - timedelta(days=1)))
        unbooked = next((a for a in rows if a.applicant.email == "student@ntu.forward.demo"), rows[-1])
        bookable = iter(slots)
        for application in rows:
            if application.pk == unbooked.pk:
                continue
            slot = next(bookable, None)
            if slot is None:
                break
            InterviewSlot.objects.filter(pk=slot.pk).update(booked_by=application, booked_at=now - timedelta(hours=5))
