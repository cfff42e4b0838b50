"""Reads that pages, the API and the command line share: resolving this site's keys and status
lists for the verifier, wallets, and what an issuer has issued."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Max, Q, QuerySet
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from forward.core.models import Organization, User
from forward.vc import statuslist, verify
from forward.vc.verify import PublicKey, Report

from . import badge_art, badge_files, keys, permissions, sources
from .models import BadgeArt, Credential, CredentialQuerySet, IssuanceBatch, SigningKey, StatusList

_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}")
_KEY_URL = re.compile(r"^(?P<issuer>.+)/keys/(?P<token>[0-9a-f]+)-(?P<alg>rs256|ed25519)$")


@lru_cache(maxsize=8)
def _issuer_prefix(site_url: str) -> str:
    return site_url + reverse("credentials:issuer", args=["SLUG"]).rsplit("SLUG", 1)[0]


_KEYS: dict[str, PublicKey] = {}
_CONTROLLERS: dict[str, dict[str, Any]] = {}


def _own_slug(issuer_url: str) -> str | None:
    """The organization slug of one of this site's issuer URLs; None for anything else."""
    prefix = _issuer_prefix(settings.SITE_URL)
    if not issuer_url.startswith(prefix):
        return None
    slug = issuer_url[len(prefix):]
    return slug if _SLUG.fullmatch(slug) else None  # a crafted id (a NUL would be a database error on PostgreSQL)


def resolve_key(kid: str) -> PublicKey | None:
    """A key this site publishes, by its URL (retired keys included), read from the document that
    URL serves (an Ed25519 key's Multikey document names its controller); None for anything else.
    Public keys never change, so each process remembers the ones it has seen."""
    found = _KEYS.get(kid)
    if found is not None:
        return found
    match = _KEY_URL.match(kid or "")
    if match is None:
        return None
    slug = _own_slug(match["issuer"])
    if slug is None:
        return None
    key = SigningKey.objects.select_related("organization").filter(
        token=match["token"], organization__slug=slug).first()
    if key is None:
        return None
    if match["alg"] == "rs256":  # a JWK: the key of the VC-JWTs, which name their issuer in `iss`
        found = PublicKey(id=kid, controller=keys.issuer_id(key.organization), key=keys.rsa_public(key))
    else:
        found = verify.keys_from_document(keys.multikey_document(key)).get(kid)
    # A key this process has not seen may be new since it read the controller's document: read it again.
    _CONTROLLERS.pop(keys.issuer_id(key.organization), None)
    if found is not None and len(_KEYS) < 10_000:
        _KEYS[kid] = found
    return found


def resolve_controller(url: str) -> dict[str, Any] | None:
    """The controller document (issuer profile) this site serves at `url`, as a verifier would
    fetch it; None for anything else. Remembered per process: an issuer's document only ever gains
    keys, and resolve_key forgets it when it meets a key it has not seen."""
    found = _CONTROLLERS.get(url)
    if found is not None:
        return found
    slug = _own_slug(url or "")
    organization = Organization.objects.filter(slug=slug).first() if slug else None
    if organization is None or not SigningKey.objects.filter(organization=organization).exists():
        return None
    found = keys.controller_document(organization)
    if len(_CONTROLLERS) < 10_000:
        _CONTROLLERS[url] = found
    return found


_STATUS_URL = re.compile(r"^(?P<slug>[-a-zA-Z0-9_]{1,100})/(?P<number>[0-9]{1,9})$")


@lru_cache(maxsize=8)
def _status_prefix(site_url: str) -> str:
    return site_url + reverse("credentials:status_list", args=["SLUG", 1]).rsplit("SLUG", 1)[0]


def _status_match(url: str) -> re.Match[str] | None:
    prefix = _status_prefix(settings.SITE_URL)
    if not (url or "").startswith(prefix):
        return None
    return _STATUS_URL.match(url[len(prefix):])


_BITS: dict[tuple[int, int], statuslist.BitString] = {}
_LISTS: dict[tuple[str, int], tuple[int, int]] = {}
_COUNTS: dict[int, tuple[int, float]] = {}
STATUS_TTL = 1.0  # seconds a process trusts the revocation count it last read (a verifier's cache)


def forget_status(status_list_id: int) -> None:
    """Read this list's revocation count afresh next time (after a revocation; on a credential's
    own page, which must never lag)."""
    _COUNTS.pop(status_list_id, None)


def resolve_status(url: str) -> statuslist.BitString | None:
    """This site's status lists, from the database (the published list is made from the same
    rows); None for a list this site does not hold. The revoked positions are cached per list and
    revocation count; the count is re-read when it is older than STATUS_TTL (the process that
    revokes, and a credential's own page, read it at once)."""
    match = _status_match(url)
    if not match:
        return None
    name = (match["slug"], int(match["number"]))
    return _bits_for(name, retry=True)


