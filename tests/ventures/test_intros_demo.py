"""The introductions and pipeline demo loaders on demo_base's cast (with only the core demo's people
it needs around it): every introduction state, a thread for founder@forward.demo, a request for
investor@lioncity.forward.demo to answer, Lion City's pipeline across the stages with one confirmed
investment and one for the founder to confirm. Deterministic, and loading twice changes nothing."""

from __future__ import annotations

import random

import pytest
from django.utils import timezone

from forward.core.models import Membership, Organization, OrganizationKind, Role, User
from forward.ventures import demo_base, demo_intros, demo_pipeline
from forward.ventures import intros as intro_service
from forward.ventures import pipeline as pipeline_service
from forward.ventures.models import (
    Deal,
    DealStage,
    Introduction,
    IntroStatus,
    Investment,
    InvestmentStatus,
)
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def _core_demo_like():
    now = timezone.now()
    operator = make_user("operator@forward.demo", "Olivia", is_staff=True)
    university = Organization.objects.create(name="Universiti Malaya", slug="universiti-malaya", country="MY",
                                             kind=OrganizationKind.UNIVERSITY, verified_at=now, verified_by=operator)
    lion = Organization.objects.create(name="Lion City Ventures", slug="lion-city-ventures", country="SG",
                                       kind=OrganizationKind.INVESTOR, verified_at=now, verified_by=operator)
    Membership.objects.create(user=make_user("investor@lioncity.forward.demo", "Marcus Lim"), organization=lion,
                              role=Role.ADMIN)
    make_user("founder@forward.demo", "Siti")
    for i in range(40):
        Membership.objects.create(user=make_user(f"s{i}@um.forward.demo", f"Student {i}", country="MY"),
                                  organization=university, role=Role.MEMBER)


def _state():
    return (sorted(Introduction.objects.values_list("asker__slug", "target__slug", "status")),
            sorted(Deal.objects.values_list("investor__slug", "startup__slug", "stage")))


def test_every_state_and_something_to_do_on_first_sign_in():
    _core_demo_like()
    rng = random.Random(2026)
    demo_base.load(rng=rng)
    demo_intros.load(rng=rng)
    demo_pipeline.load(rng=rng)
    assert set(Introduction.objects.values_list("status", flat=True)) == set(IntroStatus.values)
    investor = User.objects.get(email="investor@lioncity.forward.demo")
    founder = User.objects.get(email="founder@forward.demo")
    assert intro_service.received(user=investor).count() >= 1  # a request to answer
    thread = intro_service.accepted(user=founder).get(asker__slug="lion-city-ventures")
    assert intro_service.thread(user=founder, introduction=thread).count() >= 2
    assert set(Deal.objects.filter(investor__slug="lion-city-ventures").values_list("stage", flat=True)) == set(
        DealStage.values)
    for deal in Deal.objects.all():  # each history ends where the deal is
        assert deal.changes.order_by("at", "pk").last().to_stage == deal.stage
    pending = pipeline_service.investments_for_startups(user=founder)
    assert [i.status for i in pending] == [InvestmentStatus.PENDING]
    raised = pipeline_service.funding_raised()
    assert raised.investments == 1 and raised.startups == 1
    assert Investment.objects.count() == 2
    first = _state()
    demo_intros.load(rng=random.Random(1))
    demo_pipeline.load(rng=random.Random(1))
    assert _state() == first


def test_the_asker_of_each_demo_request_may_see_it():
    _core_demo_like()
    rng = random.Random(2026)
    demo_base.load(rng=rng)
    demo_intros.load(rng=rng)
    for introduction in Introduction.objects.select_related("asked_by", "asker", "target"):
        assert intro_service.visible(user=introduction.asked_by, introduction_id=introduction.pk) == introduction
        if introduction.status == IntroStatus.ACCEPTED:
            assert introduction.answered_by is not None
