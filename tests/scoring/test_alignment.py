"""Aligning submissions by id: every kind of solution index gives sklearn's scores and the same refusals."""

import pickle

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn import metrics as sk

from forward.scoring import (
    SolutionError,
    SubmissionError,
    load_solution,
    run_limited,
    score,
    score_files,
)
from forward.scoring.alignment import build_index, packed_keys
from forward.scoring.reading import trimmed

TOL = 1e-9
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                       HealthCheck.function_scoped_fixture])

# How ids are written, one per index kind: a dense integer range, spread-out integers, a prefix and
# a number (indexed by the number), other short text (packed into 64-bit keys), and long or
# non-ASCII text (Arrow's hash join).
ID_STYLES = {
    "dense": lambda i: str(1000 + i),
    "sparse": lambda i: str(i * 7_919_000_003 - 10**12),
    "numbered": lambda i: f"r{i}",
    "numbered-unicode": lambda i: f"用户{i * 1000}",
    "short": lambda i: f"k{i}x",
    "long": lambda i: f"customer-{i:06d}-0000-4000-8000-00000000",
    "unicode": lambda i: f"{i}号",
}
KINDS = {"dense": ("dense", False, None), "sparse": ("sorted", False, None), "numbered": ("dense", False, "r"),
         "numbered-unicode": ("sorted", False, "用户"), "short": ("sorted", True, None),
         "long": ("hash", False, None), "unicode": ("hash", False, None)}


def write(path, header, rows):
    path.write_text(header + "\n" + "".join(",".join(map(str, row)) + "\n" for row in rows), encoding="utf-8")
    return path


@st.composite
def case(draw):
    n = draw(st.integers(4, 80))
    labels = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    public = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    # Both classes in both parts, as a valid AUC solution has.
    labels[:4], public[:4] = [0, 1, 0, 1], [True, True, False, False]
    # Few distinct values make ties common.
    probs = draw(st.lists(st.sampled_from([0.0, 0.1, 0.5, 0.9, 1.0]) | st.floats(0, 1), min_size=n, max_size=n))
    order = draw(st.permutations(range(n)))
    return labels, public, probs, order


@pytest.mark.parametrize("style", list(ID_STYLES))
@FAST
@given(data=case())
def test_scores_equal_sklearns_on_the_rows_joined_by_id(tmp_path, style, data):
    labels, public, probs, order = data
    name = ID_STYLES[style]
    solution_path = write(tmp_path / "solution.csv", "id,target,Usage",
                          [(name(i), y, "Public" if p else "Private") for i, (y, p) in enumerate(zip(labels, public, strict=True))])
    submission_path = write(tmp_path / "submission.csv", "id,target", [(name(i), repr(probs[i])) for i in order])
    solution = load_solution(solution_path, "auc")
    assert (solution.index.kind, solution.index.packed, solution.index.prefix) == KINDS[style]
    result = score(solution, submission_path)
    y, p, mask = np.array(labels), np.array(probs), np.array(public)
    assert abs(result.public - sk.roc_auc_score(y[mask], p[mask])) < TOL
    assert abs(result.private - sk.roc_auc_score(y[~mask], p[~mask])) < TOL


@pytest.mark.parametrize("style", list(ID_STYLES))
def test_regression_and_labels_align_the_same_way(tmp_path, style):
    name = ID_STYLES[style]
    rng = np.random.default_rng(5)
    truth = rng.normal(size=50)
    usage = ["Public" if i % 3 else "Private" for i in range(50)]
    solution = load_solution(write(tmp_path / "s.csv", "id,y,Usage", [(name(i), truth[i], usage[i]) for i in range(50)]),
                             "rmse")
    guess = truth + rng.normal(size=50)
    order = rng.permutation(50)
    result = score(solution, write(tmp_path / "p.csv", "id,y", [(name(i), repr(float(guess[i]))) for i in order]))
    mask = np.array(usage) == "Public"
    assert abs(result.public - np.sqrt(sk.mean_squared_error(truth[mask], guess[mask]))) < TOL
    assert abs(result.private - np.sqrt(sk.mean_squared_error(truth[~mask], guess[~mask]))) < TOL


