"""JOSE against the RFCs' own examples: RFC 7515's RS256 JWS and RSA key, RFC 8037's Ed25519 key
and EdDSA JWS, RFC 7515's base64url example; the VC-JWT Forward writes, byte for byte; and every
malformed token, key or claim refused with the whole reason."""

import json
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa

from forward.vc import jose, ld, verify

# RFC 7515, appendix A.2: the RSA key (public part) and the RS256 JWS made with it.
RFC7515_N = ("ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-"
             "yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-"
             "KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_"
             "h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ")
RFC7515_TOKEN = (
    "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ."
    "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZ"
    "cAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-"
    "eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw")
# RFC 8037, appendix A.1 (the Ed25519 key) and A.4 (the EdDSA JWS of "Example of Ed25519 signing").
RFC8037_D = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"
RFC8037_X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
RFC8037_TOKEN = ("eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc."
                 "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg")

ISSUER = "https://forward.example/credentials/issuers/ntu"
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


# --- base64url ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("data,text", [
    (bytes([3, 236, 255, 224, 193]), "A-z_4ME"),  # RFC 7515, appendix C
    (b"Example of Ed25519 signing", "RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"),  # RFC 8037, A.4 (35 characters)
    (b"\x00\x00\x17", "AAAX"),  # 0x17 is the 23rd letter, X, in the last place
    (b"\x01\x00\x01", "AQAB"),
    (b"\x00" * 7, "AAAAAAAAAA"),  # 10 characters: two "=" left out
    (b"", ""),
])
def test_base64url_is_unpadded_both_ways(data, text):
    assert jose.b64url_encode(data) == text
    assert jose.b64url_decode(text) == data


@pytest.mark.parametrize("text", ["ab+c", "ab/c", "AQAB=", "AQ AB", "A", "AAAAA", None, b"AQAB"])
def test_what_is_not_unpadded_base64url_is_refused(text):
    with pytest.raises(jose.JoseError) as caught:
        jose.b64url_decode(text)
    assert str(caught.value) == "not base64url"


# --- JWKs -----------------------------------------------------------------------------------------------

def test_the_rfc_7515_rs256_example_verifies_with_its_jwk():
    public = jose.public_key_from_jwk({"kty": "RSA", "n": RFC7515_N, "e": "AQAB"})
    header, payload, signing_input, signature = jose.decode_jwt(RFC7515_TOKEN)
    assert header == {"alg": "RS256"}
    assert payload == {"iss": "joe", "exp": 1300819380, "http://example.com/is_root": True}
    assert signing_input == RFC7515_TOKEN.rsplit(".", 1)[0].encode("ascii")
    assert jose.verify_rs256(signing_input, signature, public)
    assert not jose.verify_rs256(signing_input + b" ", signature, public)
    # the key the RFC names, written back as a JWK: the same members, no leading zero byte in n
    assert jose.rsa_public_jwk(public, kid="2010-12-29") == {"kty": "RSA", "kid": "2010-12-29",
                                                             "n": RFC7515_N, "e": "AQAB"}


def test_an_rs256_signature_never_verifies_with_an_ed25519_key():
    _, _, signing_input, signature = jose.decode_jwt(RFC7515_TOKEN)
    ed_key = jose.public_key_from_jwk({"kty": "OKP", "crv": "Ed25519", "x": RFC8037_X})
    assert jose.verify_rs256(signing_input, signature, ed_key) is False
    assert jose.verify_rs256(signing_input, signature, None) is False


def test_the_rfc_8037_ed25519_key_round_trips_and_verifies_its_example():
    private = ed25519.Ed25519PrivateKey.from_private_bytes(jose.b64url_decode(RFC8037_D))
    jwk = jose.ed25519_public_jwk(private.public_key(), kid="rfc8037")
    assert jwk == {"kty": "OKP", "crv": "Ed25519", "kid": "rfc8037", "x": RFC8037_X}
    public = jose.public_key_from_jwk(jwk)
    signing_input, signature = RFC8037_TOKEN.rsplit(".", 1)
    public.verify(jose.b64url_decode(signature), signing_input.encode("ascii"))  # raises if it does not match


