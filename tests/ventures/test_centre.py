"""The innovation centre's rules: readiness scoring and privacy, the request queue with its
service-level targets, office hours, and the credit ledger — with a permission matrix for every
role of the ventures world (plus an SME's admin and staff)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from icalendar import Calendar

from forward.ventures import grants, readiness
from forward.ventures import services_centre as service
from forward.ventures.ics_centre import office_hours_calendar
from forward.ventures.models import GrantStatus, LedgerEntry, OfficeHourSlot, RequestStatus

from .centre_world import CENTRE_ROLES, answers, centre_world  # noqa: F401
from .conftest import ROLES, committed

pytestmark = pytest.mark.django_db
ALL_ROLES = ROLES + CENTRE_ROLES
STAFF = {"centre_admin", "centre_staff", "operator"}
STARTUP_ACTING = {"founder", "teammate"}


def actor(w, role):
    return w.actor(role)


def allowed(fn) -> bool:
    try:
        fn()
    except PermissionDenied:
        return False
    return True


# --- readiness -----------------------------------------------------------------------------------

def test_scoring_gives_a_level_per_area_and_overall():
    low = readiness.score(answers(1))
    assert low[1] == dict.fromkeys(readiness.AREAS, 1) and low[2] == 1
    top = readiness.score({q.id: len(q.options) - 1 for q in readiness.QUESTIONS})
    assert top[0] == dict.fromkeys(readiness.AREAS, 100) and top[2] == 5
    mixed = answers(3) | {q.id: 0 for q in readiness.QUESTIONS if q.area == "security"}
    _percents, levels, overall = readiness.score(mixed)
    assert levels["security"] == 1 and levels["cloud"] == 3 and overall == round((3 * 4 + 1) / 5)


def test_validation_names_each_unanswered_question():
    partial = answers(2)
    partial.pop("cloud.cost")
    partial["made.up"] = 1
    _clean, problems = readiness.validate(partial)
    assert any("made.up" in p for p in problems)
    assert any(str(readiness.BY_ID["cloud.cost"].text) in p for p in problems)


def test_radar_is_escaped_svg_with_a_title(centre_world):  # noqa: F811
    svg = str(readiness.radar_svg(dict.fromkeys(readiness.AREAS, 3), dict.fromkeys(readiness.AREAS, 2),
                                  title="<script>x</script>"))
    assert svg.startswith("<svg") and "radar-previous" in svg and "<script>" not in svg and "&lt;script&gt;" in svg
    assert "style=" not in svg


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_take_the_assessment_for_a_startup_and_an_sme(centre_world, role):  # noqa: F811
    w = centre_world
    user = actor(w, role)
    for org, acting in ((w.startup_org, STARTUP_ACTING), (w.sme, {"sme_admin", "sme_staff"})):
        ok = allowed(lambda org=org: service.assessment_submit(user=user, organization=org, answers=answers(2)))
        assert ok == (role in acting), (role, org.name)


def test_unverified_startup_may_take_it(centre_world):  # noqa: F811
    w = centre_world
    a = service.assessment_submit(user=w.unverified_founder, organization=w.unverified_startup.organization,
                                  answers=answers(4))
    assert a.overall == 4 and a.version == readiness.VERSION


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("shared", [True, False])
def test_who_sees_a_result(centre_world, role, shared):  # noqa: F811
    w = centre_world
    a = service.assessment_submit(user=w.founder, organization=w.startup_org, answers=answers(2),
                                  share_with=w.centre if shared else None)
    members = STARTUP_ACTING | {"startup_member"}
    expected = role in members or (shared and role in STAFF)
    from forward.ventures import permissions
    assert permissions.can_see_assessment(actor(w, role), a) == expected


def test_sharing_only_with_a_verified_centre(centre_world):  # noqa: F811
    w = centre_world
    with pytest.raises(ValidationError):
        service.assessment_submit(user=w.founder, organization=w.startup_org, answers=answers(2),
                                  share_with=w.unverified_centre)
    a = service.assessment_submit(user=w.founder, organization=w.startup_org, answers=answers(2))
    assert service.assessment_share(user=w.founder, assessment=a, centre=w.centre).shared_with == w.centre
    with pytest.raises(PermissionDenied):
        service.assessment_share(user=w.centre_admin, assessment=a, centre=None)


def test_results_are_kept_over_time_and_compared(centre_world):  # noqa: F811
    w = centre_world
    first = service.assessment_submit(user=w.founder, organization=w.startup_org, answers=answers(1))
    second = service.assessment_submit(user=w.teammate, organization=w.startup_org, answers=answers(3))
    assert service.previous_assessment(second) == first and service.previous_assessment(first) is None
    rows = readiness.rows(second.levels, second.scores, first.levels)
    assert all(r["change"] == 2 for r in rows)


def test_recommendations_for_weak_areas(centre_world):  # noqa: F811
    w = centre_world
    levels = dict.fromkeys(readiness.AREAS, 4) | {"cloud": 1}
    assert [s.slug for s in service.recommended_services(centre=w.centre, levels=levels)] == [
        "cloud-migration", "architecture-review"]
    assert list(service.recommended_courses(levels=levels)) == ["cloud"]


# --- requests and the queue ----------------------------------------------------------------------

def test_working_days_skip_weekends():
    friday = datetime(2026, 9, 4, 10, tzinfo=UTC)
    assert service.add_working_days(friday, 1).weekday() == 0
    assert (service.add_working_days(friday, 5) - friday).days == 7


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_request_a_service(centre_world, role):  # noqa: F811
    w = centre_world
    user = actor(w, role)
    ok = allowed(lambda: service.request_create(user=user, service=w.service, organization=w.startup_org))
    assert ok == (role in STARTUP_ACTING)
    ok = allowed(lambda: service.request_create(user=user, service=w.services[1], organization=w.sme))
    assert ok == (role in {"sme_admin", "sme_staff"})


def test_an_unverified_organization_cannot_ask(centre_world):  # noqa: F811
    w = centre_world
    with pytest.raises(PermissionDenied):
        service.request_create(user=w.unverified_founder, service=w.service,
                               organization=w.unverified_startup.organization)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_work_the_queue(centre_world, role):  # noqa: F811
    w = centre_world
    row = service.request_create(user=w.founder, service=w.service, organization=w.startup_org)
    ok = allowed(lambda: service.request_assign(actor=actor(w, role), service_request=row, expert=w.centre_staff))
    assert ok == (role in STAFF)
    from forward.ventures import permissions
    assert permissions.can_see_request(actor(w, role), row) == (role in STAFF | STARTUP_ACTING)


def test_the_request_lifecycle_with_history_and_mail(centre_world, mailoutbox):  # noqa: F811
    w = centre_world
    with committed():
        row = service.request_create(user=w.founder, service=w.service, organization=w.startup_org, note="Move ERP")
    assert {m.to[0] for m in mailoutbox} == {w.centre_admin.email, w.centre_staff.email}
    assert row.status == RequestStatus.REQUESTED and row.done_due > row.assign_due > row.created_at
    with pytest.raises(ValidationError, match="Assign"):
        service.request_move(actor=w.centre_admin, service_request=row, to_status=RequestStatus.IN_PROGRESS)
    with pytest.raises(ValidationError, match="staff"):
        service.request_assign(actor=w.centre_admin, service_request=row, expert=w.founder)
    mailoutbox.clear()
    with committed():
        row = service.request_assign(actor=w.centre_admin, service_request=row, expert=w.centre_staff)
    assert row.status == RequestStatus.ASSIGNED and row.expert == w.centre_staff
    assert {m.to[0] for m in mailoutbox} == {w.founder.email, w.centre_staff.email}
    row = service.request_move(actor=w.centre_staff, service_request=row, to_status=RequestStatus.IN_PROGRESS)
    with pytest.raises(ValidationError):
        service.request_cancel(user=w.founder, service_request=row)
    row = service.request_move(actor=w.centre_staff, service_request=row, to_status=RequestStatus.DONE)
    assert row.closed_at is not None
    assert row == service.request_move(actor=w.centre_staff, service_request=row, to_status=RequestStatus.DONE)
    assert [(e.from_status, e.to_status) for e in service.history(row)] == [
        ("", "requested"), ("requested", "assigned"), ("assigned", "in-progress"), ("in-progress", "done")]


def test_overdue_requests_are_flagged_and_filtered(centre_world):  # noqa: F811
    w = centre_world
    row = service.request_create(user=w.founder, service=w.service, organization=w.startup_org)
    later = row.assign_due + timedelta(minutes=1)
    assert not service.is_overdue(row) and service.is_overdue(row, later)
    assert list(service.queue(centre=w.centre, overdue=True, now=later)) == [row]
    assert list(service.queue(centre=w.centre, overdue=True)) == []
    service.request_assign(actor=w.centre_admin, service_request=row, expert=w.centre_staff)
    row.refresh_from_db()
    assert not service.is_overdue(row, later) and service.is_overdue(row, row.done_due + timedelta(seconds=1))


def test_requester_sees_only_their_requests(centre_world):  # noqa: F811
    w = centre_world
    mine = service.request_create(user=w.founder, service=w.service, organization=w.startup_org)
    service.request_create(user=w.sme_admin, service=w.service, organization=w.sme)
    assert list(service.requests_mine(user=w.teammate)) == [mine]
    assert list(service.requests_mine(user=w.startup_member)) == []
    assert service.queue(centre=w.centre).count() == 2


def test_a_double_request_is_refused(centre_world):  # noqa: F811
    w = centre_world
    service.request_create(user=w.founder, service=w.service, organization=w.startup_org)
    with pytest.raises(ValidationError, match="already requested"):
        service.request_create(user=w.teammate, service=w.service, organization=w.startup_org)


# --- office hours --------------------------------------------------------------------------------

def _slot(w, hours=24):
    start = timezone.now() + timedelta(hours=hours)
    return service.slot_create(actor=w.centre_admin, centre=w.centre, expert=w.centre_staff, starts_at=start,
                               ends_at=start + timedelta(minutes=30), topic="Cloud costs", where="Room 2")


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_publish_and_book_slots(centre_world, role):  # noqa: F811
    w = centre_world
    user = actor(w, role)
    start = timezone.now() + timedelta(days=2)
    assert allowed(lambda: service.slot_create(actor=user, centre=w.centre, expert=w.centre_staff,
                                               starts_at=start, ends_at=start + timedelta(minutes=30))) == (role in STAFF)
    slot = _slot(w, hours=80)
    assert allowed(lambda: service.slot_book(user=user, slot=slot, organization=w.startup_org)) == (
        role in STARTUP_ACTING)


def test_one_booking_per_slot_and_cancel_frees_it(centre_world, mailoutbox):  # noqa: F811
    w = centre_world
    slot = _slot(w)
    with committed():
        service.slot_book(user=w.founder, slot=slot, organization=w.startup_org)
    assert {m.to[0] for m in mailoutbox} == {w.founder.email, w.centre_staff.email}
    assert all(m.attachments[0][0] == "office-hours.ics" for m in mailoutbox)
    stale = OfficeHourSlot.objects.get(pk=slot.pk)
    stale.booked_by_org = None  # what a second browser tab believed
    with pytest.raises(ValidationError, match="no longer free"):
        service.slot_book(user=w.sme_admin, slot=stale, organization=w.sme)
    with pytest.raises(PermissionDenied):
        service.slot_cancel(user=w.sme_admin, slot=OfficeHourSlot.objects.get(pk=slot.pk))
    freed = service.slot_cancel(user=w.teammate, slot=OfficeHourSlot.objects.get(pk=slot.pk))
    assert freed.booked_by_org is None
    assert service.slot_book(user=w.sme_admin, slot=freed, organization=w.sme).booked_by_org == w.sme


def test_slot_rules(centre_world):  # noqa: F811
    w = centre_world
    now = timezone.now()
    with pytest.raises(ValidationError, match="future"):
        service.slot_create(actor=w.centre_admin, centre=w.centre, expert=w.centre_staff, starts_at=now,
                            ends_at=now + timedelta(hours=1))
    with pytest.raises(ValidationError, match="staff"):
        service.slot_create(actor=w.centre_admin, centre=w.centre, expert=w.founder,
                            starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=1, hours=1))
    _slot(w)
    with pytest.raises(ValidationError, match="already has a slot"):
        _slot(w)


def test_ics_is_utc_with_expert_and_attendee(centre_world):  # noqa: F811
    w = centre_world
    slot = service.slot_book(user=w.founder, slot=_slot(w), organization=w.startup_org)
    event = Calendar.from_ical(office_hours_calendar(slot=slot)).walk("VEVENT")[0]
    assert event.decoded("dtstart") == slot.starts_at and event.decoded("dtstart").utcoffset() == timedelta(0)
    assert str(event["organizer"]) == f"mailto:{w.centre_staff.email}"
    assert str(event["attendee"]) == f"mailto:{w.founder.email}"


# --- credits -------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_apply_and_decide(centre_world, role):  # noqa: F811
    w = centre_world
    user = actor(w, role)
    assert allowed(lambda: grants.grant_apply(user=user, budget=w.budget, startup=w.startup_org, amount="100",
                                              purpose="GPU hours")) == (role in STARTUP_ACTING)
    grant = grants.grant_apply(user=w.founder, budget=w.budget, startup=w.startup_org, amount="200", purpose="DB")
    assert allowed(lambda: grants.grant_approve(actor=user, grant=grant, amount="50")) == (role in STAFF)
    assert allowed(lambda: grants.budget_deposit(actor=user, budget=w.budget, amount="1")) == (role in STAFF)


def test_only_cohort_startups_may_apply(centre_world):  # noqa: F811
    w = centre_world
    with pytest.raises(ValidationError, match="cohort"):
        grants.grant_apply(user=w.other_founder, budget=w.budget, startup=w.other_startup.organization,
                           amount="100", purpose="x")  # rejected from the call


def test_balance_is_the_ledger_and_never_goes_below_zero(centre_world, mailoutbox):  # noqa: F811
    w = centre_world
    big = grants.grant_apply(user=w.founder, budget=w.budget, startup=w.startup_org, amount="9000", purpose="A")
    more = grants.grant_apply(user=w.founder, budget=w.budget, startup=w.startup_org, amount="3000", purpose="B")
    with pytest.raises(ValidationError, match="at most"):
        grants.grant_approve(actor=w.centre_admin, grant=big, amount="9000.01")
    with committed():
        grants.grant_approve(actor=w.centre_admin, grant=big, amount="8000")
    assert mailoutbox[-1].to == [w.founder.email] and "8000.00 USD" in mailoutbox[-1].subject
    assert grants.balance(w.budget) == Decimal("2000")
    with pytest.raises(ValidationError, match=r"2000\.00 USD left"):
        grants.grant_approve(actor=w.centre_admin, grant=more, amount="3000")
    grants.budget_deposit(actor=w.centre_admin, budget=w.budget, amount="1000")
    grants.grant_approve(actor=w.centre_admin, grant=more, amount="3000")
    assert grants.balance(w.budget) == 0
    with pytest.raises(ValidationError, match="already been decided"):
        grants.grant_approve(actor=w.centre_admin, grant=more, amount="1")
    assert [e.kind for e in LedgerEntry.objects.filter(budget=w.budget).order_by("pk")] == [
        "deposit", "grant", "deposit", "grant"]
    totals = grants.with_totals(type(w.budget).objects.filter(pk=w.budget.pk)).get()
    assert (totals.deposited, totals.granted, totals.balance) == (Decimal("11000"), Decimal("11000"), 0)


def test_reject_and_bad_amounts(centre_world):  # noqa: F811
    w = centre_world
    grant = grants.grant_apply(user=w.founder, budget=w.budget, startup=w.startup_org, amount="10", purpose="x")
    for bad in ("-1", "0", "abc", "1.001", "NaN"):
        with pytest.raises(ValidationError):
            grants.grant_approve(actor=w.centre_admin, grant=grant, amount=bad)
    assert grants.grant_reject(actor=w.centre_admin, grant=grant, note="Later").status == GrantStatus.REJECTED
    assert grants.balance(w.budget) == Decimal("10000")


def test_credits_granted_for_the_impact_app(centre_world):  # noqa: F811
    w = centre_world
    sgd = grants.budget_create(actor=w.operator, organizer=w.centre, name="SGD pot", currency="SGD", total="500")
    g1 = grants.grant_apply(user=w.founder, budget=w.budget, startup=w.startup_org, amount="700", purpose="x")
    g2 = grants.grant_apply(user=w.founder, budget=sgd, startup=w.startup_org, amount="200", purpose="y")
    grants.grant_approve(actor=w.centre_admin, grant=g1, amount="600")
    grants.grant_approve(actor=w.centre_admin, grant=g2, amount="150")
    result = grants.credits_granted()
    assert result.totals == {"SGD": Decimal("150"), "USD": Decimal("600")} and result.startups == 1
    assert grants.credits_granted(country="ID").totals == {}
    assert grants.credits_granted(since=timezone.now() + timedelta(seconds=5)).startups == 0
