"""The Bitstring Status List's bits, checked against the spec's rules (W3C Bitstring Status List
v1.0): bit 0 is the leftmost (most significant) bit of the first byte, the list is GZIP then
base64url with the multibase prefix "u", and it has at least 16 KB (131,072 entries)."""

from __future__ import annotations

import random

import pytest

from forward.vc.statuslist import MIN_SIZE, BitString

# The spec's example BitstringStatusListCredential: an all-zero list of the minimum size.
SPEC_ENCODED_LIST = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"


def _packed(bits: list[bool]) -> bytes:
    """The spec's layout, computed independently: the bits read left to right as one big number."""
    return int("".join("1" if bit else "0" for bit in bits), 2).to_bytes(len(bits) // 8, "big")


def test_the_spec_example_is_the_minimum_list_with_nothing_revoked():
    bits = BitString.decode(SPEC_ENCODED_LIST)
    assert bits.size == MIN_SIZE == 131_072
    assert not any(bits.get(index) for index in range(bits.size))
    # Ours differs only in the GZIP header's "extra flags" byte, which no reader interprets.
    assert BitString.decode(BitString().encode()).bytes == bits.bytes


@pytest.mark.parametrize("index", range(16))
def test_bit_n_counts_from_the_leftmost_bit_of_the_first_byte(index):
    bits = BitString(16)
    bits.set(index, True)
    assert bytes(bits.bytes) == (1 << (15 - index)).to_bytes(2, "big")
    assert [bits.get(other) for other in range(16)] == [other == index for other in range(16)]


@pytest.mark.parametrize("index", range(16))
def test_clearing_a_bit_leaves_its_neighbours_set(index):
    bits = BitString(16, b"\xff\xff")
    bits.set(index, False)
    assert bytes(bits.bytes) == (0xFFFF ^ (1 << (15 - index))).to_bytes(2, "big")
    assert [bits.get(other) for other in range(16)] == [other != index for other in range(16)]


def test_setting_bits_keeps_the_ones_already_set():
    bits = BitString(16)
    for index in (1, 6, 7, 8, 15):
        bits.set(index, True)
    assert bytes(bits.bytes) == bytes([0b01000011, 0b10000001])
    bits.set(6, True)  # setting a set bit changes nothing
    bits.set(9, False)  # nor does clearing a clear one
    assert bytes(bits.bytes) == bytes([0b01000011, 0b10000001])


def test_any_sequence_of_changes_matches_the_spec_layout_and_survives_encoding():
    rng = random.Random(20260101)
    size = 256
    bits = BitString(size, bytes(rng.getrandbits(8) for _ in range(size // 8)))
    model = [bits.get(index) for index in range(size)]
    assert bytes(bits.bytes) == _packed(model)
    for _ in range(2000):
        index, value = rng.randrange(size), rng.random() < 0.5
        bits.set(index, value)
        model[index] = value
    assert bytes(bits.bytes) == _packed(model)
    assert [bits.get(index) for index in range(size)] == model
    big = BitString(MIN_SIZE)
    for index in (0, 1, 7, 8, 9, 1000, MIN_SIZE - 9, MIN_SIZE - 1):
        big.set(index, True)
    decoded = BitString.decode(big.encode())
    assert [index for index in range(MIN_SIZE) if decoded.get(index)] == [0, 1, 7, 8, 9, 1000, MIN_SIZE - 9, MIN_SIZE - 1]


@pytest.mark.parametrize("index", [-1, 16, 17, 10**6])
def test_an_index_outside_the_list_is_refused_by_name(index):
    bits = BitString(16)
    for call in (lambda: bits.get(index), lambda: bits.set(index, True), lambda: bits.set(index, False)):
        with pytest.raises(IndexError) as caught:
            call()
        assert str(caught.value) == f"status index {index} is outside the list (0–15)"
    assert bytes(bits.bytes) == bytes(2)


def test_the_last_entry_of_the_minimum_list_is_inside_it():
    bits = BitString()
    bits.set(MIN_SIZE - 1, True)
    assert bits.get(MIN_SIZE - 1) and bits.bytes[-1] == 1
    with pytest.raises(IndexError) as caught:
        bits.get(MIN_SIZE)
    assert str(caught.value) == "status index 131072 is outside the list (0–131071)"


@pytest.mark.parametrize("size", [0, -8, -1, 4, 12, MIN_SIZE + 1])
def test_a_size_that_is_not_a_positive_multiple_of_8_is_refused(size):
    with pytest.raises(ValueError) as caught:
        BitString(size)
    assert str(caught.value) == "the size is a positive multiple of 8 bits"
