"""Mutation testing with mutmut, module by module, each against only the tests that cover it.

    python bench/mutation.py [MODULE …] [--max-children N] [--fresh] [--show-survivors] [--report]
                             [--survivors [PATTERN]]

MODULE is a key of MODULES below (default: all). Each module runs in its own work directory
(bench/results/mutation/<module>/, git-ignored; kept so that a rerun only tests the mutants of
functions that changed; --fresh starts over) holding a link to src/, a copy of tests/ and a
pyproject.toml with the project's pytest settings plus a [tool.mutmut] section naming the files to
mutate and the tests to run. The tests run on SQLite (FORWARD_DATABASE_URL is unset for the run).

The verdicts (each mutant's exit code and each mutated function's hash) are recorded in
bench/mutation_state/<module>/ after every run and --report, and committed: a run on a fresh
checkout resumes from them and tests only the mutants not run yet and those of functions whose
source changed since (mutmut compares the hashes). --fresh ignores them.

A survivor that no test can kill — an equivalent mutant, the program behaves the same — is listed
in bench/mutation_justified.txt (module, mutant name, reason, one per line, tab-separated) and
counted apart. The table printed at the end:

    module, mutants, killed, survived, justified, timeout, no tests, not checked, score

score = (killed + timeout) / (mutants − justified − not checked): a timeout counts as killed (the
mutant made the tests loop), "no tests" (no selected test calls the function) counts against the
score; "not checked" are mutants a run has not reached yet (--report during or after a stopped run).
Exit status 1 when a module has a survivor that is not justified. mutmut lets a verdict stand
once given, even when tests are added; --survivors runs the unjustified survivors again against
the tests as they are now (--survivors 'forward.scoring.reading.*': only those that match).
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "results" / "mutation"
# mutmut's verdicts, kept in the repository so that a run resumes where the last one stopped, on
# any machine: per mutated file, each mutant's exit code and each function's hash (a function whose
# source changed is tested again). Written after every run and every --report.
STATE = ROOT / "bench" / "mutation_state"
JUSTIFIED = ROOT / "bench" / "mutation_justified.txt"

# module → (files to mutate, tests that cover them)
MODULES: dict[str, tuple[list[str], list[str]]] = {
    "scoring": (["src/forward/scoring/*"], ["tests/scoring"]),
    "vc": (["src/forward/vc/*"], ["tests/vc"]),
    # Their selectors also serve the home page (core's panels), impact's figures and talent's
    # profiles, whose tests are given too (mutmut runs, per mutant, only the tests that call it).
    "competitions": (
        ["src/forward/competitions/services.py", "src/forward/competitions/selectors.py"],
        ["tests/competitions", "tests/core/test_home.py", "tests/impact"],
    ),
    "credentials": (
        ["src/forward/credentials/services.py", "src/forward/credentials/selectors.py"],
        ["tests/credentials", "tests/core/test_home.py", "tests/impact", "tests/talent"],
    ),
    "academy-grading": (
        ["src/forward/academy/grading.py"],
        ["tests/academy"],
    ),
}
# Files mutmut must not touch in any module: command-line front ends (argument parsing and
# printing, tested through subprocesses that mutmut's trampolines cannot see).
NEVER = ["src/forward/scoring/cli.py", "src/forward/vc/cli.py"]

KILLED = {"killed", "timeout", "caught by type check"}

# Functions that run only in the forked child that scores a file (scoring/isolation.py). mutmut
# learns which tests call a function by recording calls in the test process, so it sees none for
# these and would mark their mutants "no tests" without running them; the child inherits the
# mutant under test, so the tests of the function that forks do exercise them. They are given
# those tests, and their "no tests" mutants are run again.
FORKED: dict[str, dict[str, str]] = {
    "scoring": {
        f"forward.scoring.isolation.{child}": "forward.scoring.isolation.x_run_limited"
        for child in ("x__child", "x__address_space", "x__plain_allocation",
                      "xǁLimitExceededǁ__reduce__", "xǁJobCrashedǁ__reduce__")
    },
}
NO_TESTS = 33  # mutmut's exit code for a mutant no selected test calls
# Modules whose tests use the database run one test process at a time: mutmut's test processes
# share the run's data directory, hence one SQLite test database file and one storage folder, and
# two at once would fail each other's tests ("killing" mutants that no test noticed).
ONE_AT_A_TIME = {"competitions", "credentials", "academy-grading"}


def mutmut_config(module: str) -> str:
    files, tests = MODULES[module]
    lines = [
        "[tool.mutmut]",
        'source_paths = ["src/forward"]',
        f"only_mutate = {files!r}",
        f"do_not_mutate = {NEVER!r}",
        f"pytest_add_cli_args_test_selection = {tests!r}",
        # The test database is made from the models, not by running the migrations: a run of the
        # few tests that cover a function takes seconds instead of the half minute the migrations
        # take. The tests of a migration itself need the migrations, and leave the selection.
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-q", "--nomigrations", "--ignore-glob=*/test_migration*"]',
        "use_git_change_detection = false",
    ]
    return "\n".join(lines).replace("'", '"') + "\n"


def project_pytest_config() -> str:
    """The [tool.pytest.ini_options] section of the project's pyproject.toml, as written there."""
    text = (ROOT / "pyproject.toml").read_text()
    match = re.search(r"^\[tool\.pytest\.ini_options\]\n(?:(?!^\[).*\n?)*", text, re.M)
    assert match, "pyproject.toml has no [tool.pytest.ini_options]"
    tomllib.loads(match.group(0))  # it stands alone
    return match.group(0)


