"""Races on the pipeline with real overlapping transactions on PostgreSQL (on SQLite they queue up,
so these check the outcome): two partners adding one startup at once make one deal; a founder
confirming while the investor corrects leaves a consistent investment."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta

import pytest

from forward.ventures import pipeline as service
from forward.ventures.models import Deal, DealStageChange, Investment, InvestmentStatus

from .test_intros_race import race

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_partners_adding_the_same_startup_make_one_deal(ventures):
    w = ventures

    def add(user):
        with contextlib.suppress(service.AlreadyInPipeline):
            service.add(user=user, investor=w.fund, startup=w.startup_org)

    race([lambda: add(w.investor), lambda: add(w.investor_staff)])
    assert Deal.objects.count() == 1
    assert DealStageChange.objects.count() == 1


def test_confirm_and_correct_at_once_stay_consistent(ventures):
    w = ventures
    deal = service.add(user=w.investor, investor=w.fund, startup=w.startup_org)
    on = date.today() - timedelta(days=1)
    investment = service.invest(user=w.investor, deal=deal, amount="100", currency="USD", instrument="safe",
                                invested_on=on)
    outcomes = race([lambda: service.confirm(user=w.founder, investment=investment),
                     lambda: service.invest(user=w.investor, deal=deal, amount="200", currency="USD",
                                            instrument="safe", invested_on=on)])
    row = Investment.objects.get()
    # Either the correction came first (then the founder confirmed 200) or the confirmation did (then the
    # correction was refused): never a confirmed amount the founder did not see.
    if row.amount == 200:
        assert outcomes == ["ok", "ok"] and row.status == InvestmentStatus.CONFIRMED
    else:
        assert row.status == InvestmentStatus.CONFIRMED and "ok" in outcomes and len(set(outcomes)) == 2
