"""Who may do what on a discussion board. The one place these rules live.

Who reads, posts and moderates a board is the owning app's rule (boards.py: a public course's board
is open to everyone and posting needs an account; a run's board is for its cohort, instructors and
university admins; a competition's for everyone to read and its participants to post); operators
read and moderate everywhere. The rest is here.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from forward.core.permissions import is_operator
from forward.core.types import AnyUser

from .boards import Access
from .models import Reply, Thread


def can_see_thread(access: Access | None, thread: Thread) -> bool:
    """A hidden thread is seen by the board's moderators only."""
    return bool(access and access.read and (not thread.hidden or access.moderate))


def can_reply(access: Access, thread: Thread) -> bool:
    """A locked thread takes replies from its moderators only (a closing note)."""
    return can_see_thread(access, thread) and access.post and (not thread.locked or access.moderate)


def can_vote(user: AnyUser, access: Access, post: Thread | Reply) -> bool:
    """Those who may post upvote others' visible posts."""
    return access.post and not post.hidden and post.author_id != user.pk


def can_follow(user: AnyUser, access: Access) -> bool:
    return bool(user.is_authenticated and access.read)


def can_report(user: AnyUser, access: Access, post: Thread | Reply) -> bool:
    return bool(user.is_authenticated and access.read and post.author_id != user.pk)


def edit_deadline(post: Thread | Reply) -> datetime:
    return post.created_at + timedelta(hours=settings.FORWARD_DISCUSSION_EDIT_HOURS)


def can_edit(user: AnyUser, access: Access, thread: Thread, post: Thread | Reply, *,
             now: datetime | None = None) -> bool:
    """Authors edit their own visible posts for a while (FORWARD_DISCUSSION_EDIT_HOURS), while the
    thread is open and they may still post there."""
    return bool(user.is_authenticated and post.author_id == user.pk and access.post and not post.hidden
                and not thread.hidden and not thread.locked and (now or timezone.now()) < edit_deadline(post))


def can_mark_answer(user: AnyUser, access: Access, thread: Thread) -> bool:
    """The asker or the board's moderators mark which reply answers a question."""
    return bool(thread.is_question and can_see_thread(access, thread)
                and (access.moderate or (access.post and thread.author_id == user.pk)))


def can_moderate_everywhere(user: AnyUser) -> bool:
    """Every board's open reports in one queue: operators."""
    return is_operator(user)


def can_moderate(access: Access | None) -> bool:
    """Pin, lock, hide and restore posts, and resolve reports: the owning organization's staff
    (see boards.py) and operators."""
    return bool(access and access.moderate)
