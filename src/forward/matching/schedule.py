"""Meeting schedules for networking events: one-to-one meetings between investors and startups in
time slots, maximising the total interest, solved as a mixed-integer programme by HiGHS (through
``scipy.optimize.milp``) with a proven upper bound. A pure library: no Django; ids in, ids out.

Rules. A meeting joins one investor and one startup in a slot both list as available. A pair may
meet only if neither marked the other "no" and at least one marked the other "must" or "want"; its
value is w(a→b) + w(b→a) with must = 3, want = 1, anything else 0. A pair meets at most once, nobody
is in two meetings in one slot, a slot holds at most ``tables`` meetings and a person at most their
``max_meetings``. ``fixed`` meetings (already confirmed) are kept exactly as given: they count towards
the value, the tables and everyone's maximum, and the solver fits the rest around them. A fixed
meeting is not re-checked against availability or marks (it was confirmed; the person may have
changed them since), only against the hard limits (nobody twice in a slot, a pair once, tables,
max_meetings), which no schedule containing it could otherwise meet.

Marks join an investor and a startup; a mark between two people of one side, a person marking
themselves, or the same (from, to) marked twice is refused, so that what the input says is never
silently reinterpreted.

Formulation: a binary variable per (allowed pair, slot both are free in); rows: a pair at most once,
a person at most once per slot, a slot at most ``tables``, a person at most ``max_meetings``. Per
slot, the person rows form a bipartite matching polytope, so the relaxation is tight and HiGHS
proves the optimum quickly. The result is checked, completed greedily with any meeting that still
fits, and compared with the greedy schedule; the better one is returned with HiGHS's dual bound
(or, when HiGHS stops without one, a combinatorial bound), rounded down since values are integers.
"""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

INVESTOR, STARTUP = "investor", "startup"
SIDES = (INVESTOR, STARTUP)
WEIGHTS = {"must": 3, "want": 1, "no": 0}
LEVELS = tuple(WEIGHTS)

# Input bounds, checked before any work that grows with them.
MAX_INPUT_BYTES = 64 * 1024 * 1024
MAX_SLOTS = 500
MAX_PEOPLE = 50_000
MAX_MARKS = 2_000_000
MAX_TABLES = 100_000
MAX_MEETINGS_PER_PERSON = 1_000
MAX_ID_LENGTH = 200
MAX_VARIABLES = 5_000_000  # (allowed pair, common free slot) combinations handed to the solver


class ScheduleInputError(ValueError):
    """Input that is not a scheduling problem; str(e) says in one line what to fix."""


@dataclass(frozen=True)
class Person:
    id: str
    side: str  # "investor" | "startup"
    available: tuple[str, ...]
    max_meetings: int


@dataclass(frozen=True)
class Mark:
    source: str
    target: str
    level: str  # "must" | "want" | "no"


@dataclass(frozen=True)
class Meeting:
    slot: str
    investor: str
    startup: str


@dataclass(frozen=True)
class Problem:
    slots: tuple[str, ...]
    tables: int
    people: tuple[Person, ...]
    marks: tuple[Mark, ...]
    fixed: tuple[Meeting, ...] = ()


@dataclass
class Schedule:
    meetings: list[Meeting]
    value: int
    bound: int
    stats: dict = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Input


def _is_int(value) -> bool:
    return type(value) is int


def _id(value, what: str) -> str:
    if type(value) is not str or not value:
        raise ScheduleInputError(f"{what} must be a non-empty string id, not {_show(value)}")
    if len(value) > MAX_ID_LENGTH:
        raise ScheduleInputError(f"{what} is longer than {MAX_ID_LENGTH} characters")
    return value


