"""How well a candidate fits an opening: a transparent score from 0 to 100 and the reasons for it.

A pure library (no Django): the talent app gathers plain data (what a person's unrevoked credentials
prove, what they declared about countries and dates; what an opening asks for) and calls `fit` for
the explained score, or `rank_openings` / `rank_candidates` to order many at once.

The score is a sum of terms, each with its points and what it is made of, so a page can say why:

| term                  | points | how                                                                    |
| --------------------- | -----: | ---------------------------------------------------------------------- |
| requirements          |     40 | all of them, only when every required skill and credential is met      |
| required_skills       |     20 | × share of the required skills a credential backs                      |
| required_credentials  |      5 | × share of the required credentials held (kind, and level for certs.)  |
| preferred_skills      |     10 | × share of the preferred skills a credential backs                     |
| level                 |      4 | × best certification level / 3                                         |
| grade                 |      4 | × best course grade (0..1)                                             |
| percentile            |      7 | × best competition percentile / 100 (100 = first)                      |
| country               |      5 | may work in an eligible country (or any country eligible); half if the |
|                       |        | candidate has not said where they can work                             |
| availability          |      3 | available for this kind of opening; half if not said                   |
| start                 |      2 | available by the start date; less by each week late, none at 12 weeks  |

An opening that asks for no required (or preferred) skills or credentials gives those terms in full.
Because the 40 points of `requirements` come only with every requirement met, anyone who meets them
all scores at least 65 (40 + 20 + 5), and anyone who misses one scores below 60 (they lose the 40
and part of 20 or 5): still listed, always below. Ties are broken by the key the caller gives (an
id), so the order is the same every time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

REQUIREMENTS = 40.0
REQUIRED_SKILLS = 20.0
REQUIRED_CREDENTIALS = 5.0
PREFERRED_SKILLS = 10.0
LEVEL = 4.0
GRADE = 4.0
PERCENTILE = 7.0
COUNTRY = 5.0
AVAILABILITY = 3.0
START = 2.0
START_GRACE_WEEKS = 12  # available this many weeks after the start date or later: no start points
MAX_LEVEL = 3  # certification levels: 1 associate, 2 professional, 3 expert

WEIGHTS = {
    "requirements": REQUIREMENTS, "required_skills": REQUIRED_SKILLS, "required_credentials": REQUIRED_CREDENTIALS,
    "preferred_skills": PREFERRED_SKILLS, "level": LEVEL, "grade": GRADE, "percentile": PERCENTILE,
    "country": COUNTRY, "availability": AVAILABILITY, "start": START,
}

QUALIFIED_FLOOR = REQUIREMENTS + REQUIRED_SKILLS + REQUIRED_CREDENTIALS  # everyone who meets it all scores this or more

# What a person must be available for, by the kind of opening (a short data project: anyone).
AVAILABILITY_FOR_KIND = {"internship": "internship", "graduate": "graduate", "job": "job", "project": None}


@dataclass(frozen=True)
class CredentialRef:
    """A credential behind a claim: its uuid (for its verification page) and name."""

    uuid: str
    name: str


@dataclass(frozen=True)
class SkillEvidence:
    """A verified skill: the best certification level among the credentials backing it (0: none is a
    certification) and those credentials (may be empty when only counts are known, as in an index)."""

    level: int = 0
    credentials: tuple[CredentialRef, ...] = ()


@dataclass(frozen=True)
class HeldCredential:
    """A credential the person holds, for required-credential checks: its kind and, for a
    certification, its level (1..3)."""

    kind: str
    level: int = 0
    uuid: str = ""
    name: str = ""


@dataclass(frozen=True)
class RequiredCredential:
    """What an opening asks for: a credential of this kind and, for a certification, at least this level."""

    kind: str
    level: int = 0

    def met_by(self, held: HeldCredential) -> bool:
        return held.kind == self.kind and held.level >= self.level


@dataclass(frozen=True)
class Candidate:
    """A person as far as fit goes. `skills`: verified only (slug → evidence). `countries`: where they
    can work (ISO codes; empty: not said). `available_for`: internship / graduate / job (empty: not
    said). `key`: breaks ties (smaller first)."""

    skills: Mapping[str, SkillEvidence] = field(default_factory=dict)
    held: tuple[HeldCredential, ...] = ()
    best_grade: float | None = None
    best_level: int = 0
    best_percentile: float | None = None
    countries: frozenset[str] = frozenset()
    available_for: frozenset[str] = frozenset()
    available_from: date | None = None
    key: Any = 0


@dataclass(frozen=True)
class Opening:
    """An opening as far as fit goes. `countries_eligible`: empty means anywhere. `skill_names`:
    slug → name, for the explanation (optional). `key`: breaks ties (smaller first)."""

    required_skills: tuple[str, ...] = ()
    preferred_skills: tuple[str, ...] = ()
    required_credentials: tuple[RequiredCredential, ...] = ()
    kind: str = "internship"
    countries_eligible: frozenset[str] = frozenset()
    start_date: date | None = None
    skill_names: Mapping[str, str] = field(default_factory=dict)
    key: Any = 0


@dataclass(frozen=True, slots=True)
class OpeningSummary:
    """An opening as one candidate's ranking needs it: how many of its required and preferred skills
    there are and how many the candidate has proved (counted in SQL over many openings), not which.
    `rank_summaries` scores it exactly as `fit` scores the full opening."""

    required: int = 0
    required_met: int = 0
    preferred: int = 0
    preferred_met: int = 0
    required_credentials: tuple[RequiredCredential, ...] = ()
    kind: str = "internship"
    countries_eligible: frozenset[str] = frozenset()
    start_date: date | None = None
    key: Any = 0


def summary_of(candidate: Candidate, opening: Opening) -> OpeningSummary:
    skills = candidate.skills
    return OpeningSummary(
        required=len(opening.required_skills), required_met=sum(1 for s in opening.required_skills if s in skills),
        preferred=len(opening.preferred_skills),
        preferred_met=sum(1 for s in opening.preferred_skills if s in skills),
        required_credentials=opening.required_credentials, kind=opening.kind,
        countries_eligible=opening.countries_eligible, start_date=opening.start_date, key=opening.key)


@dataclass(frozen=True)
class SkillMatch:
    slug: str
    name: str
    level: int = 0
    credentials: tuple[CredentialRef, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"slug": self.slug, "name": self.name, "level": self.level,
                "credentials": [{"uuid": c.uuid, "name": c.name} for c in self.credentials]}


@dataclass(frozen=True)
class Term:
    """One part of the score: `code` names it (see WEIGHTS), `points` out of `max_points`, and what
    it was made of in `detail` (plain values)."""

    code: str
    points: float
    max_points: float
    detail: Mapping[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "points": round(self.points, 2), "max_points": self.max_points, "detail": dict(self.detail)}


@dataclass(frozen=True)
class Fit:
    score: float  # 0..100, the sum of the terms' points
    qualified: bool  # every required skill and credential met
    terms: tuple[Term, ...]
    required_met: tuple[SkillMatch, ...]
    required_missing: tuple[SkillMatch, ...]
    preferred_met: tuple[SkillMatch, ...]
    preferred_missing: tuple[SkillMatch, ...]
    credentials_met: tuple[dict[str, Any], ...]  # {"kind", "level", "uuid", "name"}: the requirement and what meets it
    credentials_missing: tuple[dict[str, Any], ...]  # {"kind", "level"}

    def term(self, code: str) -> Term:
        return next(t for t in self.terms if t.code == code)

    def as_json(self) -> dict[str, Any]:
        return {
            "score": round(self.score, 2), "qualified": self.qualified,
            "terms": [t.as_json() for t in self.terms],
            "required_skills_met": [m.as_json() for m in self.required_met],
            "required_skills_missing": [m.as_json() for m in self.required_missing],
            "preferred_skills_met": [m.as_json() for m in self.preferred_met],
            "preferred_skills_missing": [m.as_json() for m in self.preferred_missing],
            "required_credentials_met": [dict(c) for c in self.credentials_met],
            "required_credentials_missing": [dict(c) for c in self.credentials_missing],
        }


# --- the terms: one function each, shared by `fit` and the fast `score` --------------------------

def _share(met: int, total: int) -> float:
    return 1.0 if total == 0 else met / total


def _level_points(best_level: int) -> float:
    return LEVEL * min(max(best_level, 0), MAX_LEVEL) / MAX_LEVEL


def _grade_points(best_grade: float | None) -> float:
    return 0.0 if best_grade is None else GRADE * min(max(best_grade, 0.0), 1.0)


def _percentile_points(best_percentile: float | None) -> float:
    return 0.0 if best_percentile is None else PERCENTILE * min(max(best_percentile, 0.0), 100.0) / 100.0


def _country_share(countries: frozenset[str], eligible: frozenset[str]) -> float:
    if not eligible:
        return 1.0
    if not countries:
        return 0.5
    return 1.0 if not countries.isdisjoint(eligible) else 0.0


def _availability_share(available_for: frozenset[str], kind: str) -> float:
    needed = AVAILABILITY_FOR_KIND.get(kind)
    if needed is None:
        return 1.0
    if not available_for:
        return 0.5
    return 1.0 if needed in available_for else 0.0


def _weeks_late(available_from: date | None, start_date: date | None) -> float:
    if available_from is None or start_date is None or available_from <= start_date:
        return 0.0
    return (available_from - start_date).days / 7


def _start_share(available_from: date | None, start_date: date | None) -> float:
    return max(0.0, 1.0 - _weeks_late(available_from, start_date) / START_GRACE_WEEKS)


def _credential_met(required: RequiredCredential, held: Sequence[HeldCredential]) -> HeldCredential | None:
    """The best held credential meeting the requirement (highest level, then uuid), or None."""
    best = None
    for h in held:
        if required.met_by(h) and (best is None or (h.level, h.uuid) > (best.level, best.uuid)):
            best = h
    return best


def _points(c: Candidate, o: Opening, *, country: float | None = None, availability: float | None = None,
            start: float | None = None) -> tuple[float, ...]:
    """Every term's points, in WEIGHTS order. The ranking loops pass the shares they cached."""
    skills = c.skills
    return _counted(
        c, sum(1 for s in o.required_skills if s in skills), len(o.required_skills),
        sum(1 for s in o.preferred_skills if s in skills), len(o.preferred_skills), o.required_credentials,
        _country_share(c.countries, o.countries_eligible) if country is None else country,
        _availability_share(c.available_for, o.kind) if availability is None else availability,
        _start_share(c.available_from, o.start_date) if start is None else start)


