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

How it solves. First HiGHS chooses which pairs meet with slots left out (each person in at most
min(max_meetings, free slots) pairs, at most tables x slots in all): every schedule is a solution of
that relaxation, so its dual bound is a proven bound, and with bipartite degree limits it is nearly
integral and solved in about a second at event scale. Slots are then given slot by slot (a
maximum-weight matching per slot among the chosen pairs), repaired by moving meetings that stand
in a chosen pair's way, and completed greedily. If that falls short of the bound, HiGHS solves the
full model for the time left: a binary per (allowed pair, slot both are free in); rows: a pair at
most once, a person at most once per slot, a slot at most ``tables``, a person at most
``max_meetings``. The better schedule (never worse than the greedy baseline) is returned with the
lowest proven bound, rounded down since values are integers. A fixed meeting's value is that of its
pair by the current marks, 0 if either side now says "no".
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from .schedule_input import (
    INVESTOR,
    LEVELS,
    MAX_ID_LENGTH,
    MAX_INPUT_BYTES,
    MAX_MARKS,
    MAX_MEETINGS_PER_PERSON,
    MAX_PEOPLE,
    MAX_SLOTS,
    MAX_TABLES,
    MAX_VARIABLES,
    SIDES,
    STARTUP,
    WEIGHTS,
    Mark,
    Meeting,
    Person,
    Problem,
    Schedule,
    ScheduleInputError,
    _show,
    parse,
    validate,
)

__all__ = ["INVESTOR", "LEVELS", "MAX_ID_LENGTH", "MAX_INPUT_BYTES", "MAX_MARKS", "MAX_MEETINGS_PER_PERSON",
           "MAX_PEOPLE", "MAX_SLOTS", "MAX_TABLES", "MAX_VARIABLES", "SIDES", "STARTUP", "WEIGHTS", "Mark",
           "Meeting", "Person", "Problem", "Schedule", "ScheduleInputError", "greedy", "parse", "solve",
           "to_document", "validate"]


# ---------------------------------------------------------------------------------------------
# The model: integers throughout


@dataclass
class _Model:
    n_slots: int
    tables_left: list[int]  # per slot
    cap_left: list[int]  # per person
    free: list[set[int]]  # per person: slots available and not taken by a fixed meeting
    pairs: list[tuple[int, int, int]]  # (investor index, startup index, value), allowed and not fixed
    options: list[list[int]]  # per pair: the slots both are free in and that have a table left, in order
    fixed_value: int


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
    pairs = sorted((i, s, v) for (i, s), (v, allowed) in values.items()
                   if allowed and v > 0 and (i, s) not in fixed_pairs and cap_left[i] > 0 and cap_left[s] > 0)
    open_slots = {t for t, left in enumerate(tables_left) if left > 0}
    options, count = [], 0
    for i, s, _ in pairs:
        common = sorted(free[i] & free[s] & open_slots)
        count += len(common)
        if count > MAX_VARIABLES:
            raise ScheduleInputError(f"the input allows more than {MAX_VARIABLES} (pair, slot) combinations; "
                                     "split the event or give fewer marks or slots")
        options.append(common)
    return _Model(len(problem.slots), tables_left, cap_left, free, pairs, options, fixed_value), index


class _Room:
    """What is left while meetings are placed: tables per slot, meetings per person, who is busy
    when, which pairs met."""

    def __init__(self, model: _Model):
        self.model = model
        self.tables = list(model.tables_left)
        self.cap = list(model.cap_left)
        self.busy: set[tuple[int, int]] = set()
        self.met: set[int] = set()

    def fits(self, k: int, t: int) -> bool:
        i, s, _ = self.model.pairs[k]
        return (k not in self.met and self.tables[t] > 0 and self.cap[i] > 0 and self.cap[s] > 0
                and (i, t) not in self.busy and (s, t) not in self.busy and t in self.model.options[k])

    def take(self, k: int, t: int) -> None:
        self._count(k, t, -1)
        i, s, _ = self.model.pairs[k]
        self.busy.update(((i, t), (s, t)))
        self.met.add(k)

    def give_back(self, k: int, t: int) -> None:
        self._count(k, t, 1)
        i, s, _ = self.model.pairs[k]
        self.busy.difference_update(((i, t), (s, t)))
        self.met.discard(k)

    def _count(self, k: int, t: int, step: int) -> None:
        i, s, _ = self.model.pairs[k]
        self.tables[t] += step
        self.cap[i] += step
        self.cap[s] += step


