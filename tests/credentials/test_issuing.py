"""Issuing: what a released cohort, a programme, a certification and a competition earn; the
credential's format (Open Badges 3.0 schema, VC-JWT checked by PyJWT, Data Integrity proof);
idempotency; keys at rest and rotation; status-list positions, a full list followed by the next;
the queries a batch makes."""

import json
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import jsonschema
import jwt as pyjwt
import pytest
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from forward.academy import awards
from forward.academy import services as academy_services
from forward.academy.models import Programme, ProgrammeCourse
from forward.credentials import keys, selectors, services
from forward.credentials.models import (
    BatchStatus,
    Credential,
    CredentialKind,
    IssuanceBatch,
    SigningKey,
    StatusList,
)
from forward.vc import statuslist
from tests.conftest import client_for, make_user
from tests.credentials.test_regressions import _award, issuer  # noqa: F401 - an issuer with one credential, reused

from .conftest import committed, release

# 1EdTech's own schema, byte for byte (see schema/README.md)
SCHEMA = json.loads((Path(__file__).parent / "schema" / "ob_v3p0_achievementcredential_schema.json").read_text())


def _kinds(user):
    return sorted(Credential.objects.filter(recipient=user).values_list("kind", flat=True))


def test_releasing_grades_certifies_the_cohort_by_designation(cohort):
    assert Credential.objects.count() == 0  # nothing before staff release the grades
    release(cohort)
    assert _kinds(cohort.top) == [CredentialKind.COURSE_ACHIEVEMENT, CredentialKind.COURSE_COMPLETION]
    assert _kinds(cohort.merit) == [CredentialKind.COURSE_ACHIEVEMENT, CredentialKind.COURSE_COMPLETION]
    assert _kinds(cohort.pass_) == [CredentialKind.COURSE_COMPLETION]
    assert _kinds(cohort.fail) == []
    batch = IssuanceBatch.objects.get(source=f"academy.run:{cohort.uni_run.pk}")
    assert (batch.status, batch.done, batch.total, batch.issued) == (BatchStatus.DONE, 5, 5, 5)
    top = Credential.objects.get(recipient=cohort.top, kind=CredentialKind.COURSE_ACHIEVEMENT)
    assert top.detail.startswith("Distinction") and top.issuer == cohort.university


def test_nothing_is_certified_before_release_and_a_course_can_award_completion_only(cohort):
    with pytest.raises(ValidationError, match="Release the grades first"):
        academy_services.run_certify(actor=cohort.admin, run=cohort.uni_run)
    assert awards.run_awards(run=cohort.uni_run) == []
    cohort.course.grading_policy = {**cohort.course.grading_policy, "certificates": {"completion": True}}
    cohort.course.save()
    release(cohort)
    assert set(Credential.objects.values_list("kind", flat=True)) == {CredentialKind.COURSE_COMPLETION}


def test_issuing_is_idempotent_one_achievement_one_credential(cohort):
    release(cohort)
    before = Credential.objects.count()
    with committed():
        again = academy_services.run_certify(actor=cohort.admin, run=cohort.uni_run)  # the admin clicks "Issue certificates"
    again.refresh_from_db()
    assert again.status == BatchStatus.DONE and again.issued == 0 and again.done == 5
    earned = awards.run_awards(run=cohort.uni_run)
    assert services.issue(earned + earned) == []
    assert Credential.objects.count() == before


def test_a_second_click_while_a_batch_is_queued_returns_the_same_batch(cohort, settings, django_capture_on_commit_callbacks):
    cohort.uni_run.grades_released_at = timezone.now()
    cohort.uni_run.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = academy_services.run_certify(actor=cohort.admin, run=cohort.uni_run)
        second = academy_services.run_certify(actor=cohort.admin, run=cohort.uni_run)
    assert first == second and len(callbacks) == 1
    assert services.batch_run(batch_id=first.pk).issued == 5
    assert services.batch_run(batch_id=first.pk) is None  # claimed once; a redelivered message does nothing


