"""Both signatures on their own: the Data Integrity proof catches any change and any wrong key; the
VC-JWT is a standard RS256 JWS that PyJWT (not the code that signs it) verifies, and tokens signed
by PyJWT verify here; bad tokens are refused with a reason."""

import json
from datetime import UTC, datetime, timedelta

import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from forward.vc import di, jose, ld, statuslist, verify

from . import issuer
from .issuer import ED_KEY, ED_KID, ISSUER, KEYS, RSA_KEY, RSA_KID, STATUS_URL


def credential(**changes) -> dict:
    return issuer.credential(
        achievement={"achievementType": "Course", "description": "云计算基础", "creditsAvailable": 4}, **changes)


def signed(**changes) -> dict:
    return di.sign(credential(**changes), private_key=ED_KEY, verification_method=ED_KID, created="2026-06-01T00:00:00Z")


def check(data, *, revoked=(), now=datetime(2026, 11, 23, tzinfo=UTC)):
    bits = statuslist.BitString()
    for index in revoked:
        bits.set(index, True)
    return verify.verify_credential(data, resolve_key=KEYS.get, resolve_status={STATUS_URL: bits}.get, now=now)


def test_a_signed_credential_verifies_and_reports_each_check():
    report = check(signed())
    assert report.ok and report.proof_format.startswith("Data Integrity")
    assert [c.name for c in report.checks] == ["format", "signature", "issuer", "dates", "status"]
    assert all(c.ok for c in report.checks)


@pytest.mark.parametrize("tamper", [
    lambda d: d["credentialSubject"]["achievement"].update(name="Advanced Quantum Computing"),
    lambda d: d.update(validFrom="2020-01-01T00:00:00Z"),
    lambda d: d["credentialSubject"].update(id="urn:uuid:00000000-0000-4000-8000-000000000000"),
    lambda d: d["credentialSubject"]["achievement"].update(creditsAvailable=40),
    lambda d: d["credentialStatus"].update(statusListIndex="8"),
    lambda d: d.pop("credentialStatus"),
    lambda d: d["proof"][0].update(created="2026-06-02T00:00:00Z"),
])
def test_any_change_after_signing_breaks_the_proof(tamper):
    document = signed()
    tamper(document)
    report = check(document)
    assert not report.ok and "changed after it was signed" in report.reason
    assert report.checks[-1].name == "signature" and report.checks[-1].ok is False


def test_a_proof_by_another_key_or_of_another_kind_is_refused():
    other = ed25519.Ed25519PrivateKey.generate()
    forged = di.sign(credential(), private_key=other, verification_method=ED_KID, created="2026-06-01T00:00:00Z")
    assert "changed after it was signed" in check(forged).reason
    unknown = di.sign(credential(), private_key=other, verification_method=ISSUER + "/keys/zzz-ed25519",
                      created="2026-06-01T00:00:00Z")
    assert "unknown key" in check(unknown).reason
    document = signed()
    document["proof"][0]["cryptosuite"] = "ecdsa-rdfc-2019"
    assert "eddsa-rdfc-2022" in check(document).reason
    document = signed()
    document["proof"][0]["proofValue"] = "z3J"
    assert "not a base58btc Ed25519 signature" in check(document).reason


def test_a_key_of_another_issuer_cannot_vouch_for_this_one():
    stranger = "https://elsewhere.example/issuers/acme"
    keys = {**KEYS, ED_KID: verify.PublicKey(ED_KID, stranger, ED_KEY.public_key())}
    report = verify.verify_credential(signed(), resolve_key=keys.get, resolve_status=lambda url: None)
    assert not report.ok and "claims to be issued by" in report.reason


def test_dates_revocation_and_missing_status_lists_are_reported():
    assert "expired" in check(signed(validUntil="2026-07-01T00:00:00Z")).reason
    assert check(signed(validUntil="2026-07-01T00:00:00Z")).expired
    assert "Not valid yet" in check(signed(), now=datetime(2026, 1, 1, tzinfo=UTC)).reason
    revoked = check(signed(), revoked=[7])
    assert not revoked.ok and revoked.revoked and "revoked" in revoked.reason
    assert check(signed(), revoked=[6, 8]).ok  # neighbours' bits are theirs
    offline = verify.verify_credential(signed(), resolve_key=KEYS.get, resolve_status=lambda url: None)
    assert offline.ok and offline.checks[-1].ok is None and "Not checked" in offline.checks[-1].message


def _jwt(document: dict) -> str:
    return jose.encode_vc_jwt(document, private_key=RSA_KEY, kid=RSA_KID)


