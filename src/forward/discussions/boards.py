"""What a board is about, without discussions knowing the apps that own the things.

A board belongs to a course, a course run or a competition, named by an opaque reference
`"<prefix>:<id>"` (`"academy.course:12"`, `"academy.run:7"`, `"competitions.competition:3"`). The
owning app registers its prefix when it starts (`AppConfig.ready`) with how to load the thing, its
title and page, and who may read, post and moderate there (the owning organization's staff with an
acting role). Operators read and moderate every board.

Each callable takes the thing once loaded (not the reference), so a page loads the course or
competition once however many questions it asks about it.

The dependency points one way: academy and competitions import discussions, never the reverse.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from forward.core.models import MAX_ID, User
from forward.core.permissions import is_operator
from forward.core.types import AnyUser

PREFIX = re.compile(r"[a-z_]+\.[a-z_]+")


@dataclass(frozen=True)
class Kind:
    prefix: str
    load: Callable[[int], Any]  # id -> the thing, or None (no such thing)
    title: Callable[[Any], str]
    url: Callable[[Any], str]
    can_read: Callable[[AnyUser, Any], bool]  # asked for visitors too
    can_post: Callable[[User, Any], bool]  # asked only for someone signed in, as is_staff
    is_staff: Callable[[User, Any], bool]  # moderates the board: hides posts, pins, locks, resolves reports


@dataclass(frozen=True)
class Access:
    """One person's view of one board: what it is about and what they may do there."""

    ref: str
    title: str
    url: str
    read: bool
    post: bool
    moderate: bool


_REGISTRY: dict[str, Kind] = {}


def register(prefix: str, *, load: Callable[[int], Any], title: Callable[[Any], str], url: Callable[[Any], str],
             can_read: Callable[[AnyUser, Any], bool], can_post: Callable[[User, Any], bool],
             is_staff: Callable[[User, Any], bool]) -> None:
    """Called once per prefix by the owning app when it starts (registering again replaces it)."""
    if not PREFIX.fullmatch(prefix):
        raise ValueError(f"a board prefix is app.thing in lower case: {prefix!r}")
    _REGISTRY[prefix] = Kind(prefix=prefix, load=load, title=title, url=url, can_read=can_read,
                             can_post=can_post, is_staff=is_staff)


def ref(prefix: str, pk: int | str) -> str:
    """`ref("academy.course", 12)` -> "academy.course:12"."""
    return f"{prefix}:{pk}"


def split(reference: str) -> tuple[str, int] | None:
    """("academy.course", 12) from "academy.course:12"; None for anything else."""
    prefix, sep, key = (reference or "").rpartition(":")
    if not sep or not PREFIX.fullmatch(prefix) or not key.isdigit() or not 0 < int(key) <= MAX_ID:
        return None
    return prefix, int(key)


def access(user: AnyUser, reference: str) -> Access | None:
    """What `user` may do on the board; None when no registered app owns such a thing."""
    parts = split(reference)
    kind = _REGISTRY.get(parts[0]) if parts else None
    if parts is None or kind is None:
        return None
    thing = kind.load(parts[1])
    if thing is None:
        return None
    operator = is_operator(user)
    moderate = operator or (user.is_authenticated and kind.is_staff(user, thing))
    read = moderate or kind.can_read(user, thing)
    post = bool(read and user.is_authenticated and user.is_active
                and (moderate or kind.can_post(user, thing)))
    return Access(ref=reference, title=kind.title(thing), url=kind.url(thing), read=read, post=post,
                  moderate=moderate)