def _counted(c: Candidate, req_met: int, req_n: int, pref_met: int, pref_n: int,
             creds: tuple[RequiredCredential, ...], country: float, availability: float, start: float) -> tuple[float, ...]:
    """The one formula: every term's points, in WEIGHTS order, from the counts and shares."""
    cred_met = sum(1 for r in creds if _credential_met(r, c.held) is not None) if creds else 0
    return (
        REQUIREMENTS if req_met == req_n and cred_met == len(creds) else 0.0,
        REQUIRED_SKILLS * _share(req_met, req_n),
        REQUIRED_CREDENTIALS * _share(cred_met, len(creds)),
        PREFERRED_SKILLS * _share(pref_met, pref_n),
        _level_points(c.best_level),
        _grade_points(c.best_grade),
        _percentile_points(c.best_percentile),
        COUNTRY * country,
        AVAILABILITY * availability,
        START * start,
    )


def score(candidate: Candidate, opening: Opening) -> float:
    """The score alone (what `fit(...).score` is), without building the explanation."""
    return sum(_points(candidate, opening))


def fit(candidate: Candidate, opening: Opening) -> Fit:
    """The explained score of this candidate for this opening."""
    c, o = candidate, opening
    points = _points(c, o)

    def match(slug: str) -> SkillMatch:
        evidence = c.skills.get(slug)
        name = o.skill_names.get(slug, slug)
        if evidence is None:
            return SkillMatch(slug=slug, name=name)
        return SkillMatch(slug=slug, name=name, level=evidence.level, credentials=evidence.credentials)

    required_met = tuple(match(s) for s in o.required_skills if s in c.skills)
    required_missing = tuple(match(s) for s in o.required_skills if s not in c.skills)
    preferred_met = tuple(match(s) for s in o.preferred_skills if s in c.skills)
    preferred_missing = tuple(match(s) for s in o.preferred_skills if s not in c.skills)
    credentials_met, credentials_missing = [], []
    for required in o.required_credentials:
        held = _credential_met(required, c.held)
        if held is None:
            credentials_missing.append({"kind": required.kind, "level": required.level})
        else:
            credentials_met.append({"kind": required.kind, "level": required.level, "held_level": held.level,
                                    "uuid": held.uuid, "name": held.name})
    qualified = not required_missing and not credentials_missing
    details: tuple[dict[str, Any], ...] = (
        {"met": qualified, "missing_skills": len(required_missing), "missing_credentials": len(credentials_missing)},
        {"met": len(required_met), "of": len(o.required_skills)},
        {"met": len(credentials_met), "of": len(o.required_credentials)},
        {"met": len(preferred_met), "of": len(o.preferred_skills)},
        {"best_level": c.best_level},
        {"best_grade": c.best_grade},
        {"best_percentile": c.best_percentile},
        {"eligible": sorted(o.countries_eligible), "candidate": sorted(c.countries),
         "share": _country_share(c.countries, o.countries_eligible)},
        {"kind": o.kind, "available_for": sorted(c.available_for),
         "share": _availability_share(c.available_for, o.kind)},
        {"start_date": o.start_date.isoformat() if o.start_date else None,
         "available_from": c.available_from.isoformat() if c.available_from else None,
         "weeks_late": round(_weeks_late(c.available_from, o.start_date), 1)},
    )
    terms = tuple(Term(code=code, points=p, max_points=weight, detail=d)
                  for (code, weight), p, d in zip(WEIGHTS.items(), points, details, strict=True))
    return Fit(score=sum(points), qualified=qualified, terms=terms, required_met=required_met,
               required_missing=required_missing, preferred_met=preferred_met, preferred_missing=preferred_missing,
               credentials_met=tuple(credentials_met), credentials_missing=tuple(credentials_missing))


