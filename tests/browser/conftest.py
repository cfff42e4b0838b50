"""Playwright driving Debian's Chromium (never a downloaded browser) against the live test server.

The live server runs in this process, so ``django.core.mail.outbox`` (locmem backend) holds the mail it
sends. Tests that use these fixtures need ``@pytest.mark.browser`` and a transactional database.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core import mail

from tests.browser.accessibility import REPORT, audit, failing, is_ours, list_moderate
from tests.conftest import service_unavailable

CHROMIUM = os.environ.get("FORWARD_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--disable-background-networking", "--disable-component-update", "--no-first-run", "--no-sandbox",
        "--disable-gpu", "--disable-dev-shm-usage"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 1}
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def playwright():
    if not Path(CHROMIUM).exists():
        service_unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="session")
def browser(playwright):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session", autouse=True)
def _fresh_accessibility_report():
    """The moderate violations listed are this run's."""
    REPORT.unlink(missing_ok=True)


@pytest.fixture(autouse=True)
def _empty_outbox():
    mail.outbox.clear()


def _is_csp_violation(message) -> bool:
    """Chromium reports what the Content-Security-Policy blocked on the console: "Refused to … because it
    violates the following Content Security Policy directive …"."""
    return message.type == "error" and "Content Security Policy" in message.text


@pytest.fixture
def new_page(browser, live_server):
    """Make a page in a fresh browser context (its own cookies): ``new_page()`` or ``new_page(phone=True)``.

    Every page listens for Content-Security-Policy violations, and the test fails if there was one: each
    browser journey is also a test that the policy breaks nothing (no inline script or style left).

    Every page a journey opens with ``page.goto``, and every page as the journey leaves it, is audited
    with axe-core (tests/browser/accessibility.py): a serious or critical violation fails the test, and
    moderate ones are listed. ``new_page(audit_pages=False)`` leaves the auditing to the test.
    """
    contexts, violations, audited = [], [], []

    def make(phone: bool = False, audit_pages: bool = True):
        context = browser.new_context(base_url=live_server.url, locale="en-GB", **(PHONE if phone else DESKTOP))
        context.set_default_timeout(TIMEOUT_MS)
        context.on("console", lambda message: violations.append(f"{message.text} ({message.location.get('url')})")
                   if _is_csp_violation(message) else None)
        contexts.append((context, audit_pages))
        page = context.new_page()
        if audit_pages:
            goto = page.goto

            def goto_and_audit(url, **options):
                response = goto(url, **options)
                if _is_html(response) and is_ours(page.url):
                    audited.extend(audit(page))
                return response

            page.goto = goto_and_audit
        return page

    yield make
    for context, audit_pages in contexts:
        if audit_pages:
            for page in context.pages:
                if not page.is_closed() and page.url.startswith(live_server.url) and is_ours(page.url) \
                        and _shows_html(page):
                    audited.extend(audit(page))
        context.close()
    assert violations == [], "the Content-Security-Policy blocked something:\n" + "\n".join(violations)
    list_moderate(audited)
    serious = sorted({str(violation) for violation in failing(audited)})
    assert not serious, "serious or critical accessibility violations:\n" + "\n".join(serious)


def _is_html(response) -> bool:
    return response is not None and "text/html" in response.headers.get("content-type", "")


def _shows_html(page) -> bool:
    return page.evaluate("() => document.contentType") == "text/html"


@pytest.fixture
def page(new_page):
    """A desktop page, 1280×800."""
    return new_page()


@pytest.fixture
def phone_page(new_page):
    """A phone page, 390×844, mobile and touch."""
    return new_page(phone=True)


@pytest.fixture
def api(playwright, live_server):
    """An HTTP client with no browser cookies, so only the Authorization header can identify the caller."""
    context = playwright.request.new_context(base_url=live_server.url)
    yield context
    context.dispose()


def shot(page, name: str) -> None:
    """Save a full-page screenshot for people to look at (test-results/ is not committed)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True, animations="disabled")
