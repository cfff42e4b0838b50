"""A learner passes a course and finds the certificate in the wallet, downloads the PDF, scans its
QR code and sees the credential verified; an operator revokes it and the same page then says
revoked (the reason only for the holder, the issuer's admins and operators); a tampered JWT
pasted on the verify page is rejected with the reason."""

import base64
import json

import pypdfium2
import pytest
import zxingcpp
from playwright.sync_api import expect

from forward.credentials.models import Credential, CredentialKind
from tests.academy.conftest import academy  # noqa: F401 - the academy world
from tests.browser.conftest import shot
from tests.browser.test_academy_journey import sign_in
from tests.credentials.conftest import POLICY, sit_quiz

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _scan(pdf_bytes: bytes) -> str:
    page = pypdfium2.PdfDocument(pdf_bytes)[0]
    image = page.render(scale=200 / 72).to_pil()
    codes = zxingcpp.read_barcodes(image)
    assert codes, "no QR code found on the certificate"
    return codes[0].text


def _tamper(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["credentialSubject"]["achievement"]["name"] = "Honorary Doctorate"
    return header + "." + base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode() + "." + signature


def test_pass_find_download_scan_verify_revoke(new_page, academy):  # noqa: F811
    from forward.academy import services
    from forward.academy.models import Assessment, Question, QuestionKind
    from forward.core.models import OrganizationKind
    from tests.conftest import make_organization, make_user

    w = academy
    w.course.grading_policy = POLICY
    w.course.save()
    quiz = Assessment.objects.create(course=w.course, title="Check")
    for i in range(4):
        Question.objects.create(assessment=quiz, kind=QuestionKind.NUMERIC, prompt=f"1+1 ({i})", correct=[2], order=i)
    services.enrol(user=w.student, run=w.uni_run)
    sit_quiz(w.student, quiz, right=4)
    operator = make_user("ops@forward.test", "Olivia Operator", is_staff=True)
    make_organization(creator=operator, name="Programme Office", kind=OrganizationKind.OPERATOR, country="SG")

    # The university admin releases the grades: the cohort is certified in the background.
    desk = new_page()
    desk.on("dialog", lambda dialog: dialog.accept())
    sign_in(desk, w.admin.email)
    desk.goto(f"/academy/runs/{w.uni_run.pk}/")
    desk.get_by_role("button", name="Release grades").click()
    expect(desk.get_by_test_id("certificates")).to_contain_text("2 certificates issued")

    # The learner finds both certificates in the wallet.
    phone = new_page(phone=True)
    sign_in(phone, w.student.email)
    phone.goto("/credentials/")
    expect(phone.get_by_test_id("wallet")).to_contain_text("Cloud Computing Fundamentals")
    shot(phone, "wallet-phone")
    credential = Credential.objects.get(recipient=w.student, kind=CredentialKind.COURSE_COMPLETION)
    phone.get_by_role("link", name="Cloud Computing Fundamentals", exact=True).click()
    expect(phone.get_by_test_id("verdict")).to_contain_text("Verified")
    expect(phone.get_by_test_id("holder")).to_have_text("Stu Dent")
    shot(phone, "credential-phone")
    # Tapping the share link selects it for copying (site.js; no onclick="…" under the CSP).
    share = phone.get_by_test_id("share-link")
    share.click()
    assert share.evaluate("el => [el.selectionStart, el.selectionEnd]") == [0, len(share.input_value())]

    # The PDF's QR code opens the public page, for anyone, and it verifies.
    pdf = phone.request.get(phone.get_by_test_id("pdf-link").get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
    url = _scan(pdf.body())
    assert url.endswith(f"/credentials/{credential.uuid}/")
    stranger = new_page()
    stranger.goto(url)
    expect(stranger.get_by_test_id("verdict")).to_contain_text("Verified")
    expect(stranger.get_by_test_id("checks")).to_contain_text("Signature")
    shot(stranger, "credential")

    # The operator revokes it; the same page now says revoked.
    ops = new_page()
    ops.on("dialog", lambda dialog: dialog.accept())
    sign_in(ops, operator.email)
    ops.goto(url)
    ops.get_by_label("Reason").fill("Exam taken by someone else")
    ops.get_by_role("button", name="Revoke credential").click()
    expect(ops.locator(".message")).to_contain_text("Revoked")
    stranger.reload()
    expect(stranger.get_by_test_id("verdict")).to_contain_text("Revoked")
    expect(stranger.get_by_test_id("revoked-note")).to_contain_text("Revoked on")
    expect(stranger.get_by_test_id("revoked-note")).not_to_contain_text("Exam taken by someone else")
    expect(ops.get_by_test_id("revoked-note")).to_contain_text("Exam taken by someone else")  # not for the public

    # A tampered JWT is rejected, with the reason.
    stranger.goto("/credentials/verify/")
    stranger.get_by_label("Credential").fill(_tamper(credential.jwt))
    stranger.get_by_role("button", name="Verify").click()
    expect(stranger.get_by_test_id("verdict")).to_contain_text("Not verified")
    expect(stranger.get_by_test_id("verdict")).to_contain_text("changed after it was signed")
    shot(stranger, "verify-tampered")
