"""Networking event pages for every role: lists, the event, registering, marking, the staff page,
agendas and their files (PDF, .ics)."""

from __future__ import annotations

from datetime import timedelta

import pypdfium2 as pdfium
import pytest
from django.utils import timezone
from icalendar import Calendar

from forward.core.models import Organization, User
from forward.ventures import events as svc
from forward.ventures.models import Mark, Meeting, Registrant
from tests.conftest import client_for, make_user

from . import events_world
from .conftest import ROLES, committed, make_startup
from .events_world import RUNS_CENTRE, build, make_event, meetings, register, register_four

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_solver")]
fast_solver = events_world.fast_solver  # the fixture



def get(user, url):
    return client_for(user if user is not None and user.is_authenticated else None).get(url)


@pytest.mark.parametrize("role", ROLES)
def test_the_list_and_event_page_show_published_events_to_all_and_drafts_to_staff(ventures, role):
    w = ventures
    user = w.actor(role)
    draft = make_event(w, publish=False, title="Secret draft")
    published = make_event(w, title="Open night")
    page = get(user, "/ventures/events/")
    assert page.status_code == 200
    assert b"Open night" in page.content
    assert (b"Secret draft" in page.content) == (role in RUNS_CENTRE)
    assert get(user, f"/ventures/events/{published.pk}/").status_code == 200
    assert get(user, f"/ventures/events/{draft.pk}/").status_code == (200 if role in RUNS_CENTRE else 404)
    assert get(user, "/ventures/events/999999/").status_code == 404
    staff = get(user, f"/ventures/events/{published.pk}/staff/")
    assert staff.status_code == (200 if role in RUNS_CENTRE else 302 if role == "anonymous" else 404)


@pytest.mark.parametrize("role", ROLES)
def test_registering_from_the_event_page(ventures, role):
    w = ventures
    event = make_event(w)
    user = w.actor(role)
    slot = svc.slots_of(event)[0]
    choices = {"investor": f"investor:{w.fund.pk}", "startup": f"startup:{w.startup_org.pk}"}
    allowed = {"investor": {"investor", "investor_staff", "operator"}, "startup": {"founder", "teammate", "operator"}}
    for side, value in choices.items():
        response = client_for(None if role == "anonymous" else user).post(
            f"/ventures/events/{event.pk}/register/", {"acting_for": value, "max_meetings": "4", "slots": [slot.pk]})
        registrant = Registrant.objects.filter(event=event, user_id=getattr(user, "pk", None)).first()
        if role in allowed[side]:
            assert response.status_code == 302 and registrant is not None and registrant.side == side
            assert svc.available_slot_ids(registrant) == {slot.pk} and registrant.max_meetings == 4
            registrant.delete()
        else:
            assert registrant is None
    page = get(user, f"/ventures/events/{event.pk}/")
    can = role in allowed["investor"] | allowed["startup"] | {"other_founder", "other_investor"}
    assert (b'data-testid="register-form"' in page.content) == can


def test_the_marks_page_lists_the_other_side_and_saves_marks(ventures, django_assert_max_num_queries):
    w = ventures
    event = make_event(w)
    register_four(w, event)
    client = client_for(w.investor)
    url = f"/ventures/events/{event.pk}/marks/"
    page = client.get(url)
    assert page.status_code == 200
    assert b"Padi Sense" in page.content and b"Garuda Learn" in page.content
    assert b"Jade Harbour" not in page.content  # the same side is not listed
    response = client.post(url, {f"mark_{w.r_founder.pk}": "must", f"mark_{w.r_other_founder.pk}": "no"})
    assert response.status_code == 302
    assert dict(Mark.objects.filter(source=w.r_investor).values_list("target_id", "level")) == {
        w.r_founder.pk: "must", w.r_other_founder.pk: "no"}
    filtered = client.get(url + "?mark=must")
    assert b"Padi Sense" in filtered.content and b"Garuda Learn" not in filtered.content
    # Nobody sees how they were marked: the founder's page shows no mark of theirs on the investor.
    founder_page = client_for(w.founder).get(url)
    assert b'value="must" selected' not in founder_page.content
    # Someone not registered gets 404, as for a missing event.
    assert client_for(w.teammate).get(url).status_code == 404
    assert client_for(w.outsider).post(url, {f"mark_{w.r_founder.pk}": "must"}).status_code == 404


