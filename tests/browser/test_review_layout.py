"""What the combined screenshot review found, kept fixed: a learner's course, lesson, wallet and
credential pages fit a 390 px phone (a long signing-key URL in a "Not verified" verdict once widened
the credential page), the course page's facts each take a whole row, the wallet's rows keep the card's
padding, and a table written in Markdown is ruled and stays inside its card."""

import pytest
from playwright.sync_api import expect

from forward.academy.models import LessonKind
from forward.credentials.models import Credential
from tests.academy.conftest import academy  # noqa: F401
from tests.browser.conftest import shot
from tests.browser.test_academy_journey import sign_in
from tests.browser.test_foundation_journey import assert_no_sideways_scroll
from tests.credentials.conftest import cohort, release  # noqa: F401 - NTU's graded cohort

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLE = ("| model | you manage | the provider manages |\n| --- | --- | --- |\n"
         "| IaaS | OS, runtime, application, data | hardware, virtualisation, network |\n"
         "| SaaS | your data and users | the whole application |\n")


def test_a_learners_pages_fit_a_phone_and_read_well_on_a_desktop(new_page, cohort, settings):  # noqa: F811
    w = cohort
    w.reading.kind = LessonKind.READING
    w.reading.body = "Who looks after what:\n\n" + TABLE
    w.reading.save()
    release(w)
    credential = Credential.objects.filter(recipient=w.student).order_by("pk").first()
    assert credential is not None
    # The site moved to a new address after issuing: the key the credential names is no longer the one the
    # issuer publishes, and the verdict quotes that long URL.
    settings.SITE_URL = "https://learning.a-rather-long-programme-domain-name.example"
    pages = {"course": f"/academy/{w.course.slug}/", "lesson": f"/academy/{w.course.slug}/{w.reading.slug}/",
             "wallet": "/credentials/", "credential": f"/credentials/{credential.uuid}/"}

    phone = new_page(phone=True)
    sign_in(phone, w.student.email)
    for name, path in pages.items():
        phone.goto(path)
        assert_no_sideways_scroll(phone)
        shot(phone, f"review-{name}-phone")
    phone.goto(pages["credential"])
    expect(phone.locator(".verdict")).to_contain_text("Not verified")
    assert_no_sideways_scroll(phone)

    desk = new_page()
    sign_in(desk, w.student.email)
    desk.goto(pages["course"])
    facts = desk.locator("ul.facts")
    width = facts.bounding_box()["width"]
    for i in range(facts.locator("> li").count()):
        assert facts.locator("> li").nth(i).bounding_box()["width"] == pytest.approx(width, abs=1), \
            "a course fact is squeezed into a column instead of taking its row"
    desk.goto(pages["wallet"])
    wallet, row = desk.get_by_test_id("wallet"), desk.get_by_test_id("wallet").locator("li").first
    assert row.bounding_box()["x"] - wallet.bounding_box()["x"] >= 16, "the wallet's rows touch the card's edge"
    assert (wallet.bounding_box()["x"] + wallet.bounding_box()["width"]) - (
        row.bounding_box()["x"] + row.bounding_box()["width"]) >= 16
    desk.goto(pages["lesson"])
    cell = desk.locator(".prose table td").first
    expect(cell).to_have_text("IaaS")
    assert cell.evaluate("el => getComputedStyle(el).borderBottomStyle") == "solid", "the Markdown table is not ruled"
    shot(desk, "review-lesson-desktop")
