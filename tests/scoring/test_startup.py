"""Scoring a file never loads pandas: it is not a dependency of the scorer, and importing it costs
more than reading a million rows (about 0.2 s and 35 MB in `forward score` and in each worker's
first load of a solution). pyarrow imports it as soon as a Python scalar is converted, so a
comparison with a plain number in a hot path brings it in unnoticed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import json, sys
from forward.scoring import load_solution, score
solution = load_solution(sys.argv[1], "auc")
result = score(solution, sys.argv[2])
print(json.dumps({"public": result.public, "pandas": "pandas" in sys.modules}))
"""


def test_scoring_a_file_with_text_ids_does_not_import_pandas(tmp_path: Path):
    solution, submission = tmp_path / "solution.csv", tmp_path / "submission.csv"
    solution.write_text("id,target,Usage\nr1,1,Public\nr2,0,Public\nr3,1,Private\nr4,0,Private\n")
    submission.write_text("id,target\nr2,0.2\nr1,0.9\nr4,0.1\nr3,0.8\n")
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(solution), str(submission)],
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == {"public": 1.0, "pandas": False}