def _startups(event, n: int, start: int = 0):
    for i in range(start, start + n):
        user = make_user(f"f{i}@ventures.test", f"Founder {i}")
        org = make_startup(admin=user, name=f"Startup {i:03d}", country="MY", one_liner="We build things.").organization
        register(event, user, "startup", org)


def test_the_marks_page_takes_a_constant_number_of_queries(ventures, django_assert_max_num_queries):
    w = ventures
    event = make_event(w)
    investor = register(event, w.investor, "investor", w.fund)
    client = client_for(w.investor)
    _startups(event, 3)
    with django_assert_max_num_queries(14) as small:
        assert client.get(f"/ventures/events/{event.pk}/marks/").status_code == 200
    _startups(event, 30, start=3)
    Mark.objects.bulk_create([Mark(event=event, source=investor, target=r, level="want")
                              for r in Registrant.objects.filter(event=event, side="startup")[:10]])
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(f"/ventures/events/{event.pk}/marks/").status_code == 200


def test_the_list_and_staff_page_take_a_constant_number_of_queries(ventures, django_assert_max_num_queries):
    w = ventures
    event = make_event(w)
    _startups(event, 2)
    client = client_for(w.centre_staff)
    with django_assert_max_num_queries(20) as small_staff:
        assert client.get(f"/ventures/events/{event.pk}/staff/").status_code == 200
    with django_assert_max_num_queries(12) as small_list:
        assert client.get("/ventures/events/").status_code == 200
    for i in range(25):
        make_event(w, title=f"Event {i}")
    _startups(event, 25, start=2)
    with django_assert_max_num_queries(len(small_staff.captured_queries)):
        assert client.get(f"/ventures/events/{event.pk}/staff/").status_code == 200
    with django_assert_max_num_queries(len(small_list.captured_queries)):
        assert client.get("/ventures/events/").status_code == 200


def _scheduled(w):
    event = make_event(w)
    register_four(w, event)
    svc.marks_set(user=w.investor, event=event, marks={w.r_founder.pk: "must", w.r_other_founder.pk: "want"})
    svc.marks_set(user=w.founder, event=event, marks={w.r_investor.pk: "must"})
    return build(w, event)


AGENDA_OWN = {"founder": "r_founder", "investor": "r_investor", "other_founder": "r_other_founder",
              "other_investor": "r_other_investor"}


@pytest.mark.parametrize("role", ROLES)
def test_an_agenda_and_its_files_are_for_its_person_and_the_events_staff_only(ventures, role):
    w = ventures
    event = _scheduled(w)
    user = w.actor(role)
    base = f"/ventures/events/{event.pk}/agenda/{w.r_founder.pk}/"
    allowed = role in {"founder"} | RUNS_CENTRE
    for suffix in ("", "pdf/", "ics/"):
        response = get(user, base + suffix)
        expected = 200 if allowed else 302 if role == "anonymous" else 404
        assert response.status_code == expected, (role, suffix)
    own = get(user, f"/ventures/events/{event.pk}/agenda/")
    if role in AGENDA_OWN:
        assert own.status_code == 302
        assert own["Location"].endswith(f"/agenda/{getattr(w, AGENDA_OWN[role]).pk}/")
    else:
        assert own.status_code == (302 if role == "anonymous" else 404)


