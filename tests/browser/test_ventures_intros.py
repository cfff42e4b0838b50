"""The introductions and pipeline journey in the browser, at desktop and phone width: an investor
asks a startup for an introduction; the founder accepts; both write in the thread; the investor adds
the startup to the pipeline, moves the deal and records an investment; the founder confirms it."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from playwright.sync_api import expect

from forward.ventures import pipeline as pipeline_service
from forward.ventures.models import Deal, Introduction, IntroStatus, InvestmentStatus
from tests.browser.conftest import shot
from tests.browser.test_competition_journey import sign_in
from tests.ventures.conftest import ventures  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_ask_accept_message_then_invest_and_confirm(new_page, ventures, phone):  # noqa: F811
    w = ventures
    size = "phone" if phone else "desktop"
    investor = new_page(phone=phone)
    sign_in(investor, "investor@ventures.test")
    investor.goto(f"/ventures/introductions/ask/?to={w.startup_org.pk}")
    expect(investor.get_by_role("heading", level=1)).to_contain_text("Ask Padi Sense for an introduction")
    investor.get_by_label("A short note").fill("We lead seed rounds in data infrastructure. Coffee next week?")
    shot(investor, f"ventures-intro-ask-{size}")
    investor.get_by_role("button", name="Send the request").click()
    expect(investor.locator(".message.success")).to_contain_text("Request sent to Padi Sense")
    expect(investor.get_by_test_id("intro-status")).to_have_text("Waiting")
    assert sorted(m.to[0] for m in mail.outbox) == ["founder@ventures.test", "teammate@ventures.test"]

    founder = new_page(phone=phone)
    sign_in(founder, "founder@ventures.test")
    founder.goto("/ventures/introductions/")
    received = founder.get_by_test_id("intro-received")
    expect(received).to_contain_text("Lion City Ventures")
    expect(received).to_contain_text("Coffee next week?")
    shot(founder, f"ventures-intro-list-{size}")
    received.get_by_role("button", name="Accept").click()
    expect(founder.locator(".message.success")).to_contain_text("Accepted")
    expect(founder.get_by_test_id("intro-contacts")).to_contain_text("investor@ventures.test")
    founder.get_by_label("Your message").fill("Thanks! Tuesday at 10:00 at the innovation centre?")
    founder.get_by_role("button", name="Send").click()
    expect(founder.get_by_test_id("intro-message")).to_contain_text("Tuesday at 10:00")
    assert Introduction.objects.get().status == IntroStatus.ACCEPTED

    investor.reload()
    expect(investor.get_by_test_id("intro-status")).to_have_text("Accepted")
    expect(investor.get_by_test_id("intro-contacts")).to_contain_text("founder@ventures.test")
    expect(investor.get_by_test_id("intro-message")).to_contain_text("Tuesday at 10:00")
    investor.get_by_label("Your message").fill("Tuesday works. See you there.")
    investor.get_by_role("button", name="Send").click()
    expect(investor.get_by_test_id("intro-message").last).to_contain_text("See you there")
    shot(investor, f"ventures-intro-thread-{size}")

    investor.get_by_role("button", name="Open Padi Sense in your pipeline").click()
    expect(investor.get_by_test_id("deal-stage")).to_have_text("Sourced")
    investor.get_by_label("Move to").select_option("first-meeting")
    investor.get_by_role("button", name="Move", exact=True).click()
    expect(investor.get_by_test_id("deal-stage")).to_have_text("First meeting")
    investor.get_by_label("Add a note (only your organization sees it)").fill("Met at the centre; strong CTO.")
    investor.get_by_role("button", name="Add note").click()
    expect(investor.get_by_test_id("deal-notes")).to_contain_text("strong CTO")
    investor.get_by_label("Amount").fill("750000")
    investor.get_by_label("Currency").select_option("USD")
    investor.get_by_label("Instrument").select_option("safe")
    investor.get_by_label("Invested on").fill(date.today().isoformat())
    investor.get_by_role("button", name="Record").click()
    expect(investor.get_by_test_id("deal-stage")).to_have_text("Invested")
    expect(investor.get_by_test_id("investment-status")).to_contain_text("Waiting for the startup to confirm")
    shot(investor, f"ventures-deal-{size}")
    investor.get_by_role("link", name="Deal pipeline · Lion City Ventures").click()
    expect(investor.get_by_test_id("column-invested")).to_contain_text("Padi Sense")
    shot(investor, f"ventures-pipeline-board-{size}")
    assert [c.to_stage for c in pipeline_service.history(Deal.objects.get())] == [
        "sourced", "first-meeting", "invested"]

    founder.goto("/ventures/investments/")
    expect(founder.get_by_test_id("investment")).to_contain_text("USD 750,000.00")
    shot(founder, f"ventures-investments-{size}")
    founder.get_by_role("button", name="Confirm").click()
    expect(founder.locator(".message.success")).to_contain_text("counts as funding raised")
    expect(founder.get_by_test_id("investment-status")).to_have_text("Confirmed by the startup")
    assert Deal.objects.get().investment.status == InvestmentStatus.CONFIRMED
    assert pipeline_service.funding_raised().startups == 1
