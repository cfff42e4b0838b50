"""Two years of generated programme activity behind the impact numbers, and the published targets.

``load`` runs last in the demo, inside its transaction: it generates the activity (``demo_activity``),
adds the programme's published targets, rebuilds the rollups, then adds two targets scoped to the
demo's scale, their values computed from the generated numbers and the forecast so that one is on
track and one at risk whatever today's date is.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forward.core.models import Organization, User

from . import demo_activity, rollup
from .models import Target

PUBLISHED = [  # measure, value, country, years, title
    ("talents", 1_000_000, "", 3, _("A million-strong digital talent pool across Asia-Pacific")),
    ("developers", 100_000, "", 3, _("100,000 developers empowered")),
    ("startups", 100_000, "", 3, _("100,000 technology startups powered")),
    ("universities_teaching", 100, "CN", 3, _("Professional courses at 100 universities in China")),
    ("universities_covered", 300, "CN", 3, _("Cloud and data-science education covering 300 universities in China")),
    ("certified", 50_000, "CN", 3, _("50,000 professionals trained and certified in China")),
    ("teams", 7_000, "", 1, _("7,000 university teams in data competitions in one year")),
]


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _programme_of_each_kind() -> None:
    """The academy demo has every programme kind but a university major: add one."""
    from forward.academy.models import Course, Programme, ProgrammeCourse, ProgrammeKind

    if Programme.objects.filter(kind=ProgrammeKind.MAJOR).exists():
        return
    courses = list(Course.objects.order_by("pk")[:3])
    if not courses:
        return
    major = Programme.objects.create(slug="cloud-and-data-major", title="Cloud and Data Major", kind=ProgrammeKind.MAJOR,
                                     summary="Cloud and Data Major: a university major of the Forward partners.",
                                     countries=["CN", "SG", "MY", "TH", "VN"])
    ProgrammeCourse.objects.bulk_create([ProgrammeCourse(programme=major, course=c, required=True, order=i)
                                         for i, c in enumerate(courses)])


def published_targets(*, start: date, today: date, operator: User | None) -> list[Target]:
    """The programme's published targets: three years from the programme's start (the teams' one
    year from the start of this competition season, eleven months ago)."""
    season = (today.replace(day=1) - timedelta(days=330)).replace(day=1)
    return Target.objects.bulk_create([
        Target(measure=measure, value=value, country=country, title=str(title), order=order, created_by=operator,
               starts_on=start if years == 3 else season,
               deadline=_years_later(start if years == 3 else season, years))
        for order, (measure, value, country, years, title) in enumerate(PUBLISHED)])


def _status(target: Target, today: date):
    from .progress import progress

    return progress(target, today=today)


def calibrated(target: Target, *, want: str, today: date) -> Target:
    """Give `target` a value that puts it in status `want` ("on_track" or "at_risk") by the
    forecast rule: forecast ≥ target is on track; forecast < target ≤ the interval's high, at risk."""
    target.value = 1
    target.save()
    for _attempt in range(4):
        p = _status(target, today)
        f = p.forecast
        if f is None:
            break
        low_bound = p.current + 1  # below the current count it would be met already
        if want == "on_track":
            value = max(low_bound, math.floor(p.current + (f.value - p.current) * 0.9))
        else:
            value = max(low_bound, math.ceil((f.value + f.high) / 2))
        if value == target.value:
            break
        target.value = value
        target.save(update_fields=["value"])
        if _status(target, today).status == want:
            break
    return target


def scoped_targets(*, start: date, today: date, operator: User | None) -> list[Target]:
    """Two targets sized to the demo: the largest university's talents (on track), and the
    completers of the developers' programme (at risk)."""
    from forward.academy.models import Programme, ProgrammeKind

    from .selectors import breakdown

    deadline = _years_later(start, 3)
    made = []
    top = breakdown("talents", by="university")
    top = [(uni, amount) for uni, amount in top if uni]
    if top:
        uni = Organization.objects.get(pk=top[0][0])
        target = Target.objects.create(measure="talents", value=1, university=uni, starts_on=start, deadline=deadline,
                                       title=f"Talents cultivated at {uni.name}", order=20, created_by=operator)
        made.append(calibrated(target, want="on_track", today=today))
    developers = Programme.objects.filter(kind=ProgrammeKind.DEVELOPERS).order_by("pk").first()
    if developers is not None:
        target = Target.objects.create(measure="completers", value=1, programme=developers, starts_on=start,
                                       deadline=deadline, title=f"Course completers in {developers.title}",
                                       order=21, created_by=operator)
        made.append(calibrated(target, want="at_risk", today=today))
    return made


def load(*, rng: random.Random) -> None:
    now = timezone.now()
    today = now.date()
    start_at = now - timedelta(days=demo_activity.DAYS)
    start = start_at.date().replace(day=1)
    operator = User.objects.filter(is_staff=True).order_by("pk").first()
    if operator is None:
        operator = User.objects.create(email="operator@impact.forward.demo", name="Impact operator", is_staff=True)
        operator.set_unusable_password()
        operator.save()
    _programme_of_each_kind()
    unis = demo_activity.universities(rng=rng, start=start_at, operator=operator)
    people = demo_activity.learners(rng=rng, start=start_at, unis=unis, count=demo_activity.LEARNERS)
    completed = demo_activity.academy(rng=rng, start=start_at, now=now, unis=unis, people=people)
    demo_activity.competitions(rng=rng, now=now, people=people)
    demo_activity.talent(rng=rng, now=now, completed=completed)
    demo_activity.ventures(rng=rng, start=start_at, now=now, operator=operator)
    published_targets(start=start, today=today, operator=operator)
    rollup.rebuild(now=now)
    scoped_targets(start=start, today=today, operator=operator)
