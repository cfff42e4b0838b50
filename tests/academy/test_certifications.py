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
    Question,
    QuestionKind,
    Voucher,
)
from forward.core.models import Membership, OrganizationKind, Role
from forward.core.services import organization_create
from tests.conftest import client_for, make_user


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
    w.ntu = organization_create(creator=w.admin, name="NTU", kind=OrganizationKind.UNIVERSITY, country="SG")
    w.zju = organization_create(creator=w.other_admin, name="ZJU", kind=OrganizationKind.UNIVERSITY, country="CN")
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
    with pytest.raises(ValidationError, match="Redeem a voucher"):
        assessments.attempt_start(user=world.student, assessment=world.associate.exam)


def test_a_failed_exam_earns_nothing_and_a_new_voucher_buys_another_try(world):
    first, second = certifications.vouchers_issue(actor=world.admin, certification=world.associate,
                                                  organization=world.ntu, count=2)
    certifications.voucher_redeem(user=world.student, code=first.code)
    with pytest.raises(ValidationError, match="already have an exam to take"):
        certifications.voucher_redeem(user=world.student, code=second.code)
    _sit(world.student, world.associate, right=False)
    assert not CertificationHolding.objects.exists()
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
    assessments.open_attempt(user=world.student, assessment=world.associate.exam)  # a closed tab: marked late
    assert Attempt.objects.get(pk=attempt.pk).score == 0
    assert not CertificationHolding.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_people_racing_for_one_voucher(world):
    """Two requests redeem the same code at once: exactly one sitting, for one of them."""
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
