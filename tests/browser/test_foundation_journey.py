"""A new person signs up, verifies, creates an organization, invites someone, makes an API token."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_up(page, email: str, name: str) -> None:
    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Country").select_option("SG")
    page.locator("#id_password1").fill("a-long-pass-phrase-42")
    page.locator("#id_password2").fill("a-long-pass-phrase-42")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()


def verify(page, email: str) -> None:
    message = next(m for m in reversed(mail.outbox) if email in m.to)
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+", message.body).group(0)
    page.goto(link.split("testserver", 1)[-1] if "testserver" in link else link)
    page.get_by_role("button", name="Confirm").click()


def test_sign_up_organization_invitation_and_api_token(page, new_page, live_server):
    mail.outbox.clear()
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Train a million people")
    shot(page, "home-desktop")

    sign_up(page, "ada@uni.test", "Ada Lovelace")
    shot(page, "verify-email")
    verify(page, "ada@uni.test")
    expect(page.get_by_role("heading", name="Welcome, Ada Lovelace")).to_be_visible()
    shot(page, "dashboard")

    page.get_by_role("link", name="Create an organization").click()
    page.get_by_label("Name").fill("Lovelace Institute of Data")
    page.get_by_label("Kind").select_option("university")
    page.get_by_label("Country").select_option("SG")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("heading", name="Lovelace Institute of Data")).to_be_visible()
    expect(page.get_by_text("You are its admin")).to_be_visible()

    page.get_by_label("Email address").fill("grace@uni.test")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to grace@uni.test")).to_be_visible()
    expect(page.locator(".list").get_by_text("grace@uni.test")).to_be_visible()
    shot(page, "organization-admin")

    # The invitee signs up in another browser, verifies, and accepts from the email's link.
    grace = new_page()
    sign_up(grace, "grace@uni.test", "Grace Hopper")
    verify(grace, "grace@uni.test")
    invitation = next(m for m in mail.outbox if "grace@uni.test" in m.to and "invited" in m.subject)
    link = re.search(r"/invitations/[^\s/]+/", invitation.body).group(0)
    grace.goto(link)
    grace.get_by_role("button", name="Accept the invitation").click()
    expect(grace.get_by_text("Welcome to Lovelace Institute of Data")).to_be_visible()

    page.reload()
    expect(page.get_by_role("cell", name="grace@uni.test")).to_be_visible()

    # An API token, shown once, works against /api/v1/me and stops working when revoked.
    page.goto("/dashboard/")
    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Token name").fill("Colab notebook")
    page.get_by_role("button", name="Create token").click()
    token = page.locator("#new-token").inner_text()
    shot(page, "api-tokens")
    me = page.request.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status == 200
    body = me.json()
    assert body["email"] == "ada@uni.test"
    assert [m["organization_name"] for m in body["memberships"]] == ["Lovelace Institute of Data"]
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("Token revoked")).to_be_visible()
    assert page.request.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status == 401


def test_language_switcher_changes_and_remembers_the_language(page):
    page.goto("/")
    page.get_by_label("Language").select_option("zh-hans")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", level=2).first).to_have_text("Forward 今日数据")
    page.goto("/organizations/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("组织")
    shot(page, "organizations-zh")


@pytest.mark.parametrize("path", ["/", "/accounts/signup/", "/organizations/", "/no-such-page/"])
def test_phone_layout_has_no_sideways_scroll(new_page, path):
    phone = new_page(phone=True)
    phone.goto(path)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= phone.evaluate("window.innerWidth")
    shot(phone, "phone-" + (path.strip("/").replace("/", "-") or "home"))


def test_phone_menu_opens_with_its_button(new_page):
    phone = new_page(phone=True)
    phone.goto("/")
    nav = phone.get_by_role("navigation", name="Main")
    expect(nav).to_be_hidden()
    phone.get_by_role("button", name="Menu").click()
    expect(nav.get_by_role("link", name="Organizations")).to_be_visible()


def test_first_tab_reaches_the_skip_link(page):
    page.goto("/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