def test_a_stale_running_batch_goes_back_to_the_queue_and_finishes(cohort, django_capture_on_commit_callbacks):
    cohort.uni_run.grades_released_at = timezone.now()
    cohort.uni_run.save()
    with django_capture_on_commit_callbacks(execute=False):
        batch = academy_services.run_certify(actor=cohort.admin, run=cohort.uni_run)
    IssuanceBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING, done=2,
                                                     started_at=timezone.now() - timedelta(hours=2),
                                                     created_at=timezone.now() - timedelta(hours=2))
    assert services.batches_requeue_stale() == 1  # the worker died: requeued and sent again (eagerly here)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE and batch.done == 5 and Credential.objects.count() == 5


def test_every_credential_is_an_open_badge_that_validates_against_the_schema(cohort):
    release(cohort)
    for credential in Credential.objects.all():
        document = json.loads(credential.document)
        jsonschema.validate(document, SCHEMA, cls=jsonschema.Draft201909Validator)
        assert document["@context"][:2] == ["https://www.w3.org/ns/credentials/v2",
                                            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
        achievement = document["credentialSubject"]["achievement"]
        assert achievement["achievementType"] == "Course" and achievement["creditsAvailable"] == 4.0
        assert achievement["alignment"][0]["targetName"] == "Linux"
        assert document["credentialSubject"]["creditsEarned"] == 4.0
        assert document["evidence"][0]["description"].startswith(("100%", "75%", "50%"))
        assert document["credentialStatus"]["type"] == "BitstringStatusListEntry"
        assert [p["cryptosuite"] for p in document["proof"]] == ["eddsa-rdfc-2022"]
        with pytest.raises(jsonschema.ValidationError, match="is not of type 'array'"):  # as Forward issued before
            jsonschema.validate({**document, "proof": document["proof"][0]}, SCHEMA, cls=jsonschema.Draft201909Validator)
        name = next(i for i in document["credentialSubject"]["identifier"] if i["identityType"] == "name")
        assert name["identityHash"] == credential.recipient.display_name
        email = next(i for i in document["credentialSubject"]["identifier"] if i["identityType"] == "emailAddress")
        assert email["hashed"] is True and credential.recipient.email not in credential.document


def test_a_standard_jose_library_verifies_the_jwt_with_the_published_keys(cohort):
    release(cohort)
    credential = Credential.objects.filter(recipient=cohort.top).first()
    header = pyjwt.get_unverified_header(credential.jwt)
    assert header["alg"] == "RS256" and header["kid"].startswith(keys.issuer_id(cohort.university) + "/keys/")
    published = client_for(None).get(f"/credentials/issuers/{cohort.university.slug}/jwks.json").json()
    jwk = next(k for k in published["keys"] if k["kid"] == header["kid"])
    claims = pyjwt.decode(credential.jwt, pyjwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(jwk)),
                          algorithms=["RS256"], options={"verify_aud": False})
    document = json.loads(credential.document)
    assert claims["iss"] == document["issuer"]["id"] and claims["jti"] == document["id"]
    assert claims["sub"] == document["credentialSubject"]["id"]
    assert claims["nbf"] == int(credential.valid_from.timestamp()) and "exp" not in claims
    # What the site shows and filters by is the date the signed document states, to the second.
    assert credential.valid_from == datetime.fromisoformat(document["validFrom"])
    # ... and the time it shows as issued is when the proof was made, the same for the whole batch.
    assert credential.issued_at == datetime.fromisoformat(document["proof"][0]["created"])
    assert set(Credential.objects.filter(issuer=cohort.university).values_list("issued_at", flat=True)) == {
        credential.issued_at}
    assert claims["credentialSubject"]["achievement"] == document["credentialSubject"]["achievement"]
    # The key URL in the header dereferences to the same key.
    key_doc = client_for(None).get(header["kid"].replace("http://testserver", "")).json()
    assert key_doc["n"] == jwk["n"]


def test_the_stored_credential_verifies_both_ways_and_the_page_says_so(cohort):
    release(cohort)
    credential = Credential.objects.filter(recipient=cohort.pass_).first()
    for form in (credential.document, credential.jwt):
        report = selectors.verify_data(form)
        assert report.ok, report.reason
    page = client_for(None).get(f"/credentials/{credential.uuid}/").content.decode()
    assert "Verified" in page and cohort.pass_.display_name in page and "Cloud Computing Fundamentals" in page