def test_pyjwt_verifies_the_vc_jwt_and_reads_the_mapped_claims():
    token = _jwt(credential(validUntil="2028-06-01T00:00:00Z"))
    assert pyjwt.get_unverified_header(token) == {"alg": "RS256", "typ": "JWT", "kid": RSA_KID}
    jwk = jose.rsa_public_jwk(RSA_KEY.public_key(), kid=RSA_KID)
    claims = pyjwt.decode(token, pyjwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(jwk)), algorithms=["RS256"])
    assert claims["iss"] == ISSUER and claims["jti"] == "https://forward.example/credentials/0b8f"
    assert claims["sub"] == "urn:uuid:1b4e28ba-2fa1-41d2-883f-0016d3cca427"
    assert claims["nbf"] == int(datetime(2026, 6, 1, tzinfo=UTC).timestamp())
    assert claims["exp"] == int(datetime(2028, 6, 1, tzinfo=UTC).timestamp())
    assert claims["credentialSubject"]["achievement"]["description"] == "云计算基础"


def test_a_jwt_signed_by_pyjwt_verifies_here():
    document = credential()
    token = pyjwt.encode({**document, **jose.claims_for(document)}, RSA_KEY, algorithm="RS256",
                         headers={"kid": RSA_KID})
    report = check(token)
    assert report.ok and report.proof_format == "VC-JWT (RS256)"


def _b64(data: dict) -> str:
    return jose.b64url_encode(json.dumps(data).encode())


@pytest.mark.parametrize("token,reason", [
    (lambda t: t.rsplit(".", 1)[0] + "." + jose.b64url_encode(b"\0" * 256), "changed after it was signed"),
    (lambda t: _b64({"alg": "none", "kid": RSA_KID}) + "." + t.split(".")[1] + ".", "'none'"),
    (lambda t: _b64({"alg": "HS256", "kid": RSA_KID}) + "." + t.split(".")[1] + "." + t.split(".")[2], "'HS256'"),
    (lambda t: _b64({"alg": "RS256"}) + "." + t.split(".")[1] + "." + t.split(".")[2], "no kid"),
    (lambda t: _b64({"alg": "RS256", "kid": ED_KID}) + "." + t.split(".")[1] + "." + t.split(".")[2], "not an RSA key"),
    (lambda t: "a.b", "neither a JWT"),
    (lambda t: "@@@.###.$$$", "cannot be read"),
])
def test_bad_tokens_are_refused_with_the_reason(token, reason):
    report = check(token(_jwt(credential())))
    assert not report.ok and reason in report.reason


def test_claims_that_disagree_with_the_credential_are_refused():
    document = credential()
    claims = {**document, **jose.claims_for(document), "sub": "urn:uuid:someone-else"}
    token = pyjwt.encode(claims, RSA_KEY, algorithm="RS256", headers={"kid": RSA_KID})
    assert "sub claim does not match" in check(token).reason


def test_statuslist_bits_are_msb_first_and_survive_encoding():
    bits = statuslist.BitString()
    bits.set(0, True)
    bits.set(131_071, True)
    assert bits.bytes[0] == 0x80 and bits.bytes[-1] == 0x01
    encoded = bits.encode()
    assert encoded.startswith("u") and "=" not in encoded
    again = statuslist.BitString.decode(encoded)
    assert again.get(0) and again.get(131_071) and not again.get(1) and again.size == 131_072
    with pytest.raises(ValueError, match="at least 131072"):
        statuslist.BitString.decode(statuslist.BitString(1024).encode())
    with pytest.raises(ValueError, match="GZIP"):
        statuslist.BitString.decode("u" + jose.b64url_encode(b"not gzip"))
    with pytest.raises(ValueError, match="prefix 'u'"):
        statuslist.BitString.decode("z123")


def test_a_signed_status_list_is_checked_before_it_is_believed():
    bits = statuslist.BitString()
    bits.set(7, True)
    published = di.sign(statuslist.status_list_credential(url=STATUS_URL, issuer=ISSUER, valid_from="2026-06-01T00:00:00Z",
                                                          encoded_list=bits.encode()),
                        private_key=ED_KEY, verification_method=ED_KID, created="2026-06-01T00:00:00Z")
    url, decoded = verify.status_from_document(published, KEYS)
    assert url == STATUS_URL and decoded.get(7)
    published["credentialSubject"]["encodedList"] = statuslist.BitString().encode()  # someone un-revokes
    with pytest.raises(ValueError, match="changed after it was signed"):
        verify.status_from_document(published, KEYS)


