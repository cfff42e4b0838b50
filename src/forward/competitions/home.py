"""Competitions' cards on the home page (core.home): the competitions a person entered, with their
team's rank and the round's deadline; for hosts, their competitions with the last week's activity."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forward.core.home import Action, Card, Item, Viewer

from . import selectors
from .models import CompetitionStatus

SHOWN = 5
ACTIVITY_DAYS = 7


def _date(when) -> str:
    return formats.date_format(timezone.localtime(when), "SHORT_DATE_FORMAT")


def participant_cards(viewer: Viewer) -> list[Card]:
    """Competitions entered (rank on the public leaderboard of the current round) and their round
    deadlines; someone new gets the competitions open now. Two or three queries."""
    now = timezone.now()
    entered = selectors.home_entries(user=viewer.user, now=now, limit=SHOWN)
    cards = []
    if entered:
        items: list[Item] = []
        deadlines: list[Item] = []
        ends: list[datetime] = []  # of the deadlines' rounds
        for row in entered:
            competition, phase = row["competition"], row["phase"]
            url = reverse("competitions:detail", args=[competition.slug])
            if row["rank"]:
                meta = _("Team %(team)s · rank %(rank)d of %(teams)d") % {
                    "team": row["team"].name, "rank": row["rank"], "teams": row["ranked"]}
            else:
                meta = _("Team %(team)s · no scored submission yet") % {"team": row["team"].name}
            items.append(Item(text=competition.title, url=url, meta=meta))
            if phase is not None and now < phase.ends_at <= now + timedelta(days=30):
                ends.append(phase.ends_at)
                soon = phase.ends_at - now
                deadlines.append(Item(
                    text=f"{competition.title}: {phase.name}", url=reverse("competitions:submissions",
                                                                           args=[competition.slug]),
                    meta=_("submissions close %(date)s") % {"date": _date(phase.ends_at)}, sort=phase.ends_at,
                    tone="urgent" if soon <= timedelta(days=2) else "warning" if soon <= timedelta(days=7) else ""))
        cards.append(Card(key="learner-competitions", group="learning", title=_("Your competitions"), priority=30,
                          items=items, more_url=reverse("competitions:list"), more_label=_("All competitions")))
        if deadlines:
            urgent = min(ends) - now <= timedelta(days=2)
            cards.append(Card(key="deadlines", group="learning", title=_("Coming up"), items=deadlines,
                              priority=55 if urgent else 35))
    elif not viewer.acts_anywhere:
        open_now = selectors.home_open_competitions(now=now, limit=3)
        cards.append(Card(
            key="learner-competitions", group="learning", title=_("Data competitions"), priority=25,
            subtitle=_("Form a team, download the data, submit predictions and climb the leaderboard."),
            items=[Item(text=c.title, url=reverse("competitions:detail", args=[c.slug]), meta=c.host.name)
                   for c in open_now],
            empty=_("No competition is open right now."),
            actions=[Action(_("Browse competitions"), reverse("competitions:list"))]))
    return cards


def host_cards(viewer: Viewer) -> list[Card]:
    """For the admins and staff of hosting organizations: their competitions, with teams and the last
    week's submissions and failures. One query."""
    hosts = viewer.acting()
    if not hosts:
        return []
    now = timezone.now()
    competitions = selectors.home_hosted(hosts=hosts, since=now - timedelta(days=ACTIVITY_DAYS), limit=SHOWN)
    if not competitions:
        return []
    items, active = [], 0
    for c in competitions:
        meta = [ngettext("%(n)d team", "%(n)d teams", c.home_teams) % {"n": c.home_teams},
                ngettext("%(n)d submission this week", "%(n)d submissions this week", c.home_recent)
                % {"n": c.home_recent}]
        if c.home_failed:
            meta.append(ngettext("%(n)d failed", "%(n)d failed", c.home_failed) % {"n": c.home_failed})
        if c.status == CompetitionStatus.DRAFT:
            meta.insert(0, _("draft"))
        active += bool(c.home_recent)
        items.append(Item(text=c.title, url=reverse("competitions:host", args=[c.slug]), meta=" · ".join(meta),
                          tone="warning" if c.home_failed else ""))
    actions = [Action(_("New competition"), reverse("competitions:create"))]
    return [Card(key="host-competitions", group="hosting", title=_("Your competitions"), items=items,
                 priority=40 if active else 20, actions=actions,
                 subtitle=ngettext("%(n)d with activity this week", "%(n)d with activity this week", active)
                 % {"n": active})]


def register() -> None:
    from forward.core import home

    home.register("competitions.participant", participant_cards)
    home.register("competitions.host", host_cards)
