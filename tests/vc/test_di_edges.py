"""Data Integrity eddsa-rdfc-2022 proofs checked against an independent computation: the reference
(pyld) canonical forms, SHA-256 and ``cryptography``'s Ed25519 give the same signature data; proofs
signed that way (with proof options Forward itself never writes) verify here; every proof that
cannot be checked is refused with the whole reason."""

import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from forward.vc import di, jose, ld
from forward.vc.multibase import b58decode, b58encode, decode_multibase

# W3C vc-di-eddsa TestVectors/keyPair.json (secret key: 0x8026 prefix and the 32-byte seed)
W3C_KEY = ed25519.Ed25519PrivateKey.from_private_bytes(
    decode_multibase("z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq")[2:])
W3C_PUBLIC = W3C_KEY.public_key()
ISSUER = "https://forward.example/credentials/issuers/ntu"
KID = ISSUER + "/keys/abc-ed25519"
CREATED = "2026-06-01T00:00:00Z"


def credential(**changes) -> dict:
    document = {"@context": [ld.VC_V2, ld.OB_V3], "id": "urn:uuid:0b8f",
                "type": ["VerifiableCredential", "OpenBadgeCredential"],
                "issuer": {"id": ISSUER, "type": ["Profile"], "name": "NTU"}, "validFrom": CREATED,
                "credentialSubject": {"id": "did:example:ana", "type": ["AchievementSubject"],
                                      "achievement": {"id": "https://forward.example/a", "type": ["Achievement"],
                                                      "name": "Cloud 云", "criteria": {"narrative": "50%"}}}}
    document.update(changes)
    return document


def reference_data(document: dict, options: dict) -> bytes:
    """SHA-256 of the reference canonical proof options ‖ of the reference canonical document."""
    return (hashlib.sha256(ld.canonize(options).encode("utf-8")).digest()
            + hashlib.sha256(ld.canonize(document).encode("utf-8")).digest())


def signed(**changes) -> dict:
    return di.sign(credential(**changes), private_key=W3C_KEY, verification_method=KID, created=CREATED)


def test_the_proof_is_an_ed25519_signature_of_the_reference_hashes():
    document = signed()
    assert document["proof"] == [{"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "created": CREATED,
                                  "verificationMethod": KID, "proofPurpose": "assertionMethod",
                                  "proofValue": document["proof"][0]["proofValue"]}]
    assert {k: v for k, v in document.items() if k != "proof"} == credential()
    proof_value = document["proof"][0]["proofValue"]
    assert proof_value.startswith("z")
    options = {"@context": [ld.VC_V2, ld.OB_V3], "type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
               "created": CREATED, "verificationMethod": KID, "proofPurpose": "assertionMethod"}
    # Ed25519 is deterministic: the same signature as cryptography makes over the reference data
    assert b58decode(proof_value[1:]) == W3C_KEY.sign(reference_data(credential(), options))
    assert di.verify(document, public_key=W3C_PUBLIC, canonize=ld.canonize)


def test_a_proof_with_options_forward_does_not_write_verifies_and_covers_them():
    # Data Integrity allows more proof options (here `expires` and `nonce`); they are signed too.
    document = credential()
    proof = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "created": CREATED,
             "expires": "2027-06-01T00:00:00Z", "nonce": "5c9a", "verificationMethod": KID,
             "proofPurpose": "assertionMethod"}
    signature = W3C_KEY.sign(reference_data(document, {"@context": document["@context"], **proof}))
    secured = {**document, "proof": {**proof, "proofValue": "z" + b58encode(signature)}}
    assert di.verify(secured, public_key=W3C_PUBLIC)
    assert di.verify(secured, public_key=W3C_PUBLIC, canonize=ld.canonize)
    secured["proof"]["expires"] = "2099-06-01T00:00:00Z"
    assert not di.verify(secured, public_key=W3C_PUBLIC)


def test_a_signed_document_signed_again_carries_only_the_new_proof():
    other = ed25519.Ed25519PrivateKey.generate()
    again = di.sign(signed(), private_key=other, verification_method=ISSUER + "/keys/new-ed25519", created=CREATED)
    assert len(again["proof"]) == 1 and again["proof"][0]["verificationMethod"] == ISSUER + "/keys/new-ed25519"
    assert di.verify(again, public_key=other.public_key())
    assert not di.verify(again, public_key=W3C_PUBLIC)


def test_a_proof_carrying_the_credentials_own_context_verifies():
    document = signed()
    document["proof"][0]["@context"] = [ld.VC_V2, ld.OB_V3]
    assert di.verify(document, public_key=W3C_PUBLIC)


