"""The source changes issue 18 found no test noticing, each applied to a copy of the source: a test
must now fail on every one of them.

    python bench/listed_changes.py

For each change the script copies src/ to a temporary directory, replaces one line (the text must
occur exactly once, or the script stops: the source moved on and the change needs updating here),
runs the named test files against the copy (SQLite, `-x`) and records the first failing test. The
same test files are first run against the untouched copy, which must pass. Prints a table; exits 1
when a change goes unnoticed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Change:
    what: str
    path: str  # under src/forward/
    old: str
    new: str
    tests: tuple[str, ...]


CHANGES = [
    Change("the private board takes the first final_limit submissions, not the team's selection",
           "competitions/submissions.py",
           'picked = [r for r in rows if r["selected"]] or rows[: phase.final_limit]',
           "picked = rows[: phase.final_limit]",
           ("tests/competitions/test_regressions.py",)),
    Change("a private board row's move is always 0",
           "competitions/selectors.py",
           "move=(entry.public_rank - rank) if private and entry.public_rank else None,",
           "move=0,",
           ("tests/competitions/test_regressions.py",)),
    Change("the private board is ordered by the public sort key",
           "competitions/selectors.py",
           "higher_is_better\n    entries = ranked_entries(phase=phase).in_order(private=private)",
           "higher_is_better\n    entries = ranked_entries(phase=phase).in_order(private=False)",
           ("tests/competitions/test_regressions.py",)),
    Change("the last member leaving deletes a team that has submissions",
           "competitions/services.py",
           "if not team.members.exists() and not team.submissions.exists():",
           "if not team.members.exists():",
           ("tests/competitions/test_regressions.py",)),
    Change("a refused upload's stored file is not deleted",
           "competitions/submissions.py",
           "            storage.delete(stored)\n",
           "            pass\n",
           ("tests/competitions/test_regressions.py",)),
    Change("the key-rotation view no longer rotates",
           "credentials/views.py",
           "    services.key_rotate(actor=request.user, organization=organization)\n",
           "",
           ("tests/credentials/test_regressions.py",)),
    Change("the wallet selector reads each credential's issuer separately",
           "credentials/selectors.py",
           'Credential.objects.filter(recipient=user).select_related("issuer").order_by(',
           "Credential.objects.filter(recipient=user).order_by(",
           ("tests/credentials/test_regressions.py",)),
    Change("the language switch does not save the signed-in person's choice",
           "core/views.py",
           '        services.language_choose(user=request.user, language=request.POST.get("language", ""))\n',
           "        pass\n",
           ("tests/core/test_regressions.py",)),
]

FAILED = re.compile(r"^FAILED (\S+)", re.M)


def run_tests(src: Path, tests: tuple[str, ...]) -> tuple[bool, str]:
    """Run ``tests`` against the source in ``src``: (passed, first failing test or summary)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FORWARD_")}
    env.update(PYTHONPATH=str(src), FORWARD_DATA_DIR=tempfile.mkdtemp(prefix="listed-"))
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "-rf", *tests],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    found = FAILED.search(result.stdout)
    if result.returncode == 0:
        return True, result.stdout.strip().splitlines()[-1]
    return False, found.group(1) if found else result.stdout[-2000:] + result.stderr[-2000:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="listed-changes-"))
    try:
        clean = work / "clean" / "src"
        shutil.copytree(ROOT / "src", clean, ignore=shutil.ignore_patterns("__pycache__"))
        all_tests = tuple(sorted({t for c in CHANGES for t in c.tests}))
        passed, summary = run_tests(clean, all_tests)
        if not passed:
            print(f"the untouched source fails its tests: {summary}")
            return 1
        print(f"untouched source: {summary}\n")
        rows, unnoticed = [], 0
        for number, change in enumerate(CHANGES, 1):
            src = work / f"change{number}" / "src"
            shutil.copytree(clean, src)
            path = src / "forward" / change.path
            text = path.read_text(encoding="utf-8")
            if text.count(change.old) != 1:
                print(f"change {number} ({change.what}): its line occurs {text.count(change.old)} times "
                      f"in {change.path}; update bench/listed_changes.py")
                return 1
            path.write_text(text.replace(change.old, change.new), encoding="utf-8")
            passed, failing = run_tests(src, change.tests)
            unnoticed += passed
            rows.append((number, change.what, change.path, "NOT NOTICED" if passed else failing))
            shutil.rmtree(src.parent)
        width = max(len(r[1]) for r in rows)
        print(f"{'#':>2}  {'change':<{width}}  {'file':<28}  first failing test")
        for number, what, path, failing in rows:
            print(f"{number:>2}  {what:<{width}}  {path:<28}  {failing}")
        return 1 if unnoticed else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
