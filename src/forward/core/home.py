"""The home page after sign-in (/dashboard/): cards from every app, without core knowing the apps.

Each capability registers *card providers* when it starts (`AppConfig.ready`, in its own `home.py`).
A provider takes a `Viewer` — the person, their memberships (fetched once here, with their
organizations) and whether they are an operator — and returns zero or more `Card`s built from its
app's selectors. A provider makes a fixed number of queries, however many runs, teams or
applications exist; it offers only actions the person may take.

Core shows the cards grouped by role, the most urgent group and card first. Cards that share a `key`
(e.g. "deadlines" from academy and from competitions) are merged into one, their items in `sort` order.

The dependency points one way: apps import this module, never the reverse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from .models import ACTING_ROLES, Membership, Role, User


@dataclass(frozen=True)
class Item:
    text: str
    url: str = ""
    meta: str = ""  # a short line under the text: "45% complete", "closes 3 Dec"
    progress: int | None = None  # 0..100: drawn as a bar
    tone: str = ""  # "urgent" or "warning": drawn in the matching colour
    sort: object = None  # merged cards order their items by this (a datetime for deadlines)


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    url: str = ""


@dataclass(frozen=True)
class Action:
    label: str
    url: str
    primary: bool = False


@dataclass
class Card:
    key: str  # stable, for tests and merging: "learner-continue"
    group: str  # "learning", "teaching", ... (see GROUPS)
    title: str
    priority: int = 0  # higher first; something waiting for the person adds to it
    subtitle: str = ""
    items: list[Item] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    empty: str = ""  # shown when there are no items
    more_url: str = ""  # "See all" link
    more_label: str = ""


@dataclass
class Viewer:
    user: User
    memberships: list[Membership]
    is_operator: bool

    def organizations(self, *, kind: str | None = None, roles=None, verified: bool | None = None) -> list:
        """The organizations this person belongs to, narrowed by kind, role and verification (no query)."""
        found = []
        for m in self.memberships:
            org = m.organization
            if kind is not None and org.kind != kind:
                continue
            if roles is not None and m.role not in roles:
                continue
            if verified is not None and org.is_verified != verified:
                continue
            found.append(org)
        return found

    def acting(self, kind: str | None = None, *, verified: bool | None = None) -> list:
        return self.organizations(kind=kind, roles=ACTING_ROLES, verified=verified)

    def admin_of(self, kind: str | None = None, *, verified: bool | None = None) -> list:
        return self.organizations(kind=kind, roles=[Role.ADMIN], verified=verified)

    @cached_property
    def acts_anywhere(self) -> bool:
        """Has a job here beyond learning: an acting role somewhere, or operator."""
        return self.is_operator or any(m.role in ACTING_ROLES for m in self.memberships)


Provider = Callable[[Viewer], list[Card]]

_PROVIDERS: dict[str, Provider] = {}
MAX_ITEMS = 6  # a card shows a few things and links to the page with all of them

# Groups in their default order (ties of urgency keep it); labels are translated when shown.
GROUPS = ["operations", "learning", "teaching", "university", "hosting", "hiring", "ventures", "account"]


def register(name: str, provider: Provider) -> None:
    """Called once per provider by an app when it starts (registering the same name again replaces it)."""
    _PROVIDERS[name] = provider


def unverified_cards(organizations, *, key: str, group: str, subtitle: str,
                     action: Callable[[object], Action]) -> list[Card]:
    """A card for each of these organizations that no operator has verified yet: what it may do until
    then (`action`), never anything in its name."""
    return [Card(key=f"{key}-unverified-{org.slug}", group=group, title=org.name, priority=15, subtitle=subtitle,
                 actions=[action(org)]) for org in organizations if not org.is_verified]


def providers() -> dict[str, Provider]:
    return dict(_PROVIDERS)


def _merge(cards: list[Card]) -> list[Card]:
    merged: dict[str, Card] = {}
    for card in cards:
        first = merged.get(card.key)
        if first is None:
            merged[card.key] = card
            continue
        first.items = sorted([*first.items, *card.items], key=lambda item: (item.sort is None, item.sort or 0))
        first.priority = max(first.priority, card.priority)
        first.actions += [a for a in card.actions if a not in first.actions]
    for card in merged.values():
        card.items = card.items[:MAX_ITEMS]
    return list(merged.values())


def cards_for(user: User, *, memberships: list[Membership] | None = None, is_operator: bool = False) -> list[dict]:
    """The groups of cards for this person: [{"key", "cards"}], most urgent first."""
    if memberships is None:
        memberships = list(Membership.objects.filter(user=user).select_related("organization")
                           .order_by("organization__name"))
    viewer = Viewer(user=user, memberships=memberships, is_operator=is_operator)
    cards: list[Card] = []
    for provider in _PROVIDERS.values():
        cards += provider(viewer)
    cards = _merge(cards)
    groups: dict[str, list[Card]] = {}
    for card in sorted(cards, key=lambda c: -c.priority):
        groups.setdefault(card.group, []).append(card)
    order = {name: i for i, name in enumerate(GROUPS)}
    labels = group_labels()
    return [{"key": name, "label": labels.get(name, name), "cards": group} for name, group in sorted(
        groups.items(), key=lambda pair: (-pair[1][0].priority, order.get(pair[0], len(GROUPS))))]


def group_labels() -> dict[str, str]:
    from django.utils.translation import gettext as _

    return {"operations": _("Programme operations"), "learning": _("Your learning"), "teaching": _("Teaching"),
            "university": _("Your university"), "hosting": _("Competitions you host"), "hiring": _("Hiring"),
            "ventures": _("Ventures"), "account": _("Your account")}


def operator_cards(viewer: Viewer) -> list[Card]:
    """Operators: organizations awaiting verification (one query)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from . import selectors

    if not viewer.is_operator:
        return []
    waiting = list(selectors.verification_queue()[:5])
    total = len(waiting) if len(waiting) < 5 else selectors.verification_queue().count()
    items = [Item(text=org.name, url=reverse("core:organization_detail", args=[org.slug]),
                  meta=f"{org.get_kind_display()} · {org.country.name}") for org in waiting]
    return [Card(key="operator-verification", group="operations", title=_("Organizations awaiting verification"),
                 priority=60 if total else 10,
                 subtitle=ngettext("%(n)d waits for a check", "%(n)d wait for a check", total) % {"n": total},
                 items=items, empty=_("Nobody is waiting: every organization has been checked."),
                 actions=[Action(_("Review the queue"), reverse("core:verification_queue"), primary=bool(total))])]
