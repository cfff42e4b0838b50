"""The ventures home: each person sees what waits for them, in a fixed number of queries."""

from __future__ import annotations

from forward.ventures import intros
from tests.conftest import client_for


def test_the_founder_sees_a_request_to_answer_and_the_investor_does_not(ventures):
    w = ventures
    intros.ask(user=w.investor, asker=w.fund, target=w.startup_org, note="We invest in farm data.")
    page = client_for(w.founder).get("/ventures/")
    assert b'data-testid="ventures-waiting"' in page.content
    assert "1 introduction request to answer" in page.content.decode()
    assert "introduction request to answer" not in client_for(w.investor).get("/ventures/").content.decode()
    assert b'data-testid="ventures-waiting"' not in client_for(None).get("/ventures/").content


def test_the_home_page_does_not_grow_with_what_waits(ventures, django_assert_max_num_queries):
    w = ventures
    client = client_for(w.founder)
    client.get("/ventures/")
    with django_assert_max_num_queries(24):
        client.get("/ventures/")
    intros.ask(user=w.investor, asker=w.fund, target=w.startup_org, note="One.")
    intros.ask(user=w.other_investor, asker=w.other_fund, target=w.startup_org, note="Two.")
    with django_assert_max_num_queries(24):
        page = client.get("/ventures/")
    assert "2 introduction requests to answer" in page.content.decode()


def test_the_tab_of_a_page_is_marked_current(ventures):
    page = client_for(ventures.founder).get("/ventures/judging/").content.decode()
    tabs = page.split('data-testid="ventures-nav"')[1].split("</nav>")[0]
    current = tabs.split('aria-current="page"')
    assert len(current) == 2 and current[1].split("<")[0] == ">Cohorts"


def test_operators_are_not_asked_to_finish_a_startups_draft(ventures):
    from django.utils import timezone

    from forward.ventures import cohorts
    from forward.ventures.models import Call, CallStatus

    w = ventures
    call = Call.objects.create(organizer=w.centre, title="Accelerator", status=CallStatus.OPEN,
                               deadline=timezone.now() + timezone.timedelta(days=9))
    cohorts.application_create(actor=w.founder, call=call, organization=w.startup_org)
    assert "Finish Padi Sense&#x27;s application" in client_for(w.founder).get("/ventures/").content.decode()
    assert "Finish Padi Sense" not in client_for(w.operator).get("/ventures/").content.decode()
