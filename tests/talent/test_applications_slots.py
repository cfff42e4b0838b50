"""Interview slots: proposing (rules and the limit), booking race-safely, moving and cancelling, and
the .ics invitations, parsed back with icalendar across time zones."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from forward.talent import applications as service
from forward.talent.ics import interview_calendar
from forward.talent.models import Application, InterviewSlot
from tests.talent.test_applications import applied, world  # noqa: F401

SINGAPORE = zoneinfo.ZoneInfo("Asia/Singapore")
JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


def tomorrow_at(hour: int, zone=SINGAPORE) -> datetime:
    day = (timezone.now() + timedelta(days=2)).astimezone(zone).date()
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=zone)


def slot(world, hour=10, **kwargs):  # noqa: F811
    start = kwargs.pop("start", tomorrow_at(hour))
    return service.slot_create(actor=kwargs.pop("actor", world.employer_staff), opening=world.opening,
                               starts_at=start, ends_at=start + timedelta(minutes=45),
                               where=kwargs.pop("where", "https://meet.example/abc"))


def at_interview(world, user=None):  # noqa: F811
    application = applied(world, user=user)
    Application.objects.filter(pk=application.pk).update(stage="interview")
    application.refresh_from_db()
    return application


def test_slot_rules(world):  # noqa: F811
    start = tomorrow_at(10)
    with pytest.raises(ValidationError, match="future"):
        service.slot_create(actor=world.employer_admin, opening=world.opening, starts_at=timezone.now() - timedelta(
            minutes=1), ends_at=timezone.now() + timedelta(hours=1))
    with pytest.raises(ValidationError, match="end after"):
        service.slot_create(actor=world.employer_admin, opening=world.opening, starts_at=start, ends_at=start)
    with pytest.raises(ValidationError, match="time zone"):
        service.slot_create(actor=world.employer_admin, opening=world.opening, starts_at=start.replace(tzinfo=None),
                            ends_at=(start + timedelta(hours=1)).replace(tzinfo=None))
    for actor in (world.other_admin, world.unverified_admin, world.operator, world.applicant, world.employer_member):
        with pytest.raises(service.NotFound):
            service.slot_create(actor=actor, opening=world.opening, starts_at=start, ends_at=start + timedelta(hours=1))
    assert not InterviewSlot.objects.exists()


def test_at_most_fifty_open_slots(world):  # noqa: F811
    base = tomorrow_at(8)
    InterviewSlot.objects.bulk_create([
        InterviewSlot(opening=world.opening, starts_at=base + timedelta(hours=i), ends_at=base + timedelta(hours=i, minutes=30))
        for i in range(service.MAX_OPEN_SLOTS)])
    with pytest.raises(ValidationError, match="50 open slots"):
        slot(world, start=base + timedelta(days=3))
    InterviewSlot.objects.filter(pk=InterviewSlot.objects.first().pk).delete()
    slot(world, start=base + timedelta(days=3))


def test_booking_needs_the_interview_stage(world):  # noqa: F811
    s = slot(world)
    application = applied(world)
    with pytest.raises(ValidationError, match="invites you"):
        service.slot_book(user=world.applicant, application=application, slot_id=s.pk)


def test_a_taken_slot_gives_a_clear_message_and_rebooking_moves(world, django_capture_on_commit_callbacks):  # noqa: F811
    first, second = slot(world, 10), slot(world, 11)
    mine = at_interview(world)
    theirs = at_interview(world, user=world.other_learner)
    with django_capture_on_commit_callbacks(execute=True):
        service.slot_book(user=world.other_learner, application=theirs, slot_id=first.pk)
    with pytest.raises(ValidationError, match="just booked"):
        service.slot_book(user=world.applicant, application=mine, slot_id=first.pk)
    service.slot_book(user=world.applicant, application=mine, slot_id=second.pk)
    third = slot(world, 12)
    service.slot_book(user=world.applicant, application=mine, slot_id=third.pk)  # move
    assert InterviewSlot.objects.get(pk=second.pk).booked_by is None
    assert InterviewSlot.objects.get(pk=third.pk).booked_by_id == mine.pk
    service.slot_cancel(user=world.applicant, application=mine)
    assert not InterviewSlot.objects.filter(booked_by=mine).exists()
    with pytest.raises(ValidationError, match="no interview"):
        service.slot_cancel(user=world.applicant, application=mine)


def test_a_slot_of_another_opening_or_person_is_not_found(world):  # noqa: F811
    mine = at_interview(world)
    elsewhere = service.slot_create(actor=world.other_admin, opening=world.other_opening, starts_at=tomorrow_at(9),
                                    ends_at=tomorrow_at(10))
    with pytest.raises(service.NotFound):
        service.slot_book(user=world.applicant, application=mine, slot_id=elsewhere.pk)
    s = slot(world)
    with pytest.raises(service.NotFound):
        service.slot_book(user=world.other_learner, application=mine, slot_id=s.pk)


def test_a_started_interview_cannot_be_moved_or_cancelled(world):  # noqa: F811
    mine = at_interview(world)
    s = slot(world)
    service.slot_book(user=world.applicant, application=mine, slot_id=s.pk)
    InterviewSlot.objects.filter(pk=s.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    other = slot(world, 15)
    with pytest.raises(ValidationError, match="already started"):
        service.slot_book(user=world.applicant, application=mine, slot_id=other.pk)
    with pytest.raises(ValidationError, match="already started"):
        service.slot_cancel(user=world.applicant, application=mine)


def test_the_conditional_update_lets_only_one_claim_win(world):  # noqa: F811
    """The claim is `UPDATE … WHERE booked_by IS NULL`: a second claim on the same row changes nothing."""
    s = slot(world)
    a, b = at_interview(world), at_interview(world, user=world.other_learner)
    now = timezone.now()
    won = InterviewSlot.objects.filter(pk=s.pk, booked_by__isnull=True).update(booked_by=a, booked_at=now)
    lost = InterviewSlot.objects.filter(pk=s.pk, booked_by__isnull=True).update(booked_by=b, booked_at=now)
    assert (won, lost) == (1, 0)


def test_both_sides_get_the_ics_by_mail_after_commit(world, django_capture_on_commit_callbacks):  # noqa: F811
    mine = at_interview(world)
    s = slot(world, 14)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        service.slot_book(user=world.applicant, application=mine, slot_id=s.pk)
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == ["recruiter@straits.test", "student@ntu.test"]
    for message in mail.outbox:
        [(name, content, mimetype)] = message.attachments
        assert name == "interview.ics" and mimetype.startswith("text/calendar")
        event = Calendar.from_ical(content).walk("VEVENT")[0]
        assert event.decoded("dtstart") == s.starts_at.astimezone(UTC)
    to_recruiter = next(m for m in mail.outbox if m.to == ["recruiter@straits.test"])
    assert "Sam Student" in to_recruiter.body


def test_the_ics_is_right_across_time_zones(world):  # noqa: F811
    """A slot proposed at 10:00 in Singapore is 02:00 UTC and 09:00 in Jakarta: the file says UTC."""
    mine = at_interview(world)
    s = slot(world, 10, where="Level 12, 1 Raffles Place")
    service.slot_book(user=world.applicant, application=mine, slot_id=s.pk)
    s.refresh_from_db()
    calendar = Calendar.from_ical(interview_calendar(slot=s, application=mine))
    assert str(calendar["VERSION"]) == "2.0" and calendar["PRODID"]
    [event] = calendar.walk("VEVENT")
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert start.utcoffset() == timedelta(0) and event["DTSTART"].to_ical().endswith(b"Z")
    assert start.astimezone(SINGAPORE).hour == 10 and start.hour == 2
    assert start.astimezone(JAKARTA).hour == 9
    assert end - start == timedelta(minutes=45)
    assert str(event["UID"]) == f"interview-{s.pk}-{mine.pk}@forward.test"
    assert event.decoded("dtstamp").utcoffset() == timedelta(0)
    assert str(event["LOCATION"]) == "Level 12, 1 Raffles Place"
    assert "Data engineering intern" in str(event["SUMMARY"]) and "Straits Fintech" in str(event["SUMMARY"])
    assert str(event["ORGANIZER"]) == "mailto:recruiter@straits.test"
    assert event["ORGANIZER"].params["CN"] == "Straits Fintech"
    assert str(event["ATTENDEE"]) == "mailto:student@ntu.test"
    assert event["ATTENDEE"].params["CN"] == "Sam Student"


def test_leaving_the_interview_stage_frees_a_future_slot(world):  # noqa: F811
    mine = at_interview(world)
    s = slot(world)
    service.slot_book(user=world.applicant, application=mine, slot_id=s.pk)
    service.move(actor=world.employer_admin, application_ids=[mine.pk], to_stage="rejected")
    assert InterviewSlot.objects.get(pk=s.pk).booked_by is None


def test_employer_removes_only_unbooked_slots(world):  # noqa: F811
    free, taken = slot(world, 9), slot(world, 10)
    service.slot_book(user=world.applicant, application=at_interview(world), slot_id=taken.pk)
    with pytest.raises(ValidationError, match="booked"):
        service.slot_delete(actor=world.employer_admin, slot=taken)
    with pytest.raises(service.NotFound):
        service.slot_delete(actor=world.other_admin, slot=free)
    service.slot_delete(actor=world.employer_admin, slot=free)
    assert list(InterviewSlot.objects.values_list("pk", flat=True)) == [taken.pk]
