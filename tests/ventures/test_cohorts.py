"""Cohort calls and applications: the services' rules (eligibility, required answers, the deadline,
frozen answers, decisions mailed once), and who may do each, for every role."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from forward.ventures import cohorts as svc
from forward.ventures import permissions
from forward.ventures.models import (
    Answer,
    ApplicationStatus,
    Call,
    CallStatus,
    CohortApplication,
    QuestionKind,
    Stage,
)
from tests.ventures import cohorts_world
from tests.ventures.cohorts_world import JUDGE_ROLES, answer_all, pdf
from tests.ventures.conftest import ROLES, committed, make_startup

pytestmark = pytest.mark.django_db
cw = cohorts_world.cw

STAFF = {"centre_admin", "centre_staff", "operator"}


def actor(w, role):
    return w.actor(role)


def future(days=7):
    return timezone.now() + timedelta(days=days)


@pytest.mark.parametrize("role", ROLES + JUDGE_ROLES)
def test_who_may_create_a_call_in_the_centres_name(cw, role):
    user = actor(cw, role)
    if role in STAFF:
        call = svc.call_create(actor=user, organizer=cw.centre, title="Batch 2", deadline=future())
        assert call.status == CallStatus.DRAFT and call.organizer == cw.centre
    else:
        with pytest.raises(PermissionDenied):
            svc.call_create(actor=user, organizer=cw.centre, title="Batch 2", deadline=future())


def test_an_unverified_centre_runs_no_call(cw):
    with pytest.raises(PermissionDenied):
        svc.call_create(actor=cw.unverified_centre_admin, organizer=cw.unverified_centre, title="Fake",
                        deadline=future())


@pytest.mark.parametrize("role", ROLES + JUDGE_ROLES)
def test_who_sees_a_draft_call_and_who_sees_a_published_one(cw, role):
    draft = svc.call_create(actor=cw.centre_admin, organizer=cw.centre, title="Secret batch", deadline=future())
    user = actor(cw, role)
    listed = set(svc.calls_for(user=user).values_list("pk", flat=True))
    assert cw.call.pk in listed and permissions.can_view_call(user, cw.call)
    assert (draft.pk in listed) == (role in STAFF) == permissions.can_view_call(user, draft)


@pytest.mark.parametrize("role", ROLES + JUDGE_ROLES)
def test_who_may_apply_for_padi_sense(cw, role):
    new_call = svc.call_create(actor=cw.centre_admin, organizer=cw.centre, title="Batch 2", deadline=future())
    svc.question_add(actor=cw.centre_admin, call=new_call, kind=QuestionKind.TEXT, prompt="Why?")
    svc.call_publish(actor=cw.centre_admin, call=new_call)
    user = actor(cw, role)
    if role in {"founder", "teammate", "operator"}:
        application = svc.application_create(actor=user, call=new_call, organization=cw.startup_org)
        assert application.status == ApplicationStatus.DRAFT
    else:
        with pytest.raises(PermissionDenied):
            svc.application_create(actor=user, call=new_call, organization=cw.startup_org)


@pytest.mark.parametrize("role", ROLES + JUDGE_ROLES)
def test_who_sees_an_application(cw, role):
    visible = {"founder", "teammate", "operator", "centre_admin", "centre_staff", "judge"}
    assert permissions.can_view_application(actor(cw, role), cw.application) == (role in visible)
    # judge_b's panel scores only the other application; the conflicted judge sees that one only through panel A.
    visible_other = {"other_founder", "operator", "centre_admin", "centre_staff", "judge", "judge_b",
                     "conflicted_judge"}
    assert permissions.can_view_application(actor(cw, role), cw.other_application) == (role in visible_other)


def test_an_unverified_startup_may_apply_and_a_draft_is_nobody_elses(cw):
    assert permissions.can_view_application(cw.unverified_founder, cw.draft)
    assert not permissions.can_judge(cw.judge, cw.draft)  # drafts are never judged
    answer_all(cw, cw.draft, cw.unverified_founder)
    assert svc.application_submit(actor=cw.unverified_founder, application=cw.draft).status == "submitted"


def test_the_same_startup_applies_once(cw):
    again = svc.application_create(actor=cw.teammate, call=cw.call, organization=cw.startup_org)
    assert again.pk == cw.application.pk
    assert CohortApplication.objects.filter(call=cw.call, startup=cw.startup).count() == 1


def fresh(user):
    """The same person as a new request sees them (memberships are cached on the user object)."""
    return type(user).objects.get(pk=user.pk)


def test_submission_checks_required_answers_and_says_which(cw):
    startup = make_startup(admin=cw.founder, name="Second Try", country="MY", stage=Stage.SEED)
    founder = fresh(cw.founder)
    application = svc.application_create(actor=founder, call=cw.call, organization=startup.organization)
    svc.answers_save(actor=founder, application=application, answers={cw.q_text.pk: "Something"})
    with pytest.raises(ValidationError) as exc:
        svc.application_submit(actor=founder, application=application)
    assert "Which track?" in " ".join(exc.value.messages)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


@pytest.mark.parametrize("country, stage, message", [
    ("SG", Stage.SEED, "based in ID, MY"), ("MY", Stage.SERIES_A, "at the stages"),
])
def test_submission_checks_eligibility(cw, country, stage, message):
    startup = make_startup(admin=cw.founder, name="Elsewhere", country=country, stage=stage)
    founder = fresh(cw.founder)
    application = svc.application_create(actor=founder, call=cw.call, organization=startup.organization)
    answer_all(cw, application, founder)
    with pytest.raises(ValidationError, match=message):
        svc.application_submit(actor=founder, application=application)


def test_a_late_submission_is_refused_by_the_servers_clock(cw):
    application = cw.draft
    answer_all(cw, application, cw.unverified_founder)
    Call.objects.filter(pk=cw.call.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError, match="late applications are not accepted"):
        svc.application_submit(actor=cw.unverified_founder, application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT and application.submitted_at is None


def test_answers_are_checked_and_frozen_after_submission(cw):
    with pytest.raises(ValidationError) as exc:
        svc.answers_save(actor=cw.unverified_founder, application=cw.draft, answers={
            cw.q_text.pk: "x" * 201, cw.q_choice.pk: "Crypto", cw.q_number.pk: "1001"})
    text = " ".join(exc.value.messages)
    assert "at most 200 characters" in text and "choose one of the options" in text and "at most 1000" in text
    assert not Answer.objects.filter(application=cw.draft).exists()
    with pytest.raises(ValidationError, match="frozen"):
        svc.answers_save(actor=cw.founder, application=cw.application, answers={cw.q_text.pk: "Changed"})
    with pytest.raises(ValidationError, match="frozen"):
        svc.answer_file_save(actor=cw.founder, application=cw.application, question=cw.q_file, upload=pdf())
    assert Answer.objects.get(application=cw.application, question=cw.q_number).number == Decimal("12.00")


def test_a_file_answer_must_be_a_small_pdf(cw):
    with pytest.raises(ValidationError, match="not a PDF"):
        svc.answer_file_save(actor=cw.unverified_founder, application=cw.draft, question=cw.q_file,
                             upload=pdf("deck.pdf", b"<html>not a pdf</html>"))
    big = b"%PDF-" + b"0" * (svc.MAX_FILE_BYTES)
    with pytest.raises(ValidationError, match="larger than 5 MB"):
        svc.answer_file_save(actor=cw.unverified_founder, application=cw.draft, question=cw.q_file,
                             upload=pdf("deck.pdf", big))
    with pytest.raises(ValidationError, match="does not take a file"):
        svc.answer_file_save(actor=cw.unverified_founder, application=cw.draft, question=cw.q_text, upload=pdf())


def test_questions_change_only_in_draft(cw):
    with pytest.raises(ValidationError, match="only while the call is a draft"):
        svc.question_add(actor=cw.centre_admin, call=cw.call, kind=QuestionKind.TEXT, prompt="Late question")


@pytest.mark.parametrize("kind, kwargs, message", [
    (QuestionKind.CHOICE, {"options": ["Only one"]}, "2 to 20"),
    (QuestionKind.NUMBER, {"min_value": 5, "max_value": 1}, "minimum is larger"),
    ("essay", {}, "Unknown question kind"),
])
def test_bad_questions_are_refused(cw, kind, kwargs, message):
    draft = svc.call_create(actor=cw.centre_admin, organizer=cw.centre, title="B", deadline=future())
    with pytest.raises(ValidationError, match=message):
        svc.question_add(actor=cw.centre_admin, call=draft, kind=kind, prompt="Q", **kwargs)


def test_a_call_cannot_be_published_without_questions_or_with_a_past_deadline(cw):
    draft = svc.call_create(actor=cw.centre_admin, organizer=cw.centre, title="B", deadline=future())
    with pytest.raises(ValidationError, match="at least one question"):
        svc.call_publish(actor=cw.centre_admin, call=draft)
    with pytest.raises(ValidationError, match="in the past"):
        svc.call_create(actor=cw.centre_admin, organizer=cw.centre, title="B", deadline=future(-1))


def test_closing_stops_submissions(cw):
    svc.call_close(actor=cw.centre_staff, call=cw.call)
    answer_all_error = pytest.raises(ValidationError, match="no longer taking applications")
    with answer_all_error:
        svc.application_submit(actor=cw.unverified_founder, application=cw.draft)


@pytest.mark.parametrize("role", ROLES + JUDGE_ROLES)
def test_who_may_decide(cw, role):
    svc.call_close(actor=cw.centre_admin, call=cw.call)
    user = actor(cw, role)
    if role in STAFF:
        assert svc.application_decide(actor=user, application=cw.application, decision="accepted").status == "accepted"
    else:
        with pytest.raises(PermissionDenied):
            svc.application_decide(actor=user, application=cw.application, decision="accepted")


def test_decisions_wait_for_the_call_to_close(cw):
    with pytest.raises(ValidationError, match="Close the call"):
        svc.application_decide(actor=cw.centre_admin, application=cw.application, decision="accepted")


def test_each_decision_is_mailed_once_after_commit(cw):
    svc.call_close(actor=cw.centre_admin, call=cw.call)
    mail.outbox.clear()
    with committed():
        svc.application_decide(actor=cw.centre_admin, application=cw.application, decision="accepted")
        assert mail.outbox == []  # not before commit
    assert [m.to for m in mail.outbox] == [["founder@ventures.test"]]  # admins only, not staff or members
    assert "accepted" in mail.outbox[0].subject and "Padi Sense" in mail.outbox[0].subject
    with committed():  # deciding the same again: no second mail
        svc.application_decide(actor=cw.centre_admin, application=cw.application, decision="accepted")
    assert len(mail.outbox) == 1
    from forward.ventures import emails_cohorts
    assert emails_cohorts.decision(application_id=cw.application.pk) == 0  # a retried task sends nothing
    with committed():
        svc.applications_decide(actor=cw.centre_admin, call=cw.call,
                                application_ids=[cw.application.pk, cw.other_application.pk], decision="waitlisted")
    assert len(mail.outbox) == 3
    assert {m.to[0] for m in mail.outbox[1:]} == {"founder@ventures.test", "other-founder@ventures.test"}


def test_bulk_decisions_refuse_drafts_and_other_calls(cw):
    svc.call_close(actor=cw.centre_admin, call=cw.call)
    with pytest.raises(ValidationError, match="not submitted applications of this call"):
        svc.applications_decide(actor=cw.centre_admin, call=cw.call, application_ids=[cw.draft.pk],
                                decision="accepted")


def test_the_cohort_is_the_accepted_startups_and_public_once_decided(cw):
    svc.call_close(actor=cw.centre_admin, call=cw.call)
    svc.application_decide(actor=cw.centre_admin, application=cw.application, decision="accepted")
    with pytest.raises(ValidationError, match="no decision yet"):
        svc.call_mark_decided(actor=cw.centre_admin, call=cw.call)
    svc.application_decide(actor=cw.centre_admin, application=cw.other_application, decision="rejected")
    assert not permissions.can_view_cohort(cw.outsider, cw.call)
    call = svc.call_mark_decided(actor=cw.centre_admin, call=cw.call)
    assert permissions.can_view_cohort(cw.outsider, call)
    assert [a.startup for a in svc.cohort(call=call)] == [cw.startup]
    assert list(svc.cohorts_of(startup=cw.startup)) == [call]
    assert list(svc.cohorts_of(startup=cw.other_startup)) == []
