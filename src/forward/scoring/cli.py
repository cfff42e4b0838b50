"""``forward score SOLUTION SUBMISSION --metric NAME``: score locally, print one JSON object.

Exit 0 with {"metric", "public", "private", "rows"}; 1 with the reason on stderr when the
submission is invalid; 2 when the solution or the command line is.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import SolutionError, SubmissionError
from .metrics import METRIC_NAMES
from .scorer import load_solution, score


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # exit 2 with one line, as argparse does, but never 0
        self.print_usage(sys.stderr)
        print(f"forward score: {message}", file=sys.stderr)
        raise SystemExit(2)


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="forward score", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("solution", type=Path, help="CSV: id column first, target column, Usage (Public/Private)")
    parser.add_argument("submission", type=Path, help="predictions: .csv, .csv.gz or .zip holding one CSV")
    parser.add_argument("--metric", required=True, help=f"one of: {', '.join(METRIC_NAMES)}")
    args = parser.parse_args(argv)
    for label, path in (("solution", args.solution), ("submission", args.submission)):
        if not path.is_file():
            print(f"forward score: the {label} file {path} does not exist", file=sys.stderr)
            return 2
    try:
        solution = load_solution(args.solution, args.metric)
    except SolutionError as exc:
        print(f"invalid solution: {exc}", file=sys.stderr)
        return 2
    try:
        result = score(solution, args.submission)
    except SubmissionError as exc:
        print(f"invalid submission: {exc}", file=sys.stderr)
        return 1
    print(json.dumps({"metric": result.metric, "public": result.public, "private": result.private,
                      "rows": result.rows}))
    return 0
