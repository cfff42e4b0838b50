"""W3C Data Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite: canonicalize the document and
the proof options with RDFC-1.0, hash each with SHA-256, sign proof-hash ‖ document-hash with
Ed25519, and store the signature as base58btc multibase ``proofValue``."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from . import ld
from .multibase import decode_multibase, encode_base58btc

CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_TYPE = "DataIntegrityProof"


class ProofError(ValueError):
    """A proof that cannot be checked; the message says what is wrong with it."""


Canonize = Callable[[dict[str, Any]], str]


def proof_options(*, context: object, verification_method: str, created: str,
                  proof_purpose: str = "assertionMethod") -> dict[str, Any]:
    return {"@context": context, "type": PROOF_TYPE, "cryptosuite": CRYPTOSUITE, "created": created,
            "verificationMethod": verification_method, "proofPurpose": proof_purpose}


_STANDARD_OPTIONS = {"@context", "type", "cryptosuite", "created", "verificationMethod", "proofPurpose"}


@lru_cache(maxsize=4096)
def _options_hash(context: tuple[str, ...], proof_type: str, cryptosuite: str, created: str, method: str, purpose: str) -> bytes:
    options = {"@context": list(context), "type": proof_type, "cryptosuite": cryptosuite, "created": created,
               "verificationMethod": method, "proofPurpose": purpose}
    return hashlib.sha256(ld.fast_canonize(options).encode("utf-8")).digest()


def _proof_hash(options: dict[str, Any], canonize: Canonize) -> bytes:
    context = options.get("@context")
    if (canonize is ld.fast_canonize and set(options) == _STANDARD_OPTIONS and isinstance(context, list)
            and all(isinstance(options[k], str) for k in _STANDARD_OPTIONS - {"@context"})
            and all(isinstance(c, str) for c in context)):
        # A batch shares its proof options (same key, same second): canonicalize them once.
        return _options_hash(tuple(context), options["type"], options["cryptosuite"], options["created"],
                             options["verificationMethod"], options["proofPurpose"])
    return hashlib.sha256(canonize(options).encode("utf-8")).digest()


def hash_data(document: dict[str, Any], options: dict[str, Any], *, canonize: Canonize = ld.fast_canonize) -> bytes:
    """SHA-256(canonical proof options) ‖ SHA-256(canonical document), as the cryptosuite says."""
    try:
        proof_hash = _proof_hash(options, canonize)
        document_hash = hashlib.sha256(canonize(document).encode("utf-8")).digest()
    except ValueError as exc:
        raise ProofError(str(exc)) from exc
    return proof_hash + document_hash


def sign(document: dict[str, Any], *, private_key: ed25519.Ed25519PrivateKey, verification_method: str,
         created: str) -> dict[str, Any]:
    """The document with an embedded ``proof``: an array of one proof, as 1EdTech's Open Badges
    3.0 schema requires (Data Integrity allows a single object too; :func:`proof_of` reads both)."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    options = proof_options(context=unsecured["@context"], verification_method=verification_method,
                            created=created)
    signature = private_key.sign(hash_data(unsecured, options))
    proof = {k: v for k, v in options.items() if k != "@context"}
    proof["proofValue"] = encode_base58btc(signature)
    return {**unsecured, "proof": [proof]}


def proof_of(document: dict[str, Any]) -> dict[str, Any]:
    """The single eddsa-rdfc-2022 proof of a secured document (``proof`` an object, or an array as
    Forward issues since Open Badges' schema asked for one), checked for shape."""
    proof = document.get("proof")
    if isinstance(proof, list):
        candidates = [p for p in proof if isinstance(p, dict) and p.get("cryptosuite") == CRYPTOSUITE]
        if len(candidates) != 1:
            raise ProofError(f"the credential has no single {CRYPTOSUITE} proof")
        proof = candidates[0]
    if not isinstance(proof, dict):
        raise ProofError("the credential has no embedded proof")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError(f"the proof is a {proof.get('type')!r} / {proof.get('cryptosuite')!r}; "
                         f"expected a {PROOF_TYPE} with the {CRYPTOSUITE} cryptosuite")
    if proof.get("proofPurpose") != "assertionMethod":
        raise ProofError("the proof's purpose is not assertionMethod")
    for member in ("verificationMethod", "created", "proofValue"):
        if not isinstance(proof.get(member), str) or not proof[member]:
            raise ProofError(f"the proof has no {member}")
    return proof


def verify(document: dict[str, Any], *, public_key: ed25519.Ed25519PublicKey | rsa.RSAPublicKey,
           canonize: Canonize = ld.fast_canonize) -> bool:
    """Whether the document's proof was made by this key over exactly this document.

    Raises ProofError when the proof cannot be checked at all (malformed, unknown contexts)."""
    proof = proof_of(document)
    if not isinstance(public_key, ed25519.Ed25519PublicKey):
        raise ProofError("the proof's verification method is not an Ed25519 key")
    if proof.get("@context") is not None and proof["@context"] != document.get("@context"):
        raise ProofError("the proof's @context differs from the credential's")
    try:
        signature = decode_multibase(proof["proofValue"])
    except ValueError as exc:
        raise ProofError(f"the proofValue is not multibase ({exc})") from exc
    if not proof["proofValue"].startswith("z") or len(signature) != 64:
        raise ProofError("the proofValue is not a base58btc Ed25519 signature")
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    options["@context"] = document.get("@context")
    try:
        public_key.verify(signature, hash_data(unsecured, options, canonize=canonize))
    except InvalidSignature:
        return False
    return True
