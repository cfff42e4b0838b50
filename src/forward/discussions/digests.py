"""Email digests for followers: a periodic task gathers, for each follower, the new replies in the
threads they follow since their last digest, and records them with the follows advanced in one
transaction (so a run that dies, or a second run at the same time, sends nothing twice); each
digest is mailed after commit, once, in its reader's language and time zone."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from forward.core.models import User

from .boards import access
from .models import Digest, Follow, Reply

# Replies younger than this wait for the next run: one written in a transaction still open now
# commits with an earlier time, and would otherwise fall behind the follower's mark.
SETTLE = timedelta(minutes=1)
USERS_PER_RUN = 2000
RESEND_AFTER = timedelta(minutes=15)
EXCERPT = 600


def _new_replies(user_id: int, until: datetime) -> QuerySet[Reply]:
    """The replies to mail this follower: in threads they follow, after their mark, by others, visible."""
    return (Reply.objects.filter(thread__follows__user_id=user_id,
                                 created_at__gt=F("thread__follows__last_digest_at"), created_at__lte=until,
                                 hidden=False, thread__hidden=False)
            .exclude(author_id=user_id).select_related("thread__board").order_by("thread_id", "created_at", "pk"))


def _readable(user: User, replies: list[Reply]) -> list[Reply]:
    """Only boards the follower may still read (an enrolment can end)."""
    allowed = {ref: bool((found := access(user, ref)) and found.read)
               for ref in {r.thread.board.ref for r in replies}}
    return [r for r in replies if allowed[r.thread.board.ref]]


def prepare(*, now: datetime | None = None) -> list[int]:
    """One digest per follower with news; returns the digests made (each queued to be sent)."""
    from . import tasks

    now = now or timezone.now()
    until = now - SETTLE
    _resend_stuck(now)
    news = Reply.objects.filter(thread=OuterRef("thread"), created_at__gt=OuterRef("last_digest_at"),
                                created_at__lte=until)
    user_ids = list(Follow.objects.filter(Exists(news), last_digest_at__lt=until, user__is_active=True)
                    .values_list("user_id", flat=True).distinct().order_by("user_id")[:USERS_PER_RUN])
    made = []
    for user_id in user_ids:
        with transaction.atomic():
            follows = list(Follow.objects.select_for_update().filter(user_id=user_id, last_digest_at__lt=until)
                           .values_list("pk", flat=True))
            if not follows:
                continue  # another run took them
            user = User.objects.get(pk=user_id)
            replies = _readable(user, list(_new_replies(user_id, until)))
            Follow.objects.filter(pk__in=follows).update(last_digest_at=until)
            if not replies:
                continue
            digest = Digest.objects.create(user=user, reply_ids=[r.pk for r in replies], created_at=now)
            transaction.on_commit(partial(tasks.send_digest.delay, digest.pk), robust=True)
            made.append(digest.pk)
    return made


def _resend_stuck(now: datetime) -> None:
    """A digest whose message was lost (a broker restart) is queued again; sending is idempotent."""
    from . import tasks

    for pk in Digest.objects.filter(sent_at__isnull=True, created_at__lt=now - RESEND_AFTER).values_list("pk", flat=True)[:500]:
        tasks.send_digest.delay(pk)


def _thread_url(thread_id: int) -> str:
    return settings.SITE_URL + reverse("discussions:thread", args=[thread_id])


def send(*, digest_id: int) -> bool:
    """Mail one digest unless it was sent already. Replies hidden since it was made are left out."""
    digest = Digest.objects.select_related("user").filter(pk=digest_id, sent_at__isnull=True).first()
    if digest is None or not digest.user.is_active or not digest.user.email:
        return False
    replies = list(Reply.objects.filter(pk__in=digest.reply_ids, hidden=False, thread__hidden=False)
                   .select_related("author", "thread").order_by("thread_id", "created_at", "pk"))
    user = digest.user
    sent = False
    if replies:
        threads: dict[int, dict[str, Any]] = {}  # thread id -> its url, thread and replies, for the template
        for reply in replies:
            entry = threads.setdefault(reply.thread_id, {"thread": reply.thread, "url": _thread_url(reply.thread_id),
                                                         "replies": []})
            text = reply.body if len(reply.body) <= EXCERPT else reply.body[:EXCERPT].rstrip() + " …"
            entry["replies"].append({"reply": reply, "text": text,
                                     "author": reply.author.display_name if reply.author else "—"})
        import zoneinfo

        with translation.override(user.preferred_language or settings.LANGUAGE_CODE), \
                timezone.override(zoneinfo.ZoneInfo(user.time_zone or "UTC")):
            subject = ngettext("%(n)d new reply in discussions you follow",
                               "%(n)d new replies in discussions you follow", len(replies)) % {"n": len(replies)}
            body = render_to_string("discussions/email/digest.txt", {
                "name": user.display_name, "threads": list(threads.values())})
        EmailMessage(subject, body, None, [user.email]).send()
        sent = True
    Digest.objects.filter(pk=digest.pk, sent_at__isnull=True).update(sent_at=timezone.now())
    return sent
