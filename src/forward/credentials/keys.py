"""Issuing organizations' signing keys: generated on first use, private halves encrypted at rest
with settings.CREDENTIAL_KEYS (Fernet; the first key encrypts, every listed key decrypts),
published as a JWKS, rotated without breaking anything signed before."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from forward.core.models import Organization
from forward.vc import jose, ld
from forward.vc.multibase import ed25519_multikey

from .models import SigningKey


def issuer_id(organization: Organization) -> str:
    return settings.SITE_URL + reverse("credentials:issuer", args=[organization.slug])


def rsa_kid(key: SigningKey, organization: Organization | None = None) -> str:
    return f"{issuer_id(organization or key.organization)}/keys/{key.token}-rs256"


def ed25519_kid(key: SigningKey, organization: Organization | None = None) -> str:
    return f"{issuer_id(organization or key.organization)}/keys/{key.token}-ed25519"


def _fernet() -> MultiFernet:
    try:
        return MultiFernet([Fernet(k.encode()) for k in settings.CREDENTIAL_KEYS])
    except ValueError as exc:
        raise RuntimeError("FORWARD_CREDENTIAL_KEYS must be Fernet keys (32 url-safe base64-encoded bytes)") from exc


@dataclass(frozen=True)
class PrivateKeys:
    rsa: rsa.RSAPrivateKey
    ed25519: ed25519.Ed25519PrivateKey


def _new_rsa_key() -> rsa.RSAPrivateKey:
    """About 0.1 s of OpenSSL's time; the test suite hands out keys it made before (forward.testing)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _generate(organization: Organization) -> SigningKey:
    rsa_key = _new_rsa_key()
    ed_key = ed25519.Ed25519PrivateKey.generate()
    private = json.dumps({
        "rsa": rsa_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption()).decode(),
        "ed25519": ed_key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                        serialization.NoEncryption()).hex(),
    }).encode()
    encrypted = _fernet().encrypt(private)
    _loaded[encrypted] = PrivateKeys(rsa=rsa_key, ed25519=ed_key)  # the first signing needs no decryption
    return SigningKey(
        organization=organization, token=secrets.token_hex(6),
        rsa_public_pem=rsa_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode(),
        ed25519_public=ed_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw),
        private_encrypted=encrypted,
    )


def active_key(organization: Organization) -> SigningKey:
    """The organization's current key, made on first use (two racing first uses: one row wins)."""
    key = SigningKey.objects.filter(organization=organization, retired_at__isnull=True).first()
    if key is not None:
        return key
    new = _generate(organization)
    try:
        with transaction.atomic():
            new.save()
        return new
    except IntegrityError:
        return SigningKey.objects.get(organization=organization, retired_at__isnull=True)


@transaction.atomic
def rotate(organization: Organization) -> SigningKey:
    """Retire the active key (it stays published) and make a new one for what is issued next."""
    SigningKey.objects.select_for_update().filter(organization=organization, retired_at__isnull=True).update(
        retired_at=timezone.now())
    new = _generate(organization)
    new.save()
    return new


# Decrypted private keys by their encrypted form, once per process and key (and none for a key this
# process generated). Fernet authenticates what it decrypts, so a key read back is one this site
# generated: loading it skips OpenSSL's RSA key check, which takes about 40 ms per key.
_loaded: dict[bytes, PrivateKeys] = {}


def _decrypt(key_pk: int, token: bytes) -> PrivateKeys:
    try:
        data = json.loads(_fernet().decrypt(token))
    except InvalidToken as exc:
        raise RuntimeError("cannot decrypt a credential signing key: FORWARD_CREDENTIAL_KEYS does not hold the key "
                           "it was encrypted with (keep old keys in the list after rotating)") from exc
    rsa_key = serialization.load_pem_private_key(data["rsa"].encode(), password=None,
                                                 unsafe_skip_rsa_key_validation=True)
    if not isinstance(rsa_key, rsa.RSAPrivateKey):
        raise RuntimeError(f"the signing key {key_pk} holds no RSA private key")
    return PrivateKeys(
        rsa=rsa_key,
        ed25519=ed25519.Ed25519PrivateKey.from_private_bytes(bytes.fromhex(data["ed25519"])),
    )


