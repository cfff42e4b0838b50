"""Every write about credentials: issue (sign and store, idempotently) what the awarding apps
describe, certify a source (a cohort, a competition) in the background, revoke, publish status
lists, rotate keys. Nothing here knows academy or competitions: they hand over `Award`s, or
register a source (see sources) whose awards a batch issues."""

from __future__ import annotations

import json
import logging
import uuid
from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from forward.core.audit import AuditAction
from forward.core.models import Organization, User
from forward.core.services import audit, audit_each
from forward.vc import di, jose, statuslist

from . import badge_files, documents, keys, permissions, signals, sources
from .documents import Award
from .models import BadgeArt, BatchStatus, Credential, IssuanceBatch, SigningKey, StatusList
from .selectors import achievement_base, badge_of, forget_status, revoked_bits, uploaded_art

log = logging.getLogger(__name__)

CHUNK = 200


def status_list_url(status_list: StatusList, organization: Organization) -> str:
    """The list's address; `organization` is the list's own, which every caller has at hand (no query)."""
    return settings.SITE_URL + reverse("credentials:status_list", args=[organization.slug, status_list.number])


def _allocate(organization: Organization, count: int) -> list[tuple[StatusList, int]]:
    """`count` fresh status-list positions for this issuer, in order; a full list is followed by a
    new one. Positions are never handed out twice (a failed issue leaves a harmless gap)."""
    slots: list[tuple[StatusList, int]] = []
    with transaction.atomic():
        current = (StatusList.objects.select_for_update().filter(organization=organization)
                   .order_by("-number").first())
        while len(slots) < count:
            if current is None or current.next_index >= current.size:
                current = StatusList.objects.create(organization=organization,
                                                    number=(current.number + 1) if current else 1)
                # Signed before any credential names it: a verifier's GET only serves what is stored.
                publish_status_list(status_list=current)
            take = min(count - len(slots), current.size - current.next_index)
            slots.extend((current, current.next_index + i) for i in range(take))
            current.next_index += take
            StatusList.objects.filter(pk=current.pk).update(next_index=current.next_index)
    return slots


class _Urls:
    """The URLs every credential of one issuer repeats, reversed once per batch."""

    def __init__(self, organization: Organization, signing: SigningKey):
        self.issuer = keys.issuer_id(organization)
        self.rsa_kid = keys.rsa_kid(signing, organization)
        self.ed25519_kid = keys.ed25519_kid(signing, organization)
        marker = uuid.UUID(int=0)
        self._detail = settings.SITE_URL + reverse("credentials:detail", args=[marker])
        self._badge = settings.SITE_URL + reverse("credentials:badge_png", args=[marker])
        self._marker = str(marker)
        self._lists: dict[int, str] = {}
        self.organization = organization
        self.art = uploaded_art(organization=organization)  # achievement id (no fragment) -> digest

    def detail(self, credential_uuid: uuid.UUID) -> str:
        return self._detail.replace(self._marker, str(credential_uuid))

    def badge(self, credential_uuid: uuid.UUID) -> str:
        return self._badge.replace(self._marker, str(credential_uuid))

    def status_list(self, status_list: StatusList) -> str:
        found = self._lists.get(status_list.pk)
        if found is None:
            found = self._lists[status_list.pk] = status_list_url(status_list, self.organization)
        return found


def _sign(award: Award, *, slot: tuple[StatusList, int], signing: SigningKey, private: keys.PrivateKeys, urls: _Urls,
          now: datetime) -> Credential:
    status_list, index = slot
    credential_uuid = uuid.uuid4()
    valid_from = (award.valid_from or now).replace(microsecond=0)  # as the document says it
    if award.valid_until:
        award.valid_until = award.valid_until.replace(microsecond=0)
    achievement_id = str(award.achievement.get("id", ""))
    caption = badge_of(kind=award.kind, name=award.name[:300], facts=award.facts,
                       achievement_id=achievement_id).caption
    uploaded = urls.art.get(achievement_base(achievement_id))
    # The issuer's uploaded art (its content-addressed URL, so this credential keeps showing it
    # whatever is uploaded later), else the generated badge at the credential's own URL.
    image_url = badge_files.url(uploaded) if uploaded else urls.badge(credential_uuid)
    unsigned = documents.credential_document(
        award=award, credential_uuid=credential_uuid, issuer_url=urls.issuer, valid_from=valid_from,
        status=statuslist.status_entry(list_url=urls.status_list(status_list), index=index),
        credential_id=urls.detail(credential_uuid), badge=documents.image(url=image_url, caption=caption))
    signed = di.sign(unsigned, private_key=private.ed25519, verification_method=urls.ed25519_kid,
                     created=documents.xsd_datetime(now))
    token = jose.encode_vc_jwt(unsigned, private_key=private.rsa, kid=urls.rsa_kid)
    return Credential(
        uuid=credential_uuid, recipient=award.recipient, issuer=award.issuer, kind=award.kind,
        achievement_key=award.achievement_key, name=award.name[:300], detail=award.detail[:300],
        valid_from=valid_from, valid_until=award.valid_until, issued_at=now, key=signing,
        status_list=status_list, status_index=index,
        document=json.dumps(signed, ensure_ascii=False, separators=(",", ":")), jwt=token, source=award.source,
        facts=award.facts)


