"""What each achievement becomes as an Open Badges 3.0 `OpenBadgeCredential` (unsigned).

One `Award` per (recipient, achievement): the plain description an awarding app hands over (who,
what achievement, evidence, issuer, dates, and what it was earned for). Academy and competitions
build them (`academy.awards`, `competitions.awards`) with `achievement` and `alignment`;
`credential_document` turns an award into the JSON-LD document that services sign.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.urls import reverse

from forward.core.models import Organization, User
from forward.vc import ld


@dataclass
class Award:
    recipient: User
    issuer: Organization
    kind: str
    achievement_key: str  # unique per recipient: one achievement, one credential
    achievement: dict[str, Any]  # the OB 3.0 Achievement
    name: str
    detail: str = ""
    evidence: list[dict[str, Any]] = field(default_factory=list)
    credits_earned: Decimal | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    # What it was earned for, as the awarding app names it ("academy.run:42", "academy.holding:7",
    # "competitions.competition:5"; see sources): stored, searchable, never interpreted here.
    source: str = ""
    # Organizations whose admins may see the credential, read-only (a course run's university).
    shared_with: list[Organization] = field(default_factory=list)
    # What the achievement says, as plain data for the apps that read achievements (talent): the
    # skills it backs [{"slug", "name"}], a course's "grade" (0..1) and "designation", a
    # certification's "level" (1 associate .. 3 expert) and "track", a placing's "rank", "teams" and
    # "percentile" (100 = first). Stored beside the signed document, from the same award.
    facts: dict[str, Any] = field(default_factory=dict)


def _url(name: str, *args: object) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def subject_id(user: User) -> str:
    """A stable identifier for the learner that reveals nothing about them."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:subject:{user.pk}".encode()).digest()
    return f"urn:uuid:{uuid.UUID(bytes=digest[:16], version=4)}"


def _identifiers(user: User) -> list[dict[str, Any]]:
    """The learner's name in clear (for the certificate) and a salted hash of their email address,
    so an employer given the address can check it is theirs."""
    salt = hashlib.sha256(f"{settings.SECRET_KEY}:salt:{user.pk}".encode()).hexdigest()[:16]
    email_hash = hashlib.sha256((user.email.lower() + salt).encode()).hexdigest()
    identifiers: list[dict[str, Any]] = [{"type": "IdentityObject", "identityHash": f"sha256${email_hash}", "identityType": "emailAddress",
                    "hashed": True, "salt": salt}]
    if user.display_name:
        identifiers.insert(0, {"type": "IdentityObject", "identityHash": user.display_name, "identityType": "name",
                               "hashed": False})
    return identifiers


def alignment(*, name: str, url: str = "") -> dict[str, Any]:
    """A skill the achievement teaches, as an OB 3.0 `Alignment` to a competency (`url`: where to
    read about it, e.g. the catalogue searched for the skill)."""
    found: dict[str, Any] = {"type": ["Alignment"], "targetName": name, "targetType": "ceasn:Competency"}
    if url:
        found["targetUrl"] = url
    return found


def achievement(*, id: str, kind: str, name: str, description: str, criteria: str, alignments: Iterable[dict[str, Any]] = (),
                credits: Decimal | None = None, language: str = "") -> dict[str, Any]:
    """The OB 3.0 `Achievement` an award describes (`kind`: its achievementType: Course,
    LearningProgram, Certification, Award, ...)."""
    found: dict[str, Any] = {"id": id, "type": ["Achievement"], "achievementType": kind, "name": name,
             "description": description or name, "criteria": {"narrative": criteria}}
    if alignments:
        found["alignment"] = list(alignments)
    if credits:
        found["creditsAvailable"] = _number(credits)
    if language:
        found["inLanguage"] = language
    return found


def _number(value: Decimal | float) -> int | float:
    """Whole numbers as JSON integers: every JSON-LD processor then reads the same literal."""
    return int(value) if float(value).is_integer() else float(value)


def xsd_datetime(value: datetime) -> str:
    return value.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def issuer_profile(organization: Organization, issuer_url: str) -> dict[str, Any]:
    profile: dict[str, Any] = {"id": issuer_url, "type": ["Profile"], "name": organization.name}
    if organization.website:
        profile["url"] = organization.website
    return profile


def image(*, url: str, caption: str = "") -> dict[str, Any]:
    """An OB 3.0 `Image`: the achievement's badge art (a PNG this site serves)."""
    found: dict[str, Any] = {"id": url, "type": "Image"}
    if caption:
        found["caption"] = caption
    return found


def credential_document(*, award: Award, credential_uuid: uuid.UUID, issuer_url: str, status: dict[str, Any],
                        valid_from: datetime, credential_id: str = "",
                        badge: dict[str, Any] | None = None) -> dict[str, Any]:
    """The unsigned credential. `badge`: the achievement's `image` when the awarding app gave it
    none (an uploaded one is kept)."""
    achievement = award.achievement
    if badge and "image" not in achievement:
        achievement = {**achievement, "image": badge}  # a copy: one achievement is shared by many awards
    subject: dict[str, Any] = {"id": subject_id(award.recipient), "type": ["AchievementSubject"],
               "achievement": achievement, "identifier": _identifiers(award.recipient)}
    if award.credits_earned:
        subject["creditsEarned"] = _number(award.credits_earned)
    document: dict[str, Any] = {
        "@context": [ld.VC_V2, ld.OB_V3],
        "id": credential_id or _url("credentials:detail", credential_uuid),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer_profile(award.issuer, issuer_url),
        "name": award.name,
        "validFrom": xsd_datetime(valid_from),
    }
    if award.valid_until:
        document["validUntil"] = xsd_datetime(award.valid_until)
    document["credentialSubject"] = subject
    if award.evidence:
        document["evidence"] = award.evidence
    document["credentialStatus"] = status
    return document
