"""A student redeems the voucher their university gave them, sits the timed certification exam and
holds the certification; the university's admin issues vouchers and sees them redeemed."""

import pytest
from playwright.sync_api import expect

from forward.academy import certifications
from forward.academy.models import Question, Voucher
from forward.core.models import Membership, OrganizationKind
from tests.academy.test_certifications import _certification
from tests.browser.conftest import shot
from tests.browser.test_academy_journey import sign_in
from tests.conftest import make_organization, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_issue_redeem_sit_and_hold(new_page):
    admin = make_user("admin@ntu.test", "Uni Admin")
    student = make_user("student@ntu.test", "Stu Dent")
    ntu = make_organization(creator=admin, name="NTU", kind=OrganizationKind.UNIVERSITY, country="SG")
    Membership.objects.create(user=student, organization=ntu)
    associate = _certification(ntu, "cloud-engineer-associate", "associate")
    _certification(ntu, "cloud-architect-professional", "professional", associate)

    desk = new_page()
    sign_in(desk, admin.email)
    desk.goto("/academy/certifications/")
    desk.get_by_role("link", name="Exam vouchers").click()
    desk.get_by_label("Certification").select_option(label="Cloud Engineer Associate")
    desk.get_by_label("Number of vouchers").fill("3")
    desk.get_by_role("button", name="Issue").click()
    expect(desk.locator(".message.success")).to_contain_text("3 vouchers issued")
    code = Voucher.objects.filter(organization=ntu).first().code

    page = new_page(phone=True)
    sign_in(page, student.email)
    page.goto("/academy/certifications/")
    shot(page, "certifications-phone")
    page.get_by_role("link", name="Cloud Engineer Associate").click()
    page.get_by_label("Voucher code").fill(code.lower())
    page.get_by_role("button", name="Redeem").click()
    expect(page.locator(".message.success")).to_contain_text("Voucher accepted")
    page.get_by_role("button", name="Start").click()
    expect(page.locator("[data-deadline]")).to_be_visible()
    for field in page.locator("fieldset.question input").all():
        qid = int(field.get_attribute("name")[1:])
        field.fill(str(Question.objects.get(pk=qid).correct[0]))
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_test_id("holding")).to_contain_text("You hold this certification")
    shot(page, "certification-held-phone")
    assert certifications.holding_status(user=student, certification=associate).state == "valid"

    desk.reload()
    expect(desk.get_by_test_id("vouchers")).to_contain_text("Stu Dent")
    shot(desk, "vouchers")