def issue(awards: list[Award]) -> list[Credential]:
    """Sign and store a credential for each award that has none yet; returns the new ones.

    Idempotent: an award whose recipient already holds a credential for that achievement is
    skipped (a unique constraint settles two workers racing for the same one). An organization
    that no operator has verified issues nothing: its awards are skipped and logged.
    """
    if not awards:
        return []
    verified = set(Organization.objects.verified().filter(
        pk__in={a.issuer.pk for a in awards}).values_list("pk", flat=True))
    unverified = {a.issuer.slug for a in awards if a.issuer.pk not in verified}
    if unverified:
        log.warning("not issuing for unverified organizations: %s", ", ".join(sorted(unverified)))
        awards = [a for a in awards if a.issuer.pk in verified]
    held = set(Credential.objects.filter(
        recipient__in={a.recipient.pk for a in awards},
        achievement_key__in={a.achievement_key for a in awards}).values_list("recipient_id", "achievement_key"))
    seen = set()
    todo = []
    for award in awards:
        key = (award.recipient.pk, award.achievement_key)
        if key not in held and key not in seen:
            seen.add(key)
            todo.append(award)
    by_issuer: dict[int, list[Award]] = defaultdict(list)
    for award in todo:
        by_issuer[award.issuer.pk].append(award)
    now = timezone.now().replace(microsecond=0)
    rows: list[Credential] = []
    shared: dict[uuid.UUID, set[int]] = {}
    with translation.override(settings.LANGUAGE_CODE):  # what a credential says does not depend on who clicked
        for group in by_issuer.values():
            organization = group[0].issuer
            signing = keys.active_key(organization)
            private = keys.private_keys(signing)
            urls = _Urls(organization, signing)
            slots = _allocate(organization, len(group))
            for award, slot in zip(group, slots, strict=True):
                rows.append(_sign(award, slot=slot, signing=signing, private=private, urls=urls, now=now))
                shared[rows[-1].uuid] = {o.pk for o in award.shared_with}
    try:
        with transaction.atomic():
            Credential.objects.bulk_create(rows)
            _share(rows, shared)
            _audit_issued(rows)
        signals.announce(row.recipient_id for row in rows)
        return rows
    except IntegrityError:
        stored = []
        for row in rows:  # someone else issued some of these meanwhile: keep theirs
            try:
                with transaction.atomic():
                    row.save(force_insert=True)
                    _share([row], shared)
                    _audit_issued([row])
                stored.append(row)
            except IntegrityError:
                continue
        signals.announce(row.recipient_id for row in stored)
        return stored


def _audit_issued(rows: list[Credential]) -> None:
    """One audit event per credential issued (what someone now holds), written with them."""
    audit_each(actor=None, action=AuditAction.CREDENTIAL_ISSUE, events=[
        (row.issuer, str(row.uuid), {"recipient": row.recipient_id, "achievement": row.achievement_key,
                                     "source": row.source}) for row in rows])


def _share(rows: list[Credential], shared: dict[uuid.UUID, set[int]]) -> None:
    """Who else sees each new credential, read-only (the awards' `shared_with`)."""
    through = Credential.shared_with.through
    links = [through(credential_id=row.pk, organization_id=org) for row in rows for org in shared.get(row.uuid, ())]
    if links:
        through.objects.bulk_create(links)


# --- batches --------------------------------------------------------------------------------------

