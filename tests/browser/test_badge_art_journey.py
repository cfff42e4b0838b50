"""A learner's badges, as a browser shows them: each credential's art in the wallet and on its page
(desktop and phone), loaded under the site's Content-Security-Policy, and the badge files
themselves (SVG and PNG) open on their own."""

import pytest
from playwright.sync_api import expect

from forward.credentials import documents, services
from forward.credentials.models import Credential, CredentialKind
from tests.academy.conftest import academy  # noqa: F401 - the academy world
from tests.browser.conftest import shot
from tests.browser.test_academy_journey import sign_in
from tests.credentials.conftest import cohort, release  # noqa: F401 - four graded students

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _award(w, kind: str, name: str, facts: dict, key: str) -> documents.Award:
    return documents.Award(
        recipient=w.top, issuer=w.university, kind=kind, achievement_key=key, name=name, facts=facts,
        achievement=documents.achievement(id=f"https://forward.example/{key}", kind="Award", name=name,
                                          description=name, criteria="Earned."))


def _loaded(page, selector: str) -> list[int]:
    return page.locator(selector).evaluate_all("images => images.map(i => i.complete ? i.naturalWidth : 0)")


def test_badges_in_the_wallet_and_on_the_credential_page(new_page, cohort):  # noqa: F811
    release(cohort)
    services.issue([
        _award(cohort, CredentialKind.CERTIFICATION, "Alibaba Cloud Certified Professional — Big Data",
               {"level": 2}, "cert:1"),
        _award(cohort, CredentialKind.COMPETITION, "Tianchi Urban Traffic Forecasting Challenge — Top 3",
               {"rank": 1, "teams": 120}, "competition:1"),
        _award(cohort, CredentialKind.PROGRAMME, "数据科学微硕士", {"credits": 12}, "programme:1"),
    ])
    held = Credential.objects.filter(recipient=cohort.top).count()
    assert held == 5

    for phone, suffix in ((False, "desktop"), (True, "phone")):
        page = new_page(phone=phone)
        sign_in(page, cohort.top.email)
        page.goto("/credentials/")
        expect(page.get_by_test_id("wallet-badge")).to_have_count(held)
        page.wait_for_load_state("networkidle")
        assert all(width == 600 for width in _loaded(page, "[data-testid=wallet-badge]"))
        shot(page, f"badge-wallet-{suffix}")

        credential = Credential.objects.get(recipient=cohort.top, kind=CredentialKind.COMPETITION)
        page.goto(f"/credentials/{credential.uuid}/")
        badge = page.get_by_test_id("badge")
        expect(badge).to_be_visible()
        page.wait_for_load_state("networkidle")
        assert _loaded(page, "[data-testid=badge]") == [600]
        assert page.locator("meta[property='og:image']").get_attribute("content").endswith(
            f"/credentials/{credential.uuid}/badge.png")
        shot(page, f"badge-credential-{suffix}")

    # The badge files open on their own.
    page = new_page()
    credential = Credential.objects.get(recipient=cohort.top, kind=CredentialKind.PROGRAMME)
    response = page.goto(f"/credentials/{credential.uuid}/badge.svg")
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert page.locator("svg title").text_content().startswith("数据科学微硕士")
    response = page.goto(f"/credentials/{credential.uuid}/badge.png")
    assert response.headers["content-type"] == "image/png"
