"""Credentials' card on the home page (core.home): the person's latest credentials."""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from forward.core.home import Card, Item, Viewer

from . import selectors

SHOWN = 3


def learner_cards(viewer: Viewer) -> list[Card]:
    """The latest credentials, with their state (one query). Nothing for someone whose job here is
    elsewhere and who holds none."""
    now = timezone.now()
    latest = list(selectors.wallet(user=viewer.user).defer("document", "jwt", "facts")[:SHOWN])
    if not latest and viewer.acts_anywhere:
        return []
    items = []
    for credential in latest:
        if credential.revoked_at:
            state, tone = _("revoked"), "urgent"
        elif credential.valid_until and credential.valid_until <= now:
            state, tone = _("expired"), "warning"
        else:
            state, tone = _("issued %(date)s") % {
                "date": formats.date_format(timezone.localtime(credential.issued_at), "SHORT_DATE_FORMAT")}, ""
        items.append(Item(text=credential.name, url=reverse("credentials:detail", args=[credential.uuid]),
                          meta=f"{credential.get_kind_display()} · {credential.issuer.name} · {state}", tone=tone))
    return [Card(key="learner-credentials", group="learning", title=_("Your credentials"), priority=20, items=items,
                 empty=_("Finish a course, pass a certification exam or place in a competition: your verifiable "
                         "certificates appear here."),
                 more_url=reverse("credentials:home") if latest else "", more_label=_("All my credentials"))]


def register() -> None:
    from forward.core import home

    home.register("credentials.learner", learner_cards)
