"""Introductions (double opt-in): who may ask, answer, withdraw and read, for every role; the
asker's view ("not now", never "declined"); the limits against spam; contacts and the thread after
acceptance; emails after commit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from forward.ventures import intros as service
from forward.ventures import permissions
from forward.ventures.models import Introduction, IntroMessage, IntroStatus

from .conftest import ROLES, committed

STARTUP_ACTING = {"founder", "teammate"}
FUND_ACTING = {"investor", "investor_staff"}


def asked(w, *, by=None, asker=None, target=None, note="We would like to meet.") -> Introduction:
    return service.ask(user=by or w.founder, asker=asker or w.startup_org, target=target or w.fund, note=note)


# --- the permission matrix ----------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_who_may_ask_for_a_startup(ventures, role):
    w = ventures
    user = w.actor(role)
    allowed = role in STARTUP_ACTING
    assert permissions.can_ask_intro(user, w.startup_org, w.fund) == allowed
    if allowed:
        assert asked(w, by=user).status == IntroStatus.OPEN
    else:
        with pytest.raises(PermissionDenied):
            asked(w, by=user)
        assert not Introduction.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_who_may_ask_for_an_investor(ventures, role):
    w = ventures
    user = w.actor(role)
    allowed = role in FUND_ACTING
    assert permissions.can_ask_intro(user, w.fund, w.startup_org) == allowed
    if not allowed:
        with pytest.raises(PermissionDenied):
            service.ask(user=user, asker=w.fund, target=w.startup_org, note="Hello")


@pytest.mark.parametrize("role", ROLES)
def test_who_may_answer_withdraw_and_read(ventures, role):
    w = ventures
    user = w.actor(role)
    intro = asked(w)
    sides = STARTUP_ACTING | FUND_ACTING
    # Seeing the request: the two sides only (operators included among the others: 404).
    if role in sides:
        assert service.visible(user=user, introduction_id=intro.pk) == intro
    else:
        with pytest.raises(service.NotFound):
            service.visible(user=user, introduction_id=intro.pk)
    assert permissions.can_withdraw_intro(user, intro) == (role in STARTUP_ACTING)
    assert permissions.can_answer_intro(user, intro) == (role in FUND_ACTING)
    if role in FUND_ACTING:
        service.accept(user=user, introduction=intro)
    elif role in STARTUP_ACTING:
        with pytest.raises(PermissionDenied):
            service.accept(user=user, introduction=intro)
        service.accept(user=w.investor, introduction=intro)
    else:
        with pytest.raises(service.NotFound):
            service.accept(user=user, introduction=intro)
        service.accept(user=w.investor, introduction=intro)
    intro.refresh_from_db()
    assert permissions.can_read_thread(user, intro) == (role in sides)
    if role in sides:
        message = service.post_message(user=user, introduction=intro, text="Hello from my side")
        assert list(service.thread(user=user, introduction=intro)) == [message]
    else:
        with pytest.raises(service.NotFound):
            service.post_message(user=user, introduction=intro, text="Let me in")
        with pytest.raises(service.NotFound):
            service.thread(user=user, introduction=intro)


@pytest.mark.parametrize("role", ROLES)
def test_lists_show_each_role_only_its_own(ventures, role):
    w = ventures
    intro = asked(w)
    user = w.actor(role)
    if not user.is_authenticated:
        return
    assert list(service.sent(user=user)) == ([intro] if role in STARTUP_ACTING else [])
    assert list(service.received(user=user)) == ([intro] if role in FUND_ACTING else [])


# --- asking -------------------------------------------------------------------------------------

def test_the_target_must_be_a_verified_organization_of_the_other_kind(ventures):
    w = ventures
    for target in (w.other_startup.organization, w.unverified_fund, w.centre, w.employer):
        with pytest.raises(PermissionDenied):
            asked(w, target=target)
    with pytest.raises(PermissionDenied):  # an unverified startup asks nobody
        service.ask(user=w.unverified_founder, asker=w.unverified_startup.organization, target=w.fund, note="Hi")


def test_the_note_is_required_and_bounded(ventures):
    w = ventures
    with pytest.raises(ValidationError, match="Write a short note"):
        asked(w, note="   ")
    with pytest.raises(ValidationError, match="under 1000 characters"):
        asked(w, note="x" * 1001)
    with pytest.raises(ValidationError, match="cannot be stored"):
        asked(w, note="nul\x00")


def test_one_open_request_per_pair_in_either_direction(ventures):
    w = ventures
    first = asked(w)
    with pytest.raises(service.AlreadyWaiting) as again:
        asked(w, by=w.teammate)
    assert again.value.introduction == first
    with pytest.raises(service.AnswerTheirs, match="Padi Sense has already asked") as theirs:
        service.ask(user=w.investor, asker=w.fund, target=w.startup_org, note="We would like to meet too")
    assert theirs.value.introduction == first
    assert Introduction.objects.count() == 1


def test_weekly_limit_counts_open_requests_of_the_last_seven_days(ventures, settings):
    w = ventures
    settings.FORWARD_INTRO_WEEKLY_LIMIT = 2
    asked(w)
    asked(w, target=w.other_fund)
    from tests.ventures.conftest import make_investor
    extra = make_investor(admin=w.outsider, name="Third Fund", country="SG").organization
    with pytest.raises(ValidationError, match="2 unanswered requests"):
        asked(w, target=extra)
    # An answered one no longer counts; nor does one older than 7 days.
    service.decline(user=w.other_investor, introduction=Introduction.objects.get(target=w.other_fund))
    assert asked(w, target=extra).status == IntroStatus.OPEN
    Introduction.objects.filter(target=extra).update(created_at=timezone.now() - timedelta(days=8))
    fourth = make_investor(admin=w.employer_admin, name="Fourth Fund", country="SG").organization
    assert asked(w, target=fourth).status == IntroStatus.OPEN


def test_no_new_request_within_90_days_of_a_decline(ventures):
    w = ventures
    intro = asked(w)
    service.decline(user=w.investor, introduction=intro)
    with pytest.raises(ValidationError, match="said not now to your last request; you can ask again from"):
        asked(w)
    # The one who declined may still ask the other way round.
    assert service.ask(user=w.investor, asker=w.fund, target=w.startup_org, note="Now we are ready").pk
    Introduction.objects.all().delete()
    intro = asked(w)
    service.decline(user=w.investor, introduction=intro)
    Introduction.objects.filter(pk=intro.pk).update(answered_at=timezone.now() - timedelta(days=91))
    assert asked(w).status == IntroStatus.OPEN


# --- answering ----------------------------------------------------------------------------------

def test_the_asker_sees_not_now_never_declined(ventures):
    w = ventures
    intro = asked(w)
    assert service.asker_status(intro) == "waiting"
    service.decline(user=w.investor, introduction=intro)
    intro.refresh_from_db()
    assert intro.status == IntroStatus.DECLINED
    assert service.asker_status(intro) == "not-now" and service.asker_label(intro) == "Not now"
    assert service.contacts(introduction=intro) == []
    with pytest.raises(ValidationError):
        service.accept(user=w.investor, introduction=intro)


def test_withdraw_while_open_only(ventures):
    w = ventures
    intro = asked(w)
    service.withdraw(user=w.teammate, introduction=intro)
    intro.refresh_from_db()
    assert intro.status == IntroStatus.WITHDRAWN and service.asker_status(intro) == "withdrawn"
    with pytest.raises(ValidationError, match="Only a request still waiting"):
        service.withdraw(user=w.founder, introduction=intro)
    with pytest.raises(ValidationError, match="already been answered or withdrawn"):
        service.accept(user=w.investor, introduction=intro)


def test_acceptance_shares_both_contacts(ventures):
    w = ventures
    intro = service.accept(user=w.investor_staff, introduction=asked(w))
    contacts = service.contacts(introduction=intro)
    assert [(c["organization"], c["name"], c["email"]) for c in contacts] == [
        ("Padi Sense", "Farah Founder", "founder@ventures.test"),
        ("Lion City Ventures", "Ana Analyst", "analyst@ventures.test")]


def test_emails_after_commit_to_the_right_people(ventures):
    w = ventures
    with committed():
        intro = asked(w)
    assert sorted(m.to[0] for m in mail.outbox) == ["analyst@ventures.test", "investor@ventures.test"]
    assert "Padi Sense asks to be introduced" in mail.outbox[0].subject
    assert "We would like to meet." in mail.outbox[0].body
    mail.outbox.clear()
    with committed():
        service.accept(user=w.investor, introduction=intro)
    assert [m.to for m in mail.outbox] == [["founder@ventures.test"]]
    assert "accepted your introduction" in mail.outbox[0].subject
    mail.outbox.clear()
    with committed():
        service.post_message(user=w.founder, introduction=intro, text="Secret numbers")
    assert sorted(m.to[0] for m in mail.outbox) == ["analyst@ventures.test", "investor@ventures.test"]
    assert "Secret numbers" not in mail.outbox[0].body  # the thread stays in the app
    mail.outbox.clear()
    with committed():
        service.post_message(user=w.investor, introduction=intro, text="Reply")
    assert sorted(m.to[0] for m in mail.outbox) == ["founder@ventures.test", "teammate@ventures.test"]


def test_a_decline_mails_nobody(ventures):
    w = ventures
    intro = asked(w)
    with committed():
        service.decline(user=w.investor, introduction=intro)
    assert mail.outbox == []


def test_nothing_mailed_when_the_transaction_rolls_back(ventures):
    w = ventures
    asked(w)  # no commit in this test's transaction: the callbacks never run
    assert mail.outbox == []


def test_thread_before_acceptance_is_refused(ventures):
    w = ventures
    intro = asked(w)
    with pytest.raises(ValidationError, match="once the introduction is accepted"):
        service.post_message(user=w.founder, introduction=intro, text="Hi")
    assert not IntroMessage.objects.exists()


def test_message_is_bounded(ventures):
    w = ventures
    intro = service.accept(user=w.investor, introduction=asked(w))
    with pytest.raises(ValidationError):
        service.post_message(user=w.founder, introduction=intro, text="")
    with pytest.raises(ValidationError):
        service.post_message(user=w.founder, introduction=intro, text="x" * 4001)


def test_operators_see_counts_only(ventures):
    w = ventures
    intro = service.accept(user=w.investor, introduction=asked(w))
    service.post_message(user=w.founder, introduction=intro, text="Private")
    assert service.counts() == {"open": 0, "accepted": 1, "declined": 0, "withdrawn": 0, "messages": 1}
    assert not permissions.can_read_thread(w.operator, intro)
    assert list(service.sent(user=w.operator)) == [] and list(service.accepted(user=w.operator)) == []
