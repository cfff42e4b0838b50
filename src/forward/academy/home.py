"""The academy's cards on the home page (core.home): continue learning, upcoming deadlines, courses to
start with for someone new, and for instructors their cohorts and who is falling behind."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forward.core.home import Action, Card, Item, Viewer

from . import selectors
from .models import CourseRun

CONTINUE = 4
STARTERS = 3
RUNS = 6


def _date(when) -> str:
    return formats.date_format(timezone.localtime(when), "SHORT_DATE_FORMAT")


def _soon(when, now) -> str:
    """"urgent" within two days, "warning" within a week."""
    if when - now <= timedelta(days=2):
        return "urgent"
    return "warning" if when - now <= timedelta(days=7) else ""


def learner_cards(viewer: Viewer) -> list[Card]:
    """Continue learning (progress and the next lesson) and the learner's next dates; someone with
    nothing started and no other job here is offered courses to start with. Five to seven queries."""
    user = viewer.user
    now = timezone.now()
    rows = selectors.learner_dashboard(user=user, limit=CONTINUE)
    cards = []
    if rows:
        upcoming = selectors.next_lessons(enrolments=[row["enrolment"] for row in rows])
        items = []
        for row in rows:
            course, enrolment = row["course"], row["enrolment"]
            lesson = upcoming.get(enrolment.pk)
            if lesson is not None and not row["ended"]:
                url = reverse("academy:lesson", args=[course.slug, lesson.slug])
                meta = _("%(percent)d%% complete · next: %(lesson)s") % {"percent": row["percent"],
                                                                          "lesson": lesson.title}
            else:
                url = reverse("academy:course", args=[course.slug])
                meta = (_("%(percent)d%% complete · finished") if not lesson else
                        _("%(percent)d%% complete · the run has ended")) % {"percent": row["percent"]}
            items.append(Item(text=course.title, url=url, meta=meta, progress=row["percent"]))
        cards.append(Card(key="learner-continue", group="learning", title=_("Continue learning"), priority=40,
                          items=items, more_url=reverse("academy:dashboard"), more_label=_("All my courses"),
                          actions=[Action(_("Find a course"), reverse("academy:catalogue"))]))
    elif not viewer.acts_anywhere:
        starters = list(selectors.catalogue()[:STARTERS])
        cards.append(Card(
            key="learner-start", group="learning", title=_("Start learning"), priority=45,
            subtitle=_("Free courses taught by engineers from industry, with certificates anyone can verify."),
            items=[Item(text=c.title, url=reverse("academy:course", args=[c.slug]),
                        meta=c.get_level_display()) for c in starters],
            empty=_("The first courses are being prepared."),
            actions=[Action(_("Browse courses"), reverse("academy:catalogue"), primary=True),
                     Action(_("Certifications"), reverse("academy:certifications"))]))
    deadlines = selectors.learner_deadlines(user=user, now=now, horizon_days=30, limit=6) if rows else []
    if deadlines:
        items = []
        for d in deadlines:
            in_course, at_lesson = d["course"], d["lesson"]
            if d["certification"] is not None:
                url = reverse("academy:certification", args=[d["certification"].slug])
            elif in_course is None:  # never: what is not a certification's exam belongs to a course
                continue
            elif at_lesson is not None:
                url = reverse("academy:lesson", args=[in_course.slug, at_lesson.slug])
            else:
                url = reverse("academy:course", args=[in_course.slug])
            what = {"in_progress": _("in progress, ends %(date)s"), "closes": _("closes %(date)s"),
                    "run_ends": _("course run ends %(date)s")}[d["kind"]] % {"date": _date(d["at"])}
            if d["submitted"]:
                what += " · " + _("submitted")
            title = d["title"] if d["course"] is None else f"{d['course'].title}: {d['title']}"
            items.append(Item(text=title, url=url, meta=what, sort=d["at"],
                              tone="" if d["submitted"] else _soon(d["at"], now)))
        soonest = deadlines[0]["at"] - now
        cards.append(Card(key="deadlines", group="learning", title=_("Coming up"), items=items,
                          priority=55 if soonest <= timedelta(days=2) else 35))
    return cards


def instructor_cards(viewer: Viewer) -> list[Card]:
    """The runs this person teaches now, with how many students fall behind (three queries)."""
    now = timezone.now()
    runs = list(CourseRun.objects.filter(instructors=viewer.user, ends_at__gt=now - timedelta(days=14))
                .select_related("course", "university").order_by("ends_at", "pk")[:RUNS])
    if not runs:
        return []
    running = [r for r in runs if r.starts_at <= now]
    found = selectors.falling_behind(runs=running, now=now)
    items = []
    for run in runs:
        students = found["students"].get(run.pk, 0)
        behind = found["counts"].get(run.pk, 0)
        if run.starts_at > now:
            meta = _("starts %(date)s") % {"date": _date(run.starts_at)}
        else:
            meta = ngettext("%(n)d student", "%(n)d students", students) % {"n": students}
            if behind:
                meta += " · " + ngettext("%(n)d falling behind", "%(n)d falling behind", behind) % {"n": behind}
        items.append(Item(text=run.course.title, url=reverse("academy:cohort", args=[run.pk]),
                          meta=f"{run.cohort} · {meta}", tone="warning" if behind else ""))
    cards = [Card(key="instructor-runs", group="teaching", title=_("Your cohorts"), priority=30, items=items,
                  more_url=reverse("academy:teaching"), more_label=_("Everything you teach"))]
    if found["behind"]:
        cards.append(Card(
            key="instructor-behind", group="teaching", title=_("Falling behind"), priority=50,
            subtitle=_("Well below the cohort's median progress, or inactive for %(days)d days.")
            % {"days": selectors.INACTIVE_DAYS},
            items=[Item(text=row["name"], url=reverse("academy:cohort", args=[row["run"].pk]),
                        meta=_behind(row), tone="warning") for row in found["behind"]]))
    return cards


def _behind(row: selectors.BehindRow) -> str:
    text = _("%(course)s · %(percent)d%% done (cohort median %(median)d%%)") % {
        "course": row["run"].course.title, "percent": row["percent"], "median": row["median"]}
    if row["idle_days"] >= selectors.INACTIVE_DAYS:
        text += " · " + _("inactive for %(days)d days") % {"days": row["idle_days"]}
    return text


def register() -> None:
    from forward.core import home

    home.register("academy.learner", learner_cards)
    home.register("academy.instructor", instructor_cards)
