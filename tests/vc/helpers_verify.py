"""An issuer, its keys and signed credentials built in memory, for the tests of verify.py's status,
issuer and key checks."""

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from forward.vc import di, jose, ld, statuslist
from forward.vc.multibase import ed25519_multikey

from .issuer import ED_KEY, ED_KID, ISSUER, RSA_KEY, RSA_KID, STATUS_URL

SUSPENSIONS_URL = "https://forward.example/credentials/status/ntu/2"


def raw(public_key) -> bytes:
    """A public key's bytes, to tell whether two key objects are the same key."""
    if isinstance(public_key, ed25519.Ed25519PublicKey):
        return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def multikey(kid: str = ED_KID, controller: str = ISSUER, key: ed25519.Ed25519PrivateKey = ED_KEY) -> dict:
    raw_key = raw(key.public_key())
    return {"id": kid, "type": "Multikey", "controller": controller, "publicKeyMultibase": ed25519_multikey(raw_key)}


def controller_document(*, assertion_method: object = None, **changes) -> dict:
    """The issuer's profile: a controller document listing its Multikey (under assertionMethod when given)."""
    document = {"@context": [ld.VC_V2, ld.OB_V3, "https://w3id.org/security/multikey/v1"],
                "id": ISSUER, "type": ["Profile"], "name": "NTU", "verificationMethod": [multikey()]}
    if assertion_method is not None:
        document["assertionMethod"] = assertion_method
    document.update(changes)
    return document


def signed(document: dict, *, key: ed25519.Ed25519PrivateKey = ED_KEY, kid: str = ED_KID) -> dict:
    return di.sign(document, private_key=key, verification_method=kid, created="2026-06-01T00:00:00Z")


def as_jwt(document: dict) -> str:
    return jose.encode_vc_jwt(document, private_key=RSA_KEY, kid=RSA_KID)


def bits(*set_: int) -> statuslist.BitString:
    found = statuslist.BitString()
    for index in set_:
        found.set(index, True)
    return found


def status_list(bit_string: statuslist.BitString, *, url: str = STATUS_URL, issuer: str = ISSUER,
                **changes) -> dict:
    """A BitstringStatusListCredential as published, before it is signed."""
    document = statuslist.status_list_credential(url=url, issuer=issuer, valid_from="2026-06-01T00:00:00Z",
                                                 encoded_list=bit_string.encode())
    document.update(changes)
    return {k: v for k, v in document.items() if v is not None}
