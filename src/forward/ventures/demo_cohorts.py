"""The cohorts demo: a decided call (DigiEntrepreneurs Forward batch 1, run by the programme
office) whose cohort includes Kampung Cloud, and the innovation centre's open accelerator call with
submitted applications being scored by two panels (investors' partners, centre staff; one declared
conflict). founder@forward.demo has a draft to finish; investor@lioncity.forward.demo has
applications waiting to be scored; operator@forward.demo sees every ranking. Deterministic (seeded);
runs after demo_base. Written directly (the calls' deadlines are in the past), as the services
would leave them: decisions already announced are marked so no mail is sent for them."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from forward.core.models import Membership, Organization, Role, User

from .judging import ranking
from .models import (
    Answer,
    ApplicationStatus,
    Call,
    CallStatus,
    CohortApplication,
    Conflict,
    Criterion,
    Panel,
    PanelJudge,
    Partner,
    Question,
    QuestionKind,
    Score,
    Stage,
    Startup,
)

CENTRE = "forward-innovation-centre-kuala-lumpur"
OFFICE = "forward-programme-office"
BATCH_1 = "DigiEntrepreneurs Forward batch 1"
ACCELERATOR = "Innovation Centre KL accelerator: 2027 intake"
FOUNDER_STARTUP = "kampung-cloud"

QUESTIONS = [
    (QuestionKind.TEXT, "What problem do you solve, and for whom?", True, 800, [], None, None),
    (QuestionKind.TEXT, "Why is your team the one to solve it?", True, 600, [], None, None),
    (QuestionKind.CHOICE, "Which track fits you best?", True, None,
     ["Cloud and data infrastructure", "AI applications", "Commerce and payments", "Impact and sustainability"],
     None, None),
    (QuestionKind.NUMBER, "Monthly active users today", False, None, [], Decimal(0), Decimal(100_000_000)),
    (QuestionKind.FILE, "Pitch deck (PDF)", False, None, [], None, None),
]
CRITERIA = [
    ("Team", "Founders' ability to build and sell this, and what they have shipped.", 3),
    ("Market", "Size and urgency of the problem in South-East Asia.", 2),
    ("Traction", "Users, revenue or pilots, for the stage.", 2),
    ("Cloud readiness", "How much the programme's cloud credits and experts would speed them up.", 1),
]
PROBLEMS = {
    "kampung-cloud": "Village cooperatives sell through middlemen because setting up an online shop and payments "
                     "takes skills they do not have. We set both up in an afternoon.",
}
TRACKS = {"cloud-devtools": 0, "ai-data": 1, "ecommerce": 2, "fintech": 2, "climate": 3, "agritech": 3}


def _call(organizer: Organization, title: str, status: str, deadline, description: str, countries, stages,
          created_by: User) -> tuple[Call, list[Question], list[Criterion]]:
    call = Call.objects.create(
        organizer=organizer, title=title, description=description, status=status, deadline=deadline,
        countries=countries, stages=[str(s) for s in stages], created_by=created_by,
        created_at=deadline - timedelta(days=45), published_at=deadline - timedelta(days=40),
        closed_at=deadline if status in (CallStatus.CLOSED, CallStatus.DECIDED) else None,
        decided_at=deadline + timedelta(days=21) if status == CallStatus.DECIDED else None)
    questions = [Question.objects.create(call=call, order=n + 1, kind=kind, prompt=prompt, required=required,
                                         max_length=max_length, options=options, min_value=low, max_value=high)
                 for n, (kind, prompt, required, max_length, options, low, high) in enumerate(QUESTIONS)]
    criteria = [Criterion.objects.create(call=call, name=name, description=text, weight=weight, order=n + 1)
                for n, (name, text, weight) in enumerate(CRITERIA)]
    return call, questions, criteria


def _answers(application: CohortApplication, questions: list[Question], startup: Startup, rng: random.Random,
             *, complete: bool = True) -> None:
    slug = startup.organization.slug
    track = next((TRACKS[s] for s in startup.sectors if s in TRACKS), 1)
    values = [
        {"text": PROBLEMS.get(slug, startup.one_liner)},
        {"text": f"Our founders have built and run products in {startup.organization.city}; "
                 f"we have been working on {startup.organization.name} full time since "
                 f"{startup.founded_on.year if startup.founded_on else 2024}."},
        {"text": questions[2].options[track]},
        {"number": Decimal(rng.choice([120, 800, 2500, 9000, 40000]))},
    ]
    if not complete:
        values = values[:1]
    Answer.objects.bulk_create([Answer(application=application, question=q, updated_at=application.created_at, **v)
                                for q, v in zip(questions, values, strict=False)])


def _apply(call: Call, questions, startups, rng, *, submitted_days_before: int) -> list[CohortApplication]:
    out = []
    for n, startup in enumerate(startups):
        created = call.deadline - timedelta(days=submitted_days_before + 10 - n % 5)
        application = CohortApplication.objects.create(
            call=call, startup=startup, status=ApplicationStatus.SUBMITTED, created_at=created,
            submitted_at=call.deadline - timedelta(days=submitted_days_before - n % 4, hours=n))
        _answers(application, questions, startup, rng)
        out.append(application)
    return out


def _seat(panel: Panel, users, by: User) -> None:
    PanelJudge.objects.bulk_create([PanelJudge(panel=panel, user=u, seated_by=by) for u in users],
                                   ignore_conflicts=True)


def _quality(application: CohortApplication) -> int:
    """How good the application is, 0–2, the same for every judge (and every run)."""
    slug = application.startup.organization.slug
    return 2 if slug == FOUNDER_STARTUP else sum(map(ord, slug)) % 3


def _score(judge: User, application: CohortApplication, criteria, rng: random.Random, bias: int, when,
           *, submitted: bool = True) -> None:
    quality = _quality(application)
    marks = {str(c.pk): max(1, min(5, 2 + quality + bias + rng.choice([-1, 0, 0, 1]))) for c in criteria}
    comments = ["Strong founders; the market needs more evidence.", "Clear problem, early traction.",
                "Would like to see a pilot with paying customers.", "A good fit for the cloud credits.",
                "Crowded space; differentiation unclear."]
    Score.objects.create(judge=judge, application=application, marks=marks, comment=rng.choice(comments),
                         updated_at=when, submitted_at=when if submitted else None)


def load(*, rng: random.Random) -> None:
    now = timezone.now().replace(second=0, microsecond=0)
    operator = User.objects.get(email="operator@forward.demo")
    investor = User.objects.get(email="investor@lioncity.forward.demo")
    centre = Organization.objects.get(slug=CENTRE)
    office = Organization.objects.get(slug=OFFICE)
    centre_people = [m.user for m in Membership.objects.filter(organization=centre, role__in=[Role.ADMIN, Role.STAFF])
                     .select_related("user").order_by("pk")]
    partners = [p.user for p in Partner.objects.select_related("user", "investor__organization")
                .order_by("investor__organization__name", "order", "pk")]
    lion_partners = [u for u in partners if u != investor and Partner.objects.filter(
        user=u, investor__organization__slug="lion-city-ventures").exists()]
    other_partners = [u for u in partners if u != investor and u not in lion_partners]
    startups = {s.organization.slug: s for s in Startup.objects.select_related("organization")}

    # --- DigiEntrepreneurs Forward batch 1: decided, the cohort public ---
    deadline = now - timedelta(days=75)
    batch, questions, criteria = _call(
        office, BATCH_1, CallStatus.DECIDED, deadline,
        "The programme's first cohort: twelve weeks of mentoring, cloud credits and introductions to the "
        "programme's investors for startups across South-East Asia and China.",
        [], [Stage.PRE_SEED, Stage.SEED, Stage.SERIES_A], operator)
    eligible = [s for s in startups.values() if s.stage in (Stage.PRE_SEED, Stage.SEED, Stage.SERIES_A)]
    eligible.sort(key=lambda s: s.organization.slug)
    chosen = [startups[FOUNDER_STARTUP], *[s for s in eligible if s.organization.slug != FOUNDER_STARTUP][:11]]
    applications = _apply(batch, questions, chosen, rng, submitted_days_before=3)
    investors_panel = Panel.objects.create(call=batch, name="Investors' panel")
    centre_panel = Panel.objects.create(call=batch, name="Innovation centre panel")
    panel_investors = [investor, *lion_partners[:1], *other_partners[:2]]
    _seat(investors_panel, panel_investors, operator)
    _seat(centre_panel, centre_people[:3], operator)
    conflicted = next(a for a in applications if a.startup.organization.slug == "merlion-robotics") \
        if any(a.startup.organization.slug == "merlion-robotics" for a in applications) else applications[-1]
    Conflict.objects.create(judge=investor, application=conflicted, declared_at=deadline + timedelta(days=1),
                            reason="Lion City Ventures is in talks to invest in this startup.")
    for n, judge in enumerate([*panel_investors, *centre_people[:3]]):
        bias = [-1, 0, 1, 0, 1, -1][n % 6]  # harsh and lenient judges
        for application in applications:
            if judge == investor and application == conflicted:
                continue
            _score(judge, application, criteria, rng, bias, deadline + timedelta(days=3 + n % 5))
    # Decided as staff would: the top six of the normalised ranking (Kampung Cloud among them).
    ranked = [row.application for row in ranking(call=batch)]
    accepted = ranked[:6] if startups[FOUNDER_STARTUP] in [a.startup for a in ranked[:6]] else \
        [*ranked[:5], *(a for a in ranked if a.startup.organization.slug == FOUNDER_STARTUP)]
    rest = [a for a in ranked if a not in accepted]
    decided_at = deadline + timedelta(days=20)
    for application in ranked:
        status = (ApplicationStatus.ACCEPTED if application in accepted else
                  ApplicationStatus.WAITLISTED if application in rest[:2] else ApplicationStatus.REJECTED)
        CohortApplication.objects.filter(pk=application.pk).update(status=status, decided_at=decided_at,
                                                                   notified_status=status)

    # --- The innovation centre's accelerator: open, being judged ---
    deadline = now + timedelta(days=21)
    accelerator, questions, criteria = _call(
        centre, ACCELERATOR, CallStatus.OPEN, deadline,
        "Six months at the Forward Innovation Centre in Kuala Lumpur: desk space, training in cloud technology "
        "and business leadership, office hours with the centre's experts and venture-capital networking.",
        ["MY", "SG", "ID", "PH"], [Stage.IDEA, Stage.PRE_SEED, Stage.SEED], centre_people[0] if centre_people else operator)
    Call.objects.filter(pk=accelerator.pk).update(published_at=now - timedelta(days=14))
    open_eligible = sorted((s for s in startups.values() if s.organization.country.code in ("MY", "SG", "ID", "PH")
                            and s.stage in (Stage.IDEA, Stage.PRE_SEED, Stage.SEED)
                            and s.organization.slug != FOUNDER_STARTUP), key=lambda s: s.organization.slug)
    submitted = []
    for n, startup in enumerate(open_eligible[:8]):
        application = CohortApplication.objects.create(
            call=accelerator, startup=startup, status=ApplicationStatus.SUBMITTED,
            created_at=now - timedelta(days=12 - n), submitted_at=now - timedelta(days=10 - n, hours=n))
        _answers(application, questions, startup, rng)
        submitted.append(application)
    founder = User.objects.get(email="founder@forward.demo")
    draft = CohortApplication.objects.create(call=accelerator, startup=startups[FOUNDER_STARTUP],
                                             created_at=now - timedelta(days=2), created_by=founder)
    _answers(draft, questions, startups[FOUNDER_STARTUP], rng, complete=False)
    partners_panel = Panel.objects.create(call=accelerator, name="Investor partners")
    staff_panel = Panel.objects.create(call=accelerator, name="Centre experts")
    _seat(partners_panel, [investor, *other_partners[2:4]], centre_people[0] if centre_people else operator)
    _seat(staff_panel, centre_people[:3], centre_people[0] if centre_people else operator)
    staff_panel.applications.set(submitted[:5])  # the experts take the first five; the partners see them all
    for n, judge in enumerate(centre_people[:3]):
        for m, application in enumerate(submitted[:5]):
            _score(judge, application, criteria, rng, [-1, 1, 0][n % 3], now - timedelta(days=3 - m % 3),
                   submitted=not (n == 2 and m == 4))
    for n, judge in enumerate(other_partners[2:4]):
        for application in submitted[: 3 + n]:
            _score(judge, application, criteria, rng, [1, -1][n % 2], now - timedelta(days=1))
    # investor@lioncity.forward.demo: one draft started, the rest waiting.
    _score(investor, submitted[0], criteria[:2], rng, 0, now - timedelta(hours=5), submitted=False)
