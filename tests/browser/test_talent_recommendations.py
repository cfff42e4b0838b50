"""Recommendations in the browser, at desktop and phone width: a learner sees openings ranked with
the reasons (matched verified skills linking to the credentials' verification pages, what is
missing); the employer sees candidates ranked, and a hidden profile nowhere."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot
from tests.browser.test_competition_journey import sign_in
from tests.talent.test_recommendations import world  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_learner_sees_openings_with_reasons(new_page, world, phone):  # noqa: F811
    page = new_page(phone=phone)
    sign_in(page, world.learner.email)
    page.goto("/talent/recommended/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Openings for you")
    cards = page.get_by_test_id("recommendation")
    expect(cards).to_have_count(3)
    expect(cards.last).to_contain_text("ML Engineer")
    expect(cards.last.get_by_test_id("missing-skills")).to_contain_text("Machine learning")
    intern = cards.filter(has_text="Data Engineering Intern")
    expect(intern.get_by_test_id("matched-skill").first).to_contain_text("Python")
    assert fits_the_screen(page)
    intern.get_by_text("How the score adds up").click()
    expect(intern.get_by_test_id("terms")).to_contain_text("Competition placing")
    shot(page, f"talent-recommended-{'phone' if phone else 'desktop'}")
    intern.get_by_test_id("credential-link").first.click()
    expect(page).to_have_url(f"{page.url.split('/credentials/')[0]}/credentials/{world.cert.uuid}/")


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_employer_sees_candidates_ranked_and_no_hidden_profile(new_page, world, phone):  # noqa: F811
    page = new_page(phone=phone)
    sign_in(page, world.employer_admin.email)
    page.goto(f"/talent/openings/{world.opening.uuid}/candidates/")
    candidates = page.get_by_test_id("candidate")
    expect(candidates).to_have_count(3)
    expect(candidates.first).to_contain_text("Ana Learner")
    expect(candidates.first).to_contain_text("Meets every requirement")
    expect(candidates.nth(1)).to_contain_text("Requirements missing")
    expect(page.locator("body")).not_to_contain_text("Cai Hidden")
    assert fits_the_screen(page)
    shot(page, f"talent-candidates-{'phone' if phone else 'desktop'}")
