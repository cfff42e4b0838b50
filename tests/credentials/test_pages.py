"""Revocation, verification by anyone (page, upload, API), the wallet, and who may do what."""

import base64
import json

import pytest
from django.core.exceptions import ValidationError

from forward.academy import services as academy_services
from forward.core.models import AuditEvent
from forward.credentials import keys, services
from forward.credentials.models import Credential, CredentialKind
from tests.conftest import client_for

from .conftest import release


@pytest.fixture
def issued(cohort):
    release(cohort)
    cohort.credential = Credential.objects.get(recipient=cohort.pass_, kind=CredentialKind.COURSE_COMPLETION)
    return cohort


def _tamper_jwt(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["credentialSubject"]["achievement"]["name"] = "Quantum Computing Mastery"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def test_an_operator_revokes_with_a_reason_and_every_verifier_then_says_revoked(issued):
    credential = issued.credential
    ops = client_for(issued.operator)
    response = ops.post(f"/credentials/{credential.uuid}/revoke/", {"reason": "Academic misconduct found on review"})
    assert response.status_code == 302
    credential.refresh_from_db()
    assert credential.revoked_at and credential.revocation_reason == "Academic misconduct found on review"
    assert Credential.objects.filter(pk=credential.pk).exists()  # a status change, never a delete
    page = client_for(None).get(f"/credentials/{credential.uuid}/").content.decode()
    assert "Revoked" in page and "Academic misconduct" not in page  # the reason is not for the public
    api = client_for(None).post("/api/v1/credentials/verify", credential.jwt, content_type="application/jwt").json()
    assert api["verified"] is False and api["revoked"] is True and "revoked" in api["reason"]
    assert AuditEvent.objects.filter(action="credential.revoke", target=str(credential.uuid)).exists()
    again = ops.post(f"/credentials/{credential.uuid}/revoke/", {"reason": "twice"}, follow=True).content.decode()
    assert "already revoked" in again


@pytest.mark.parametrize("who,sees", [
    ("anonymous", False), ("outsider", False), ("other_admin", False), ("plain_member", False),
    ("pass_", True), ("admin", True), ("operator", True)])
def test_only_the_holder_the_issuers_admins_and_operators_see_why_it_was_revoked(issued, who, sees):
    services.revoke(actor=issued.operator, credential=issued.credential, reason="Academic misconduct found")
    user = None if who == "anonymous" else getattr(issued, who)
    page = client_for(user).get(f"/credentials/{issued.credential.uuid}/").content.decode()
    note = page.split('data-testid="revoked-note">', 1)[1].split("</p>", 1)[0]
    assert "Revoked on" in note  # everyone sees that, and when
    assert ("Academic misconduct found" in page) is sees
    # what anyone can verify says revoked, never why
    api = client_for(None).post("/api/v1/credentials/verify", issued.credential.jwt, content_type="text/plain").json()
    assert api["revoked"] is True and "misconduct" not in json.dumps(api)
    checked = client_for(user).post("/credentials/verify/", {"credential": issued.credential.jwt}).content.decode()
    assert "Revoked" in checked and "misconduct" not in checked


def test_revoking_needs_a_reason(issued):
    response = client_for(issued.admin).post(f"/credentials/{issued.credential.uuid}/revoke/", {"reason": "  "},
                                             follow=True)
    assert "Give the reason" in response.content.decode()
    issued.credential.refresh_from_db()
    assert issued.credential.revoked_at is None


@pytest.mark.parametrize("reason", ["", " \n ", None])
def test_revoking_without_a_reason_says_exactly_what_to_give_and_changes_nothing(issued, reason):
    with pytest.raises(ValidationError) as refused:
        services.revoke(actor=issued.admin, credential=issued.credential, reason=reason)
    assert refused.value.messages == ["Give the reason for revoking; the holder and the audit log will see it."]
    issued.credential.refresh_from_db()
    assert issued.credential.revoked_at is None and issued.credential.revocation_reason == ""


@pytest.mark.parametrize("who,status", [
    ("anonymous", 302), ("outsider", 403), ("other_admin", 403), ("plain_member", 403), ("pass_", 403),
    ("admin", 302), ("operator", 302)])
def test_only_the_issuers_admins_and_operators_revoke(issued, who, status):
    user = None if who == "anonymous" else getattr(issued, who)
    response = client_for(user).post(f"/credentials/{issued.credential.uuid}/revoke/", {"reason": "Because"})
    assert response.status_code == status
    issued.credential.refresh_from_db()
    assert (issued.credential.revoked_at is not None) == (who in ("admin", "operator"))
    if who == "anonymous":
        assert "/accounts/login/" in response["Location"]


def test_anyone_verifies_by_paste_upload_or_api_and_sees_why_a_forgery_fails(issued):
    anyone = client_for(None)
    page = anyone.post("/credentials/verify/", {"credential": issued.credential.jwt}).content.decode()
    assert "Verified" in page and "Cloud Computing Fundamentals" in page
    forged = _tamper_jwt(issued.credential.jwt)
    page = anyone.post("/credentials/verify/", {"credential": forged}).content.decode()
    assert "Not verified" in page and "changed after it was signed" in page
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("credential.json", issued.credential.document.encode(), "application/json")
    assert "Verified" in anyone.post("/credentials/verify/", {"file": upload}).content.decode()
    pdf = SimpleUploadedFile("certificate.pdf", b"%PDF-1.7\n\x00\xff\xfe binary", "application/pdf")
    assert "not text" in anyone.post("/credentials/verify/", {"file": pdf}).content.decode()
    assert "Paste a credential" in anyone.post("/credentials/verify/", {"credential": ""}).content.decode()
    # The API takes the JWT, the JSON, or {"credential": …}
    assert anyone.post("/api/v1/credentials/verify", issued.credential.jwt, content_type="text/plain").json()["verified"]
    assert anyone.post("/api/v1/credentials/verify", issued.credential.document,
                       content_type="application/json").json()["verified"]
    body = {"credential": issued.credential.jwt}
    assert anyone.post("/api/v1/credentials/verify", body, content_type="application/json").json()["verified"]
    result = anyone.post("/api/v1/credentials/verify", forged, content_type="text/plain").json()
    assert result["verified"] is False and "changed after it was signed" in result["reason"]
    assert {c["name"] for c in result["checks"]} >= {"format", "signature"}


def test_a_tampered_json_credential_and_garbage_are_rejected_with_reasons(issued):
    anyone = client_for(None)
    document = json.loads(issued.credential.document)
    document["credentialSubject"]["achievement"]["name"] = "Something grander"
    result = anyone.post("/api/v1/credentials/verify", document, content_type="application/json").json()
    assert result["verified"] is False and result["reason"]
    garbage = anyone.post("/api/v1/credentials/verify", "hello there", content_type="text/plain").json()
    assert garbage["verified"] is False and garbage["reason"]
    assert anyone.post("/api/v1/credentials/verify", "", content_type="text/plain").status_code == 400
    bad_json = anyone.post("/api/v1/credentials/verify", "{nope", content_type="application/json")
    assert bad_json.status_code == 400 and "not valid JSON" in bad_json.json()["detail"]


def test_the_wallet_lists_only_your_own_credentials_with_downloads(issued):
    page = client_for(issued.pass_).get("/credentials/").content.decode()
    assert 'data-testid="wallet"' in page and "Cloud Computing Fundamentals" in page
    assert str(issued.credential.uuid) in page
    top_uuid = str(Credential.objects.filter(recipient=issued.top).first().uuid)
    assert top_uuid not in page
    assert client_for(None).get("/credentials/").status_code == 200  # anonymous: how verification works
    empty = client_for(issued.outsider).get("/credentials/").content.decode()  # signed in, nothing earned yet
    assert "No credentials yet" in empty and "Sign in to see your credentials" not in empty
    holder_page = client_for(issued.pass_).get(f"/credentials/{issued.credential.uuid}/").content.decode()
    assert "linkedin.com/profile/add" in holder_page and 'data-testid="share-link"' in holder_page
    stranger_page = client_for(issued.outsider).get(f"/credentials/{issued.credential.uuid}/").content.decode()
    assert "linkedin.com" not in stranger_page and "Revoke credential" not in stranger_page


def test_downloads_are_the_signed_credential_and_a_pdf(issued):
    anyone = client_for(None)
    json_response = anyone.get(f"/credentials/{issued.credential.uuid}/credential.json")
    assert json_response["Content-Type"] == "application/ld+json"
    assert json.loads(json_response.content)["proof"][0]["type"] == "DataIntegrityProof"
    assert anyone.get(f"/credentials/{issued.credential.uuid}/credential.jwt").content.decode() == issued.credential.jwt
    pdf = anyone.get(f"/credentials/{issued.credential.uuid}/certificate.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def _pdf_words(data: bytes) -> list[str]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        return [" ".join(page.get_textpage().get_text_range().split()) for page in document]
    finally:
        document.close()


def _pdf_qr(data: bytes) -> str:
    import pypdfium2 as pdfium
    import zxingcpp

    document = pdfium.PdfDocument(data)
    try:
        image = document[0].render(scale=200 / 72).to_pil()
    finally:
        document.close()
    (code,) = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return code.text


def test_the_pdf_of_a_revoked_credential_is_watermarked_and_its_qr_code_opens_the_page_that_says_so(issued):
    anyone = client_for(None)
    url = f"/credentials/{issued.credential.uuid}/certificate.pdf"
    assert not any("REVOKED" in words for words in _pdf_words(anyone.get(url).content))
    services.revoke(actor=issued.admin, credential=issued.credential, reason="Issued in error")
    data = anyone.get(url).content
    pages = _pdf_words(data)
    assert pages and all("REVOKED" in words for words in pages)
    assert "Issued in error" not in " ".join(pages)  # the reason stays off the certificate too
    target = _pdf_qr(data)
    assert target.endswith(f"/credentials/{issued.credential.uuid}/")
    page = anyone.get(target.split("testserver", 1)[-1]).content.decode()
    assert "verdict-revoked" in page and "Revoked on" in page


def test_the_pdf_of_an_expired_credential_is_watermarked_and_its_qr_code_opens_the_page_that_says_so(issued):
    from dataclasses import replace
    from datetime import timedelta

    from django.utils import timezone

    from forward.academy import awards

    award = awards.award_course_completion(user=issued.outsider, run=issued.uni_run, grade=0.9,
                                              designation="pass", cutoff=0.5)
    now = timezone.now()
    (expired,) = services.issue([replace(award, valid_from=now - timedelta(days=800),
                                         valid_until=now - timedelta(days=70))])
    anyone = client_for(None)
    data = anyone.get(f"/credentials/{expired.uuid}/certificate.pdf").content
    pages = _pdf_words(data)
    assert pages and all("EXPIRED" in words for words in pages) and "REVOKED" not in " ".join(pages)
    target = _pdf_qr(data)
    assert target.endswith(f"/credentials/{expired.uuid}/")
    page = anyone.get(target.split("testserver", 1)[-1]).content.decode()
    assert "✗ Expired" in page


def test_a_forged_id_is_a_404(issued):
    anyone = client_for(None)
    assert anyone.get("/credentials/00000000-0000-4000-8000-000000000000/").status_code == 404
    assert anyone.get("/credentials/issuers/no-such-org").status_code == 404
    assert anyone.get(f"/credentials/issuers/{issued.other_university.slug}/jwks.json").status_code == 404
    assert anyone.get(f"/credentials/status/{issued.university.slug}/99").status_code == 404


def test_the_issuer_profile_is_the_controller_document_of_its_keys(issued):
    anyone = client_for(None)
    profile = anyone.get(f"/credentials/issuers/{issued.university.slug}").json()
    issuer = keys.issuer_id(issued.university)
    assert profile["id"] == issuer and profile["type"] == ["Profile"] and profile["name"] == "NTU"
    assert profile["@context"] == ["https://www.w3.org/ns/credentials/v2",
                                   "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
                                   "https://w3id.org/security/multikey/v1", "https://www.w3.org/ns/did/v1"]
    assert "jwks" not in profile  # a member no context defines: JSON-LD verifiers refuse the whole document
    (method,) = profile["verificationMethod"]
    assert method["type"] == "Multikey" and method["controller"] == issuer and method["publicKeyMultibase"][0] == "z"
    assert profile["assertionMethod"] == [method["id"]]
    assert json.loads(issued.credential.document)["proof"][0]["verificationMethod"] == method["id"]
    key_doc = anyone.get(method["id"].replace("http://testserver", "")).json()
    assert key_doc == {"@context": "https://w3id.org/security/multikey/v1", **method}
    # The RSA keys of the VC-JWTs are JWKs at their kid URLs and in the JWKS.
    jwks = anyone.get(f"/credentials/issuers/{issued.university.slug}/jwks.json").json()
    assert {k["alg"] for k in jwks["keys"]} == {"RS256", "EdDSA"}
    assert all("d" not in k for k in jwks["keys"])  # never a private member
    # After a rotation both keys are listed: what the retired one signed keeps verifying.
    services.key_rotate(actor=issued.admin, organization=issued.university)
    rotated = anyone.get(f"/credentials/issuers/{issued.university.slug}").json()
    assert len(rotated["verificationMethod"]) == 2 and method["id"] in rotated["assertionMethod"]


@pytest.mark.parametrize("who,status", [("outsider", 404), ("other_admin", 404), ("plain_member", 404),
                                        ("admin", 302)])
def test_certifying_a_cohort_and_watching_the_batch_are_for_its_staff(issued, who, status):
    client = client_for(getattr(issued, who))
    response = client.post(f"/academy/runs/{issued.uni_run.pk}/certify/")
    assert response.status_code == status
    batch = academy_services.run_certify(actor=issued.admin, run=issued.uni_run)
    assert client.get(f"/credentials/batches/{batch.pk}/").status_code == (200 if who == "admin" else 404)


def test_the_issued_list_is_for_issuers_and_searchable(issued):
    assert client_for(issued.outsider).get("/credentials/issued/").status_code == 403
    page = client_for(issued.admin).get("/credentials/issued/?q=pass@").content.decode()
    assert "pass@ntu.test" in page and "merit@ntu.test" not in page
    other = client_for(issued.other_admin)
    assert other.get("/credentials/issued/").status_code == 200  # admin of an organization that issued nothing
    assert "pass@ntu.test" not in other.get("/credentials/issued/").content.decode()
    services.revoke(actor=issued.admin, credential=issued.credential, reason="Issued in error")
    admin = client_for(issued.admin)
    revoked = admin.get("/credentials/issued/?kind=revoked").content.decode()
    assert str(issued.credential.uuid) in revoked and revoked.count("<tr>") == 2  # the header and that one
    assert str(issued.credential.uuid) not in admin.get("/credentials/issued/?kind=active").content.decode()


def test_only_the_issuers_admins_rotate_its_key(issued):
    assert client_for(issued.other_admin).post(f"/credentials/issuers/{issued.university.slug}/rotate/").status_code == 403
    assert client_for(issued.admin).post(f"/credentials/issuers/{issued.university.slug}/rotate/").status_code == 302


def test_wallet_and_issued_pages_make_a_constant_number_of_queries(issued, django_assert_max_num_queries):
    client = client_for(issued.top)
    client.get("/credentials/")
    with django_assert_max_num_queries(12):
        client.get("/credentials/")
    admin = client_for(issued.admin)
    admin.get("/credentials/issued/")
    with django_assert_max_num_queries(16):
        admin.get("/credentials/issued/")


def test_the_site_verifier_dereferences_the_key_controller_like_a_third_party(issued, monkeypatch):
    from forward.credentials import selectors

    assert selectors.verify_data(issued.credential.document).ok
    served = keys.controller_document
    monkeypatch.setattr(keys, "controller_document", lambda organization: {**served(organization), "assertionMethod": []})
    selectors.clear_caches()
    report = selectors.verify_data(issued.credential.document)
    assert not report.ok and report.checks[-1].name == "issuer"
    assert "is not listed under assertionMethod in its controller's document" in report.reason
    assert selectors.verify_data(issued.credential.jwt).ok  # the VC-JWT's RSA key is a JWK, not in the profile
    api = client_for(None).post("/api/v1/credentials/verify", issued.credential.document,
                                content_type="application/json").json()
    assert api["verified"] is False and "not authorized" in api["reason"]
