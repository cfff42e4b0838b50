"""The application pages for every role: the applicant's, the employer's (another employer's admin,
an unverified employer's, the university's admin and operators get 404), private notes that never
leak, the CSV, bulk moves, double submits, forged ids and constant query counts."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forward.talent import applications as service
from forward.talent.models import Application, ApplicationNote, InterviewSlot
from tests.conftest import client_for, make_user
from tests.talent.test_applications import applied, make_opening, world  # noqa: F401

ROLES = ["anonymous", "applicant", "other_learner", "employer_admin", "employer_staff", "employer_member",
         "other_admin", "unverified_admin", "university_admin", "operator"]
EMPLOYER = {"employer_admin", "employer_staff"}


def get(world, role, url):  # noqa: F811
    return client_for(world.actor(role)).get(url)


def booked(world):  # noqa: F811
    application = applied(world, note="=HYPERLINK(\"http://evil.test\",\"click\")")
    Application.objects.filter(pk=application.pk).update(stage="interview")
    start = timezone.now() + timedelta(days=2)
    slot = service.slot_create(actor=world.employer_staff, opening=world.opening, starts_at=start,
                               ends_at=start + timedelta(hours=1), where="https://meet.example/x")
    service.slot_book(user=world.applicant, application=application, slot_id=slot.pk)
    service.note_add(actor=world.employer_admin, application=application, text="PRIVATE-NOTE: salary expectations high")
    return application


@pytest.mark.parametrize("role", ROLES)
def test_employer_pages_by_role(world, role):  # noqa: F811
    application = booked(world)
    urls = [f"/talent/openings/{world.opening.uuid}/applications/",
            f"/talent/applications/{application.pk}/review/",
            f"/talent/openings/{world.opening.uuid}/applications.csv",
            f"/talent/openings/{world.opening.uuid}/slots/",
            f"/talent/employers/{world.employer.slug}/applications/"]
    for url in urls:
        response = get(world, role, url)
        if role == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
        elif role in EMPLOYER:
            assert response.status_code == 200, url
        else:
            assert response.status_code == 404, (role, url)


@pytest.mark.parametrize("role", ROLES)
def test_the_applicants_pages_by_role(world, role):  # noqa: F811
    application = booked(world)
    detail = get(world, role, f"/talent/applications/{application.pk}/")
    ics = get(world, role, f"/talent/applications/{application.pk}/interview.ics")
    mine = get(world, role, "/talent/applications/")
    if role == "anonymous":
        assert {detail.status_code, ics.status_code, mine.status_code} == {302}
        return
    assert mine.status_code == 200
    if role == "applicant":
        assert detail.status_code == 200 and ics.status_code == 200
        assert "Data engineering intern" in mine.content.decode()
    else:
        assert detail.status_code == 404
        assert ics.status_code == (200 if role in EMPLOYER else 404)
        assert "Data engineering intern" not in mine.content.decode()


def test_notes_never_reach_the_applicant_or_the_university(world):  # noqa: F811
    application = booked(world)
    for role in ROLES:
        for url in (f"/talent/applications/{application.pk}/", "/talent/applications/",
                    f"/talent/applications/{application.pk}/review/"):
            body = get(world, role, url).content.decode()
            assert ("PRIVATE-NOTE" in body) == (role in EMPLOYER and url.endswith("/review/")), (role, url)


def test_the_review_shows_the_snapshot_with_verify_links_and_history(world):  # noqa: F811
    application = booked(world)
    body = get(world, "employer_staff", f"/talent/applications/{application.pk}/review/").content.decode()
    assert "Cloud Computing Fundamentals" in body
    assert f"https://forward.test/credentials/{world.course.uuid}/" in body
    assert "Cloud Professional" not in body  # not chosen
    assert "Self-declared" in body and "PRIVATE-NOTE" in body


def test_user_text_is_escaped(world):  # noqa: F811
    application = applied(world, note="<script>alert(1)</script>")
    body = get(world, "employer_admin", f"/talent/applications/{application.pk}/review/").content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_csv_neutralises_formulas(world):  # noqa: F811
    application = booked(world)
    response = get(world, "employer_admin", f"/talent/openings/{world.opening.uuid}/applications.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "application"
    [row] = rows[1:]
    assert row[0] == str(application.pk) and row[3] == "interview"
    assert row[8].startswith("'=HYPERLINK")
    assert "PRIVATE-NOTE" not in "".join(row)
    assert f"https://forward.test/credentials/{world.course.uuid}/" in row[9]


def test_apply_page_and_double_submit(world):  # noqa: F811
    client = client_for(world.applicant)
    url = f"/talent/openings/{world.opening.uuid}/apply/"
    page = client.get(url).content.decode()
    assert "Cloud Computing Fundamentals" in page and "Cloud Professional" in page
    data = {"note": "I love data.", "include": [str(world.course.uuid)]}
    first = client.post(url, data)
    second = client.post(url, data)
    [application] = Application.objects.all()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/talent/applications/{application.pk}/"
    assert [v["name"] for v in application.snapshot["verified"]] == ["Cloud Computing Fundamentals"]
    follow = client.get(second["Location"])
    assert follow.status_code == 200


def test_apply_page_forged_credential_is_refused_and_nothing_stored(world):  # noqa: F811
    theirs = make_user("x@x.test")
    from tests.talent.test_applications import issue

    credential = issue(theirs, world.university, key="x")
    response = client_for(world.applicant).post(f"/talent/openings/{world.opening.uuid}/apply/",
                                                {"note": "", "include": [str(credential.uuid)]})
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_apply_page_shows_reasons_when_not_eligible(world):  # noqa: F811
    world.opening.deadline = timezone.now() - timedelta(days=1)
    world.opening.save()
    type(world.applicant).objects.filter(pk=world.applicant.pk).update(preferred_language="en")
    response = client_for(world.applicant).get(f"/talent/openings/{world.opening.uuid}/apply/")
    assert "deadline has passed" in response.content.decode()
    assert client_for(world.applicant).post(f"/talent/openings/{world.opening.uuid}/apply/",
                                            {"note": "x"}).status_code == 400
    assert not Application.objects.exists()


def test_a_draft_or_missing_opening_is_not_found(world):  # noqa: F811
    draft = make_opening(world.employer, status="draft")
    assert get(world, "applicant", f"/talent/openings/{draft.uuid}/apply/").status_code == 404
    assert get(world, "applicant", "/talent/openings/00000000-0000-0000-0000-000000000000/apply/").status_code == 404


def test_bulk_move_page_all_or_nothing(world):  # noqa: F811
    a = applied(world)
    b = applied(world, user=world.other_learner)
    Application.objects.filter(pk=b.pk).update(stage="rejected")
    client = client_for(world.employer_staff)
    url = f"/talent/openings/{world.opening.uuid}/applications/"
    response = client.post(url, {"ids": [a.pk, b.pk], "stage": "screening"}, follow=True)
    body = response.content.decode()
    assert "Nothing was moved" in body and f"Application {b.pk}" in body
    assert set(Application.objects.values_list("stage", flat=True)) == {"applied", "rejected"}
    response = client.post(url, {"ids": [a.pk], "stage": "screening"}, follow=True)
    assert "Moved 1" in response.content.decode()
    assert Application.objects.get(pk=a.pk).stage == "screening"


def test_bulk_move_with_forged_ids_is_not_found(world):  # noqa: F811
    mine = applied(world)
    theirs = applied(world, opening=world.other_opening)
    client = client_for(world.employer_admin)
    url = f"/talent/openings/{world.opening.uuid}/applications/"
    assert client.post(url, {"ids": [mine.pk, theirs.pk], "stage": "screening"}).status_code == 404
    assert client.post(url, {"ids": ["1 OR 1=1"], "stage": "screening"}).status_code == 404
    assert client.post(url, {"ids": [str(2**70)], "stage": "screening"}).status_code == 404
    assert set(Application.objects.values_list("stage", flat=True)) == {"applied"}
    assert client_for(world.other_admin).post(url, {"ids": [mine.pk], "stage": "screening"}).status_code == 404


def test_review_buttons_move_and_note(world, django_capture_on_commit_callbacks):  # noqa: F811
    application = applied(world)
    client = client_for(world.employer_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/talent/applications/{application.pk}/review/move/", {"stage": "interview"})
    assert Application.objects.get(pk=application.pk).stage == "interview"
    assert len(mail.outbox) == 1
    client.post(f"/talent/applications/{application.pk}/review/note/", {"text": "Call on Monday"})
    assert ApplicationNote.objects.get().text == "Call on Monday"
    response = client.post(f"/talent/applications/{application.pk}/review/move/", {"stage": "hired"}, follow=True)
    assert "accepts it" in response.content.decode()
    assert client_for(world.other_admin).post(f"/talent/applications/{application.pk}/review/note/",
                                              {"text": "x"}).status_code == 404
    assert ApplicationNote.objects.count() == 1


def test_applicant_actions_on_the_page(world):  # noqa: F811
    type(world.applicant).objects.filter(pk=world.applicant.pk).update(preferred_language="en")
    application = applied(world)
    Application.objects.filter(pk=application.pk).update(stage="interview")
    start = timezone.now() + timedelta(days=1)
    slot = service.slot_create(actor=world.employer_admin, opening=world.opening, starts_at=start,
                               ends_at=start + timedelta(minutes=30))
    client = client_for(world.applicant)
    page = client.get(f"/talent/applications/{application.pk}/").content.decode()
    assert f'value="{slot.pk}"' in page
    client.post(f"/talent/applications/{application.pk}/book/", {"slot": slot.pk})
    assert InterviewSlot.objects.get(pk=slot.pk).booked_by_id == application.pk
    ics = client.get(f"/talent/applications/{application.pk}/interview.ics")
    assert ics["Content-Type"].startswith("text/calendar") and b"BEGIN:VEVENT" in ics.content
    response = client.post(f"/talent/applications/{application.pk}/book/", {"slot": "abc"}, follow=True)
    assert "Choose one of the times" in response.content.decode()
    assert client_for(world.other_learner).post(f"/talent/applications/{application.pk}/withdraw/").status_code == 404
    client.post(f"/talent/applications/{application.pk}/withdraw/")
    assert Application.objects.get(pk=application.pk).stage == "withdrawn"
    assert client.post(f"/talent/applications/{application.pk}/explode/").status_code == 404


def test_employer_slots_page_adds_a_slot_in_the_viewers_zone(world):  # noqa: F811
    client = client_for(world.employer_admin)  # Asia/Singapore
    day = (timezone.now() + timedelta(days=3)).date()
    response = client.post(f"/talent/openings/{world.opening.uuid}/slots/", {
        "starts_at": f"{day.isoformat()}T10:00", "ends_at": f"{day.isoformat()}T10:45", "where": "Room 3"})
    assert response.status_code == 302
    slot = InterviewSlot.objects.get()
    assert slot.starts_at.hour == 2 and slot.starts_at.utcoffset() == timedelta(0)  # 10:00 SGT is 02:00 UTC
    assert "10:00" in client.get(f"/talent/openings/{world.opening.uuid}/slots/").content.decode()  # shown in SGT
    utc_viewer = client_for(world.employer_staff)  # UTC
    assert "02:00" in utc_viewer.get(f"/talent/openings/{world.opening.uuid}/slots/").content.decode()
    bad = client.post(f"/talent/openings/{world.opening.uuid}/slots/", {
        "starts_at": f"{day.isoformat()}T10:00", "ends_at": f"{day.isoformat()}T09:00"})
    assert bad.status_code == 400 and "end after" in bad.content.decode()
    assert InterviewSlot.objects.count() == 1


def test_employer_home_counts_what_needs_doing(world):  # noqa: F811
    applied(world)
    waiting = applied(world, user=world.other_learner)
    Application.objects.filter(pk=waiting.pk).update(stage="interview")
    page = get(world, "employer_admin", f"/talent/employers/{world.employer.slug}/applications/")
    row = service.employer_openings(organization=world.employer).get(pk=world.opening.pk)
    assert (row.to_screen, row.awaiting_slot, row.total) == (1, 1, 2)
    assert "Data engineering intern" in page.content.decode()
    assert "ML intern" not in page.content.decode()


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_lists_take_a_constant_number_of_queries(world):  # noqa: F811
    employer = client_for(world.employer_admin)
    learner = client_for(world.applicant)
    pipeline = f"/talent/openings/{world.opening.uuid}/applications/"
    home = f"/talent/employers/{world.employer.slug}/applications/"
    applied(world)
    few = [_count_queries(employer, pipeline), _count_queries(learner, "/talent/applications/"),
           _count_queries(employer, home)]
    for i in range(6):
        user = make_user(f"many{i}@x.test")
        application = applied(world, user=user)
        service.note_add(actor=world.employer_admin, application=application, text="n")
        applied(world, opening=make_opening(world.employer, title=f"Opening {i}"))
    many = [_count_queries(employer, pipeline), _count_queries(learner, "/talent/applications/"),
            _count_queries(employer, home)]
    assert few == many


def test_operators_see_applications_read_only_in_admin(world):  # noqa: F811
    application = booked(world)
    type(world.operator).objects.filter(pk=world.operator.pk).update(is_superuser=True)  # admin needs model perms
    world.operator.refresh_from_db()
    operator = client_for(world.operator)
    for url in ("/admin/talent/application/", "/admin/talent/stagechange/", "/admin/talent/interviewslot/",
                f"/admin/talent/application/{application.pk}/change/"):
        response = operator.get(url)
        assert response.status_code == 200, url
        assert "PRIVATE-NOTE" not in response.content.decode()
    assert operator.post(f"/admin/talent/application/{application.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Application.objects.filter(pk=application.pk).exists()


@pytest.mark.parametrize(("where", "linked"), [("https://meet.example/x", True), ("javascript:alert(1)", False)])
def test_only_an_https_place_becomes_a_link(world, where, linked):  # noqa: F811
    application = applied(world)
    Application.objects.filter(pk=application.pk).update(stage="interview")
    start = timezone.now() + timedelta(days=1)
    slot = service.slot_create(actor=world.employer_admin, opening=world.opening, starts_at=start,
                               ends_at=start + timedelta(minutes=30), where=where)
    service.slot_book(user=world.applicant, application=application, slot_id=slot.pk)
    body = get(world, "applicant", f"/talent/applications/{application.pk}/").content.decode()
    assert (f'href="{where}"' in body) is linked