def batch_start(*, actor: User | None, source: str, title: str, back_url: str = "",
                organization: Organization | None = None) -> IssuanceBatch:
    """Queue the certification of a source ("academy.run:42", "competitions.competition:5": see
    sources), which its app says is ready. `actor` None is the platform itself (grades released, a
    competition ended); a person must be allowed to certify it. A second click while one is queued
    or running returns that one (at most one open batch per source, by a constraint)."""
    from . import tasks

    registered = sources.get(source)
    if registered is None:
        raise ValueError(f"no app awards credentials for {source!r}")
    if actor is not None and not registered.can_certify(actor, source):
        raise PermissionDenied
    if back_url and (not back_url.startswith("/") or back_url.startswith("//")):
        raise ValueError(f"a batch's way back is a path on this site, not {back_url!r}")
    open_batches = IssuanceBatch.objects.filter(source=source, status__in=[BatchStatus.QUEUED, BatchStatus.RUNNING])
    with transaction.atomic():
        batch = open_batches.first()
        if batch is not None:
            return batch
        try:
            with transaction.atomic():
                batch = IssuanceBatch.objects.create(requested_by=actor, source=source, title=title[:300],
                                                     back_url=back_url[:300], organization=organization)
        except IntegrityError:  # the other click got there first
            return open_batches.get()
        transaction.on_commit(lambda: tasks.batch_issue.delay(batch.pk))
    return batch


def _issue_counted(batch_id: int, awards: list[Award]) -> None:
    """Issue in chunks, adding to the batch's total and progress as it goes."""
    if not awards:
        return
    IssuanceBatch.objects.filter(pk=batch_id).update(total=F("total") + len(awards))
    for start in range(0, len(awards), CHUNK):
        chunk = awards[start:start + CHUNK]
        issued = issue(chunk)
        IssuanceBatch.objects.filter(pk=batch_id).update(done=F("done") + len(chunk),
                                                         issued=F("issued") + len(issued))


def batch_run(*, batch_id: int) -> IssuanceBatch | None:
    """Worker side. Claims the batch (another worker that got there first wins), then issues in
    chunks, counting progress on the row. Safe to run again: issuing skips what exists."""
    claimed = IssuanceBatch.objects.filter(pk=batch_id, status=BatchStatus.QUEUED).update(
        status=BatchStatus.RUNNING, started_at=timezone.now())
    if not claimed:
        return None
    batch = IssuanceBatch.objects.get(pk=batch_id)
    try:
        registered = sources.get(batch.source)
        if registered is None:
            raise ValueError(f"no app awards credentials for {batch.source!r} any more")
        _issue_counted(batch_id, registered.awards(batch.source))
        IssuanceBatch.objects.filter(pk=batch_id).update(status=BatchStatus.DONE, finished_at=timezone.now())
    except Exception as exc:
        log.exception("issuance batch %s failed", batch_id)
        IssuanceBatch.objects.filter(pk=batch_id).update(status=BatchStatus.FAILED, finished_at=timezone.now(),
                                                         error=str(exc)[:2000])
        raise
    batch.refresh_from_db()
    return batch


def batches_requeue_stale(*, queued_minutes: int = 2, running_minutes: int = 30) -> int:
    """Queued batches nobody picked up are sent again; batches running far too long (a worker died)
    go back to queued and are sent again. Issuing skips what exists, so nothing doubles."""
    from datetime import timedelta

    from . import tasks

    now = timezone.now()
    IssuanceBatch.objects.filter(status=BatchStatus.RUNNING,
                                 started_at__lt=now - timedelta(minutes=running_minutes)).update(
        status=BatchStatus.QUEUED, total=0, done=0, issued=0)
    stale = list(IssuanceBatch.objects.filter(status=BatchStatus.QUEUED,
                                              created_at__lt=now - timedelta(minutes=queued_minutes))
                 .values_list("pk", flat=True)[:100])
    for pk in stale:
        tasks.batch_issue.delay(pk)
    return len(stale)


def batch_retry(*, actor: User, batch: IssuanceBatch) -> IssuanceBatch:
    """A failed batch runs again from the start (what it issued before is skipped)."""
    return batch_start(actor=actor, source=batch.source, title=batch.title, back_url=batch.back_url,
                       organization=batch.organization)


# --- revocation and status lists ------------------------------------------------------------------

def publish_status_list(*, status_list: StatusList) -> str:
    """Re-sign the list's BitstringStatusListCredential from the revoked credentials' positions.

    Called by every write that changes what a list says or who signs it: a new list (when
    credentials are issued onto it), a revocation, a key rotation. The status list URL only
    serves what this stored; it never signs."""
    bits = revoked_bits(status_list_id=status_list.pk, size=status_list.size)
    organization = status_list.organization
    signing = keys.active_key(organization)
    now = timezone.now()
    unsigned = statuslist.status_list_credential(
        url=status_list_url(status_list, organization),
        issuer=keys.issuer_id(organization),
        valid_from=documents.xsd_datetime(now), encoded_list=bits.encode())
    signed = di.sign(unsigned, private_key=keys.private_keys(signing).ed25519,
                     verification_method=keys.ed25519_kid(signing, organization), created=documents.xsd_datetime(now))
    published = json.dumps(signed, separators=(",", ":"))
    StatusList.objects.filter(pk=status_list.pk).update(published=published, published_at=now)
    status_list.published, status_list.published_at = published, now
    return published


