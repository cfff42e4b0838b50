"""Faces in the browser: an admin uploads a logo and sees it; the catalogue shows thumbnails; every
picture (uploaded WebP or generated SVG) loads under the site's Content-Security-Policy, on a desktop
and on a phone."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from forward.academy.models import Course, CourseStatus
from forward.competitions import services as competition_services
from forward.competitions.models import Competition, CompetitionStatus
from forward.core.models import OrganizationKind
from tests.browser.test_academy_journey import sign_in
from tests.conftest import make_organization, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/work/shots/faces")


def _save(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True, animations="disabled")


def _widths(page, selector: str) -> list[int]:
    """The natural width of each matching image, 0 for any that did not load (lazy ones scrolled to first)."""
    page.locator(selector).evaluate_all("images => images.forEach(i => i.scrollIntoView())")
    page.wait_for_load_state("networkidle")
    page.wait_for_function(f"() => [...document.querySelectorAll({selector!r})].every(i => i.complete)")
    return page.locator(selector).evaluate_all("images => images.map(i => i.complete ? i.naturalWidth : 0)")


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    admin = make_user("admin@ntu.test", "Uni Admin")
    university = make_organization(creator=admin, name="Nanyang Tech", kind=OrganizationKind.UNIVERSITY,
                                   country="SG", city="Singapore")
    make_organization(creator=make_user("hr@acme.test", "Hr Person"), name="Acme Data", kind=OrganizationKind.EMPLOYER,
                      country="MY")
    for i, title in enumerate(["Machine Learning Foundations", "Cloud Computing Fundamentals",
                               "Data Analysis with SQL", "Network Security Basics", "Python Programming",
                               "Startup Finance"]):
        Course.objects.create(slug=f"course-{i}", title=title, owner=university, status=CourseStatus.PUBLISHED,
                              published_at=timezone.now(), summary=f"An introduction: {title.lower()}.")
    now = timezone.now()
    for title in ("Repeat Buyers Prediction", "Urban Traffic Forecasting", "新闻文本分类"):
        competition = competition_services.competition_create(
            actor=admin, host=university, title=title, metric="auc", starts_at=now - timedelta(days=1),
            ends_at=now + timedelta(days=20), rules="Be fair.")
        Competition.objects.filter(pk=competition.pk).update(status=CompetitionStatus.PUBLISHED)
    logo = tmp_path / "logo.jpg"
    Image.new("RGB", (800, 600), (220, 30, 60)).save(logo, format="JPEG")
    return {"admin": admin, "university": university, "logo": logo}


def test_an_admin_uploads_a_logo_and_sees_it(new_page, world):
    page = new_page()
    sign_in(page, "admin@ntu.test")
    page.goto("/organizations/nanyang-tech/edit/")
    page.get_by_label("Upload a picture").set_input_files(str(world["logo"]))
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_text("Picture saved.")).to_be_visible()
    expect(page.get_by_role("button", name="Remove picture")).to_be_visible()

    page.goto("/organizations/nanyang-tech/")
    logo = page.get_by_role("img", name="Nanyang Tech logo")
    assert logo.get_attribute("src").endswith("-256.webp")
    assert _widths(page, "img.face-logo") == [256]
    _save(page, "organization-desktop")

    phone = new_page(phone=True)
    phone.goto("/organizations/nanyang-tech/")
    assert _widths(phone, "img.face-logo") == [256]
    _save(phone, "organization-phone")

    for p, suffix in ((page, "desktop"), (phone, "phone")):
        p.goto("/organizations/")
        expect(p.get_by_role("img", name="Acme Data logo")).to_be_visible()
        widths = _widths(p, "img.face-logo")
        assert len(widths) == 2 and all(widths)  # the uploaded WebP and the generated SVG
        _save(p, f"organization-list-{suffix}")


def test_the_catalogue_shows_thumbnails_and_the_profile_an_avatar(new_page, world):
    for phone, suffix in ((False, "desktop"), (True, "phone")):
        page = new_page(phone=phone)
        page.goto("/academy/")
        expect(page.get_by_role("img", name="Machine Learning Foundations thumbnail")).to_be_visible()
        assert _widths(page, "img.course-card-face") == [960] * 6
        _save(page, f"catalogue-{suffix}")

        page.goto("/academy/course-0/")
        assert _widths(page, "img.course-head-face") == [960]
        _save(page, f"course-{suffix}")

        sign_in(page, "admin@ntu.test")
        page.goto("/account/profile/")
        expect(page.get_by_role("img", name="Uni Admin picture").first).to_be_visible()
        assert all(_widths(page, "img.face"))
        assert _widths(page, ".account-face img") == [256]  # the avatar in the account menu
        _save(page, f"profile-{suffix}")


def test_competitions_show_banners(new_page, world):
    for phone, suffix in ((False, "desktop"), (True, "phone")):
        page = new_page(phone=phone)
        page.goto("/competitions/")
        expect(page.get_by_role("img", name="Repeat Buyers Prediction banner")).to_be_visible()
        assert _widths(page, "img.comp-card-face") == [1500] * 3
        _save(page, f"competitions-{suffix}")
        page.get_by_role("link", name="Urban Traffic Forecasting").click()
        assert _widths(page, "img.comp-header-face") == [1500]
        _save(page, f"competition-{suffix}")
