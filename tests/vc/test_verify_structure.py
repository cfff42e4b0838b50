"""A credential is checked for the members every later check relies on, as the VC Data Model 2.0
requires them (an @context starting with the v2 context, a type including VerifiableCredential, an
issuer with an id, a credentialSubject object), before its Data Integrity proof; the report then
names the proof, the key, the issuer and the dates in full, and each failure says exactly why."""

import contextlib
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from forward.vc import ld, verify

from .helpers_structure import check, credential, refused, signed, token
from .issuer import ED_KID, ISSUER, ISSUER_NAME, KEYS, RSA_KEY

CONTEXT = "The credential's @context must start with https://www.w3.org/ns/credentials/v2."
TYPE = "The credential's type must include VerifiableCredential."
NO_ISSUER = "The credential names no issuer."
NO_SUBJECT = "The credential has no credentialSubject."
FORMAT_OK = verify.Check("format", True, "An Open Badges 3.0 credential with a Data Integrity proof (eddsa-rdfc-2022).")
SIGNATURE_OK = verify.Check("signature", True, f"Ed25519 proof valid, made with {ED_KID}.")
DATES_OK = verify.Check("dates", True, "Valid from 2026-06-01T00:00:00Z; no end date.")
STATUS_OK = verify.Check("status", True, "Not revoked (checked against the issuer's status list).")
TAMPERED = ("The signature does not match: the credential was changed after it was signed (tampered), or it was not "
            "signed with this key.")


def issued_by(who: str) -> verify.Check:
    return verify.Check("issuer", True, f"Issued by {who}, who holds the signing key.")


def without(document: dict, member: str) -> dict:
    return {k: v for k, v in document.items() if k != member}


# --- the members every check relies on ----------------------------------------------------------------

@pytest.mark.parametrize("changes,message", [
    ({"@context": None}, CONTEXT),
    ({"@context": ld.VC_V2}, CONTEXT),  # a single URL: the Data Model asks for an ordered set
    ({"@context": []}, CONTEXT),
    ({"@context": [ld.OB_V3, ld.VC_V2]}, CONTEXT),  # v2 present, but not first
    ({"@context": {"@vocab": "https://forward.example/vocab#"}}, CONTEXT),
    ({"@context": 2}, CONTEXT),
    ({"type": None}, TYPE),
    ({"type": "VerifiableCredential"}, TYPE),  # Open Badges 3.0 asks for an array
    ({"type": ["OpenBadgeCredential"]}, TYPE),
    ({"issuer": None}, NO_ISSUER),
    ({"issuer": {"type": ["Profile"], "name": ISSUER_NAME}}, NO_ISSUER),
    ({"issuer": {"id": 42, "type": ["Profile"]}}, NO_ISSUER),
    ({"issuer": ""}, NO_ISSUER),
    ({"credentialSubject": None}, NO_SUBJECT),
    ({"credentialSubject": "urn:uuid:1b4e28ba-2fa1-41d2-883f-0016d3cca427"}, NO_SUBJECT),
])
def test_a_credential_without_a_member_every_check_relies_on_is_refused_before_its_proof(changes, message):
    document = credential(**changes)
    # Signed where a proof can be made over it, so only the member is wrong; where none can, unsigned:
    # the structure is checked first either way.
    with contextlib.suppress(KeyError, ValueError):
        document = signed(document)
    report = check(document)
    refused(report, [verify.Check("format", False, message)])
    assert report.credential == document  # what was read, for the page that shows it


@pytest.mark.parametrize("changes,message", [
    ({"@context": [ld.OB_V3, ld.VC_V2]}, CONTEXT),
    ({"type": "VerifiableCredential"}, TYPE),
    ({"issuer": {"type": ["Profile"], "name": ISSUER_NAME}}, NO_ISSUER),
    ({"credentialSubject": "urn:uuid:1b4e28ba-2fa1-41d2-883f-0016d3cca427"}, NO_SUBJECT),
])
def test_a_vc_jwt_is_held_to_the_same_structure(changes, message):
    refused(check(token(credential(**changes))), [verify.Check("format", False, message)])


def test_the_first_member_missing_is_the_one_reported():
    report = check({"type": "VerifiableCredential", "credentialSubject": []})
    refused(report, [verify.Check("format", False, CONTEXT)])
    refused(check(credential(type=None, issuer=None)), [verify.Check("format", False, TYPE)])
    refused(check(credential(issuer=None, credentialSubject=None)), [verify.Check("format", False, NO_ISSUER)])


# --- the Data Integrity proof -------------------------------------------------------------------------

