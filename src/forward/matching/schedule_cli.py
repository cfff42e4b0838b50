"""``forward schedule INPUT.json [--out OUTPUT.json] [--time-limit SECONDS]``: build a networking
event's meeting schedule offline (HiGHS, with a proven bound) and print (or write) it.

INPUT: {"slots": ["<slot>", ...], "tables": <int ≥ 1>,
        "people": {"<id>": {"side": "investor"|"startup", "available": ["<slot>", ...], "max_meetings": <int ≥ 0>}},
        "marks": [{"from": "<id>", "to": "<id>", "level": "must"|"want"|"no"}],
        "fixed": [{"slot": "<slot>", "investor": "<id>", "startup": "<id>"}]}   (optional: confirmed meetings, kept)
OUTPUT: {"meetings": [{"slot", "investor", "startup"}], "value": <int>, "bound": <proven upper bound>, "stats": {...}}.
Exit 2 with one line on stderr for invalid input.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import NoReturn

from .schedule import MAX_INPUT_BYTES, ScheduleInputError, parse, solve, to_document

PROG = "forward schedule"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"{PROG}: {message}", file=sys.stderr)
        raise SystemExit(2)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be a positive number of seconds")
    return value


def _fail(message: str) -> int:
    print(f"{PROG}: {' '.join(message.split())}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog=PROG, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--time-limit", type=_seconds, default=60.0, metavar="SECONDS",
                        help="stop the solver after this long and return the best schedule found (default 60)")
    args = parser.parse_args(argv)
    try:
        size = args.input.stat().st_size
        if size > MAX_INPUT_BYTES:
            return _fail(f"{args.input} is {size} bytes; at most {MAX_INPUT_BYTES} are accepted")
        text = args.input.read_bytes()
    except OSError as exc:
        return _fail(f"cannot read {args.input}: {exc.strerror}")
    try:
        document = json.loads(text)
        del text
    except (ValueError, RecursionError) as exc:
        return _fail(f"{args.input} is not valid JSON: {exc}")
    try:
        problem = parse(document)
        del document
        schedule = solve(problem, time_limit=args.time_limit)
    except ScheduleInputError as exc:
        return _fail(str(exc))
    output = json.dumps(to_document(schedule), ensure_ascii=False)
    if args.out:
        try:
            args.out.write_text(output + "\n", encoding="utf-8")
        except OSError as exc:
            return _fail(f"cannot write {args.out}: {exc.strerror}")
    else:
        sys.stdout.write(output + "\n")
    return 0