_Item = TypeVar("_Item", Opening, OpeningSummary)


def _ranked(candidate: Candidate, items: Iterable[_Item],
            points: Callable[[_Item, float, float, float], Iterable[float]]) -> list[tuple[float, _Item]]:
    """(score, item), best first; ties by the item's key. The shares that depend on the item's
    countries, kind and start date are computed once per distinct value; `points(item, country,
    availability, start)` gives the item's points."""
    c = candidate
    countries: dict[frozenset[str], float] = {}
    kinds: dict[str, float] = {}
    starts: dict[date | None, float] = {}
    scored = []
    for o in items:
        country = countries.get(o.countries_eligible)
        if country is None:
            country = countries[o.countries_eligible] = _country_share(c.countries, o.countries_eligible)
        availability = kinds.get(o.kind)
        if availability is None:
            availability = kinds[o.kind] = _availability_share(c.available_for, o.kind)
        start = starts.get(o.start_date)
        if start is None:
            start = starts[o.start_date] = _start_share(c.available_from, o.start_date)
        scored.append((sum(points(o, country, availability, start)), o))
    scored.sort(key=lambda pair: (-pair[0], pair[1].key))
    return scored


def rank_openings(candidate: Candidate, openings: Iterable[Opening]) -> list[tuple[float, Opening]]:
    """(score, opening), best first; ties by the opening's key."""
    return _ranked(candidate, openings, lambda o, country, availability, start: _points(
        candidate, o, country=country, availability=availability, start=start))


def rank_summaries(candidate: Candidate, summaries: Iterable[OpeningSummary]) -> list[tuple[float, OpeningSummary]]:
    """(score, summary), best first; ties by the summary's key. What `rank_openings` does, from counts:
    for ranking thousands of openings whose skills were counted in the database."""
    return _ranked(candidate, summaries, lambda o, country, availability, start: _counted(
        candidate, o.required_met, o.required, o.preferred_met, o.preferred, o.required_credentials, country,
        availability, start))


def rank_candidates(candidates: Iterable[Candidate], opening: Opening) -> list[tuple[float, Candidate]]:
    """(score, candidate), best first; ties by the candidate's key."""
    o = opening
    countries: dict[frozenset[str], float] = {}
    kinds: dict[frozenset[str], float] = {}
    scored = []
    for c in candidates:
        country = countries.get(c.countries)
        if country is None:
            country = countries[c.countries] = _country_share(c.countries, o.countries_eligible)
        availability = kinds.get(c.available_for)
        if availability is None:
            availability = kinds[c.available_for] = _availability_share(c.available_for, o.kind)
        scored.append((sum(_points(c, o, country=country, availability=availability)), c))
    scored.sort(key=lambda pair: (-pair[0], pair[1].key))
    return scored
