"""The status list's encodedList: the same list always encodes to the same text (a re-signed list
changes only when a bit does), with no base64 padding, and what is not one is refused by name."""

from __future__ import annotations

import base64
import gzip

import pytest

from forward.vc.statuslist import MIN_SIZE, BitString, status_list_credential


def test_the_same_list_encodes_to_the_same_text_without_padding():
    bits = BitString()
    bits.set(5, True)
    encoded = bits.encode()
    assert encoded == BitString.decode(encoded).encode()
    assert encoded.startswith("u") and "=" not in encoded
    header = base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4))[:10]
    assert header[4:8] == b"\0\0\0\0"  # GZIP mtime 0: no clock in the credential


def test_bodies_of_every_length_decode():
    lengths = set()
    for extra in range(12):
        bits = BitString(MIN_SIZE + 8 * extra)
        bits.set(extra, True)
        body = bits.encode()[1:]
        lengths.add(len(body) % 4)
        decoded = BitString.decode("u" + body)
        assert decoded.size == bits.size and decoded.get(extra) and not decoded.get(extra + 1)
    assert lengths >= {2, 3}  # one and two padding characters left out


@pytest.mark.parametrize(("encoded", "message"), [
    ("zabc", "encodedList must start with the multibase prefix 'u' (base64url)"),
    ("uabcde", "encodedList is not base64url"),
    ("u" + base64.urlsafe_b64encode(b"plain bytes").rstrip(b"=").decode(), "encodedList is not GZIP-compressed"),
    ("u" + base64.urlsafe_b64encode(gzip.compress(bytes(16))).rstrip(b"=").decode(),
     "the status list has 128 entries; at least 131072 are required"),
    ("u" + base64.urlsafe_b64encode(gzip.compress(bytes(MIN_SIZE // 8 - 1))).rstrip(b"=").decode(),
     "the status list has 131064 entries; at least 131072 are required"),  # one byte short
])
def test_what_is_not_an_encoded_list_is_refused_by_name(encoded, message):
    with pytest.raises(ValueError) as caught:
        BitString.decode(encoded)
    assert str(caught.value) == message


def test_a_status_list_credential_is_for_revocation_unless_told():
    credential = status_list_credential(url="https://x.test/status/1", issuer="did:web:x.test",
                                        valid_from="2026-01-01T00:00:00Z", encoded_list="uAAAA")
    subject = credential["credentialSubject"]
    assert subject == {"id": "https://x.test/status/1#list", "type": "BitstringStatusList",
                       "statusPurpose": "revocation", "encodedList": "uAAAA"}