def prepare(module: str, fresh: bool) -> Path:
    work = WORK / module
    if fresh and work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    link_source(work)
    if (work / "tests").exists():
        shutil.rmtree(work / "tests")
    shutil.copytree(ROOT / "tests", work / "tests", ignore=shutil.ignore_patterns("node_modules"))
    (work / "pyproject.toml").write_text(project_pytest_config() + "\n" + mutmut_config(module))
    # Tests and unchanged sources are copied again on every run; a mutated file whose source is
    # newer than its mutants is regenerated by mutmut itself.
    if (work / "mutants" / "tests").exists():
        shutil.rmtree(work / "mutants" / "tests")
    if not fresh:
        restore(module, work)
    return work


def link_source(work: Path) -> None:
    """work/src is a link to this checkout's src (also when the work directory was copied here from
    another checkout, whose src it would otherwise still name)."""
    src = work / "src"
    if src.is_symlink() and src.resolve() != (ROOT / "src").resolve():
        src.unlink()
    if not src.exists():
        src.symlink_to(ROOT / "src")


def restore(module: str, work: Path) -> None:
    """Put the recorded verdicts where mutmut looks for them, unless this work directory has its own."""
    for saved in sorted((STATE / module).rglob("*.meta")):
        target = work / "mutants" / saved.relative_to(STATE / module)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            data = json.loads(saved.read_text())
            target.write_text(json.dumps({**data, "durations_by_key": {}, "type_check_error_by_key": {},
                                          "estimated_durations_by_key": {}}))


def record(module: str, work: Path) -> None:
    """Copy the verdicts (exit codes and function hashes only: no timings) into bench/mutation_state."""
    for meta in sorted((work / "mutants").rglob("*.meta")):
        data = json.loads(meta.read_text())
        kept = {"exit_code_by_key": data.get("exit_code_by_key", {}),
                "hash_by_function_name": data.get("hash_by_function_name", {})}
        target = STATE / module / meta.relative_to(work / "mutants")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(kept, indent=0, sort_keys=True) + "\n")


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "FORWARD_DATABASE_URL")}
    env["FORWARD_DATA_DIR"] = tempfile.mkdtemp(prefix="forward-mutation-")
    return env


def results(work: Path, env: dict[str, str]) -> dict[str, str]:
    out = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"],
        cwd=work, env=env, capture_output=True, text=True, check=True,
    ).stdout
    status = {}
    for line in out.splitlines():
        name, sep, state = line.strip().rpartition(": ")
        if sep:
            status[name] = state
    return status


def justified() -> dict[tuple[str, str], str]:
    found = {}
    if JUSTIFIED.exists():
        for line in JUSTIFIED.read_text().splitlines():
            if line.strip() and not line.startswith("#"):
                module, name, reason = line.split("\t", 2)
                found[module, name] = reason
    return found


