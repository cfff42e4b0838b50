"""Multibase (base58btc ``z``, base64url ``u``) and Ed25519 Multikey encodings."""

from __future__ import annotations

import base64

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {c: i for i, c in enumerate(ALPHABET)}
ED25519_PREFIX = b"\xed\x01"


def b58encode(data: bytes) -> str:
    zeros = len(data) - len(data.lstrip(b"\0"))
    number = int.from_bytes(data, "big")
    out = []
    while number:
        number, rest = divmod(number, 58)
        out.append(ALPHABET[rest])
    return "1" * zeros + "".join(reversed(out))


def b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        if char not in _INDEX:
            raise ValueError(f"{char!r} is not a base58 character")
        number = number * 58 + _INDEX[char]
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def encode_base58btc(data: bytes) -> str:
    return "z" + b58encode(data)


def decode_multibase(text: str) -> bytes:
    if not isinstance(text, str) or not text:
        raise ValueError("expected a multibase string")
    if text[0] == "z":
        return b58decode(text[1:])
    if text[0] == "u":
        body = text[1:]
        return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    raise ValueError(f"multibase prefix {text[0]!r} is not supported; expected 'z' (base58btc) or 'u' (base64url)")


def ed25519_multikey(raw_public_key: bytes) -> str:
    if len(raw_public_key) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    return encode_base58btc(ED25519_PREFIX + raw_public_key)


def ed25519_from_multikey(text: str) -> bytes:
    data = decode_multibase(text)
    if not data.startswith(ED25519_PREFIX) or len(data) != 34:
        raise ValueError("not an Ed25519 Multikey (expected the 0xed01 prefix and 32 key bytes)")
    return data[2:]
