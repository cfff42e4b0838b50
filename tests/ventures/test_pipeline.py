"""The deal pipeline: private to the investor's acting members (not operators, not the startup), for
every role; stages and their history; append-only notes; next steps; investments the startup
confirms or disputes; funding raised from confirmed investments only."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from forward.ventures import permissions
from forward.ventures import pipeline as service
from forward.ventures.models import Deal, DealStage, Investment, InvestmentStatus

from .conftest import ROLES, make_startup

FUND_ACTING = {"investor", "investor_staff"}
STARTUP_ACTING = {"founder", "teammate"}
YESTERDAY = date.today() - timedelta(days=1)


def deal_for(w, startup=None) -> Deal:
    return service.add(user=w.investor, investor=w.fund, startup=startup or w.startup_org)


def invested(w, deal=None, amount="500000", currency="USD") -> Investment:
    return service.invest(user=w.investor, deal=deal or deal_for(w), amount=amount, currency=currency,
                          instrument="safe", invested_on=YESTERDAY)


@pytest.mark.parametrize("role", ROLES)
def test_who_keeps_the_pipeline(ventures, role):
    w = ventures
    user = w.actor(role)
    allowed = role in FUND_ACTING
    assert permissions.can_keep_pipeline(user, w.fund) == allowed
    if allowed:
        deal = service.add(user=user, investor=w.fund, startup=w.startup_org)
    else:
        with pytest.raises(PermissionDenied):
            service.add(user=user, investor=w.fund, startup=w.startup_org)
        deal = deal_for(w)
    for call in (lambda: service.visible_deal(user=user, deal_id=deal.pk),
                 lambda: service.move(user=user, deal=deal, to_stage=DealStage.FIRST_MEETING),
                 lambda: service.note_add(user=user, deal=deal, text="A note"),
                 lambda: service.next_step_set(user=user, deal=deal, text="Call", on=None),
                 lambda: service.invest(user=user, deal=deal, amount="100", currency="USD", instrument="safe",
                                        invested_on=YESTERDAY)):
        if allowed:
            call()
        else:
            with pytest.raises(service.NotFound):
                call()


@pytest.mark.parametrize("role", ROLES)
def test_who_confirms_an_investment(ventures, role):
    w = ventures
    user = w.actor(role)
    investment = invested(w)
    allowed = role in STARTUP_ACTING
    assert permissions.can_answer_investment(user, w.startup_org) == allowed
    if user.is_authenticated:
        assert list(service.investments_for_startups(user=user)) == ([investment] if allowed else [])
    if allowed:
        assert service.confirm(user=user, investment=investment).status == InvestmentStatus.CONFIRMED
    else:
        with pytest.raises(service.NotFound):
            service.confirm(user=user, investment=investment)
        with pytest.raises(service.NotFound):
            service.dispute(user=user, investment=investment)


def test_a_startup_once_per_pipeline_and_only_verified_startups(ventures):
    w = ventures
    deal = deal_for(w)
    with pytest.raises(service.AlreadyInPipeline) as again:
        deal_for(w)
    assert again.value.deal == deal
    for org in (w.unverified_startup.organization, w.other_fund, w.centre):
        with pytest.raises(ValidationError, match="Only verified startups"):
            service.add(user=w.investor, investor=w.fund, startup=org)
    # Another investor keeps its own pipeline of the same startup.
    assert service.add(user=w.other_investor, investor=w.other_fund, startup=w.startup_org).pk != deal.pk


def test_moves_are_recorded_in_order(ventures):
    w = ventures
    deal = deal_for(w)
    for stage in (DealStage.FIRST_MEETING, DealStage.DUE_DILIGENCE, DealStage.PASSED, DealStage.TERM_SHEET):
        service.move(user=w.investor_staff, deal=deal, to_stage=stage)
    assert [(c.from_stage, c.to_stage) for c in service.history(deal)] == [
        ("", "sourced"), ("sourced", "first-meeting"), ("first-meeting", "due-diligence"),
        ("due-diligence", "passed"), ("passed", "term-sheet")]
    with pytest.raises(ValidationError, match="already at Term sheet"):
        service.move(user=w.investor, deal=deal, to_stage=DealStage.TERM_SHEET)
    with pytest.raises(ValidationError, match="Record the investment"):
        service.move(user=w.investor, deal=deal, to_stage=DealStage.INVESTED)
    with pytest.raises(ValidationError, match="is not a stage"):
        service.move(user=w.investor, deal=deal, to_stage="won")


def test_notes_append_and_next_steps(ventures):
    w = ventures
    deal = deal_for(w)
    service.note_add(user=w.investor, deal=deal, text="First")
    service.note_add(user=w.investor_staff, deal=deal, text="Second")
    assert [n.text for n in deal.notes.all()] == ["Second", "First"]
    with pytest.raises(ValidationError):
        service.note_add(user=w.investor, deal=deal, text=" ")
    with pytest.raises(ValidationError):
        service.note_add(user=w.investor, deal=deal, text="x" * 4001)
    service.next_step_set(user=w.investor, deal=deal, text="Send term sheet", on=date(2030, 1, 2))
    deal.refresh_from_db()
    assert (deal.next_step, deal.next_step_on) == ("Send term sheet", date(2030, 1, 2))
    with pytest.raises(ValidationError, match="not only its date"):
        service.next_step_set(user=w.investor, deal=deal, text="", on=date(2030, 1, 2))


def test_investment_moves_to_invested_and_waits_for_the_startup(ventures):
    w = ventures
    deal = deal_for(w)
    investment = invested(w, deal)
    deal.refresh_from_db()
    assert deal.stage == DealStage.INVESTED and investment.status == InvestmentStatus.PENDING
    assert (investment.amount, investment.currency, investment.instrument) == (Decimal("500000"), "USD", "safe")
    assert service.funding_raised().totals == {}
    # Disputed: the investor corrects it, which asks again.
    service.dispute(user=w.founder, investment=investment, reason="It was 450k")
    corrected = invested(w, deal, amount="450000")
    assert corrected.pk == investment.pk and corrected.status == InvestmentStatus.PENDING
    service.confirm(user=w.teammate, investment=corrected)
    assert service.funding_raised().totals == {"USD": Decimal("450000")}
    with pytest.raises(ValidationError, match="no longer be changed"):
        invested(w, deal, amount="1")
    with pytest.raises(ValidationError, match="stays at Invested"):
        service.move(user=w.investor, deal=deal, to_stage=DealStage.PASSED)
    with pytest.raises(ValidationError, match="already been answered"):
        service.dispute(user=w.founder, investment=corrected)


def test_moving_away_from_invested_takes_back_an_unconfirmed_investment(ventures):
    w = ventures
    deal = deal_for(w)
    invested(w, deal)
    service.move(user=w.investor, deal=deal, to_stage=DealStage.TERM_SHEET)
    assert not Investment.objects.exists()


@pytest.mark.parametrize("amount,currency,instrument,on", [
    ("0", "USD", "safe", YESTERDAY), ("-5", "USD", "safe", YESTERDAY), ("abc", "USD", "safe", YESTERDAY),
    ("1.234", "USD", "safe", YESTERDAY), ("1" * 15, "USD", "safe", YESTERDAY), ("100", "EUR", "safe", YESTERDAY),
    ("100", "USD", "loan", YESTERDAY), ("100", "USD", "safe", date.today() + timedelta(days=5))])
def test_investment_input_is_checked(ventures, amount, currency, instrument, on):
    w = ventures
    with pytest.raises(ValidationError):
        service.invest(user=w.investor, deal=deal_for(w), amount=amount, currency=currency, instrument=instrument,
                       invested_on=on)
    assert not Investment.objects.exists()


def test_funding_raised_per_currency_by_date_and_country(ventures, django_assert_max_num_queries):
    w = ventures
    a = invested(w, amount="500000")
    b = invested(w, deal_for(w, w.other_startup.organization), amount="20000", currency="SGD")
    c = service.invest(user=w.other_investor, deal=service.add(user=w.other_investor, investor=w.other_fund,
                                                               startup=w.startup_org),
                       amount="100000", currency="USD", instrument="equity", invested_on=date(2025, 5, 1))
    for investment in (a, b, c):
        service.confirm(user=w.founder if investment.startup_id == w.startup_org.pk else w.other_founder,
                        investment=investment)
    invested(w, deal_for(w, make_startup(
        admin=w.outsider, name="Pending Co", country="MY").organization), amount="999")  # pending: not counted
    with django_assert_max_num_queries(2):
        everything = service.funding_raised()
    assert everything.totals == {"SGD": Decimal("20000"), "USD": Decimal("600000")}
    assert (everything.investments, everything.startups) == (3, 2)
    malaysia = service.funding_raised(country="MY")
    assert malaysia.totals == {"USD": Decimal("600000")} and malaysia.startups == 1
    recent = service.funding_raised(since=date(2026, 1, 1))
    assert recent.totals == {"SGD": Decimal("20000"), "USD": Decimal("500000")}
    assert service.funding_raised(until=date(2025, 12, 31)).totals == {"USD": Decimal("100000")}


def test_board_and_list_queries_are_constant(ventures, django_assert_max_num_queries):
    w = ventures

    def fill(n):
        for i in range(n):
            s = make_startup(admin=w.outsider, name=f"S{Deal.objects.count()}-{i}", country="MY")
            d = deal_for(w, s.organization)
            if i % 2:
                invested(w, d)
    fill(3)
    with django_assert_max_num_queries(8) as small:
        board = service.board(investor=w.fund)
        rows = list(service.deals(investor=w.fund)[:25])
        [getattr(r, "investment", None) for r in rows]
    fill(12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        board = service.board(investor=w.fund)
        rows = list(service.deals(investor=w.fund)[:25])
        [getattr(r, "investment", None) for r in rows]
    assert sum(c["count"] for c in board) == 15
