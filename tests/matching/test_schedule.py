"""forward.matching.schedule: every schedule checked by an independent checker written here from
the rules; optimal values against brute force (tiny instances) and OR-Tools CP-SAT (small and
medium ones, an independent solver); fixed meetings kept and a late registrant fitted; the bound
never below the value."""

from __future__ import annotations

import itertools
import random
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forward.matching import schedule
from forward.matching.schedule import (
    Mark,
    Meeting,
    Person,
    Problem,
    ScheduleInputError,
    greedy,
    parse,
    solve,
    to_document,
)

W = {"must": 3, "want": 1}


# --- an independent reading of the rules, on the JSON documents -----------------------------------

def interest(document: dict) -> dict[tuple[str, str], int | None]:
    """(investor, startup) -> the meeting's value, or None when it may not happen."""
    side = {pid: p["side"] for pid, p in document["people"].items()}
    marks = {(m["from"], m["to"]): m["level"] for m in document["marks"]}
    result = {}
    for inv, stu in itertools.product([p for p in side if side[p] == "investor"],
                                      [p for p in side if side[p] == "startup"]):
        there, back = marks.get((inv, stu)), marks.get((stu, inv))
        value = W.get(there, 0) + W.get(back, 0)
        refused = "no" in (there, back)
        result[(inv, stu)] = None if refused or value == 0 else value
    return result


def check(document: dict, output: dict) -> int:
    """Asserts that the output obeys every rule of the input; returns its value as computed here."""
    people, slots, tables = document["people"], document["slots"], document["tables"]
    fixed = {(m["slot"], m["investor"], m["startup"]) for m in document.get("fixed", [])}
    meetings = [(m["slot"], m["investor"], m["startup"]) for m in output["meetings"]]
    assert len(set(meetings)) == len(meetings)
    assert fixed <= set(meetings), "a confirmed meeting moved or vanished"
    values = interest(document)
    total = 0
    for slot, inv, stu in meetings:
        assert slot in slots
        assert people[inv]["side"] == "investor" and people[stu]["side"] == "startup"
        value = values[(inv, stu)]
        if (slot, inv, stu) in fixed:
            total += value or 0
            continue
        assert slot in people[inv]["available"] and slot in people[stu]["available"]
        assert value is not None, f"{inv} and {stu} may not meet"
        total += value
    assert len({(inv, stu) for _, inv, stu in meetings}) == len(meetings), "a pair meets twice"
    per_slot = Counter(slot for slot, _, _ in meetings)
    assert all(count <= tables for count in per_slot.values())
    in_slot = Counter((slot, p) for slot, inv, stu in meetings for p in (inv, stu))
    assert all(count == 1 for count in in_slot.values()), "someone is in two meetings at once"
    per_person = Counter(p for _, inv, stu in meetings for p in (inv, stu))
    assert all(per_person[p] <= people[p]["max_meetings"] for p in per_person)
    assert output["value"] == total
    assert output["value"] <= output["bound"]
    return total


def brute_force(document: dict) -> int:
    """The best value by trying every choice (no meeting, or one common slot) for every pair."""
    people, tables = document["people"], document["tables"]
    fixed = [(m["slot"], m["investor"], m["startup"]) for m in document.get("fixed", [])]
    values = interest(document)
    options = []
    for (inv, stu), value in values.items():
        if value is not None and not any((inv, stu) == (i, s) for _, i, s in fixed):
            common = [s for s in document["slots"] if s in people[inv]["available"] and s in people[stu]["available"]]
            options.append((inv, stu, value, common))
    best = 0

    def walk(k, total, busy, per_slot, per_person):
        nonlocal best
        if k == len(options):
            best = max(best, total)
            return
        if total + sum(o[2] for o in options[k:]) <= best:
            return
        inv, stu, value, common = options[k]
        for slot in common:
            if ((inv, slot) in busy or (stu, slot) in busy or per_slot[slot] >= tables
                    or per_person[inv] >= people[inv]["max_meetings"] or per_person[stu] >= people[stu]["max_meetings"]):
                continue
            busy |= {(inv, slot), (stu, slot)}
            per_slot[slot] += 1
            per_person[inv] += 1
            per_person[stu] += 1
            walk(k + 1, total + value, busy, per_slot, per_person)
            busy -= {(inv, slot), (stu, slot)}
            per_slot[slot] -= 1
            per_person[inv] -= 1
            per_person[stu] -= 1
        walk(k + 1, total, busy, per_slot, per_person)

    busy = {(p, slot) for slot, inv, stu in fixed for p in (inv, stu)}
    per_slot = Counter(slot for slot, _, _ in fixed)
    per_person = Counter(p for _, inv, stu in fixed for p in (inv, stu))
    walk(0, sum(values[(inv, stu)] or 0 for _, inv, stu in fixed), busy, per_slot, per_person)
    return best


