"""Discussions' card on the home page (core.home): for operators, the reports waiting in every
board's moderation queue (/discussions/moderation/). Two queries at most, however many reports."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forward.core.home import Action, Card, Viewer, register

from .models import Report

SHOWN = 5


def operator_cards(viewer: Viewer) -> list[Card]:
    if not viewer.is_operator:
        return []
    open_reports = Report.objects.filter(resolved_at__isnull=True)
    waiting = list(open_reports.values_list("pk", flat=True)[:SHOWN])
    total = len(waiting) if len(waiting) < SHOWN else open_reports.count()
    return [Card(key="operator-reports", group="operations", title=_("Reported posts"),
                 priority=50 if total else 5,
                 subtitle=ngettext("%(n)d report waits for a moderator", "%(n)d reports wait for a moderator",
                                   total) % {"n": total},
                 empty="" if total else _("No report is waiting."),
                 actions=[Action(_("Moderation queue"), reverse("discussions:moderation_all"), primary=bool(total))])]


def register_cards() -> None:
    register("discussions.operator", operator_cards)