def _show(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _keys(entry: dict, allowed: tuple[str, ...], required: tuple[str, ...], what: str) -> None:
    for key in entry:
        if key not in allowed:
            raise ScheduleInputError(f"{what} has an unknown key {_show(key)}; allowed: {', '.join(allowed)}")
    for key in required:
        if key not in entry:
            raise ScheduleInputError(f"{what} lacks {key!r}")


def _list(value, what: str, limit: int) -> list:
    if type(value) is not list:
        raise ScheduleInputError(f"{what} must be a list, not {type(value).__name__}")
    if len(value) > limit:
        raise ScheduleInputError(f"{what} has {len(value)} entries; at most {limit} are accepted")
    return value


def _meeting(entry, what: str) -> Meeting:
    if type(entry) is not dict:
        raise ScheduleInputError(f"{what} must be an object with slot, investor and startup")
    _keys(entry, ("slot", "investor", "startup"), ("slot", "investor", "startup"), what)
    return Meeting(slot=_id(entry["slot"], f"{what}.slot"), investor=_id(entry["investor"], f"{what}.investor"),
                   startup=_id(entry["startup"], f"{what}.startup"))


def parse(document: object) -> Problem:
    """The input of `forward schedule` (already JSON-decoded) as a Problem; ScheduleInputError
    naming the first thing wrong otherwise."""
    if type(document) is not dict:
        raise ScheduleInputError("the input must be a JSON object with slots, tables, people and marks")
    _keys(document, ("slots", "tables", "people", "marks", "fixed"), ("slots", "tables", "people", "marks"),
          "the input")
    slots = tuple(_id(s, f"slots[{n}]") for n, s in enumerate(_list(document["slots"], "slots", MAX_SLOTS)))
    tables = document["tables"]
    people_doc = document["people"]
    if type(people_doc) is not dict:
        raise ScheduleInputError("people must be an object mapping each id to its side, available and max_meetings")
    if len(people_doc) > MAX_PEOPLE:
        raise ScheduleInputError(f"people has {len(people_doc)} entries; at most {MAX_PEOPLE} are accepted")
    people = []
    for pid, entry in people_doc.items():
        what = f"people[{_show(pid)}]"
        _id(pid, f"a key of people ({what})")
        if type(entry) is not dict:
            raise ScheduleInputError(f"{what} must be an object with side, available and max_meetings")
        _keys(entry, ("side", "available", "max_meetings"), ("side", "available", "max_meetings"), what)
        available = tuple(_id(s, f"{what}.available[{n}]")
                          for n, s in enumerate(_list(entry["available"], f"{what}.available", MAX_SLOTS)))
        people.append(Person(id=pid, side=entry["side"], available=available, max_meetings=entry["max_meetings"]))
    marks = []
    for n, entry in enumerate(_list(document["marks"], "marks", MAX_MARKS)):
        what = f"marks[{n}]"
        if type(entry) is not dict:
            raise ScheduleInputError(f"{what} must be an object with from, to and level")
        _keys(entry, ("from", "to", "level"), ("from", "to", "level"), what)
        marks.append(Mark(source=_id(entry["from"], f"{what}.from"), target=_id(entry["to"], f"{what}.to"),
                          level=entry["level"]))
    fixed = tuple(_meeting(entry, f"fixed[{n}]")
                  for n, entry in enumerate(_list(document.get("fixed", []), "fixed", MAX_MARKS)))
    problem = Problem(slots=slots, tables=tables, people=tuple(people), marks=tuple(marks), fixed=fixed)
    validate(problem)
    return problem


def validate(problem: Problem) -> None:
    """The checks `parse` makes, for a Problem built in code; ScheduleInputError naming the first
    thing wrong."""
    if not isinstance(problem, Problem):
        raise ScheduleInputError("the problem must be a Problem")
    slots, people, marks, fixed = problem.slots, problem.people, problem.marks, problem.fixed
    for name, value, limit in (("slots", slots, MAX_SLOTS), ("people", people, MAX_PEOPLE),
                               ("marks", marks, MAX_MARKS), ("fixed", fixed, MAX_MARKS)):
        if not isinstance(value, tuple | list):
            raise ScheduleInputError(f"{name} must be a sequence")
        if len(value) > limit:
            raise ScheduleInputError(f"{name} has {len(value)} entries; at most {limit} are accepted")
    known_slots = set()
    for n, slot in enumerate(slots):
        _id(slot, f"slots[{n}]")
        if slot in known_slots:
            raise ScheduleInputError(f"slots names {_show(slot)} twice")
        known_slots.add(slot)
    tables = problem.tables
    if not _is_int(tables):
        raise ScheduleInputError(f"tables must be an integer, not {_show(tables)}")
    if not 1 <= tables <= MAX_TABLES:
        raise ScheduleInputError(f"tables is {tables}; it must be between 1 and {MAX_TABLES}")
    side = {}
    for person in people:
        if not isinstance(person, Person):
            raise ScheduleInputError("people must hold Person entries")
        what = f"people[{_show(person.id)}]"
        _id(person.id, what)
        if person.id in side:
            raise ScheduleInputError(f"people names {_show(person.id)} twice")
        if person.side not in SIDES:
            raise ScheduleInputError(f"{what}.side is {_show(person.side)}; it must be investor or startup")
        if not _is_int(person.max_meetings):
            raise ScheduleInputError(f"{what}.max_meetings must be an integer, not {_show(person.max_meetings)}")
        if not 0 <= person.max_meetings <= MAX_MEETINGS_PER_PERSON:
            raise ScheduleInputError(f"{what}.max_meetings is {person.max_meetings}; it must be between 0 and "
                                     f"{MAX_MEETINGS_PER_PERSON}")
        if not isinstance(person.available, tuple | list):
            raise ScheduleInputError(f"{what}.available must be a list of slot ids")
        seen = set()
        for slot in person.available:
            if slot not in known_slots:
                raise ScheduleInputError(f"{what}.available names {_show(slot)}, which is not one of the slots")
            if slot in seen:
                raise ScheduleInputError(f"{what}.available names {_show(slot)} twice")
            seen.add(slot)
        side[person.id] = person.side
    marked = set()
    for n, mark in enumerate(marks):
        if not isinstance(mark, Mark):
            raise ScheduleInputError("marks must hold Mark entries")
        what = f"marks[{n}]"
        for key, pid in (("from", mark.source), ("to", mark.target)):
            if pid not in side:
                raise ScheduleInputError(f"{what}.{key} names {_show(pid)}, who is not among the people")
        if mark.source == mark.target:
            raise ScheduleInputError(f"{what}: {_show(mark.source)} marks themselves")
        if side[mark.source] == side[mark.target]:
            raise ScheduleInputError(f"{what} joins {_show(mark.source)} and {_show(mark.target)}, both "
                                     f"{side[mark.source]}s; a mark joins an investor and a startup")
        if mark.level not in WEIGHTS:
            raise ScheduleInputError(f"{what}.level is {_show(mark.level)}; it must be must, want or no")
        if (mark.source, mark.target) in marked:
            raise ScheduleInputError(f"{what}: {_show(mark.source)} marks {_show(mark.target)} a second time; "
                                     "keep one mark per (from, to)")
        marked.add((mark.source, mark.target))
    _validate_fixed(problem, side, known_slots)


def _validate_fixed(problem: Problem, side: dict[str, str], known_slots: set[str]) -> None:
    limit = {p.id: p.max_meetings for p in problem.people}
    busy, pairs, per_slot, per_person = set(), set(), Counter(), Counter()
    for n, meeting in enumerate(problem.fixed):
        if not isinstance(meeting, Meeting):
            raise ScheduleInputError("fixed must hold Meeting entries")
        what = f"fixed[{n}]"
        if meeting.slot not in known_slots:
            raise ScheduleInputError(f"{what}.slot names {_show(meeting.slot)}, which is not one of the slots")
        for key, pid in ((INVESTOR, meeting.investor), (STARTUP, meeting.startup)):
            if pid not in side:
                raise ScheduleInputError(f"{what}.{key} names {_show(pid)}, who is not among the people")
            if side[pid] != key:
                raise ScheduleInputError(f"{what}.{key} names {_show(pid)}, who is {'an' if side[pid] == INVESTOR else 'a'} "
                                         f"{side[pid]}")
        for pid in (meeting.investor, meeting.startup):
            if (pid, meeting.slot) in busy:
                raise ScheduleInputError(f"{what} puts {_show(pid)} in a second meeting in slot {_show(meeting.slot)}")
            busy.add((pid, meeting.slot))
            per_person[pid] += 1
            if per_person[pid] > limit[pid]:
                raise ScheduleInputError(f"fixed gives {_show(pid)} more meetings than their max_meetings "
                                         f"({limit[pid]})")
        pair = (meeting.investor, meeting.startup)
        if pair in pairs:
            raise ScheduleInputError(f"{what} has {_show(pair[0])} meet {_show(pair[1])} a second time")
        pairs.add(pair)
        per_slot[meeting.slot] += 1
        if per_slot[meeting.slot] > problem.tables:
            raise ScheduleInputError(f"fixed puts more meetings in slot {_show(meeting.slot)} than there are "
                                     f"tables ({problem.tables})")


# ---------------------------------------------------------------------------------------------
# The model: integers throughout


@dataclass
class _Model:
    n_slots: int
    tables_left: list[int]  # per slot
    cap_left: list[int]  # per person
    free: list[set[int]]  # per person: slots available and not taken by a fixed meeting
    pairs: list[tuple[int, int, int]]  # (investor index, startup index, value), allowed and not fixed
    fixed_value: int
    n_marks: int


def _pair_values(problem: Problem, index: dict[str, int], investor: list[bool]) -> dict[tuple[int, int], tuple[int, bool]]:
    """(investor, startup) -> (value, allowed)."""
    weight: dict[tuple[int, int], int] = defaultdict(int)
    refused: set[tuple[int, int]] = set()
    wanted: set[tuple[int, int]] = set()
    for mark in problem.marks:
        a, b = index[mark.source], index[mark.target]
        key = (a, b) if investor[a] else (b, a)
        if mark.level == "no":
            refused.add(key)
        else:
            wanted.add(key)
            weight[key] += WEIGHTS[mark.level]
    return {key: (weight[key], key not in refused) for key in wanted | refused}


def _model(problem: Problem) -> tuple[_Model, dict[str, int]]:
    index = {p.id: n for n, p in enumerate(problem.people)}
    slot_index = {s: n for n, s in enumerate(problem.slots)}
    investor = [p.side == INVESTOR for p in problem.people]
    values = _pair_values(problem, index, investor)
    tables_left = [problem.tables] * len(problem.slots)
    cap_left = [p.max_meetings for p in problem.people]
    free = [{slot_index[s] for s in p.available} for p in problem.people]
    fixed_pairs = set()
    fixed_value = 0
    for m in problem.fixed:
        i, s, t = index[m.investor], index[m.startup], slot_index[m.slot]
        tables_left[t] -= 1
        for person in (i, s):
            cap_left[person] -= 1
            free[person].discard(t)
        fixed_pairs.add((i, s))
        value, allowed = values.get((i, s), (0, True))
        fixed_value += value if allowed else 0
    pairs = [(i, s, v) for (i, s), (v, allowed) in values.items()
             if allowed and v > 0 and (i, s) not in fixed_pairs]
    pairs.sort()
    return _Model(len(problem.slots), tables_left, cap_left, free, pairs, fixed_value, len(problem.marks)), index


def _greedy_fill(model: _Model, chosen: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Adds to `chosen` ((pair position, investor, startup, slot) triples as (pair, slot)) every
    meeting that still fits, highest value first, earliest slot; returns the full list of
    (pair position, slot)."""
    tables = list(model.tables_left)
    cap = list(model.cap_left)
    busy = set()
    met = set()
    for k, t in chosen:
        i, s, _ = model.pairs[k]
        tables[t] -= 1
        cap[i] -= 1
        cap[s] -= 1
        busy.add((i, t))
        busy.add((s, t))
        met.add(k)
    result = list(chosen)
    order = sorted(range(len(model.pairs)), key=lambda k: (-model.pairs[k][2], k))
    for k in order:
        if k in met:
            continue
        i, s, _ = model.pairs[k]
        if cap[i] <= 0 or cap[s] <= 0:
            continue
        for t in sorted(model.free[i] & model.free[s]):
            if tables[t] > 0 and (i, t) not in busy and (s, t) not in busy:
                tables[t] -= 1
                cap[i] -= 1
                cap[s] -= 1
                busy.add((i, t))
                busy.add((s, t))
                met.add(k)
                result.append((k, t))
                break
    return result


def _feasible_subset(model: _Model, chosen: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The solver's meetings, dropping any that would break a rule (none should: a safety net
    against tolerances), highest value first."""
    tables = list(model.tables_left)
    cap = list(model.cap_left)
    busy, met, kept = set(), set(), []
    for k, t in sorted(chosen, key=lambda kt: (-model.pairs[kt[0]][2], kt)):
        i, s, _ = model.pairs[k]
        if (k in met or tables[t] <= 0 or cap[i] <= 0 or cap[s] <= 0 or (i, t) in busy or (s, t) in busy
                or t not in model.free[i] or t not in model.free[s]):
            continue
        tables[t] -= 1
        cap[i] -= 1
        cap[s] -= 1
        busy.update(((i, t), (s, t)))
        met.add(k)
        kept.append((k, t))
    return kept


def _combinatorial_bound(model: _Model, investor: list[bool]) -> int:
    """A proven bound without a solver: every meeting belongs to one investor (and one startup),
    who has at most min(cap, free slots) of them; so the sum over investors of their best so many
    pair values bounds the total, and so does the same sum over startups."""
    best = defaultdict(list)
    for i, s, v in model.pairs:
        best[i].append(v)
        best[s].append(v)
    totals = [0, 0]
    for person, values in best.items():
        values.sort(reverse=True)
        room = max(0, min(model.cap_left[person], len(model.free[person])))
        totals[0 if investor[person] else 1] += sum(values[:room])
    slot_room = sum(max(0, t) for t in model.tables_left)
    overall = sorted((v for _, _, v in model.pairs), reverse=True)[:slot_room]
    return min(totals[0], totals[1], sum(overall))


def _meetings(problem: Problem, model: _Model, chosen: list[tuple[int, int]]) -> list[Meeting]:
    people, slots = problem.people, problem.slots
    found = [Meeting(slot=slots[t], investor=people[model.pairs[k][0]].id, startup=people[model.pairs[k][1]].id)
             for k, t in chosen]
    order = {s: n for n, s in enumerate(slots)}
    return sorted([*problem.fixed, *found], key=lambda m: (order[m.slot], m.investor, m.startup))


def _value(model: _Model, chosen: list[tuple[int, int]]) -> int:
    return model.fixed_value + sum(model.pairs[k][2] for k, _ in chosen)


def greedy(problem: Problem) -> Schedule:
    """The baseline: pairs by value (highest first), each in the earliest common free slot with a
    table left, around the fixed meetings."""
    started = time.perf_counter()
    validate(problem)
    model, _ = _model(problem)
    chosen = _greedy_fill(model, [])
    investor = [p.side == INVESTOR for p in problem.people]
    value = _value(model, chosen)
    bound = model.fixed_value + _combinatorial_bound(model, investor)
    return Schedule(meetings=_meetings(problem, model, chosen), value=value, bound=max(bound, value),
                    stats=_stats(problem, model, solver="greedy", status="heuristic", started=started,
                                 value=value, bound=bound))


def _stats(problem: Problem, model: _Model, *, solver: str, status: str, started: float, value: int, bound: int,
           **extra) -> dict:
    return {"solver": solver, "status": status, "time": round(time.perf_counter() - started, 3),
            "gap": round((bound - value) / bound, 6) if bound else 0.0,
            "slots": len(problem.slots), "tables": problem.tables, "people": len(problem.people),
            "investors": sum(p.side == INVESTOR for p in problem.people),
            "startups": sum(p.side == STARTUP for p in problem.people),
            "marks": len(problem.marks), "fixed": len(problem.fixed), "allowed_pairs": len(model.pairs),
            **extra}


def solve(problem: Problem, *, time_limit: float = 60.0) -> Schedule:
    """The schedule of highest total value that HiGHS finds within `time_limit` seconds, with its
    proven bound; `stats["status"]` is "optimal" or "time limit"."""
    started = time.perf_counter()
    if not (isinstance(time_limit, int | float) and math.isfinite(time_limit) and time_limit > 0):
        raise ScheduleInputError(f"time_limit must be a positive number of seconds, not {_show(time_limit)}")
    validate(problem)
    model, _ = _model(problem)
    investor = [p.side == INVESTOR for p in problem.people]
    greedy_chosen = _greedy_fill(model, [])
    greedy_value = _value(model, greedy_chosen)
    combinatorial = model.fixed_value + _combinatorial_bound(model, investor)
    if combinatorial <= greedy_value:  # nothing to gain (no allowed pairs, or greedy already proven best)
        return Schedule(meetings=_meetings(problem, model, greedy_chosen), value=greedy_value, bound=greedy_value,
                        stats=_stats(problem, model, solver="greedy", status="optimal", started=started,
                                     value=greedy_value, bound=greedy_value, greedy_value=greedy_value,
                                     variables=0))
    chosen, dual, status, extra = _milp(model, time_limit - (time.perf_counter() - started))
    if chosen is not None:
        chosen = _greedy_fill(model, _feasible_subset(model, chosen))
    if chosen is None or _value(model, chosen) < greedy_value:
        chosen = greedy_chosen
    value = _value(model, chosen)
    bound = combinatorial
    if dual is not None:
        bound = min(bound, model.fixed_value + math.floor(dual + 1e-6))
    bound = max(bound, value)  # the dual bound is within the solver's tolerance of the value
    if bound == value:
        status = "optimal"
    return Schedule(meetings=_meetings(problem, model, chosen), value=value, bound=bound,
                    stats=_stats(problem, model, solver="highs", status=status, started=started, value=value,
                                 bound=bound, greedy_value=greedy_value, **extra))


def _milp(model: _Model, time_left: float):
    """HiGHS on the (pair, slot) formulation: (chosen or None, dual bound or None, status, stats)."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_array

    var_pair, var_slot = [], []
    for k, (i, s, _) in enumerate(model.pairs):
        if model.cap_left[i] <= 0 or model.cap_left[s] <= 0:
            continue
        for t in model.free[i] & model.free[s]:
            if model.tables_left[t] > 0:
                var_pair.append(k)
                var_slot.append(t)
    n = len(var_pair)
    if n > MAX_VARIABLES:
        raise ScheduleInputError(f"the input allows {n} (pair, slot) combinations; at most {MAX_VARIABLES} can be "
                                 "scheduled: fewer marks, slots or availability")
    if n == 0:
        return [], 0, "optimal", {"variables": 0, "constraints": 0}
    pair = np.asarray(var_pair, dtype=np.int64)
    slot = np.asarray(var_slot, dtype=np.int64)
    triples = np.asarray(model.pairs, dtype=np.int64)
    inv, stu, val = triples[pair, 0], triples[pair, 1], triples[pair, 2]
    n_people = len(model.cap_left)
    n_slots = model.n_slots
    cols = np.arange(n, dtype=np.int64)
    # Row blocks, each numbered compactly: pair once; person once per slot; slot tables; person cap.
    pair_rows, pair_row = np.unique(pair, return_inverse=True)
    person_slot = np.concatenate([inv * n_slots + slot, stu * n_slots + slot])
    ps_keys, ps_row = np.unique(person_slot, return_inverse=True)
    slot_keys, slot_row = np.unique(slot, return_inverse=True)
    people_all = np.concatenate([inv, stu])
    person_keys, person_row = np.unique(people_all, return_inverse=True)
    offsets = np.cumsum([0, len(pair_rows), len(ps_keys), len(slot_keys)])
    rows = np.concatenate([pair_row, ps_row + offsets[1], slot_row + offsets[2], person_row + offsets[3]])
    columns = np.concatenate([cols, cols, cols, cols, cols, cols])
    n_rows = int(offsets[3] + len(person_keys))
    matrix = csr_array((np.ones(len(rows)), (rows, columns)), shape=(n_rows, n))
    upper = np.concatenate([np.ones(len(pair_rows) + len(ps_keys)),
                            np.asarray(model.tables_left, dtype=float)[slot_keys],
                            np.asarray(model.cap_left, dtype=float)[person_keys]])
    del n_people
    options = {"time_limit": max(0.5, time_left), "disp": False, "mip_rel_gap": 1e-6}
    result = milp(-val.astype(float), integrality=np.ones(n), bounds=Bounds(0, 1),
                  constraints=LinearConstraint(matrix, -np.inf, upper), options=options)
    dual = getattr(result, "mip_dual_bound", None)
    dual = -dual if dual is not None and math.isfinite(dual) else None
    status = "optimal" if result.status == 0 else "time limit" if result.status == 1 else f"highs status {result.status}"
    extra = {"variables": n, "constraints": n_rows, "highs_message": str(result.message),
             "nodes": getattr(result, "mip_node_count", None)}
    if result.x is None:
        return None, dual, status, extra
    picked = np.flatnonzero(result.x > 0.5)
    return [(int(pair[j]), int(slot[j])) for j in picked], dual, status, extra


def to_document(schedule: Schedule) -> dict:
    """The output of `forward schedule`."""
    return {"meetings": [{"slot": m.slot, "investor": m.investor, "startup": m.startup} for m in schedule.meetings],
            "value": schedule.value, "bound": schedule.bound, "stats": schedule.stats}
