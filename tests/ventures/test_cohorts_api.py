"""The cohorts API (/api/v1/ventures/calls…, applications…, judging…), for every role."""

from __future__ import annotations

import pytest
from django.core import mail

from forward.ventures import cohorts as svc
from forward.ventures import judging
from forward.ventures.models import CohortApplication, Score
from tests.conftest import client_for
from tests.ventures import cohorts_world
from tests.ventures.cohorts_world import JUDGE_ROLES
from tests.ventures.conftest import ROLES, committed

pytestmark = pytest.mark.django_db
cw = cohorts_world.cw
API = "/api/v1/ventures"
STAFF = {"centre_admin", "centre_staff", "operator"}


def call(w, role, method, url, body=None):
    client = client_for(None if role == "anonymous" else w.actor(role))
    kwargs = {"content_type": "application/json", "data": body} if body is not None else {}
    return getattr(client, method)(API + url, **kwargs)


def test_anonymous_callers_get_401_where_they_must_sign_in(cw):
    a, c = cw.application.pk, cw.call.pk
    for method, url, body in (("post", f"/calls/{c}/applications", {"startup": cw.startup_org.pk}),
                              ("get", f"/applications/{a}", None), ("put", f"/applications/{a}/answers", {"answers": []}),
                              ("post", f"/applications/{a}/submit", None), ("get", "/judging/queue", None),
                              ("get", f"/judging/{a}/score", None), ("put", f"/judging/{a}/score", {"marks": {}}),
                              ("post", f"/judging/{a}/score/submit", None),
                              ("post", f"/judging/{a}/conflict", {"reason": "x"}), ("get", f"/calls/{c}/ranking", None),
                              ("post", f"/calls/{c}/decisions", {"applications": [a], "decision": "accepted"})):
        assert call(cw, "anonymous", method, url, body).status_code == 401, url


@pytest.mark.parametrize("role", ROLES + JUDGE_ROLES)
def test_calls_list_and_detail_for_every_role(cw, role):
    draft = svc.call_create(actor=cw.centre_admin, organizer=cw.centre, title="Hidden draft",
                            deadline=cw.call.deadline)
    listed = call(cw, role, "get", "/calls").json()
    titles = [r["title"] for r in listed["results"]]
    assert "KL Accelerator 2027" in titles
    assert ("Hidden draft" in titles) == (role in STAFF)
    detail = call(cw, role, "get", f"/calls/{cw.call.pk}").json()
    assert detail["accepting"] is True and [q["kind"] for q in detail["questions"]] == ["text", "choice", "number",
                                                                                          "file"]
    assert [(c["name"], c["weight"]) for c in detail["criteria"]] == [("Team", 3), ("Market", 1)]
    assert call(cw, role, "get", f"/calls/{draft.pk}").status_code == (200 if role in STAFF else 404)
    assert call(cw, role, "get", "/calls/999999").status_code == 404


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"] + JUDGE_ROLES)
def test_application_create_answers_submit_for_every_role(cw, role):
    CohortApplication.objects.filter(pk=cw.application.pk).delete()
    created = call(cw, role, "post", f"/calls/{cw.call.pk}/applications", {"startup": cw.startup_org.pk})
    if role not in {"founder", "teammate", "operator"}:
        assert created.status_code == 404
        return
    assert created.status_code == 200 and created.json()["status"] == "draft"
    pk = created.json()["id"]
    assert set(created.json()["missing"]) == {cw.q_text.pk, cw.q_choice.pk}
    bad = call(cw, role, "put", f"/applications/{pk}/answers", {"answers": [{"question": cw.q_choice.pk,
                                                                             "value": "Crypto"}]})
    assert bad.status_code == 400 and "choose one of the options" in bad.json()["detail"]
    early = call(cw, role, "post", f"/applications/{pk}/submit")
    assert early.status_code == 400 and "Answer the required questions" in early.json()["detail"]
    saved = call(cw, role, "put", f"/applications/{pk}/answers", {"answers": [
        {"question": cw.q_text.pk, "value": "Drones"}, {"question": cw.q_choice.pk, "value": "AI"},
        {"question": cw.q_number.pk, "value": 42}]})
    assert saved.status_code == 200 and saved.json()["missing"] == []
    submitted = call(cw, role, "post", f"/applications/{pk}/submit")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    frozen = call(cw, role, "put", f"/applications/{pk}/answers", {"answers": [{"question": cw.q_text.pk,
                                                                                "value": "Changed"}]})
    assert frozen.status_code == 400 and "frozen" in frozen.json()["detail"]


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"] + JUDGE_ROLES)
def test_application_detail_for_every_role(cw, role):
    visible = {"founder", "teammate", "operator", "centre_admin", "centre_staff", "judge"}
    response = call(cw, role, "get", f"/applications/{cw.application.pk}")
    assert response.status_code == (200 if role in visible else 404)
    if role in visible:
        body = response.json()
        assert body["status"] == "submitted"
        assert any(a["file_url"] for a in body["answers"])
    # Only the startup's people (and operators) may write the unverified startup's draft; it lacks answers.
    write = call(cw, role, "post", f"/applications/{cw.draft.pk}/submit")
    assert write.status_code == (400 if role in {"unverified_founder", "operator"} else 404)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"] + JUDGE_ROLES)
