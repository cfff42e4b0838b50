"""Cohort pages for every role, the founder's form, the judge's page, the staff's ranking and
decisions, and pinned query counts on every list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from forward.ventures import cohorts as svc
from forward.ventures import judging
from forward.ventures.models import Call, CohortApplication, Stage
from tests.conftest import client_for, make_user
from tests.ventures import cohorts_world
from tests.ventures.cohorts_world import JUDGE_ROLES, PDF, answer_all
from tests.ventures.conftest import ROLES, make_startup

pytestmark = pytest.mark.django_db
cw = cohorts_world.cw
STAFF = {"centre_admin", "centre_staff", "operator"}


def get(w, role, url):
    return client_for(None if role == "anonymous" else w.actor(role)).get(url)


def status_for(role, allowed):
    if role in allowed:
        return 200
    return 302 if role == "anonymous" else 404  # sign in first; hidden is the same 404 as missing


@pytest.mark.parametrize("role", ROLES + JUDGE_ROLES)
def test_every_page_for_every_role(cw, role):
    c, a = cw.call.pk, cw.application.pk
    assert get(cw, role, "/ventures/calls/").status_code == 200
    assert get(cw, role, f"/ventures/calls/{c}/").status_code == 200
    assert get(cw, role, f"/ventures/calls/{c}/cohort/").status_code == (200 if role in STAFF else 404)
    for url in (f"/ventures/calls/{c}/applications/", f"/ventures/calls/{c}/panels/",
                f"/ventures/calls/{c}/ranking/", f"/ventures/calls/{c}/ranking.csv", f"/ventures/calls/{c}/edit/"):
        assert get(cw, role, url).status_code == status_for(role, STAFF), url
    owners = {"founder", "teammate"}
    detail = get(cw, role, f"/ventures/applications/{a}/")
    assert detail.status_code == (302 if role == "judge" else status_for(role, owners | STAFF))
    assert get(cw, role, f"/ventures/applications/{a}/files/{cw.q_file.pk}/").status_code == \
        status_for(role, owners | STAFF | {"judge"})
    assert get(cw, role, f"/ventures/judging/{a}/").status_code == status_for(role, {"judge"})
    assert get(cw, role, "/ventures/judging/").status_code == (302 if role == "anonymous" else 200)


@pytest.mark.parametrize("role", ROLES)
def test_a_draft_call_is_404_for_all_but_its_staff(cw, role):
    draft = svc.call_create(actor=cw.centre_admin, organizer=cw.centre, title="Secret", deadline=cw.call.deadline)
    assert get(cw, role, f"/ventures/calls/{draft.pk}/").status_code == (200 if role in STAFF else 404)
    assert get(cw, role, "/ventures/calls/999999/").status_code == 404


def test_the_pdf_is_served_only_as_a_download(cw):
    response = get(cw, "judge", f"/ventures/applications/{cw.application.pk}/files/{cw.q_file.pk}/")
    assert response["Content-Type"] == "application/pdf" and "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_founder_applies_on_the_page(cw):
    startup = make_startup(admin=cw.founder, name="Third Startup", country="MY", stage=Stage.PRE_SEED)
    client = client_for(cw.founder)
    page = client.get(f"/ventures/calls/{cw.call.pk}/")
    assert b"Start an application" in page.content
    response = client.post(f"/ventures/calls/{cw.call.pk}/apply/", {"organization": startup.organization.pk})
    application = CohortApplication.objects.get(call=cw.call, startup=startup)
    assert response.status_code == 302 and response["Location"] == f"/ventures/applications/{application.pk}/"
    url = response["Location"]
    saved = client.post(url, {f"q{cw.q_text.pk}": "Cloud for cooperatives", "save": "1"}, follow=True)
    assert b"Answers saved" in saved.content and b"1 required question is not answered yet" in saved.content
    deck = SimpleUploadedFile("deck.pdf", PDF, content_type="application/pdf")
    done = client.post(url, {f"q{cw.q_text.pk}": "Cloud for cooperatives", f"q{cw.q_choice.pk}": "Cloud",
                             f"q{cw.q_number.pk}": "3", f"q{cw.q_file.pk}": deck, "submit": "1"}, follow=True)
    assert b"Application submitted" in done.content
    application.refresh_from_db()
    assert application.status == "submitted"
    assert b"deck.pdf" in done.content and b'data-testid="answers-form"' not in done.content


def test_a_late_submission_on_the_page_says_so(cw):
    answer_all(cw, cw.draft, cw.unverified_founder)
    Call.objects.filter(pk=cw.call.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    client = client_for(cw.unverified_founder)
    response = client.post(f"/ventures/applications/{cw.draft.pk}/", {"submit": "1"}, follow=True)
    assert b"late applications are not accepted" in response.content


def test_a_judge_scores_on_the_page_and_then_sees_the_others(cw):
    judging.score_submit(actor=cw.judge_b, application=cw.other_application,
                         marks={str(cw.team.pk): 1, str(cw.market.pk): 2}, comment="Too early <b>really</b>")
    client = client_for(cw.judge)
    url = f"/ventures/judging/{cw.other_application.pk}/"
    assert b"Too early" not in client.get(url).content
    client.post(url, {f"c{cw.team.pk}": "4", "comment": "Draft", "save": "1"})
    assert b"Too early" not in client.get(url).content
    done = client.post(url, {f"c{cw.team.pk}": "4", f"c{cw.market.pk}": "3", "comment": "Solid", "submit": "1"},
                       follow=True)
    assert b"Score submitted" in done.content
    assert b"Too early &lt;b&gt;really&lt;/b&gt;" in done.content  # escaped


def test_staff_decide_from_the_ranking_in_bulk(cw):
    svc.call_close(actor=cw.centre_admin, call=cw.call)
    client = client_for(cw.centre_staff)
    url = f"/ventures/calls/{cw.call.pk}/ranking/"
    response = client.post(f"/ventures/calls/{cw.call.pk}/applications/decide/", {
        "application": [cw.application.pk, cw.other_application.pk], "decision": "waitlisted", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert set(CohortApplication.objects.filter(call=cw.call).exclude(status="draft")
               .values_list("status", flat=True)) == {"waitlisted"}
    evil = client.post(f"/ventures/calls/{cw.call.pk}/applications/decide/", {
        "application": [cw.application.pk], "decision": "accepted", "next": "https://evil.example/"})
    assert evil["Location"] == f"/ventures/calls/{cw.call.pk}/applications/"


def test_staff_build_a_call_on_pages(cw):
    client = client_for(cw.centre_admin)
    deadline = (timezone.localtime() + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
    response = client.post("/ventures/calls/new/", {"organizer": cw.centre.pk, "title": "Batch 9",
                                                    "deadline": deadline, "countries": ["MY"], "stages": ["seed"]})
    call = Call.objects.get(title="Batch 9")
    assert response["Location"] == f"/ventures/calls/{call.pk}/" and call.countries == ["MY"]
    client.post(f"/ventures/calls/{call.pk}/questions/", {"prompt": "Why now?", "kind": "text", "required": "on",
                                                          "max_length": 500})
    client.post(f"/ventures/calls/{call.pk}/criteria/", {"name": "Team", "weight": 2})
    client.post(f"/ventures/calls/{call.pk}/publish/")
    call.refresh_from_db()
    assert call.status == "open" and call.questions.get().max_length == 500 and call.criteria.get().weight == 2
    client.post(f"/ventures/calls/{call.pk}/panels/", {"action": "create", "name": "Investors"})
    panel = call.panels.get()
    client.post(f"/ventures/calls/{call.pk}/panels/", {"action": "seat", "panel": panel.pk, "email": cw.investor.email})
    assert list(panel.seats.values_list("user__email", flat=True)) == [cw.investor.email]


def _more_applications(w, n, offset=0):
    for i in range(n):
        user = make_user(f"f{offset + i}@more.test", f"F{i}")
        startup = make_startup(admin=user, name=f"More {offset + i}", country="MY", stage=Stage.SEED)
        user = type(user).objects.get(pk=user.pk)
        application = svc.application_create(actor=user, call=w.call, organization=startup.organization)
        answer_all(w, application, user)
        application = svc.application_submit(actor=user, application=application)
        judging.score_submit(actor=w.judge, application=application,
                             marks={str(w.team.pk): 1 + i % 5, str(w.market.pk): 1 + (i * 3) % 5})
        svc.call_create(actor=w.centre_admin, organizer=w.centre, title=f"Extra {offset + i}",
                        deadline=w.call.deadline)


def test_lists_do_a_constant_number_of_queries(cw, django_assert_max_num_queries):
    pages = {"/ventures/calls/": "centre_admin", f"/ventures/calls/{cw.call.pk}/applications/": "centre_staff",
             f"/ventures/calls/{cw.call.pk}/ranking/": "centre_staff", "/ventures/judging/": "judge",
             f"/ventures/calls/{cw.call.pk}/ranking.csv": "operator"}
    counts = {}
    for url, role in pages.items():
        client = client_for(cw.actor(role))
        client.get(url)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts[url] = len(ctx.captured_queries)
    _more_applications(cw, 12)
    for url, role in pages.items():
        client = client_for(cw.actor(role))
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200
    _more_applications(cw, 12, offset=100)
    for url, role in pages.items():
        client = client_for(cw.actor(role))
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200
