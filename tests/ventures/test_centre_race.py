"""Races, with real overlapping transactions on PostgreSQL (on SQLite, write transactions queue up,
so these check the outcome rather than the overlap): two approvals at once never take a budget below
zero; two organizations clicking one office-hours slot get one booking; a double click requests once."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from forward.ventures import grants
from forward.ventures import services_centre as service
from forward.ventures.models import CreditGrant, LedgerEntry, OfficeHourSlot, ServiceRequest
from tests.talent.test_applications_race import race  # the same two-thread harness

from .centre_world import centre_world  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_approvals_at_once_never_overdraw_the_budget(centre_world):  # noqa: F811
    w = centre_world
    a = grants.grant_apply(user=w.founder, budget=w.budget, startup=w.startup_org, amount="6000", purpose="A")
    b = grants.grant_apply(user=w.teammate, budget=w.budget, startup=w.startup_org, amount="6000", purpose="B")
    deciders = {a.pk: w.centre_admin, b.pk: w.centre_staff}

    outcomes = race(lambda pk: grants.grant_approve(actor=deciders[pk], grant=CreditGrant.objects.select_related(
        "budget__organizer").get(pk=pk), amount="6000"), [a.pk, b.pk])
    assert outcomes == ["The budget has 4000.00 USD left; approve less or add to the budget.", "ok"]
    assert grants.balance(w.budget) == Decimal("4000")
    assert LedgerEntry.objects.filter(kind="grant").count() == 1


def test_the_same_approval_twice_writes_one_entry(centre_world):  # noqa: F811
    w = centre_world
    g = grants.grant_apply(user=w.founder, budget=w.budget, startup=w.startup_org, amount="100", purpose="A")
    outcomes = race(lambda user: grants.grant_approve(actor=user, grant=CreditGrant.objects.select_related(
        "budget__organizer").get(pk=g.pk), amount="100"), [w.centre_admin, w.centre_staff])
    assert outcomes == ["This application has already been decided: Approved.", "ok"]
    assert LedgerEntry.objects.filter(grant=g).count() == 1


def test_two_organizations_click_the_same_slot(centre_world):  # noqa: F811
    w = centre_world
    start = timezone.now() + timedelta(days=2)
    slot = service.slot_create(actor=w.centre_admin, centre=w.centre, expert=w.centre_staff, starts_at=start,
                               ends_at=start + timedelta(minutes=30))
    people = {w.founder.pk: (w.founder, w.startup_org), w.sme_admin.pk: (w.sme_admin, w.sme)}

    def book(pk):
        user, org = people[pk]
        service.slot_book(user=user, slot=OfficeHourSlot.objects.select_related("centre").get(pk=slot.pk),
                          organization=org)

    outcomes = race(book, list(people))
    assert outcomes == ["This slot is no longer free; choose another.", "ok"]
    assert OfficeHourSlot.objects.get(pk=slot.pk).booked_by_org_id in (w.startup_org.pk, w.sme.pk)


def test_a_double_click_requests_once(centre_world):  # noqa: F811
    w = centre_world
    outcomes = race(lambda user: service.request_create(user=user, service=w.service, organization=w.startup_org),
                    [w.founder, w.teammate])
    assert outcomes == ["Your organization has already requested this service; it is waiting for an expert.", "ok"]
    assert ServiceRequest.objects.count() == 1
