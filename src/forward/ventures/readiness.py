"""The digital-readiness questionnaire, its scoring and its radar chart. Defined in code and
versioned: a result keeps the version it was taken with, so a reworded question never changes an
old score. Pure: no database, no writes (services_centre stores results).

Each area has four questions; each answer is worth 0 to 4 points. An area's score is its points as a
percentage of the most it could have; its maturity level is 1 (Beginning) to 5 (Leading), one level
per fifth of the range. The overall level is the rounded mean of the five areas' levels.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

VERSION = 1

AREAS = ("strategy", "data", "cloud", "security", "skills")
AREA_LABELS = {
    "strategy": _("Digital strategy"),
    "data": _("Data"),
    "cloud": _("Cloud"),
    "security": _("Security"),
    "skills": _("Digital skills"),
}
LEVELS = {1: _("Beginning"), 2: _("Developing"), 3: _("Defined"), 4: _("Managed"), 5: _("Leading")}
WEAK_LEVEL = 2  # areas at or below this level get recommendations

# Keywords searched in the academy's published catalogue for each area's recommended courses, in order.
COURSE_KEYWORDS = {
    "strategy": ("Leadership", "Product management", "Business"),
    "data": ("Data", "SQL", "Python"),
    "cloud": ("Cloud", "Linux"),
    "security": ("Security", "Linux", "Cloud computing"),
    "skills": ("Python", "Machine learning", "Cloud"),
}


@dataclass(frozen=True)
class Question:
    id: str
    area: str
    text: StrOrPromise
    options: tuple[StrOrPromise, ...]  # labels, worth 0, 1, 2, ... points in order


_FREQ = (_("Not at all"), _("Rarely, by a few people"), _("Sometimes, in some teams"), _("Usually, across the company"),
         _("Always, measured and improved"))

QUESTIONS: tuple[Question, ...] = (
    Question("strategy.plan", "strategy", _("Do you have a written plan for how digital technology serves your business?"),
             (_("No plan"), _("Ideas, not written down"), _("A written plan"), _("A plan with a budget and owners"),
              _("A plan reviewed against results every quarter"))),
    Question("strategy.leadership", "strategy", _("Who leads digital change in your organization?"),
             (_("Nobody in particular"), _("Whoever has time"), _("A named person, part time"),
              _("A named leader with a team"), _("The leadership team, with digital goals for every unit"))),
    Question("strategy.customers", "strategy", _("How much of your customers' journey is online?"),
             (_("None of it"), _("A website or social page"), _("Orders or bookings online"),
              _("Most of it: ordering, paying, support"), _("All of it, personalised from data"))),
    Question("strategy.measure", "strategy", _("Do you measure what your digital tools bring in?"), _FREQ),
    Question("data.collect", "data", _("Where do your business records live?"),
             (_("On paper"), _("In personal spreadsheets"), _("In shared spreadsheets"), _("In business systems"),
              _("In connected systems with one source of truth"))),
    Question("data.decide", "data", _("Are decisions made with data?"), _FREQ),
    Question("data.quality", "data", _("Do you check that your data is complete and correct?"), _FREQ),
    Question("data.analytics", "data", _("What analysis do you do?"),
             (_("None"), _("Totals by hand"), _("Reports and dashboards"), _("Forecasts and segments"),
              _("Machine-learning models in production"))),
    Question("cloud.usage", "cloud", _("How much of your IT runs in the cloud?"),
             (_("None"), _("Email and files only"), _("Some business applications"), _("Most workloads"),
              _("Everything, designed for the cloud"))),
    Question("cloud.cost", "cloud", _("Do you know and manage what the cloud costs you?"), _FREQ),
    Question("cloud.automation", "cloud", _("How are your systems deployed and changed?"),
             (_("By hand, rarely"), _("By hand, by one person"), _("With written procedures"),
              _("With scripts and pipelines"), _("Fully automated with infrastructure as code"))),
    Question("cloud.resilience", "cloud", _("If a server or a data centre failed today, what would happen?"),
             (_("We would lose data"), _("We have copies, never restored"), _("We have tested backups"),
              _("We fail over to another zone"), _("Customers would not notice"))),
    Question("security.accounts", "security", _("Do staff accounts use multi-factor sign-in?"),
             (_("No"), _("A few accounts"), _("Administrators"), _("Everyone"), _("Everyone, with single sign-on"))),
    Question("security.updates", "security", _("Are systems and devices kept up to date?"), _FREQ),
    Question("security.incidents", "security", _("Do you have a plan for a security incident?"),
             (_("No"), _("We would figure it out"), _("A written plan"), _("A plan, rehearsed"),
              _("A plan, rehearsed, with monitoring that alerts us"))),
    Question("security.privacy", "security", _("Do you know what personal data you hold and who may see it?"), _FREQ),
    Question("skills.staff", "skills", _("How comfortable are your staff with digital tools?"),
             (_("Not at all"), _("A few are"), _("Most handle the basics"), _("Most are confident"),
              _("They improve the tools themselves"))),
    Question("skills.training", "skills", _("Do staff get digital training?"), _FREQ),
    Question("skills.technical", "skills", _("Do you have technical people (developers, data, cloud)?"),
             (_("None"), _("Contractors now and then"), _("One in-house"), _("A small team"),
              _("Teams with certified experts"))),
    Question("skills.hiring", "skills", _("Can you hire or grow the digital skills you need?"), _FREQ),
)
BY_ID = {q.id: q for q in QUESTIONS}


def questions_by_area() -> list[tuple[str, StrOrPromise, list[Question]]]:
    return [(area, AREA_LABELS[area], [q for q in QUESTIONS if q.area == area]) for area in AREAS]


def validate(answers: Mapping[str, Any]) -> tuple[dict[str, int], list[str]]:
    """Clean answers (question id -> option index) and the problems found, each saying what to fix."""
    problems: list[str] = []
    clean: dict[str, int] = {}
    for key in answers:
        if key not in BY_ID:
            problems.append(str(_("“%(id)s” is not a question of this questionnaire.")) % {"id": str(key)[:60]})
    for question in QUESTIONS:
        value: Any = answers.get(question.id)  # anything the client sent: int() below checks it
        try:
            index = int(value)
        except (TypeError, ValueError):
            index = -1
        if isinstance(value, bool) or not 0 <= index < len(question.options):
            problems.append(str(_("Answer the question “%(text)s”.")) % {"text": question.text})
            continue
        clean[question.id] = index
    return clean, problems


def level_for(percent: float) -> int:
    return min(5, 1 + int(percent // 20))


def score(answers: dict[str, int]) -> tuple[dict[str, int], dict[str, int], int]:
    """(percent per area, level per area, overall level) of complete, valid answers."""
    percents: dict[str, int] = {}
    levels: dict[str, int] = {}
    for area in AREAS:
        questions = [q for q in QUESTIONS if q.area == area]
        best = sum(len(q.options) - 1 for q in questions)
        got = sum(answers[q.id] for q in questions)
        percents[area] = round(100 * got / best)
        levels[area] = level_for(100 * got / best)
    overall = max(1, min(5, round(sum(levels.values()) / len(AREAS))))
    return percents, levels, overall


def weak_areas(levels: Mapping[str, int]) -> list[str]:
    return [area for area in AREAS if int(levels.get(area, 1)) <= WEAK_LEVEL]


class Row(TypedDict):
    area: str
    label: StrOrPromise
    level: int
    level_name: StrOrPromise
    percent: int
    previous: int | None
    change: int | None


def rows(levels: Mapping[str, int], percents: Mapping[str, int],
         previous: Mapping[str, int] | None = None) -> list[Row]:
    """One row per area for the table beside the chart (and the API)."""
    out: list[Row] = []
    for area in AREAS:
        level = int(levels.get(area, 1))
        before = int(previous[area]) if previous and area in previous else None
        out.append({"area": area, "label": AREA_LABELS[area], "level": level, "level_name": LEVELS[level],
                    "percent": int(percents.get(area, 0)), "previous": before,
                    "change": None if before is None else level - before})
    return out


# --- the radar chart -------------------------------------------------------------------------------

SIZE = 320
CENTRE = SIZE / 2
RADIUS = 110


def _point(index: int, level: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / len(AREAS)
    r = RADIUS * level / 5
    return round(CENTRE + r * math.cos(angle), 1), round(CENTRE + r * math.sin(angle), 1)


def _polygon(levels: Mapping[str, int]) -> str:
    return " ".join(f"{x},{y}" for x, y in (_point(i, int(levels.get(a, 1))) for i, a in enumerate(AREAS)))


def radar_svg(levels: Mapping[str, int], previous: Mapping[str, int] | None = None, *, title: str = "") -> SafeString:
    """The maturity levels as an SVG radar chart (the current one filled, the previous one dashed).
    Every text is escaped; colours are attributes (no inline style), so the CSP holds. The figures
    are also given as a table beside it for screen readers."""
    rings = format_html_join("", '<polygon points="{}" fill="none" stroke="#d5dbe3" stroke-width="1"/>',
                             ((_polygon(dict.fromkeys(AREAS, ring)),) for ring in range(1, 6)))
    axes = format_html_join("", '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#d5dbe3" stroke-width="1"/>',
                            ((CENTRE, CENTRE, *_point(i, 5)) for i in range(len(AREAS))))
    labels = []
    for i, area in enumerate(AREAS):
        x, y = _point(i, 5.9)
        anchor = "middle" if abs(x - CENTRE) < 5 else ("start" if x > CENTRE else "end")
        labels.append((x, y + 4, anchor, AREA_LABELS[area]))
    label_html = format_html_join("", '<text x="{}" y="{}" text-anchor="{}" font-size="15" fill="#2b3440">{}</text>',
                                  labels)
    before = format_html('<polygon points="{}" fill="none" stroke="#7a8594" stroke-width="2" '
                         'stroke-dasharray="5 4" data-testid="radar-previous"/>', _polygon(previous)) if previous else ""
    dots = format_html_join("", '<circle cx="{}" cy="{}" r="3.5" fill="#0b5cad"/>',
                            (_point(i, int(levels.get(a, 1))) for i, a in enumerate(AREAS)))
    return format_html(
        '<svg class="radar" viewBox="-70 20 {} {}" role="img" aria-labelledby="radar-title" data-testid="radar">'
        '<title id="radar-title">{}</title>{}{}'
        '<polygon points="{}" fill="#0b5cad" fill-opacity="0.22" stroke="#0b5cad" stroke-width="2.5" '
        'data-testid="radar-current"/>{}{}{}</svg>',
        SIZE + 140, SIZE - 40, title or _("Maturity by area"), rings, axes, _polygon(levels), before, dots,
        label_html)
