"""forward.matching against the PyPI package `matching` (an independent implementation) on random
instances, for both sides; stability and optimality with Hypothesis; and the command's input
checks (exit 2, one line naming the problem)."""

from __future__ import annotations

import itertools
import json
import random
import subprocess
import sys
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forward.matching import MatchInputError, solve
from forward.matching.core import blocking_pairs


def instance(rng: random.Random, n_students: int, n_openings: int, *, listed: int = 4) -> dict:
    students = [f"s{i}" for i in range(n_students)]
    openings = [f"o{i}" for i in range(n_openings)]
    return {
        "students": {s: rng.sample(openings, min(listed, n_openings)) for s in students},
        "openings": {o: {"capacity": rng.randint(1, 3),
                         "ranking": rng.sample(students, rng.randint(0, n_students))} for o in openings},
    }


def mutual(data: dict) -> tuple[dict, dict]:
    """The rankings the `matching` package needs: only mutually acceptable pairs."""
    ranked = {o: set(v["ranking"]) for o, v in data["openings"].items()}
    students = {s: [o for o in prefs if s in ranked[o]] for s, prefs in data["students"].items()}
    lists = {s: set(p) for s, p in data["students"].items()}
    openings = {o: [s for s in v["ranking"] if o in lists[s]] for o, v in data["openings"].items()}
    return students, openings


def reference(data: dict, optimal: str) -> dict:
    from matching.games import HospitalResident

    students, openings = mutual(data)
    students = {s: p for s, p in students.items() if p}  # the package wants no empty lists
    openings = {o: p for o, p in openings.items() if p}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = HospitalResident.create_from_dictionaries(
            students, openings, {o: data["openings"][o]["capacity"] for o in openings})
        found = game.solve(optimal="resident" if optimal == "students" else "hospital")
    return {o.name: sorted(s.name for s in group) for o, group in found.items()}


@pytest.mark.parametrize("optimal", ["students", "openings"])
@pytest.mark.parametrize("seed", range(30))
def test_agrees_with_the_matching_package(seed, optimal):
    rng = random.Random(seed)
    data = instance(rng, rng.randint(1, 40), rng.randint(1, 12))
    ours = solve(data, optimal=optimal)
    theirs = reference(data, optimal)
    assert {o: sorted(g) for o, g in ours.matching.items() if g} == {o: g for o, g in theirs.items() if g}
    placed = [s for g in ours.matching.values() for s in g]
    assert sorted(placed + ours.unmatched) == sorted(data["students"])  # everyone exactly once
    assert set(ours.matching) == set(data["openings"])  # every opening, maybe empty


@st.composite
def small(draw):
    n_s, n_o = draw(st.integers(1, 5)), draw(st.integers(1, 3))
    students = [f"s{i}" for i in range(n_s)]
    openings = [f"o{i}" for i in range(n_o)]
    return {"students": {s: draw(st.permutations(openings).map(lambda p: p[:draw(st.integers(0, n_o))]))
                         for s in students},
            "openings": {o: {"capacity": draw(st.integers(1, 2)),
                             "ranking": draw(st.permutations(students).map(lambda p: p[:draw(st.integers(0, n_s))]))}
                         for o in openings}}


def all_stable(data: dict) -> list[dict[str, str | None]]:
    """Every stable matching, by brute force (small instances only)."""
    students, openings = mutual(data)
    names = list(students)
    found = []
    for choice in itertools.product(*[[None, *students[s]] for s in names]):
        where = dict(zip(names, choice, strict=True))
        held = {o: [s for s in names if where[s] == o] for o in openings}
        if any(len(g) > data["openings"][o]["capacity"] for o, g in held.items()):
            continue
        stable = True
        for s in names:
            prefs = students[s]
            better = prefs[:prefs.index(where[s])] if where[s] else prefs
            for o in better:
                ranking = openings[o]
                if len(held[o]) < data["openings"][o]["capacity"] or any(
                        ranking.index(s) < ranking.index(h) for h in held[o]):
                    stable = False
        if stable:
            found.append(where)
    return found


@settings(max_examples=150, deadline=None)
@given(small())
def test_stable_and_optimal_for_its_side(data):
    students, _ = mutual(data)
    stable = all_stable(data)
    assert stable  # a stable matching always exists
    for optimal in ("students", "openings"):
        result = solve(data, optimal=optimal)
        assert blocking_pairs(data, result) == []
        where = {s: o for o, g in result.matching.items() for s in g}
        assert {s: where.get(s) for s in students} in stable

        def student_rank(s, o):
            return students[s].index(o) if o else len(students[s])

        if optimal == "students":  # no stable matching gives any student a better opening
            for other in stable:
                assert all(student_rank(s, where.get(s)) <= student_rank(s, other[s]) for s in students)
        else:  # and every student does at least as well in any other stable matching
            for other in stable:
                assert all(student_rank(s, where.get(s)) >= student_rank(s, other[s]) for s in students)


