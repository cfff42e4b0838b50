"""Aligning by id at the edges: ids far from zero or below it, the limits of the lookup table, a
solution of one id or of none, numbered ids whose prefix is a capital letter, and packed keys."""

import numpy as np
import pyarrow as pa
import pytest
from sklearn import metrics as sk

from forward.scoring import SubmissionError, load_solution, score
from forward.scoring.alignment import DENSE_SLACK, build_index, numbered, packed_keys


def write(path, header, rows):
    path.write_text(header + "\n" + "".join(",".join(map(str, row)) + "\n" for row in rows), encoding="utf-8")
    return path


def spread(low, high, n):
    """n distinct integers from low to high, both included."""
    return [low, *range(low + 1, low + n - 1), high]


@pytest.mark.parametrize("first", [7_000_000_000, -40])
def test_ids_far_from_zero_or_below_it_are_scored_by_their_own_rows(tmp_path, first):
    ids = [first + 3 * i for i in range(40)]  # a compact range that does not start at 0
    labels = [i % 2 for i in range(40)]
    usage = ["Public" if i % 4 < 2 else "Private" for i in range(40)]
    solution = load_solution(write(tmp_path / "s.csv", "id,target,Usage", zip(ids, labels, usage, strict=True)), "auc")
    assert solution.index.kind == "dense"
    probs = [((i * 17) % 40) / 40 for i in range(40)]
    order = list(reversed(range(40)))
    result = score(solution, write(tmp_path / "p.csv", "id,target", [(ids[i], probs[i]) for i in order]))
    y, p, mask = np.array(labels), np.array(probs), np.array(usage) == "Public"
    assert result.public == pytest.approx(sk.roc_auc_score(y[mask], p[mask]), abs=1e-12)
    assert result.private == pytest.approx(sk.roc_auc_score(y[~mask], p[~mask]), abs=1e-12)
    # Just below the smallest id and just above the largest: unknown, and named.
    for stranger in (first - 1, ids[-1] + 1):
        rows = [(ids[i], 0.5) for i in range(39)] + [(stranger, 0.5)]
        with pytest.raises(SubmissionError) as caught:
            score(solution, write(tmp_path / "u.csv", "id,target", rows))
        assert str(caught.value) == f"1 ids are not in the test set, e.g. {stranger} (line 41)."


@pytest.mark.parametrize("low", [-500, 1, 5_000_000_000])
def test_an_offset_table_finds_each_row_and_nothing_around_it(low):
    n = 100
    ids = np.array(spread(low, low + DENSE_SLACK * n + 1023, n), dtype=np.int64)
    shuffled = ids[np.random.default_rng(3).permutation(n)]
    index = build_index(pa.array(shuffled))
    assert index.kind == "dense"
    assert index.positions(pa.array(shuffled)).tolist() == list(range(n))
    gaps = [low - 1, low - 2**40, low + n - 1, ids[-1] - 1, ids[-1] + 1, ids[-1] + 2**40]
    assert index.positions(pa.array(gaps, type=pa.int64())).tolist() == [-1] * len(gaps)
    assert index.positions(pa.array([ids[-1], low - 1, ids[0]], type=pa.int64())).tolist() == [
        int(np.flatnonzero(shuffled == ids[-1])[0]), -1, int(np.flatnonzero(shuffled == ids[0])[0])]


def test_one_id_or_none():
    single = build_index(pa.array(["r7"]))
    assert (single.kind, single.prefix) == ("dense", "r")
    assert single.positions(pa.array(["r7", "r07", "r8", "r", "7"])).tolist() == [0, -1, -1, -1, -1]
    word = build_index(pa.array(["ab"]))
    assert (word.kind, word.packed) == ("sorted", True)
    assert word.positions(pa.array(["ab"])).tolist() == [0]
    assert word.positions(pa.array(["ab", "abc", "a"])).tolist() == [0, -1, -1]
    for empty in (pa.array([], pa.string()), pa.array([], pa.int64())):
        nothing = build_index(empty)
        assert not nothing.has_duplicates() and nothing.nbytes == 0
    assert build_index(pa.array([], pa.string())).positions(pa.array(["a", "r1"])).tolist() == [-1, -1]
    assert build_index(pa.array([], pa.int64())).positions(pa.array([0, 5])).tolist() == [-1, -1]


def test_numbered_ids_too_spread_out_for_a_table_are_found_by_their_numbers():
    ids = ["r0", "r7000000000", "r5", "r123456789012"]
    index = build_index(pa.array(ids))
    assert (index.kind, index.prefix) == ("sorted", "r")
    assert index.positions(pa.array(["r5", "r0", "r123456789012", "r7000000000"])).tolist() == [2, 0, 3, 1]
    assert index.positions(pa.array(["r6", "r05"])).tolist() == [-1, -1]


def test_numbered_ids_may_start_with_a_capital_x():
    index = build_index(pa.array([f"X{i}" for i in range(5)]))
    assert (index.kind, index.prefix) == ("dense", "X")
    assert index.positions(pa.array(["X4", "X0", "X04", "x4"])).tolist() == [4, 0, -1, -1]


def test_numbered_reads_a_whole_number_after_the_prefix_or_nothing():
    assert numbered(pa.array(["r5"]), "r").tolist() == [5]
    assert numbered(pa.array(["17", "0"]), "").tolist() == [17, 0]
    assert numbered(pa.array([], pa.string()), "r") is None
    assert numbered(pa.array(["r1", None]), "r") is None
    assert numbered(pa.array([1, 2]), "") is None


def test_a_capital_hexadecimal_spelling_is_not_a_number():
    # Arrow reads 0X as well as 0x; r0XF4240 has as many characters as r1000000.
    million = build_index(pa.array(["r1000000", "r5"]))
    assert million.positions(pa.array(["r0XF4240"])).tolist() == [-1]
    assert million.positions(pa.array(["r0XF4240", "r5"])).tolist() == [-1, 1]
    text = build_index(pa.array(["r0XF4240", "r2"]))
    assert text.prefix is None
    assert text.positions(pa.array(["r2", "r0XF4240", "r1000000"])).tolist() == [1, 0, -1]


def test_packed_keys_are_the_ids_bytes_zero_padded():
    ids = ["ab", "a", "a ", "12345678", "Z"]
    expected = [int.from_bytes(v.encode().ljust(8, b"\0"), "little") for v in ids]
    assert packed_keys(pa.array(ids)).tolist() == expected
    assert packed_keys(pa.array(ids).slice(1, 3)).tolist() == expected[1:4]
    assert len(packed_keys(pa.array([], pa.string()))) == 0
    assert packed_keys(pa.array(["a", None])) is None
    assert packed_keys(pa.array([1, 2])) is None
