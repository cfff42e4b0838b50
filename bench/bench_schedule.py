"""`forward schedule` at Arctic15's scale: 400 investors x 500 startups, 12 slots, 60 tables, about
15,000 marks (skewed: a few popular startups and investors draw most marks; availability gaps;
max meetings 4-12), seeded. Prints HiGHS's time, value, proven bound and value/bound beside the
greedy baseline on the same instance. Not a test: run `python bench/bench_schedule.py [--seed N]
[--time-limit S] [--write INPUT.json]`."""

from __future__ import annotations

import argparse
import json
import random
import time

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=85.0)
    parser.add_argument("--write", help="also write the instance as `forward schedule` input")
    args = parser.parse_args()
    problem = instance(args.seed)
    if args.write:
        with open(args.write, "w", encoding="utf-8") as out:
            json.dump({"slots": list(problem.slots), "tables": problem.tables,
                       "people": {p.id: {"side": p.side, "available": list(p.available),
                                         "max_meetings": p.max_meetings} for p in problem.people},
                       "marks": [{"from": m.source, "to": m.target, "level": m.level} for m in problem.marks]},
                      out)
    started = time.perf_counter()
    base = greedy(problem)
    greedy_time = time.perf_counter() - started
    started = time.perf_counter()
    best = solve(problem, time_limit=args.time_limit)
    solve_time = time.perf_counter() - started
    stats = best.stats
    print(f"instance: {stats['investors']} investors x {stats['startups']} startups, {stats['slots']} slots, "
          f"{stats['tables']} tables, {stats['marks']} marks, {stats['allowed_pairs']} allowed pairs, "
          f"{stats.get('variables', 0)} variables (seed {args.seed})")
    print(f"{'solver':<8} {'time s':>8} {'meetings':>9} {'value':>7} {'bound':>7} {'value/bound':>12}  status")
    for name, schedule, seconds in (("greedy", base, greedy_time), ("highs", best, solve_time)):
        ratio = schedule.value / best.bound if best.bound else 1.0
        print(f"{name:<8} {seconds:>8.1f} {len(schedule.meetings):>9} {schedule.value:>7} {best.bound:>7} "
              f"{ratio:>11.2%}  {schedule.stats['status']}")


if __name__ == "__main__":
    main()
