"""The rounds demo loader works with only the core demo's organizations and people around it
(no openings or applications yet): it makes the minimum, a finished round and one in ranking."""

from __future__ import annotations

import random

import pytest
from django.utils import timezone

from forward.core.models import Membership, Organization, OrganizationKind, Role
from forward.talent import demo_rounds
from forward.talent import rounds as svc
from forward.talent.models import EmployerRank, MatchResult, MatchRound, RoundPhase
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def _core_demo_like():
    now = timezone.now()
    for slug in ("straits-fintech", "cloudwave-technologies", "nusantara-logistics", "kopi-commerce"):
        Organization.objects.create(name=slug.replace("-", " ").title(), slug=slug, kind=OrganizationKind.EMPLOYER,
                                    country="SG", verified_at=now)
    ntu = Organization.objects.create(name="Nanyang Technological University", slug="nanyang-technological-university",
                                      kind=OrganizationKind.UNIVERSITY, country="SG", verified_at=now)
    hr = make_user(demo_rounds.HR, "Priya Nair")
    Membership.objects.create(user=hr, organization=Organization.objects.get(slug="straits-fintech"), role=Role.ADMIN)
    make_user("operator@forward.demo", "Olivia", is_staff=True)
    for i, email in enumerate([demo_rounds.STUDENT] + [f"s{i}@ntu.forward.demo" for i in range(12)]):
        Membership.objects.create(user=make_user(email, f"Student {i}"), organization=ntu, role=Role.MEMBER)
    return hr


def test_the_demo_has_a_finished_round_and_one_in_ranking_with_something_to_do():
    hr = _core_demo_like()
    demo_rounds.load(rng=random.Random(42))
    finished = MatchRound.objects.get(name="Summer internships 2026")
    running = MatchRound.objects.get(name="Winter internships 2027")
    assert svc.phase_of(finished) == RoundPhase.RESULTS and finished.job == "done"
    assert MatchResult.objects.filter(round=finished).exists()
    results = list(MatchResult.objects.filter(round=finished))
    titles = svc.explanation_titles(results)
    assert all(svc.explain(r, titles).headline for r in results)
    answers = [svc.answer_of(r) for r in results if r.opening_id]
    assert answers.count("declined") == 1 and "accepted" in answers  # employers see answers, a freed seat
    assert finished.stats["declined"] == 1
    assert svc.phase_of(running) == RoundPhase.RANKING
    student = Membership.objects.get(user__email=demo_rounds.STUDENT).user
    assert svc.candidate_openings(match_round=running, user=student)  # the student has openings to rank
    mine = svc.employer_round_openings(match_round=running, user=hr)
    assert mine and not EmployerRank.objects.filter(round=running, opening__in=[e.opening for e in mine]).exists()
    assert EmployerRank.objects.filter(round=running).exists()  # others have ranked


def test_the_demo_is_deterministic():
    _core_demo_like()
    demo_rounds.load(rng=random.Random(42))
    first = sorted(MatchResult.objects.values_list("candidate__email", "opening__title", "choice"))
    MatchRound.objects.all().delete()
    demo_rounds.load(rng=random.Random(42))
    assert sorted(MatchResult.objects.values_list("candidate__email", "opening__title", "choice")) == first
