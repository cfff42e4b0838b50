"""Demo threads, written through the services so counts, answers, votes and follows agree.

Discussions knows no course or competition: the owning apps' demo modules
(`academy/demo_discussions.py`, `competitions/demo_discussions.py`) describe their threads as plain
data, with board references and people by email, and hand them to `load`. Nothing here is random,
and a thread already on its board (same title) is left alone, so loading twice adds nothing.

The services stamp posts with the time they run; the demo then dates each post back to when its
story says it was written (threads over the past weeks, replies hours later). Followers' digest marks
stay at load time, so nobody is mailed the demo's old replies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from forward.core.models import User

from . import services
from .models import Follow, Reply, Thread, Vote


@dataclass(frozen=True)
class DemoReply:
    author: str  # email
    body: str
    hours: float  # after the thread was started
    votes: tuple[str, ...] = ()  # emails of those who upvote it


@dataclass(frozen=True)
class DemoThread:
    ref: str  # the board, e.g. "academy.course:3"
    author: str
    title: str
    body: str
    days_ago: float
    is_question: bool = True
    pinned: bool = False  # pinned by its author, who must moderate the board
    replies: tuple[DemoReply, ...] = ()
    answer: int | None = None  # index of the reply the asker marks as the answer
    votes: tuple[str, ...] = ()
    followers: tuple[str, ...] = field(default=())  # besides the author (who follows by starting it) and repliers


def cast(named, earliest, count: int) -> list[str]:
    """The people of a board's demo threads: the `named` emails first, then the `earliest` others
    (both in a fixed order, so the same people every time), `count` in all."""
    chosen = list(named)
    for email in earliest:
        if email not in chosen:
            chosen.append(email)
    return chosen[:count]


@transaction.atomic
def load(*, threads: list[DemoThread], now=None) -> int:
    """Create the threads not on their boards yet; returns how many were created."""
    now = now or timezone.now()
    emails = {t.author for t in threads} | {e for t in threads for e in (*t.votes, *t.followers)} | {
        e for t in threads for r in t.replies for e in (r.author, *r.votes)}
    people = {u.email: u for u in User.objects.filter(email__in=emails)}
    missing = sorted(emails - people.keys())
    if missing:
        raise ValueError(f"demo threads name people who are not in the demo: {', '.join(missing)}")
    existing = set(Thread.objects.filter(board__ref__in={t.ref for t in threads}).values_list("board__ref", "title"))
    created = 0
    for spec in threads:
        if (spec.ref, spec.title) in existing:
            continue
        _thread(spec, people, now)
        existing.add((spec.ref, spec.title))
        created += 1
    return created


def _thread(spec: DemoThread, people: dict[str, User], now) -> Thread:
    author = people[spec.author]
    started = now - timedelta(days=spec.days_ago)
    thread = services.thread_create(actor=author, ref=spec.ref, title=spec.title, body=spec.body,
                                    is_question=spec.is_question)
    if spec.pinned:
        services.thread_set(actor=author, thread=thread, pinned=True)
    for email in spec.votes:
        services.vote(actor=people[email], thread=thread)
    replies: list[Reply] = []
    for item in spec.replies:
        reply = services.reply_create(actor=people[item.author], thread=thread, body=item.body)
        when = started + timedelta(hours=item.hours)
        for email in item.votes:
            services.vote(actor=people[email], thread=thread, reply=reply)
        Reply.objects.filter(pk=reply.pk).update(created_at=when)
        Vote.objects.filter(reply=reply).update(created_at=when)
        if item.author != spec.author:
            services.follow(actor=people[item.author], thread=thread)
        replies.append(reply)
    for email in spec.followers:
        services.follow(actor=people[email], thread=thread)
    if spec.answer is not None:
        services.answer_mark(actor=author, thread=thread, reply=replies[spec.answer])
    last = max([started, *(started + timedelta(hours=r.hours) for r in spec.replies)])
    Thread.objects.filter(pk=thread.pk).update(created_at=started, last_activity_at=last)
    Vote.objects.filter(thread=thread).update(created_at=started)
    Follow.objects.filter(thread=thread).update(created_at=started)
    return thread
