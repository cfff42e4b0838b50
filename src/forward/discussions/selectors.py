"""Reads the pages share: a board's threads, a thread's replies, what the viewer voted for and
follows, and the moderation queue. Each is a fixed number of queries whatever the size."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from forward.core.types import AnyUser

from .models import Board, Follow, Reply, Report, Thread, Vote

REPLIES_PER_PAGE = 20


def board_of(ref: str) -> Board | None:
    return Board.objects.filter(ref=ref).first()


def board_threads(*, board: Board | None, query: str = "", unanswered: bool = False,
                  moderator: bool = False) -> QuerySet[Thread]:
    """Pinned first, then the most recently active; `query` searches titles and the texts of threads
    and their visible replies; `unanswered`: questions without an accepted answer."""
    if board is None:
        return Thread.objects.none()
    threads = Thread.objects.filter(board=board).select_related("author")
    if not moderator:
        threads = threads.filter(hidden=False)
    if query:
        in_replies = Reply.objects.filter(thread=OuterRef("pk"), hidden=False, body__icontains=query)
        threads = threads.filter(Q(title__icontains=query) | Q(body__icontains=query) | Exists(in_replies))
    if unanswered:
        threads = threads.filter(is_question=True, answer__isnull=True)
    return threads.order_by("-pinned", "-last_activity_at", "-pk")


def thread_replies(*, thread: Thread) -> QuerySet[Reply]:
    """Oldest first; hidden replies keep their place (the page shows that they were hidden)."""
    return Reply.objects.filter(thread=thread).select_related("author").order_by("created_at", "pk")


def reply_page(reply: Reply) -> int:
    """The page of its thread a reply is on."""
    before = Reply.objects.filter(thread_id=reply.thread_id).filter(
        Q(created_at__lt=reply.created_at) | Q(created_at=reply.created_at, pk__lt=reply.pk)).count()
    return before // REPLIES_PER_PAGE + 1


def voted(*, user: AnyUser, thread: Thread, replies: list[Reply]) -> tuple[bool, set[int]]:
    """Whether the viewer upvoted the thread, and which of these replies: one query."""
    if not user.is_authenticated:
        return False, set()
    rows = Vote.objects.filter(Q(thread=thread) | Q(reply_id__in=[r.pk for r in replies]), user=user)
    pairs = list(rows.values_list("thread_id", "reply_id"))
    return any(t for t, _r in pairs), {r for _t, r in pairs if r}


def is_following(*, user: AnyUser, thread: Thread) -> bool:
    return user.is_authenticated and Follow.objects.filter(user=user, thread=thread).exists()


def open_reports(*, board: Board | None = None) -> QuerySet[Report]:
    """Reports awaiting a moderator, oldest first, with their posts; one board's or (operators) all."""
    reports = Report.objects.filter(resolved_at__isnull=True).select_related(
        "user", "thread__board", "thread__author", "reply__author")
    if board is not None:
        reports = reports.filter(thread__board=board)
    return reports.order_by("created_at", "pk")


def open_report_count(*, board: Board | None) -> int:
    return open_reports(board=board).count() if board is not None else 0
