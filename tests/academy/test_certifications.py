"""Certification exams: vouchers redeemed once, prerequisites between levels, a timed exam whose
pass earns two years, renewal, and who sees an organization's vouchers."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from forward.academy import assessments, certifications
from forward.academy.models import (
    Assessment,
    AssessmentKind,
    Attempt,
    Certification,
    CertificationHolding,
    CertificationLevel,
    CertificationSitting,
    CourseStatus,
    Question,
    QuestionKind,
    Voucher,
)
from forward.core.models import Membership, OrganizationKind, Role
from tests.conftest import client_for, make_organization, make_user


class World:
    pass


def _certification(owner, slug, level, prerequisite=None) -> Certification:
    exam = Assessment.objects.create(course=None, kind=AssessmentKind.EXAM, title=f"{slug} exam",
                                     time_limit_minutes=60, questions_per_attempt=2, pass_mark=50)
    for i in range(4):
        Question.objects.create(assessment=exam, order=i, kind=QuestionKind.NUMERIC, prompt=f"{i}+1", correct=[i + 1])
    certification = Certification.objects.create(slug=slug, title=slug.replace("-", " ").title(), track="Cloud",
                                                 level=level, exam=exam, owner=owner)
    if prerequisite:
        certification.prerequisites.add(prerequisite)
    return certification


@pytest.fixture
def world(db) -> World:
    w = World()
    w.admin = make_user("admin@ntu.test", "Uni Admin")
    w.student = make_user("student@ntu.test", "Stu Dent")
    w.classmate = make_user("mate@ntu.test", "Class Mate")
    w.other_admin = make_user("admin@zju.test", "Other Admin")
    w.other_member = make_user("student@zju.test", "Other Student")
    w.ntu = make_organization(creator=w.admin, name="NTU", kind=OrganizationKind.UNIVERSITY, country="SG")
    w.zju = make_organization(creator=w.other_admin, name="ZJU", kind=OrganizationKind.UNIVERSITY, country="CN")
    Membership.objects.create(user=w.student, organization=w.ntu, role=Role.MEMBER)
    Membership.objects.create(user=w.classmate, organization=w.ntu, role=Role.MEMBER)
    Membership.objects.create(user=w.other_member, organization=w.zju, role=Role.MEMBER)
    w.associate = _certification(w.ntu, "cloud-engineer-associate", CertificationLevel.ASSOCIATE)
    w.professional = _certification(w.ntu, "cloud-architect-professional", CertificationLevel.PROFESSIONAL,
                                    w.associate)
    return w


def _sit(user, certification, *, right: bool = True) -> Attempt:
    attempt = assessments.attempt_start(user=user, assessment=certification.exam)
    for qid in attempt.question_ids:
        question = Question.objects.get(pk=qid)
        assessments.answer_save(user=user, attempt_id=attempt.pk, question_id=qid,
                                answer=str(question.correct[0] if right else -1))
    return assessments.attempt_submit(user=user, attempt_id=attempt.pk)


def test_a_voucher_buys_one_sitting_and_a_pass_earns_two_years(world):
    voucher, = certifications.vouchers_issue(actor=world.admin, certification=world.associate, organization=world.ntu,
                                             count=1)
    with pytest.raises(PermissionDenied):  # no voucher, no exam
        assessments.attempt_start(user=world.student, assessment=world.associate.exam)
    sitting = certifications.voucher_redeem(user=world.student, code=voucher.code.lower().replace("-", " "))
    assert sitting.voucher == voucher and Voucher.objects.get(pk=voucher.pk).redeemed_by == world.student
    # A double click gets the same sitting; someone else is told the code is used.
    assert certifications.voucher_redeem(user=world.student, code=voucher.code) == sitting
    with pytest.raises(ValidationError, match="already been used"):
        certifications.voucher_redeem(user=world.classmate, code=voucher.code)
    attempt = _sit(world.student, world.associate)
    assert assessments.results_visible(attempt)  # the exam closes for a candidate when they submit
    holding = CertificationHolding.objects.get(user=world.student)
    assert holding.attempt == attempt and holding.expires_at == attempt.submitted_at + timedelta(days=730)
    assert certifications.holding_status(user=world.student, certification=world.associate).state == "valid"
    # One attempt per voucher.
    with pytest.raises(PermissionDenied):  # its one attempt is used
        assessments.attempt_start(user=world.student, assessment=world.associate.exam)


def test_a_failed_exam_earns_nothing_and_a_new_voucher_buys_another_try(world):
    first, second = certifications.vouchers_issue(actor=world.admin, certification=world.associate,
                                                  organization=world.ntu, count=2)
    certifications.voucher_redeem(user=world.student, code=first.code)
    with pytest.raises(ValidationError, match="already have an exam to take"):
        certifications.voucher_redeem(user=world.student, code=second.code)
    failed = _sit(world.student, world.associate, right=False)
    assert not CertificationHolding.objects.exists()
    # The next sitting waits the retake period (14 days by default), whatever voucher is redeemed.
    with pytest.raises(ValidationError, match="waits 14 days: you can redeem a voucher for Cloud Engineer Associate "
                                              "from"):
        certifications.voucher_redeem(user=world.student, code=second.code)
    assert Voucher.objects.get(pk=second.pk).redeemed_by is None  # the refused voucher stays usable
    Attempt.objects.filter(pk=failed.pk).update(submitted_at=timezone.now() - timedelta(days=14, seconds=1))
    certifications.voucher_redeem(user=world.student, code=second.code)
    _sit(world.student, world.associate)
    assert CertificationHolding.objects.filter(user=world.student).count() == 1


def test_prerequisites_between_levels_and_bad_codes(world):
    pro, = certifications.vouchers_issue(actor=world.admin, certification=world.professional, organization=world.ntu,
                                         count=1)
    with pytest.raises(ValidationError, match="First hold a valid Cloud Engineer Associate"):
        certifications.voucher_redeem(user=world.student, code=pro.code)
    assert Voucher.objects.get(pk=pro.pk).redeemed_by is None  # a refused code stays usable
    with pytest.raises(ValidationError, match="not valid for this exam"):
        certifications.voucher_redeem(user=world.student, code="AAAA-BBBB-CCCC-DDDD")
    with pytest.raises(ValidationError, match="not valid for this exam"):
        certifications.voucher_redeem(user=world.student, code=pro.code, certification=world.associate)
    late, = certifications.vouchers_issue(actor=world.admin, certification=world.associate, organization=world.ntu,
                                          count=1, expires_at=timezone.now() + timedelta(days=1))
    Voucher.objects.filter(pk=late.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError, match="expired"):
        certifications.voucher_redeem(user=world.student, code=late.code)


def test_renewal_in_the_last_ninety_days_or_after_expiry(world):
    a, b, c = certifications.vouchers_issue(actor=world.admin, certification=world.associate, organization=world.ntu,
                                            count=3)
    certifications.voucher_redeem(user=world.student, code=a.code)
    first = _sit(world.student, world.associate)
    with pytest.raises(ValidationError, match="you can renew it from"):
        certifications.voucher_redeem(user=world.student, code=b.code)
    holding = CertificationHolding.objects.get(attempt=first)
    holding.expires_at = timezone.now() + timedelta(days=30)
    holding.save()
    assert certifications.holding_status(user=world.student, certification=world.associate).state == "renewal"
    certifications.voucher_redeem(user=world.student, code=b.code)
    renewed = _sit(world.student, world.associate)
    status = certifications.holding_status(user=world.student, certification=world.associate)
    assert status.state == "valid" and status.holding.attempt == renewed
    assert CertificationHolding.objects.filter(user=world.student).count() == 2  # the record keeps both
    CertificationHolding.objects.filter(user=world.student).update(expires_at=timezone.now() - timedelta(days=1))
    assert certifications.holding_status(user=world.student, certification=world.associate).state == "expired"
    # An expired associate no longer opens the professional exam.
    pro, = certifications.vouchers_issue(actor=world.admin, certification=world.professional, organization=world.ntu,
                                         count=1)
    with pytest.raises(ValidationError, match="First hold a valid"):
        certifications.voucher_redeem(user=world.student, code=pro.code)
    certifications.voucher_redeem(user=world.student, code=c.code)


def test_the_exam_deadline_is_kept_by_the_server(world):
    voucher, = certifications.vouchers_issue(actor=world.admin, certification=world.associate,
                                             organization=world.ntu, count=1)
    certifications.voucher_redeem(user=world.student, code=voucher.code)
    attempt = assessments.attempt_start(user=world.student, assessment=world.associate.exam)
    assert attempt.deadline is not None
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError, match="Time is up"):
        assessments.answer_save(user=world.student, attempt_id=attempt.pk, question_id=attempt.question_ids[0],
                                answer="1")
    assert assessments.open_attempt(user=world.student, assessment=world.associate.exam) is None  # a closed tab
    assert assessments.attempts_close_lapsed() == [attempt.pk]  # marked late by the periodic job
    assert Attempt.objects.get(pk=attempt.pk).score == 0
    assert not CertificationHolding.objects.exists()


def test_a_voucher_is_claimed_by_one_conditional_update(world):
    """The claim itself, without the row lock in front of it: the second claim changes no row."""
    voucher, = certifications.vouchers_issue(actor=world.admin, certification=world.associate,
                                             organization=world.ntu, count=1)
    now = timezone.now()
    assert certifications._voucher_claim(voucher_id=voucher.pk, user=world.student, now=now)
    assert not certifications._voucher_claim(voucher_id=voucher.pk, user=world.classmate, now=now)
    assert Voucher.objects.get(pk=voucher.pk).redeemed_by == world.student


@pytest.mark.django_db(transaction=True)
def test_two_people_racing_for_one_voucher(world):
    """Two requests redeem the same code at once: exactly one sitting, for one of them.

    On PostgreSQL the two transactions really overlap: the second blocks on the voucher's row lock,
    then reads it redeemed. On SQLite write transactions begin IMMEDIATE, so the second one waits
    for the first to commit before it reads anything: this checks that outcome, not the overlap
    (the conditional update that backs the lock is tested on its own above)."""
    voucher, = certifications.vouchers_issue(actor=world.admin, certification=world.associate,
                                             organization=world.ntu, count=1)
    barrier, outcomes = threading.Barrier(2), []

    def redeem(user):
        barrier.wait()
        try:
            certifications.voucher_redeem(user=user, code=voucher.code)
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=redeem, args=(u,)) for u in (world.student, world.classmate)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["This code has already been used.", "ok"]
    assert Voucher.objects.get(pk=voucher.pk).redeemed_by in (world.student, world.classmate)
    assert CertificationSitting.objects.filter(voucher=voucher).count() == 1


@pytest.mark.parametrize("who, status", [
    ("anonymous", 302), ("student", 404), ("other_admin", 200), ("other_member", 404), ("admin", 200)])
def test_only_an_organizations_admins_see_its_vouchers(world, who, status):
    voucher, = certifications.vouchers_issue(actor=world.admin, certification=world.associate,
                                             organization=world.ntu, count=1)
    client = client_for(None if who == "anonymous" else getattr(world, who))
    desk = client.get(reverse("academy:vouchers"))
    assert desk.status_code == status
    page = client.get(reverse("academy:vouchers"), {"org": "ntu"})
    csv = client.get(reverse("academy:vouchers_csv"), {"org": "ntu"})
    if who == "admin":
        assert voucher.code in page.content.decode() and voucher.code in csv.content.decode()
    else:
        assert page.status_code in (302, 404) and csv.status_code in (302, 404)
        assert voucher.code not in page.content.decode() + csv.content.decode()
    # Issuing for another organization by forging the form does nothing.
    client.post(reverse("academy:vouchers"), {"org": "ntu", "certification": world.associate.pk, "count": 5})
    assert Voucher.objects.filter(organization=world.ntu).count() == (6 if who == "admin" else 1)


def test_issuing_vouchers_checks_the_count(world):
    with pytest.raises(ValidationError, match="between 1 and 500"):
        certifications.vouchers_issue(actor=world.admin, certification=world.associate, organization=world.ntu,
                                      count=501)
    response = client_for(world.admin).post(reverse("academy:vouchers"),
                                            {"org": "ntu", "certification": world.associate.pk, "count": 0})
    assert "Ensure this value is greater than or equal to 1." in response.content.decode()
    assert not Voucher.objects.exists()


def test_a_candidate_redeems_and_sits_the_exam_through_the_pages(world):
    voucher, = certifications.vouchers_issue(actor=world.admin, certification=world.associate,
                                             organization=world.ntu, count=1)
    anonymous = client_for(None).get(reverse("academy:certification", args=[world.associate.slug]))
    assert anonymous.status_code == 200 and "Sign in to redeem a voucher" in anonymous.content.decode()
    client = client_for(world.student)
    url = reverse("academy:certification", args=[world.associate.slug])
    page = client.post(reverse("academy:certification_redeem", args=[world.associate.slug]),
                       {"code": "wrong"}, follow=True).content.decode()
    assert "This code is not valid for this exam." in page
    client.post(reverse("academy:certification_redeem", args=[world.associate.slug]), {"code": voucher.code})
    attempt_url = reverse("academy:certification_attempt", args=[world.associate.slug])
    client.post(attempt_url, {"action": "start"})
    attempt = Attempt.objects.get(user=world.student)
    answers = {f"q{qid}": str(Question.objects.get(pk=qid).correct[0]) for qid in attempt.question_ids}
    page = client.post(attempt_url, {"action": "submit", **answers}, follow=True).content.decode()
    assert "Submitted: 2 of 2 points." in page and 'data-testid="holding"' in page
    assert client.get(url).status_code == 200
    listing = client.get(reverse("academy:certifications")).content.decode()
    assert "Held until" in listing and "Cloud Architect Professional" in listing
    # Another person cannot post into the exam without a voucher.
    response = client_for(world.classmate).post(attempt_url, {"action": "start"}, follow=True)
    assert "Redeem an exam voucher" in response.content.decode()
    assert not Attempt.objects.filter(user=world.classmate).exists()


def test_the_certification_pages_make_a_constant_number_of_queries(world, django_assert_num_queries):
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.student)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("academy:certifications"))
    for i in range(6):
        _certification(world.ntu, f"extra-{i}", CertificationLevel.EXPERT, world.professional)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("academy:certifications"))
    certifications.vouchers_issue(actor=world.admin, certification=world.associate, organization=world.ntu, count=3)
    admin = client_for(world.admin)
    with CaptureQueriesContext(connection) as few:
        admin.get(reverse("academy:vouchers"))
    certifications.vouchers_issue(actor=world.admin, certification=world.associate, organization=world.ntu, count=40)
    with django_assert_num_queries(len(few.captured_queries)):
        admin.get(reverse("academy:vouchers"))


def test_codes_are_four_groups_of_unambiguous_characters(world):
    vouchers = certifications.vouchers_issue(actor=world.admin, certification=world.associate,
                                             organization=world.ntu, count=50)
    assert len({v.code for v in vouchers}) == 50
    for voucher in vouchers:
        groups = voucher.code.split("-")
        assert [len(g) for g in groups] == [4, 4, 4, 4]
        assert set("".join(groups)) <= set(certifications.ALPHABET) and not set("".join(groups)) & set("01IO")
    assert certifications.normalise_code(" " + vouchers[0].code.lower().replace("-", "") + " ") == vouchers[0].code


def test_only_admins_issue_and_only_for_published_certifications(world):
    for outsider in (world.student, world.other_admin, world.other_member):
        with pytest.raises(PermissionDenied):
            certifications.vouchers_issue(actor=outsider, certification=world.associate, organization=world.ntu,
                                          count=1)
    Certification.objects.filter(pk=world.associate.pk).update(status=CourseStatus.DRAFT)
    world.associate.refresh_from_db()
    with pytest.raises(ValidationError, match="not published"):
        certifications.vouchers_issue(actor=world.admin, certification=world.associate, organization=world.ntu,
                                      count=1)
    assert not Voucher.objects.exists()


def test_an_earlier_attempt_without_a_voucher_does_not_use_up_a_new_one(world):
    """Attempts made before (imported, or the demo's) count as used; a new voucher still buys one."""
    old = Attempt.objects.create(assessment=world.associate.exam, user=world.student, number=1,
                                 submitted_at=timezone.now() - timedelta(days=700), score=2, max_score=2)
    CertificationHolding.objects.create(user=world.student, certification=world.associate, attempt=old,
                                        earned_at=old.submitted_at, expires_at=old.submitted_at + timedelta(days=730))
    assert certifications.holding_status(user=world.student, certification=world.associate).state == "renewal"
    voucher, = certifications.vouchers_issue(actor=world.admin, certification=world.associate,
                                             organization=world.ntu, count=1)
    sitting = certifications.voucher_redeem(user=world.student, code=voucher.code)
    assert assessments.allowed_attempts(world.student, world.associate.exam) == 2
    attempt = assessments.attempt_start(user=world.student, assessment=world.associate.exam)
    # Starting twice (a second tab) resumes the same attempt; it is the sitting's.
    assert assessments.attempt_start(user=world.student, assessment=world.associate.exam) == attempt
    sitting.refresh_from_db()
    assert attempt.number == 2 and sitting.attempt == attempt
    assessments.attempt_submit(user=world.student, attempt_id=attempt.pk)
    with pytest.raises(PermissionDenied):  # its one attempt is used
        assessments.attempt_start(user=world.student, assessment=world.associate.exam)


def test_a_pass_is_recorded_once(world):
    voucher, = certifications.vouchers_issue(actor=world.admin, certification=world.associate,
                                             organization=world.ntu, count=1)
    certifications.voucher_redeem(user=world.student, code=voucher.code)
    attempt = _sit(world.student, world.associate)
    assessments.attempt_submit(user=world.student, attempt_id=attempt.pk)  # a second click
    again = certifications.attempt_marked(attempt=Attempt.objects.select_related("assessment").get(pk=attempt.pk))
    holding = CertificationHolding.objects.get(user=world.student)
    assert again == holding and holding.earned_at == attempt.submitted_at
    assert holding.attempt.sitting.voucher == voucher  # who, what, since, until, from which attempt and voucher


@pytest.mark.parametrize("who", ["anonymous", "student", "admin", "other_admin", "other_member"])
def test_only_a_candidate_with_a_voucher_sits_the_exam(world, who):
    """Without a redeemed voucher nobody starts the exam: not the admin who issued the codes, nor
    anyone from another organization; and the certification page shows no code to anyone."""
    voucher, = certifications.vouchers_issue(actor=world.admin, certification=world.associate,
                                             organization=world.ntu, count=1)
    user = None if who == "anonymous" else getattr(world, who)
    client = client_for(user)
    detail = client.get(reverse("academy:certification", args=[world.associate.slug]))
    assert detail.status_code == 200 and voucher.code not in detail.content.decode()
    attempt_url = reverse("academy:certification_attempt", args=[world.associate.slug])
    response = client.post(attempt_url, {"action": "start"})
    assert response.status_code == 302
    if who == "anonymous":
        assert response.url.startswith(reverse("account_login"))
        assert client.post(reverse("academy:certification_redeem", args=[world.associate.slug]),
                           {"code": voucher.code}).url.startswith(reverse("account_login"))
    assert not Attempt.objects.exists()
    assert client.get(attempt_url).status_code in (302, 405)  # the exam routes take POST only
    if user is not None:  # a code they were given opens the exam for them, and only them
        client.post(reverse("academy:certification_redeem", args=[world.associate.slug]), {"code": voucher.code})
        client.post(attempt_url, {"action": "start"})
        assert list(Attempt.objects.values_list("user_id", flat=True)) == [user.pk]
        others = [w for w in (world.student, world.admin, world.other_admin) if w != user]
        for other in others:
            client_for(other).post(attempt_url, {"action": "start"})
        assert Attempt.objects.count() == 1


def test_the_csv_lists_only_codes_still_usable(world):
    fresh, used, lapsed = certifications.vouchers_issue(actor=world.admin, certification=world.associate,
                                                        organization=world.ntu, count=3)
    certifications.voucher_redeem(user=world.student, code=used.code)
    Voucher.objects.filter(pk=lapsed.pk).update(expires_at=timezone.now() - timedelta(days=1))
    body = client_for(world.admin).get(reverse("academy:vouchers_csv"), {"org": "ntu"}).content.decode()
    assert fresh.code in body and used.code not in body and lapsed.code not in body


def test_the_site_nav_links_to_certifications(world):
    page = client_for(None).get(reverse("academy:certifications")).content.decode()
    link = f'<a href="{reverse("academy:certifications")}" aria-current="page">Certifications</a>'
    assert link in page
    assert f'<a href="{reverse("academy:catalogue")}" aria-current="page">' not in page
    catalogue = client_for(None).get(reverse("academy:catalogue")).content.decode()
    assert f'<a href="{reverse("academy:certifications")}">Certifications</a>' in catalogue


def test_the_detail_page_makes_a_constant_number_of_queries(world, django_assert_num_queries):
    from django.test.utils import CaptureQueriesContext

    vouchers = certifications.vouchers_issue(actor=world.admin, certification=world.associate,
                                             organization=world.ntu, count=3)
    certifications.voucher_redeem(user=world.student, code=vouchers[0].code)
    _sit(world.student, world.associate)
    client = client_for(world.student)
    url = reverse("academy:certification", args=[world.professional.slug])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for i in range(5):  # more prerequisites, more skills, a longer record
        world.professional.prerequisites.add(_certification(world.ntu, f"extra-{i}", CertificationLevel.ASSOCIATE))
    from forward.core.models import Skill

    world.professional.skills.add(*[Skill.objects.create(slug=f"s{i}", name=f"Skill {i}") for i in range(5)])
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_a_failed_sitting_waits_the_retake_period_of_its_certification(world):
    """The wait is a setting of each certification; the page says until when, and offers no code
    field until then; a pass sets no wait."""
    Certification.objects.filter(pk=world.associate.pk).update(retake_wait_days=3)
    world.associate.refresh_from_db()
    first, second = certifications.vouchers_issue(actor=world.admin, certification=world.associate,
                                                  organization=world.ntu, count=2)
    assert certifications.retake_from(user=world.student, certification=world.associate) is None
    certifications.voucher_redeem(user=world.student, code=first.code)
    failed = _sit(world.student, world.associate, right=False)
    until = certifications.retake_from(user=world.student, certification=world.associate)
    assert until == failed.submitted_at + timedelta(days=3)
    with pytest.raises(ValidationError, match="waits 3 days"):
        certifications.voucher_redeem(user=world.student, code=second.code)
    page = client_for(world.student).get(reverse("academy:certification", args=[world.associate.slug])).content.decode()
    assert 'data-testid="retake-wait"' in page and "waits 3 days" in page and 'name="code"' not in page
    # The same wait after a sitting the classmate failed does not hold anyone else back.
    assert certifications.retake_from(user=world.classmate, certification=world.associate) is None
    Attempt.objects.filter(pk=failed.pk).update(submitted_at=timezone.now() - timedelta(days=3, minutes=1))
    assert certifications.retake_from(user=world.student, certification=world.associate) is None
    certifications.voucher_redeem(user=world.student, code=second.code)


def test_a_certification_is_published_only_with_a_pool_three_times_its_draw(world):
    draft = _certification(world.ntu, "data-analyst-associate", CertificationLevel.ASSOCIATE)
    Certification.objects.filter(pk=draft.pk).update(status=CourseStatus.DRAFT)
    draft.refresh_from_db()
    exam = draft.exam  # draws 2 from a pool of 4: fewer than 3 × 2
    with pytest.raises(ValidationError, match="draws 2 questions from a pool of 4"):
        certifications.certification_publish(actor=world.admin, certification=draft)
    draft.status = CourseStatus.PUBLISHED
    with pytest.raises(ValidationError, match="at least 3 times"):
        draft.full_clean()  # the same rule for any form or the admin
    assert Certification.objects.get(pk=draft.pk).status == CourseStatus.DRAFT
    # Drawing every question is no better: the pool is the exam.
    Assessment.objects.filter(pk=exam.pk).update(questions_per_attempt=0)
    with pytest.raises(ValidationError, match="pool of 4"):
        certifications.certification_publish(actor=world.admin, certification=draft)
    Assessment.objects.filter(pk=exam.pk).update(questions_per_attempt=2)
    for i in range(4, 6):
        Question.objects.create(assessment=exam, order=i, kind=QuestionKind.NUMERIC, prompt=f"{i}+1", correct=[i + 1])
    with pytest.raises(PermissionDenied):  # another organization's admin
        certifications.certification_publish(actor=world.other_admin, certification=draft)
    published = certifications.certification_publish(actor=world.admin, certification=draft)
    assert published.status == CourseStatus.PUBLISHED
    published.full_clean()


def test_a_certification_result_shows_the_score_per_area_and_not_the_questions(world):
    exam = world.associate.exam
    Assessment.objects.filter(pk=exam.pk).update(pass_mark=75)
    for i, question in enumerate(exam.questions.order_by("order")):
        question.area = "Networking" if i % 2 == 0 else "Storage"
        question.prompt = f"Secret prompt {i}"
        question.explanation = f"Secret explanation {i}"
        question.save()
    voucher, = certifications.vouchers_issue(actor=world.admin, certification=world.associate,
                                             organization=world.ntu, count=1)
    client = client_for(world.student)
    client.post(reverse("academy:certification_redeem", args=[world.associate.slug]), {"code": voucher.code})
    attempt_url = reverse("academy:certification_attempt", args=[world.associate.slug])
    client.post(attempt_url, {"action": "start"})
    attempt = Attempt.objects.get(user=world.student)
    first, second = (Question.objects.get(pk=qid) for qid in attempt.question_ids)
    answers = {f"q{first.pk}": str(first.correct[0]), f"q{second.pk}": "-1"}  # one right, one wrong
    page = client.post(attempt_url, {"action": "submit", **answers}, follow=True).content.decode()
    assert "Submitted: 1 of 2 points." in page
    assert '<li class="message warning">Submitted: 1 of 2 points.</li>' in page  # not passed: no green banner
    assert 'data-testid="area-scores"' in page and "Not passed yet" in page
    scores = assessments.area_scores(attempt=Attempt.objects.get(pk=attempt.pk),
                                     questions={first.pk: first, second.pk: second})
    assert sum(row["score"] for row in scores) == 1 and sum(row["max_score"] for row in scores) == 2
    for row in scores:
        assert f"<td>{row['area']}</td>" in page
    # Nothing says which question was right or wrong, nor what was asked.
    assert 'data-testid="feedback"' not in page and "✗" not in page and "✓" not in page
    assert "Secret prompt" not in page and "Secret explanation" not in page


def test_area_scores_group_questions_and_count_those_without_an_area_as_general(world):
    exam = world.associate.exam
    questions = {q.pk: q for q in exam.questions.all()}
    ids = list(questions)
    Question.objects.filter(pk__in=ids[:2]).update(area="Security")
    questions = {q.pk: q for q in exam.questions.all()}
    attempt = Attempt(assessment=exam, user=world.student, question_ids=ids,
                      answers={str(ids[0]): str(questions[ids[0]].correct[0]), str(ids[2]): "-1"})
    assert assessments.area_scores(attempt=attempt, questions=questions) == [
        {"area": "Security", "score": 1.0, "max_score": 2.0, "percent": 50},
        {"area": "General", "score": 0.0, "max_score": 2.0, "percent": 0}]


def test_titles_name_the_level_once_in_the_readers_language(world):
    from django.utils import translation

    cert = Certification(title="Cloud Engineer – Associate", level=CertificationLevel.ASSOCIATE)
    assert cert.display_title == "Cloud Engineer – Associate" and cert.title_names_level
    with translation.override("zh-hans"):
        assert cert.display_title == "Cloud Engineer – 助理级"
    bare = Certification(title="Cloud Engineer", level=CertificationLevel.ASSOCIATE)
    assert bare.display_title == "Cloud Engineer" and not bare.title_names_level
    assert not Certification(title="Associateship", level=CertificationLevel.ASSOCIATE).title_names_level
    Certification.objects.filter(pk=world.associate.pk).update(title="Cloud Engineer – Associate")
    url = reverse("academy:certification", args=[world.associate.slug])
    page = client_for(None).get(url).content.decode()
    assert "<h1>Cloud Engineer – Associate</h1>" in page and "Associate Associate" not in page
    assert "valid for 2 years, then renewed by passing again" in page and "730 days" not in page
    Certification.objects.filter(pk=world.professional.pk).update(title="Cloud Architect")
    listing = client_for(None).get(reverse("academy:certifications")).content.decode()
    assert "Cloud Engineer – Associate</a>\n" in listing and '<span class="badge">Associate</span>' not in listing
    assert 'Cloud Architect</a> <span class="badge">Professional</span>' in listing


@pytest.mark.parametrize("days, text", [
    (730, "valid for 2 years"), (365, "valid for 1 year"), (180, "valid for 6 months"), (100, "valid for 100 days"),
    (1, "valid for 1 day")])
def test_validity_is_said_in_whole_years_or_months(days, text):
    assert certifications.validity_text(days) == text
