"""WCAG 2.1 AA on every page of the demo, as each of its people, at desktop and phone width (axe-core).

The demo (`forward demo`'s data) is loaded once. For each role, the site is walked from the home page,
the dashboard and every URL pattern without arguments, as in tests/test_get_never_writes.py, with
Django's test client (fast); the first HTML page of each URL name is then opened in Chromium signed in
as that role, at 1280 and at 390 pixels wide, and audited with axe-core (tests/browser/accessibility.py).
A page whose URL name was audited as an earlier role is audited again only when it is in PER_ROLE, the
pages whose content depends most on who looks (a course, a competition, a credential, the console).
Any violation of impact serious or critical fails the test, all of them listed; moderate ones are listed.

A page added later is covered when a link to it is reachable from the pages walked (every page is,
or no one could find it); a page reachable only by a form is added to EXTRA.
"""

from __future__ import annotations

import time
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings

from forward import demo
from forward.core.models import User
from tests.browser.accessibility import REPORT, audit, failing, is_ours, list_moderate
from tests.conftest import client_for
from tests.test_get_never_writes import (
    ROLES,
    SKIPPED_VIEWS,
    argument_free_urls,
    links_of,
    view_name,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Audited again as every role that reaches them: what they show depends on who looks.
PER_ROLE = {
    "core:home", "core:dashboard", "academy:course", "academy:lesson", "academy:dashboard",
    "competitions:detail", "competitions:leaderboard", "credentials:home", "credentials:detail",
}
PAGES = REPORT.parent / "accessibility-pages.txt"  # what was audited, for people to look at
# Reached by a form rather than a link: (role, path).
EXTRA: list[tuple[str, str]] = []


def html_pages(client, starts: list[str]) -> dict[str, str]:
    """URL name → the first path of that name that answers 200 with HTML, walking links breadth-first."""
    queue, seen, found = deque(starts), set(), {}
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        name = view_name(url)
        if name is None or name in found or name in SKIPPED_VIEWS or not is_ours(url):
            continue
        response = client.get(url)
        if response.status_code in (301, 302, 303, 307, 308):
            queue.append(urlsplit(urljoin("http://testserver" + url, response["Location"])).path)
        elif response.status_code == 200 and "html" in response.get("Content-Type", "") and not response.streaming:
            found[name] = url
            queue.extend(links_of(url, response.content.decode("utf-8", "replace")))
    return found


def browser_for(new_page, live_server, client, phone: bool):
    """A page signed in with the test client's session (if it has one)."""
    page = new_page(phone=phone, audit_pages=False)
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    if cookie is not None:
        page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return page


def test_every_page_of_the_demo_has_no_serious_accessibility_violation(new_page, live_server):
    assert demo.load()
    audited: set[str] = set()
    problems, everything, visited = [], [], []
    started = time.monotonic()
    for role, email in ROLES.items():
        client = client_for(User.objects.get(email=email) if email else None)
        pages = html_pages(client, ["/", "/dashboard/", *argument_free_urls()])
        todo = sorted(path for name, path in pages.items() if name not in audited or name in PER_ROLE)
        todo += [path for extra_role, path in EXTRA if extra_role == role]
        audited |= set(pages)
        for phone in (False, True):
            page = browser_for(new_page, live_server, client, phone)
            for path in todo:
                page.goto(path)
                found = audit(page)
                visited.append(f"{role}\t{'phone' if phone else 'desktop'}\t{path}")
                everything += found
                problems += [f"as {role}: {violation}" for violation in failing(found)]
            page.context.close()
    list_moderate(everything)
    PAGES.parent.mkdir(parents=True, exist_ok=True)
    PAGES.write_text("\n".join(visited) + "\n")
    print(f"\n{len(visited)} pages audited in {time.monotonic() - started:.0f}s (listed in {PAGES})")
    assert len(visited) > 100
    assert not problems, f"{len(problems)} serious or critical accessibility violations:\n" + "\n".join(problems)