def _feasible_subset(model: _Model, chosen: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The (pair position, slot) meetings of `chosen` that fit together, highest value first (all
    of them when they obey the rules: a safety net against a solver's tolerances)."""
    room, kept = _Room(model), []
    for k, t in sorted(chosen, key=lambda kt: (-model.pairs[kt[0]][2], kt)):
        if room.fits(k, t):
            room.take(k, t)
            kept.append((k, t))
    return kept


def _repair(model: _Model, assigned: list[tuple[int, int]], wanted: list[int]) -> list[tuple[int, int]]:
    """Places the wanted pairs the slot assignment left out, when moving the (at most two)
    meetings in their way to other slots makes room: one level of augmenting moves, most valuable
    pair first. Every step keeps the schedule within the rules."""
    room = _Room(model)
    slot_of: dict[int, int] = {}
    at: dict[tuple[int, int], int] = {}  # (person, slot) -> the pair meeting there
    in_slot: list[set[int]] = [set() for _ in range(model.n_slots)]

    def place(k: int, t: int) -> None:
        room.take(k, t)
        slot_of[k] = t
        at[model.pairs[k][0], t] = at[model.pairs[k][1], t] = k
        in_slot[t].add(k)

    def lift(k: int) -> int:
        t = slot_of.pop(k)
        room.give_back(k, t)
        del at[model.pairs[k][0], t], at[model.pairs[k][1], t]
        in_slot[t].discard(k)
        return t

    def free_a_table(t: int) -> bool:
        """Moves one meeting out of the full slot t, if one fits elsewhere."""
        for b in sorted(in_slot[t]):
            home = next((u for u in model.options[b] if u != t and room.fits(b, u)), None)
            if home is not None:
                lift(b)
                place(b, home)
                return True
        return False

    for k, t in _feasible_subset(model, assigned):
        place(k, t)

    for k in sorted((k for k in wanted if k not in slot_of), key=lambda k: (-model.pairs[k][2], k)):
        i, s, _ = model.pairs[k]
        if room.cap[i] <= 0 or room.cap[s] <= 0:
            continue
        for t in model.options[k]:
            blockers = sorted({at[q, t] for q in (i, s) if (q, t) in at})
            if not blockers and room.tables[t] <= 0 and not free_a_table(t):
                continue
            moved = [(b, lift(b)) for b in blockers]
            if room.fits(k, t):
                place(k, t)
                homes = []
                for b, _ in moved:
                    home = next((u for u in model.options[b] if u != t and room.fits(b, u)), None)
                    if home is None:
                        break
                    place(b, home)
                    homes.append(b)
                if len(homes) == len(moved):
                    break
                for b in homes:
                    lift(b)
                lift(k)
            for b, old_slot in moved:
                place(b, old_slot)
    return sorted(slot_of.items())


def _greedy_fill(model: _Model, chosen: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`chosen` (those that fit together) plus every meeting that still fits, pairs by value
    (highest first), each in its earliest slot with a table and both free."""
    kept = _feasible_subset(model, chosen)
    room = _Room(model)
    for k, t in kept:
        room.take(k, t)
    for k in sorted(range(len(model.pairs)), key=lambda k: (-model.pairs[k][2], k)):
        for t in model.options[k]:
            if room.fits(k, t):
                room.take(k, t)
                kept.append((k, t))
                break
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
                                 value=value, bound=bound, method="greedy"))


def _stats(problem: Problem, model: _Model, *, solver: str, status: str, started: float, value: int, bound: int,
           **extra: object) -> dict[str, Any]:
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
                                     method="greedy", variables=0, constraints=0, nodes=0))
    # 1. Which pairs meet (HiGHS, slots ignored: a proven bound in about a second), then slots for them.
    best, bound = greedy_chosen, combinatorial
    pairs, pair_dual, pair_rows = _pair_milp(model, time_limit - (time.perf_counter() - started))
    if pair_dual is not None:
        bound = min(bound, model.fixed_value + math.floor(pair_dual + 1e-6))
    if pairs is not None:
        for urgency, reverse in ((4.0, False), (1.0, False), (12.0, False), (4.0, True)):
            found = _greedy_fill(model, _repair(model, _assign_slots(model, pairs, urgency=urgency,
                                                                     reverse=reverse), pairs))
            if _value(model, found) > _value(model, best):
                best = found
            if _value(model, best) >= bound:
                break
    method, status = "pairs then slots", "optimal"
    extra = {"variables": len(model.pairs), "constraints": pair_rows, "nodes": 0}
    # 2. Short of the bound: the full (pair, slot) MILP for the time left, keeping the better schedule.
    time_left = time_limit - (time.perf_counter() - started)
    if _value(model, best) < bound and time_left > 1.5:
        chosen, dual, status, extra = _milp(model, time_left - 0.5)  # room to check and complete its answer
        if dual is not None:
            bound = min(bound, model.fixed_value + math.floor(dual + 1e-6))
        if chosen is not None:
            chosen = _greedy_fill(model, chosen)
            if _value(model, chosen) > _value(model, best):
                best, method = chosen, "pair-slot milp"
    elif _value(model, best) < bound:
        status = "time limit"
    value = _value(model, best)
    bound = max(bound, value)  # a dual bound is within the solver's tolerance of the value
    if bound == value:
        status = "optimal"
    return Schedule(meetings=_meetings(problem, model, best), value=value, bound=bound,
                    stats=_stats(problem, model, solver="highs", status=status, started=started, value=value,
                                 bound=bound, greedy_value=greedy_value, method=method, **extra))


def _milp(model: _Model, time_left: float) -> tuple[list[tuple[int, int]] | None, float | None, str, dict[str, Any]]:
    """HiGHS on the (pair, slot) formulation: (chosen or None, dual bound or None, status, stats)."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_array

    var_pair = [k for k, slots in enumerate(model.options) for _ in slots]
    var_slot = [t for slots in model.options for t in slots]
    n = len(var_pair)
    if n == 0:
        return [], 0, "optimal", {"variables": 0, "constraints": 0, "nodes": 0}
    pair = np.asarray(var_pair, dtype=np.int64)
    slot = np.asarray(var_slot, dtype=np.int64)
    triples = np.asarray(model.pairs, dtype=np.int64)
    inv, stu, val = triples[pair, 0], triples[pair, 1], triples[pair, 2]
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
    options = {"time_limit": max(0.1, time_left), "disp": False, "mip_rel_gap": 1e-6}
    result = milp(-val.astype(float), integrality=np.ones(n), bounds=Bounds(0, 1),
                  constraints=LinearConstraint(matrix, -np.inf, upper), options=options)
    dual = getattr(result, "mip_dual_bound", None)
    dual = -dual if dual is not None and math.isfinite(dual) else None
    status = "optimal" if result.status == 0 else "time limit" if result.status == 1 else f"highs status {result.status}"
    extra = {"variables": n, "constraints": n_rows, "nodes": getattr(result, "mip_node_count", None)}
    if result.x is None:
        return None, dual, status, extra
    picked = np.flatnonzero(result.x > 0.5)
    return [(int(pair[j]), int(slot[j])) for j in picked], dual, status, extra


def to_document(schedule: Schedule) -> dict[str, Any]:
    """The output of `forward schedule`."""
    return {"meetings": [{"slot": m.slot, "investor": m.investor, "startup": m.startup} for m in schedule.meetings],
            "value": schedule.value, "bound": schedule.bound, "stats": schedule.stats}


def _pair_milp(model: _Model, time_left: float) -> tuple[list[int] | None, float | None, int]:
    """The pairs-only relaxation: which pairs meet, each person in at most min(max_meetings, free
    slots) of them, at most the tables of all slots in all; slots ignored. Every schedule is a
    solution of it, so its dual bound bounds the schedule's value; for bipartite degree limits the
    LP is nearly integral and HiGHS solves it in well under a second at event scale. Returns
    (pair positions chosen or None, dual bound or None, rows)."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_array

    n = len(model.pairs)
    if n == 0:
        return [], 0, 0
    triples = np.asarray(model.pairs, dtype=np.int64)
    open_slots = {t for t, left in enumerate(model.tables_left) if left > 0}
    room = np.asarray([max(0, min(cap, len(free & open_slots))) for cap, free in zip(model.cap_left, model.free, strict=True)],
                      dtype=float)
    n_people = len(room)
    cols = np.arange(n, dtype=np.int64)
    rows = np.concatenate([triples[:, 0], triples[:, 1], np.full(n, n_people)])
    matrix = csr_array((np.ones(3 * n), (rows, np.concatenate([cols, cols, cols]))), shape=(n_people + 1, n))
    upper = np.concatenate([room, [float(sum(max(0, t) for t in model.tables_left))]])
    result = milp(-triples[:, 2].astype(float), integrality=np.ones(n), bounds=Bounds(0, 1),
                  constraints=LinearConstraint(matrix, -np.inf, upper),
                  options={"time_limit": max(0.1, time_left), "disp": False, "mip_rel_gap": 1e-6})
    dual = getattr(result, "mip_dual_bound", None)
    dual = -dual if dual is not None and math.isfinite(dual) else None
    if result.x is None:
        return None, dual, n_people + 1
    return np.flatnonzero(result.x > 0.5).tolist(), dual, n_people + 1


def _assign_slots(model: _Model, chosen_pairs: list[int], *, urgency: float = 4.0,
                  reverse: bool = False) -> list[tuple[int, int]]:
    """Slots for the chosen pairs, one slot at a time: a maximum-weight matching among the pairs
    still waiting that can use the slot (at most its tables), favouring valuable pairs with few slots
    left (by `urgency`). Pairs that find no slot are left out (the greedy fill then uses the room)."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    waiting = set(chosen_pairs)
    later = {k: len(model.options[k]) for k in waiting}  # slots still to come for each pair
    assigned: list[tuple[int, int]] = []
    for t in (reversed(range(model.n_slots)) if reverse else range(model.n_slots)):
        candidates = [k for k in waiting if t in model.options[k]]
        if not candidates:
            continue
        investors = sorted({model.pairs[k][0] for k in candidates})
        startups = sorted({model.pairs[k][1] for k in candidates})
        row = {q: n for n, q in enumerate(investors)}
        col = {q: n for n, q in enumerate(startups)}
        if len(investors) * len(startups) > 4_000_000:  # too large to match densely: highest weight first
            picked = _greedy_matching(model, candidates, later, urgency)
        else:
            weight = np.zeros((len(investors), len(startups)))
            for k in candidates:
                i, s, v = model.pairs[k]
                weight[row[i], col[s]] = v * (1 + urgency / later[k])
            rows, cols = linear_sum_assignment(weight, maximize=True)
            weighted = [(weight[r, c], investors[r], startups[c]) for r, c in zip(rows, cols, strict=True)
                        if weight[r, c] > 0]
            by_people = {(model.pairs[k][0], model.pairs[k][1]): k for k in candidates}
            picked = [by_people[(i, s)] for _, i, s in sorted(weighted, key=lambda x: (-x[0], x[1], x[2]))]
        for k in picked[:max(0, model.tables_left[t])]:
            assigned.append((k, t))
            waiting.discard(k)
        for k in candidates:
            later[k] -= 1
    return assigned


def _greedy_matching(model: _Model, candidates: list[int], later: dict[int, int], urgency: float) -> list[int]:
    busy: set[int] = set()
    picked: list[int] = []
    for k in sorted(candidates, key=lambda k: (-model.pairs[k][2] * (1 + urgency / later[k]), k)):
        i, s, _ = model.pairs[k]
        if i not in busy and s not in busy:
            busy.update((i, s))
            picked.append(k)
    return picked
