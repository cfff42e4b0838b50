"""The applications API for every role: apply (once), mine, withdraw/accept/decline, the employer's
list, bulk moves (409 with reasons), notes, slots and the .ics. Another employer's admin gets 404."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from forward.core.services import api_token_create
from forward.talent import applications as service
from forward.talent.models import Application, ApplicationNote, InterviewSlot
from tests.talent.test_applications import applied, make_opening, world  # noqa: F401

ROLES = ["anonymous", "applicant", "other_learner", "employer_admin", "employer_staff", "employer_member",
         "other_admin", "unverified_admin", "university_admin", "operator"]
EMPLOYER = {"employer_admin", "employer_staff"}
API = "/api/v1/talent"


class Caller:
    def __init__(self, user):
        self.client = Client()
        self.headers = {}
        if user is not None:
            _token, raw = api_token_create(user=user, name="test")
            self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def get(self, url, **params):
        return self.client.get(API + url, params, **self.headers)

    def post(self, url, body=None):
        return self.client.post(API + url, body or {}, content_type="application/json", **self.headers)


def call(world, role):  # noqa: F811
    return Caller(world.actor(role))


def test_apply_then_a_second_time_is_409(world):  # noqa: F811
    api = call(world, "applicant")
    first = api.post(f"/openings/{world.opening.uuid}/applications",
                     {"note": "Hi", "include": [str(world.course.uuid)]})
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["stage"] == "applied" and body["opening"] == str(world.opening.uuid)
    again = api.post(f"/openings/{world.opening.uuid}/applications", {"note": "Hi"})
    assert again.status_code == 409 and "already applied" in again.json()["detail"]
    assert Application.objects.count() == 1


def test_apply_bad_input(world):  # noqa: F811
    api = call(world, "applicant")
    url = f"/openings/{world.opening.uuid}/applications"
    assert api.post(url, {"include": ["not-a-uuid"]}).status_code == 422
    assert api.post(url, {"note": "x" * 2001}).status_code == 422
    assert api.post(url, {"note": 5}).status_code == 422
    forged = api.post(url, {"include": ["00000000-0000-4000-8000-000000000000"]})
    assert forged.status_code == 400 and "not yours" in forged.json()["detail"]
    assert api.post("/openings/00000000-0000-4000-8000-000000000000/applications", {}).status_code == 404
    draft = make_opening(world.employer, status="draft")
    assert api.post(f"/openings/{draft.uuid}/applications", {}).status_code == 404
    assert call(world, "anonymous").post(url, {}).status_code == 401
    assert not Application.objects.exists()


def test_my_applications_are_only_mine(world):  # noqa: F811
    application = applied(world)
    mine = call(world, "applicant").get("/applications").json()
    assert [r["id"] for r in mine["results"]] == [application.pk]
    assert "PRIVATE" not in str(mine)
    assert call(world, "other_learner").get("/applications").json()["results"] == []
    assert call(world, "anonymous").get("/applications").status_code == 401


def test_withdraw_accept_decline(world):  # noqa: F811
    application = applied(world)
    for role in ("other_learner", "employer_admin", "other_admin", "operator", "university_admin"):
        assert call(world, role).post(f"/applications/{application.pk}/withdraw").status_code == 404
    api = call(world, "applicant")
    refused = api.post(f"/applications/{application.pk}/accept")
    assert refused.status_code == 400 and "no offer" in refused.json()["detail"]
    Application.objects.filter(pk=application.pk).update(stage="offer")
    accepted = api.post(f"/applications/{application.pk}/accept")
    assert accepted.status_code == 200 and accepted.json()["stage"] == "hired"
    assert accepted.json()["offer_accepted_at"]
    assert api.post(f"/applications/{application.pk}/withdraw").status_code == 400
    other = applied(world, opening=make_opening(world.employer, title="Two"))
    Application.objects.filter(pk=other.pk).update(stage="offer")
    assert api.post(f"/applications/{other.pk}/decline").json()["stage"] == "declined"
    assert api.post(f"/applications/{2**63}/withdraw").status_code == 422
    assert api.post("/applications/999999/withdraw").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_employer_list_by_role(world, role):  # noqa: F811
    application = applied(world)
    service.note_add(actor=world.employer_admin, application=application, text="PRIVATE")
    response = call(world, role).get(f"/openings/{world.opening.uuid}/applications")
    if role == "anonymous":
        assert response.status_code == 401
    elif role in EMPLOYER:
        assert response.status_code == 200
        [row] = response.json()["results"]
        assert row["applicant_email"] == "student@ntu.test" and row["notes_count"] == 1
        assert row["verified"][0]["url"].endswith(f"/credentials/{world.course.uuid}/")
        assert "PRIVATE" not in response.content.decode()  # the list carries a count, never the text
    else:
        assert response.status_code == 404


def test_employer_list_filters_by_stage_and_rejects_unknown_stage(world):  # noqa: F811
    applied(world)
    api = call(world, "employer_staff")
    assert api.get(f"/openings/{world.opening.uuid}/applications", stage="applied").json()["count"] == 1
    assert api.get(f"/openings/{world.opening.uuid}/applications", stage="offer").json()["count"] == 0
    assert api.get(f"/openings/{world.opening.uuid}/applications", stage="bogus").status_code == 422


@pytest.mark.parametrize("role", ROLES)
def test_bulk_move_by_role(world, role):  # noqa: F811
    application = applied(world)
    response = call(world, role).post("/applications/move", {"ids": [application.pk], "stage": "screening"})
    expected = 401 if role == "anonymous" else 200 if role in EMPLOYER else 404
    assert response.status_code == expected
    assert Application.objects.get().stage == ("screening" if role in EMPLOYER else "applied")


def test_bulk_move_refused_is_409_with_a_reason_per_row(world):  # noqa: F811
    a = applied(world)
    b = applied(world, user=world.other_learner)
    Application.objects.filter(pk=b.pk).update(stage="withdrawn")
    api = call(world, "employer_admin")
    response = api.post("/applications/move", {"ids": [a.pk, b.pk], "stage": "screening"})
    assert response.status_code == 409
    assert response.json()["refused"] == [{"id": b.pk, "reason": "It is Withdrawn: that is final."}]
    assert Application.objects.get(pk=a.pk).stage == "applied"
    assert api.post("/applications/move", {"ids": [], "stage": "screening"}).status_code == 422
    assert api.post("/applications/move", {"ids": [a.pk], "stage": "promoted"}).status_code == 422
    assert api.post("/applications/move", {"ids": ["x"], "stage": "screening"}).status_code == 422
    theirs = applied(world, opening=world.other_opening)
    assert api.post("/applications/move", {"ids": [a.pk, theirs.pk], "stage": "screening"}).status_code == 404
    ok = api.post("/applications/move", {"ids": [a.pk], "stage": "screening"})
    assert ok.status_code == 200 and ok.json() == {"moved": 1, "stage": "screening", "ids": [a.pk]}


@pytest.mark.parametrize("role", ROLES)
def test_notes_by_role(world, role):  # noqa: F811
    application = applied(world)
    response = call(world, role).post(f"/applications/{application.pk}/notes", {"text": "Good fit"})
    expected = 401 if role == "anonymous" else 201 if role in EMPLOYER else 404
    assert response.status_code == expected
    assert ApplicationNote.objects.count() == (1 if role in EMPLOYER else 0)


def test_note_bad_input(world):  # noqa: F811
    application = applied(world)
    api = call(world, "employer_admin")
    assert api.post(f"/applications/{application.pk}/notes", {"text": ""}).status_code == 422
    assert api.post(f"/applications/{application.pk}/notes", {"text": "x" * 4001}).status_code == 422
    assert api.post(f"/applications/{application.pk}/notes", {"text": "  "}).status_code == 400
    assert ApplicationNote.objects.count() == 0


def _times(days=2, minutes=45):
    start = (timezone.now() + timedelta(days=days)).replace(microsecond=0)
    return start.isoformat(), (start + timedelta(minutes=minutes)).isoformat()


@pytest.mark.parametrize("role", ROLES)
def test_propose_slots_by_role(world, role):  # noqa: F811
    start, end = _times()
    response = call(world, role).post(f"/openings/{world.opening.uuid}/slots",
                                      {"starts_at": start, "ends_at": end, "where": "Zoom"})
    expected = 401 if role == "anonymous" else 201 if role in EMPLOYER else 404
    assert response.status_code == expected
    assert InterviewSlot.objects.count() == (1 if role in EMPLOYER else 0)


def test_slot_bad_input(world):  # noqa: F811
    api = call(world, "employer_admin")
    url = f"/openings/{world.opening.uuid}/slots"
    start, end = _times()
    assert api.post(url, {"starts_at": end, "ends_at": start}).status_code == 400
    past_start, past_end = _times(days=-1)
    assert api.post(url, {"starts_at": past_start, "ends_at": past_end}).status_code == 400
    assert api.post(url, {"starts_at": "2030-01-01T10:00:00", "ends_at": "2030-01-01T11:00:00"}).status_code == 400
    assert api.post(url, {"starts_at": "tomorrow", "ends_at": end}).status_code == 422
    assert not InterviewSlot.objects.exists()


def test_slots_book_and_ics(world):  # noqa: F811
    application = applied(world)
    employer = call(world, "employer_admin")
    start, end = _times()
    slot = employer.post(f"/openings/{world.opening.uuid}/slots", {"starts_at": start, "ends_at": end}).json()
    applicant = call(world, "applicant")
    assert applicant.get(f"/openings/{world.opening.uuid}/slots").status_code == 404  # not at interview yet
    refused = applicant.post(f"/slots/{slot['id']}/book")
    assert refused.status_code == 400 and "invites you" in refused.json()["detail"]
    employer.post("/applications/move", {"ids": [application.pk], "stage": "interview"})
    listed = applicant.get(f"/openings/{world.opening.uuid}/slots").json()
    assert [s["id"] for s in listed] == [slot["id"]] and listed[0]["booked_by_application"] is None
    booked = applicant.post(f"/slots/{slot['id']}/book")
    assert booked.status_code == 200 and booked.json()["interview"]["id"] == slot["id"]
    assert applicant.get(f"/openings/{world.opening.uuid}/slots").json() == []  # taken: no longer open
    assert employer.get(f"/openings/{world.opening.uuid}/slots").json()[0]["booked_by_application"] == application.pk
    for role, status in (("applicant", 200), ("employer_staff", 200), ("other_admin", 404), ("operator", 404),
                         ("university_admin", 404), ("other_learner", 404), ("anonymous", 401)):
        response = call(world, role).get(f"/applications/{application.pk}/interview.ics")
        assert response.status_code == status, role
        if status == 200:
            assert response["Content-Type"].startswith("text/calendar")
            [event] = Calendar.from_ical(response.content).walk("VEVENT")
            assert event.decoded("dtstart") == datetime.fromisoformat(start).astimezone(UTC)
    other = call(world, "other_learner")
    assert other.post(f"/slots/{slot['id']}/book").status_code == 404
    assert other.get(f"/openings/{world.opening.uuid}/slots").status_code == 404
    assert applicant.post("/slots/999999/book").status_code == 404


def test_ics_without_a_booking_is_404(world):  # noqa: F811
    application = applied(world)
    assert call(world, "applicant").get(f"/applications/{application.pk}/interview.ics").status_code == 404
