"""`forward schedule INPUT.json [--out OUTPUT.json] [--time-limit SECONDS]` as staff run it: the
result on stdout or in a file, and exit 2 with one line on stderr naming what to fix for every kind
of invalid input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from forward.matching.schedule import MAX_INPUT_BYTES, MAX_SLOTS

GOOD = {
    "slots": ["09:00", "09:20"], "tables": 1,
    "people": {"lioncity": {"side": "investor", "available": ["09:00", "09:20"], "max_meetings": 2},
               "kopi": {"side": "startup", "available": ["09:00", "09:20"], "max_meetings": 1},
               "batik": {"side": "startup", "available": ["09:00"], "max_meetings": 1}},
    "marks": [{"from": "lioncity", "to": "kopi", "level": "must"}, {"from": "kopi", "to": "lioncity", "level": "must"},
              {"from": "batik", "to": "lioncity", "level": "want"}],
}


def forward_schedule(*args):
    return subprocess.run([sys.executable, "-m", "forward", "schedule", *args], capture_output=True, text=True,
                          timeout=120)


def write(tmp_path, document) -> str:
    path = tmp_path / "in.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document), encoding="utf-8")
    return str(path)


def test_the_schedule_is_printed(tmp_path):
    done = forward_schedule(write(tmp_path, GOOD))
    assert done.returncode == 0, done.stderr
    output = json.loads(done.stdout)
    assert output["meetings"] == [{"slot": "09:00", "investor": "lioncity", "startup": "batik"},
                                  {"slot": "09:20", "investor": "lioncity", "startup": "kopi"}]
    assert output["value"] == 7 == output["bound"]
    assert output["stats"]["status"] == "optimal"
    assert {"solver", "method", "time", "gap", "marks", "people", "slots"} <= set(output["stats"])


def test_out_writes_the_file_and_prints_nothing(tmp_path):
    out = tmp_path / "agenda.json"
    done = forward_schedule(write(tmp_path, GOOD), "--out", str(out), "--time-limit", "5")
    assert done.returncode == 0 and done.stdout == "", done.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["value"] == 7


def test_fixed_meetings_in_the_input_are_kept(tmp_path):
    document = dict(GOOD, fixed=[{"slot": "09:00", "investor": "lioncity", "startup": "kopi"}])
    done = forward_schedule(write(tmp_path, document))
    assert done.returncode == 0, done.stderr
    output = json.loads(done.stdout)
    # kopi stays at 09:00, so batik (only free at 09:00) cannot meet lioncity any more.
    assert output["meetings"] == [{"slot": "09:00", "investor": "lioncity", "startup": "kopi"}]
    assert output["value"] == 6


def test_help_names_the_input_format():
    done = forward_schedule("--help")
    assert done.returncode == 0 and '"max_meetings"' in done.stdout and "--time-limit" in done.stdout


def person(side="startup", available=("09:00",), max_meetings=1):
    return {"side": side, "available": list(available), "max_meetings": max_meetings}


def changed(**parts):
    document = json.loads(json.dumps(GOOD))
    for key, value in parts.items():
        document[key] = value
    return document


INVALID = [
    ("{not json", "is not valid JSON"),
    ("[" * 100_000 + "]" * 100_000, "is not valid JSON"),
    ([], "must be a JSON object"),
    ({"slots": [], "tables": 1, "people": {}}, "lacks 'marks'"),
    (changed(extra=1), "unknown key 'extra'"),
    (changed(tables=0), "tables is 0"),
    (changed(tables=-3), "tables is -3"),
    (changed(tables="3"), "tables must be an integer"),
    (changed(tables=2.5), "tables must be an integer"),
    (changed(tables=True), "tables must be an integer"),
    (changed(slots="09:00"), "slots must be a list"),
    (changed(slots=["09:00", "09:00"]), "names '09:00' twice"),
    (changed(slots=[f"t{n}" for n in range(MAX_SLOTS + 1)]), f"at most {MAX_SLOTS}"),
    (changed(people=[]), "people must be an object"),
    (changed(people={**GOOD["people"], "x": person(max_meetings=-1)}), "max_meetings is -1"),
    (changed(people={**GOOD["people"], "x": person(max_meetings="2")}), "max_meetings must be an integer"),
    (changed(people={**GOOD["people"], "x": person(side="angel")}), "side is 'angel'"),
    (changed(people={**GOOD["people"], "x": person(available=["10:00"])}), "'10:00', which is not one of the slots"),
    (changed(people={**GOOD["people"], "x": {"side": "startup", "available": "09:00", "max_meetings": 1}}),
     "available must be a list"),
    (changed(people={**GOOD["people"], "x": {"side": "startup", "available": []}}), "lacks 'max_meetings'"),
    (changed(marks=[{"from": "lioncity", "to": "nobody", "level": "want"}]), "'nobody', who is not among the people"),
    (changed(marks=[{"from": "ghost", "to": "kopi", "level": "want"}]), "'ghost', who is not among the people"),
    (changed(marks=[{"from": "kopi", "to": "kopi", "level": "want"}]), "marks themselves"),
    (changed(marks=[{"from": "kopi", "to": "lioncity", "level": "maybe"}]), "level is 'maybe'"),
    (changed(marks=[{"from": "kopi", "to": "batik", "level": "want"}]), "both startups"),
    (changed(marks=[{"from": "kopi", "to": "lioncity", "level": "want"},
                    {"from": "kopi", "to": "lioncity", "level": "no"}]), "a second time"),
    (changed(marks=[{"from": "kopi", "to": "lioncity"}]), "lacks 'level'"),
    (changed(marks=[{"from": 7, "to": "lioncity", "level": "want"}]), "must be a non-empty string id"),
    (changed(fixed=[{"slot": "10:00", "investor": "lioncity", "startup": "kopi"}]), "'10:00', which is not one of"),
    (changed(fixed=[{"slot": "09:00", "investor": "kopi", "startup": "lioncity"}]), "fixed[0].investor names 'kopi'"),
    (changed(fixed=[{"slot": "09:00", "investor": "lioncity", "startup": "ghost"}]), "'ghost', who is not among"),
    (changed(fixed=[{"slot": "09:00", "investor": "lioncity", "startup": "kopi"},
                    {"slot": "09:00", "investor": "lioncity", "startup": "batik"}]), "second meeting in slot '09:00'"),
    (changed(fixed=[{"slot": "09:00", "investor": "lioncity", "startup": "kopi"},
                    {"slot": "09:20", "investor": "lioncity", "startup": "kopi"}]), "more meetings than"),
]


@pytest.mark.parametrize(("document", "says"), INVALID, ids=[says for _, says in INVALID])
def test_invalid_input_exits_2_with_one_line(tmp_path, document, says):
    done = forward_schedule(write(tmp_path, document))
    assert done.returncode == 2 and done.stdout == "", done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("forward schedule: ") and says in lines[0], done.stderr


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.json"
    with open(path, "wb") as handle:
        handle.truncate(MAX_INPUT_BYTES + 1)  # sparse: no disk used, and never read
    done = forward_schedule(str(path))
    assert done.returncode == 2 and f"at most {MAX_INPUT_BYTES}" in done.stderr


@pytest.mark.parametrize(("args", "says"), [
    (["missing.json"], "cannot read"),
    (["{in}", "--time-limit", "0"], "positive number of seconds"),
    (["{in}", "--time-limit", "soon"], "not a number of seconds"),
    (["{in}", "--time-limit", "nan"], "positive number of seconds"),
])
def test_bad_arguments_exit_2(tmp_path, args, says):
    path = write(tmp_path, GOOD)
    done = forward_schedule(*[a.replace("{in}", path) for a in args])
    assert done.returncode == 2 and says in done.stderr, done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("forward schedule: ")