def revoke(*, actor: User, credential: Credential, reason: str) -> Credential:
    """Revoking is a status change, never a delete: the bit is set and the list re-published."""
    if not permissions.can_revoke(actor, credential):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for revoking; the holder and the audit log will see it."))
    with transaction.atomic():
        credential = Credential.objects.select_for_update().select_related("status_list__organization").get(
            pk=credential.pk)
        if credential.revoked_at is not None:
            raise ValidationError(_("This credential was already revoked on %(date)s.") % {
                "date": formats.date_format(timezone.localtime(credential.revoked_at), "DATE_FORMAT")})
        # The update locks the list's row until commit: concurrent revocations publish one at a time.
        StatusList.objects.filter(pk=credential.status_list_id).update(revocations=F("revocations") + 1)
        credential.revoked_at = timezone.now()
        credential.revoked_by = actor
        credential.revocation_reason = reason[:500]
        credential.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
        publish_status_list(status_list=credential.status_list)
        audit(actor=actor, action=AuditAction.CREDENTIAL_REVOKE, organization=credential.issuer,
              target=str(credential.uuid), reason=credential.revocation_reason)
        status_list_id = credential.status_list_id
        transaction.on_commit(lambda: forget_status(status_list_id))
        signals.announce([credential.recipient_id])
    forget_status(status_list_id)
    return credential


def status_lists_publish_missing() -> int:
    """Periodic: sign the status lists that have never been published (lists made before each list
    was signed when it was created); how many were. A list taken meanwhile is left to its taker."""
    done = 0
    for pk in list(StatusList.objects.filter(published="").values_list("pk", flat=True)[:100]):
        with transaction.atomic():
            status_list = (StatusList.objects.select_for_update().select_related("organization")
                           .filter(pk=pk, published="").first())
            if status_list is not None:
                publish_status_list(status_list=status_list)
                done += 1
    return done


@transaction.atomic
def key_rotate(*, actor: User, organization: Organization) -> SigningKey:
    if not permissions.can_manage_issuer(actor, organization):
        raise PermissionDenied
    key = keys.rotate(organization)
    # The issuer's status lists are signed again with the new key (the old one stays published,
    # so what it signed before still verifies).
    for status_list in StatusList.objects.select_for_update().filter(organization=organization):
        status_list.organization = organization
        publish_status_list(status_list=status_list)
    audit(actor=actor, action=AuditAction.CREDENTIAL_KEY_ROTATE, organization=organization, target=key.token)
    return key


# --- badge art ------------------------------------------------------------------------------------

def _issued_achievement(organization: Organization, achievement_id: str) -> str:
    """The achievement id (without fragment) if this organization issues it, else a ValidationError."""
    base = achievement_base(achievement_id)
    if not base or base not in {a.id for a in sources.achievements(organization)}:
        raise ValidationError(_("%(org)s does not issue that achievement. Choose one from its badge art page.")
                              % {"org": organization.name}, code="achievement")
    return base


def badge_art_upload(*, actor: User, organization: Organization, achievement_id: str, upload: UploadedFile) -> BadgeArt:
    """Store an uploaded picture (checked, squared, re-encoded as PNG) as the art of one of this
    organization's achievements, for the credentials issued from now on (issued ones keep theirs)."""
    if not permissions.can_manage_badge_art(actor, organization):
        raise PermissionDenied
    base = _issued_achievement(organization, achievement_id)
    digest = badge_files.store(upload)  # before the transaction: slow, and content-addressed
    with transaction.atomic():
        art, _created = BadgeArt.objects.update_or_create(
            organization=organization, achievement_id=base,
            defaults={"digest": digest, "uploaded_by": actor, "uploaded_at": timezone.now()})
        audit(actor=actor, action=AuditAction.BADGE_ART_REPLACED, organization=organization, target=base, digest=digest)
    return art


def badge_art_remove(*, actor: User, organization: Organization, achievement_id: str) -> None:
    """Go back to the generated badge for the credentials issued from now on (files stay: issued
    credentials still point at them)."""
    if not permissions.can_manage_badge_art(actor, organization):
        raise PermissionDenied
    base = _issued_achievement(organization, achievement_id)
    with transaction.atomic():
        deleted, _rows = BadgeArt.objects.filter(organization=organization, achievement_id=base).delete()
        if deleted:
            audit(actor=actor, action=AuditAction.BADGE_ART_REMOVED, organization=organization, target=base)