def test_a_signed_status_list_without_an_id_is_refused():
    # It used to come back as (None, bits): a list no credential can point at, keyed by None.
    document = statuslist.status_list_credential(url=STATUS_URL, issuer=ISSUER, valid_from="2026-06-01T00:00:00Z",
                                                 encoded_list=statuslist.BitString().encode())
    del document["id"]
    published = di.sign(document, private_key=ED_KEY, verification_method=ED_KID, created="2026-06-01T00:00:00Z")
    with pytest.raises(ValueError, match="no id"):
        verify.status_from_document(published, KEYS)


def test_keys_are_read_from_a_jwks_a_profile_or_a_multikey_document():
    jwks = {"keys": [jose.rsa_public_jwk(RSA_KEY.public_key(), kid=RSA_KID),
                     jose.ed25519_public_jwk(ED_KEY.public_key(), kid=ED_KID)]}
    found = verify.keys_from_document(jwks)
    assert set(found) == {RSA_KID, ED_KID} and all(k.controller == ISSUER for k in found.values())
    profile = verify.keys_from_document({"id": ISSUER, "type": ["Profile"], "jwks": jwks})
    assert profile[ED_KID].controller == ISSUER
    with pytest.raises(ValueError, match="not a JWKS"):
        verify.keys_from_document({"hello": "world"})
    assert check(_jwt(credential(validFrom=(datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"))),
                 now=datetime.now(UTC)).ok


# --- the key's controller: dereferenced, and it must authorize the key --------------------------------

def controller_document(*methods: str) -> dict:
    return {"@context": [ld.VC_V2, ld.OB_V3, "https://w3id.org/security/multikey/v1", "https://www.w3.org/ns/did/v1"],
            "id": ISSUER, "type": ["Profile"], "name": "NTU",
            "verificationMethod": [{"id": ED_KID, "type": "Multikey", "controller": ISSUER,
                                    "publicKeyMultibase": "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"}],
            "assertionMethod": list(methods)}


def check_with_controller(document, controllers: dict):
    return verify.verify_credential(document, resolve_key=KEYS.get, resolve_status=lambda url: None,
                                    resolve_controller=controllers.get, now=datetime(2026, 11, 23, tzinfo=UTC))


def test_the_proof_is_issued_as_an_array_and_a_single_object_still_verifies():
    document = signed()
    assert isinstance(document["proof"], list) and len(document["proof"]) == 1
    legacy = {**document, "proof": document["proof"][0]}  # what Forward stored before
    assert check(legacy).ok and check(document).ok


def test_a_key_its_controller_does_not_list_under_assertion_method_is_refused():
    assert check_with_controller(signed(), {ISSUER: controller_document(ED_KID)}).ok
    embedded = controller_document()
    embedded["assertionMethod"] = embedded["verificationMethod"]
    assert check_with_controller(signed(), {ISSUER: embedded}).ok
    for document in (controller_document(), controller_document(ISSUER + "/keys/other-ed25519")):
        report = check_with_controller(signed(), {ISSUER: document})
        assert not report.ok and report.checks[-1].name == "issuer"
        assert report.reason == (f"The key {ED_KID} is not listed under assertionMethod in its controller's document "
                                 f"{ISSUER}: the issuer has not authorized it to sign credentials.")
    # a document served at the controller's URL that is another's
    report = check_with_controller(signed(), {ISSUER: {**controller_document(ED_KID), "id": "https://else.example/"}})
    assert not report.ok and "not listed under assertionMethod" in report.reason
    unknown = check_with_controller(signed(), {})
    assert not unknown.ok and "unknown issuer" in unknown.reason
    # the VC-JWT's RSA key is a JWK, not a verification method of the controller document
    assert check_with_controller(_jwt(credential()), {}).ok


def test_keys_and_their_controller_are_read_from_the_issuer_profile():
    document = controller_document(ED_KID)
    found = verify.keys_from_document(document)
    assert list(found) == [ED_KID] and found[ED_KID].controller == ISSUER
    bits = statuslist.BitString()
    published = di.sign(statuslist.status_list_credential(url=STATUS_URL, issuer=ISSUER, valid_from="2026-06-01T00:00:00Z",
                                                          encoded_list=bits.encode()),
                        private_key=ED_KEY, verification_method=ED_KID, created="2026-06-01T00:00:00Z")
    assert isinstance(published["proof"], list)
    assert verify.status_from_document(published, KEYS, {ISSUER: document})[0] == STATUS_URL
    with pytest.raises(ValueError, match="not listed under assertionMethod"):
        verify.status_from_document(published, KEYS, {ISSUER: controller_document()})