def test_a_programme_is_certified_when_the_cohorts_release_completes_it(cohort):
    programme = Programme.objects.create(slug="cloud-major", title="Cloud Major", kind="major")
    ProgrammeCourse.objects.create(programme=programme, course=cohort.course, required=True)
    programme.partners.add(cohort.operator_org, cohort.university)
    release(cohort)
    credential = Credential.objects.get(recipient=cohort.pass_, kind=CredentialKind.PROGRAMME)
    document = json.loads(credential.document)
    assert credential.issuer == cohort.operator_org  # the programme operator certifies programmes
    assert document["credentialSubject"]["achievement"]["achievementType"] == "LearningProgram"
    assert not Credential.objects.filter(recipient=cohort.fail, kind=CredentialKind.PROGRAMME).exists()


def test_keys_are_encrypted_at_rest_and_rotation_keeps_old_credentials_verifiable(cohort, settings):
    release(cohort)
    old = Credential.objects.filter(recipient=cohort.top).first()
    key = SigningKey.objects.get(organization=cohort.university)
    stored = bytes(key.private_encrypted)
    private = keys.private_keys(key)
    pem_body = b"".join(private.rsa.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).splitlines()[1:-1])
    assert b"PRIVATE KEY" not in stored and pem_body[:48] not in stored
    assert private.ed25519.private_bytes_raw().hex().encode() not in stored
    with pytest.raises(InvalidToken):  # only the site's own key opens it
        Fernet(Fernet.generate_key()).decrypt(stored)
    services.key_rotate(actor=cohort.admin, organization=cohort.university)
    assert SigningKey.objects.filter(organization=cohort.university).count() == 2
    assert selectors.verify_data(old.jwt).ok and selectors.verify_data(old.document).ok
    published = keys.jwks(cohort.university)["keys"]
    assert len(published) == 4  # both generations, RSA and Ed25519
    programme = Programme.objects.create(slug="p", title="P", kind="major")
    ProgrammeCourse.objects.create(programme=programme, course=cohort.course, required=True)
    programme.partners.add(cohort.university)
    new = services.issue(awards.programme_awards(users=[cohort.top], courses=[cohort.course]))[0]
    assert new.key != old.key and selectors.verify_data(new.jwt).ok


def test_a_key_read_back_from_the_database_is_the_key_that_was_generated(cohort):
    key = keys.active_key(cohort.university)
    generated = keys.private_keys(key)
    keys._loaded.clear()  # as in another process: decrypted from the stored row
    stored = SigningKey.objects.get(pk=key.pk)
    read_back = keys.private_keys(stored)
    assert read_back is not generated
    assert read_back.rsa.private_numbers() == generated.rsa.private_numbers()
    assert read_back.ed25519.private_bytes_raw() == generated.ed25519.private_bytes_raw()
    assert keys.rsa_public(stored).public_numbers() == read_back.rsa.public_key().public_numbers()
    release(cohort)  # signs with the key read back
    credential = Credential.objects.filter(key=stored).first()
    assert credential is not None
    assert selectors.verify_data(credential.jwt).ok and selectors.verify_data(credential.document).ok


def test_a_key_that_cannot_be_decrypted_fails_with_what_to_fix(cohort, settings):
    key = keys.active_key(cohort.university)
    keys._loaded.clear()  # as in another process, which has not decrypted it yet
    settings.CREDENTIAL_KEYS = ["q" * 43 + "="]
    with pytest.raises(RuntimeError, match="FORWARD_CREDENTIAL_KEYS"):
        keys.private_keys(key)
    assert bytes(key.private_encrypted) not in keys._loaded


def test_status_list_positions_are_unique_and_the_list_is_a_signed_bitstring(cohort):
    release(cohort)
    slots = list(Credential.objects.values_list("status_list_id", "status_index"))
    assert len(set(slots)) == len(slots)
    credential = Credential.objects.first()
    response = client_for(None).get(json.loads(credential.document)["credentialStatus"]["statusListCredential"]
                                    .replace("http://testserver", ""))
    status_credential = response.json()
    assert "BitstringStatusListCredential" in status_credential["type"]
    encoded = status_credential["credentialSubject"]["encodedList"]
    assert encoded.startswith("u") and "=" not in encoded
    bits = statuslist.BitString.decode(encoded)
    assert bits.size >= 131_072 and not any(bits.get(i) for _, i in slots)


