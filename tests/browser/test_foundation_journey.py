"""A new person signs up, verifies, creates an organization, invites someone, makes an API token.

Everything goes through the pages (no force_login). Screenshots land in test-results/screenshots/,
named ``<page>-desktop.png`` / ``<page>-phone.png``.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from forward.core import services
from forward.core.models import Membership, OrganizationKind, Role
from tests.browser.conftest import shot
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-pass-phrase-42"
ORG = "Lovelace Institute of Data"


def path_of(url: str) -> str:
    """The path of a link in an email (its host is whatever the request said; the test's base URL wins)."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def email_to(address: str, subject_contains: str):
    found = [m for m in mail.outbox if address in m.to and subject_contains in m.subject]
    assert found, f"no email to {address} about {subject_contains!r}; outbox: {[m.subject for m in mail.outbox]}"
    return found[-1]


def sign_up(page, email: str, name: str, screenshot: str = "") -> None:
    page.goto("/accounts/signup/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign Up")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Country").select_option("SG")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    if screenshot:
        shot(page, screenshot)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()
    expect(page.get_by_text(f"Confirmation email sent to {email}")).to_be_visible()


def confirm_email(page, email: str, screenshot: str = "") -> None:
    message = email_to(email, "Please Confirm Your Email Address")
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", message.body)
    assert link, message.body
    page.goto(path_of(link.group(0)))
    expect(page.get_by_role("heading", name="Confirm Email Address")).to_be_visible()
    if screenshot:
        shot(page, screenshot)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text(f"You have confirmed {email}")).to_be_visible()


def test_sign_up_organization_invitation_and_api_token(page, new_page, api):
    mail.outbox.clear()

    # A visitor arrives and signs up.
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Train a million people")
    shot(page, "home-desktop")
    page.get_by_role("link", name="Join for free").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    sign_up(page, "ada@uni.test", "Ada Lovelace", screenshot="signup-desktop")
    shot(page, "verify-email-desktop")
    assert len(mail.outbox) == 1

    # The link in the email confirms the address and signs her in.
    confirm_email(page, "ada@uni.test", screenshot="confirm-email-desktop")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Ada Lovelace")
    header = page.locator(".site-header")
    expect(header.get_by_role("link", name="Ada Lovelace")).to_be_visible()
    expect(header.get_by_role("button", name="Sign out")).to_be_visible()
    shot(page, "dashboard-desktop")

    # She creates a university; its page shows her as its admin.
    page.get_by_role("link", name="Create an organization").click()
    page.get_by_label("Name").fill(ORG)
    page.get_by_label("Kind").select_option(label="University")
    page.get_by_label("Country").select_option("SG")
    shot(page, "organization-form-desktop")
    page.get_by_role("button", name="Create", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ORG)
    expect(page.get_by_text(f"{ORG} was created. You are its admin.")).to_be_visible()
    members = page.locator("section", has=page.get_by_role("heading", name="Members"))
    ada_row = members.get_by_role("row").filter(has_text="ada@uni.test")
    expect(ada_row.get_by_label("Role")).to_have_value("admin")
    expect(ada_row.get_by_label("Role").locator("option:checked")).to_have_text("Admin")
    org_url = page.url

    # She invites Grace as a member.
    invite = page.locator("section", has=page.get_by_role("heading", name="Invite someone"))
    invite.get_by_label("Email address").fill("grace@uni.test")
    invite.get_by_label("Role").select_option("member")
    invite.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to grace@uni.test.")).to_be_visible()
    open_invitations = page.locator("section", has=page.get_by_role("heading", name="Open invitations"))
    expect(open_invitations.get_by_role("listitem").filter(has_text="grace@uni.test")).to_contain_text("Member")
    shot(page, "organization-desktop")

    # The organization is listed publicly.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Organizations").click()
    row = page.get_by_role("row").filter(has_text=ORG)
    expect(row).to_contain_text("University")
    expect(row).to_contain_text("Singapore")
    shot(page, "organizations-desktop")

    # Grace, in her own browser, signs up with the invited address, verifies and accepts.
    grace = new_page()
    sign_up(grace, "grace@uni.test", "Grace Hopper")
    confirm_email(grace, "grace@uni.test")
    expect(grace.get_by_role("heading", name="Invitations for you")).to_be_visible()
    expect(grace.get_by_text(f"{ORG} invites you as Member.")).to_be_visible()
    invitation = email_to("grace@uni.test", f"You are invited to join {ORG}")
    link = re.search(r"https?://\S+/invitations/\S+/", invitation.body)
    assert link, invitation.body
    grace.goto(path_of(link.group(0)))
    expect(grace.get_by_role("heading", level=1)).to_have_text(f"Join {ORG}")
    shot(grace, "invitation-desktop")
    grace.get_by_role("button", name="Accept the invitation").click()
    expect(grace.get_by_text(f"Welcome to {ORG}.")).to_be_visible()
    expect(grace.get_by_role("heading", level=1)).to_have_text(ORG)
    grace.goto("/dashboard/")
    expect(grace.get_by_role("link", name=ORG)).to_be_visible()

    # Back as Ada: Grace is a member now, and the invitation is no longer open.
    page.goto(org_url)
    grace_row = members.get_by_role("row").filter(has_text="grace@uni.test")
    expect(grace_row).to_contain_text("Grace Hopper")
    expect(grace_row.get_by_label("Role")).to_have_value("member")
    expect(page.get_by_role("heading", name="Open invitations")).to_have_count(0)
    expect(page.get_by_text("2 members")).to_be_visible()
    # Choosing a role sends the form at once (a listener in site.js; the CSP runs no onchange="…").
    with page.expect_navigation():
        grace_row.get_by_label("Role").select_option("admin")
    expect(page.get_by_text("Role updated.")).to_be_visible()
    expect(grace_row.get_by_label("Role")).to_have_value("admin")
    with page.expect_navigation():
        grace_row.get_by_label("Role").select_option("member")
    expect(grace_row.get_by_label("Role")).to_have_value("member")

    # An API token, shown once, works against /api/v1/me until it is revoked.
    page.get_by_role("link", name="Ada Lovelace").click()
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    page.get_by_label("Token name").fill("Colab notebook")
    page.get_by_role("button", name="Create token").click()
    token = page.locator("#new-token").inner_text().strip()
    assert token.startswith("fwd_")
    shot(page, "api-tokens-desktop")
    auth = {"Authorization": f"Bearer {token}"}
    me = api.get("/api/v1/me", headers=auth)
    assert me.status == 200, me.text()
    body = me.json()
    assert body["email"] == "ada@uni.test"
    assert body["name"] == "Ada Lovelace"
    assert [(m["organization_name"], m["kind"], m["role"]) for m in body["memberships"]] == [
        (ORG, "university", "admin")]
    assert api.get("/api/v1/me").status == 401  # the client has no session: the token was what counted

    page.get_by_role("row").filter(has_text="Colab notebook").get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("Token revoked.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Colab notebook")).to_contain_text("revoked")
    expect(page.locator("#new-token")).to_have_count(0)
    assert api.get("/api/v1/me", headers=auth).status == 401

    # A mistyped address gets the friendly 404 page.
    response = page.goto("/no-such-page/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    shot(page, "404-desktop")


def test_language_switcher_changes_and_remembers_the_language(page):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("Language").select_option("zh-hans")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page).to_have_url(re.compile(r"/$"))  # back where they were
    # The Simplified Chinese catalogue is compiled (tests/core/test_translations.py keeps it so).
    expect(page.locator("#live-counts")).to_have_text("Forward 今日数据")
    expect(page.get_by_label("语言")).to_have_value("zh-hans")
    shot(page, "home-zh-desktop")

    # The choice sticks on the next page.
    page.locator("#main-nav").get_by_role("link", name="组织").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("组织")
    shot(page, "organizations-zh-desktop")

    # And it can be switched back.
    page.get_by_label("语言").select_option("en")
    page.locator(".language-form").get_by_role("button").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Organizations")


