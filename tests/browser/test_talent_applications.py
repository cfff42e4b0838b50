"""The applications journey in the browser, at desktop and phone width: a student applies choosing
which verified achievements to include; the employer moves them to interview and proposes a slot;
the student books it and downloads the .ics."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from forward.talent.models import Application, InterviewSlot
from tests.browser.conftest import shot
from tests.browser.test_competition_journey import sign_in
from tests.talent.test_applications import world  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_apply_move_to_interview_book_and_download_the_ics(new_page, world, phone):  # noqa: F811
    size = "phone" if phone else "desktop"
    type(world.applicant).objects.filter(pk=world.applicant.pk).update(preferred_language="")  # pages in English
    student = new_page(phone=phone)
    sign_in(student, "student@ntu.test")
    student.goto(f"/talent/openings/{world.opening.uuid}/apply/")
    expect(student.get_by_role("heading", level=1)).to_contain_text("Data engineering intern")
    student.get_by_label("A short note to the employer").fill("I built a Spark pipeline in my course project.")
    student.get_by_label("Cloud Professional").uncheck()  # include the course certificate only
    shot(student, f"talent-apply-{size}")
    student.get_by_role("button", name="Send application").click()
    expect(student.locator(".message.success")).to_contain_text("Application sent")
    expect(student.get_by_test_id("stage")).to_have_text("Applied")
    application = Application.objects.get()
    assert [v["name"] for v in application.snapshot["verified"]] == ["Cloud Computing Fundamentals"]

    employer = new_page(phone=phone)
    sign_in(employer, "hr@straits.test")
    employer.goto(f"/talent/employers/{world.employer.slug}/applications/")
    expect(employer.get_by_test_id("employer-openings")).to_contain_text("Data engineering intern")
    employer.get_by_role("link", name="Data engineering intern").click()
    employer.get_by_label("Select Sam Student").check()
    employer.get_by_label("Move the ticked applications to").select_option("interview")
    employer.get_by_role("button", name="Move", exact=True).click()
    expect(employer.locator(".message.success")).to_contain_text("Moved 1 to Interview")
    shot(employer, f"talent-pipeline-{size}")

    employer.get_by_role("link", name="Interview slots").click()
    day = (timezone.now() + timedelta(days=3)).astimezone(timezone.get_fixed_timezone(480)).date().isoformat()
    employer.get_by_label("Starts").fill(f"{day}T10:00")
    employer.get_by_label("Ends").fill(f"{day}T10:45")
    employer.get_by_label("Place or video link").fill("https://meet.example/straits")
    employer.get_by_role("button", name="Add slot").click()
    expect(employer.locator(".message.success")).to_contain_text("Slot added")
    slot = InterviewSlot.objects.get()
    assert (slot.starts_at.hour, slot.starts_at.minute) == (2, 0)  # 10:00 in Singapore, stored in UTC
    shot(employer, f"talent-slots-{size}")

    student.reload()
    expect(student.get_by_test_id("stage")).to_have_text("Interview")
    student.get_by_role("radio").first.check()
    student.get_by_role("button", name="Book this time").click()
    expect(student.locator(".message.success")).to_contain_text("Interview booked")
    with student.expect_download() as download_info:
        student.get_by_role("link", name="Add to calendar (.ics)").click()
    download = download_info.value
    [event] = Calendar.from_ical(Path(download.path()).read_bytes()).walk("VEVENT")
    assert event.decoded("dtstart") == slot.starts_at
    assert str(event["ATTENDEE"]) == "mailto:student@ntu.test"
    shot(student, f"talent-booked-{size}")

    subjects = [m.subject for m in mail.outbox]
    assert any("Interview" in s for s in subjects)  # the stage change
    booked = [m for m in mail.outbox if m.attachments]
    assert sorted(m.to[0] for m in booked) == ["hr@straits.test", "student@ntu.test"]
    employer.goto(f"/talent/applications/{application.pk}/review/")
    expect(employer.get_by_test_id("moves")).to_contain_text("Interview booked")
