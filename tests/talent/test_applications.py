"""Applications: eligibility, applying with a snapshot, the stages (one at a time and in bulk, all or
nothing), private notes, audit, and mail after commit in the applicant's language.

The `world` fixture here is shared by the other test_applications_* modules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from forward.core.models import AuditEvent, Membership, OrganizationKind, Role
from forward.credentials import services as credentials
from forward.credentials.documents import Award
from forward.credentials.models import CredentialKind
from forward.talent import applications as service
from forward.talent.models import (
    Application,
    ApplicationNote,
    Opening,
    Profile,
    Stage,
    StageChange,
    WhoMayApply,
)
from tests.conftest import make_organization, make_user


class World:
    def actor(self, role: str):
        return None if role == "anonymous" else getattr(self, role)


def issue(user, issuer, *, kind=CredentialKind.COURSE_COMPLETION, key="c1", name="Cloud basics", facts=None,
          valid_until=None):
    [credential] = credentials.issue([Award(
        recipient=user, issuer=issuer, kind=kind, achievement_key=key,
        achievement={"id": f"https://forward.test/achievements/{key}", "type": ["Achievement"],
                     "achievementType": "Certification" if kind == CredentialKind.CERTIFICATION else "Course",
                     "name": name, "description": name, "criteria": {"narrative": "Pass."}},
        name=name, detail="Distinction" if kind != CredentialKind.CERTIFICATION else "Cloud · professional",
        facts=facts or {}, valid_until=valid_until)])
    return credential


def make_opening(organization, **fields) -> Opening:
    now = timezone.now()
    values = {"title": "Data engineering intern", "status": "open", "published_at": now, "city": "Singapore",
              "country": "SG", "deadline": now + timedelta(days=30)}
    values.update(fields)
    return Opening.objects.create(organization=organization, **values)


@pytest.fixture
def world(db, settings):
    settings.SITE_URL = "https://forward.test"
    w = World()
    w.operator = make_user("operator@forward.test", "Opal Operator", is_staff=True)
    w.employer_admin = make_user("hr@straits.test", "Hana HR", time_zone="Asia/Singapore")
    w.employer_staff = make_user("recruiter@straits.test", "Rae Recruiter")
    w.employer_member = make_user("engineer@straits.test", "Eli Engineer")
    w.other_admin = make_user("hr@cloudwave.test", "Otto Other")
    w.unverified_admin = make_user("hr@shady.test", "Una Unverified")
    w.university_admin = make_user("careers@ntu.test", "Cara Careers")
    w.applicant = make_user("student@ntu.test", "Sam Student", country="SG", preferred_language="zh-hans")
    w.other_learner = make_user("other@ntu.test", "Lou Learner", country="MY")
    w.employer = make_organization(creator=w.employer_admin, name="Straits Fintech", kind=OrganizationKind.EMPLOYER,
                                   country="SG")
    Membership.objects.create(user=w.employer_staff, organization=w.employer, role=Role.STAFF)
    Membership.objects.create(user=w.employer_member, organization=w.employer, role=Role.MEMBER)
    w.other_employer = make_organization(creator=w.other_admin, name="Cloudwave", kind=OrganizationKind.EMPLOYER,
                                         country="CN")
    w.unverified = make_organization(creator=w.unverified_admin, name="Shady Jobs", kind=OrganizationKind.EMPLOYER,
                                     country="SG", verified=False)
    w.university = make_organization(creator=w.university_admin, name="NTU", kind=OrganizationKind.UNIVERSITY,
                                     country="SG")
    Membership.objects.create(user=w.applicant, organization=w.university, role=Role.MEMBER)
    w.course = issue(w.applicant, w.university, key="course", name="Cloud Computing Fundamentals",
                     facts={"grade": 0.91, "designation": "distinction", "skills": [{"slug": "cloud", "name": "Cloud"}]})
    w.certification = issue(w.applicant, w.university, kind=CredentialKind.CERTIFICATION, key="cert",
                            name="Cloud Professional", facts={"level": 2, "level_name": "professional"},
                            valid_until=timezone.now() + timedelta(days=700))
    w.opening = make_opening(w.employer)
    w.other_opening = make_opening(w.other_employer, title="ML intern")
    return w


def applied(w: World, user=None, opening=None, **kwargs) -> Application:
    user = user or w.applicant
    default = [w.course.uuid] if user == w.applicant else []
    return service.apply(user=user, opening=opening or w.opening, note=kwargs.pop("note", "Hello"),
                         include=kwargs.pop("include", default), **kwargs)


# --- eligibility -------------------------------------------------------------------------------------

def test_an_open_opening_with_no_conditions_is_open_to_everyone(world):
    assert service.eligibility(world.applicant, world.opening) == []
    assert service.eligibility(world.other_learner, world.opening) == []


def test_a_closed_or_past_deadline_opening_says_why(world):
    world.opening.status = "closed"
    world.opening.deadline = timezone.now() - timedelta(hours=1)
    reasons = service.eligibility(world.applicant, world.opening)
    assert any("not open" in r for r in reasons)
    assert any("deadline has passed" in r for r in reasons)


def test_students_only_names_the_universities(world):
    world.opening.who_may_apply = WhoMayApply.UNIVERSITIES
    world.opening.save()
    world.opening.universities.add(world.university)
    assert service.eligibility(world.applicant, world.opening) == []
    [reason] = service.eligibility(world.other_learner, world.opening)
    assert "NTU" in reason and "students" in reason


def test_countries_come_from_the_profile_or_else_the_account(world):
    world.opening.countries_eligible = ",SG,"
    assert service.eligibility(world.applicant, world.opening) == []  # no profile: the account says SG
    [reason] = service.eligibility(world.other_learner, world.opening)  # MY
    assert "SG" in reason and "MY" in reason
    Profile.objects.create(user=world.other_learner, countries=",MY,SG,")
    assert service.eligibility(world.other_learner, world.opening) == []
    nobody = world.employer_member  # no country anywhere
    [reason] = service.eligibility(nobody, world.opening)
    assert "Add the countries you can work in" in reason


def test_required_credentials_are_met_only_by_verified_current_holdings(world):
    world.opening.required_credentials = [{"kind": "certification", "level": 2}]
    assert service.eligibility(world.applicant, world.opening) == []
    world.opening.required_credentials = [{"kind": "certification", "level": 3}]
    [reason] = service.eligibility(world.applicant, world.opening)
    assert "expert" in reason
    world.opening.required_credentials = [{"kind": "certification", "level": 1}]
    credentials.revoke(actor=world.operator, credential=world.certification, reason="Exam taken by someone else.")
    [reason] = service.eligibility(world.applicant, world.opening)
    assert "certification" in reason
    issue(world.applicant, world.university, kind=CredentialKind.CERTIFICATION, key="old",
          facts={"level": 3}, valid_until=timezone.now() - timedelta(days=1))  # expired
    assert len(service.eligibility(world.applicant, world.opening)) == 1


# --- applying ----------------------------------------------------------------------------------------

def test_apply_keeps_a_snapshot_of_the_profile_as_sent(world):
    Profile.objects.create(user=world.applicant, headline="Cloud engineer in the making", countries=",SG,")
    application = applied(world, include=[world.course.uuid, world.certification.uuid])
    snapshot = application.snapshot
    assert snapshot["self_declared"]["headline"] == "Cloud engineer in the making"
    assert [v["name"] for v in snapshot["verified"]] == ["Cloud Computing Fundamentals", "Cloud Professional"]
    course = snapshot["verified"][0]
    assert course["kind"] == "course_completion" and course["facts"]["grade"] == 0.91
    assert course["url"] == f"https://forward.test/credentials/{world.course.uuid}/"
    # Later edits to the profile do not change what was sent.
    Profile.objects.filter(user=world.applicant).update(headline="Changed")
    application.refresh_from_db()
    assert application.snapshot["self_declared"]["headline"] == "Cloud engineer in the making"
    assert list(application.changes.values_list("from_stage", "to_stage")) == [("", "applied")]
    assert AuditEvent.objects.filter(action="talent.application.create", actor=world.applicant).exists()


def test_apply_creates_the_profile_when_there_is_none(world):
    assert not Profile.objects.filter(user=world.applicant).exists()
    applied(world)
    assert Profile.objects.filter(user=world.applicant, visibility="hidden").exists()


def test_only_own_unrevoked_credentials_may_be_included(world):
    theirs = issue(world.other_learner, world.university, key="theirs")
    with pytest.raises(ValidationError, match="not yours"):
        applied(world, include=[theirs.uuid])
    credentials.revoke(actor=world.operator, credential=world.course, reason="Plagiarism found.")
    with pytest.raises(ValidationError, match="revoked"):
        applied(world, include=[world.course.uuid])
    with pytest.raises(ValidationError, match="not an achievement"):
        applied(world, include=["not-a-uuid"])
    assert not Application.objects.exists()


def test_one_application_per_person_per_opening(world):
    first = applied(world)
    with pytest.raises(service.AlreadyApplied) as caught:
        applied(world)
    assert caught.value.application.pk == first.pk
    assert Application.objects.count() == 1


def test_the_database_refuses_a_second_row_and_the_service_answers_kindly(world, monkeypatch):
    """Two requests that both pass the first check: the constraint decides, the loser gets AlreadyApplied."""
    first = applied(world)
    real_filter = Application.objects.filter
    calls = {"n": 0}

    def stale_filter(*args, **kwargs):  # the first look finds nothing, as a concurrent request would
        calls["n"] += 1
        if calls["n"] == 1:
            return Application.objects.none()
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(Application.objects, "filter", stale_filter)
    with pytest.raises(service.AlreadyApplied) as caught:
        applied(world)
    assert caught.value.application.pk == first.pk
    assert Application.objects.count() == 1


def test_an_ineligible_applicant_is_told_why_and_nothing_is_stored(world):
    world.opening.status = "closed"
    world.opening.save()
    with pytest.raises(ValidationError, match="not open"):
        applied(world)
    assert not Application.objects.exists() and not StageChange.objects.exists()


# --- stages ------------------------------------------------------------------------------------------

def test_the_pipeline_applied_to_hired(world, django_capture_on_commit_callbacks):
    application = applied(world)
    with django_capture_on_commit_callbacks(execute=True):
        for stage in ("screening", "interview", "offer"):
            service.move(actor=world.employer_staff, application_ids=[application.pk], to_stage=stage)
        service.accept_offer(user=world.applicant, application=application)
    application.refresh_from_db()
    assert application.stage == Stage.HIRED and application.offer_accepted_at is not None
    assert list(application.changes.values_list("from_stage", "to_stage")) == [
        ("", "applied"), ("applied", "screening"), ("screening", "interview"), ("interview", "offer"),
        ("offer", "hired")]
    actors = list(application.changes.values_list("actor__email", flat=True))
    assert actors == ["student@ntu.test"] + ["recruiter@straits.test"] * 3 + ["student@ntu.test"]
    events = AuditEvent.objects.filter(action="talent.application.stage", target=f"application:{application.pk}")
    assert [(e.data["from"], e.data["to"]) for e in events.order_by("pk")] == [
        ("applied", "screening"), ("screening", "interview"), ("interview", "offer"), ("offer", "hired")]
    # Four mails to the applicant (screening, interview, offer, hired) and one to the recruiter who
    # worked the application: the offer was accepted.
    assert sorted(m.to[0] for m in mail.outbox) == ["recruiter@straits.test"] + ["student@ntu.test"] * 4
    to_employer = next(m for m in mail.outbox if m.to == ["recruiter@straits.test"])
    assert "Sam Student accepted your offer" in to_employer.body
    with pytest.raises(ValidationError, match="cannot withdraw"):
        service.withdraw(user=world.applicant, application=application)


@pytest.mark.parametrize(("start", "to", "message"), [
    ("applied", "offer", "cannot go from Applied to Offer"),
    ("offer", "hired", "accepts it"),
    ("applied", "withdrawn", "Only the applicant"),
    ("rejected", "screening", "final"),
    ("screening", "screening", "already"),
    ("applied", "nonsense", "not a stage"),
])
def test_refused_moves_say_why(world, start, to, message):
    application = applied(world)
    Application.objects.filter(pk=application.pk).update(stage=start)
    with pytest.raises(ValidationError, match=message):
        service.move(actor=world.employer_admin, application_ids=[application.pk], to_stage=to)
    application.refresh_from_db()
    assert application.stage == start
    assert application.changes.count() == 1


def test_rejected_from_any_open_stage(world):
    for stage in service.OPEN_STAGES:
        application = applied(world, user=make_user(f"{stage}@x.test"))
        Application.objects.filter(pk=application.pk).update(stage=stage)
        service.move(actor=world.employer_admin, application_ids=[application.pk], to_stage="rejected")
        application.refresh_from_db()
        assert application.stage == "rejected"


def test_bulk_is_all_or_nothing_with_a_reason_per_row(world, django_capture_on_commit_callbacks):
    a = applied(world)
    b = applied(world, user=world.other_learner, include=[])
    c = applied(world, user=make_user("third@x.test"), include=[])
    Application.objects.filter(pk=c.pk).update(stage="hired")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(service.BulkRefused) as caught:
        service.move(actor=world.employer_admin, application_ids=[a.pk, b.pk, c.pk], to_stage="screening")
    assert [r.application_id for r in caught.value.refusals] == [c.pk]
    assert "final" in caught.value.refusals[0].reason
    assert set(Application.objects.values_list("stage", flat=True)) == {"applied", "hired"}
    assert StageChange.objects.count() == 3  # the three "applied"
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        moved = service.move(actor=world.employer_admin, application_ids=[a.pk, b.pk], to_stage="screening")
    assert len(moved) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["other@ntu.test", "student@ntu.test"]  # one each


def test_another_employers_ids_are_not_found_and_nothing_moves(world):
    mine = applied(world)
    theirs = applied(world, opening=world.other_opening)
    for actor in (world.other_admin, world.unverified_admin, world.operator, world.university_admin,
                  world.employer_member, world.applicant):
        with pytest.raises(service.NotFound):
            service.move(actor=actor, application_ids=[mine.pk], to_stage="screening")
    with pytest.raises(service.NotFound):
        service.move(actor=world.employer_admin, application_ids=[mine.pk, theirs.pk], to_stage="screening")
    with pytest.raises(service.NotFound):
        service.move(actor=world.employer_admin, application_ids=[mine.pk, 987654], to_stage="screening")
    assert set(Application.objects.values_list("stage", flat=True)) == {"applied"}


def test_mail_is_sent_only_after_commit_and_in_the_applicants_language(world, django_capture_on_commit_callbacks):
    application = applied(world)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        service.move(actor=world.employer_admin, application_ids=[application.pk], to_stage="screening")
    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()
    [message] = mail.outbox
    assert message.to == ["student@ntu.test"]
    assert "Straits Fintech" in message.subject
    assert "年" in message.body  # the date as Simplified Chinese writes it
    assert f"/talent/applications/{application.pk}/" in message.body


def test_a_move_that_rolls_back_sends_nothing(world, django_capture_on_commit_callbacks):
    from django.db import transaction

    application = applied(world)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                service.move(actor=world.employer_admin, application_ids=[application.pk], to_stage="screening")
                raise RuntimeError("something later failed")
        except RuntimeError:
            pass
    assert mail.outbox == []
    application.refresh_from_db()
    assert application.stage == "applied"


def test_withdraw_and_decline_are_the_applicants(world):
    application = applied(world)
    with pytest.raises(service.NotFound):
        service.withdraw(user=world.other_learner, application=application)
    with pytest.raises(ValidationError, match="no offer"):
        service.decline_offer(user=world.applicant, application=application)
    service.withdraw(user=world.applicant, application=application)
    application.refresh_from_db()
    assert application.stage == "withdrawn"
    with pytest.raises(ValidationError):
        service.withdraw(user=world.applicant, application=application)
    offer = applied(world, opening=make_opening(world.employer, title="Second"))
    Application.objects.filter(pk=offer.pk).update(stage="offer")
    service.decline_offer(user=world.applicant, application=offer)
    offer.refresh_from_db()
    assert offer.stage == "declined" and offer.offer_accepted_at is None


# --- notes -------------------------------------------------------------------------------------------

def test_notes_belong_to_the_employers_organization(world):
    application = applied(world)
    note = service.note_add(actor=world.employer_staff, application=application, text="Strong SQL; ask about Spark.")
    assert note.organization == world.employer and note.author == world.employer_staff
    for actor in (world.applicant, world.other_admin, world.university_admin, world.operator,
                  world.employer_member, world.unverified_admin):
        with pytest.raises(service.NotFound):
            service.note_add(actor=actor, application=application, text="x")
    with pytest.raises(ValidationError, match="Write the note"):
        service.note_add(actor=world.employer_admin, application=application, text="   ")
    assert ApplicationNote.objects.count() == 1
    assert AuditEvent.objects.filter(action="talent.application.note").count() == 1


def test_a_university_sees_its_students_placements_without_notes(world):
    application = applied(world)
    service.note_add(actor=world.employer_admin, application=application, text="PRIVATE")
    applied(world, user=world.other_learner)  # not an NTU student
    rows = list(service.placements(university=world.university))
    assert [(r.applicant.email, r.opening.title, r.stage) for r in rows] == [
        ("student@ntu.test", "Data engineering intern", "applied")]
    assert not hasattr(rows[0], "notes_count")


def test_a_withdrawal_with_nobody_working_it_goes_to_the_employers_admins(world, django_capture_on_commit_callbacks):
    application = applied(world)
    with django_capture_on_commit_callbacks(execute=True):
        service.withdraw(user=world.applicant, application=application)
    assert sorted(m.to[0] for m in mail.outbox) == ["hr@straits.test", "student@ntu.test"]
    to_employer = next(m for m in mail.outbox if m.to == ["hr@straits.test"])
    assert "Sam Student withdrew" in to_employer.body
    assert f"/talent/applications/{application.pk}/review/" in to_employer.body
