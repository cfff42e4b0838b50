"""The rubric maths, checked against an independent computation (NumPy and scipy.stats.zscore)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from forward.matching import rubric


def test_the_weighted_total_is_the_weighted_mean_of_the_marks():
    assert rubric.weighted_total({"team": 5, "market": 2}, {"team": 3, "market": 1}) == pytest.approx(17 / 4)
    assert rubric.weighted_total({"a": 1}, {"a": 1}) == 1


@pytest.mark.parametrize("marks, weights, message", [
    ({"a": 6}, {"a": 1}, "marked 6"), ({"a": 0}, {"a": 1}, "marked 0"), ({}, {"a": 1}, "not marked"),
    ({"a": 3}, {"a": 0}, "weight"), ({}, {}, "no criteria"),
])
def test_bad_marks_and_weights_say_what_is_wrong(marks, weights, message):
    with pytest.raises(ValueError, match=message):
        rubric.weighted_total(marks, weights)


def test_a_harsh_and_a_lenient_judge_count_alike():
    # The harsh judge gives 1, 2, 3; the lenient one 3, 4, 5 to the same applications in the same order.
    totals = [("harsh", "x", 1), ("harsh", "y", 2), ("harsh", "z", 3),
              ("lenient", "x", 3), ("lenient", "y", 4), ("lenient", "z", 5)]
    z = rubric.zscores(totals)
    for app in "xyz":
        assert z[("harsh", app)] == pytest.approx(z[("lenient", app)])
    ranked = rubric.rank(totals)
    assert [r.application for r in ranked] == ["z", "y", "x"]
    assert ranked[0].judges == 2 and ranked[0].raw_mean == pytest.approx(4) and ranked[0].z_sd == pytest.approx(0)


def test_a_lenient_judge_does_not_carry_an_application_they_alone_scored():
    # "a" is scored only by a lenient judge, "b" only by a harsh one: raw means differ, normalised means do not.
    totals = [("lenient", "a", 5), ("lenient", "c", 4), ("harsh", "b", 2), ("harsh", "c", 1)]
    rows = {r.application: r for r in rubric.rank(totals)}
    assert rows["a"].raw_mean > rows["b"].raw_mean
    assert rows["a"].normalised_mean == pytest.approx(rows["b"].normalised_mean)


def test_a_judge_with_one_application_or_no_spread_gives_zero():
    z = rubric.zscores([("one", "a", 4.2), ("flat", "a", 3), ("flat", "b", 3)])
    assert z == {("one", "a"): 0.0, ("flat", "a"): 0.0, ("flat", "b"): 0.0}
    row = rubric.rank([("one", "a", 4.2)])[0]
    assert (row.judges, row.raw_mean, row.normalised_mean, row.z_min, row.z_max) == (1, 4.2, 0, 0, 0)


def test_sorting_by_each_column_and_an_unknown_sort():
    totals = [("j1", "a", 5), ("j1", "b", 1), ("j2", "a", 2), ("j2", "b", 4), ("j3", "b", 3), ("j3", "c", 2)]
    assert rubric.rank(totals, sort="judges")[0].application == "b"
    assert rubric.rank(totals, sort="raw", descending=False)[0].application == "c"
    with pytest.raises(ValueError, match="unknown sort"):
        rubric.rank(totals, sort="vibes")


marks = st.integers(min_value=1, max_value=5)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["j1", "j2", "j3", "j4"]), st.sampled_from(list("abcdef")),
                          st.lists(marks, min_size=3, max_size=3)), min_size=1, max_size=24),
       st.lists(st.integers(min_value=1, max_value=10), min_size=3, max_size=3))
def test_against_numpy_and_scipy(entries, weights):
    seen = {}
    for judge, app, ms in entries:
        seen[(judge, app)] = ms  # a judge scores an application once
    w = dict(enumerate(weights))
    totals = [(j, a, rubric.weighted_total(dict(enumerate(ms)), w)) for (j, a), ms in seen.items()]
    # Independent: NumPy's weighted average, scipy's zscore per judge (0 where the judge has no spread).
    expected_total = {(j, a): float(np.average(ms, weights=weights)) for (j, a), ms in seen.items()}
    expected_z = {}
    for judge in {j for j, _a in seen}:
        keys = [k for k in seen if k[0] == judge]
        values = np.array([expected_total[k] for k in keys])
        zs = np.zeros(len(values)) if np.ptp(values) < 1e-9 else stats.zscore(values)
        expected_z.update(zip(keys, zs, strict=True))
    for j, a, total in totals:
        assert total == pytest.approx(expected_total[(j, a)])
    for row in rubric.rank(totals):
        mine = [expected_z[k] for k in seen if k[1] == row.application]
        raws = [expected_total[k] for k in seen if k[1] == row.application]
        assert row.judges == len(mine)
        assert row.raw_mean == pytest.approx(np.mean(raws))
        assert row.normalised_mean == pytest.approx(np.mean(mine), abs=1e-9)
        assert row.z_sd == pytest.approx(np.std(mine), abs=1e-9)
        assert (row.z_min, row.z_max) == (pytest.approx(min(mine), abs=1e-9), pytest.approx(max(mine), abs=1e-9))
