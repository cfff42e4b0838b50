"""Deferred acceptance (Gale–Shapley) with capacities: students on one side, openings with seats
on the other, as the NRMP and WaterlooWorks run it.

A pair is acceptable only if each side ranks the other; one-sided entries are dropped, not an
error. With strict rankings the student-optimal and the opening-optimal stable matchings are each
unique, so running a match twice gives the same result. Ids are mapped to integers once; the
loops work on lists of integers.
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass, field
from itertools import chain
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa
    from numpy.typing import NDArray

OPTIMAL = ("students", "openings")


class MatchInputError(ValueError):
    """Input that is not a matching problem; the message names the problem in one line."""


@dataclass
class Matching:
    optimal: str
    matching: dict[str, list[str]]  # every opening, its students best first (by the opening's ranking)
    unmatched: list[str]  # students in input order
    stats: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"optimal": self.optimal, "matching": self.matching, "unmatched": self.unmatched,
                "stats": self.stats}


@dataclass
class Problem:
    students: list[str]
    openings: list[str]
    capacity: list[int]
    # Rankings, mutually acceptable pairs only, best first, flat: student s ranks s_pref[s_off[s]:
    # s_off[s + 1]] (opening indexes); s_rank is, for each of those entries, the opening's rank of
    # the student (0 = its first choice). The same for openings (o_pref: student indexes; o_rank:
    # the student's rank of the opening).
    s_pref: list[int]
    s_rank: list[int]
    s_off: list[int]
    o_pref: list[int]
    o_rank: list[int]
    o_off: list[int]
    dropped: int  # one-sided entries ignored

    def student_prefs(self, s: int) -> list[int]:
        return self.s_pref[self.s_off[s]:self.s_off[s + 1]]

    def opening_prefs(self, o: int) -> list[int]:
        return self.o_pref[self.o_off[o]:self.o_off[o + 1]]


def _ids(value: object, what: str) -> list[str]:
    if not isinstance(value, list):
        raise MatchInputError(f"{what} must be a list of ids")
    if not all(type(item) is str for item in value):
        bad = next(item for item in value if not isinstance(item, str))
        raise MatchInputError(f"{what} names {bad!r}, which is not a string id")
    if len(set(value)) != len(value):
        seen: set[str] = set()
        for item in value:
            if item in seen:
                raise MatchInputError(f"{what} names {item!r} twice")
            seen.add(item)
    return value


def _indexes(ranking: list[str], index: dict[str, int], what: str, kind: str) -> list[int]:
    try:
        return [index[item] for item in ranking]
    except KeyError as exc:
        raise MatchInputError(f"{what} names {exc.args[0]!r}, {kind}") from None


def parse(data: object) -> Problem:
    """Check the input (as `forward match` reads it) and index it: vectorised for well-formed input,
    and entry by entry (to name the problem) for anything else."""
    fast = _parse_fast(data)
    return fast if fast is not None else _parse_checked(data)


def _parse_fast(data: object) -> Problem | None:
    """Arrow hashes the ids and NumPy filters and ranks the pairs; None when anything is off (the
    checked path then says what)."""
    import numpy as np
    import pyarrow.compute as pc

    if not isinstance(data, dict) or not isinstance(data.get("students"), dict) or not isinstance(
            data.get("openings"), dict):
        return None
    students, openings = list(data["students"]), list(data["openings"])
    entries = list(data["openings"].values())
    if not all(type(e) is dict for e in entries):
        return None
    try:
        capacity = [e["capacity"] for e in entries]
        opening_lists = [e["ranking"] for e in entries]
    except KeyError:
        return None
    student_lists = list(data["students"].values())
    if not (all(type(c) is int and c >= 1 for c in capacity) and all(type(r) is list for r in opening_lists)
            and all(type(r) is list for r in student_lists)):
        return None
    n_s, n_o = len(students), len(openings)
    if not n_s or not n_o:
        return None  # nothing to vectorise
    s_flat = _strings(list(chain.from_iterable(student_lists)))
    o_flat = _strings(list(chain.from_iterable(opening_lists)))
    if s_flat is None or o_flat is None:
        return None
    s_to_o = pc.index_in(s_flat, value_set=_strings(openings))
    o_to_s = pc.index_in(o_flat, value_set=_strings(students))
    del s_flat, o_flat
    if s_to_o.null_count or o_to_s.null_count:
        return None
    s_len = np.fromiter(map(len, student_lists), np.int64, n_s)
    o_len = np.fromiter(map(len, opening_lists), np.int64, n_o)
    s_row = np.repeat(np.arange(n_s, dtype=np.int64), s_len)  # the student of each student-side entry
    o_row = np.repeat(np.arange(n_o, dtype=np.int64), o_len)  # the opening of each opening-side entry
    s_key = s_row * n_o + _int32s(s_to_o)
    o_key = _int32s(o_to_s).astype(np.int64) * n_o + o_row
    # Both sides' pairs in one sort: a pair both sides list appears twice, side by side (students'
    # entry first: the sort is stable and they come first); an id twice in one ranking, too.
    both = np.concatenate([s_key, o_key])
    order = np.argsort(both, kind="stable")
    ordered = both[order]
    twice = np.flatnonzero(ordered[1:] == ordered[:-1])
    first, second = order[twice], order[twice + 1]
    del both, order, ordered, twice  # a large round's arrays: let each go once used
    if (first >= len(s_key)).any() or (second < len(s_key)).any():
        return None  # an id twice in one ranking
    second = second - len(s_key)
    s_mutual = np.zeros(len(s_key), dtype=bool)
    s_mutual[first] = True
    o_mutual = np.zeros(len(o_key), dtype=bool)
    o_mutual[second] = True

    def filtered_rank(mutual: NDArray[np.bool_], lengths: NDArray[np.int64]) -> NDArray[np.int64]:
        """Each kept entry's position among its row's kept entries."""
        kept = np.cumsum(mutual)
        starts = np.concatenate([[0], kept])[np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)]
        ranks: NDArray[np.int64] = kept - 1 - np.repeat(starts, lengths)
        return ranks

    s_rank, o_rank = filtered_rank(s_mutual, s_len), filtered_rank(o_mutual, o_len)
    # The other side's rank of each kept pair.
    s_other_all = np.zeros(len(s_key), dtype=np.int64)
    s_other_all[first] = o_rank[second]
    o_other_all = np.zeros(len(o_key), dtype=np.int64)
    o_other_all[second] = s_rank[first]
    s_keys, o_keys = s_key[s_mutual], o_key[o_mutual]
    s_other, o_other = s_other_all[s_mutual], o_other_all[o_mutual]
    del s_other_all, o_other_all, s_rank, o_rank, first, second
    s_counts = np.bincount(s_row[s_mutual], minlength=n_s)
    o_counts = np.bincount(o_row[o_mutual], minlength=n_o)
    s_off = np.concatenate([[0], np.cumsum(s_counts)]).tolist()
    o_off = np.concatenate([[0], np.cumsum(o_counts)]).tolist()
    dropped = int(len(s_key) - len(s_keys) + len(o_key) - len(o_keys))
    return Problem(students, openings, capacity, (s_keys % n_o).tolist(), s_other.tolist(), s_off,
                   (o_keys // n_o).tolist(), o_other.tolist(), o_off, dropped)


def _strings(values: list[Any]) -> pa.StringArray | None:
    """An Arrow string array of Python strings, or None if one is not a string. Built from its
    buffers: `pyarrow.array` imports pandas (longer than the whole match of a small round)."""
    import numpy as np
    import pyarrow as pa

    if not all(type(v) is str for v in values):
        return None
    text = "".join(values)
    data = text.encode("utf-8", "surrogatepass")
    if len(data) == len(text):  # ASCII: a string's bytes are its characters
        lengths = np.fromiter(map(len, values), np.int64, len(values))
    else:
        lengths = np.fromiter((len(v.encode("utf-8", "surrogatepass")) for v in values), np.int64, len(values))
    if len(data) >= 2**31:
        return None
    offsets = np.zeros(len(values) + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    return pa.StringArray.from_buffers(len(values), pa.py_buffer(offsets), pa.py_buffer(data))


def _int32s(column: pa.Array) -> NDArray[np.int32]:
    """An Arrow int32 array without nulls as NumPy, from its buffer (`to_numpy` imports pandas)."""
    import numpy as np

    return np.frombuffer(column.buffers()[1], dtype=np.int32, count=len(column), offset=column.offset * 4)


def _parse_checked(data: object) -> Problem:
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
    capacity: list[int] = []
    opening_rankings: list[list[int]] = []
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
        what = f"the ranking of opening {opening!r}"
        opening_rankings.append(_indexes(_ids(entry["ranking"], what), student_index, what, "who is not a student"))
    student_rankings: list[list[int]] = []
    for student in students:
        what = f"the ranking of student {student!r}"
        student_rankings.append(_indexes(_ids(data["students"][student], what), opening_index, what,
                                         "which is not an opening"))
    ranked_by = [set(r) for r in opening_rankings]
    student_prefs = [[o for o in ranking if s in ranked_by[o]] for s, ranking in enumerate(student_rankings)]
    ranks = [set(r) for r in student_prefs]  # what a student lists and is ranked by
    opening_prefs = [[s for s in ranking if o in ranks[s]] for o, ranking in enumerate(opening_rankings)]
    total = sum(map(len, student_rankings)) + sum(map(len, opening_rankings))
    dropped = total - sum(map(len, student_prefs)) - sum(map(len, opening_prefs))
    student_rank = [{o: r for r, o in enumerate(prefs)} for prefs in student_prefs]
    opening_rank = [{s: r for r, s in enumerate(prefs)} for prefs in opening_prefs]
    return Problem(students, openings, capacity,
                   list(chain.from_iterable(student_prefs)),
                   [opening_rank[o][s] for s, prefs in enumerate(student_prefs) for o in prefs],
                   _offsets(student_prefs),
                   list(chain.from_iterable(opening_prefs)),
                   [student_rank[s][o] for o, prefs in enumerate(opening_prefs) for s in prefs],
                   _offsets(opening_prefs), dropped)


def _offsets(rows: list[list[int]]) -> list[int]:
    offsets = [0]
    for row in rows:
        offsets.append(offsets[-1] + len(row))
    return offsets


def _students_propose(p: Problem) -> list[int]:
    """The student-optimal stable matching: for each student, the position in s_pref of the
    opening it got, or -1."""
    pref, rank, off = p.s_pref, p.s_rank, p.s_off
    held: list[list[tuple[int, int]]] = [[] for _ in p.openings]  # heaps of (-rank, student): worst on top
    nxt = off[:-1]
    at = [-1] * len(p.students)
    capacity = p.capacity
    free = list(range(len(p.students) - 1, -1, -1))
    while free:
        s = free.pop()
        k, end = nxt[s], off[s + 1]
        while k < end:
            o, r = pref[k], rank[k]
            k += 1
            heap = held[o]
            if len(heap) < capacity[o]:
                heapq.heappush(heap, (-r, s))
                at[s] = k - 1
                break
            if -heap[0][0] > r:  # o prefers s to the worst it holds
                _, out = heapq.heapreplace(heap, (-r, s))
                at[s] = k - 1
                at[out] = -1
                free.append(out)
                break
        nxt[s] = k
    return at


def _openings_propose(p: Problem) -> list[int]:
    """The opening-optimal stable matching, as _students_propose returns it."""
    pref, rank, off, s_off = p.o_pref, p.o_rank, p.o_off, p.s_off
    nxt = off[:-1]
    holding = [0] * len(p.openings)
    held = [-1] * len(p.students)  # the opening each student holds
    held_rank = [0] * len(p.students)  # and the student's rank of it
    capacity = p.capacity
    free = list(range(len(p.openings) - 1, -1, -1))
    while free:
        o = free.pop()
        k, end = nxt[o], off[o + 1]
        while holding[o] < capacity[o] and k < end:
            s, r = pref[k], rank[k]
            k += 1
            current = held[s]
            if current == -1:
                held[s], held_rank[s] = o, r
                holding[o] += 1
            elif r < held_rank[s]:  # s trades up; its previous opening has a seat again
                held[s], held_rank[s] = o, r
                holding[o] += 1
                holding[current] -= 1
                free.append(current)
        nxt[o] = k
    return [s_off[s] + held_rank[s] if o >= 0 else -1 for s, o in enumerate(held)]


def solve(data: object, optimal: str = "students") -> Matching:
    """Solve a matching given as `forward match` reads it (see the command's help)."""
    if optimal not in OPTIMAL:  # before reading a large round, not after
        raise MatchInputError(f"optimal must be one of {', '.join(OPTIMAL)}, not {optimal!r}")
    return solve_problem(parse(data), optimal)


def solve_problem(problem: Problem, optimal: str = "students") -> Matching:
    """Solve a parsed problem (the input can be let go once it is parsed)."""
    if optimal not in OPTIMAL:
        raise MatchInputError(f"optimal must be one of {', '.join(OPTIMAL)}, not {optimal!r}")
    at = _students_propose(problem) if optimal == "students" else _openings_propose(problem)
    members: list[list[int]] = [[] for _ in problem.openings]
    for s, k in enumerate(at):
        if k >= 0:
            members[problem.s_pref[k]].append(s)

    def by_rank(s: int) -> int:  # the opening's rank of its student
        return problem.s_rank[at[s]]

    matching = {problem.openings[o]: [problem.students[s] for s in sorted(group, key=by_rank)]
                for o, group in enumerate(members)}
    unmatched = [problem.students[s] for s, k in enumerate(at) if k < 0]
    counts = Counter(k - problem.s_off[s] + 1 for s, k in enumerate(at) if k >= 0)
    stats = {"students": len(problem.students), "openings": len(problem.openings),
             "seats": sum(problem.capacity), "matched": len(problem.students) - len(unmatched),
             "unmatched": len(unmatched), "one_sided_entries_ignored": problem.dropped,
             "by_choice": {str(k): counts[k] for k in sorted(counts)}}
    return Matching(optimal, matching, unmatched, stats)


def blocking_pairs(data: object, result: Matching) -> list[tuple[str, str]]:
    """Pairs that would both rather have each other than what they got (none, if stable)."""
    problem = parse(data)
    where = {s: o for o, group in result.matching.items() for s in group}
    pairs = []
    for s_i, student in enumerate(problem.students):
        current = where.get(student)
        prefs = [problem.openings[o] for o in problem.student_prefs(s_i)]
        better = prefs[:prefs.index(current)] if current is not None else prefs
        for opening in better:
            o_i = problem.openings.index(opening)
            held = result.matching[opening]
            ranking = [problem.students[s] for s in problem.opening_prefs(o_i)]
            if len(held) < problem.capacity[o_i] or any(ranking.index(student) < ranking.index(h) for h in held):
                pairs.append((student, opening))
    return pairs
