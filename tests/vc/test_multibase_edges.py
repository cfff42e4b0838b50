"""Multibase and Multikey against published values: base58btc as the IETF base58 draft's examples
encode, base64url bodies of every padding length, and the W3C vc-di-eddsa key pair, whose public
Multikey is derived here from its secret key; malformed input is refused with a reason."""

import base64

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from forward.vc import di, ld, verify
from forward.vc.multibase import (
    b58decode,
    b58encode,
    decode_multibase,
    ed25519_from_multikey,
    ed25519_multikey,
)

# W3C vc-di-eddsa TestVectors/keyPair.json: the secret key is the 0x8026 multicodec prefix and a 32-byte seed.
W3C_SECRET = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
W3C_PUBLIC = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"


def _w3c_private() -> ed25519.Ed25519PrivateKey:
    secret = decode_multibase(W3C_SECRET)
    assert secret[:2] == b"\x80\x26" and len(secret) == 34
    return ed25519.Ed25519PrivateKey.from_private_bytes(secret[2:])


def _raw(public: ed25519.Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


# draft-msporny-base58-03, section 5 (and the empty and all-zero edge cases it implies)
@pytest.mark.parametrize("data,encoded", [
    (b"Hello World!", "2NEpo7TZRRrLZSi2U"),
    (b"The quick brown fox jumps over the lazy dog.", "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z"),
    (bytes([0x00, 0x00, 0x28, 0x7F, 0xB4, 0xCD]), "11233QC4"),
    (b"\0\0", "11"),
    (b"", ""),
])
def test_base58_encodes_and_decodes_the_published_examples(data, encoded):
    assert b58encode(data) == encoded
    assert b58decode(encoded) == data
    assert decode_multibase("z" + encoded) == data


def test_a_character_outside_the_base58_alphabet_is_named():
    for bad in ("0", "O", "I", "l", "+"):
        with pytest.raises(ValueError) as caught:
            b58decode("2NEp" + bad)
        assert str(caught.value) == f"{bad!r} is not a base58 character"


@pytest.mark.parametrize("length", range(13))
def test_a_base64url_multibase_body_decodes_whatever_padding_it_left_out(length):
    data = bytes(range(200, 200 + length))
    body = base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")
    assert decode_multibase("u" + body) == data


def test_base64url_multibase_uses_the_url_safe_alphabet():
    assert decode_multibase("u-_8") == b"\xfb\xff"  # "+/8" in standard base64


@pytest.mark.parametrize("text,message", [
    ("", "expected a multibase string"),
    (None, "expected a multibase string"),
    (b"z2NEpo7TZRRrLZSi2U", "expected a multibase string"),
    ("mAQID", "multibase prefix 'm' is not supported; expected 'z' (base58btc) or 'u' (base64url)"),
    ("UAQID", "multibase prefix 'U' is not supported; expected 'z' (base58btc) or 'u' (base64url)"),
    ("Z2NEpo7TZRRrLZSi2U", "multibase prefix 'Z' is not supported; expected 'z' (base58btc) or 'u' (base64url)"),
])
def test_a_missing_or_unknown_multibase_prefix_is_refused(text, message):
    with pytest.raises(ValueError) as caught:
        decode_multibase(text)
    assert str(caught.value) == message


def test_the_w3c_key_pair_public_multikey_is_derived_from_its_secret_key():
    raw = _raw(_w3c_private().public_key())
    assert ed25519_multikey(raw) == W3C_PUBLIC
    assert ed25519_from_multikey(W3C_PUBLIC) == raw


@pytest.mark.parametrize("size", [0, 31, 33, 34])
def test_only_a_32_byte_key_becomes_an_ed25519_multikey(size):
    with pytest.raises(ValueError) as caught:
        ed25519_multikey(b"\x07" * size)
    assert str(caught.value) == "an Ed25519 public key is 32 bytes"


@pytest.mark.parametrize("data", [
    b"\xed\x01" + b"\x07" * 31,  # the prefix, one key byte short
    b"\xed\x01" + b"\x07" * 33,  # the prefix, one key byte too many
    b"\xe7\x01" + b"\x07" * 32,  # a secp256k1 public key's prefix
    b"\x80\x26" + b"\x07" * 32,  # an Ed25519 secret key's prefix
])
def test_anything_but_the_ed25519_prefix_and_32_bytes_is_not_an_ed25519_multikey(data):
    for text in ("z" + b58encode(data), "u" + base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")):
        with pytest.raises(ValueError) as caught:
            ed25519_from_multikey(text)
        assert str(caught.value) == "not an Ed25519 Multikey (expected the 0xed01 prefix and 32 key bytes)"


def test_a_key_published_as_a_multikey_verifies_what_its_secret_key_signed():
    issuer = "https://forward.example/credentials/issuers/ntu"
    kid = issuer + "/keys/w3c-ed25519"
    private = _w3c_private()
    published = {"@context": "https://w3id.org/security/multikey/v1", "id": kid, "type": "Multikey",
                 "controller": issuer, "publicKeyMultibase": ed25519_multikey(_raw(private.public_key()))}
    keys = verify.keys_from_document(published)
    assert list(keys) == [kid] and keys[kid].controller == issuer
    document = {"@context": [ld.VC_V2], "type": ["VerifiableCredential"], "issuer": issuer,
                "credentialSubject": {"id": "did:example:ana"}}
    signed = di.sign(document, private_key=private, verification_method=kid, created="2026-06-01T00:00:00Z")
    assert di.verify(signed, public_key=keys[kid].key)