def cp_sat(document: dict) -> int:
    """The optimum by OR-Tools CP-SAT (an independent solver), modelled here from the rules."""
    value, _, status = cp_sat_solve(document, time_limit=120)
    assert status == "OPTIMAL"
    return value


def cp_sat_solve(document: dict, *, time_limit: float) -> tuple[int, int, str]:
    """CP-SAT with two workers for `time_limit` seconds: (value, bound, status name). The
    benchmark compares HiGHS with it too."""
    from ortools.sat.python import cp_model

    people, tables = document["people"], document["tables"]
    model = cp_model.CpModel()
    terms, by_slot, by_person_slot, by_person = [], {}, {}, {}
    for (inv, stu), value in interest(document).items():
        if value is None:
            continue
        chosen = []
        for slot in document["slots"]:
            if slot in people[inv]["available"] and slot in people[stu]["available"]:
                x = model.new_bool_var(f"{inv}-{stu}-{slot}")
                chosen.append(x)
                terms.append(value * x)
                by_slot.setdefault(slot, []).append(x)
                for p in (inv, stu):
                    by_person_slot.setdefault((p, slot), []).append(x)
                    by_person.setdefault(p, []).append(x)
        model.add(sum(chosen) <= 1)
    for xs in by_slot.values():
        model.add(sum(xs) <= tables)
    for xs in by_person_slot.values():
        model.add(sum(xs) <= 1)
    for p, xs in by_person.items():
        model.add(sum(xs) <= people[p]["max_meetings"])
    model.maximize(sum(terms))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    solver.parameters.max_time_in_seconds = time_limit
    status = solver.solve(model)
    return round(solver.objective_value), int(solver.best_objective_bound + 1e-6), solver.status_name(status)


# --- instances ----------------------------------------------------------------------------------

def instance(rng: random.Random, investors: int, startups: int, slots: int, *, tables: int | None = None,
             density: float = 0.4, max_meetings: tuple[int, int] = (0, 4)) -> dict:
    slot_ids = [f"t{n}" for n in range(slots)]
    people = {}
    for prefix, side, count in (("i", "investor", investors), ("s", "startup", startups)):
        for n in range(count):
            people[f"{prefix}{n}"] = {"side": side, "max_meetings": rng.randint(*max_meetings),
                                      "available": [s for s in slot_ids if rng.random() < 0.75]}
    marks = []
    invs = [p for p in people if people[p]["side"] == "investor"]
    stus = [p for p in people if people[p]["side"] == "startup"]
    for inv, stu in itertools.product(invs, stus):
        for a, b in ((inv, stu), (stu, inv)):
            if rng.random() < density:
                marks.append({"from": a, "to": b, "level": rng.choice(["must", "want", "want", "no"])})
    return {"slots": slot_ids, "tables": tables or rng.randint(1, max(1, min(investors, startups))),
            "people": people, "marks": marks}


def run(document: dict, **kwargs) -> dict:
    return to_document(solve(parse(document), **kwargs))


@st.composite
def small_documents(draw):
    seed = draw(st.integers(0, 2**32 - 1))
    rng = random.Random(seed)
    document = instance(rng, draw(st.integers(0, 3)), draw(st.integers(0, 4)), draw(st.integers(1, 3)),
                        density=draw(st.sampled_from([0.2, 0.5, 0.9])))
    return document


# --- feasibility and optimality -----------------------------------------------------------------

@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_documents())
def test_every_schedule_obeys_the_rules_and_is_optimal(document):
    output = run(document)
    value = check(document, output)
    assert value == brute_force(document)
    assert output["bound"] == value  # proven optimal on instances this small
    assert output["stats"]["status"] == "optimal"