def _bits_for(name: tuple[str, int], retry: bool) -> statuslist.BitString | None:
    known = _LISTS.get(name)
    if known is None:
        row = StatusList.objects.filter(organization__slug=name[0], number=name[1]).values_list("pk", "size").first()
        if row is None:
            return None
        known = _LISTS[name] = row
    pk, size = known
    count = _COUNTS.get(pk)
    now = time.monotonic()
    if count is None or now - count[1] >= STATUS_TTL:
        with connection.cursor() as cursor:  # the hot path of verification: no ORM overhead
            cursor.execute(f"SELECT revocations FROM {StatusList._meta.db_table} WHERE id = %s", [pk])  # noqa: S608
            found = cursor.fetchone()
        if found is None:
            _LISTS.pop(name, None)
            return _bits_for(name, retry=False) if retry else None
        count = _COUNTS[pk] = (found[0], now)
    revocations = count[0]
    bits = _BITS.get((pk, revocations))
    if bits is None:
        bits = revoked_bits(status_list_id=pk, size=size)
        if len(_BITS) > 256:
            _BITS.clear()
        _BITS[(pk, revocations)] = bits
    return bits


def revoked_bits(*, status_list_id: int, size: int) -> statuslist.BitString:
    """A status list's bits as its credentials' rows say: set for every revoked one."""
    bits = statuslist.BitString(size)
    for index in Credential.objects.filter(status_list_id=status_list_id, revoked_at__isnull=False).values_list(
            "status_index", flat=True):
        bits.set(index, True)
    return bits


def clear_caches() -> None:
    """Forget cached keys and status lists (tests roll the database back between cases; in
    production neither is ever deleted, so the caches never need clearing)."""
    _KEYS.clear()
    _CONTROLLERS.clear()
    _LISTS.clear()
    _BITS.clear()
    _COUNTS.clear()


def verify_data(data: object, *, now: datetime | None = None) -> Report:
    """Verify a credential given as a JWT, JSON text or a dict, against this site's keys and lists."""
    return verify.verify_credential(data, resolve_key=resolve_key, resolve_status=resolve_status,
                                    resolve_controller=resolve_controller, now=now or timezone.now(),
                                    translate=gettext, format_date=local_date)


def local_date(value: datetime) -> str:
    """A date as the active language writes it ("Sept. 3, 2026", "2026年9月3日"), in the viewer's time zone."""
    return formats.date_format(timezone.localtime(value), "DATE_FORMAT")


def verify_stored(credential: Credential, *, now: datetime | None = None) -> Report:
    """What the public page shows: the signed JSON's proof, checked like anyone else's, against the
    current revocation count."""
    forget_status(credential.status_list_id)
    return verify_data(credential.document, now=now)


# --- badge art ---------------------------------------------------------------------------------------

def badge_of(*, kind: str, name: str, facts: dict[str, Any], achievement_id: str = "") -> badge_art.Badge:
    """The badge of an achievement, as the credential says it: in the site's language (like the
    credential itself, whoever looks), coloured by the achievement (its id without the fragment
    that tells a course's tiers apart), so every holder's badge of one course looks alike."""
    with translation.override(settings.LANGUAGE_CODE):
        return badge_art.badge_for(kind=kind, title=name, facts=facts,
                                   scheme_key=achievement_base(achievement_id) or name)


def _achievement(document: str) -> dict[str, Any]:
    try:
        found = json.loads(document)["credentialSubject"]["achievement"]
    except (ValueError, KeyError, TypeError):
        return {}
    return found if isinstance(found, dict) else {}


def _achievement_id(document: str) -> str:
    found = _achievement(document).get("id")
    return found if isinstance(found, str) else ""


def achievement_base(achievement_id: str) -> str:
    """What badge art is keyed by: the achievement id without the fragment that tells a course's
    certificates (or a competition's placings) apart."""
    return (achievement_id or "").split("#", 1)[0]


def uploaded_art(*, organization: Organization) -> dict[str, str]:
    """This issuer's uploaded badge art: achievement id (no fragment) -> the files' digest."""
    return dict(BadgeArt.objects.filter(organization=organization).values_list("achievement_id", "digest"))


def uploaded_digest(credential: Credential) -> str | None:
    """The uploaded art a credential's signed document names as its achievement's image, if any:
    pages show what the document says, so credentials issued before an upload (or after its
    removal) keep the generated badge."""
    image = _achievement(credential.document).get("image")
    found = badge_files.digest_of(image.get("id") if isinstance(image, dict) else image)
    return found if found and badge_files.exists(found) else None


