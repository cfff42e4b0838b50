"""Marking one answer: a pure function of the question and what the learner gave."""

from __future__ import annotations

import json
import math
import re
from typing import Any, TypedDict, TypeGuard

from django.utils.translation import gettext as _

from .models import Question, QuestionKind


def mark(question: Question, answer: Any) -> float:
    """Points earned (0 or the question's points; no partial credit)."""
    return question.points if is_correct(question, answer) else 0.0


def is_correct(question: Question, answer: Any) -> bool:
    if answer in (None, "", []):
        return False
    if question.kind == QuestionKind.SINGLE:
        return _as_ints(answer) == sorted(question.correct)[:1] and len(question.correct) == 1
    if question.kind == QuestionKind.MULTIPLE:
        return sorted(set(_as_ints(answer))) == sorted(set(question.correct))
    if question.kind == QuestionKind.NUMERIC:
        try:
            given = float(str(answer[0] if isinstance(answer, list) else answer).strip().replace(",", ""))
        except ValueError:
            return False
        expected = float(question.correct[0])
        return math.isfinite(given) and abs(given - expected) <= question.tolerance + 1e-12
    text = " ".join(str(answer[0] if isinstance(answer, list) else answer).split()).casefold()
    if question.pattern:
        return re.fullmatch(question.pattern, text, flags=re.IGNORECASE) is not None
    return any(text == " ".join(str(c).split()).casefold() for c in question.correct)


def _as_ints(answer: Any) -> list[int]:
    values = answer if isinstance(answer, list) else [answer]
    result: list[int] = []
    for v in values:
        try:
            result.append(int(v))
        except (TypeError, ValueError):
            continue
    return sorted(result)


# A grading policy is JSON stored with the course (Course.grading_policy): its values are of several
# shapes (a list of types, a mapping of cutoffs, the certificate rules), checked by `policy_errors`.
Policy = dict[str, Any]

DEFAULT_POLICY: Policy = {
    "types": [
        {"type": "quiz", "weight": 0.3, "min_count": 1, "drop_lowest": 0},
        {"type": "exam", "weight": 0.7, "min_count": 1, "drop_lowest": 0},
    ],
    "cutoffs": {"distinction": 0.85, "merit": 0.70, "pass": 0.50},
    # A certificate of completion for a pass; a certificate of achievement from this designation up.
    "certificates": {"completion": True, "achievement": "merit"},
}


def certificate_rules(policy: Policy) -> tuple[bool, str]:
    """(award a certificate of completion?, designation from which a certificate of achievement is
    awarded, or "" for none). A policy without the key awards completion only."""
    policy = policy or DEFAULT_POLICY
    rules = policy.get("certificates") or {}
    achievement = str(rules.get("achievement") or "")
    if achievement not in (policy.get("cutoffs") or {}):
        achievement = ""
    return bool(rules.get("completion", True)), achievement


POLICY_KEYS = ("types", "cutoffs", "certificates")
POLICY_TYPE_KEYS = ("type", "weight", "min_count", "drop_lowest")
MAX_POLICY_TYPES = 20
MAX_POLICY_CUTOFFS = 10
MAX_POLICY_CHARS = 5000  # DEFAULT_POLICY is 260
MAX_POLICY_COUNT = 100  # assessments of one type counted (min_count) or dropped (drop_lowest)


def _shape_errors(policy: Policy) -> list[str]:
    """A policy is small and has only the fields Forward reads: it is stored with the course and read
    for every grade."""
    unknown = [str(key) for key in policy if key not in POLICY_KEYS]
    if unknown:
        return [_("Unknown field “%(field)s”: a policy has %(fields)s.")
                % {"field": unknown[0][:80], "fields": ", ".join(POLICY_KEYS)}]
    types, cutoffs = policy.get("types") or [], policy.get("cutoffs") or {}
    if not isinstance(types, list) or any(not isinstance(t, dict) for t in types):
        return [_("“types” is a list of assessment types, each with %(fields)s.")
                % {"fields": ", ".join(POLICY_TYPE_KEYS)}]
    if not isinstance(cutoffs, dict):
        return [_("“cutoffs” gives each designation its fraction, such as “pass: 0.5”.")]
    if len(types) > MAX_POLICY_TYPES or len(cutoffs) > MAX_POLICY_CUTOFFS:
        return [_("A policy has at most %(types)d assessment types and %(cutoffs)d cutoffs.")
                % {"types": MAX_POLICY_TYPES, "cutoffs": MAX_POLICY_CUTOFFS}]
    unknown = [str(key) for t in types for key in t if key not in POLICY_TYPE_KEYS]
    if unknown:
        return [_("Unknown field “%(field)s” in an assessment type: each has %(fields)s.")
                % {"field": unknown[0][:80], "fields": ", ".join(POLICY_TYPE_KEYS)}]
    for t in types:
        errors = _type_errors(t)
        if errors:
            return errors
    names = [t["type"] for t in types]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        return [_("“%(type)s” is listed twice in “types”: give each assessment type once.") % {"type": twice[0][:80]}]
    for name, value in cutoffs.items():
        if not isinstance(name, str) or not name.strip():
            return [_("Each cutoff is named by its designation, such as “pass” or “merit”.")]
        if not _is_number(value):
            return [_("The cutoff “%(name)s” is a number, such as 0.5.") % {"name": str(name)[:80]}]
    try:
        size = len(json.dumps(policy, default=str))
    except (TypeError, ValueError):
        size = MAX_POLICY_CHARS + 1
    if size > MAX_POLICY_CHARS:
        return [_("The policy is longer than %(n)d characters written as JSON; shorten its names.")
                % {"n": MAX_POLICY_CHARS}]
    return []


