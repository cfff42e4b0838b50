"""The directory in the browser, at desktop (1280) and phone (390) width: the founder edits the
startup's profile, uploads the pitch deck and shares it with a fund; the fund's investor finds the
startup by filters, reads why it fits and opens the deck."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from forward.ventures.models import DeckShare, Startup
from tests.browser.conftest import shot
from tests.browser.test_academy_journey import sign_in
from tests.ventures.conftest import ventures  # noqa: F401 - the ventures world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _fits(page) -> bool:
    """Nothing wider than the screen: the page never scrolls sideways."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_founder_shares_the_deck_and_the_investor_finds_the_startup(new_page, ventures, phone):  # noqa: F811
    w = ventures
    width = "phone" if phone else "desktop"

    # The founder edits the profile, uploads the deck and shares it with Lion City Ventures.
    page = new_page(phone=phone)
    sign_in(page, w.founder.email)
    page.goto("/ventures/my-startup/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(w.startup_org.name)
    profile = page.get_by_test_id("profile-form")
    profile.get_by_label("One-liner").fill("Credit scoring for warung owners, from their sales data.")
    profile.get_by_label("Cloud and developer tools").uncheck()
    profile.get_by_role("button", name="Save the profile").click()
    expect(page.get_by_role("status")).to_contain_text("The profile is saved.")
    deck = page.get_by_test_id("deck-form")
    deck.get_by_label("Pitch deck (PDF, up to 10 MB)").set_input_files(
        files=[{"name": "deck.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    deck.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("status")).to_contain_text("The deck is uploaded.")
    deck = page.get_by_test_id("deck-form")
    deck.get_by_label("Investor").select_option(label="Lion City Ventures")
    deck.get_by_role("button", name="Share the deck").click()
    expect(page.get_by_role("status")).to_contain_text("Lion City Ventures can now open your deck.")
    expect(page.get_by_test_id("deck-shares")).to_contain_text("Lion City Ventures")
    assert _fits(page)
    shot(page, f"ventures-my-startup-{width}")
    assert DeckShare.objects.filter(startup=w.startup, investor=w.fund_investor).exists()
    assert Startup.objects.get(pk=w.startup.pk).one_liner.startswith("Credit scoring")

    # The investor filters, reads the fit reasons, opens the startup and its deck.
    page = new_page(phone=phone)
    sign_in(page, w.investor.email)
    page.goto("/ventures/startups/")
    search = page.get_by_test_id("startup-search")
    search.get_by_label("Sector").select_option(label="AI and data")
    search.get_by_label("Country").select_option(label="Malaysia")
    search.get_by_label("Raising").select_option(label="Raising now")
    search.get_by_role("button", name="Search").click()
    expect(page.get_by_test_id("startup-count")).to_contain_text("1 startup")
    card = page.get_by_test_id("startup-card")
    expect(card).to_contain_text("Credit scoring for warung owners")
    expect(card.get_by_test_id("fit-score")).to_have_text("Fit 100/100")
    expect(card.get_by_test_id("fit-reason").first).to_have_text("Sector: AI and data, Fintech ✓")
    expect(card).to_contain_text("Ticket: raising USD 1.2M, their range USD 100k–1.5M ✓")
    assert _fits(page)
    shot(page, f"ventures-startups-{width}")
    card.get_by_role("link", name=w.startup_org.name).click()
    expect(page.get_by_test_id("startup-name")).to_have_text(w.startup_org.name)
    expect(page.get_by_test_id("round")).to_contain_text("USD 1.2M")
    expect(page.get_by_role("link", name="Ask for an introduction")).to_be_visible()
    link = page.get_by_test_id("open-deck")
    response = page.context.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body() == PDF
    assert _fits(page)
    shot(page, f"ventures-startup-{width}")

    # Someone signed out sees the public facts, and no deck.
    page = new_page(phone=phone)
    page.goto(f"/ventures/startups/{w.startup_org.pk}/")
    expect(page.get_by_test_id("team")).to_contain_text("CEO & co-founder")
    expect(page.get_by_test_id("open-deck")).to_have_count(0)
    assert page.context.request.get(f"/ventures/startups/{w.startup_org.pk}/deck/").status == 404
