"""Deferred acceptance (Gale–Shapley) with capacities: students on one side, openings with seats
on the other, as the NRMP and WaterlooWorks run it.

A pair is acceptable only if each side ranks the other; one-sided entries are dropped, not an
error. With strict rankings the student-optimal and the opening-optimal stable matchings are each
unique, so running a match twice gives the same result. Ids are mapped to integers once; the
loops work on lists of integers.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

OPTIMAL = ("students", "openings")


class MatchInputError(ValueError):
    """Input that is not a matching problem; the message names the problem in one line."""


@dataclass
class Matching:
    optimal: str
    matching: dict[str, list[str]]  # every opening, its students best first (by the opening's ranking)
    unmatched: list[str]  # students in input order
    stats: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"optimal": self.optimal, "matching": self.matching, "unmatched": self.unmatched,
                "stats": self.stats}


@dataclass
class Problem:
    students: list[str]
    openings: list[str]
    capacity: list[int]
    student_prefs: list[list[int]]  # opening indexes, best first, mutually acceptable only
    opening_prefs: list[list[int]]  # student indexes, best first, mutually acceptable only
    dropped: int  # one-sided entries ignored


def _ids(value, what: str) -> list[str]:
    if not isinstance(value, list):
        raise MatchInputError(f"{what} must be a list of ids")
    for item in value:
        if not isinstance(item, str):
            raise MatchInputError(f"{what} names {item!r}, which is not a string id")
    seen = set()
    for item in value:
        if item in seen:
            raise MatchInputError(f"{what} names {item!r} twice")
        seen.add(item)
    return value


def parse(data) -> Problem:
    """Check the input (as `forward match` reads it) and index it."""
    if not isinstance(data, dict):
        raise MatchInputError('the input must be a JSON object with "students" and "openings"')
    for key in ("students", "openings"):
        if key not in data:
            raise MatchInputError(f'the input has no "{key}"')
        if not isinstance(data[key], dict):
            raise MatchInputError(f'"{key}" must be an object keyed by id')
    students = list(data["students"])
    openings = list(data["openings"])
    student_index = {s: i for i, s in enumerate(students)}
    opening_index = {o: i for i, o in enumerate(openings)}
    capacity = []
    opening_rankings = []
    for opening in openings:
        entry = data["openings"][opening]
        if not isinstance(entry, dict):
            raise MatchInputError(f'opening {opening!r} must be an object with "capacity" and "ranking"')
        for key in ("capacity", "ranking"):
            if key not in entry:
                raise MatchInputError(f'opening {opening!r} has no "{key}"')
        seats = entry["capacity"]
        if isinstance(seats, bool) or not isinstance(seats, int) or seats < 1:
            raise MatchInputError(f"opening {opening!r} has capacity {seats!r}: it must be an integer of at least 1")
        capacity.append(seats)
        ranking = _ids(entry["ranking"], f"the ranking of opening {opening!r}")
        for student in ranking:
            if student not in student_index:
                raise MatchInputError(f"the ranking of opening {opening!r} names {student!r}, who is not a student")
        opening_rankings.append([student_index[s] for s in ranking])
    student_rankings = []
    for student in students:
        ranking = _ids(data["students"][student], f"the ranking of student {student!r}")
        for opening in ranking:
            if opening not in opening_index:
                raise MatchInputError(f"the ranking of student {student!r} names {opening!r}, which is not an opening")
        student_rankings.append([opening_index[o] for o in ranking])
    ranked_by = [set(r) for r in opening_rankings]
    student_prefs = [[o for o in ranking if s in ranked_by[o]] for s, ranking in enumerate(student_rankings)]
    ranks = [set(r) for r in student_rankings]
    opening_prefs = [[s for s in ranking if o in ranks[s]] for o, ranking in enumerate(opening_rankings)]
    total = sum(map(len, student_rankings)) + sum(map(len, opening_rankings))
    dropped = total - sum(map(len, student_prefs)) - sum(map(len, opening_prefs))
    return Problem(students, openings, capacity, student_prefs, opening_prefs, dropped)


def _students_propose(p: Problem) -> list[int]:
    """The student-optimal stable matching: each student's opening index, or -1."""
    rank = [{s: r for r, s in enumerate(prefs)} for prefs in p.opening_prefs]
    held: list[list[tuple[int, int]]] = [[] for _ in p.openings]  # heaps of (-rank, student): worst on top
    nxt = [0] * len(p.students)
    assigned = [-1] * len(p.students)
    free = list(range(len(p.students) - 1, -1, -1))
    while free:
        s = free.pop()
        prefs = p.student_prefs[s]
        while nxt[s] < len(prefs):
            o = prefs[nxt[s]]
            nxt[s] += 1
            r = rank[o][s]
            heap = held[o]
            if len(heap) < p.capacity[o]:
                heapq.heappush(heap, (-r, s))
                assigned[s] = o
                break
            if -heap[0][0] > r:  # o prefers s to the worst it holds
                _, out = heapq.heapreplace(heap, (-r, s))
                assigned[s] = o
                assigned[out] = -1
                free.append(out)
                break
    return assigned


