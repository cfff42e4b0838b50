"""A learner's badges, as a browser shows them: each credential's art in the wallet and on its page
(desktop and phone), loaded under the site's Content-Security-Policy, and the badge files
themselves (SVG and PNG) open on their own."""

import pytest
from playwright.sync_api import expect

from forward.credentials import documents, services
from forward.credentials.models import BadgeArt, Credential, CredentialKind
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


def test_an_issuers_admin_uploads_badge_art_and_new_credentials_show_it(new_page, cohort, tmp_path):  # noqa: F811
    import io
    from pathlib import Path

    from PIL import Image, ImageDraw

    art = Image.new("RGBA", (480, 360), (0, 0, 0, 0))
    draw = ImageDraw.Draw(art)
    draw.ellipse((60, 0, 420, 360), fill=(250, 120, 20, 255))
    draw.rectangle((180, 120, 300, 240), fill=(20, 40, 120, 255))
    out = io.BytesIO()
    art.save(out, format="PNG")
    shots = Path("/work/shots/badgeart")
    shots.mkdir(parents=True, exist_ok=True)

    for phone, width in ((False, 1280), (True, 390)):
        BadgeArt.objects.all().delete()  # each pass starts from the generated badge
        page = new_page(phone=phone)
        sign_in(page, cohort.admin.email)
        page.goto("/credentials/issued/")
        page.get_by_test_id("badge-art-links").get_by_role("link").first.click()
        expect(page.get_by_test_id("badge-art-scope")).to_contain_text("credentials issued from now on")
        item = page.get_by_test_id("badge-art-item").filter(has_text="Cloud Computing Fundamentals")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(shots / f"badge-art-page-generated-{width}.png"), full_page=True)
        assert _loaded(page, "[data-testid=generated-art]") == [600]
        item.locator("input[type=file]").set_input_files(
            {"name": "art.png", "mimeType": "image/png", "buffer": out.getvalue()})
        item.get_by_role("button", name="Upload").click()
        expect(page.get_by_text("Badge art saved.")).to_be_visible()
        expect(item.get_by_test_id("uploaded-art")).to_be_visible()
        page.wait_for_load_state("networkidle")
        assert _loaded(page, "[data-testid=uploaded-art]") == [192]
        page.screenshot(path=str(shots / f"badge-art-page-uploaded-{width}.png"), full_page=True)

    release(cohort)
    credential = Credential.objects.get(recipient=cohort.top, kind=CredentialKind.COURSE_ACHIEVEMENT)
    for phone, width in ((False, 1280), (True, 390)):
        page = new_page(phone=phone)
        sign_in(page, cohort.top.email)
        page.goto("/credentials/")
        page.wait_for_load_state("networkidle")
        assert _loaded(page, "[data-testid=wallet-badge]") == [192, 192]
        page.screenshot(path=str(shots / f"wallet-uploaded-art-{width}.png"), full_page=True)
        page.goto(f"/credentials/{credential.uuid}/")
        page.wait_for_load_state("networkidle")
        assert _loaded(page, "[data-testid=badge]") == [600]
        page.screenshot(path=str(shots / f"credential-uploaded-art-{width}.png"), full_page=True)