def test_judging_endpoints_for_every_role(cw, role):
    queue = call(cw, role, "get", "/judging/queue").json()
    expected = {"judge": 2, "judge_b": 1, "conflicted_judge": 1}.get(role, 0)
    assert queue["count"] == expected
    a = cw.application.pk
    marks = {str(cw.team.pk): 4, str(cw.market.pk): 5}
    saved = call(cw, role, "put", f"/judging/{a}/score", {"marks": marks, "comment": "Good team"})
    if role != "judge":
        assert saved.status_code == 404
        assert call(cw, role, "get", f"/judging/{a}/score").status_code == 404
        assert call(cw, role, "post", f"/judging/{a}/conflict", {"reason": "x"}).status_code == 404
        assert call(cw, role, "post", f"/judging/{a}/score/submit").status_code == 404
        assert not Score.objects.filter(application_id=a).exists()
        return
    assert saved.status_code == 200 and saved.json()["others"] is None
    submitted = call(cw, role, "post", f"/judging/{a}/score/submit")
    assert submitted.status_code == 200 and submitted.json()["submitted_at"] and submitted.json()["others"] == []
    locked = call(cw, role, "put", f"/judging/{a}/score", {"marks": marks})
    assert locked.status_code == 400 and "locked" in locked.json()["detail"]


def test_a_judge_declares_a_conflict_by_api_and_loses_sight(cw):
    a = cw.other_application.pk
    response = call(cw, "judge", "post", f"/judging/{a}/conflict", {"reason": "I mentor them"})
    assert response.status_code == 200 and response.json()["reason"] == "I mentor them"
    assert call(cw, "judge", "get", f"/judging/{a}/score").status_code == 404
    assert call(cw, "judge", "get", f"/applications/{a}").status_code == 404
    assert call(cw, "judge", "get", "/judging/queue").json()["count"] == 1


def test_bad_marks_by_api(cw):
    a = cw.application.pk
    assert call(cw, "judge", "put", f"/judging/{a}/score", {"marks": {str(cw.team.pk): 9}}).status_code == 400
    assert call(cw, "judge", "put", f"/judging/{a}/score", {"marks": {"999": 3}}).status_code == 400
    assert call(cw, "judge", "put", f"/judging/{a}/score", {"marks": "five"}).status_code == 422
    short = call(cw, "judge", "post", f"/judging/{a}/score/submit")
    assert short.status_code == 400 and "Mark every criterion" in short.json()["detail"]


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"] + JUDGE_ROLES)
def test_ranking_and_decisions_for_every_role(cw, role):
    judging.score_submit(actor=cw.judge, application=cw.application,
                         marks={str(cw.team.pk): 5, str(cw.market.pk): 4})
    judging.score_submit(actor=cw.judge, application=cw.other_application,
                         marks={str(cw.team.pk): 2, str(cw.market.pk): 2})
    svc.call_close(actor=cw.centre_admin, call=cw.call)
    ranking = call(cw, role, "get", f"/calls/{cw.call.pk}/ranking")
    decided = call(cw, role, "post", f"/calls/{cw.call.pk}/decisions",
                   {"applications": [cw.application.pk], "decision": "accepted"})
    if role not in STAFF:
        assert ranking.status_code == 404 and decided.status_code == 404
        assert CohortApplication.objects.get(pk=cw.application.pk).status == "submitted"
        return
    rows = ranking.json()["results"]
    assert [r["startup"] for r in rows] == ["Padi Sense", "Garuda Learn"]
    assert rows[0]["position"] == 1 and rows[0]["judges"] == 1 and rows[0]["normalised_mean"] == pytest.approx(1)
    assert decided.status_code == 200 and decided.json() == {"changed": 1}
    by_raw = call(cw, role, "get", f"/calls/{cw.call.pk}/ranking?sort=raw&direction=asc").json()["results"]
    assert by_raw[0]["startup"] == "Garuda Learn"


def test_decisions_by_api_mail_once(cw):
    svc.call_close(actor=cw.centre_admin, call=cw.call)
    mail.outbox.clear()
    body = {"applications": [cw.application.pk, cw.other_application.pk], "decision": "rejected"}
    with committed():
        assert call(cw, "centre_staff", "post", f"/calls/{cw.call.pk}/decisions", body).json() == {"changed": 2}
    with committed():
        assert call(cw, "centre_staff", "post", f"/calls/{cw.call.pk}/decisions", body).json() == {"changed": 0}
    assert len(mail.outbox) == 2
    draft = call(cw, "centre_staff", "post", f"/calls/{cw.call.pk}/decisions",
                 {"applications": [cw.draft.pk], "decision": "accepted"})
    assert draft.status_code == 400