@st.composite
def contested_documents(draw):
    """Few tables and many marks: the greedy schedule is often not provably best, so HiGHS runs."""
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    return instance(rng, draw(st.integers(2, 4)), draw(st.integers(2, 5)), draw(st.integers(1, 3)),
                    tables=draw(st.integers(1, 2)), density=0.6)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contested_documents())
def test_contested_schedules_obey_the_rules_and_are_optimal(document):
    output = run(document)
    assert check(document, output) == brute_force(document) == output["bound"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contested_documents(), st.randoms(use_true_random=False), st.sampled_from(["want", "no", None]))
def test_schedules_around_confirmed_meetings_keep_them_and_are_optimal(document, rng, remark):
    confirmed = [m for m in run(document)["meetings"] if rng.random() < 0.5]
    if remark and confirmed:  # someone changes their mind about a confirmed meeting
        m = confirmed[0]
        marks = [x for x in document["marks"] if {x["from"], x["to"]} != {m["investor"], m["startup"]}]
        document = dict(document, marks=[*marks, {"from": m["startup"], "to": m["investor"], "level": remark}])
    document = dict(document, fixed=confirmed)
    output = run(document)
    assert check(document, output) == brute_force(document) == output["bound"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contested_documents())
def test_highs_alone_finds_the_optimum_and_proves_it(document):
    # The MILP without the greedy fallback or the combinatorial bound beside it.
    model, _ = schedule._model(parse(document))
    chosen, dual, status, _ = schedule._milp(model, 30.0)
    assert status == "optimal"
    assert sorted(chosen) == sorted(schedule._feasible_subset(model, chosen))  # feasible as it stands
    value = schedule._value(model, chosen)
    assert value == brute_force(document)
    assert value <= model.fixed_value + dual + 1e-6


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contested_documents())
def test_the_pairs_only_relaxation_bounds_the_optimum_and_its_slots_obey_the_rules(document):
    model, _ = schedule._model(parse(document))
    pairs, dual, _ = schedule._pair_milp(model, 30.0)
    optimum = brute_force(document)
    assert dual + 1e-6 >= optimum
    assigned = schedule._assign_slots(model, pairs)
    assert sorted(assigned) == sorted(schedule._feasible_subset(model, assigned))
    assert {k for k, _ in assigned} <= set(pairs)
    # The repair may move meetings to other slots to fit more chosen pairs in, never drop one.
    repaired = schedule._repair(model, assigned, pairs)
    assert sorted(repaired) == sorted(schedule._feasible_subset(model, repaired))
    assert {k for k, _ in assigned} <= {k for k, _ in repaired} <= set(pairs)


@settings(max_examples=60, deadline=None)
@given(small_documents())
def test_the_greedy_baseline_obeys_the_rules_and_never_beats_the_solver(document):
    baseline = to_document(greedy(parse(document)))
    check(document, baseline)
    assert baseline["value"] <= run(document)["value"]


@pytest.mark.parametrize("seed", range(12))
def test_small_instances_reach_the_cp_sat_optimum(seed):
    rng = random.Random(seed)
    document = instance(rng, rng.randint(3, 8), rng.randint(3, 10), rng.randint(2, 5), density=0.35)
    output = run(document)
    assert check(document, output) == cp_sat(document) == output["bound"]


@pytest.mark.parametrize("seed", range(3))
def test_medium_instances_reach_the_cp_sat_optimum(seed):
    rng = random.Random(100 + seed)
    document = instance(rng, 25, 35, 6, tables=12, density=0.12, max_meetings=(2, 6))
    output = run(document)
    optimum = cp_sat(document)
    assert check(document, output) == optimum
    assert output["bound"] == optimum
    assert output["stats"]["solver"] in {"highs", "greedy"}


def test_the_solver_beats_greedy_where_greedy_blocks_itself():
    # Greedy seats the most valuable pair in the only slot the second pair could use.
    document = {
        "slots": ["t1", "t2"], "tables": 1,
        "people": {"i": {"side": "investor", "available": ["t1", "t2"], "max_meetings": 2},
                   "a": {"side": "startup", "available": ["t1", "t2"], "max_meetings": 1},
                   "b": {"side": "startup", "available": ["t1"], "max_meetings": 1}},
        "marks": [{"from": "i", "to": "a", "level": "must"}, {"from": "a", "to": "i", "level": "must"},
                  {"from": "i", "to": "b", "level": "must"}]}
    assert to_document(greedy(parse(document)))["value"] == 6
    output = run(document)
    assert check(document, output) == 9
    assert {(m["slot"], m["startup"]) for m in output["meetings"]} == {("t1", "b"), ("t2", "a")}


