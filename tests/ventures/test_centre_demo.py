"""The innovation centre's demo, loaded after the core demo and the ventures cast: SMEs with
readiness results, requests in every state, office hours next week, a budget with approved and
pending grants; founder@ and operator@ have something to do on first sign-in."""

from __future__ import annotations

import random

from django.utils import timezone

from forward.core import demo as core_demo
from forward.core.models import OrganizationKind, User
from forward.ventures import demo_base, demo_centre, grants, permissions
from forward.ventures import services_centre as service
from forward.ventures.models import (
    Assessment,
    CreditBudget,
    CreditGrant,
    GrantStatus,
    OfficeHourSlot,
    RequestStatus,
    ServiceRequest,
)


def test_the_centre_demo(db):
    core_demo.load(rng=random.Random(7), password="correct horse battery")
    demo_base.load(rng=random.Random(7))
    demo_centre.load(rng=random.Random(7))
    centre = permissions.centres().get(slug=demo_centre.CENTRE)
    founder = User.objects.get(email="founder@forward.demo")
    operator = User.objects.get(email="operator@forward.demo")

    smes = list(permissions.centres().model.objects.filter(kind=OrganizationKind.SME))
    assert len(smes) == 4 and all(o.is_verified and o.country == "MY" for o in smes)
    assert all(Assessment.objects.filter(organization=o).exists() for o in smes)
    assert service.assessments_shared_with(centre=centre).count() >= 4

    kampung = permissions.assessment_organizations(founder).get(slug=demo_base.FOUNDER_STARTUP)
    assert Assessment.objects.filter(organization=kampung).exists()
    assert CreditGrant.objects.filter(startup=kampung, status=GrantStatus.PENDING).exists()

    assert set(ServiceRequest.objects.values_list("status", flat=True)) == set(RequestStatus.values)
    waiting = service.queue(centre=centre, status=RequestStatus.REQUESTED)
    assert waiting.count() >= 2 and permissions.can_run_programme(operator, centre)
    assert service.queue(centre=centre, overdue=True).exists()

    now = timezone.now()
    slots = OfficeHourSlot.objects.filter(centre=centre, starts_at__gt=now)
    assert slots.count() == 8 and slots.filter(booked_by_org__isnull=False).count() == 2
    assert all(s.starts_at.weekday() < 5 and (s.starts_at - now).days <= 8 for s in slots)

    budget = CreditBudget.objects.get(organizer=centre)
    assert grants.balance(budget) > 0
    assert CreditGrant.objects.filter(budget=budget, status=GrantStatus.APPROVED).exists()
    assert grants.credits_granted().totals["USD"] > 0
    assert all(grants.in_cohort(startup=g.startup, organizer=centre) for g in CreditGrant.objects.all())