def sign_in(page, email: str, password: str = "correct horse battery", screenshot: str = "") -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password:", exact=True).fill(password)
    if screenshot:
        shot(page, screenshot)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def assert_no_sideways_scroll(page) -> None:
    """Nothing sticks out sideways. A mobile browser widens its layout viewport to fit content that
    overflows, so window.innerWidth alone would hide the problem: compare with the device width too."""
    device = page.viewport_size["width"]
    overflow = page.evaluate("""(device) => {
        const wide = [...document.querySelectorAll('body *')]
          .filter(e => e.getBoundingClientRect().right > device + 0.5)
          .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                    + (typeof e.className === 'string' && e.className ? '.' + e.className : ''));
        return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth, wide: wide.slice(0, 5)};
    }""", device)
    assert overflow["scroll"] <= overflow["inner"] <= device, f"{page.url} scrolls sideways: {overflow}"


def test_phone_layout_has_no_sideways_scroll_and_a_working_menu(phone_page):
    ada = make_user("ada@uni.test", "Ada Lovelace", country="SG")
    org = services.organization_create(creator=ada, name="Nanyang Institute of Computational Sciences",
                                       kind=OrganizationKind.UNIVERSITY, country="SG")
    grace = make_user("grace.brewster.murray.hopper@a-rather-long-university-domain.test", "Grace Hopper")
    Membership.objects.create(user=grace, organization=org, role=Role.MEMBER)
    services.invitation_create(actor=ada, organization=org, email="someone.with.a.long.address@example.test",
                               role=Role.MEMBER)
    phone = phone_page

    phone.goto("/")
    assert_no_sideways_scroll(phone)
    shot(phone, "home-phone")

    # The main navigation is folded behind its toggle.
    nav = phone.get_by_role("navigation", name="Main")
    toggle = phone.get_by_role("button", name="Menu")
    expect(nav).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Organizations")).to_be_visible()
    assert_no_sideways_scroll(phone)
    shot(phone, "home-menu-open-phone")
    toggle.click()
    expect(nav).to_be_hidden()

    phone.goto("/accounts/signup/")
    assert_no_sideways_scroll(phone)
    shot(phone, "signup-phone")

    response = phone.goto("/no-such-page/")
    assert response.status == 404
    assert_no_sideways_scroll(phone)
    shot(phone, "404-phone")

    sign_in(phone, "ada@uni.test", screenshot="login-phone")
    assert_no_sideways_scroll(phone)
    shot(phone, "dashboard-phone")

    phone.goto("/organizations/")
    expect(phone.get_by_role("link", name=org.name)).to_be_visible()
    assert_no_sideways_scroll(phone)
    shot(phone, "organizations-phone")

    phone.get_by_role("link", name=org.name).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(org.name)
    expect(phone.get_by_text(grace.email)).to_be_visible()
    assert_no_sideways_scroll(phone)
    shot(phone, "organization-phone")

    phone.goto("/account/tokens/")
    phone.get_by_label("Token name").fill("Phone")
    phone.get_by_role("button", name="Create token").click()
    expect(phone.locator("#new-token")).to_be_visible()
    assert_no_sideways_scroll(phone)
    shot(phone, "api-tokens-phone")


def test_first_tab_reaches_the_skip_link(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
