"""`forward match` end to end (a fresh process: start-up, reading the JSON, solving, writing the
result) on a large round, and side by side with the PyPI package `matching` (HospitalResident,
the same problem) on smaller ones, in-process for the package (its time excludes start-up).

Each student ranks `--ranked` openings chosen at random; each opening ranks every student who
listed it, in random order, and has 1–20 seats. Peak MB is the process's max RSS. Files are
generated in a child process (Linux counts a parent's resident pages in its children's peak).

    python bench/bench_matching.py --students 100000 --openings 10000
    python bench/bench_matching.py --compare 2000 5000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path


def make(students: int, openings: int, ranked: int, seed: int = 1) -> dict:
    rng = random.Random(seed)
    prefs = {f"s{i}": rng.sample(range(openings), min(ranked, openings)) for i in range(students)}
    applicants: dict[int, list[str]] = {o: [] for o in range(openings)}
    for s, listed in prefs.items():
        for o in listed:
            applicants[o].append(s)
    return {"students": {s: [f"o{o}" for o in listed] for s, listed in prefs.items()},
            "openings": {f"o{o}": {"capacity": rng.randint(1, 20), "ranking": rng.sample(a, len(a))}
                         for o, a in applicants.items()}}


def run_forward(path: Path, out: Path) -> tuple[float, float]:
    started = time.perf_counter()
    process = subprocess.Popen([str(Path(sys.executable).parent / "forward"), "match", str(path), "--out", str(out)],
                               stderr=subprocess.PIPE)
    err = process.stderr.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stderr.close()
    if process.returncode:
        raise SystemExit(err.decode())
    return wall, usage.ru_maxrss / 1024


def run_package(data: dict) -> tuple[float, dict]:
    """The package deep-copies its linked players recursively: run it in a thread with a large stack."""
    import threading

    found: list = []
    sys.setrecursionlimit(1_000_000)
    threading.stack_size(1024 * 1024 * 1024)
    thread = threading.Thread(target=lambda: found.append(_package(data)))
    thread.start()
    thread.join()
    if not found:
        raise SystemExit("the matching package failed (see above)")
    return found[0]


def _package(data: dict) -> tuple[float, dict]:
    from matching.games import HospitalResident

    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = HospitalResident.create_from_dictionaries(
            data["students"], {o: v["ranking"] for o, v in data["openings"].items()},
            {o: v["capacity"] for o, v in data["openings"].items()})
        found = game.solve(optimal="resident")
    seconds = time.perf_counter() - started
    return seconds, {o.name: sorted(s.name for s in group) for o, group in found.items()}


def main() -> None:
    if sys.argv[1:2] == ["--make"]:
        students, openings, ranked, path = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
        Path(path).write_text(json.dumps(make(students, openings, ranked)))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--openings", type=int, default=10_000)
    parser.add_argument("--ranked", type=int, default=10)
    parser.add_argument("--compare", type=int, nargs="*", default=[2000, 5000],
                        help="student counts to run side by side with the matching package (openings: a tenth)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'students':>9} {'openings':>9} {'pipeline':<26} {'seconds':>8} {'peak MB':>8} {'ratio':>7}")
    with tempfile.TemporaryDirectory() as folder:
        cases = [(n, max(n // 10, 1), True) for n in args.compare] + [(args.students, args.openings, False)]
        for students, openings, compare in cases:
            path, out = Path(folder) / f"in-{students}.json", Path(folder) / f"out-{students}.json"
            subprocess.run([sys.executable, __file__, "--make", str(students), str(openings), str(args.ranked),
                            str(path)], check=True)
            runs = [run_forward(path, out) for _ in range(args.repeat)]
            wall, peak = min(runs)
            ours = json.loads(out.read_text())
            if not compare:
                print(f"{students:>9,} {openings:>9,} {'forward match':<26} {wall:>8.2f} {peak:>8.0f} {'':>7}")
                continue
            seconds, theirs = run_package(json.loads(path.read_text()))
            assert {o: sorted(g) for o, g in ours["matching"].items() if g} == {o: g for o, g in theirs.items() if g}
            print(f"{students:>9,} {openings:>9,} {'forward match (process)':<26} {wall:>8.2f} {peak:>8.0f} "
                  f"{seconds / wall:>6.1f}×")
            print(f"{students:>9,} {openings:>9,} {'matching 1.4.3 (in-process)':<26} {seconds:>8.2f} {'':>8} "
                  f"{1:>6.1f}×")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
