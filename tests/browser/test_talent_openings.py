"""Openings in the browser, at desktop (1280) and phone (390) width: a person who is not signed in
searches openings by skill and country and opens one; an employer's admin creates an opening and
publishes it, and it shows in the search."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forward.core.models import OrganizationKind, Skill
from forward.talent import openings
from tests.browser.conftest import shot
from tests.browser.test_competition_journey import sign_in
from tests.conftest import make_organization, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def employers(db):
    admin = make_user("hr@straits.test", "Priya Nair")
    straits = make_organization(creator=admin, name="Straits Fintech", kind=OrganizationKind.EMPLOYER, country="SG")
    other = make_user("hr@kopi.test", "Kopi HR")
    kopi = make_organization(creator=other, name="Kopi Commerce", kind=OrganizationKind.EMPLOYER, country="MY")
    for slug, name in (("python", "Python"), ("sql", "SQL"), ("machine-learning", "Machine learning")):
        Skill.objects.create(slug=slug, name=name)
    deadline = timezone.now() + timedelta(days=30)
    for organization, actor, title, country, skills in (
            (straits, admin, "Payments data intern", "SG", ["sql"]),
            (straits, admin, "Credit risk ML intern", "SG", ["python", "machine-learning"]),
            (kopi, other, "Recommendations intern", "MY", ["python"])):
        opening = openings.opening_create(
            actor=actor, organization=organization, title=title, description="## What you will do\n\n- Real work",
            country=country, city="Singapore" if country == "SG" else "Penang", required_skills=skills,
            pay_min=Decimal("1500"), pay_max=Decimal("2200"), currency="SGD" if country == "SG" else "MYR",
            pay_period="month", deadline=deadline)
        openings.opening_publish(actor=actor, opening=opening)
    return straits


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_a_visitor_searches_by_skill_and_country_and_opens_one(new_page, employers, phone):
    page = new_page(phone=phone)
    page.goto("/")
    if phone:
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Jobs & internships").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jobs & internships")
    expect(page.get_by_test_id("opening-card")).to_have_count(3)
    page.get_by_label("Skill").select_option(label="Python")
    page.get_by_label("Country").select_option("SG")
    page.get_by_role("button", name="Search").click()
    cards = page.get_by_test_id("opening-card")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Credit risk ML intern")
    expect(cards.first).to_contain_text("SGD 1,500–2,200 per month")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    shot(page, f"talent-openings-search-{'phone' if phone else 'desktop'}")
    cards.first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Credit risk ML intern")
    expect(page.get_by_test_id("status")).to_have_text("Open")
    expect(page.get_by_test_id("description").get_by_role("heading", name="What you will do")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in to apply")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    shot(page, f"talent-opening-detail-{'phone' if phone else 'desktop'}")


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_an_employer_admin_creates_and_publishes_an_opening(new_page, employers, phone):
    page = new_page(phone=phone)
    sign_in(page, "hr@straits.test")
    page.goto("/talent/openings/")
    page.get_by_test_id("talent-nav").get_by_role("link", name="Our openings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Openings of Straits Fintech")
    page.get_by_role("link", name="New opening").click()
    page.get_by_label("Title").fill("Graduate data engineer")
    page.get_by_label("Type").select_option("graduate")
    page.get_by_label("Description (Markdown)").fill("Build **pipelines** for the ledger.\n\n- Python\n- SQL")
    page.get_by_label("Where").select_option("hybrid")
    page.get_by_label("City").fill("Singapore")
    page.get_by_label("Country", exact=True).select_option("SG")
    page.get_by_label("Required skills").select_option(["python", "sql"])
    page.get_by_label("Pay from").fill("5000")
    page.get_by_label("Pay up to").fill("6500")
    page.get_by_label("Currency").select_option("SGD")
    page.get_by_label("Pay period").select_option("month")
    page.get_by_label("Seats").fill("2")
    page.get_by_label("Application deadline").fill(
        (timezone.now() + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Credential 1").select_option("certification")
    page.locator("#id_credential_1_level").select_option("1")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Graduate data engineer")
    expect(page.get_by_test_id("status")).to_have_text("Draft")
    expect(page.get_by_text("Certification, level 1 (associate) or above")).to_be_visible()
    shot(page, f"talent-opening-draft-{'phone' if phone else 'desktop'}")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_test_id("status")).to_have_text("Open")
    expect(page.get_by_role("button", name="Close")).to_be_visible()
    page.goto("/talent/openings/?text=ledger")
    expect(page.get_by_test_id("opening-card")).to_have_count(1)
    expect(page.get_by_test_id("opening-card").first).to_contain_text("SGD 5,000–6,500 per month")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    shot(page, f"talent-opening-published-{'phone' if phone else 'desktop'}")