def private_keys(key: SigningKey) -> PrivateKeys:
    """Decrypted once per process and key."""
    token = bytes(key.private_encrypted)
    found = _loaded.get(token)
    if found is None:
        found = _loaded[token] = _decrypt(key.pk, token)
    return found


@cache
def _rsa_public(pem: str) -> rsa.RSAPublicKey:
    found = serialization.load_pem_public_key(pem.encode())
    if not isinstance(found, rsa.RSAPublicKey):
        raise RuntimeError("a signing key's rsa_public_pem holds no RSA public key")
    return found


def rsa_public(key: SigningKey) -> rsa.RSAPublicKey:
    return _rsa_public(key.rsa_public_pem)


def ed25519_public(key: SigningKey) -> ed25519.Ed25519PublicKey:
    return ed25519.Ed25519PublicKey.from_public_bytes(bytes(key.ed25519_public))


def jwks(organization: Organization) -> dict[str, Any]:
    """Every key the organization ever signed with, newest first: retired keys stay, so earlier
    credentials keep verifying after a rotation."""
    keys = []
    for key in SigningKey.objects.filter(organization=organization).order_by("-created_at"):
        keys.append(rsa_jwk(key, organization))
        keys.append({**jose.ed25519_public_jwk(ed25519_public(key), kid=ed25519_kid(key, organization)),
                     "use": "sig", "alg": "EdDSA"})
    return {"keys": keys}


def rsa_jwk(key: SigningKey, organization: Organization | None = None) -> dict[str, Any]:
    """The public JWK a VC-JWT's `kid` names."""
    return {**jose.rsa_public_jwk(rsa_public(key), kid=rsa_kid(key, organization)), "use": "sig", "alg": "RS256"}


MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
DID_V1 = "https://www.w3.org/ns/did/v1"
# The issuer profile is the keys' controller document. VC 2.0 + OB 3.0 define the Profile; Multikey v1
# the keys; DID v1 defines `verificationMethod`, `assertionMethod` and `controller` with the same IRIs
# as the Controlled Identifiers context (https://www.w3.org/ns/cid/v1), which verifiers' bundled
# loaders (Digital Bazaar's security-document-loader 3.2) do not ship yet. No member is left undefined:
# JSON-LD verifiers frame this document in safe mode.
CONTROLLER_CONTEXT = [ld.VC_V2, ld.OB_V3, MULTIKEY_V1, DID_V1]


def verification_method(key: SigningKey, organization: Organization | None = None) -> dict[str, Any]:
    """The Ed25519 key as a Multikey verification method (a proof's `verificationMethod`)."""
    organization = organization or key.organization
    return {"id": ed25519_kid(key, organization), "type": "Multikey", "controller": issuer_id(organization),
            "publicKeyMultibase": ed25519_multikey(bytes(key.ed25519_public))}


def multikey_document(key: SigningKey) -> dict[str, Any]:
    """What a proof's `verificationMethod` URL dereferences to: the Multikey, naming its controller."""
    return {"@context": MULTIKEY_V1, **verification_method(key)}


def controller_document(organization: Organization) -> dict[str, Any]:
    """The issuer profile served at the issuer's id: an Open Badges Profile that is also the
    controller document of its Ed25519 keys, every one ever used (retired keys stay, so what they
    signed keeps verifying) listed under `assertionMethod`. The RSA keys of the VC-JWTs are JWKs,
    at their `kid` URLs and in the JWKS (`…/jwks.json`): no context a verifier ships defines a JWK
    verification method, and an undefined member would make the whole document invalid."""
    from .documents import issuer_profile

    methods = [verification_method(key, organization)
               for key in SigningKey.objects.filter(organization=organization).order_by("-created_at")]
    document = {"@context": CONTROLLER_CONTEXT, **issuer_profile(organization, issuer_id(organization))}
    if organization.description:
        document["description"] = organization.description
    document["verificationMethod"] = methods
    document["assertionMethod"] = [method["id"] for method in methods]
    return document
