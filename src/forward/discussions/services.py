"""Every write on the boards: one transaction each; counters move with F(); permission from
permissions.py. Views catch PermissionDenied (404 when the board or thread is not theirs to see)
and ValidationError (a message saying what to fix)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TypedDict

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forward.core.audit import AuditAction
from forward.core.models import User
from forward.core.services import audit

from . import permissions
from .boards import Access, access
from .models import (
    BODY_MAX,
    REASON_MAX,
    TITLE_MAX,
    Board,
    Follow,
    Reply,
    Report,
    Resolution,
    Thread,
    Vote,
)

NEW_ACCOUNT_AGE = timedelta(hours=24)
RATE_WINDOW = timedelta(hours=1)


def board_access(user: User, ref: str) -> Access:
    """The board as this person sees it; PermissionDenied when it does not exist or is not theirs to read."""
    found = access(user, ref)
    if found is None or not found.read:
        raise PermissionDenied
    return found


def thread_access(user: User, thread: Thread) -> Access:
    found = access(user, thread.board.ref)
    if found is None or not permissions.can_see_thread(found, thread):
        raise PermissionDenied
    return found


def _text(value: str, *, limit: int, empty: str, too_long: str) -> str:
    """The text stripped; `empty` and `too_long` are whole sentences (too_long with %(n)d and %(limit)d)."""
    text = (value or "").strip()
    if not text:
        raise ValidationError(empty)
    if len(text) > limit:
        raise ValidationError(too_long % {"n": len(text), "limit": limit})
    return text


def _title(value: str) -> str:
    return _text(value, limit=TITLE_MAX, empty=_("Write the title."),
                 too_long=_("The title is too long: %(n)d characters, at most %(limit)d."))


def _body(value: str) -> str:
    return _text(value, limit=BODY_MAX, empty=_("Write the text."),
                 too_long=_("The text is too long: %(n)d characters, at most %(limit)d."))


def is_new_account(user: User, *, now: datetime | None = None) -> bool:
    from allauth.account.models import EmailAddress

    now = now or timezone.now()
    return user.date_joined > now - NEW_ACCOUNT_AGE or not EmailAddress.objects.filter(
        user=user, verified=True).exists()


def _check_rate(actor: User, board: Access, now: datetime) -> None:
    """New accounts (younger than a day, or without a verified email) post a few times an hour;
    counted in the database, so every web process agrees. Moderators are not limited."""
    if board.moderate or not is_new_account(actor, now=now):
        return
    User.objects.select_for_update().filter(pk=actor.pk).first()  # one post at a time per person
    since = now - RATE_WINDOW
    times = sorted([*Thread.objects.filter(author=actor, created_at__gt=since).values_list("created_at", flat=True),
                    *Reply.objects.filter(author=actor, created_at__gt=since).values_list("created_at", flat=True)])
    limit = settings.FORWARD_DISCUSSION_NEW_ACCOUNT_POSTS_PER_HOUR
    if len(times) >= limit:
        free = timezone.localtime(times[len(times) - limit] + RATE_WINDOW)
        raise ValidationError(
            ngettext("New accounts may post once an hour. You can post again at %(time)s.",
                     "New accounts may post %(limit)d times an hour. You can post again at %(time)s.", limit)
            % {"limit": limit, "time": f"{free:%H:%M} {free.tzname()}"}, code="rate_limited")


def _follow(user: User, thread: Thread) -> None:
    Follow.objects.get_or_create(user=user, thread=thread)


@transaction.atomic
def thread_create(*, actor: User, ref: str, title: str, body: str, is_question: bool = True) -> Thread:
    board_view = board_access(actor, ref)
    if not board_view.post:
        raise PermissionDenied
    title, body = _title(title), _body(body)
    now = timezone.now()
    _check_rate(actor, board_view, now)
    board, _created = Board.objects.get_or_create(ref=ref)
    thread = Thread.objects.create(board=board, author=actor, title=title, body=body, is_question=is_question,
                                   created_at=now, last_activity_at=now)
    _follow(actor, thread)
    return thread


@transaction.atomic
def reply_create(*, actor: User, thread: Thread, body: str) -> Reply:
    board_view = thread_access(actor, thread)
    if not board_view.post:
        raise PermissionDenied
    thread = Thread.objects.select_for_update().select_related("board").get(pk=thread.pk)
    if thread.locked and not board_view.moderate:
        raise ValidationError(_("This thread is locked: it takes no new replies."))
    body = _body(body)
    now = timezone.now()
    _check_rate(actor, board_view, now)
    reply = Reply.objects.create(thread=thread, author=actor, body=body, created_at=now)
    Thread.objects.filter(pk=thread.pk).update(reply_count=F("reply_count") + 1, last_activity_at=now)
    return reply


def _edit_check(actor: User, thread: Thread, post: Thread | Reply) -> None:
    board_view = thread_access(actor, thread)
    if post.author_id != actor.pk:
        raise PermissionDenied
    if not permissions.can_edit(actor, board_view, thread, post):
        raise ValidationError(_("This post can no longer be edited: posts are edited for %(hours)d hours, "
                                "while the thread is open.") % {"hours": settings.FORWARD_DISCUSSION_EDIT_HOURS})


@transaction.atomic
def thread_edit(*, actor: User, thread: Thread, title: str, body: str) -> Thread:
    _edit_check(actor, thread, thread)
    thread.title, thread.body, thread.edited_at = _title(title), _body(body), timezone.now()
    Thread.objects.filter(pk=thread.pk).update(title=thread.title, body=thread.body, edited_at=thread.edited_at)
    return thread


@transaction.atomic
def reply_edit(*, actor: User, reply: Reply, body: str) -> Reply:
    _edit_check(actor, reply.thread, reply)
    reply.body, reply.edited_at = _body(body), timezone.now()
    Reply.objects.filter(pk=reply.pk).update(body=reply.body, edited_at=reply.edited_at)
    return reply


def _post_of(thread: Thread, reply: Reply | None) -> Thread | Reply:
    if reply is not None and reply.thread_id != thread.pk:
        raise ValidationError(_("That reply belongs to another thread."))
    return reply if reply is not None else thread


@transaction.atomic
def vote(*, actor: User, thread: Thread, reply: Reply | None = None, up: bool = True) -> bool:
    """Upvote (or take the vote back). Idempotent: voting twice counts once, so a double click is
    harmless; returns whether anything changed."""
    board_view = thread_access(actor, thread)
    post = _post_of(thread, reply)
    if not board_view.post:
        raise PermissionDenied
    target: dict[str, Thread | Reply] = {"reply": reply} if reply is not None else {"thread": thread}
    model = Reply if reply is not None else Thread
    if not up:
        removed, _detail = Vote.objects.filter(user=actor, **target).delete()
        if removed:
            model.objects.filter(pk=post.pk).update(score=F("score") - 1)
        return bool(removed)
    if not permissions.can_vote(actor, board_view, post):
        raise ValidationError(_("You cannot vote for your own post or a hidden one."))
    try:
        with transaction.atomic():
            Vote.objects.create(user=actor, **target)
    except IntegrityError:
        return False  # the other click got there first
    model.objects.filter(pk=post.pk).update(score=F("score") + 1)
    return True


@transaction.atomic
def answer_mark(*, actor: User, thread: Thread, reply: Reply | None) -> Thread:
    """Mark `reply` as the answer to the question (None: no answer)."""
    board_view = thread_access(actor, thread)
    if not permissions.can_mark_answer(actor, board_view, thread):
        raise PermissionDenied
    if reply is not None:
        _post_of(thread, reply)
        if reply.hidden:
            raise ValidationError(_("A hidden reply cannot be the answer."))
    Thread.objects.filter(pk=thread.pk).update(answer=reply)
    thread.answer = reply
    return thread


class _ThreadChanges(TypedDict, total=False):
    pinned: bool
    locked: bool


@transaction.atomic
def thread_set(*, actor: User, thread: Thread, pinned: bool | None = None, locked: bool | None = None) -> Thread:
    """Pin or unpin, lock or unlock a thread: the board's moderators."""
    if not permissions.can_moderate(thread_access(actor, thread)):
        raise PermissionDenied
    changes: _ThreadChanges = {}
    if pinned is not None:
        changes["pinned"] = pinned
    if locked is not None:
        changes["locked"] = locked
    Thread.objects.filter(pk=thread.pk).update(**changes)
    for name, value in changes.items():
        setattr(thread, name, value)
    audit(actor=actor, action=AuditAction.DISCUSSION_THREAD_SET, target=f"thread:{thread.pk}", **changes)
    return thread


