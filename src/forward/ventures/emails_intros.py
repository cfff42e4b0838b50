"""Mail about introductions, sent after the change has committed (intros registers these with
transaction.on_commit), each in its reader's preferred language. A decline sends nothing: the asker
sees "not now" in the app only."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from forward.core.models import ACTING_ROLES, Membership, Organization, User

from .models.intros import Introduction, IntroMessage, IntroStatus

MAX_READERS = 10


def _language(user: User) -> str:
    return user.preferred_language or settings.LANGUAGE_CODE


def _acting_people(organization: Organization, *, exclude: int | None = None) -> list[User]:
    members = Membership.objects.filter(organization=organization, role__in=ACTING_ROLES)
    if exclude is not None:
        members = members.exclude(user_id=exclude)
    members = members.select_related("user").order_by("pk")[:MAX_READERS]
    return [m.user for m in members if m.user.email and m.user.is_active]


def _send(readers: list[User], template: str, subject, context: dict) -> int:
    for reader in readers:
        with translation.override(_language(reader)):
            body = render_to_string(template, {**context, "name": reader.display_name})
            EmailMessage(str(subject()), body, None, [reader.email]).send()
    return len(readers)


def _url(introduction: Introduction) -> str:
    return settings.SITE_URL + reverse("ventures:intro_detail", args=[introduction.pk])


def requested(*, introduction_id: int) -> int:
    """To the asked organization's acting members: who asks, their note, where to answer."""
    introduction = Introduction.objects.select_related("asker", "target", "asked_by").filter(
        pk=introduction_id, status=IntroStatus.OPEN).first()
    if introduction is None:
        return 0
    return _send(_acting_people(introduction.target), "ventures/intros/email/requested.txt",
                 lambda: _("%(org)s asks to be introduced to %(target)s") % {
                     "org": introduction.asker.name, "target": introduction.target.name},
                 {"introduction": introduction, "url": _url(introduction)})


def accepted(*, introduction_id: int) -> int:
    """To the person who asked (or, if they have left, the asking side's acting members)."""
    introduction = Introduction.objects.select_related("asker", "target", "asked_by", "answered_by").filter(
        pk=introduction_id, status=IntroStatus.ACCEPTED).first()
    if introduction is None:
        return 0
    asked_by = introduction.asked_by
    readers = [asked_by] if asked_by is not None and asked_by.email else _acting_people(introduction.asker)
    return _send(readers, "ventures/intros/email/accepted.txt",
                 lambda: _("%(org)s accepted your introduction") % {"org": introduction.target.name},
                 {"introduction": introduction, "url": _url(introduction)})


def new_message(*, message_id: int) -> int:
    """To the other side's acting members: who wrote, and where to read it (not the text: the
    thread stays in the app)."""
    message = IntroMessage.objects.select_related("introduction__asker", "introduction__target", "author",
                                                  "organization").filter(pk=message_id).first()
    if message is None:
        return 0
    introduction = message.introduction
    other = introduction.target if message.organization_id == introduction.asker_id else introduction.asker
    return _send(_acting_people(other, exclude=message.author_id), "ventures/intros/email/message.txt",
                 lambda: _("New message from %(org)s") % {"org": message.organization.name},
                 {"introduction": introduction, "message": message, "url": _url(introduction),
                  "author": message.author.display_name if message.author else message.organization.name})
