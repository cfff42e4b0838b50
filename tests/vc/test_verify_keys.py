"""Keys and status lists read from what an issuer publishes, as `forward verify` reads them offline:
which keys are found, whose they are, and why a document is refused (the whole message)."""

from urllib.parse import urldefrag

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from forward.vc import jose, verify

from .helpers_verify import bits, controller_document, multikey, raw, signed, status_list
from .issuer import ED_KEY, ED_KID, ISSUER, KEYS, RSA_KEY, RSA_KID, STATUS_URL, credential


def refused(document) -> str:
    with pytest.raises(ValueError) as caught:
        verify.keys_from_document(document)
    return str(caught.value)


def described(found: dict[str, verify.PublicKey]) -> dict[str, tuple[str, str, bytes]]:
    return {kid: (key.id, key.controller, raw(key.key)) for kid, key in found.items()}


ED = raw(ED_KEY.public_key())
RSA = raw(RSA_KEY.public_key())
JWKS = {"keys": [jose.rsa_public_jwk(RSA_KEY.public_key(), kid=RSA_KID),
                 jose.ed25519_public_jwk(ED_KEY.public_key(), kid=ED_KID)]}


# --- keys_from_document -----------------------------------------------------------------------------

def test_a_jwks_gives_each_key_owned_by_the_issuer_its_url_names():
    assert described(verify.keys_from_document(JWKS)) == {RSA_KID: (RSA_KID, ISSUER, RSA), ED_KID: (ED_KID, ISSUER, ED)}
    assert described(verify.keys_from_document(JWKS["keys"][0])) == {RSA_KID: (RSA_KID, ISSUER, RSA)}


def test_a_multikey_document_gives_its_key_and_controller():
    elsewhere = "https://elsewhere.example/issuers/acme"
    assert described(verify.keys_from_document(multikey(controller=elsewhere))) == {ED_KID: (ED_KID, elsewhere, ED)}


def test_a_profile_gives_its_multikeys_only():
    other = ed25519.Ed25519PrivateKey.generate()
    other_kid = ISSUER + "/keys/77aa-ed25519"
    profile = controller_document(verificationMethod=[
        ED_KID,  # a reference, not a key
        {"id": ISSUER + "#jwk-1", "type": "JsonWebKey", "controller": ISSUER,
         "publicKeyJwk": jose.ed25519_public_jwk(other.public_key(), kid=ISSUER + "#jwk-1")},
        multikey(),
        multikey(other_kid, key=other)])
    assert described(verify.keys_from_document(profile)) == {ED_KID: (ED_KID, ISSUER, ED),
                                                             other_kid: (other_kid, ISSUER, raw(other.public_key()))}


def test_a_profile_with_multikeys_ignores_its_older_jwks():
    profile = controller_document(jwks=JWKS)
    assert described(verify.keys_from_document(profile)) == {ED_KID: (ED_KID, ISSUER, ED)}


def test_a_profile_without_multikeys_gives_its_jwks_owned_by_the_profile():
    # The JWKS's key ids need not be under the profile's URL: the profile that publishes them owns them.
    kid = "https://keys.example/ntu#rsa-1"
    jwks = {"keys": [jose.rsa_public_jwk(RSA_KEY.public_key(), kid=kid)]}
    for profile in ({"id": ISSUER, "type": ["Profile"], "jwks": jwks},
                    controller_document(verificationMethod=[], jwks=jwks)):
        assert described(verify.keys_from_document(profile)) == {kid: (kid, ISSUER, RSA)}
    # without an id, each key belongs to the issuer its own URL names
    assert described(verify.keys_from_document({"jwks": jwks})) == {kid: (kid, "https://keys.example/ntu", RSA)}
    assert described(verify.keys_from_document({"id": 7, "jwks": jwks})) == {kid: (kid, "https://keys.example/ntu", RSA)}


def test_a_profile_listing_no_key_gives_none():
    assert verify.keys_from_document(controller_document(verificationMethod=[])) == {}
    assert verify.keys_from_document(controller_document(verificationMethod=[ED_KID])) == {}


@pytest.mark.parametrize("kid", [
    "did:web:issuer.example#key-1",
    "https://issuer.example/profile#key-1",
    "https://issuer.example/profile#key#1",
    "https://issuer.example/profile",
    "https://issuer.example/profile with space#key-1",
])
def test_a_jwk_outside_forward_belongs_to_its_url_without_the_fragment(kid):
    found = verify.keys_from_document(jose.ed25519_public_jwk(ED_KEY.public_key(), kid=kid))
    assert described(found) == {kid: (kid, urldefrag(kid).url, ED)}