def test_a_member_no_context_defines_cannot_be_signed():
    with pytest.raises(di.ProofError) as caught:
        signed(gradeBand="A")
    assert str(caught.value) == "the member 'gradeBand' is not defined by the document's contexts (JSON-LD safe mode)"


def test_the_eddsa_proof_is_picked_out_of_several():
    document = signed()
    eddsa = document["proof"][0]
    ecdsa = {**eddsa, "cryptosuite": "ecdsa-rdfc-2019", "proofValue": "z" + b58encode(b"\1" * 64)}
    for proofs in ([ecdsa, eddsa], [eddsa, ecdsa], ["a proof", eddsa], [None, eddsa]):
        assert di.proof_of({**document, "proof": proofs}) == eddsa
        assert di.verify({**document, "proof": proofs}, public_key=W3C_PUBLIC)


def _proof(**changes) -> dict:
    proof = dict(signed()["proof"][0])
    proof.update(changes)
    return {k: v for k, v in proof.items() if v is not None}


@pytest.mark.parametrize("proof,message", [
    (None, "the credential has no embedded proof"),
    ("z3J", "the credential has no embedded proof"),
    ([], "the credential has no single eddsa-rdfc-2022 proof"),
    ([_proof(), _proof(created="2026-06-02T00:00:00Z")], "the credential has no single eddsa-rdfc-2022 proof"),
    (_proof(type="Ed25519Signature2020"), "the proof is a 'Ed25519Signature2020' / 'eddsa-rdfc-2022'; "
                                          "expected a DataIntegrityProof with the eddsa-rdfc-2022 cryptosuite"),
    (_proof(cryptosuite="eddsa-jcs-2022"), "the proof is a 'DataIntegrityProof' / 'eddsa-jcs-2022'; "
                                           "expected a DataIntegrityProof with the eddsa-rdfc-2022 cryptosuite"),
    (_proof(type=None), "the proof is a None / 'eddsa-rdfc-2022'; "
                        "expected a DataIntegrityProof with the eddsa-rdfc-2022 cryptosuite"),
    (_proof(proofPurpose="authentication"), "the proof's purpose is not assertionMethod"),
    (_proof(proofPurpose=None), "the proof's purpose is not assertionMethod"),
    (_proof(verificationMethod=None), "the proof has no verificationMethod"),
    (_proof(verificationMethod={"id": KID}), "the proof has no verificationMethod"),
    (_proof(created=""), "the proof has no created"),
    (_proof(created=1780272000), "the proof has no created"),
    (_proof(proofValue=None), "the proof has no proofValue"),
    (_proof(proofValue=["z3J"]), "the proof has no proofValue"),
])
def test_a_proof_of_the_wrong_shape_is_refused_with_the_reason(proof, message):
    document = {**credential(), "proof": proof}
    with pytest.raises(di.ProofError) as caught:
        di.proof_of(document)
    assert str(caught.value) == message
    with pytest.raises(di.ProofError) as caught:
        di.verify(document, public_key=W3C_PUBLIC)
    assert str(caught.value) == message


RFC7515_RSA = rsa.RSAPublicNumbers(65537, int.from_bytes(jose.b64url_decode(
    "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-"
    "yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-"
    "KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_"
    "h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ"), "big")).public_key()


def test_a_proof_that_cannot_be_checked_is_refused_with_the_reason():
    def refused(document, public_key=W3C_PUBLIC) -> str:
        with pytest.raises(di.ProofError) as caught:
            di.verify(document, public_key=public_key)
        return str(caught.value)

    assert refused(signed(), RFC7515_RSA) == "the proof's verification method is not an Ed25519 key"
    document = signed()
    document["proof"][0]["@context"] = [ld.VC_V2]
    assert refused(document) == "the proof's @context differs from the credential's"
    document = signed()
    signature = b58decode(document["proof"][0]["proofValue"][1:])
    for value, message in [
        ("x" + b58encode(signature), "the proofValue is not multibase (multibase prefix 'x' is not supported; "
                                     "expected 'z' (base58btc) or 'u' (base64url))"),
        ("z" + b58encode(signature) + "0", "the proofValue is not multibase ('0' is not a base58 character)"),
        ("u" + jose.b64url_encode(signature), "the proofValue is not a base58btc Ed25519 signature"),
        ("z3J", "the proofValue is not a base58btc Ed25519 signature"),
        ("z" + b58encode(signature + b"\0"), "the proofValue is not a base58btc Ed25519 signature"),
    ]:
        document["proof"][0]["proofValue"] = value
        assert refused(document) == message