def run(module: str, max_children: int, fresh: bool, again: list[str] | None = None) -> None:
    """Run the module's mutants not run yet, or (again) run these named mutants once more."""
    work = prepare(module, fresh)
    if module in ONE_AT_A_TIME and max_children > 1:
        print(f"  {module}: its tests share one database file, so one test process at a time", flush=True)
        max_children = 1
    print(f"=== {module}: mutmut run in {work}", flush=True)
    proc = subprocess.run(
        [sys.executable, "-m", "mutmut", "run", "--max-children", str(max_children), *(again or [])],
        cwd=work, env=environment(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    if proc.returncode != 0:
        print(proc.stdout[-4000:])
        raise SystemExit(f"{module}: mutmut run failed with exit status {proc.returncode}")
    if give_forked_their_tests(module, work):
        run(module, max_children, fresh=False)


def give_forked_their_tests(module: str, work: Path) -> bool:
    """Give FORKED functions the tests of the function that forks; True if mutants were reset."""
    stats_file = work / "mutants" / "mutmut-stats.json"
    if not FORKED.get(module) or not stats_file.exists():
        return False
    stats = json.loads(stats_file.read_text())
    tests = stats["tests_by_mangled_function_name"]
    for child, parent in FORKED[module].items():
        tests[child] = sorted(set(tests.get(child, [])) | set(tests.get(parent, [])))
    stats_file.write_text(json.dumps(stats, indent=4))
    reset = False
    for meta in (work / "mutants").rglob("*.meta"):
        data = json.loads(meta.read_text())
        codes = data.get("exit_code_by_key", {})
        for name, code in codes.items():
            if code == NO_TESTS and name.rsplit("__mutmut_", 1)[0] in FORKED[module] and tests.get(
                    name.rsplit("__mutmut_", 1)[0]):
                codes[name] = None
                reset = True
        meta.write_text(json.dumps(data))
    return reset


def tally(module: str, show: bool) -> dict[str, object]:
    """The module's results so far (mutants not yet run count as "not checked")."""
    work = WORK / module
    link_source(work)
    env = environment()
    status = results(work, env)
    record(module, work)
    ok = justified()
    counts = {"killed": 0, "survived": 0, "justified": 0, "timeout": 0, "no tests": 0, "not checked": 0}
    survivors = []
    for name, state in sorted(status.items()):
        if state == "timeout":
            counts["timeout"] += 1
        elif state in KILLED:
            counts["killed"] += 1
        elif (module, name) in ok:
            counts["justified"] += 1
        elif state == "not checked":
            counts["not checked"] += 1
        else:  # survived, no tests (no selected test calls the function), suspicious, segfault
            counts["no tests" if state == "no tests" else "survived"] += 1
            survivors.append(name)
    for mod, name in ok:
        if mod == module and name not in status:
            print(f"  note: justified mutant {name} no longer exists")
    if show:
        for name in survivors:
            print(subprocess.run([sys.executable, "-m", "mutmut", "show", name],
                                 cwd=work, env=env, capture_output=True, text=True).stdout)
    total = len(status)
    checked = total - counts["justified"] - counts["not checked"]
    score = (counts["killed"] + counts["timeout"]) / checked if checked else 1.0
    return {"module": module, "mutants": total, **counts, "score": score, "survivors": survivors}


def table(rows: list[dict[str, object]]) -> str:
    head = "| module | mutants | killed | survived | justified | timeout | no tests | not checked | score |"
    lines = [head, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        lines.append(
            f"| {r['module']} | {r['mutants']:,} | {r['killed']:,} | {r['survived']:,} | {r['justified']:,} "
            f"| {r['timeout']:,} | {r['no tests']:,} | {r['not checked']:,} | {r['score']:.1%} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("modules", nargs="*", metavar="MODULE", help=", ".join(MODULES))
    parser.add_argument("--max-children", type=int, default=2, help="parallel test processes")
    parser.add_argument("--fresh", action="store_true", help="forget earlier results")
    parser.add_argument("--show-survivors", action="store_true", help="print their diffs")
    parser.add_argument("--report", action="store_true",
                        help="only tabulate the results so far (of an earlier or a running run)")
    parser.add_argument("--survivors", nargs="?", const="*", metavar="PATTERN",
                        help="run the survivors not justified again (after tests were added to kill them); "
                             "PATTERN (fnmatch) picks some of them, e.g. 'forward.scoring.reading.*'")
    args = parser.parse_args()
    unknown = [m for m in args.modules if m not in MODULES]
    if unknown:
        parser.error(f"unknown module {', '.join(unknown)}; choose from {', '.join(MODULES)}")
    modules = args.modules or list(MODULES)
    rows = []
    for module in modules:
        if args.survivors:
            if not (WORK / module / "mutants").exists():
                # A fresh checkout: make the mutants and restore the recorded verdicts first.
                run(module, args.max_children, args.fresh)
            again = [name for name in tally(module, show=False)["survivors"]
                     if fnmatch.fnmatchcase(name, args.survivors)]
            if again:
                run(module, args.max_children, fresh=False, again=again)
        elif not args.report:
            run(module, args.max_children, args.fresh)
        if (WORK / module / "mutants").exists():
            rows.append(tally(module, args.show_survivors))
    print(table(rows))
    for r in rows:
        if r["survivors"]:
            print(f"{r['module']}: not killed, not justified: {' '.join(r['survivors'])}")
    sys.exit(1 if any(r["survivors"] for r in rows) else 0)


if __name__ == "__main__":
    main()
