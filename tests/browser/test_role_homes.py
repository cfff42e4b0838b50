"""Each role's home in the browser: signing in lands on /dashboard/, where a learner, an instructor,
a university admin (verified or not), an employer, a host, an investor, a founder and an operator see
what matters to them and reach it in one click; the navigation puts the rest under "More". Once at
phone width too."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot
from tests.browser.test_competition_journey import sign_in
from tests.browser.test_foundation_journey import assert_no_sideways_scroll
from tests.core.test_home import world  # noqa: F401 - the same people and data as the home's unit tests

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# role → (cards that must show, a link to follow from the home, the heading it leads to)
HOMES = {
    "student": (["Continue learning", "Coming up", "Your competitions", "Your credentials", "Openings for you"],
                "Cloud Computing Fundamentals", "Lesson 0"),
    "newcomer": (["Start learning", "Data competitions", "Openings for you"], "Browse courses", "Courses"),
    "professor": (["Your cohorts", "Falling behind"], "Lee Laggard", "NTU Semester 1"),
    "uni_admin": (["Your students' outcomes", "Cohorts at your university"], "Students and placements", None),
    "pending_admin": (["Pending University"], "Invite members", "Pending University"),
    "hr": (["Your openings"], "Cloud engineering intern", None),
    "host": (["Your competitions"], "Tmall repeat buyers", None),
    "investor": (["Waiting for you in ventures"], "Pipeline", None),
    "founder": (["Waiting for you in ventures"], "My startup", None),
    "operator": (["Organizations awaiting verification", "Programme health"], "Review the queue", None),
}


def test_every_role_lands_on_its_own_home_and_follows_a_card(new_page, world):  # noqa: F811
    for role, (titles, link, heading) in HOMES.items():
        page = new_page()
        sign_in(page, getattr(world, role).email)
        expect(page).to_have_url(re.compile(r"/dashboard/$"))
        main = page.locator("main")
        for title in titles:
            expect(main.get_by_role("heading", name=title, exact=True)).to_be_visible()
        if role == "pending_admin":  # nothing in the name of an organization nobody has verified yet
            expect(main.get_by_role("link", name="Certification vouchers")).to_have_count(0)
            expect(main.get_by_role("link", name="Students and placements")).to_have_count(0)
        if role == "newcomer":  # welcomed, not told to create an organization first
            expect(main.locator(".home-card").first).to_contain_text("Start learning")
        shot(page, f"home-{role}-desktop")
        cards = main.locator(".home-card")
        cards.get_by_role("link", name=link, exact=True).first.click()
        if heading:
            expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        else:
            expect(page).not_to_have_url(re.compile(r"/dashboard/$"))
        page.context.close()


def test_the_navigation_keeps_the_rest_one_click_away(page, world):  # noqa: F811
    sign_in(page, world.student.email)
    nav = page.get_by_role("navigation", name="Main")
    for label in ("Learn", "Competitions", "Credentials", "Jobs & internships"):
        expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="Ventures", exact=True)).to_be_hidden()
    nav.get_by_text("More", exact=True).click()
    expect(nav.get_by_role("link", name="Ventures", exact=True)).to_be_visible()
    page.keyboard.press("Escape")  # closes it again (site.js), as does a click elsewhere
    expect(nav.get_by_role("link", name="Ventures", exact=True)).to_be_hidden()
    nav.get_by_text("More", exact=True).click()
    page.get_by_role("heading", name="Your account").click()
    expect(nav.get_by_role("link", name="Ventures", exact=True)).to_be_hidden()
    nav.get_by_text("More", exact=True).click()
    nav.get_by_role("link", name="Ventures", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ventures")


def test_a_learners_and_an_operators_home_on_a_phone(new_page, world):  # noqa: F811
    for role in ("student", "operator"):
        phone = new_page(phone=True)
        sign_in(phone, getattr(world, role).email)
        assert_no_sideways_scroll(phone)
        first = "Continue learning" if role == "student" else "Organizations awaiting verification"
        expect(phone.get_by_role("heading", name=first, exact=True)).to_be_visible()
        shot(phone, f"home-{role}-phone")
        # The menu folds the navigation; "More" opens inside it.
        toggle = phone.get_by_role("button", name="Menu")
        toggle.click()
        nav = phone.get_by_role("navigation", name="Main")
        nav.get_by_text("More", exact=True).click()
        expect(nav.get_by_role("link", name="Certifications")).to_be_visible()
        assert_no_sideways_scroll(phone)
        shot(phone, f"home-{role}-menu-phone")
        phone.context.close()
