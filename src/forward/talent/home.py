"""Talent's cards on the home page (core.home): openings recommended for a learner and what their
applications wait for; for employers, openings with new applicants and matching-round deadlines."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forward.core.home import Action, Card, Item, Viewer, unverified_cards
from forward.core.models import Organization, OrganizationKind, Role

from . import recommend, rounds
from .models import Application, MatchRound, Opening, OpeningStatus, Stage

SHOWN = 3
OPENINGS = 5
NEW_DAYS = 7


def _date(when) -> str:
    return formats.date_format(timezone.localtime(when), "SHORT_DATE_FORMAT")


def learner_cards(viewer: Viewer) -> list[Card]:
    """Openings ranked for this person (talent.recommend: a fixed number of queries), and their
    applications that wait for them (an offer to answer, an interview to book: one query). For
    learners: people with no other job here, or students of a university."""
    student = bool(viewer.organizations(kind=OrganizationKind.UNIVERSITY, roles=[Role.MEMBER]))
    if viewer.acts_anywhere and not student:
        return []
    user = viewer.user
    waiting = Application.objects.filter(applicant_id=user.pk).aggregate(
        offers=Count("pk", filter=Q(stage=Stage.OFFER)), interviews=Count("pk", filter=Q(stage=Stage.INTERVIEW)),
        live=Count("pk", filter=Q(stage__in=[Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEW, Stage.OFFER])))
    recommended = recommend.openings_for(user=user, page=1).object_list[:SHOWN]
    items = []
    if waiting["offers"]:
        items.append(Item(text=ngettext("%(n)d offer to answer", "%(n)d offers to answer", waiting["offers"])
                          % {"n": waiting["offers"]}, url=reverse("talent:applications"), tone="urgent"))
    if waiting["interviews"]:
        items.append(Item(text=ngettext("%(n)d application at the interview stage",
                                        "%(n)d applications at the interview stage", waiting["interviews"])
                          % {"n": waiting["interviews"]}, url=reverse("talent:applications"), tone="warning"))
    for rec in recommended:
        opening = rec.opening
        meta = [opening.organization.name, opening.get_kind_display()]
        if opening.deadline:
            meta.append(_("apply by %(date)s") % {"date": _date(opening.deadline)})
        items.append(Item(text=opening.title, url=reverse("talent:opening_detail", args=[opening.uuid]),
                          meta=" · ".join(meta)))
    actions = [Action(_("My applications"), reverse("talent:applications"))] if waiting["live"] else []
    actions.append(Action(_("My profile"), reverse("talent:profile")))
    return [Card(key="learner-openings", group="learning", title=_("Openings for you"),
                 priority=50 if waiting["offers"] else 25, items=items,
                 empty=_("No opening fits you yet: your verified achievements make the match."),
                 more_url=reverse("talent:recommended"), more_label=_("All recommended openings"), actions=actions)]


def employer_cards(viewer: Viewer) -> list[Card]:
    """For the admins and staff of employers: their openings with applications to screen, and the
    matching rounds they rank in with the next deadline. Two queries; an employer not verified yet
    is told what waits for it (drafts only, no applications)."""
    employers = viewer.acting(OrganizationKind.EMPLOYER)
    if not employers:
        return []
    verified = [org for org in employers if org.is_verified]
    def prepare(org: object) -> Action:  # unverified_cards types its organizations as object
        assert isinstance(org, Organization)  # one of `employers`
        return Action(_("Prepare an opening"), reverse("talent:opening_create", args=[org.slug]))

    cards = unverified_cards(
        employers, key="employer", group="hiring",
        subtitle=_("Not verified yet: you may prepare draft openings; publishing and applications start "
                   "once a programme operator has verified the organization."),
        action=prepare)
    if not verified:
        return cards
    now = timezone.now()
    openings = list(
        Opening.objects.filter(organization__in=verified, status=OpeningStatus.OPEN).select_related("organization")
        .annotate(to_screen=Count("applications", filter=Q(applications__stage=Stage.APPLIED)),
                  new=Count("applications", filter=Q(applications__created_at__gte=now - timedelta(days=NEW_DAYS))),
                  total=Count("applications"))
        .order_by("-to_screen", "-new", "-published_at", "-pk")[:OPENINGS])
    to_screen = sum(o.to_screen for o in openings)
    items = []
    for o in openings:
        meta = [ngettext("%(n)d to screen", "%(n)d to screen", o.to_screen) % {"n": o.to_screen},
                ngettext("%(n)d new this week", "%(n)d new this week", o.new) % {"n": o.new},
                ngettext("%(n)d applicant", "%(n)d applicants", o.total) % {"n": o.total}]
        if len(verified) > 1:
            meta.insert(0, o.organization.name)
        items.append(Item(text=o.title, url=reverse("talent:pipeline", args=[o.uuid]), meta=" · ".join(meta),
                          tone="warning" if o.to_screen else ""))
    first = verified[0]
    cards.append(Card(
        key="employer-openings", group="hiring", title=_("Your openings"), priority=50 if to_screen else 25,
        subtitle=ngettext("%(n)d application to screen", "%(n)d applications to screen", to_screen) % {"n": to_screen},
        items=items, empty=_("No open opening. Publish one to meet the talent pool."),
        actions=[Action(_("Post an opening"), reverse("talent:opening_create", args=[first.slug]), primary=True),
                 Action(_("Applications"), reverse("talent:employer_applications", args=[first.slug]))],
        more_url=reverse("talent:employer_home"), more_label=_("All our openings")))
    deadlines = []
    for match_round in (MatchRound.objects.filter(published=True, results_published_at__isnull=True,
                                                  ranking_close__gt=now,
                                                  round_openings__opening__organization__in=verified)
                        .distinct().order_by("ranking_close", "pk")[:SHOWN]):
        phase = rounds.phase_of(match_round, now)
        when = {"applications": match_round.applications_close, "interviews": match_round.interviews_close}.get(
            phase, match_round.ranking_close)
        label = {"applications": _("applications close %(date)s"), "interviews": _("interviews close %(date)s")}.get(
            phase, _("rankings due %(date)s")) % {"date": _date(when)}
        deadlines.append(Item(text=match_round.name, url=reverse("talent:round_detail", args=[match_round.pk]),
                              meta=label, sort=when, tone="urgent" if when - now <= timedelta(days=2) else ""))
    if deadlines:
        cards.append(Card(key="employer-rounds", group="hiring", title=_("Matching rounds"),
                          priority=45 if any(i.tone for i in deadlines) else 22, items=deadlines,
                          more_url=reverse("talent:round_list"), more_label=_("All matching rounds")))
    return cards


def register() -> None:
    from forward.core import home

    home.register("talent.learner", learner_cards)
    home.register("talent.employer", employer_cards)