@pytest.mark.parametrize("jwk,message", [
    (["kty", "RSA"], "a JWK is a JSON object"),
    ("RSA", "a JWK is a JSON object"),
    ({"kty": "OKP", "crv": "X25519", "x": RFC8037_X}, "unsupported key type 'OKP' / X25519; expected RSA or OKP Ed25519"),
    ({"kty": "OKP", "x": RFC8037_X}, "unsupported key type 'OKP'; expected RSA or OKP Ed25519"),
    ({"kty": "EC", "crv": "P-256", "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
      "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}, "unsupported key type 'EC' / P-256; expected RSA or OKP Ed25519"),
    ({"kty": "oct", "k": "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"},
     "unsupported key type 'oct'; expected RSA or OKP Ed25519"),
    ({"crv": "Ed25519", "x": RFC8037_X}, "unsupported key type None / Ed25519; expected RSA or OKP Ed25519"),
    ({"x": RFC8037_X}, "unsupported key type None; expected RSA or OKP Ed25519"),
    ({"kty": "RSA", "kid": "k-1", "e": "AQAB"}, "the JWK k-1 is malformed ('n')"),
    ({"kty": "RSA", "kid": "k-1", "n": RFC7515_N}, "the JWK k-1 is malformed ('e')"),
    ({"kty": "OKP", "crv": "Ed25519", "kid": "k-2"}, "the JWK k-2 is malformed ('x')"),
    ({"kty": "OKP", "crv": "Ed25519", "kid": "k-2", "x": RFC8037_X[:-3]},
     "the JWK k-2 is malformed (An Ed25519 public key is 32 bytes long)"),
    ({"kty": "RSA", "kid": "k-3", "n": RFC7515_N, "e": "Ag"}, "the JWK k-3 is malformed (e must be >= 3 and < n.)"),
    ({"kty": "RSA", "kid": "k-4", "n": RFC7515_N + "=", "e": "AQAB"}, "not base64url"),
    ({"kty": "RSA", "n": RFC7515_N}, "the JWK is malformed ('e')"),  # no kid to name it by (used to leave two spaces)
    ({"kty": "RSA", "kid": "", "n": RFC7515_N}, "the JWK is malformed ('e')"),
])
def test_a_jwk_of_another_kind_or_malformed_is_refused_with_the_reason(jwk, message):
    with pytest.raises(jose.JoseError) as caught:
        jose.public_key_from_jwk(jwk)
    assert str(caught.value) == message


# --- the VC-JWT -----------------------------------------------------------------------------------------

def _credential(**changes) -> dict:
    document = {"@context": [ld.VC_V2], "id": "urn:uuid:0b8f", "type": ["VerifiableCredential"],
                "issuer": {"id": ISSUER, "type": ["Profile"]}, "validFrom": "2026-06-01T00:00:00Z",
                "credentialSubject": {"id": "did:example:ana", "name": "Zoë 云"}}
    document.update(changes)
    return document


JUNE_1_2026 = int(datetime(2026, 6, 1, tzinfo=UTC).timestamp())
JUNE_1_2028 = int(datetime(2028, 6, 1, tzinfo=UTC).timestamp())


def test_the_vc_jwt_is_compact_utf8_json_signed_rs256_over_exactly_its_first_two_parts():
    kid = ISSUER + "/keys/abc-rs256"
    token = jose.encode_vc_jwt(_credential(), private_key=RSA_KEY, kid=kid)
    header, payload, signature = token.split(".")
    assert jose.b64url_decode(header) == ('{"alg":"RS256","typ":"JWT","kid":"' + kid + '"}').encode()
    assert jose.b64url_decode(payload) == (
        '{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:uuid:0b8f","type":["VerifiableCredential"],'
        '"issuer":{"id":"' + ISSUER + '","type":["Profile"]},"validFrom":"2026-06-01T00:00:00Z",'
        '"credentialSubject":{"id":"did:example:ana","name":"Zoë 云"},'
        '"iss":"' + ISSUER + f'","jti":"urn:uuid:0b8f","nbf":{JUNE_1_2026},"sub":"did:example:ana"}}').encode("utf-8")
    RSA_KEY.public_key().verify(jose.b64url_decode(signature), (header + "." + payload).encode("ascii"),
                                padding.PKCS1v15(), hashes.SHA256())  # raises if it does not match
    assert "=" not in token


def test_the_claims_name_the_credential_and_leave_out_what_it_does_not_say():
    assert jose.claims_for(_credential(validUntil="2028-06-01T00:00:00Z")) == {
        "iss": ISSUER, "jti": "urn:uuid:0b8f", "nbf": JUNE_1_2026, "exp": JUNE_1_2028, "sub": "did:example:ana"}
    # a subject with no id (a holder not identified) and no dates: no sub, nbf or exp
    anonymous = _credential(credentialSubject={"name": "Ana"})
    del anonymous["validFrom"]
    assert jose.claims_for(anonymous) == {"iss": ISSUER, "jti": "urn:uuid:0b8f"}
    assert jose.claims_for(_credential(credentialSubject=[{"id": "did:example:ana"}], issuer=ISSUER)) == {
        "iss": ISSUER, "jti": "urn:uuid:0b8f", "nbf": JUNE_1_2026}
    assert jose.check_jwt_claims({**anonymous, **jose.claims_for(anonymous)}) is None


@pytest.mark.parametrize("token,message", [
    (b"e30.e30.AA", "a JWT is text"),
    (None, "a JWT is text"),
    ("e30.e30.AA.AA", "a compact JWT has three parts separated by dots; this has 4"),
    ("e30.e30", "a compact JWT has three parts separated by dots; this has 2"),
    ("@@@.e30.AA", "the JWT's header or payload is not base64url-encoded JSON"),
    ("e30.e30=.AA", "the JWT's header or payload is not base64url-encoded JSON"),
    (jose.b64url_encode(b"[" * 65 + b"]" * 65) + ".e30.AA",
     "the JWT's header or payload is not acceptable JSON: The JSON is nested deeper than 64 levels"),
    (jose.b64url_encode(b"not json") + ".e30.AA",
     "the JWT's header or payload is not acceptable JSON: This is not valid JSON (Expecting value at line 1, column 1)"),
    ("e30." + jose.b64url_encode(b'{"name": "Zo\xeb"}') + ".AA",
     "the JWT's header or payload is not acceptable JSON: The JSON is not UTF-8 text"),
    ("e30.W10.AA", "the JWT's header and payload must be JSON objects"),  # {} and []
    ("W10.e30.AA", "the JWT's header and payload must be JSON objects"),
    ("e30.e30.AA", "the JWT is signed with None; Open Badges 3.0 credentials from Forward use RS256"),
    ("eyJhbGciOiJFZERTQSJ9.e30.AA", "the JWT is signed with 'EdDSA'; Open Badges 3.0 credentials from Forward use RS256"),
])
def test_a_token_that_is_not_a_forward_jwt_is_refused_with_the_reason(token, message):
    with pytest.raises(jose.JoseError) as caught:
        jose.decode_jwt(token)
    assert str(caught.value) == message


def _payload(credential: dict, **claims) -> dict:
    payload = {**credential, **jose.claims_for(credential), **claims}
    return {k: v for k, v in payload.items() if v is not None}


@pytest.mark.parametrize("claims,message", [
    ({"iss": "https://elsewhere.example/issuers/acme"}, "the JWT's iss claim does not match issuer.id"),
    ({"iss": None}, "the JWT's iss claim does not match issuer.id"),
    ({"jti": "urn:uuid:another"}, "the JWT's jti claim does not match id"),
    ({"nbf": JUNE_1_2026 - 1}, "the JWT's nbf claim does not match validFrom"),
    ({"nbf": None}, "the JWT's nbf claim does not match validFrom"),
    ({"exp": JUNE_1_2028 + 86_400}, "the JWT's exp claim does not match validUntil"),
    ({"exp": None}, "the JWT's exp claim does not match validUntil"),
    ({"sub": "did:example:someone-else"}, "the JWT's sub claim does not match credentialSubject.id"),
    ({"sub": None}, "the JWT's sub claim does not match credentialSubject.id"),
])
def test_each_claim_that_disagrees_with_the_credential_is_named(claims, message):
    credential = _credential(validUntil="2028-06-01T00:00:00Z")
    assert jose.check_jwt_claims(_payload(credential)) is None
    assert jose.check_jwt_claims(_payload(credential, **claims)) == message


@pytest.mark.parametrize("dates", [
    {"validFrom": "2026-06-01T00:00:00z"},  # XML Schema dateTime, which VC 2.0 uses, spells UTC "Z" only
    {"validFrom": "June 1st, 2026"},
    {"validUntil": "2028-13-01T00:00:00Z"},
    {"validFrom": 1780272000},
])
def test_dates_that_are_not_date_times_are_reported_not_raised(dates):
    payload = {**_credential(), "iss": ISSUER, **dates}
    assert jose.check_jwt_claims(payload) == "the credential's dates are not valid date-times"


def test_a_jwt_made_here_round_trips_through_decoding():
    token = jose.encode_vc_jwt(_credential(), private_key=RSA_KEY, kid="k")
    header, payload, signing_input, signature = jose.decode_jwt(" " + token + "\n")
    assert header == {"alg": "RS256", "typ": "JWT", "kid": "k"}
    assert jose.credential_from_jwt_payload(payload) == _credential()
    assert jose.verify_rs256(signing_input, signature, RSA_KEY.public_key())
    assert jose.check_jwt_claims(payload) is None
    assert json.loads(jose.b64url_decode(token.split(".")[1]))["nbf"] == JUNE_1_2026


def test_a_token_whose_payload_is_not_json_is_not_said_to_be_beyond_a_limit():
    # It used to read "... is beyond a limit: This is not valid JSON (Expecting value at line 1, column 1).."
    token = "e30." + jose.b64url_encode(b"not json") + ".AA"
    report = verify.verify_credential(token, resolve_key=lambda kid: None, resolve_status=lambda url: None)
    assert report.reason == ("This JWT cannot be read: the JWT's header or payload is not acceptable JSON: "
                             "This is not valid JSON (Expecting value at line 1, column 1).")


@pytest.mark.parametrize("issuer,found", [
    (ISSUER, ISSUER),
    ({"id": ISSUER, "type": ["Profile"]}, ISSUER),
    ({"type": ["Profile"], "name": "NTU"}, None),
    ({"id": 42}, None),
    ({"id": [ISSUER]}, None),
    ([ISSUER], None),
    (42, None),
    (None, None),
])
def test_the_issuer_id_is_a_url_or_a_profiles_id_and_nothing_else(issuer, found):
    assert jose.issuer_id({"issuer": issuer}) == found
    assert jose.claims_for(_credential(issuer=issuer))["iss"] == found
