"""W3C Bitstring Status List v1.0: one bit per credential, GZIP then base64url (no padding) with
the multibase prefix ``u``. Bit 0 is the most significant bit of the first byte."""

from __future__ import annotations

import base64
import binascii
import gzip
import zlib
from typing import Any

MIN_SIZE = 131_072
VC_V2 = "https://www.w3.org/ns/credentials/v2"  # the same as ld.VC_V2; this module stays free of pyld


class BitString:
    def __init__(self, size: int = MIN_SIZE, data: bytes | None = None):
        if size <= 0 or size % 8:
            raise ValueError("the size is a positive multiple of 8 bits")
        self.size = size
        self.bytes = bytearray(data if data is not None else size // 8)

    def _check(self, index: int) -> None:
        if not 0 <= index < self.size:
            raise IndexError(f"status index {index} is outside the list (0–{self.size - 1})")

    def get(self, index: int) -> bool:
        self._check(index)
        return bool(self.bytes[index // 8] & (0x80 >> (index % 8)))

    def set(self, index: int, value: bool) -> None:
        self._check(index)
        if value:
            self.bytes[index // 8] |= 0x80 >> (index % 8)
        else:
            self.bytes[index // 8] &= ~(0x80 >> (index % 8)) & 0xFF

    def encode(self) -> str:
        compressed = gzip.compress(bytes(self.bytes), mtime=0)
        return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode()

    @classmethod
    def decode(cls, encoded: object) -> BitString:
        if not isinstance(encoded, str) or not encoded.startswith("u"):
            raise ValueError("encodedList must start with the multibase prefix 'u' (base64url)")
        body = encoded[1:]
        try:
            compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        except (binascii.Error, ValueError) as exc:
            raise ValueError("encodedList is not base64url") from exc
        try:
            data = gzip.decompress(compressed)
        except (OSError, EOFError, zlib.error) as exc:
            raise ValueError("encodedList is not GZIP-compressed") from exc
        if len(data) * 8 < MIN_SIZE:
            raise ValueError(f"the status list has {len(data) * 8} entries; at least {MIN_SIZE} are required")
        return cls(len(data) * 8, data)


def status_entry(*, list_url: str, index: int, purpose: str = "revocation") -> dict[str, str]:
    return {"id": f"{list_url}#{index}", "type": "BitstringStatusListEntry", "statusPurpose": purpose,
            "statusListIndex": str(index), "statusListCredential": list_url}


def status_list_credential(*, url: str, issuer: str | dict[str, Any], valid_from: str, encoded_list: str,
                           purpose: str = "revocation") -> dict[str, Any]:
    return {
        "@context": [VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": valid_from,
        "credentialSubject": {"id": url + "#list", "type": "BitstringStatusList", "statusPurpose": purpose,
                              "encodedList": encoded_list},
    }