def test_the_agenda_page_pdf_and_ics_show_the_meetings(ventures):
    w = ventures
    event = _scheduled(w)
    User.objects.filter(pk=w.founder.pk).update(time_zone="Asia/Kuala_Lumpur")
    mine = [m for m in meetings(event) if m.startup_id == w.r_founder.pk]
    assert len(mine) == 1
    meeting = mine[0]
    client = client_for(User.objects.get(pk=w.founder.pk))
    page = client.get(f"/ventures/events/{event.pk}/agenda/{w.r_founder.pk}/")
    assert page.status_code == 200
    assert b"Ivan Investor" in page.content and b"Lion City Ventures" in page.content
    local = timezone.localtime(meeting.slot.starts_at, timezone=__import__("zoneinfo").ZoneInfo("Asia/Kuala_Lumpur"))
    assert local.strftime("%H:%M").encode() in page.content and b"+08" in page.content
    pdf = client.get(f"/ventures/events/{event.pk}/agenda/{w.r_founder.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    ics = client.get(f"/ventures/events/{event.pk}/agenda/{w.r_founder.pk}/ics/")
    assert ics["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(ics.content)
    items = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert len(items) == 1
    assert items[0].decoded("dtstart") == meeting.slot.starts_at
    assert items[0].decoded("dtend") == meeting.slot.ends_at
    assert "Lion City Ventures" in str(items[0]["summary"])
    assert f"Table {meeting.table}" in str(items[0]["location"])


def _pdf_text(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    try:
        return "".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def test_the_agenda_pdf_prints_chinese_names_and_organizations(ventures):
    """Helvetica has no Chinese glyphs: the agenda sets such names in a CID font and they read back."""
    w = ventures
    event = _scheduled(w)
    User.objects.filter(pk=w.investor.pk).update(name="陈美玲")
    Organization.objects.filter(pk=w.fund.pk).update(name="狮城创投")
    pdf = client_for(w.founder).get(f"/ventures/events/{event.pk}/agenda/{w.r_founder.pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert b"STSong-Light" in pdf.content
    text = _pdf_text(pdf.content)
    assert "陈美玲" in text and "狮城创投" in text
    assert "VC Networking Night" in text  # Latin text still prints
    staff_view = client_for(w.centre_staff).get(f"/ventures/events/{event.pk}/agenda/{w.r_investor.pk}/pdf/")
    assert "Agenda of 陈美玲, 狮城创投" in _pdf_text(staff_view.content)


def test_the_staff_page_shows_the_grid_the_figures_and_the_job(ventures):
    w = ventures
    event = _scheduled(w)
    page = client_for(w.centre_staff).get(f"/ventures/events/{event.pk}/staff/")
    assert page.status_code == 200
    assert b'data-testid="schedule-grid"' in page.content
    assert f"Total interest {event.value} of a proven best of at most {event.bound}".encode() in page.content
    assert Meeting.objects.filter(event=event).count() == page.content.count(b"\xc3\x97 ")  # "× startup" per cell


def test_staff_buttons_move_the_event_along(ventures):
    w = ventures
    event = make_event(w, publish=False)
    client = client_for(w.centre_admin)
    assert client.post(f"/ventures/events/{event.pk}/publish/").status_code == 302
    assert client.post(f"/ventures/events/{event.pk}/open-marking/").status_code == 302
    event.refresh_from_db()
    assert event.status == "marking"
    assert client_for(w.founder).post(f"/ventures/events/{event.pk}/close-marking/").status_code == 404
    with committed():
        assert client.post(f"/ventures/events/{event.pk}/close-marking/").status_code == 302
    event.refresh_from_db()
    assert event.status == "scheduled" and event.job == "done"
    assert client.post(f"/ventures/events/{event.pk}/late/", {"allowed": "1"}).status_code == 302
    event.refresh_from_db()
    assert event.late_registration
    page = client_for(w.other_founder).get(f"/ventures/events/{event.pk}/")
    assert b"late registrations" in page.content


def test_creating_an_event_from_the_form(ventures):
    w = ventures
    now = timezone.localtime(timezone.now())
    fmt = "%Y-%m-%dT%H:%M"
    data = {"organizer": w.centre.pk, "title": "Demo Day", "description": "Pitches", "venue": "Hall A",
            "time_zone": "Asia/Kuala_Lumpur", "tables": "5",
            "registration_deadline": (now + timedelta(days=1)).strftime(fmt),
            "marking_deadline": (now + timedelta(days=2)).strftime(fmt),
            "first_slot": (now + timedelta(days=3)).strftime(fmt), "slot_minutes": "15", "gap_minutes": "5",
            "slot_count": "6"}
    response = client_for(w.centre_staff).post("/ventures/events/new/", data)
    assert response.status_code == 302
    event = svc.events_for(user=w.centre_staff).get(title="Demo Day")
    assert len(svc.slots_of(event)) == 6 and event.tables == 5 and event.status == "draft"
    assert client_for(w.founder).get("/ventures/events/new/").status_code == 404


def test_the_marks_and_agenda_pages_keep_the_ventures_tabs(ventures):
    """From marking or an agenda a person goes on to their introductions, the cohorts or another event
    the way they do from every other ventures page: by its tabs."""
    w = ventures
    event = _scheduled(w)
    client = client_for(w.founder)
    for url in (f"/ventures/events/{event.pk}/marks/", f"/ventures/events/{event.pk}/agenda/{w.r_founder.pk}/"):
        page = client.get(url)
        assert page.status_code == 200
        assert b'data-testid="ventures-nav"' in page.content, url
        assert b'href="/ventures/introductions/"' in page.content, url