def badge_src(credential: Credential, *, small: bool = False) -> str:
    """The site path of the picture that pages show for this credential's badge."""
    digest = uploaded_digest(credential)
    if digest:
        return badge_files.path(digest, badge_files.SMALL if small else badge_files.FULL)
    return reverse("credentials:badge_svg", args=[credential.uuid])


@dataclass(frozen=True)
class IssuerBadge:
    """One achievement on an issuer's badge art page: the generated badge's design and the upload, if any."""

    achievement: sources.Achievement
    generated: badge_art.Badge
    digest: str  # "" when the generated badge is used


def issuer_badges(*, organization: Organization) -> list[IssuerBadge]:
    """What this organization issues, each with its current art (a constant number of queries)."""
    art = uploaded_art(organization=organization)
    return [IssuerBadge(achievement=a, digest=art.get(a.id, ""),
                        generated=badge_of(kind=a.kind, name=a.name, facts=a.facts, achievement_id=a.id))
            for a in sources.achievements(organization)]


def badge(credential: Credential) -> badge_art.Badge:
    """A stored credential's badge (revoked or expired ones keep theirs; their pages say so)."""
    return badge_of(kind=credential.kind, name=credential.name,
                    facts=credential.facts if isinstance(credential.facts, dict) else {},
                    achievement_id=_achievement_id(credential.document))


_DETAIL_UUID = re.compile(r"^(?P<uuid>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/$")


def stored_credential(credential_id: object) -> Credential | None:
    """This site's stored credential whose id (its page's URL) a verified document carries; None
    for anything else."""
    prefix = settings.SITE_URL + reverse("credentials:home")
    if not isinstance(credential_id, str) or not credential_id.startswith(prefix):
        return None
    match = _DETAIL_UUID.match(credential_id[len(prefix):])
    return Credential.objects.filter(uuid=match["uuid"]).first() if match else None


def wallet(*, user: User) -> QuerySet[Credential]:
    return Credential.objects.filter(recipient=user).select_related("issuer").order_by("-issued_at", "-pk")


ISSUED_FILTERS = ("active", "revoked", "expired")


def issued(*, user: User, query: str = "", organization: Organization | None = None,
           state: str = "") -> QuerySet[Credential]:
    """Credentials of the issuers this person manages, and those earned in the course runs of the
    verified universities they administer (whoever issued them), newest first, searchable by
    holder or name, optionally only the active, revoked or expired ones."""
    qs = Credential.objects.filter(
        Q(issuer__in=permissions.issuers_managed(user))
        | Q(pk__in=Credential.shared_with.through.objects.filter(
            organization__in=permissions.universities_overseen(user)).values("credential_id"))).select_related(
        "issuer", "recipient")
    if organization is not None:
        qs = qs.filter(issuer=organization)
    if query:
        qs = qs.filter(Q(recipient__email__icontains=query) | Q(recipient__name__icontains=query)
                       | Q(name__icontains=query))
    now = timezone.now()
    if state == "revoked":
        qs = qs.filter(revoked_at__isnull=False)
    elif state == "expired":
        qs = qs.filter(revoked_at__isnull=True, valid_until__lte=now)
    elif state == "active":
        qs = qs.current(now)
    return qs.order_by("-issued_at", "-pk")


def batches(*, user: User) -> QuerySet[IssuanceBatch]:
    """Recent batches this person asked for or may see (operators see all)."""
    qs = IssuanceBatch.objects.all()
    if not permissions.is_operator(user):
        qs = qs.filter(requested_by=user)
    return qs.order_by("-created_at")


# --- by source: how the awarding apps (and talent, impact) find credentials -------------------------

def by_source(source: str) -> CredentialQuerySet:
    """The credentials earned for one source ("academy.run:42", "academy.holding:7", ...)."""
    return Credential.objects.filter(source=source)


def for_sources(sources: list[str]) -> CredentialQuerySet:
    return Credential.objects.filter(source__in=list(sources))


def count_for_source(source: str) -> int:
    return by_source(source).count()


def latest_batch(source: str) -> IssuanceBatch | None:
    return IssuanceBatch.objects.filter(source=source).order_by("-created_at", "-pk").first()


def active_for(*, user: User, now: datetime | None = None) -> QuerySet[Credential]:
    """What one person holds now, verified: their unrevoked credentials that have not expired,
    newest first (talent reads `kind`, `name`, `detail` and `facts`)."""
    now = now or timezone.now()
    return (Credential.objects.current(now).filter(recipient=user)
            .select_related("issuer").order_by("-issued_at", "-pk"))


# --- holdings: what people hold, for the apps that read achievements (talent) ----------------------