@pytest.mark.parametrize("document,message", [
    ([JWKS], "expected a JSON object"),
    ("{}", "expected a JSON object"),
    ({"hello": "world"}, "not a JWKS, an issuer profile, a JWK or a Multikey document"),
    ({"type": ["Profile"], "id": ISSUER}, "not a JWKS, an issuer profile, a JWK or a Multikey document"),
    ({k: v for k, v in multikey().items() if k != "controller"}, "a Multikey document needs an id and a controller"),
    ({k: v for k, v in multikey().items() if k != "id"}, "a Multikey document needs an id and a controller"),
    ({**multikey(), "controller": {"id": ISSUER}}, "a Multikey document needs an id and a controller"),
    ({k: v for k, v in multikey().items() if k != "publicKeyMultibase"}, "expected a multibase string"),
    ({k: v for k, v in jose.ed25519_public_jwk(ED_KEY.public_key(), kid=ED_KID).items() if k != "kid"},
     "a JWK without a kid cannot be matched to a credential"),
    ({"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "AAAA"}]}, "a JWK without a kid cannot be matched to a credential"),
])
def test_a_document_without_usable_keys_is_refused_saying_why(document, message):
    assert refused(document) == message


# --- status_from_document ---------------------------------------------------------------------------

def test_a_status_list_signed_by_its_issuer_gives_its_url_and_bits():
    url, found = verify.status_from_document(signed(status_list(bits(7, 131_071))), KEYS)
    assert url == STATUS_URL and found.size == 131_072
    assert [i for i in range(found.size) if found.get(i)] == [7, 131_071]


def status_refused(document, keys=KEYS, controllers=None) -> str:
    with pytest.raises(ValueError) as caught:
        verify.status_from_document(document, keys, controllers)
    return str(caught.value)


def test_a_document_that_is_not_a_status_list_is_refused():
    assert status_refused(signed(credential())) == "not a BitstringStatusListCredential"
    assert status_refused(status_list(bits(), type=None)) == "not a BitstringStatusListCredential"  # looked at first


def test_a_status_list_signed_by_a_key_not_given_is_refused_naming_it():
    stranger = ed25519.Ed25519PrivateKey.generate()
    kid = ISSUER + "/keys/9999-ed25519"
    assert status_refused(signed(status_list(bits()), key=stranger, kid=kid)) == (
        f"the status list is signed with {kid}, which is not among the keys given")


def test_a_status_list_issued_by_another_than_the_keys_owner_is_refused():
    document = signed(status_list(bits(), issuer="https://elsewhere.example/issuers/acme"))
    assert status_refused(document) == "the status list is not issued by the owner of the key that signed it"


def test_a_status_list_changed_after_signing_is_refused():
    document = signed(status_list(bits(7)))
    document["credentialSubject"]["encodedList"] = bits().encode()  # someone un-revokes
    assert status_refused(document) == "the status list's signature does not match: it was changed after it was signed"


def test_a_status_list_without_an_id_is_refused():
    assert status_refused(signed(status_list(bits(), id=None))) == (
        "the status list has no id, so no credential can refer to it")


def test_a_status_list_key_its_controller_does_not_authorize_is_refused():
    document = signed(status_list(bits()))
    assert status_refused(document, controllers={ISSUER: controller_document(assertion_method=[])}) == (
        f"the key {ED_KID} is not listed under assertionMethod in its controller's document")
    assert verify.status_from_document(document, KEYS, {ISSUER: controller_document(assertion_method=ED_KID)})[0] == (
        STATUS_URL)
    assert verify.status_from_document(document, KEYS, {})[0] == STATUS_URL  # a controller not given is not checked


@pytest.mark.parametrize("issuer", [
    "https://forward.example/credentials/issuers/keys",  # an organization called Keys
    "https://uni.example/keys/forward/credentials/issuers/ntu",  # a site served under /keys/
    "https://uni.example/keys/forward/credentials/issuers/keys",
])
def test_a_jwk_of_an_issuer_whose_url_has_keys_in_it_belongs_to_that_issuer(issuer):
    # Forward's key ids are <issuer>/keys/<token>-<alg>: the issuer is everything before the last /keys/,
    # as the site reads its own key URLs. Reading it before the first one gave .../issuers (or the
    # site's host), so `forward verify --keys jwks.json` refused the VC-JWTs of such an issuer.
    kid = issuer + "/keys/5e1f-rs256"
    found = verify.keys_from_document({"keys": [jose.rsa_public_jwk(RSA_KEY.public_key(), kid=kid)]})
    assert described(found) == {kid: (kid, issuer, RSA)}
    token = jose.encode_vc_jwt(credential(issuer={"id": issuer, "type": ["Profile"], "name": "Keys"},
                                          credentialStatus=None), private_key=RSA_KEY, kid=kid)
    assert verify.verify_credential(token, resolve_key=found.get, resolve_status={}.get).ok


@pytest.mark.parametrize("jwk,message", [
    ({"kty": "EC", "crv": "P-256", "kid": "https://x.example/k#1", "x": "AA", "y": "AA"},
     "unsupported key type 'EC' / P-256; expected RSA or OKP Ed25519"),
    ({"kty": "OKP", "crv": "Ed25519", "kid": "https://x.example/k#1", "x": "AAAA"},
     "the JWK https://x.example/k#1 is malformed (An Ed25519 public key is 32 bytes long)"),
])
def test_a_jwk_that_cannot_be_read_is_refused_as_a_value_error(jwk, message):
    # `forward verify --keys` reports a ValueError as a usage error; a JoseError used to escape as a traceback.
    assert refused({"keys": [JWKS["keys"][0], jwk]}) == message
