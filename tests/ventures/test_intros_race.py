"""Races on introductions, with real overlapping transactions on PostgreSQL (on SQLite, write
transactions queue up, so these check the outcome rather than the overlap): two founders of one
startup clicking at once never pass the weekly limit nor open two requests to one investor; the two
sides asking each other at once end with one open request."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from forward.ventures import intros as service
from forward.ventures.models import Introduction, IntroStatus

from .conftest import make_investor

pytestmark = pytest.mark.django_db(transaction=True)


def race(calls) -> list[str]:
    barrier, outcomes = threading.Barrier(len(calls)), []

    def run(call):
        barrier.wait()
        try:
            call()
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        except Exception as exc:  # SQLite may refuse a write while another holds the lock
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


def test_a_double_click_opens_one_request(ventures):
    w = ventures
    outcomes = race([lambda: service.ask(user=w.founder, asker=w.startup_org, target=w.fund, note="Hi"),
                     lambda: service.ask(user=w.teammate, asker=w.startup_org, target=w.fund, note="Hi")])
    assert outcomes.count("ok") == 1
    assert Introduction.objects.filter(status=IntroStatus.OPEN).count() == 1


def test_both_sides_asking_at_once_open_one_request(ventures):
    w = ventures
    outcomes = race([lambda: service.ask(user=w.founder, asker=w.startup_org, target=w.fund, note="Hi"),
                     lambda: service.ask(user=w.investor, asker=w.fund, target=w.startup_org, note="Hi")])
    assert outcomes.count("ok") == 1
    assert Introduction.objects.filter(status=IntroStatus.OPEN).count() == 1


def test_two_founders_at_once_never_pass_the_weekly_limit(ventures, settings):
    w = ventures
    settings.FORWARD_INTRO_WEEKLY_LIMIT = 1
    second = make_investor(admin=w.outsider, name="Second Fund", country="SG").organization
    outcomes = race([lambda: service.ask(user=w.founder, asker=w.startup_org, target=w.fund, note="Hi"),
                     lambda: service.ask(user=w.teammate, asker=w.startup_org, target=second, note="Hi")])
    assert outcomes.count("ok") == 1
    assert Introduction.objects.filter(asker=w.startup_org, status=IntroStatus.OPEN).count() == 1


def test_accept_and_withdraw_at_once_leave_one_answer(ventures):
    w = ventures
    intro = service.ask(user=w.founder, asker=w.startup_org, target=w.fund, note="Hi")
    outcomes = race([lambda: service.accept(user=w.investor, introduction=intro),
                     lambda: service.withdraw(user=w.founder, introduction=intro)])
    assert outcomes.count("ok") == 1
    intro.refresh_from_db()
    assert intro.status in (IntroStatus.ACCEPTED, IntroStatus.WITHDRAWN)
