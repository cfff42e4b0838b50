"""The introduction pages for every role: the list (received, sent, accepted; operators see counts),
asking (?to=), the request and its thread; constant queries; user text escaped."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from forward.ventures import intros as service
from forward.ventures.models import Introduction, IntroMessage, IntroStatus
from tests.conftest import client_for

from .conftest import ROLES, make_investor

STARTUP_ACTING = {"founder", "teammate"}
FUND_ACTING = {"investor", "investor_staff"}


def client(w, role):
    user = w.actor(role)
    return client_for(None if isinstance(user, AnonymousUser) else user)


@pytest.mark.parametrize("role", ROLES)
def test_list_page_for_every_role(ventures, role):
    w = ventures
    intro = service.ask(user=w.founder, asker=w.startup_org, target=w.fund, note="Our <b>note</b>")
    page = client(w, role).get("/ventures/introductions/")
    if role == "anonymous":
        assert page.status_code == 302 and "/accounts/login/" in page["Location"]
        return
    assert page.status_code == 200
    html = page.content.decode()
    assert (f"/ventures/introductions/{intro.pk}/" in html) == (role in STARTUP_ACTING | FUND_ACTING)
    assert ('data-testid="intro-counts"' in html) == (role == "operator")
    assert "<b>note</b>" not in html
    if role in FUND_ACTING:
        assert "Our &lt;b&gt;note&lt;/b&gt;" in html


@pytest.mark.parametrize("role", ROLES)
def test_ask_page_for_every_role(ventures, role):
    w = ventures
    c = client(w, role)
    page = c.get(f"/ventures/introductions/ask/?to={w.fund.pk}")
    if role == "anonymous":
        assert page.status_code == 302
        return
    assert page.status_code == 200
    # Any acting member of a verified startup may ask an investor (each for their own startup).
    assert (b'data-testid="ask-form"' in page.content) == (role in STARTUP_ACTING | {"other_founder"})
    can = role in STARTUP_ACTING
    sent = c.post("/ventures/introductions/ask/", {"to": w.fund.pk, "asker": w.startup_org.pk, "note": "Hi"})
    if can:
        intro = Introduction.objects.get()
        assert sent.status_code == 302 and sent["Location"] == f"/ventures/introductions/{intro.pk}/"
    else:
        assert sent.status_code in (400, 403) and not Introduction.objects.exists()


def test_ask_page_refuses_unknown_or_unverified_targets(ventures):
    w = ventures
    c = client(w, "founder")
    for target in ("", "abc", "99999999", str(w.unverified_fund.pk), str(w.centre.pk), "9" * 30):
        assert c.get(f"/ventures/introductions/ask/?to={target}").status_code == 404


def test_ask_page_says_why_not_and_sends_to_the_open_request(ventures):
    w = ventures
    theirs = service.ask(user=w.investor, asker=w.fund, target=w.startup_org, note="Hello")
    c = client(w, "founder")
    page = c.get(f"/ventures/introductions/ask/?to={w.fund.pk}")
    assert "has already asked to be introduced to you" in page.content.decode()
    sent = c.post("/ventures/introductions/ask/", {"to": w.fund.pk, "asker": w.startup_org.pk, "note": "Hi"})
    assert sent["Location"] == f"/ventures/introductions/{theirs.pk}/"


@pytest.mark.parametrize("role", ROLES)
def test_detail_and_actions_for_every_role(ventures, role):
    w = ventures
    intro = service.ask(user=w.founder, asker=w.startup_org, target=w.fund, note="Hello")
    c = client(w, role)
    url = f"/ventures/introductions/{intro.pk}/"
    page = c.get(url)
    sides = STARTUP_ACTING | FUND_ACTING
    if role == "anonymous":
        assert page.status_code == 302
        return
    assert page.status_code == (200 if role in sides else 404)
    assert c.get("/ventures/introductions/99999999/").status_code == 404
    response = c.post(url + "accept/")
    intro.refresh_from_db()
    assert intro.status == (IntroStatus.ACCEPTED if role in FUND_ACTING else IntroStatus.OPEN)
    assert response.status_code == (302 if role in sides else 404)
    if intro.status == IntroStatus.OPEN:
        service.accept(user=w.investor, introduction=intro)
    posted = c.post(url + "messages/", {"text": "Hello <script>x</script>"})
    assert posted.status_code == (302 if role in sides else 404)
    assert IntroMessage.objects.count() == (1 if role in sides else 0)
    page = c.get(url)
    if role in sides:
        html = page.content.decode()
        assert 'data-testid="intro-thread"' in html and "&lt;script&gt;x&lt;/script&gt;" in html
        assert "founder@ventures.test" in html


def test_the_asker_page_says_not_now(ventures):
    w = ventures
    intro = service.ask(user=w.founder, asker=w.startup_org, target=w.fund, note="Hello")
    service.decline(user=w.investor, introduction=intro)
    html = client(w, "founder").get(f"/ventures/introductions/{intro.pk}/").content.decode()
    assert "Not now" in html and "Declined" not in html
    listing = client(w, "founder").get("/ventures/introductions/").content.decode()
    assert "Not now" in listing and "Declined" not in listing


def test_list_and_thread_queries_are_constant(ventures, django_assert_max_num_queries):
    w = ventures
    c = client(w, "founder")
    first = None

    def fill(n):
        nonlocal first
        for i in range(n):
            fund = make_investor(admin=w.outsider, name=f"Fund {Introduction.objects.count()}-{i}",
                                 country="SG").organization
            w.outsider.__dict__.pop("_forward_memberships", None)
            intro = service.ask(user=w.founder, asker=w.startup_org, target=fund, note="Hi")
            service.accept(user=w.outsider, introduction=intro)
            first = first or intro
            service.post_message(user=w.founder, introduction=first, text=f"Message {i}")
            theirs = make_investor(admin=w.employer_admin, name=f"Asker {Introduction.objects.count()}-{i}",
                                   country="SG").organization
            w.employer_admin.__dict__.pop("_forward_memberships", None)
            service.ask(user=w.employer_admin, asker=theirs, target=w.startup_org, note="Hi")
    fill(2)
    c.get("/ventures/introductions/")
    with django_assert_max_num_queries(30) as small:
        assert c.get("/ventures/introductions/").status_code == 200
    with django_assert_max_num_queries(30) as small_thread:
        assert c.get(f"/ventures/introductions/{first.pk}/").status_code == 200
    fill(8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert c.get("/ventures/introductions/").status_code == 200
    with django_assert_max_num_queries(len(small_thread.captured_queries)):
        page = c.get(f"/ventures/introductions/{first.pk}/")
    assert page.content.decode().count('data-testid="intro-message"') == 10
