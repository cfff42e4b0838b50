"""What a solution's id index costs in memory: what it holds while the worker keeps the solution
(``nbytes``, counted by the solution cache), and what building it, checking it for duplicates and
aligning a submission with it take at their peak (NumPy's and Arrow's allocations both counted)."""

import tracemalloc

import numpy as np
import pyarrow as pa
import pytest

from forward.scoring.alignment import DENSE_SLACK, build_index

N = 1_000_000
SLACK = 64 * 1024  # bytes of small temporaries, far below any cost that grows with the ids
_POOLS = []  # Arrow frees an array into the pool it came from: every pool must outlive its arrays


def peak_bytes(work):
    """The most memory ``work()`` held at once beyond what was held before: NumPy's plus Arrow's."""
    pool = pa.proxy_memory_pool(pa.default_memory_pool())
    _POOLS.append(pool)
    previous = pa.default_memory_pool()
    pa.set_memory_pool(pool)
    tracing = tracemalloc.is_tracing()
    tracemalloc.start()
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    try:
        result = work()
        numpy_peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        if not tracing:
            tracemalloc.stop()
        pa.set_memory_pool(previous)
    del result
    return numpy_peak + pool.max_memory()


# Ids indexed by a lookup table, by their numbers after a prefix, as sorted integers (too spread out
# for a table), and as packed text keys.
NAMES = {"integer": lambda i: i, "numbered": lambda i: f"r{i}", "sparse": lambda i: i * 7919,
         "packed": lambda i: f"k{i:06d}"}


def spread(low, high, n):
    """n distinct integers from low to high, both included, shuffled."""
    ids = np.array([low, *range(low + 1, low + n - 1), high], dtype=np.int64)
    return pa.array(ids[np.random.default_rng(11).permutation(n)])


def limit(n):
    """The most slots a lookup table over n ids may have."""
    return DENSE_SLACK * n + 1024


@pytest.mark.parametrize(("ids", "kind", "held"), [
    # From 0 when the table from 0 is small enough, 4 bytes a slot.
    (spread(limit(100) - 100, limit(100) - 1, 100), "dense", 4 * limit(100)),
    (pa.array([f"r{i}" for i in range(100)]), "dense", 4 * 100),
    # From the smallest id when only that one is.
    (spread(limit(100) - 99, limit(100), 100), "dense", 4 * 100),
    (spread(-500, -500 + limit(100) - 1, 100), "dense", 4 * limit(100)),
    (spread(10**12, 10**12 + limit(100) - 1, 100), "dense", 4 * limit(100)),
    # Else the ids sorted, 8 bytes each, with their rows, 4 bytes each.
    (spread(-500, -500 + limit(100), 100), "sorted", 12 * 100),
    (spread(10**12, 10**12 + limit(100), 100), "sorted", 12 * 100),
    (pa.array([f"k{i:03d}" for i in range(100)]), "sorted", 12 * 100),
])
def test_an_index_holds_four_bytes_a_table_slot_or_twelve_an_id(ids, kind, held):
    index = build_index(ids)
    assert (index.kind, index.nbytes) == (kind, held)
    assert index.positions(ids).tolist() == list(range(len(ids)))


def test_indexing_a_million_ids_from_zero_takes_the_table_and_the_rows_only():
    ids = pa.array(np.arange(N, dtype=np.int64)[::-1].copy())
    assert peak_bytes(lambda: build_index(ids)) <= 4 * N + 4 * N + SLACK


def test_aligning_a_whole_submission_takes_only_the_rows_found():
    index = build_index(pa.array(np.arange(N, dtype=np.int64)))
    submitted = pa.array(np.random.default_rng(2).permutation(N))  # holds 0 and N - 1, the table's ends
    assert peak_bytes(lambda: index.positions(submitted)) <= 4 * N + SLACK
    assert (index.positions(submitted) == submitted.to_numpy()).all()


@pytest.mark.parametrize("name", NAMES.values(), ids=NAMES.keys())
def test_a_kept_index_looks_up_a_few_ids_without_indexing_the_solution_again(name):
    index = build_index(pa.array([name(i) for i in range(N)]))
    few = pa.array([name(7), name(N - 1), name(123_456)])
    assert peak_bytes(lambda: index.positions(few)) <= SLACK
    assert index.positions(few).tolist() == [7, N - 1, 123_456]


@pytest.mark.parametrize("name", NAMES.values(), ids=NAMES.keys())
def test_checking_a_million_ids_for_duplicates_takes_a_byte_an_id(name):
    index = build_index(pa.array([name(i) for i in range(N)]))
    assert peak_bytes(index.has_duplicates) <= N + SLACK
    assert not index.has_duplicates()