def test_a_match_run_twice_is_the_same():
    data = instance(random.Random(7), 200, 30)
    assert solve(data).as_json() == solve(json.loads(json.dumps(data))).as_json()


def test_one_sided_entries_are_ignored_and_explained_in_stats():
    data = {"students": {"a": ["x", "y"], "b": ["x"]},
            "openings": {"x": {"capacity": 1, "ranking": ["b"]}, "y": {"capacity": 1, "ranking": ["b"]}}}
    result = solve(data)
    assert result.matching == {"x": ["b"], "y": []} and result.unmatched == ["a"]
    assert result.stats["one_sided_entries_ignored"] == 3  # a→x and a→y (a only), y→b (y only)
    assert result.stats["matched"] == 1 and result.stats["seats"] == 2


@pytest.mark.parametrize(("data", "says"), [
    ([], "JSON object"),
    ({"students": {}}, 'no "openings"'),
    ({"students": [], "openings": {}}, '"students" must be an object'),
    ({"students": {"a": ["x"]}, "openings": {}}, "names 'x', which is not an opening"),
    ({"students": {}, "openings": {"x": {"capacity": 1, "ranking": ["a"]}}}, "names 'a', who is not a student"),
    ({"students": {"a": ["x", "x"]}, "openings": {"x": {"capacity": 1, "ranking": []}}}, "names 'x' twice"),
    ({"students": {"a": []}, "openings": {"x": {"capacity": 0, "ranking": []}}}, "capacity 0"),
    ({"students": {"a": []}, "openings": {"x": {"capacity": 1.5, "ranking": []}}}, "capacity 1.5"),
    ({"students": {"a": []}, "openings": {"x": {"capacity": True, "ranking": []}}}, "capacity True"),
    ({"students": {"a": []}, "openings": {"x": {"ranking": []}}}, 'no "capacity"'),
    ({"students": {"a": [1]}, "openings": {}}, "not a string id"),
])
def test_invalid_input_names_the_problem(data, says):
    with pytest.raises(MatchInputError) as caught:
        solve(data)
    assert says in str(caught.value)


def _forward(*args):
    return subprocess.run([sys.executable, "-m", "forward", "match", *args], capture_output=True, text=True,
                          timeout=60)


def test_the_command_prints_or_writes_the_result(tmp_path):
    data = instance(random.Random(3), 30, 8)
    path = tmp_path / "in.json"
    path.write_text(json.dumps(data))
    done = _forward(str(path))
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout)
    assert printed == solve(data).as_json() and printed["optimal"] == "students"
    out = tmp_path / "out.json"
    done = _forward(str(path), "--optimal", "openings", "--out", str(out))
    assert done.returncode == 0 and done.stdout == ""
    assert json.loads(out.read_text()) == solve(data, optimal="openings").as_json()


@pytest.mark.parametrize(("text", "says"), [
    ("{not json", "is not valid JSON"),
    ("[" * 100_000 + "]" * 100_000, "is not valid JSON"),
    ('{"students": {"a": ["x"]}, "openings": {}}', "which is not an opening"),
])
def test_the_command_exits_2_with_one_line(tmp_path, text, says):
    path = tmp_path / "in.json"
    path.write_text(text)
    done = _forward(str(path))
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and says in done.stderr, done.stderr


@pytest.mark.parametrize("seed", range(20))
def test_the_vectorised_reading_equals_the_checked_one(seed):
    """Well-formed input is read with Arrow and NumPy; anything else entry by entry (to name the
    problem). Both give the same problem."""
    from forward.matching.core import _parse_checked, _parse_fast

    rng = random.Random(seed)
    data = instance(rng, rng.randint(1, 30), rng.randint(1, 10))
    fast = _parse_fast(data)
    assert fast is not None and fast == _parse_checked(data)


def test_any_text_is_an_id():
    """Ids are compared as written: non-ASCII, spaces, a lone surrogate, ids that differ by case."""
    ids = ["学生 1", "Étudiante", "étudiante", "\ud800", "o-1"]
    data = {"students": {s: ["职位", "Opening"] for s in ids[:4]},
            "openings": {"职位": {"capacity": 2, "ranking": ids[3::-1]}, "Opening": {"capacity": 1, "ranking": ids[:4]},
                         "o-1": {"capacity": 1, "ranking": []}}}
    result = solve(data)
    assert result.matching == {"职位": ["\ud800", "étudiante"], "Opening": ["学生 1"], "o-1": []}
    assert result.unmatched == ["Étudiante"]
    from forward.matching.core import _parse_checked, _parse_fast

    assert _parse_fast(data) == _parse_checked(data)