@pytest.mark.parametrize("style", list(ID_STYLES))
def test_every_index_refuses_duplicate_unknown_and_missing_ids_naming_them(tmp_path, style):
    name = ID_STYLES[style]
    rows = [(name(i), i % 2, "Public" if i % 4 < 2 else "Private") for i in range(8)]
    solution = load_solution(write(tmp_path / "s.csv", "id,target,Usage", rows), "auc")
    duplicated = [(name(i), 0.5) for i in range(8)] + [(name(3), 0.1)]
    with pytest.raises(SubmissionError, match=rf"1 ids appear more than once: {name(3)} on lines 5, 10\."):
        score(solution, write(tmp_path / "d.csv", "id,target", duplicated))
    stranger = "999999999999999" if style in ("dense", "sparse") else "nobody"
    unknown = [(name(i), 0.5) for i in range(7)] + [(stranger, 0.5)]
    with pytest.raises(SubmissionError, match=rf"1 ids are not in the test set, e\.g\. {stranger} \(line 9\)"):
        score(solution, write(tmp_path / "u.csv", "id,target", unknown))
    missing = [(name(i), 0.5) for i in range(8) if i != 6]
    with pytest.raises(SubmissionError, match=f"1 ids of the test set are missing, e.g. {name(6)}"):
        score(solution, write(tmp_path / "m.csv", "id,target", missing))


def test_a_solution_with_duplicate_ids_is_refused_by_every_index(tmp_path):
    for style, name in ID_STYLES.items():
        rows = [(name(i), i % 2, "Public" if i % 4 < 2 else "Private") for i in range(8)] + [(name(2), 0, "Public")]
        with pytest.raises(Exception, match=f"1 duplicate ids: {name(2)} on lines 4, 10"):
            load_solution(write(tmp_path / f"{style}.csv", "id,target,Usage", rows), "auc")


def test_packed_keys_never_make_different_ids_equal():
    assert packed_keys(pa.array(["a", "a\0"])) is None  # a NUL byte would pack like padding
    assert packed_keys(pa.array(["é"])) is None
    assert packed_keys(pa.array(["123456789"])) is None
    keys = packed_keys(pa.array(["", "a", "ab", "ba", "12345678"]))
    assert len(set(keys.tolist())) == 5


def test_an_id_the_short_index_cannot_pack_is_unknown_not_misread():
    index = build_index(pa.array(["a", "b", "c"]))
    assert (index.kind, index.packed) == ("sorted", True)
    found = index.positions(pa.array(["c", "a\0", "long id, not packable", "b", "é"]))
    assert found.tolist() == [2, -1, -1, 1, -1]


def test_integer_ids_outside_the_dense_range_are_unknown():
    index = build_index(pa.array([10, 11, 12, 13], type=pa.int64()))
    assert index.kind == "dense"
    assert index.positions(pa.array([13, 9, 14, 10, -2**63], type=pa.int64())).tolist() == [3, -1, -1, 0, -1]


def test_a_loaded_solution_travels_between_processes_with_its_index(tmp_path):
    rows = [(f"u{i}", f"{i} {i + 1}", "Public" if i % 2 else "Private") for i in range(10)]
    path = write(tmp_path / "s.csv", "id,items,Usage", rows)
    solution = run_limited(load_solution, path, "map@3", memory_mb=512, timeout=60)
    assert solution.metric.name == "map@3" and (solution.index.kind, solution.index.prefix) == ("dense", "u")
    assert pickle.loads(pickle.dumps(solution)).rows == 10  # noqa: S301 - our own bytes
    submission = write(tmp_path / "p.csv", "id,items", [(f"u{i}", f"{i} 99") for i in reversed(range(10))])
    assert score(solution, submission).public == pytest.approx(0.5)


