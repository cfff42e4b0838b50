"""The pipeline pages for every role: board and list (private to the investor's acting members),
adding a startup from the directory (pipeline_add), a deal's page and its actions, and the
startup's investments to confirm; constant queries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from forward.ventures import pipeline as service
from forward.ventures.models import Deal, DealNote, DealStage, Investment, InvestmentStatus

from .conftest import ROLES, make_startup
from .test_intros_pages import client

FUND_ACTING = {"investor", "investor_staff"}
STARTUP_ACTING = {"founder", "teammate"}


@pytest.mark.parametrize("role", ROLES)
def test_board_and_list_for_every_role(ventures, role):
    w = ventures
    deal = service.add(user=w.investor, investor=w.fund, startup=w.startup_org)
    c = client(w, role)
    for url in ("/ventures/pipeline/", f"/ventures/pipeline/?org={w.fund.pk}&view=list"):
        page = c.get(url)
        if role == "anonymous":
            assert page.status_code == 302
            continue
        if role not in FUND_ACTING and "org=" in url:
            assert page.status_code == 404  # not theirs: as if it did not exist
            continue
        assert page.status_code == 200
        assert (f"/ventures/pipeline/{deal.pk}/" in page.content.decode()) == (role in FUND_ACTING)


@pytest.mark.parametrize("role", ROLES)
def test_add_from_the_directory_for_every_role(ventures, role):
    w = ventures
    c = client(w, role)
    response = c.post("/ventures/pipeline/add/", {"startup": w.startup_org.pk})
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif role in FUND_ACTING:
        deal = Deal.objects.get()
        assert response["Location"] == f"/ventures/pipeline/{deal.pk}/" and deal.stage == DealStage.SOURCED
        again = c.post("/ventures/pipeline/add/", {"startup": w.startup_org.pk})  # shows the existing one
        assert again["Location"] == f"/ventures/pipeline/{deal.pk}/" and Deal.objects.count() == 1
    elif role == "other_investor":  # to its own pipeline
        assert Deal.objects.get().investor == w.other_fund and response.status_code == 302
    else:
        assert response.status_code == 404 and not Deal.objects.exists()


def test_add_refuses_what_is_not_a_verified_startup(ventures):
    c = client(ventures, "investor")
    for value in ("", "x", "99999999", str(ventures.unverified_startup.organization.pk), str(ventures.other_fund.pk)):
        assert c.post("/ventures/pipeline/add/", {"startup": value}).status_code == 404
    assert c.get("/ventures/pipeline/add/").status_code == 405


@pytest.mark.parametrize("role", ROLES)
def test_deal_page_and_actions_for_every_role(ventures, role):
    w = ventures
    deal = service.add(user=w.investor, investor=w.fund, startup=w.startup_org)
    c = client(w, role)
    url = f"/ventures/pipeline/{deal.pk}/"
    page = c.get(url)
    allowed = role in FUND_ACTING
    if role == "anonymous":
        assert page.status_code == 302
        return
    assert page.status_code == (200 if allowed else 404)
    expected = 302 if allowed else 404
    assert c.post(url + "move/", {"stage": "first-meeting"}).status_code == expected
    assert c.post(url + "note/", {"text": "Strong <i>team</i>"}).status_code == expected
    assert c.post(url + "next-step/", {"next_step": "Call", "next_step_on": "2030-01-02"}).status_code == expected
    assert c.post(url + "invest/", {"amount": "300000", "currency": "SGD", "instrument": "equity",
                                    "invested_on": date.today().isoformat()}).status_code == expected
    deal.refresh_from_db()
    if allowed:
        assert deal.stage == DealStage.INVESTED and deal.next_step == "Call"
        assert [c.to_stage for c in service.history(deal)] == ["sourced", "first-meeting", "invested"]
        html = c.get(url).content.decode()
        assert "Strong &lt;i&gt;team&lt;/i&gt;" in html and "SGD 300,000.00" in html
    else:
        assert deal.stage == DealStage.SOURCED and not DealNote.objects.exists() and not Investment.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_investments_page_for_every_role(ventures, role):
    w = ventures
    deal = service.add(user=w.investor, investor=w.fund, startup=w.startup_org)
    investment = service.invest(user=w.investor, deal=deal, amount="500000", currency="USD", instrument="safe",
                                invested_on=date.today() - timedelta(days=2))
    c = client(w, role)
    page = c.get("/ventures/investments/")
    if role == "anonymous":
        assert page.status_code == 302
        return
    allowed = role in STARTUP_ACTING
    assert ("Lion City Ventures" in page.content.decode()) == allowed
    response = c.post(f"/ventures/investments/{investment.pk}/confirm/")
    assert response.status_code == (302 if allowed else 404)
    investment.refresh_from_db()
    assert investment.status == (InvestmentStatus.CONFIRMED if allowed else InvestmentStatus.PENDING)


def test_dispute_from_the_page(ventures):
    w = ventures
    deal = service.add(user=w.investor, investor=w.fund, startup=w.startup_org)
    investment = service.invest(user=w.investor, deal=deal, amount="5", currency="USD", instrument="safe",
                                invested_on=date.today())
    client(w, "founder").post(f"/ventures/investments/{investment.pk}/dispute/", {"reason": "We got 50"})
    investment.refresh_from_db()
    assert (investment.status, investment.dispute_reason) == (InvestmentStatus.DISPUTED, "We got 50")
    html = client(w, "investor").get(f"/ventures/pipeline/{deal.pk}/").content.decode()
    assert "We got 50" in html and "Correct the investment" in html


def test_pages_do_a_constant_number_of_queries(ventures, django_assert_max_num_queries):
    w = ventures
    c = client(w, "investor")
    founder = client(w, "founder")

    def fill(n):
        for i in range(n):
            org = make_startup(admin=w.outsider, name=f"Co {Deal.objects.count()}-{i}", country="MY").organization
            deal = service.add(user=w.investor, investor=w.fund, startup=org)
            service.note_add(user=w.investor, deal=deal, text="note")
            if i % 2:
                service.invest(user=w.investor, deal=deal, amount="10", currency="USD", instrument="safe",
                               invested_on=date.today())
        deal = Deal.objects.filter(startup=w.startup_org).first() or service.add(
            user=w.investor, investor=w.fund, startup=w.startup_org)
        Investment.objects.filter(deal=deal).delete()
        Deal.objects.filter(pk=deal.pk).update(stage="term-sheet")
        service.invest(user=w.investor, deal=deal, amount=str(10 + n), currency="USD", instrument="safe",
                       invested_on=date.today())
        service.note_add(user=w.investor, deal=deal, text="more")
        return deal
    deal = fill(2)
    urls = ["/ventures/pipeline/", f"/ventures/pipeline/?org={w.fund.pk}&view=list&stage=sourced",
            f"/ventures/pipeline/{deal.pk}/"]
    counted = {}
    for url in urls:
        c.get(url)
        with django_assert_max_num_queries(40) as captured:
            assert c.get(url).status_code == 200
        counted[url] = len(captured.captured_queries)
    with django_assert_max_num_queries(40) as founder_small:
        founder.get("/ventures/investments/")
    fill(10)
    for url in urls:
        with django_assert_max_num_queries(counted[url]):
            assert c.get(url).status_code == 200
    with django_assert_max_num_queries(len(founder_small.captured_queries)):
        founder.get("/ventures/investments/")
