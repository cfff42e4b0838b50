"""`forward schedule` at Arctic15's scale: 400 investors x 500 startups, 12 slots, 60 tables, about
15,000 marks (skewed: a few popular startups and investors draw most marks; availability gaps;
max meetings 4-12), seeded. Prints HiGHS's time, value, proven bound and value/bound beside the
greedy baseline on the same instance. Not a test: run `python bench/bench_schedule.py [--seed N]
[--time-limit S] [--write INPUT.json]`."""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

from forward.matching.schedule import Mark, Person, Problem, greedy, solve


def instance(seed: int = 1, *, investors: int = 400, startups: int = 500, slots: int = 12, tables: int = 60,
             marks: int = 15_000) -> Problem:
    rng = random.Random(seed)
    slot_ids = tuple(f"t{n:02d}" for n in range(slots))
    people = []
    for side, count, prefix in (("investor", investors, "i"), ("startup", startups, "s")):
        for n in range(count):
            # Availability gaps: most people miss a block of slots (arrive late, leave early, a talk).
            start = rng.choice([0, 0, 0, 1, 2, 3])
            end = slots - rng.choice([0, 0, 0, 1, 2, 4])
            available = [s for k, s in enumerate(slot_ids[start:end]) if rng.random() > 0.1 or k == 0]
            people.append(Person(id=f"{prefix}{n:03d}", side=side, available=tuple(available),
                                 max_meetings=rng.randint(4, 12)))
    investor_ids = [p.id for p in people if p.side == "investor"]
    startup_ids = [p.id for p in people if p.side == "startup"]
    # Popularity: Zipf-like weights, so some startups and investors draw many marks.
    inv_weight = [1 / (k + 1) ** 0.8 for k in range(investors)]
    stu_weight = [1 / (k + 1) ** 0.8 for k in range(startups)]
    rng.shuffle(inv_weight)
    rng.shuffle(stu_weight)
    found: dict[tuple[str, str], str] = {}
    while len(found) < marks:
        if rng.random() < 0.55:  # investors mark startups, popular startups more often
            source = rng.choice(investor_ids)
            target = rng.choices(startup_ids, stu_weight)[0]
        else:
            source = rng.choice(startup_ids)
            target = rng.choices(investor_ids, inv_weight)[0]
        if (source, target) not in found:
            found[(source, target)] = rng.choices(["must", "want", "no"], [0.25, 0.65, 0.10])[0]
    return Problem(slots=slot_ids, tables=tables, people=tuple(people),
                   marks=tuple(Mark(source=a, target=b, level=level) for (a, b), level in found.items()))


def document(problem: Problem) -> dict:
    """The instance as `forward schedule` reads it."""
    return {"slots": list(problem.slots), "tables": problem.tables,
            "people": {p.id: {"side": p.side, "available": list(p.available), "max_meetings": p.max_meetings}
                       for p in problem.people},
            "marks": [{"from": m.source, "to": m.target, "level": m.level} for m in problem.marks]}


def cp_sat(problem: Problem, time_limit: float) -> tuple[int, int, float, str]:
    """OR-Tools CP-SAT with 2 workers, on the model the tests check optima with (needs ortools,
    in the test extra): (value, bound, seconds, status)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.matching.test_schedule import cp_sat_solve

    started = time.perf_counter()
    value, bound, status = cp_sat_solve(document(problem), time_limit=time_limit)
    return value, bound, time.perf_counter() - started, status.lower()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tables", type=int, default=60)
    parser.add_argument("--time-limit", type=float, default=85.0)
    parser.add_argument("--cp-sat", action="store_true", help="also run OR-Tools CP-SAT with 2 workers")
    parser.add_argument("--write", help="also write the instance as `forward schedule` input")
    args = parser.parse_args()
    problem = instance(args.seed, tables=args.tables)
    if args.write:
        Path(args.write).write_text(json.dumps(document(problem)), encoding="utf-8")
    started = time.perf_counter()
    base = greedy(problem)
    greedy_time = time.perf_counter() - started
    started = time.perf_counter()
    best = solve(problem, time_limit=args.time_limit)
    solve_time = time.perf_counter() - started
    stats = best.stats
    print(f"instance: {stats['investors']} investors x {stats['startups']} startups, {stats['slots']} slots, "
          f"{stats['tables']} tables, {stats['marks']} marks, {stats['allowed_pairs']} allowed pairs (seed {args.seed})")
    rows = [("greedy", greedy_time, base.value, None, "-"),
            ("highs", solve_time, best.value, best.bound, f"{stats['status']} ({stats['method']})")]
    if args.cp_sat:
        value, bound, seconds, status = cp_sat(problem, args.time_limit)
        rows.append(("cp-sat", seconds, value, bound, status))
    print(f"{'solver':<8} {'time s':>8} {'value':>7} {'bound':>7} {'value/best bound':>17}  status")
    for name, seconds, value, bound, status in rows:
        print(f"{name:<8} {seconds:>8.1f} {value:>7} {bound if bound is not None else '-':>7} "
              f"{value / best.bound if best.bound else 1.0:>16.2%}  {status}")


if __name__ == "__main__":
    main()
