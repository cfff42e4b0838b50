"""Scoring a binary submission end to end: Forward's scorer vs the straightforward pandas pipeline.

Both pipelines read the solution and the submission, validate, align by id and compute AUC on the
Public and the Private part, for integer ids (shuffled in both files), text ids (``r0``, ``r1``,
… in the solution, shuffled in the submission) and opaque text ids (16 hex digits, in no order):

- ``forward score``: the command, in a fresh process (wall time including start-up and imports);
- ``pandas + sklearn``: ``pandas.read_csv`` + ``merge`` + ``roc_auc_score``, in a fresh process;
- ``worker, warm``: what a worker spends on each submission once it keeps the round's solution
  (``forward.scoring.SolutionCache``): a limited child process (fork) reads and aligns the
  submission against the kept, indexed solution and computes the metric. ``worker, first`` is
  the submission that finds no kept solution: hash the file, load and index it in a limited
  child, bring it back to the worker, score.

The pipelines take turns, ``--repeat`` times each, and the best time counts (the machine is
shared). Peak MB is the process's max RSS; for the worker, what the worker process holds with the
solution kept (its scoring children come and go). Files are generated deterministically.

    python bench/bench_scoring.py --rows 1000000 10000000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

PANDAS = """
import json, sys, time
t = time.perf_counter()
import pandas as pd
from sklearn.metrics import roc_auc_score
solution = pd.read_csv(sys.argv[1])
submission = pd.read_csv(sys.argv[2])
assert not submission["id"].duplicated().any()
merged = solution.merge(submission, on="id", how="left", suffixes=("", "_pred"))
assert merged["target_pred"].notna().all()
public = merged[merged["Usage"] == "Public"]
private = merged[merged["Usage"] == "Private"]
result = {"public": roc_auc_score(public["target"], public["target_pred"]),
          "private": roc_auc_score(private["target"], private["target_pred"])}
print(json.dumps({"seconds": time.perf_counter() - t, **result}))
"""

WORKER = """
import json, resource, sys, time
from forward.scoring import SolutionCache, file_sha256, load_solution, run_limited, score
solution_path, submission_path, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
limits = {"memory_mb": 4096, "timeout": 600}
cache = SolutionCache(4096 * 1024**2)
t = time.perf_counter()
key = (file_sha256(solution_path), "auc")
solution = cache.solution(key, lambda: run_limited(load_solution, solution_path, "auc", **limits))
result = run_limited(score, solution, submission_path, **limits)
first = time.perf_counter() - t
warm = []
for _ in range(repeat):
    t = time.perf_counter()
    solution = cache.get(key)  # the worker knows the hash from the round's row
    result = run_limited(score, solution, submission_path, **limits)
    warm.append(time.perf_counter() - t)
