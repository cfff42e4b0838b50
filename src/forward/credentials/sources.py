"""Where awards come from, without credentials knowing the apps that decide them.

An app that awards credentials in batches (academy for a released course run, competitions for a
finished competition) registers a prefix when it starts (`AppConfig.ready`). A *source* is an
opaque reference the awarding app chooses, `"<prefix>:<id>"` (`"academy.run:42"`); credentials
stores it on each credential and batch, and asks the registered app two things about it: who has
earned what (`awards`) and who may certify it and watch the batch (`can_certify`). The page that
shows a batch also asks the app how to name it (`heading`) and what the link back says.

The dependency points one way: academy and competitions import credentials, never the reverse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from forward.core.models import Organization, User
from forward.core.types import AnyUser

from .documents import Award


@dataclass(frozen=True)
class Source:
    prefix: str
    awards: Callable[[str], list[Award]]  # source -> what its people have earned (issuing skips what exists)
    can_certify: Callable[[User, str], bool]  # may this person certify it and see its batches?
    heading: Callable[[str, str], str] | None = None  # (source, stored title) -> the batch page's heading
    back_label: Callable[[], str] | None = None  # the link back to the source's page, in the viewer's language


_REGISTRY: dict[str, Source] = {}


def register(prefix: str, *, awards: Callable[[str], list[Award]], can_certify: Callable[[User, str], bool],
             heading: Callable[[str, str], str] | None = None, back_label: Callable[[], str] | None = None) -> None:
    """Called once per prefix by the awarding app when it starts (registering again replaces it)."""
    if not prefix or ":" in prefix:
        raise ValueError(f"a source prefix has no colon: {prefix!r}")
    _REGISTRY[prefix] = Source(prefix=prefix, awards=awards, can_certify=can_certify, heading=heading,
                               back_label=back_label)


def source(prefix: str, pk: int | str) -> str:
    """The reference for one thing an app awards for: `source("academy.run", 42)` -> "academy.run:42"."""
    return f"{prefix}:{pk}"


def split(reference: str) -> tuple[str, str]:
    """("academy.run", "42") from "academy.run:42"; ("", "") for anything else."""
    prefix, sep, key = (reference or "").rpartition(":")
    return (prefix, key) if sep and prefix and key else ("", "")


def key_of(reference: str, prefix: str) -> int | None:
    """The integer id in a reference of this prefix, else None."""
    found, key = split(reference)
    return int(key) if found == prefix and key.isdigit() else None


def get(reference: str) -> Source | None:
    """The registered app behind a source, or None (an unknown or removed source)."""
    return _REGISTRY.get(split(reference)[0])


def can_certify(user: AnyUser, reference: str) -> bool:
    found = get(reference)
    return bool(found and user.is_authenticated and found.can_certify(user, reference))


# --- achievements: what an organization awards, for its badge art page ------------------------------

@dataclass(frozen=True)
class Achievement:
    """One achievement an organization issues, as its awarding app describes it: `id` is the Open
    Badges achievement id without the fragment (what badge art is keyed by), `kind` and `facts` draw
    the generated badge, `url` is the site path where the organization manages it."""

    id: str
    kind: str
    name: str
    facts: dict[str, Any]
    url: str = ""


_ACHIEVEMENTS: dict[str, Callable[[Organization], list[Achievement]]] = {}


def register_achievements(name: str, lister: Callable[[Organization], list[Achievement]]) -> None:
    """Called by an awarding app when it starts: `lister(organization)` names what it issues, in a
    constant number of queries."""
    _ACHIEVEMENTS[name] = lister


def achievements(organization: Organization) -> list[Achievement]:
    """Everything this organization issues, from every registered app (by name within each app)."""
    found: list[Achievement] = []
    for name in sorted(_ACHIEVEMENTS):
        found.extend(_ACHIEVEMENTS[name](organization))
    return found