def _openings_propose(p: Problem) -> list[int]:
    """The opening-optimal stable matching: each student's opening index, or -1."""
    rank = [{o: r for r, o in enumerate(prefs)} for prefs in p.student_prefs]
    nxt = [0] * len(p.openings)
    holding = [0] * len(p.openings)
    assigned = [-1] * len(p.students)
    free = list(range(len(p.openings) - 1, -1, -1))
    while free:
        o = free.pop()
        prefs = p.opening_prefs[o]
        while holding[o] < p.capacity[o] and nxt[o] < len(prefs):
            s = prefs[nxt[o]]
            nxt[o] += 1
            current = assigned[s]
            if current == -1:
                assigned[s] = o
                holding[o] += 1
            elif rank[s][o] < rank[s][current]:  # s trades up; its previous opening has a seat again
                assigned[s] = o
                holding[o] += 1
                holding[current] -= 1
                free.append(current)
    return assigned


def solve(data, optimal: str = "students") -> Matching:
    """Solve a matching given as `forward match` reads it (see the command's help)."""
    if optimal not in OPTIMAL:
        raise MatchInputError(f"optimal must be one of {', '.join(OPTIMAL)}, not {optimal!r}")
    problem = parse(data)
    assigned = _students_propose(problem) if optimal == "students" else _openings_propose(problem)
    members: list[list[int]] = [[] for _ in problem.openings]
    for s, o in enumerate(assigned):
        if o >= 0:
            members[o].append(s)
    order = [{s: r for r, s in enumerate(prefs)} for prefs in problem.opening_prefs]
    matching = {problem.openings[o]: [problem.students[s] for s in sorted(group, key=order[o].__getitem__)]
                for o, group in enumerate(members)}
    unmatched = [problem.students[s] for s, o in enumerate(assigned) if o < 0]
    choice = [problem.student_prefs[s].index(o) + 1 for s, o in enumerate(assigned) if o >= 0]
    stats = {"students": len(problem.students), "openings": len(problem.openings),
             "seats": sum(problem.capacity), "matched": len(problem.students) - len(unmatched),
             "unmatched": len(unmatched), "one_sided_entries_ignored": problem.dropped,
             "by_choice": {str(k): choice.count(k) for k in sorted(set(choice))}}
    return Matching(optimal, matching, unmatched, stats)


def blocking_pairs(data, result: Matching) -> list[tuple[str, str]]:
    """Pairs that would both rather have each other than what they got (none, if stable)."""
    problem = parse(data)
    where = {s: o for o, group in result.matching.items() for s in group}
    pairs = []
    for s_i, student in enumerate(problem.students):
        current = where.get(student)
        prefs = [problem.openings[o] for o in problem.student_prefs[s_i]]
        better = prefs[:prefs.index(current)] if current is not None else prefs
        for opening in better:
            o_i = problem.openings.index(opening)
            held = result.matching[opening]
            ranking = [problem.students[s] for s in problem.opening_prefs[o_i]]
            if len(held) < problem.capacity[o_i] or any(ranking.index(student) < ranking.index(h) for h in held):
                pairs.append((student, opening))
    return pairs
