"""Impact's cards on the home page (core.home): programme health for operators (headline numbers and
the targets at risk), and for a university's admins their cohorts with their students' certification
and placement figures. A fixed number of queries."""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forward.academy import selectors as academy_selectors
from forward.academy.models import CourseRun
from forward.core.home import Action, Card, Figure, Item, Viewer, unverified_cards
from forward.core.models import Organization, OrganizationKind

from . import charts, measures, progress, selectors
from .models import Target

HEADLINES = ["talents", "developers", "startups", "certified"]
TARGETS = 8  # the targets operators set: a handful; the card reads at most this many
RUNS = 5
TROUBLE = ("at_risk", "off_track", "missed")


def operator_cards(viewer: Viewer) -> list[Card]:
    """Headline numbers and the targets that are at risk, off track or missed (one query, and one per
    target up to TARGETS)."""
    if not viewer.is_operator:
        return []
    shown = [m for m in map(measures.get, HEADLINES) if m is not None]
    numbers = selectors.totals([m.slug for m in shown])
    figures = [Figure(str(m.name), charts.number(numbers[m.slug]), reverse("impact:measure", args=[m.slug]))
               for m in shown]
    today = timezone.localdate()
    trouble = []
    for target in Target.objects.select_related("programme", "university").order_by("order", "pk")[:TARGETS]:
        if measures.get(target.measure) is None:
            continue
        found = progress.progress(target, today=today)
        if found.status in TROUBLE:
            trouble.append(Item(
                text=target.title or str(found.measure.name),
                url=reverse("impact:targets"),
                meta=_("%(status)s · %(current)s of %(value)s by %(deadline)s") % {
                    "status": found.status_label, "current": charts.number(found.current),
                    "value": charts.number(target.value),
                    "deadline": formats.date_format(target.deadline, "SHORT_DATE_FORMAT")},
                tone="urgent" if found.status != "at_risk" else "warning"))
    return [Card(key="operator-health", group="operations", title=_("Programme health"),
                 priority=55 if trouble else 30, figures=figures, items=trouble,
                 subtitle=ngettext("%(n)d target needs attention", "%(n)d targets need attention", len(trouble))
                 % {"n": len(trouble)} if trouble else _("Every target is on track."),
                 actions=[Action(_("Impact"), reverse("impact:public")), Action(_("Targets"), reverse("impact:targets"))])]


def university_cards(viewer: Viewer) -> list[Card]:
    """For each university this person administers: its running and coming cohorts (one query) and its
    students' cohort outcomes — enrolled, certified, placed (one query). An unverified university
    gets what it can do until an operator verifies it: nothing in its students' name."""
    universities = viewer.admin_of(OrganizationKind.UNIVERSITY)
    if not universities:
        return []
    def invite(org: object) -> Action:  # unverified_cards types its organizations as object
        assert isinstance(org, Organization)  # one of `universities`
        return Action(_("Invite members"), reverse("core:organization_detail", args=[org.slug]))

    cards = unverified_cards(
        universities, key="university", group="university",
        subtitle=_("Not verified yet. Once a programme operator has verified it, you offer course runs, "
                   "issue certification vouchers and follow your students' certificates and placements."),
        action=invite)
    verified = [org for org in universities if org.is_verified]
    if not verified:
        return cards
    now = timezone.now()
    runs = list(CourseRun.objects.filter(university__in=verified, ends_at__gt=now).select_related("course", "university")
                .annotate(students=academy_selectors.student_counts()).order_by("starts_at", "pk")[:RUNS])
    outcomes = selectors.university_outcomes(universities=[org.pk for org in verified])
    students = sum(o.students for o in outcomes)
    certified = sum(o.certified for o in outcomes)
    placed = sum(o.placed for o in outcomes)

    def share(n: int) -> str:
        return f"{charts.number(n)} ({round(100 * n / students)}%)" if students else charts.number(n)

    items = []
    for run in runs:
        state = _("running") if run.starts_at <= now else _("starts %(date)s") % {
            "date": formats.date_format(timezone.localtime(run.starts_at), "SHORT_DATE_FORMAT")}
        meta = ngettext("%(n)d student", "%(n)d students", run.students) % {"n": run.students}
        items.append(Item(text=run.course.title, url=reverse("academy:cohort", args=[run.pk]),
                          meta=f"{run.cohort} · {meta} · {state}"))
    first = verified[0]
    names = ", ".join(org.name for org in verified)
    cards.append(Card(
        key="university-outcomes", group="university", title=_("Your students' outcomes"), priority=36,
        subtitle=names, figures=[Figure(_("Students enrolled"), charts.number(students)),
                                 Figure(_("Certified"), share(certified)), Figure(_("Placed"), share(placed))],
        actions=[Action(_("Students and placements"), reverse("talent:students", args=[first.slug]), primary=True),
                 Action(_("Certification vouchers"), reverse("academy:vouchers"))]))
    cards.append(Card(
        key="university-cohorts", group="university", title=_("Cohorts at your university"), priority=35,
        subtitle=names, items=items, empty=_("No course run is running or coming at your university."),
        more_url=reverse("academy:teaching"), more_label=_("All cohorts")))
    return cards


def register() -> None:
    from forward.core import home

    home.register("impact.operator", operator_cards)
    home.register("impact.university", university_cards)
