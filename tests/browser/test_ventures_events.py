"""A networking event in the browser, at desktop and phone width: an investor and a founder register
(choosing their free slots), mark each other, staff close marking (the schedule is built by eager
Celery; before that they edit the event, after it its slots are fixed), and each opens their agenda
and downloads its PDF and .ics."""

from pathlib import Path

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from forward.ventures.models import Meeting
from tests.browser.conftest import shot
from tests.browser.test_competition_journey import sign_in
from tests.ventures import conftest as ventures_conftest
from tests.ventures import events_world
from tests.ventures.events_world import make_event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ventures = ventures_conftest.ventures  # the fixtures
fast_solver = events_world.fast_solver


def register(page, event, acting_for: str) -> None:
    page.goto(f"/ventures/events/{event.pk}/")
    page.get_by_label("Register as").select_option(label=acting_for)
    page.get_by_label("Most meetings").fill("3")
    page.get_by_test_id("register").click()
    expect(page.locator(".messages")).to_contain_text("You are registered")
    expect(page.get_by_test_id("my-registration")).to_contain_text(acting_for.split(": ")[1])


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_register_mark_close_and_download_the_agenda(new_page, ventures, fast_solver, phone):
    tag = "phone" if phone else "desktop"
    w = ventures
    event = make_event(w)

    investor = new_page(phone=phone)
    sign_in(investor, w.investor.email)
    investor.goto("/ventures/events/")
    investor.get_by_role("link", name="VC Networking Night").click()
    register(investor, event, "Investor: Lion City Ventures")
    shot(investor, f"events-detail-{tag}")

    founder = new_page(phone=phone)
    sign_in(founder, w.founder.email)
    register(founder, event, "Startup: Padi Sense")
    founder.get_by_test_id("mark-link").click()
    founder.get_by_label("Your mark of Lion City Ventures").select_option("must")
    founder.get_by_test_id("save-marks").click()
    expect(founder.locator(".messages")).to_contain_text("Your marks are saved")
    expect(founder.get_by_label("Your mark of Lion City Ventures")).to_have_value("must")

    investor.goto(f"/ventures/events/{event.pk}/")
    investor.get_by_test_id("mark-link").click()
    expect(investor.get_by_test_id("counterpart")).to_have_count(1)
    # The founder's mark of the investor is not shown to the investor.
    expect(investor.get_by_label("Your mark of Padi Sense")).to_have_value("")
    investor.get_by_label("Your mark of Padi Sense").select_option("want")
    investor.get_by_test_id("save-marks").click()
    expect(investor.locator(".messages")).to_contain_text("Your marks are saved")
    shot(investor, f"events-marks-{tag}")

    staff = new_page(phone=phone)
    sign_in(staff, w.centre_staff.email)
    staff.goto(f"/ventures/events/{event.pk}/staff/")
    expect(staff.get_by_test_id("marks-count")).to_have_text("2")
    # Before the schedule, staff may still edit the event, its slots included.
    staff.get_by_test_id("edit-event").click()
    staff.get_by_label("Venue").fill("Hall B, Forward Innovation Centre")
    staff.locator("input[name=keep_slots]").last.uncheck()
    staff.get_by_role("button", name="Save").click()
    expect(staff.locator(".messages")).to_contain_text("The event is saved.")
    assert event.slots.count() == 2
    staff.get_by_test_id("close-marking").click()
    expect(staff.get_by_test_id("job-status")).to_have_text("Done")
    expect(staff.get_by_test_id("schedule-figures")).to_contain_text("Total interest 4 of a proven best of at most 4")
    expect(staff.get_by_test_id("schedule-grid")).to_contain_text("Padi Sense")
    shot(staff, f"events-staff-{tag}")
    staff.get_by_test_id("edit-event").click()
    expect(staff.get_by_test_id("slots-fixed")).to_be_visible()
    staff.get_by_label("Tables").fill("0")
    staff.get_by_role("button", name="Save").click()
    expect(staff.locator(".error").first).to_be_visible()
    shot(staff, f"events-edit-{tag}")
    meeting = Meeting.objects.get(event=event)

    for page, other in ((founder, "Lion City Ventures"), (investor, "Padi Sense")):
        page.goto(f"/ventures/events/{event.pk}/")
        page.get_by_test_id("agenda-link").click()
        expect(page.get_by_test_id("agenda-meeting")).to_have_count(1)
        expect(page.get_by_test_id("agenda")).to_contain_text(other)
        with page.expect_download() as pdf:
            page.get_by_test_id("agenda-pdf").click()
        assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF")
        with page.expect_download() as ics:
            page.get_by_test_id("agenda-ics").click()
        [item] = Calendar.from_ical(Path(ics.value.path()).read_bytes()).walk("VEVENT")
        assert item.decoded("dtstart") == meeting.slot.starts_at
        assert other in str(item["summary"])
    shot(founder, f"events-agenda-{tag}")