def test_a_signed_credential_is_reported_check_by_check_and_returned_without_its_proof():
    document = signed()
    report = check(document)
    assert report.ok and report.reason == "" and report.proof_format == "Data Integrity (eddsa-rdfc-2022)"
    assert report.checks == [FORMAT_OK, SIGNATURE_OK, issued_by(f"{ISSUER_NAME} ({ISSUER})"), DATES_OK, STATUS_OK]
    assert report.credential == credential() and "proof" in document


@pytest.mark.parametrize("issuer", [
    ISSUER,
    {"id": ISSUER, "type": ["Profile"]},
    {"id": ISSUER, "type": ["Profile"], "name": ""},
    {"id": ISSUER, "type": ["Profile"], "name": {"@value": ISSUER_NAME, "@language": "en"}},  # not plain text
])
def test_an_issuer_without_a_plain_name_is_named_by_its_id(issuer):
    report = check(signed(credential(issuer=issuer)))
    assert report.ok
    assert report.checks == [FORMAT_OK, SIGNATURE_OK, issued_by(ISSUER), DATES_OK, STATUS_OK]


@pytest.mark.parametrize("proof,error", [
    (None, "the credential has no embedded proof"),
    ([], "the credential has no single eddsa-rdfc-2022 proof"),
    ({"type": "Ed25519Signature2020", "verificationMethod": ED_KID},
     "the proof is a 'Ed25519Signature2020' / None; expected a DataIntegrityProof with the eddsa-rdfc-2022 cryptosuite"),
])
def test_a_credential_whose_proof_cannot_be_read_is_refused_by_the_signature_check(proof, error):
    document = signed()
    document = without(document, "proof") if proof is None else {**document, "proof": proof}
    report = check(document)
    refused(report, [verify.Check("signature", False, f"The proof cannot be checked: {error}.")])
    assert report.credential == document


def test_a_proof_by_a_key_the_issuer_does_not_publish_names_the_key():
    unknown = ISSUER + "/keys/zzz-ed25519"
    document = signed(key=ed25519.Ed25519PrivateKey.generate(), kid=unknown)
    report = check(document)
    refused(report, [FORMAT_OK, verify.Check(
        "signature", False, f"The signing key {unknown} is not one the issuer publishes (unknown key).")])
    assert report.credential == document


def test_a_proof_naming_an_rsa_key_cannot_be_checked():
    keys = {ED_KID: verify.PublicKey(ED_KID, ISSUER, RSA_KEY.public_key())}
    refused(check(signed(), keys=keys), [FORMAT_OK, verify.Check(
        "signature", False, "The proof cannot be checked: the proof's verification method is not an Ed25519 key.")])


def test_a_changed_credential_or_another_key_does_not_match_the_proof():
    document = signed()
    document["credentialSubject"]["achievement"]["name"] = "Advanced Quantum Computing"
    refused(check(document), [FORMAT_OK, verify.Check("signature", False, TAMPERED)])
    forged = signed(key=ed25519.Ed25519PrivateKey.generate())
    refused(check(forged), [FORMAT_OK, verify.Check("signature", False, TAMPERED)])


# --- what the report says after the proof --------------------------------------------------------------

def test_dates_are_written_by_the_caller_when_it_formats_them():
    report = check(signed(credential(validUntil="2027-06-01T00:00:00Z")),
                   format_date=lambda moment: moment.strftime("%d %B %Y"))
    assert report.ok and report.checks[3] == verify.Check("dates", True, "Valid from 01 June 2026 until 01 June 2027.")
    late = verify.verify_credential(signed(), resolve_key=KEYS.get, resolve_status=lambda url: None,
                                    now=datetime(2026, 1, 1, tzinfo=UTC), format_date=lambda moment: f"{moment:%Y/%m/%d}")
    refused(late, [FORMAT_OK, SIGNATURE_OK, issued_by(f"{ISSUER_NAME} ({ISSUER})"),
                   verify.Check("dates", False, "Not valid yet: valid from 2026/06/01.")],
            proof_format="Data Integrity (eddsa-rdfc-2022)")


def test_messages_are_translated_by_the_callers_translate():
    french = {"Issued by %(name)s (%(issuer)s), who holds the signing key.":
              "Délivré par %(name)s (%(issuer)s), qui détient la clé de signature.",
              "The credential names no issuer.": "Le certificat ne nomme aucun émetteur."}
    report = check(signed(), translate=lambda text: french.get(text, text))
    assert report.checks[2] == verify.Check(
        "issuer", True, f"Délivré par {ISSUER_NAME} ({ISSUER}), qui détient la clé de signature.")
    refused(check(credential(issuer=None), translate=lambda text: french.get(text, text)),
            [verify.Check("format", False, "Le certificat ne nomme aucun émetteur.")])