def test_value_and_bound_follow_the_issue_weights():
    document = {
        "slots": ["t1"], "tables": 5,
        "people": {"i": {"side": "investor", "available": ["t1"], "max_meetings": 1},
                   "j": {"side": "investor", "available": ["t1"], "max_meetings": 1},
                   "k": {"side": "investor", "available": ["t1"], "max_meetings": 1},
                   "a": {"side": "startup", "available": ["t1"], "max_meetings": 1},
                   "b": {"side": "startup", "available": ["t1"], "max_meetings": 1},
                   "c": {"side": "startup", "available": ["t1"], "max_meetings": 1}},
        "marks": [{"from": "i", "to": "a", "level": "must"}, {"from": "a", "to": "i", "level": "want"},  # 4
                  {"from": "b", "to": "j", "level": "want"},  # 1: one side is enough
                  {"from": "k", "to": "c", "level": "must"}, {"from": "c", "to": "k", "level": "no"}]}  # refused
    output = run(document)
    assert output["value"] == 5 == output["bound"]
    assert {(m["investor"], m["startup"]) for m in output["meetings"]} == {("i", "a"), ("j", "b")}


def test_nobody_with_max_meetings_zero_meets():
    document = instance(random.Random(5), 4, 4, 3, tables=4, density=0.9)
    document["people"]["i0"]["max_meetings"] = 0
    output = run(document)
    check(document, output)
    assert all(m["investor"] != "i0" for m in output["meetings"])


def test_an_empty_event_has_an_empty_schedule():
    output = run({"slots": ["t1"], "tables": 1, "people": {}, "marks": []})
    assert output["meetings"] == [] and output["value"] == output["bound"] == 0


def test_the_same_input_gives_the_same_schedule():
    document = instance(random.Random(8), 10, 12, 4, tables=5, density=0.3, max_meetings=(1, 4))
    first, second = run(document), run(document)
    assert first["meetings"] == second["meetings"] and first["value"] == second["value"]


# --- fixed meetings and the late registrant -------------------------------------------------------

def test_fixed_meetings_are_kept_and_the_rest_fitted_around_them():
    rng = random.Random(21)
    document = instance(rng, 6, 8, 4, tables=3, density=0.5, max_meetings=(1, 3))
    first = run(document)
    assert first["meetings"]
    # Confirm half the meetings, then change everyone's marks: the confirmed ones stay.
    confirmed = first["meetings"][::2]
    changed = instance(random.Random(22), 6, 8, 4, tables=3, density=0.5, max_meetings=(3, 3))
    changed["fixed"] = confirmed
    second = run(changed)
    check(changed, second)
    assert all(m in second["meetings"] for m in confirmed)


def test_a_late_registrant_is_fitted_into_free_places_without_moving_confirmed_meetings():
    rng = random.Random(31)
    document = instance(rng, 5, 6, 4, tables=4, density=0.5, max_meetings=(1, 2))
    confirmed = run(document)["meetings"]
    late = dict(document, people=dict(document["people"]), marks=list(document["marks"]), fixed=confirmed)
    late["people"]["late"] = {"side": "startup", "available": list(document["slots"]), "max_meetings": 3}
    late["marks"] += [{"from": "late", "to": inv, "level": "must"}
                      for inv, p in document["people"].items() if p["side"] == "investor"]
    output = run(late)
    check(late, output)
    assert all(m in output["meetings"] for m in confirmed)
    new = [m for m in output["meetings"] if m not in confirmed]
    assert new and all(m["startup"] == "late" for m in new)
    assert output["value"] == output["bound"]


