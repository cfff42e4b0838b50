"""Scoring a binary submission end to end: Forward's scorer vs the straightforward pandas pipeline.

Both pipelines read the solution and the submission, validate, align by id and compute AUC on the
Public and the Private part. Each run happens in a fresh child process so that its peak memory
(max RSS) is its own. Files are generated deterministically.

    python bench/bench_scoring.py --rows 1000000 10000000
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

FORWARD = """
import json, sys, time
t = time.perf_counter()
from forward.scoring import load_solution, score
solution = load_solution(sys.argv[1], "auc")
result = score(solution, sys.argv[2])
print(json.dumps({"seconds": time.perf_counter() - t, "public": result.public, "private": result.private}))
"""

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


def make_files(rows: int, folder: Path) -> tuple[Path, Path]:
    rng = np.random.default_rng(rows)
    ids = rng.permutation(rows) + 1_000_000
    labels = (rng.random(rows) < 0.3).astype(np.int8)
    usage = np.where(rng.random(rows) < 0.3, "Public", "Private")
    probs = np.clip(labels * 0.25 + rng.random(rows) * 0.75, 0, 1)
    solution, submission = folder / f"solution-{rows}.csv", folder / f"submission-{rows}.csv"
    chunk = 1_000_000
    with solution.open("w") as out:
        out.write("id,target,Usage\n")
        for s in range(0, rows, chunk):
            out.writelines(f"{i},{y},{u}\n" for i, y, u in zip(ids[s:s + chunk], labels[s:s + chunk],
                                                                 usage[s:s + chunk], strict=True))
    order = rng.permutation(rows)  # the submission lists ids in another order
    with submission.open("w") as out:
        out.write("id,target\n")
        np.savetxt(out, np.column_stack([ids[order], probs[order]]), fmt="%d,%.6f")
    return solution, submission


def run(code: str, solution: Path, submission: Path) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    output = subprocess.run([sys.executable, "-c", code, str(solution), str(submission)], check=True,
                            capture_output=True, text=True).stdout
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = json.loads(output)
    # ru_maxrss of children is the largest child so far: run the lighter pipeline first.
    result.update(wall=wall, peak_mb=max(peak, before) / 1024)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'rows':>11} {'pipeline':<22} {'seconds (best)':>15} {'peak MB':>9} {'speed-up':>9}")
    with tempfile.TemporaryDirectory() as folder:
        for rows in args.rows:
            solution, submission = make_files(rows, Path(folder))
            ours = min((run(FORWARD, solution, submission) for _ in range(args.repeat)), key=lambda r: r["wall"])
            theirs = min((run(PANDAS, solution, submission) for _ in range(args.repeat)),
                         key=lambda r: r["wall"])
            assert abs(ours["public"] - theirs["public"]) < 1e-9, (ours, theirs)
            assert abs(ours["private"] - theirs["private"]) < 1e-9, (ours, theirs)
            print(f"{rows:>11,} {'forward.scoring':<22} {ours['wall']:>15.2f} {ours['peak_mb']:>9.0f} "
                  f"{theirs['wall'] / ours['wall']:>8.1f}×")
            print(f"{rows:>11,} {'pandas + sklearn':<22} {theirs['wall']:>15.2f} {theirs['peak_mb']:>9.0f} "
                  f"{'1.0×':>9}")
            solution.unlink()
            submission.unlink()


if __name__ == "__main__":
    main()