@dataclass(frozen=True)
class Holding:
    """One unrevoked credential as plain data: what it is, who issued it, and where anyone can verify it."""

    user_id: int
    uuid: str
    kind: str
    name: str
    detail: str
    facts: dict[str, Any]
    issuer_name: str
    issuer_slug: str
    valid_from: datetime
    valid_until: datetime | None
    issued_at: datetime
    verify_url: str
    expired: bool


def holdings(*, user_ids: Iterable[int | str], now: datetime | None = None) -> list[Holding]:
    """The unrevoked credentials of these people (revoked ones are never returned; expired ones are,
    flagged `expired`), newest first per person. One query, whatever the number of people or credentials."""
    ids = sorted({int(pk) for pk in user_ids})
    if not ids:
        return []
    now = now or timezone.now()
    prefix = settings.SITE_URL + reverse("credentials:detail", args=["00000000-0000-0000-0000-000000000000"])
    prefix, suffix = prefix.split("00000000-0000-0000-0000-000000000000")
    rows = Credential.objects.filter(recipient_id__in=ids, revoked_at__isnull=True).order_by(
        "recipient_id", "-issued_at", "-pk").values_list(
        "recipient_id", "uuid", "kind", "name", "detail", "facts", "issuer__name", "issuer__slug", "valid_from",
        "valid_until", "issued_at")
    return [Holding(user_id=r[0], uuid=str(r[1]), kind=r[2], name=r[3], detail=r[4],
                    facts=r[5] if isinstance(r[5], dict) else {}, issuer_name=r[6], issuer_slug=r[7],
                    valid_from=r[8], valid_until=r[9], issued_at=r[10], verify_url=f"{prefix}{r[1]}{suffix}",
                    expired=r[9] is not None and r[9] <= now) for r in rows]


# --- for talent recommendations: what people hold now ------------------------------------------------

def current_holdings(*, user_ids: Iterable[int] | QuerySet[Any, Any],  # ids, or a subquery of them
                     now: datetime | None = None) -> list[tuple[int, str, str, str, dict[str, Any]]]:
    """(recipient id, uuid, kind, name, facts) of these people's unrevoked, unexpired credentials,
    oldest first. One query, whatever the number of people (pass a queryset of ids for many)."""
    now = now or timezone.now()
    rows = Credential.objects.current(now).filter(recipient_id__in=user_ids).order_by(
        "recipient_id", "issued_at", "pk").values_list("recipient_id", "uuid", "kind", "name", "facts")
    return [(r[0], str(r[1]), r[2], r[3], r[4] if isinstance(r[4], dict) else {}) for r in rows]


# --- for talent: who lost a credential to expiry ------------------------------------------------------

def expired_between(*, start: datetime, end: datetime, after: int = 0, limit: int = 2000) -> list[tuple[int, datetime]]:
    """(recipient id, latest valid_until in the window) of the people whose unrevoked credentials
    expired in (start, end], by recipient id, `limit` people from the first id above `after` (page
    on by passing the last id). One query per page; revoked credentials are left out (revoking
    tells talent itself, through holdings_changed)."""
    rows = (Credential.objects.filter(revoked_at__isnull=True, valid_until__gt=start, valid_until__lte=end,
                                      recipient_id__gt=after)
            .values("recipient_id").annotate(latest=Max("valid_until")).order_by("recipient_id")
            .values_list("recipient_id", "latest"))
    return list(rows[:limit])


# --- impact: plain rows for the impact app's rollups (constant queries, streamed) -------------------

def impact_credentials(*, users: Iterable[int] | None = None,
                       kinds: Iterable[str] | None = None) -> Iterator[tuple[Any, ...]]:
    """(recipient id, kind, source, UTC day valid from, recipient's country, issuer's country, revoked?) of
    every credential (revoked ones too: a revoked credential takes away the achievement it stands
    for), or of these recipients', or of these kinds. Streamed."""
    rows = Credential.objects.order_by()
    if kinds is not None:
        rows = rows.filter(kind__in=list(kinds))
    if users is not None:
        rows = rows.filter(recipient_id__in=list(users))
    return rows.values_list("recipient_id", "kind", "source", TruncDate("valid_from", tzinfo=UTC), "recipient__country",
                            "issuer__country",
                            ExpressionWrapper(Q(revoked_at__isnull=False), output_field=BooleanField()),
                            ).iterator(chunk_size=5000)


def impact_recipients(*, since: datetime, until: datetime) -> set[int]:
    """People with a credential issued or revoked in [since, until) (whatever day it is valid from)."""
    return set(Credential.objects.filter(Q(issued_at__gte=since, issued_at__lt=until)
                                         | Q(revoked_at__gte=since, revoked_at__lt=until))
               .order_by().values_list("recipient_id", flat=True).distinct())
