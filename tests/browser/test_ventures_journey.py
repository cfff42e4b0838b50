"""The ventures programme end to end, as its people would use it in the browser, at desktop (1280) and
phone (390) width (issue 14, "Done when"): a founder applies to the innovation centre's cohort; two
judges score; staff accept the startup; an investor finds it by the discovery filters and asks for an
introduction; the founder accepts and they message each other; both register for the centre's
networking event and mark each other; staff close marking, the schedule is built, and each downloads
their agenda as a PDF and an .ics file.

Seeded only what people would find already there: the organizations (verified by an operator), the
call (published by the centre's staff, with its questions and rubric) and the event (with its slots).
Every page on the way must fit the phone's width, and no page may log an error on the console.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from forward.ventures import cohorts as call_services
from forward.ventures import judging
from forward.ventures.models import (
    CallStatus,
    CohortApplication,
    EventStatus,
    Introduction,
    IntroStatus,
    Meeting,
    QuestionKind,
    Stage,
)
from tests.browser.conftest import shot
from tests.browser.test_competition_journey import sign_in
from tests.conftest import make_user
from tests.credentials.test_dates import _pdf_text as pdf_text
from tests.ventures import events_world
from tests.ventures.conftest import ventures  # noqa: F401 - the ventures world
from tests.ventures.events_world import make_event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
fast_solver = events_world.fast_solver


class Journey:
    """The people's pages, each checked at every step: nothing wider than the screen, nothing on the
    console but what the browser says in passing."""

    def __init__(self, new_page, phone: bool):
        self.new_page, self.phone = new_page, phone
        self.size = "phone" if phone else "desktop"
        self.errors: list[str] = []
        self.pages = []

    def person(self, email: str):
        page = self.new_page(phone=self.phone)
        page.on("console", lambda m: self.errors.append(f"{m.text} ({m.location.get('url')})")
                if m.type == "error" else None)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        sign_in(page, email)
        self.pages.append(page)
        return page

    def check(self, page, name: str) -> None:
        """What the person sees fits the screen (no sideways scrolling); a screenshot to look at."""
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"{name} overflows at {self.size} width: {width[0]} px > {width[1]} px"
        shot(page, f"journey-ventures-{name}-{self.size}")


def to_ventures(page) -> None:
    """Ventures in the site's menu (behind the menu button on a phone)."""
    toggle = page.get_by_role("button", name="Menu")
    if toggle.is_visible():
        toggle.click()
    nav = page.get_by_role("navigation", name="Main")
    if not nav.get_by_role("link", name="Ventures", exact=True).is_visible():  # not theirs yet: under "More"
        nav.get_by_text("More", exact=True).click()
    nav.get_by_role("link", name="Ventures", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ventures")


def publish_call(w):
    """The centre's staff opened this call before the journey starts (the cohorts browser test covers
    writing one)."""
    call = call_services.call_create(
        actor=w.centre_admin, organizer=w.centre, title="KL Accelerator 2027",
        description="Twelve weeks at the innovation centre.", deadline=timezone.now() + timedelta(days=7),
        countries=["MY", "ID"], stages=[Stage.PRE_SEED, Stage.SEED])
    call_services.question_add(actor=w.centre_admin, call=call, kind=QuestionKind.TEXT,
                               prompt="What do you build?", max_length=200)
    call_services.question_add(actor=w.centre_admin, call=call, kind=QuestionKind.CHOICE, prompt="Which track?",
                               options=["Cloud", "AI", "Commerce"])
    judging.criterion_add(actor=w.centre_admin, call=call, name="Team", weight=3)
    judging.criterion_add(actor=w.centre_admin, call=call, name="Market", weight=1)
    call = call_services.call_publish(actor=w.centre_admin, call=call)
    assert call.status == CallStatus.OPEN
    return call


def score(judge, call_title: str, team: str, market: str, comment: str) -> None:
    to_ventures(judge)
    judge.get_by_test_id("ventures-nav").get_by_role("link", name="Cohorts").click()
    judge.get_by_role("link", name="Your judging queue").click()
    queue = judge.get_by_test_id("queue")
    expect(queue.get_by_role("row", name="Padi Sense")).to_contain_text(call_title)
    expect(queue.get_by_role("row", name="Padi Sense")).to_contain_text("To score")
    queue.get_by_role("link", name="Padi Sense").click()
    expect(judge.get_by_test_id("answers")).to_contain_text("Drone imagery that tells rice farmers")
    judge.get_by_role("group", name="Team (weight 3)").get_by_role("radio", name=team).check()
    judge.get_by_role("group", name="Market (weight 1)").get_by_role("radio", name=market).check()
    judge.get_by_label("Comment").fill(comment)
    judge.get_by_test_id("submit-score").click()
    expect(judge.locator(".messages")).to_contain_text("Score submitted")
    expect(judge.get_by_test_id("score-state")).to_have_text("Submitted")


def register(page, acting_for: str) -> None:
    page.get_by_test_id("ventures-nav").get_by_role("link", name="Events").click()
    page.get_by_role("link", name="VC Networking Night").click()
    page.get_by_label("Register as").select_option(label=acting_for)
    page.get_by_label("Most meetings").fill("2")
    page.get_by_test_id("register").click()
    expect(page.locator(".messages")).to_contain_text("You are registered")
    expect(page.get_by_test_id("my-registration")).to_contain_text(acting_for.split(": ")[1])


def mark(page, other: str, level: str) -> None:
    page.get_by_test_id("mark-link").click()
    page.get_by_label(f"Your mark of {other}").select_option(level)
    page.get_by_test_id("save-marks").click()
    expect(page.locator(".messages")).to_contain_text("Your marks are saved")
    expect(page.get_by_label(f"Your mark of {other}")).to_have_value(level)


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_apply_judge_accept_introduce_message_meet(new_page, ventures, fast_solver, phone, tmp_path):  # noqa: F811
    w = ventures
    call = publish_call(w)
    event = make_event(w)
    make_user("judge-one@ventures.test", "Judy Judge", preferred_language="en")
    make_user("judge-two@ventures.test", "Jon Judge", preferred_language="en")
    j = Journey(new_page, phone)

    # 1. The founder finds the call from the ventures home and applies.
    founder = j.person(w.founder.email)
    to_ventures(founder)
    founder.get_by_test_id("ventures-founders").get_by_role("link", name="Apply to a cohort").click()
    founder.get_by_role("link", name="KL Accelerator 2027").click()
    expect(founder.get_by_test_id("apply")).to_contain_text("Padi Sense")
    j.check(founder, "call")
    founder.get_by_role("button", name="Start an application").click()
    expect(founder.get_by_test_id("application-status")).to_have_text("Draft")
    founder.get_by_label("What do you build?").fill("Drone imagery that tells rice farmers when to irrigate.")
    founder.get_by_role("radio", name="AI", exact=True).check()
    founder.get_by_test_id("submit-application").click()
    expect(founder.locator(".messages")).to_contain_text("Application submitted")
    expect(founder.get_by_test_id("application-status")).to_have_text("Submitted")
    j.check(founder, "application-submitted")
    application = CohortApplication.objects.get(call=call, startup=w.startup)

    # 2. The centre's staff form a panel and seat two judges, who score.
    staff = j.person(w.centre_staff.email)
    staff.goto(f"/ventures/calls/{call.pk}/")
    expect(staff.get_by_test_id("staff")).to_contain_text("1 awaiting a decision")
    staff.get_by_role("link", name="Panels and judges").first.click()
    staff.get_by_label("Panel name").fill("Panel A")
    staff.get_by_role("button", name="Create panel").click()
    expect(staff.locator(".messages")).to_contain_text("Panel created")
    panel = staff.get_by_test_id("panel").filter(has_text="Panel A")
    for email in ("judge-one@ventures.test", "judge-two@ventures.test"):
        panel.get_by_label("Judge's email").fill(email)
        panel.get_by_role("button", name="Seat judge").click()
        expect(staff.get_by_test_id("panel").filter(has_text="Panel A")).to_contain_text(email)
    j.check(staff, "panels")

    score(j.person("judge-one@ventures.test"), call.title, "5", "4", "Founders who ship.")
    judge = j.person("judge-two@ventures.test")
    score(judge, call.title, "3", "3", "Needs a paying pilot.")
    expect(judge.get_by_test_id("other-scores")).to_contain_text("Founders who ship.")
    j.check(judge, "judge-scored")

    # 3. Staff close the call, read the ranking and accept; the founder hears and sees the cohort.
    staff.get_by_role("link", name=call.title).click()
    staff.get_by_test_id("close").click()
    expect(staff.get_by_test_id("call-status")).to_have_text("Closed for review")
    staff.get_by_role("link", name="Ranking").click()
    ranking = staff.get_by_test_id("ranking")
    expect(ranking.get_by_role("row", name="Padi Sense")).to_contain_text("2")  # two judges scored
    staff.get_by_role("checkbox", name="Padi Sense").check()
    staff.get_by_label("Decision").select_option("accepted")
    staff.get_by_test_id("decide-chosen").click()
    expect(staff.locator(".messages")).to_contain_text("1 decisions changed")
    expect(ranking.get_by_role("row", name="Padi Sense")).to_contain_text("Accepted")
    j.check(staff, "ranking")
    staff.get_by_role("link", name=call.title).click()
    staff.get_by_test_id("mark-decided").click()
    expect(staff.get_by_test_id("call-status")).to_have_text("Decided")
    assert [m.to for m in mail.outbox if "accepted" in m.subject] == [[w.founder.email]]
    application.refresh_from_db()
    assert application.status == "accepted"

    founder.goto(f"/ventures/calls/{call.pk}/")
    expect(founder.get_by_test_id("apply")).to_contain_text("Accepted")
    founder.get_by_role("link", name="The cohort").click()
    expect(founder.get_by_test_id("cohort")).to_contain_text("Padi Sense")
    # The cohort's cards line up with the heading: no list bullet, no indent.
    card = founder.get_by_test_id("cohort").locator(".card").first
    assert card.bounding_box()["x"] == founder.get_by_role("heading", level=1).bounding_box()["x"]
    j.check(founder, "cohort")

    # 4. The investor finds Padi Sense by the discovery filters and asks for an introduction.
    investor = j.person(w.investor.email)
    to_ventures(investor)
    investor.get_by_test_id("ventures-investors").get_by_role("link", name="Startups that fit your thesis").click()
    search = investor.get_by_test_id("startup-search")
    search.get_by_label("Sector").select_option(label="AI and data")
    search.get_by_label("Stage").select_option(label="Seed")
    search.get_by_label("Country").select_option(label="Malaysia")
    search.get_by_label("Raising").select_option(label="Raising now")
    search.get_by_role("button", name="Search").click()
    expect(investor.get_by_test_id("startup-count")).to_contain_text("1 startup")
    card = investor.get_by_test_id("startup-card")
    expect(card.get_by_test_id("fit-score")).to_have_text("Fit 100/100")
    j.check(investor, "discovery")
    card.get_by_role("link", name="Padi Sense").click()
    expect(investor.get_by_test_id("startup-name")).to_have_text("Padi Sense")
    investor.get_by_role("link", name="Ask for an introduction").click()
    investor.get_by_label("A short note").fill("We lead seed rounds in agritech data. Coffee at the centre?")
    investor.get_by_role("button", name="Send the request").click()
    expect(investor.locator(".message.success")).to_contain_text("Request sent to Padi Sense")
    expect(investor.get_by_test_id("intro-status")).to_have_text("Waiting")
    j.check(investor, "intro-asked")

    # 5. The founder accepts; they message each other, each seeing the other side's name.
    founder.get_by_test_id("ventures-nav").get_by_role("link", name="Introductions").click()
    received = founder.get_by_test_id("intro-received")
    expect(received).to_contain_text("Lion City Ventures")
    expect(received).to_contain_text("Coffee at the centre?")
    j.check(founder, "intros")
    received.get_by_role("button", name="Accept").click()
    expect(founder.locator(".message.success")).to_contain_text("Accepted")
    expect(founder.get_by_test_id("intro-contacts")).to_contain_text(w.investor.email)
    founder.get_by_label("Your message").fill("Gladly. Tuesday at 10:00 at the innovation centre?")
    founder.get_by_role("button", name="Send").click()
    expect(founder.get_by_test_id("intro-message")).to_contain_text("Tuesday at 10:00")
    assert Introduction.objects.get().status == IntroStatus.ACCEPTED

    investor.reload()
    expect(investor.get_by_test_id("intro-status")).to_have_text("Accepted")
    expect(investor.get_by_test_id("intro-contacts")).to_contain_text(w.founder.email)
    expect(investor.get_by_test_id("intro-message").first).to_contain_text(f"{w.founder.display_name} · Padi Sense")
    investor.get_by_label("Your message").fill("Tuesday works. See you there.")
    investor.get_by_role("button", name="Send").click()
    expect(investor.get_by_test_id("intro-message").last).to_contain_text("See you there")
    j.check(investor, "intro-thread")
    founder.reload()
    expect(founder.get_by_test_id("intro-message").last).to_contain_text(
        f"{w.investor.display_name} · Lion City Ventures")
    expect(founder.get_by_test_id("intro-message").last).to_contain_text("See you there")

    # 6. Both register for the centre's networking night and mark each other.
    register(investor, "Investor: Lion City Ventures")
    register(founder, "Startup: Padi Sense")
    j.check(founder, "event")
    mark(founder, "Lion City Ventures", "must")
    j.check(founder, "marks")
    mark(investor, "Padi Sense", "want")

    # 7. The centre's staff close marking; the worker builds the schedule.
    staff.get_by_test_id("ventures-nav").get_by_role("link", name="Events").click()
    staff.get_by_role("link", name="VC Networking Night").click()
    staff.get_by_test_id("event-staff-link").click()
    expect(staff.get_by_test_id("marks-count")).to_have_text("2")
    staff.get_by_test_id("close-marking").click()
    expect(staff.get_by_test_id("job-status")).to_have_text("Done")
    expect(staff.get_by_test_id("schedule-figures")).to_contain_text("Total interest 4 of a proven best of at most 4")
    expect(staff.get_by_test_id("schedule-grid")).to_contain_text("Padi Sense")
    j.check(staff, "schedule")
    event.refresh_from_db()
    assert event.status == EventStatus.SCHEDULED
    meeting = Meeting.objects.select_related("slot").get(event=event)

    # 8. Each opens their agenda and downloads it: a PDF with the meeting, an .ics at the right time.
    for page, me, other, other_org in ((founder, w.founder, w.investor, "Lion City Ventures"),
                                       (investor, w.investor, w.founder, "Padi Sense")):
        page.get_by_test_id("ventures-nav").get_by_role("link", name="Events").click()
        page.get_by_role("link", name="VC Networking Night").click()
        page.get_by_test_id("agenda-link").click()
        expect(page.get_by_test_id("agenda-meeting")).to_have_count(1)
        expect(page.get_by_test_id("agenda-meeting")).to_contain_text(other.display_name)
        expect(page.get_by_test_id("agenda-meeting")).to_contain_text(other_org)
        j.check(page, f"agenda-{'founder' if me == w.founder else 'investor'}")
        with page.expect_download() as pdf:
            page.get_by_test_id("agenda-pdf").click()
        data = Path(pdf.value.path()).read_bytes()
        assert data.startswith(b"%PDF")
        text = pdf_text(data)
        assert "VC Networking Night" in text and me.display_name in text
        assert other.display_name in text and other_org in text
        zone = re.search(r"Times are in ([\w/+-]+)\.", text).group(1)  # the reader's time zone
        start, end = (moment.astimezone(ZoneInfo(zone)) for moment in (meeting.slot.starts_at, meeting.slot.ends_at))
        assert f"{start:%H:%M}–{end:%H:%M}" in text
        with page.expect_download() as ics:
            page.get_by_test_id("agenda-ics").click()
        calendar = Calendar.from_ical(Path(ics.value.path()).read_bytes())
        [item] = calendar.walk("VEVENT")
        assert item.decoded("dtstart") == meeting.slot.starts_at
        assert item.decoded("dtend") == meeting.slot.ends_at
        assert other_org in str(item["summary"])

    assert j.errors == [], "the console reported errors:\n" + "\n".join(j.errors)
