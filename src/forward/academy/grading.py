"""Marking one answer: a pure function of the question and what the learner gave."""

from __future__ import annotations

import math
import re

from .models import Question, QuestionKind


def mark(question: Question, answer) -> float:
    """Points earned (0 or the question's points; no partial credit)."""
    return question.points if is_correct(question, answer) else 0.0


def is_correct(question: Question, answer) -> bool:
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


def _as_ints(answer) -> list[int]:
    values = answer if isinstance(answer, list) else [answer]
    result = []
    for v in values:
        try:
            result.append(int(v))
        except (TypeError, ValueError):
            continue
    return sorted(result)