assert cache.loads == 1
print(json.dumps({"first": first, "warm": min(warm), "public": result.public, "private": result.private,
                  "kept_mb": solution.nbytes / 1024**2,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def make_files(rows: int, kind: str, folder: Path) -> tuple[Path, Path]:
    rng = np.random.default_rng(rows)
    if kind == "int":
        ids = (rng.permutation(rows) + 1_000_000).astype(str)
    elif kind == "hex":  # 16 hex digits, as opaque ids often are: unique (an odd multiplier is a bijection)
        mixed = np.arange(rows, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        ids = np.array([f"{v:016x}" for v in mixed.tolist()])
    else:
        ids = np.char.add("r", np.arange(rows).astype(str))
    labels = (rng.random(rows) < 0.3).astype(np.int8)
    usage = np.where(rng.random(rows) < 0.3, "Public", "Private")
    probs = np.clip(labels * 0.25 + rng.random(rows) * 0.75, 0, 1)
    solution, submission = folder / f"solution-{kind}-{rows}.csv", folder / f"submission-{kind}-{rows}.csv"
    chunk = 1_000_000
    with solution.open("w") as out:
        out.write("id,target,Usage\n")
        for s in range(0, rows, chunk):
            out.writelines(f"{i},{y},{u}\n" for i, y, u in zip(ids[s:s + chunk], labels[s:s + chunk],
                                                                 usage[s:s + chunk], strict=True))
    order = rng.permutation(rows)  # the submission lists ids in another order
    with submission.open("w") as out:
        out.write("id,target\n")
        for s in range(0, rows, chunk):
            part = order[s:s + chunk]
            out.writelines(f"{i},{p:.6f}\n" for i, p in zip(ids[part], probs[part], strict=True))
    return solution, submission


def _run(command: list[str]) -> tuple[str, float, float]:
    """(stdout, wall seconds, peak MB) of one fresh process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    out, err = process.stdout.read(), process.stderr.read()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{command[:3]} failed ({process.returncode}): {err}")
    return out, wall, usage.ru_maxrss / 1024


def forward_score(solution: Path, submission: Path) -> dict:
    command = [str(Path(sys.executable).parent / "forward"), "score", str(solution), str(submission),
               "--metric", "auc"]
    out, wall, peak = _run(command)
    return {**json.loads(out), "wall": wall, "peak_mb": peak}


def pandas_pipeline(solution: Path, submission: Path) -> dict:
    out, wall, peak = _run([sys.executable, "-c", PANDAS, str(solution), str(submission)])
    return {**json.loads(out), "wall": wall, "peak_mb": peak}


def worker(solution: Path, submission: Path, repeat: int) -> dict:
    out, _wall, _peak = _run([sys.executable, "-c", WORKER, str(solution), str(submission), str(repeat)])
    return json.loads(out)


def main() -> None:
    if sys.argv[1:2] == ["--make"]:
        make_files(int(sys.argv[2]), sys.argv[3], Path(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--ids", nargs="+", choices=["int", "text", "hex"], default=["int", "text", "hex"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--folder", type=Path, help="keep the generated files here (reused when present)")
    args = parser.parse_args()
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'rows':>11} {'ids':<5} {'pipeline':<18} {'seconds':>8} {'peak MB':>8} {'speed-up':>9}")
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.folder or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for rows in args.rows:
            for kind in args.ids:
                solution, submission = folder / f"solution-{kind}-{rows}.csv", folder / f"submission-{kind}-{rows}.csv"
                if not (solution.exists() and submission.exists()):
                    # In a child process: the ids it builds would otherwise stay in this process, and
                    # Linux counts a parent's resident pages in the peak of every child it starts.
                    subprocess.run([sys.executable, __file__, "--make", str(rows), kind, str(folder)], check=True)
                ours, theirs, kept = [], [], []
                for _ in range(args.repeat):  # take turns, so that a busy moment hurts both
                    ours.append(forward_score(solution, submission))
                    theirs.append(pandas_pipeline(solution, submission))
                    kept.append(worker(solution, submission, 3))
                best_ours = min(ours, key=lambda r: r["wall"])
                best_theirs = min(theirs, key=lambda r: r["wall"])
                for result in (*ours, *kept):
                    assert abs(result["public"] - best_theirs["public"]) < 1e-9, (result, best_theirs)
                    assert abs(result["private"] - best_theirs["private"]) < 1e-9, (result, best_theirs)
                base = best_theirs["wall"]
                first = min(r["first"] for r in kept)
                warm = min(r["warm"] for r in kept)
                held = max(r["peak_mb"] for r in kept)
                lines = [("forward score", best_ours["wall"], best_ours["peak_mb"]),
                         ("pandas + sklearn", base, best_theirs["peak_mb"]),
                         ("worker, first", first, held),
                         ("worker, warm", warm, held)]
                for name, seconds, peak in lines:
                    print(f"{rows:>11,} {kind:<5} {name:<18} {seconds:>8.3f} {peak:>8.0f} {base / seconds:>8.1f}×",
                          flush=True)
                if not args.folder:
                    solution.unlink()
                    submission.unlink()
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