def test_a_batch_that_fills_the_list_goes_on_from_position_0_of_list_2_which_is_signed_first(issuer):  # noqa: F811
    first = StatusList.objects.get()
    StatusList.objects.filter(pk=first.pk).update(next_index=first.size - 2)  # two positions left
    learners = [make_user(f"learner{i}@ntu.test", f"Learner {i}") for i in range(4)]
    batch = services.issue([_award(learner, issuer.university, "course:1") for learner in learners])
    later = services.issue([_award(issuer.learner, issuer.university, "course:2", "Data Engineering")])
    one, two = (settings.SITE_URL + reverse("credentials:status_list", args=[issuer.university.slug, n]) for n in (1, 2))
    statuses = [json.loads(c.document)["credentialStatus"] for c in batch + later]
    assert [(s["statusListCredential"], s["statusListIndex"]) for s in statuses] == [
        (one, str(first.size - 2)), (one, str(first.size - 1)),  # the last two positions of list 1
        (two, "0"), (two, "1"), (two, "2")]  # then list 2 from its start, none skipped
    assert list(StatusList.objects.values_list("number", "next_index")) == [(1, first.size), (2, 3)]
    response = client_for(None).get(two.replace(settings.SITE_URL, ""))
    assert response.status_code == 200  # signed when made, before any credential named it
    assert not statuslist.BitString.decode(response.json()["credentialSubject"]["encodedList"]).get(0)


@pytest.mark.parametrize("size", [1, 3])
def test_a_batch_reads_the_issuers_key_without_its_issuer_again_however_many_it_issues(issuer, size,  # noqa: F811
                                                                                     django_assert_num_queries):
    batch = [_award(make_user(f"learner{i}@ntu.test", f"Learner {i}"), issuer.university, "course:1")
             for i in range(size)]
    # which issuers are verified; what the learners already hold; the issuer's key (its issuer is
    # the one at hand, and the key ids name it: not read again); its badge art; a savepoint, the
    # list, its next position, the release; a savepoint, the credentials, their audit events, the release
    with django_assert_num_queries(12):
        assert len(services.issue(batch)) == size


def test_a_credential_stored_with_a_single_proof_object_keeps_verifying(cohort):
    release(cohort)
    credential = Credential.objects.filter(recipient=cohort.top).first()
    document = json.loads(credential.document)
    credential.document = json.dumps({**document, "proof": document["proof"][0]})  # as issued before proof arrays
    credential.save(update_fields=["document"])
    report = selectors.verify_stored(credential)
    assert report.ok, report.reason
    assert [c.name for c in report.checks] == ["format", "signature", "issuer", "dates", "status"]


def test_a_name_over_300_characters_is_cut_alike_in_the_record_and_the_caption(issuer):  # noqa: F811
    name = "Cloud " * 60 + "Fundamentals"  # 372 characters
    detail = "with distinction " * 20  # 340: the certificate's line under the name, cut to its column
    (credential,) = services.issue([replace(_award(issuer.learner, issuer.university, "course:long", name=name),
                                            detail=detail)])
    caption = json.loads(credential.document)["credentialSubject"]["achievement"]["image"]["caption"]
    assert credential.name == name[:300]
    credential.refresh_from_db()
    assert credential.name == name[:300] and credential.detail == detail[:300]
    assert caption == selectors.badge(credential).caption
    assert caption.split(" · ")[0] == name[:300].strip()


def test_the_downloaded_credential_is_compact_json_with_its_characters_as_written(issuer):  # noqa: F811
    name = "云计算基础 · Cloud Fundamentals"
    (credential,) = services.issue([_award(issuer.learner, issuer.university, "course:zh", name=name)])
    response = client_for(None).get(f"/credentials/{credential.uuid}/credential.json")
    assert response.status_code == 200
    served = response.content.decode("utf-8")
    assert served == credential.document
    document = json.loads(served)
    assert document["name"] == name and f'"name":"{name}"' in served  # as written, not \\u escapes
    assert served == json.dumps(document, ensure_ascii=False, separators=(",", ":"))  # no padding spaces
