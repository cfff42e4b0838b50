"""Ventures' card on the home page (core.home): what waits for a founder, an investor, a judge or
programme staff (the ventures home's own list, `todo.waiting_for`), with an investor's pipeline in
figures. A fixed number of queries."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from forward.core.home import Action, Card, Figure, Item, Viewer
from forward.core.models import OrganizationKind

from . import todo
from .models import Deal, DealStage

VENTURE_KINDS = (OrganizationKind.INVESTOR, OrganizationKind.STARTUP, OrganizationKind.INNOVATION_CENTRE)


def cards(viewer: Viewer) -> list[Card]:
    in_ventures = [org for org in viewer.organizations() if org.kind in VENTURE_KINDS]
    waiting = [] if viewer.is_operator and not in_ventures else todo.waiting_for(viewer.user)
    if not in_ventures and not waiting:
        return []
    investors = viewer.acting(OrganizationKind.INVESTOR, verified=True)
    startups = viewer.acting(OrganizationKind.STARTUP)
    figures, actions = [], []
    if investors:
        counts = dict(Deal.objects.filter(investor__in=investors).order_by().values_list("stage")
                      .annotate(n=Count("pk")).values_list("stage", "n"))
        live = sum(n for stage, n in counts.items() if stage not in (DealStage.PASSED, DealStage.INVESTED))
        figures = [Figure(_("In the pipeline"), str(live), reverse("ventures:pipeline")),
                   Figure(_("Due diligence"), str(counts.get(DealStage.DUE_DILIGENCE, 0))),
                   Figure(_("Term sheets"), str(counts.get(DealStage.TERM_SHEET, 0))),
                   Figure(_("Invested"), str(counts.get(DealStage.INVESTED, 0)))]
        actions += [Action(_("Pipeline"), reverse("ventures:pipeline"), primary=True),
                    Action(_("Find startups"), reverse("ventures:startup_list"))]
    if startups:
        actions.append(Action(_("My startup"), reverse("ventures:my_startup"), primary=not investors))
    actions += [Action(_("Introductions"), reverse("ventures:intro_list")),
                Action(_("Events"), reverse("ventures:event_list"))]
    subtitle = ""
    unverified = [org.name for org in viewer.acting(OrganizationKind.INVESTOR, verified=False)]
    if unverified:
        subtitle = _("%(orgs)s: not verified yet, so no pipeline or introductions in its name until a programme "
                     "operator has verified it.") % {"orgs": ", ".join(unverified)}
    return [Card(key="ventures", group="ventures", title=_("Waiting for you in ventures"), subtitle=subtitle,
                 priority=50 if waiting else 20, figures=figures,
                 items=[Item(text=w["text"], url=w["url"]) for w in waiting],
                 empty=_("Nothing waits for you right now."), actions=actions,
                 more_url=reverse("ventures:home"), more_label=_("Ventures home"))]


def register() -> None:
    from forward.core import home

    home.register("ventures", cards)