def test_a_fixed_meeting_counts_towards_tables_and_maximum():
    document = {
        "slots": ["t1", "t2"], "tables": 1,
        "people": {"i": {"side": "investor", "available": ["t1", "t2"], "max_meetings": 1},
                   "j": {"side": "investor", "available": ["t1", "t2"], "max_meetings": 2},
                   "a": {"side": "startup", "available": ["t1", "t2"], "max_meetings": 2},
                   "b": {"side": "startup", "available": ["t1", "t2"], "max_meetings": 2}},
        "marks": [{"from": "a", "to": "i", "level": "must"}, {"from": "b", "to": "i", "level": "must"},
                  {"from": "b", "to": "j", "level": "want"}],
        "fixed": [{"slot": "t1", "investor": "i", "startup": "a"}]}
    output = run(document)
    check(document, output)
    # i is full (1 of 1), t1 is full (1 table): only j-b in t2 is left.
    assert output["meetings"] == [{"slot": "t1", "investor": "i", "startup": "a"},
                                  {"slot": "t2", "investor": "j", "startup": "b"}]
    assert output["value"] == 4


def test_a_confirmed_meeting_stays_even_when_its_slot_or_marks_changed():
    document = {
        "slots": ["t1", "t2"], "tables": 2,
        "people": {"i": {"side": "investor", "available": ["t2"], "max_meetings": 2},
                   "a": {"side": "startup", "available": ["t2"], "max_meetings": 2}},
        "marks": [{"from": "a", "to": "i", "level": "no"}],
        "fixed": [{"slot": "t1", "investor": "i", "startup": "a"}]}
    output = run(document)
    assert output["meetings"] == [{"slot": "t1", "investor": "i", "startup": "a"}]
    assert output["value"] == 0 == output["bound"]


# --- time limit ---------------------------------------------------------------------------------

def test_a_short_time_limit_is_kept_and_still_gives_a_feasible_schedule_with_its_bound():
    run(instance(random.Random(1), 2, 2, 1))  # imports out of the way
    document = instance(random.Random(0), 100, 140, 10, tables=60, density=0.06, max_meetings=(3, 8))
    output = run(document, time_limit=1.0)
    assert check(document, output) < output["bound"]
    assert output["stats"]["status"] == "time limit"
    assert output["stats"]["time"] < 1.0 + 4  # the limit, and room for a loaded machine


@pytest.mark.parametrize("seed", range(3))
def test_the_bound_is_proven_when_time_runs_out(seed):
    # Plenty of tables: the pairs-only bound is not always reached by its slot assignment, so the
    # full MILP runs and is stopped; value <= the CP-SAT optimum <= the bound reported.
    rng = random.Random(200 + seed)
    document = instance(rng, 30, 40, 6, tables=40, density=0.15, max_meetings=(2, 6))
    output = run(document, time_limit=0.2)
    value = check(document, output)
    assert value <= cp_sat(document) <= output["bound"]
    assert output["stats"]["status"] in {"optimal", "time limit"}


# --- the library's own input checks ---------------------------------------------------------------

def test_validate_refuses_a_problem_built_wrongly_in_code():
    people = (Person(id="i", side="investor", available=("t1",), max_meetings=1),
              Person(id="a", side="startup", available=("t1",), max_meetings=1))
    good = Problem(slots=("t1",), tables=1, people=people, marks=(Mark(source="i", target="a", level="want"),))
    assert solve(good).value == 1
    for bad, words in [
        (Problem(slots=("t1",), tables=0, people=people, marks=()), "tables"),
        (Problem(slots=("t1",), tables=True, people=people, marks=()), "tables"),
        (Problem(slots=("t1",), tables=1, people=people, marks=(Mark("i", "i", "want"),)), "themselves"),
        (Problem(slots=("t1",), tables=1, people=people, marks=(Mark("i", "x", "want"),)), "'x'"),
        (Problem(slots=("t1",), tables=1, people=people, marks=(Mark("i", "a", "maybe"),)), "level"),
        (Problem(slots=("t1",), tables=1, people=people, marks=(), fixed=(Meeting("t9", "i", "a"),)), "'t9'"),
        (Problem(slots=("t1",), tables=1, people=people, marks=(), fixed=(Meeting("t1", "a", "i"),)), "investor"),
        (Problem(slots=("t1",), tables=1, people=(Person("i", "vc", ("t1",), 1),), marks=()), "side"),
        (Problem(slots=("t1",), tables=1, people=(Person("i", "investor", ("t1",), -1),), marks=()), "max_meetings"),
    ]:
        with pytest.raises(ScheduleInputError, match=words):
            solve(bad)
    with pytest.raises(ScheduleInputError, match="time_limit"):
        solve(good, time_limit=0)
