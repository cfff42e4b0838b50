"""A student opens their talent profile, sees their verified achievements with links to verify
each, makes the profile visible to partner employers and edits their headline; a partner
employer then sees it. At desktop (1280) and phone (390) width; the career office's students page
too."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from forward.talent.models import Application, Opening, Profile, Stage
from tests.browser.conftest import shot
from tests.browser.test_academy_journey import sign_in
from tests.talent.conftest import talent  # noqa: F401 - the talent world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page) -> bool:
    """Nothing wider than the screen: the page never scrolls sideways."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_a_student_makes_their_verified_profile_visible_and_edits_the_headline(new_page, talent, phone):  # noqa: F811
    width = "phone" if phone else "desktop"
    page = new_page(phone=phone)
    sign_in(page, talent.student.email)
    page.goto("/talent/profile/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your talent profile")

    verified = page.get_by_test_id("verified")
    certification = page.get_by_test_id("verified-certifications").get_by_role("link", name="Cloud Professional")
    expect(certification).to_have_attribute(
        "href", re.compile(rf"/credentials/{talent.credentials['cert'].uuid}/$"))
    expect(verified).to_contain_text("grade 92%")
    expect(verified).to_contain_text("rank 2 of 40 teams")
    expect(verified.get_by_test_id("expired")).to_have_text("Expired")
    expect(page.get_by_test_id("verified-skills")).to_contain_text("Cloud computing")
    expect(page.get_by_test_id("self-declared")).to_contain_text("Self-declared")
    assert _fits(page)
    shot(page, f"talent-profile-{width}")

    # The verify link leads to the credential's public page (SITE_URL is the tests' host: follow its path).
    page.goto(urlsplit(certification.get_attribute("href")).path)
    expect(page.locator("main")).to_contain_text("Cloud Professional")
    expect(page.get_by_role("heading", level=1)).to_have_text("Siti Student")
    page.goto("/talent/profile/")

    # Visible to partner employers: the choice is recorded with its time.
    page.get_by_label("Visible to partner employers").check()
    page.get_by_role("button", name="Save my choice").click()
    expect(page.get_by_test_id("consent")).to_contain_text("Visible to partner employers")
    assert Profile.objects.get(user=talent.student).visibility == "partners"

    # Edit the headline.
    page.get_by_role("link", name="Edit what you declare").click()
    page.get_by_label("Headline").fill("Cloud data engineer, looking for a 2027 internship")
    page.get_by_label("Internship").check()
    page.get_by_label("Countries you can work in").fill("SG, MY")
    assert _fits(page)
    shot(page, f"talent-profile-edit-{width}")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("headline")).to_have_text("Cloud data engineer, looking for a 2027 internship")
    expect(page.get_by_test_id("self-declared")).to_contain_text("Malaysia")

    # A partner employer's admin now sees the profile.
    employer = new_page(phone=phone)
    sign_in(employer, talent.employer_admin.email)
    profile = Profile.objects.get(user=talent.student)
    employer.goto(f"/talent/people/{profile.pk}/")
    expect(employer.get_by_role("heading", level=1)).to_have_text("Siti Student")
    expect(employer.get_by_test_id("headline")).to_have_text("Cloud data engineer, looking for a 2027 internship")
    assert _fits(employer)
    shot(employer, f"talent-person-{width}")


def test_the_career_office_sees_placement_on_a_phone(new_page, talent):  # noqa: F811
    opening = Opening.objects.create(organization=talent.employer, title="Data engineering intern")
    Application.objects.create(opening=opening, applicant=talent.student, stage=Stage.OFFER)
    for phone in (False, True):
        page = new_page(phone=phone)
        sign_in(page, talent.uni_admin.email)
        page.goto(f"/talent/universities/{talent.university.slug}/students/")
        table = page.get_by_test_id("students")
        expect(table).to_contain_text("Siti Student")
        expect(table).to_contain_text("Offer")
        assert _fits(page)
        shot(page, f"talent-students-{'phone' if phone else 'desktop'}")