def _is_number(value: Any) -> TypeGuard[int | float]:
    """A finite number (JSON's true and false are not numbers here)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _type_errors(t: dict[str, Any]) -> list[str]:
    """One assessment type's fields: the assessments it grades (a category or kind of assessment, or
    "lab"), its weight, and the whole numbers of assessments counted and dropped (bounded:
    course_grade counts that many)."""
    name = t.get("type")
    if not isinstance(name, str) or not name.strip():
        return [_("Each assessment type names the assessments it grades in “type”: their category, "
                  "or quiz, exam or lab.")]
    weight = t.get("weight")
    if not _is_number(weight) or not 0 <= weight <= 1:
        return [_("The weight of “%(type)s” is a number from 0 to 1, such as 0.3.") % {"type": name[:80]}]
    for key, default in (("min_count", 1), ("drop_lowest", 0)):
        value = t.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_POLICY_COUNT:
            return [_("“%(field)s” of “%(type)s” is a whole number from 0 to %(max)d.")
                    % {"field": key, "type": name[:80], "max": MAX_POLICY_COUNT}]
    return []


def policy_errors(policy: Policy) -> list[str]:
    """What is wrong with a grading policy, in words an instructor can act on (empty if fine)."""
    errors = _shape_errors(policy)
    if errors:
        return errors
    types = policy.get("types") or []
    if not types:
        errors.append(_("Add at least one assessment type."))
    total = sum(float(t["weight"]) for t in types)  # _shape_errors made sure each type has one
    if types and abs(total - 1.0) > 1e-6:
        errors.append(_("The weights add up to %(total)s; they must add up to 1.") % {"total": f"{total:g}"})
    for t in types:
        if int(t.get("drop_lowest", 0)) >= max(1, int(t.get("min_count", 1))):
            errors.append(_("%(type)s: drop fewer scores than the minimum count.") % {"type": t["type"][:80]})
    cutoffs = policy.get("cutoffs") or {}
    if "pass" not in cutoffs:
        errors.append(_("Set a pass cutoff."))
    if any(not 0 < float(v) <= 1 for v in cutoffs.values()):
        errors.append(_("Cutoffs are fractions between 0 and 1."))
    certificates = policy.get("certificates")
    if certificates is not None:
        if not isinstance(certificates, dict) or set(certificates) - {"completion", "achievement"}:
            errors.append(_('certificates: use {"completion": true, "achievement": "merit"} (or "" for none).'))
        elif certificates.get("achievement") and certificates["achievement"] not in cutoffs:
            errors.append(_("certificates: the achievement designation “%(name)s” is not one of the cutoffs "
                            "(%(cutoffs)s).") % {"name": str(certificates["achievement"])[:80],
                                                 "cutoffs": ", ".join(sorted(cutoffs))})
    return errors


class GradeBreakdown(TypedDict):
    type: str
    weight: float
    average: float
    contribution: float


class CourseGrade(TypedDict):
    grade: float  # 0–1
    designation: str  # the highest cutoff reached, "" below pass
    breakdown: list[GradeBreakdown]


def course_grade(policy: Policy, percents_by_type: dict[str, list[float]]) -> CourseGrade:
    """The grade from a learner's best percentage per assessment, grouped by assessment type.

    Per type: missing assessments up to the minimum count count as 0, the lowest ``drop_lowest``
    are dropped, the rest averaged; the grade is the weighted sum (0–1) and the designation the
    highest cutoff reached (e.g. distinction, merit, pass) or "" when below pass.
    """
    policy = policy or DEFAULT_POLICY
    breakdown: list[GradeBreakdown] = []
    total = 0.0
    for t in policy.get("types", []):
        scores = sorted(p / 100.0 for p in percents_by_type.get(t["type"], []))
        scores += [0.0] * max(0, int(t.get("min_count", 1)) - len(scores))
        scores.sort()
        kept = scores[int(t.get("drop_lowest", 0)):] or [0.0]
        average = sum(kept) / len(kept)
        weight = float(t["weight"])
        breakdown.append({"type": t["type"], "weight": weight, "average": average, "contribution": average * weight})
        total += average * weight
    designation = ""
    for name, cutoff in sorted((policy.get("cutoffs") or {}).items(), key=lambda item: -float(item[1])):
        if total + 1e-12 >= float(cutoff):
            designation = name
            break
    return {"grade": total, "designation": designation, "breakdown": breakdown}
