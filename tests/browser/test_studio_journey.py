"""An instructor authors a course in the studio, previews it as a learner, and publishes it; an
anonymous visitor then finds it in the catalogue."""

import pytest
from playwright.sync_api import expect

from forward.academy.models import Course, CourseStatus
from forward.core.models import Membership, OrganizationKind, Role
from tests.browser.conftest import shot
from tests.browser.test_academy_journey import sign_in
from tests.conftest import make_organization, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_instructor_authors_previews_and_publishes_a_course(new_page):
    admin = make_user("admin@cloud.test", "Cloud Admin")
    engineer = make_user("prof@cloud.test", "Dr. Zhang Wei")
    cloud = make_organization(creator=admin, name="Cloudwave", kind=OrganizationKind.EMPLOYER, country="CN")
    Membership.objects.create(user=engineer, organization=cloud, role=Role.STAFF)  # granted by the admin

    page = new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, engineer.email)
    page.goto("/academy/studio/")
    page.get_by_role("link", name="New course").click()
    page.get_by_label("Title").fill("Serverless in Practice")
    page.get_by_label("Summary").fill("Functions, events and queues, with labs on a real cloud.")
    page.get_by_label("Level").select_option("intermediate")
    page.get_by_label("Other skills").fill("Serverless")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Serverless in Practice")
    expect(page.get_by_test_id("problems")).to_contain_text("Add at least one lesson.")

    page.get_by_label("New module").fill("Functions")
    page.get_by_role("button", name="Add module").click()
    page.get_by_role("link", name="Reading").click()
    page.get_by_label("Title").fill("Why serverless")
    page.get_by_label("Text (Markdown)").fill("## Why\n\nYou pay for **what runs**.")
    page.get_by_role("button", name="Save lesson").click()
    page.get_by_role("link", name="Quiz").click()
    page.get_by_label("Title").fill("Check yourself")
    page.get_by_role("button", name="Save lesson").click()
    page.get_by_role("link", name="Single choice").click()
    page.get_by_label("Question (Markdown)").fill("What triggers a function?")
    page.get_by_label("Options, one per line").fill("An event\nA full moon")
    page.get_by_label("Correct answer").fill("1")
    page.get_by_role("button", name="Save and add another").click()
    page.get_by_label("Kind").select_option("numeric")
    page.get_by_label("Question (Markdown)").fill("How many minutes may a call run at most?")
    page.get_by_label("Correct answer").fill("15")
    page.get_by_role("button", name="Save question").click()
    expect(page.get_by_test_id("questions").locator("li")).to_have_count(2)
    shot(page, "studio-quiz")

    # Reorder: the quiz moves above the reading.
    page.get_by_role("link", name="Back to the outline").click()
    page.get_by_role("button", name="Move “Check yourself” up").click()
    expect(page.locator("[data-testid=module] .lessons > li").first).to_contain_text("Check yourself")

    # Preview as a learner: the draft is visible to its team, with a banner.
    page.get_by_role("link", name="Preview as a learner").click()
    expect(page.get_by_test_id("preview")).to_be_visible()
    page.get_by_role("link", name="Why serverless").click()
    expect(page.locator(".prose h2")).to_have_text("Why")
    visitor = new_page(phone=True)
    assert visitor.goto("/academy/serverless-in-practice/").status == 404

    page.get_by_role("link", name="Back to the studio").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".message.success")).to_contain_text("Published")
    shot(page, "studio-course")
    assert Course.objects.get(slug="serverless-in-practice").status == CourseStatus.PUBLISHED

    visitor.goto("/academy/?q=serverless")
    visitor.get_by_role("link", name="Serverless in Practice").click()
    visitor.get_by_role("link", name="Why serverless").click()
    expect(visitor.locator(".prose strong")).to_have_text("what runs")
    shot(visitor, "studio-published-phone")
