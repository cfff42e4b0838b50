"""The input of a meeting schedule (see `forward.matching.schedule`, which re-exports all of
this): the dataclasses, the bounds on input size, and `parse`/`validate`, which refuse anything
that is not a scheduling problem with a one-line ScheduleInputError naming what to fix."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

INVESTOR, STARTUP = "investor", "startup"
SIDES = (INVESTOR, STARTUP)
WEIGHTS = {"must": 3, "want": 1, "no": 0}
LEVELS = tuple(WEIGHTS)

# Input bounds, checked before any work that grows with them.
MAX_INPUT_BYTES = 64 * 1024 * 1024
MAX_SLOTS = 500
MAX_PEOPLE = 50_000
MAX_MARKS = 2_000_000
MAX_TABLES = 100_000
MAX_MEETINGS_PER_PERSON = 1_000
MAX_ID_LENGTH = 200
MAX_VARIABLES = 5_000_000  # (allowed pair, common free slot) combinations handed to the solver


class ScheduleInputError(ValueError):
    """Input that is not a scheduling problem; str(e) says in one line what to fix."""


@dataclass(frozen=True)
class Person:
    id: str
    side: str  # "investor" | "startup"
    available: tuple[str, ...]
    max_meetings: int


@dataclass(frozen=True)
class Mark:
    source: str
    target: str
    level: str  # "must" | "want" | "no"


@dataclass(frozen=True)
class Meeting:
    slot: str
    investor: str
    startup: str


@dataclass(frozen=True)
class Problem:
    slots: tuple[str, ...]
    tables: int
    people: tuple[Person, ...]
    marks: tuple[Mark, ...]
    fixed: tuple[Meeting, ...] = ()


@dataclass
class Schedule:
    meetings: list[Meeting]
    value: int
    bound: int
    stats: dict[str, Any] = field(default_factory=dict)


def _is_int(value: object) -> bool:
    return type(value) is int


def _id(value: object, what: str) -> str:
    if type(value) is not str or not value:
        raise ScheduleInputError(f"{what} must be a non-empty string id, not {_show(value)}")
    if len(value) > MAX_ID_LENGTH:
        raise ScheduleInputError(f"{what} is longer than {MAX_ID_LENGTH} characters")
    return value


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _keys(entry: dict[str, Any], allowed: tuple[str, ...], required: tuple[str, ...], what: str) -> None:
    for key in entry:
        if key not in allowed:
            raise ScheduleInputError(f"{what} has an unknown key {_show(key)}; allowed: {', '.join(allowed)}")
    for key in required:
        if key not in entry:
            raise ScheduleInputError(f"{what} lacks {key!r}")


def _list(value: object, what: str, limit: int) -> list[Any]:
    if type(value) is not list:
        raise ScheduleInputError(f"{what} must be a list, not {type(value).__name__}")
    if len(value) > limit:
        raise ScheduleInputError(f"{what} has {len(value)} entries; at most {limit} are accepted")
    return value


def _meeting(entry: object, what: str) -> Meeting:
    if type(entry) is not dict:
        raise ScheduleInputError(f"{what} must be an object with slot, investor and startup")
    _keys(entry, ("slot", "investor", "startup"), ("slot", "investor", "startup"), what)
    return Meeting(slot=_id(entry["slot"], f"{what}.slot"), investor=_id(entry["investor"], f"{what}.investor"),
                   startup=_id(entry["startup"], f"{what}.startup"))


def parse(document: object) -> Problem:
    """The input of `forward schedule` (already JSON-decoded) as a Problem; ScheduleInputError
    naming the first thing wrong otherwise."""
    if type(document) is not dict:
        raise ScheduleInputError("the input must be a JSON object with slots, tables, people and marks")
    _keys(document, ("slots", "tables", "people", "marks", "fixed"), ("slots", "tables", "people", "marks"),
          "the input")
    slots = tuple(_id(s, f"slots[{n}]") for n, s in enumerate(_list(document["slots"], "slots", MAX_SLOTS)))
    tables = document["tables"]
    people_doc = document["people"]
    if type(people_doc) is not dict:
        raise ScheduleInputError("people must be an object mapping each id to its side, available and max_meetings")
    if len(people_doc) > MAX_PEOPLE:
        raise ScheduleInputError(f"people has {len(people_doc)} entries; at most {MAX_PEOPLE} are accepted")
    people = []
    for pid, entry in people_doc.items():
        what = f"people[{_show(pid)}]"
        _id(pid, f"a key of people ({what})")
        if type(entry) is not dict:
            raise ScheduleInputError(f"{what} must be an object with side, available and max_meetings")
        _keys(entry, ("side", "available", "max_meetings"), ("side", "available", "max_meetings"), what)
        available = tuple(_id(s, f"{what}.available[{n}]")
                          for n, s in enumerate(_list(entry["available"], f"{what}.available", MAX_SLOTS)))
        people.append(Person(id=pid, side=entry["side"], available=available, max_meetings=entry["max_meetings"]))
    marks = []
    for n, entry in enumerate(_list(document["marks"], "marks", MAX_MARKS)):
        what = f"marks[{n}]"
        if type(entry) is not dict:
            raise ScheduleInputError(f"{what} must be an object with from, to and level")
        _keys(entry, ("from", "to", "level"), ("from", "to", "level"), what)
        marks.append(Mark(source=_id(entry["from"], f"{what}.from"), target=_id(entry["to"], f"{what}.to"),
                          level=entry["level"]))
    fixed = tuple(_meeting(entry, f"fixed[{n}]")
                  for n, entry in enumerate(_list(document.get("fixed", []), "fixed", MAX_MARKS)))
    problem = Problem(slots=slots, tables=tables, people=tuple(people), marks=tuple(marks), fixed=fixed)
    validate(problem)
    return problem


def validate(problem: Problem) -> None:
    """The checks `parse` makes, for a Problem built in code; ScheduleInputError naming the first
    thing wrong."""
    if not isinstance(problem, Problem):
        raise ScheduleInputError("the problem must be a Problem")
    slots, people, marks, fixed = problem.slots, problem.people, problem.marks, problem.fixed
    for name, value, limit in (("slots", slots, MAX_SLOTS), ("people", people, MAX_PEOPLE),
                               ("marks", marks, MAX_MARKS), ("fixed", fixed, MAX_MARKS)):
        if not isinstance(value, tuple | list):
            raise ScheduleInputError(f"{name} must be a sequence")
        if len(value) > limit:
            raise ScheduleInputError(f"{name} has {len(value)} entries; at most {limit} are accepted")
    known_slots = set()
    for n, slot in enumerate(slots):
        _id(slot, f"slots[{n}]")
        if slot in known_slots:
            raise ScheduleInputError(f"slots names {_show(slot)} twice")
        known_slots.add(slot)
    tables = problem.tables
    if not _is_int(tables):
        raise ScheduleInputError(f"tables must be an integer, not {_show(tables)}")
    if not 1 <= tables <= MAX_TABLES:
        raise ScheduleInputError(f"tables is {tables}; it must be between 1 and {MAX_TABLES}")
    side = {}
    for person in people:
        if not isinstance(person, Person):
            raise ScheduleInputError("people must hold Person entries")
        what = f"people[{_show(person.id)}]"
        _id(person.id, what)
        if person.id in side:
            raise ScheduleInputError(f"people names {_show(person.id)} twice")
        if person.side not in SIDES:
            raise ScheduleInputError(f"{what}.side is {_show(person.side)}; it must be investor or startup")
        if not _is_int(person.max_meetings):
            raise ScheduleInputError(f"{what}.max_meetings must be an integer, not {_show(person.max_meetings)}")
        if not 0 <= person.max_meetings <= MAX_MEETINGS_PER_PERSON:
            raise ScheduleInputError(f"{what}.max_meetings is {person.max_meetings}; it must be between 0 and "
                                     f"{MAX_MEETINGS_PER_PERSON}")
        if not isinstance(person.available, tuple | list):
            raise ScheduleInputError(f"{what}.available must be a list of slot ids")
        seen = set()
        for slot in person.available:
            if slot not in known_slots:
                raise ScheduleInputError(f"{what}.available names {_show(slot)}, which is not one of the slots")
            if slot in seen:
                raise ScheduleInputError(f"{what}.available names {_show(slot)} twice")
            seen.add(slot)
        side[person.id] = person.side
    marked = set()
    for n, mark in enumerate(marks):
        if not isinstance(mark, Mark):
            raise ScheduleInputError("marks must hold Mark entries")
        what = f"marks[{n}]"
        for key, pid in (("from", mark.source), ("to", mark.target)):
            if pid not in side:
                raise ScheduleInputError(f"{what}.{key} names {_show(pid)}, who is not among the people")
        if mark.source == mark.target:
            raise ScheduleInputError(f"{what}: {_show(mark.source)} marks themselves")
        if side[mark.source] == side[mark.target]:
            raise ScheduleInputError(f"{what} joins {_show(mark.source)} and {_show(mark.target)}, both "
                                     f"{side[mark.source]}s; a mark joins an investor and a startup")
        if mark.level not in WEIGHTS:
            raise ScheduleInputError(f"{what}.level is {_show(mark.level)}; it must be must, want or no")
        if (mark.source, mark.target) in marked:
            raise ScheduleInputError(f"{what}: {_show(mark.source)} marks {_show(mark.target)} a second time; "
                                     "keep one mark per (from, to)")
        marked.add((mark.source, mark.target))
    _validate_fixed(problem, side, known_slots)


def _validate_fixed(problem: Problem, side: dict[str, str], known_slots: set[str]) -> None:
    limit = {p.id: p.max_meetings for p in problem.people}
    busy: set[tuple[str, str]] = set()
    pairs: set[tuple[str, str]] = set()
    per_slot: Counter[str] = Counter()
    per_person: Counter[str] = Counter()
    for n, meeting in enumerate(problem.fixed):
        if not isinstance(meeting, Meeting):
            raise ScheduleInputError("fixed must hold Meeting entries")
        what = f"fixed[{n}]"
        if meeting.slot not in known_slots:
            raise ScheduleInputError(f"{what}.slot names {_show(meeting.slot)}, which is not one of the slots")
        for key, pid in ((INVESTOR, meeting.investor), (STARTUP, meeting.startup)):
            if pid not in side:
                raise ScheduleInputError(f"{what}.{key} names {_show(pid)}, who is not among the people")
            if side[pid] != key:
                raise ScheduleInputError(f"{what}.{key} names {_show(pid)}, who is {'an' if side[pid] == INVESTOR else 'a'} "
                                         f"{side[pid]}")
        for pid in (meeting.investor, meeting.startup):
            if (pid, meeting.slot) in busy:
                raise ScheduleInputError(f"{what} puts {_show(pid)} in a second meeting in slot {_show(meeting.slot)}")
            busy.add((pid, meeting.slot))
            per_person[pid] += 1
            if per_person[pid] > limit[pid]:
                raise ScheduleInputError(f"fixed gives {_show(pid)} more meetings than their max_meetings "
                                         f"({limit[pid]})")
        pair = (meeting.investor, meeting.startup)
        if pair in pairs:
            raise ScheduleInputError(f"{what} has {_show(pair[0])} meet {_show(pair[1])} a second time")
        pairs.add(pair)
        per_slot[meeting.slot] += 1
        if per_slot[meeting.slot] > problem.tables:
            raise ScheduleInputError(f"fixed puts more meetings in slot {_show(meeting.slot)} than there are "
                                     f"tables ({problem.tables})")
