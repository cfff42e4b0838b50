"""``forward match INPUT.json [--optimal students|openings] [--out OUTPUT.json]``: run a matching
round offline and print (or write) the result.

INPUT: {"students": {"<student>": ["<opening>", ...best first]},
        "openings": {"<opening>": {"capacity": <int ≥ 1>, "ranking": ["<student>", ...best first]}}}
A pair is acceptable only if each lists the other; one-sided entries are ignored.
OUTPUT: {"optimal": ..., "matching": {"<opening>": ["<student>", ...]}, "unmatched": [...], "stats": {...}}.
Exit 2 with one line on stderr for invalid input.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .core import OPTIMAL, MatchInputError, parse, solve_problem


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        self.print_usage(sys.stderr)
        print(f"forward match: {message}", file=sys.stderr)
        raise SystemExit(2)


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="forward match", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input", type=Path)
    parser.add_argument("--optimal", choices=OPTIMAL, default="students")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    try:
        text = args.input.read_bytes()
    except OSError as exc:
        print(f"forward match: cannot read {args.input}: {exc.strerror}", file=sys.stderr)
        return 2
    try:
        data = json.loads(text)
        del text
    except (ValueError, RecursionError) as exc:
        print(f"forward match: {args.input} is not valid JSON: {exc}", file=sys.stderr)
        return 2
    try:
        problem = parse(data)
        del data  # the parsed problem is all that is needed: a large round's JSON objects go
        result = solve_problem(problem, optimal=args.optimal)
    except MatchInputError as exc:
        print(f"forward match: {exc}", file=sys.stderr)
        return 2
    output = json.dumps(result.as_json(), ensure_ascii=False)
    if args.out:
        args.out.write_text(output + "\n", encoding="utf-8")
    else:
        sys.stdout.write(output + "\n")
    return 0