def test_sorted_keys_find_every_key_and_only_those():
    rng = np.random.default_rng(7)
    keys = np.unique(rng.integers(-2**62, 2**62, size=5000))
    index = build_index(pa.array(keys[rng.permutation(keys.shape[0])], type=pa.int64()))
    assert index.kind == "sorted" and not index.has_duplicates()
    strangers = np.setdiff1d(np.concatenate((keys + 1, [-2**63, 2**63 - 1, 0])), keys)
    found = index.positions(pa.array(np.concatenate((keys, strangers)), type=pa.int64()))
    assert (index.ids.to_numpy()[found[: keys.shape[0]]] == keys).all()
    assert (found[keys.shape[0]:] == -1).all()


def test_ids_are_trimmed_unless_every_byte_is_plainly_clean():
    clean = pa.array(["r1", "r2", "x-9"])
    assert trimmed(clean) is clean
    assert trimmed(pa.array([" r1", "r2\t", "r3\r"])).to_pylist() == ["r1", "r2", "r3"]
    assert trimmed(pa.array(["\u00a0r1", "r2\u3000"])).to_pylist() == ["r1", "r2"]  # Unicode spaces too
    assert trimmed(pa.array(["a b"])).to_pylist() == ["a b"]


def test_score_files_puts_the_solutions_errors_first(tmp_path):
    rows = [(f"r{i}", i % 2, "Public" if i % 4 < 2 else "Private") for i in range(40)]
    good_solution = write(tmp_path / "s.csv", "id,target,Usage", rows)
    good = write(tmp_path / "p.csv", "id,target", [(f"r{i}", (i * 7 % 40) / 40) for i in reversed(range(40))])
    expected = score(load_solution(good_solution, "auc"), good)
    assert score_files(good_solution, good, "auc") == expected
    duplicated = write(tmp_path / "d.csv", "id,target,Usage", [*rows, rows[3]])
    bad = write(tmp_path / "b.csv", "id,target", [("nobody", 0.5)])
    with pytest.raises(SolutionError, match="1 duplicate ids: r3"):
        score_files(duplicated, bad, "auc")
    with pytest.raises(SubmissionError, match="not in the test set"):
        score_files(good_solution, bad, "auc")
    with pytest.raises(SolutionError, match="only class"):
        score_files(write(tmp_path / "o.csv", "id,target,Usage", [(f"r{i}", 1, "Public") for i in range(3)] +
                          [("r9", 0, "Private"), ("r8", 1, "Private")]), good, "auc")


def test_numbered_ids_match_only_when_written_the_same_way():
    index = build_index(pa.array([f"r{i}" for i in range(10)]))
    assert (index.kind, index.prefix) == ("dense", "r")
    queries = ["r3", "r03", "r+3", "r-3", "x3", "r0x3", "r0X3", "r 3", "r", "r10", "R3", "r9", "r٣"]
    assert index.positions(pa.array(queries)).tolist() == [3, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 9, -1]
    assert index.positions(pa.array(["r9", "r0", "r5"])).tolist() == [9, 0, 5]
    big = build_index(pa.array(["r1099511627776", "r5"]))  # 0x10000000000 has as many characters
    assert big.prefix == "r" and big.positions(pa.array(["r0x10000000000", "r5"])).tolist() == [-1, 1]
    # The shortest number a hexadecimal spelling of the same length can reach: 0xf4240 is 1000000.
    million = build_index(pa.array(["r1000000", "r5"]))
    assert million.positions(pa.array(["r0xf4240", "r0XF4240", "r1000000"])).tolist() == [-1, -1, 0]


def test_ids_that_only_look_numbered_are_indexed_as_text():
    for ids in (["r1", "r01"], ["r1", "s2"], ["r1", "r2x"], ["r1", "r-2"], ["r0x1", "r2"], ["r1", "r0x10000000000"],
                ["r1", "r0xf4240"], ["r0xF4240", "r2"]):
        index = build_index(pa.array(ids))
        assert index.prefix is None, ids
        assert index.positions(pa.array(ids)).tolist() == [0, 1]
