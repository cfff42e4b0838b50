"""Finding each submitted id's row in the solution, with an index built once per solution.

A solution's ids are indexed when it is loaded, so that a worker that keeps the solution (see
``forward.scoring.cache``) aligns every later submission without re-indexing it:

- ``dense``: integer ids in a compact range: a lookup table over min..max, two vectorised gathers.
- ``sorted``: other integer ids, and text ids of at most 8 ASCII bytes (``A1B2C3``), which are
  packed into one 64-bit number each: the keys sorted once, and each submission's keys sorted and
  found by binary search. Nothing becomes a Python object.
- ``hash``: any other text ids: Arrow's hash join (``index_in``).

Text ids that are one prefix followed by a whole number written plainly (``r0``, ``r17``,
``user_2024``; not ``r017``) are indexed by their numbers, as integer ids (``numbered``, usually
``dense``); a submitted id of another form is not a solution id.

Every kind gives the same answer: the row of each submitted id, or -1 when it is not a solution id.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .reading import as_numpy as _numbers
from .reading import string_bytes

PACKED_WIDTH = 8  # bytes of text that fit one 64-bit key
DENSE_SLACK = 4  # a lookup table may have this many slots per id (plus 1024)


@dataclass(frozen=True)
class IdIndex:
    """Where each solution id sits, prepared for aligning submissions quickly."""

    kind: str  # "dense", "sorted" or "hash"
    ids: pa.Array  # the solution's ids (int64 or string), row order
    packed: bool = False  # "sorted" over packed text keys
    prefix: str | None = None  # text ids indexed by the number after this prefix
    low: int = 0  # "dense": the smallest id
    table: np.ndarray | None = None  # "dense": the row of id low + i, or -1
    keys: np.ndarray | None = None  # "sorted": the keys in ascending order
    rows: np.ndarray | None = None  # "sorted": the solution row of each sorted key

    @property
    def nbytes(self) -> int:
        """Memory held by the index beyond the ids themselves."""
        return sum(a.nbytes for a in (self.table, self.keys, self.rows) if a is not None)

    def has_duplicates(self) -> bool:
        """True if some solution id occurs more than once (which lines: ``reading.duplicate_lines``)."""
        if self.kind == "dense":
            assert self.table is not None  # every dense index has its table
            return int(np.count_nonzero(self.table >= 0)) != len(self.ids)
        if self.kind == "sorted":
            assert self.keys is not None  # every sorted index has its keys
            return bool((self.keys[1:] == self.keys[:-1]).any())
        return len(pc.unique(self.ids)) != len(self.ids)

    def positions(self, ids: pa.Array) -> np.ndarray:
        """The solution row of each id (an integer array), -1 for an id the solution does not have.

        ``ids`` has the solution ids' type: int64, or string with surrounding spaces removed.
        """
        numbers = None
        if self.prefix is not None:
            numbers = numbered(ids, self.prefix)
            if numbers is None:  # some id is not of the solution's form: Arrow's hash join tells which
                return _hash_positions(ids, self.ids)
        if self.kind == "dense":
            assert self.table is not None  # every dense index has its table
            queries = _numbers(ids) if numbers is None else numbers
            high = self.low + self.table.shape[0] - 1
            if queries.shape[0] and queries.min() >= self.low and queries.max() <= high:
                rows: np.ndarray = self.table[queries - self.low if self.low else queries]  # all in range: no masks
                return rows
            inside = (queries >= self.low) & (queries <= high)
            found = np.full(queries.shape[0], -1, dtype=self.table.dtype)
            found[inside] = self.table[queries[inside] - self.low]
            return found
        if self.kind == "sorted":
            wanted = packed_keys(ids) if self.packed else _numbers(ids) if numbers is None else numbers
            if wanted is not None:
                assert self.keys is not None and self.rows is not None  # every sorted index has them
                return _sorted_positions(self.keys, self.rows, wanted)
        return _hash_positions(ids, self.ids)


def build_index(ids: pa.Array) -> IdIndex:
    """Index unique solution ids (int64, or string with surrounding spaces removed)."""
    if pa.types.is_integer(ids.type):
        return _integer_index(ids, _numbers(ids))
    prefix = _prefix(ids)
    numbers = numbered(ids, prefix) if prefix is not None else None
    if numbers is not None:
        return dataclasses.replace(_integer_index(ids, numbers), prefix=prefix)
    keys = packed_keys(ids)
    if keys is not None:
        return _sorted_index(ids, keys, packed=True)
    return IdIndex(kind="hash", ids=ids)


def _integer_index(ids: pa.Array, values: np.ndarray) -> IdIndex:
    """A lookup table when the integers are compact enough, else sorted keys."""
    n = values.shape[0]
    if n:
        low, high = int(values.min()), int(values.max())
        if low >= 0 and high + 1 <= DENSE_SLACK * n + 1024:
            low = 0  # a table from 0 spares subtracting low from every id, here and for every submission
        if high - low + 1 <= DENSE_SLACK * n + 1024:
            row_type = np.int32 if n < 2**31 else np.int64
            table = np.full(high - low + 1, -1, dtype=row_type)
            table[values - low if low else values] = np.arange(n, dtype=row_type)
            return IdIndex(kind="dense", ids=ids, low=low, table=table)
    return _sorted_index(ids, values, packed=False)


_POWERS_OF_TEN = 10 ** np.arange(1, 19, dtype=np.int64)


def _prefix(ids: pa.Array) -> str | None:
    """The characters before the first digit of the first id, if it has a digit."""
    if len(ids) == 0:
        return None
    first: str = ids[0].as_py()
    for i, character in enumerate(first):
        if character in "0123456789":
            return first[:i]
    return None


def numbered(ids: pa.Array, prefix: str) -> np.ndarray | None:
    """The number in each id if every id is ``prefix`` + a whole number written plainly, else None.

    Plainly: decimal digits only, no sign and no leading zero (``r7``, not ``r07``, ``r+7`` or
    ``r0x7``), so that two ids have equal numbers exactly when they are equal.
    """
    if len(ids) == 0 or not pa.types.is_string(ids.type) or ids.null_count:
        return None
    if prefix and not pc.all(pc.starts_with(ids, pattern=prefix)).as_py():
        return None
    digits = pc.utf8_slice_codeunits(ids, start=len(prefix)) if prefix else ids
    try:
        numbers = _numbers(pc.cast(digits, pa.int64()))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if numbers.min() < 0:
        return None
    written = _numbers(pc.binary_length(digits))
    plain = np.searchsorted(_POWERS_OF_TEN, numbers, side="right") + 1  # digits of the number
    if (written != plain).any():  # leading zeros or a sign
        return None
    # Arrow also reads hexadecimal (0x1f is 31). With the lengths equal, "0x" and k hex digits
    # (k + 2 characters) must reach k + 2 decimal digits: first possible at k = 5, 0xf4240 being
    # 1000000, so only numbers of 7 digits or more can hide one.
    if numbers.max() >= 10**6 and any(pc.any(pc.match_substring(digits, x)).as_py() for x in "xX"):
        return None
    return numbers


def _sorted_index(ids: pa.Array, keys: np.ndarray, packed: bool) -> IdIndex:
    order = np.argsort(keys)  # ids are unique in a valid solution: any order of equal keys will do
    row_type = np.int32 if keys.shape[0] < 2**31 else np.int64
    return IdIndex(kind="sorted", ids=ids, packed=packed, keys=keys[order], rows=order.astype(row_type))


def _sorted_positions(keys: np.ndarray, rows: np.ndarray, queries: np.ndarray) -> np.ndarray:
    found = np.full(queries.shape[0], -1, dtype=np.int64)
    if keys.shape[0] == 0 or queries.shape[0] == 0:
        return found
    order = np.argsort(queries)  # sorted queries make the binary searches walk memory in order
    ordered = queries[order]
    at = np.searchsorted(keys, ordered)
    np.minimum(at, keys.shape[0] - 1, out=at)
    hit = keys[at] == ordered
    found[order[hit]] = rows[at[hit]]
    return found


def _hash_positions(ids: pa.Array, solution_ids: pa.Array) -> np.ndarray:
    position = pc.index_in(ids, value_set=solution_ids)
    # A Scalar fill value: a plain -1 would make pyarrow import pandas to convert it.
    position = pc.fill_null(position, pa.scalar(-1, position.type))
    return _numbers(position).astype(np.int64)


def packed_keys(ids: pa.Array) -> np.ndarray | None:
    """Each text id as one 64-bit number (its bytes, zero-padded), or None if some id cannot be.

    Only ASCII ids of at most PACKED_WIDTH bytes without a NUL byte are packed, so that two ids
    have equal keys exactly when they are equal.
    """
    n = len(ids)
    if n == 0:
        return np.empty(0, dtype=np.uint64)
    if not pa.types.is_string(ids.type) or ids.null_count:
        return None
    if pc.max(pc.binary_length(ids)).as_py() > PACKED_WIDTH or not pc.all(pc.string_is_ascii(ids)).as_py():
        return None
    _offsets, data = string_bytes(ids)
    if not data.all():  # a NUL byte: "a\0" would pack like "a"
        return None
    padded = pc.ascii_rpad(ids, width=PACKED_WIDTH, padding="\0")
    start = int(np.frombuffer(padded.buffers()[1], dtype=np.int32, count=1, offset=padded.offset * 4)[0])
    return np.frombuffer(padded.buffers()[2], dtype="<u8", count=n, offset=start).copy()