@transaction.atomic
def report_create(*, actor: User, thread: Thread, reply: Reply | None = None, reason: str) -> Report:
    """Ask the moderators to look at a post. Reporting the same post again while the report is open
    changes nothing."""
    board_view = thread_access(actor, thread)
    post = _post_of(thread, reply)
    if not permissions.can_report(actor, board_view, post):
        raise PermissionDenied
    reason = _text(reason, limit=REASON_MAX, empty=_("Write the reason: what is wrong with the post."),
                   too_long=_("The reason is too long: %(n)d characters, at most %(limit)d."))
    existing = Report.objects.filter(user=actor, thread=thread, reply=reply, resolved_at__isnull=True).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Report.objects.create(user=actor, thread=thread, reply=reply, reason=reason)
    except IntegrityError:  # a concurrent report by the same person
        return Report.objects.get(user=actor, thread=thread, reply=reply, resolved_at__isnull=True)


def _resolve(actor: User, reports: QuerySet[Report], resolution: str) -> int:
    return reports.filter(resolved_at__isnull=True).update(resolved_at=timezone.now(), resolved_by=actor,
                                                           resolution=resolution)


@transaction.atomic
def post_hide(*, actor: User, thread: Thread, reply: Reply | None = None, hidden: bool = True) -> int:
    """Hide a post (its open reports are resolved) or restore it: the board's moderators. Returns
    how many reports this resolved."""
    if not permissions.can_moderate(thread_access(actor, thread)):
        raise PermissionDenied
    post = _post_of(thread, reply)
    model = type(post)
    changed = model.objects.filter(pk=post.pk, hidden=not hidden).update(hidden=hidden)
    post.hidden = hidden
    if changed and reply is not None:
        Thread.objects.filter(pk=thread.pk).update(reply_count=F("reply_count") + (-1 if hidden else 1))
        if hidden:
            Thread.objects.filter(pk=thread.pk, answer=reply).update(answer=None)
    resolved = 0
    if hidden:
        reports = Report.objects.filter(reply=reply) if reply is not None else Report.objects.filter(
            thread=thread, reply__isnull=True)
        resolved = _resolve(actor, reports, Resolution.HIDDEN)
    if changed:
        audit(actor=actor, action=AuditAction.DISCUSSION_HIDE if hidden else AuditAction.DISCUSSION_RESTORE,
              target=f"reply:{reply.pk}" if reply is not None else f"thread:{thread.pk}")
    return resolved


@transaction.atomic
def report_dismiss(*, actor: User, report: Report) -> int:
    """Nothing wrong with the post: close every open report of it."""
    if not permissions.can_moderate(thread_access(actor, report.thread)):
        raise PermissionDenied
    reports = Report.objects.filter(reply=report.reply) if report.reply_id else Report.objects.filter(
        thread=report.thread, reply__isnull=True)
    resolved = _resolve(actor, reports, Resolution.DISMISSED)
    if resolved:
        audit(actor=actor, action=AuditAction.DISCUSSION_DISMISS, target=f"report:{report.pk}")
    return resolved


@transaction.atomic
def follow(*, actor: User, thread: Thread, on: bool = True) -> bool:
    """Follow a thread (its new replies come in the digest) or stop. Idempotent."""
    board_view = thread_access(actor, thread)
    if not permissions.can_follow(actor, board_view):
        raise PermissionDenied
    if on:
        _follow_obj, created = Follow.objects.get_or_create(user=actor, thread=thread)
        return created
    removed, _detail = Follow.objects.filter(user=actor, thread=thread).delete()
    return bool(removed)
