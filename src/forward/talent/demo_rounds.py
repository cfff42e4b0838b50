"""Demo matching rounds: a finished round with published results (and their explanations) and a
running one in its ranking phase, with some rankings submitted. It finds the demo's openings and
interview-stage applications by query, and creates the minimum that is missing (open openings of
the demo employers, interview-stage applications of demo students)."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from forward.core.models import Membership, Organization, OrganizationKind, Role, User

from . import rounds
from .models import (
    Application,
    CandidateRank,
    EmployerRank,
    MatchResult,
    MatchRound,
    Opening,
    OpeningStatus,
    RoundJob,
    RoundOpening,
    Stage,
)

EMPLOYERS = ["straits-fintech", "cloudwave-technologies", "nusantara-logistics", "kopi-commerce",
             "luzon-health-analytics"]
FALLBACK_OPENINGS = [  # (employer slug, title, city, country, seats)
    ("straits-fintech", "Data Engineering Intern", "Singapore", "SG", 2),
    ("cloudwave-technologies", "Cloud Platform Intern", "Hangzhou", "CN", 3),
    ("nusantara-logistics", "Route Optimisation Intern", "Jakarta", "ID", 1),
    ("kopi-commerce", "Analytics Intern", "Kuala Lumpur", "MY", 2),
    ("straits-fintech", "Risk Modelling Intern", "Singapore", "SG", 1),
    ("cloudwave-technologies", "Machine Learning Intern", "Hangzhou", "CN", 2),
]
STUDENT = "student@ntu.forward.demo"
HR = "hr@straits.forward.demo"


def _employers() -> dict[str, Organization]:
    return {o.slug: o for o in Organization.objects.filter(slug__in=EMPLOYERS, kind=OrganizationKind.EMPLOYER,
                                                           verified_at__isnull=False)}


def _openings(employers: dict[str, Organization], want: int) -> list[Opening]:
    """Open openings of the demo employers (those the openings demo made), topped up to `want`."""
    found = list(Opening.objects.filter(organization__in=employers.values(), status=OpeningStatus.OPEN)
                 .select_related("organization").order_by("pk")[:want])
    now = timezone.now()
    titles = {(o.organization.slug, o.title) for o in found}
    for slug, title, city, country, seats in FALLBACK_OPENINGS:
        if len(found) >= want:
            break
        if slug not in employers or (slug, title) in titles:
            continue
        found.append(Opening.objects.create(
            organization=employers[slug], title=title, city=city, country=country, seats=seats,
            status=OpeningStatus.OPEN, published_at=now - timedelta(days=60), kind="internship",
            description=f"A {title.lower()} for the summer: work with our team on real data."))
    return found


def _students(count: int) -> list[User]:
    """Demo students: the named NTU student first, then members of universities."""
    named = list(User.objects.filter(email=STUDENT))
    others = list(User.objects.filter(
        pk__in=Membership.objects.filter(role=Role.MEMBER, organization__kind=OrganizationKind.UNIVERSITY)
        .values("user_id")).exclude(email=STUDENT).order_by("pk")[:count - len(named)])
    return named + others


def _interviewed(user: User, opening: Opening) -> bool:
    """An application at interview or later (created at interview if there was none)."""
    application, _ = Application.objects.get_or_create(opening=opening, applicant=user,
                                                       defaults={"stage": Stage.INTERVIEW})
    return application.stage in rounds.INTERVIEWED


def load(*, rng: random.Random) -> None:
    employers = _employers()
    if not employers:
        return
    openings = _openings(employers, 6)
    students = _students(16)
    if len(openings) < 4 or len(students) < 6:
        return
    now = timezone.now()
    operator = User.objects.filter(is_staff=True).order_by("pk").first()
    ntu = Organization.objects.filter(slug="nanyang-technological-university", verified_at__isnull=False).first()

    # A finished round: every date past, the match run, results published.
    first_openings, second_openings = openings[:4], openings[4:] or openings[:2]
    finished = MatchRound.objects.create(
        name="Summer internships 2026", organization=ntu, published=True,
        applications_close=now - timedelta(days=60), interviews_close=now - timedelta(days=40),
        ranking_close=now - timedelta(days=30), acceptance_close=now + timedelta(days=5), created_by=operator)
    RoundOpening.objects.bulk_create([RoundOpening(round=finished, opening=o, seats=o.seats) for o in first_openings])
    interviewed: dict[int, list[User]] = {o.pk: [] for o in first_openings}
    for student in students[1:]:  # the named student takes part in the running round
        for opening in rng.sample(first_openings, rng.randint(1, 3)):
            if _interviewed(student, opening):
                interviewed[opening.pk].append(student)
    by_student: dict[int, list[Opening]] = {}
    for opening in first_openings:
        for student in interviewed[opening.pk]:
            by_student.setdefault(student.pk, []).append(opening)
    CandidateRank.objects.bulk_create([
        CandidateRank(round=finished, candidate_id=pk, opening=o, position=i)
        for pk, listed in sorted(by_student.items()) for i, o in enumerate(rng.sample(listed, len(listed)), 1)])
    EmployerRank.objects.bulk_create([
        EmployerRank(round=finished, opening_id=o_pk, candidate=s, position=i)
        for o_pk, people in interviewed.items()
        for i, s in enumerate(rng.sample(people, max(0, len(people) - rng.randint(0, 1))), 1)])
    MatchRound.objects.filter(pk=finished.pk).update(job=RoundJob.QUEUED)
    rounds.run_match(finished.pk)
    # Most matched candidates have answered: one declined (its seat is free again), some accepted.
    finished.refresh_from_db()
    matched = list(MatchResult.objects.filter(round=finished, opening__isnull=False).select_related("candidate")
                   .order_by("candidate_id"))
    for i, result in enumerate(matched):
        if i == 0:
            rounds.result_decline(user=result.candidate, match_round=finished)
        elif rng.random() < 0.6:
            rounds.result_accept(user=result.candidate, match_round=finished)

    # A round in its ranking phase: the named student and hr@straits have something to do.
    running = MatchRound.objects.create(
        name="Winter internships 2027", organization=None, published=True,
        applications_close=now - timedelta(days=14), interviews_close=now - timedelta(days=2),
        ranking_close=now + timedelta(days=5), acceptance_close=now + timedelta(days=12), created_by=operator)
    straits = employers.get("straits-fintech")
    pool = second_openings + [o for o in first_openings if straits and o.organization_id == straits.pk][:1]
    pool = list({o.pk: o for o in pool}.values())
    RoundOpening.objects.bulk_create([RoundOpening(round=running, opening=o, seats=o.seats) for o in pool])
    taking_part = students[:1] + rng.sample(students[1:], min(8, len(students) - 1))
    submitted: list[CandidateRank] = []
    for student in taking_part:
        listed = pool if student.email == STUDENT else rng.sample(pool, min(len(pool), 2))
        mine = [o for o in listed if _interviewed(student, o)]
        if mine and student.email != STUDENT and rng.random() < 0.6:
            submitted.extend(CandidateRank(round=running, candidate=student, opening=o, position=i)
                             for i, o in enumerate(mine, 1))
    CandidateRank.objects.bulk_create(submitted)
    for opening in pool:
        if straits and opening.organization_id == straits.pk:
            continue  # hr@straits ranks on first sign-in
        people = rounds.opening_candidates(match_round=running, opening=opening)
        EmployerRank.objects.bulk_create([EmployerRank(round=running, opening=opening, candidate=p, position=i)
                                          for i, p in enumerate(rng.sample(people, len(people)), 1)])
