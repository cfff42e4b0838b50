"""A VC-JWT's header, signature and claims, as verify_credential reports them: every check that passed,
then the one that failed with the whole message a holder reads, and the JSON the API answers."""

import pytest

from forward.vc import jose, statuslist

from .helpers_jwt import (
    ED_KID,
    ISSUER,
    ISSUER_NAME,
    RSA_KID,
    STATUS_URL,
    b64_json,
    check,
    credential,
    failed,
    passed_until,
    rs256,
    signed_jwt,
)


def test_a_valid_vc_jwt_reports_every_check_in_the_json_the_api_answers():
    token = signed_jwt(credential(validUntil="2028-06-01T00:00:00Z",
                                  credentialStatus=statuslist.status_entry(list_url=STATUS_URL, index=7)))
    assert check(token, revoked=[6, 8]).summary() == {
        "verified": True, "revoked": False, "expired": False, "reason": "", "proof_format": "VC-JWT (RS256)",
        "checks": [
            {"name": "format", "ok": True, "message": "An Open Badges 3.0 credential as a VC-JWT (RS256)."},
            {"name": "signature", "ok": True, "message": f"RS256 signature valid, made with {RSA_KID}."},
            {"name": "issuer", "ok": True, "message": f"Issued by {ISSUER_NAME} ({ISSUER}), who holds the signing key."},
            {"name": "dates", "ok": True, "message": "Valid from 2026-06-01T00:00:00Z until 2028-06-01T00:00:00Z."},
            {"name": "status", "ok": True, "message": "Not revoked (checked against the issuer's status list)."},
        ]}


def test_a_revoked_vc_jwt_says_so_in_the_json():
    token = signed_jwt(credential(credentialStatus=statuslist.status_entry(list_url=STATUS_URL, index=7)))
    summary = check(token, revoked=[7]).summary()
    assert summary == {
        "verified": False, "revoked": True, "expired": False, "reason": "The issuer has revoked this credential.",
        "proof_format": "VC-JWT (RS256)",
        "checks": [*passed_until("dates"),
                   {"name": "dates", "ok": True, "message": "Valid from 2026-06-01T00:00:00Z; no end date."},
                   {"name": "status", "ok": False, "message": "The issuer has revoked this credential."}]}


@pytest.mark.parametrize("token,error", [
    ("@@@.###.$$$", "the JWT's header or payload is not base64url-encoded JSON"),
    (b64_json({"alg": "none"}) + "." + b64_json(credential()) + ".",
     "the JWT is signed with 'none'; Open Badges 3.0 credentials from Forward use RS256"),
    (b64_json(["RS256"]) + "." + b64_json(credential()) + ".", "the JWT's header and payload must be JSON objects"),
])
def test_a_token_that_cannot_be_read_is_a_format_failure(token, error):
    message = f"This JWT cannot be read: {error}."
    assert check(token).summary() == failed("format", message)


@pytest.mark.parametrize("header", [
    {"alg": "RS256"}, {"alg": "RS256", "kid": ""}, {"alg": "RS256", "kid": 7}, {"alg": "RS256", "kid": [RSA_KID]},
])
def test_a_header_without_a_kid_that_is_text_names_no_signing_key(header):
    document = credential()
    token = rs256(header, {**document, **jose.claims_for(document)})
    message = "The JWT header has no kid, so the signing key cannot be found."
    assert check(token).summary() == failed("signature", message)


def test_a_key_the_issuer_does_not_publish_is_unknown():
    kid = ISSUER + "/keys/zzz-rs256"
    message = f"The signing key {kid} is not one the issuer publishes (unknown key)."
    assert check(signed_jwt(credential(), kid=kid)).summary() == failed("signature", message)


def test_an_ed25519_key_cannot_have_made_an_rs256_signature():
    message = f"The key {ED_KID} is not an RSA key, so it cannot have made an RS256 signature."
    assert check(signed_jwt(credential(), kid=ED_KID)).summary() == failed("signature", message)


def test_a_payload_changed_after_signing_does_not_match_the_signature():
    token = signed_jwt(credential())
    header, _, signature = token.split(".")
    document = credential(name="Advanced Quantum Computing")
    tampered = header + "." + b64_json({**document, **jose.claims_for(document)}) + "." + signature
    message = ("The signature does not match: the credential was changed after it was signed (tampered), "
               "or it was not signed with this key.")
    assert check(tampered).summary() == failed("signature", message)


@pytest.mark.parametrize("claims,error", [
    ({"sub": "urn:uuid:someone-else"}, "the JWT's sub claim does not match credentialSubject.id"),
    ({"iss": "https://elsewhere.example/issuers/acme"}, "the JWT's iss claim does not match issuer.id"),
    ({"nbf": 0}, "the JWT's nbf claim does not match validFrom"),
    ({"exp": 1_900_000_000}, "the JWT's exp claim does not match validUntil"),
])
def test_claims_that_disagree_with_the_credential_make_the_jwt_inconsistent(claims, error):
    document = credential()
    token = rs256({"alg": "RS256", "kid": RSA_KID}, {**document, **jose.claims_for(document), **claims})
    assert check(token).summary() == failed("signature", f"The JWT is inconsistent: {error}.")


def test_a_key_of_another_issuer_cannot_vouch_for_this_one():
    stranger = "https://elsewhere.example/issuers/acme"
    token = signed_jwt(credential(issuer={"id": stranger, "type": ["Profile"]}))
    message = f"The key belongs to {ISSUER}, but the credential claims to be issued by {stranger}."
    assert check(token).summary() == failed("issuer", message)
