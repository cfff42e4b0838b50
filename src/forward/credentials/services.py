"""Every write about credentials: issue (sign and store, idempotently), certify a cohort or a
competition in the background, revoke, publish status lists, rotate keys."""

from __future__ import annotations

import json
import logging
import math
import uuid
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from forward.core.models import Organization, OrganizationKind, User
from forward.core.services import audit
from forward.vc import di, jose, statuslist

from . import documents, keys, permissions
from .documents import Award
from .models import BatchStatus, Credential, IssuanceBatch, StatusList
from .selectors import forget_status, revoked_bits

log = logging.getLogger(__name__)

CHUNK = 200


def status_list_url(status_list: StatusList, organization: Organization | None = None) -> str:
    org = organization or status_list.organization
    return settings.SITE_URL + reverse("credentials:status_list", args=[org.slug, status_list.number])


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
            take = min(count - len(slots), current.size - current.next_index)
            slots.extend((current, current.next_index + i) for i in range(take))
            current.next_index += take
            StatusList.objects.filter(pk=current.pk).update(next_index=current.next_index)
    return slots


class _Urls:
    """The URLs every credential of one issuer repeats, reversed once per batch."""

    def __init__(self, organization: Organization, signing):
        self.issuer = keys.issuer_id(organization)
        self.rsa_kid = keys.rsa_kid(signing, organization)
        self.ed25519_kid = keys.ed25519_kid(signing, organization)
        marker = uuid.UUID(int=0)
        self._detail = settings.SITE_URL + reverse("credentials:detail", args=[marker])
        self._marker = str(marker)
        self._lists: dict[int, str] = {}
        self.organization = organization

    def detail(self, credential_uuid: uuid.UUID) -> str:
        return self._detail.replace(self._marker, str(credential_uuid))

    def status_list(self, status_list: StatusList) -> str:
        found = self._lists.get(status_list.pk)
        if found is None:
            found = self._lists[status_list.pk] = status_list_url(status_list, self.organization)
        return found


def _sign(award: Award, *, slot: tuple[StatusList, int], signing, private, urls: _Urls, now) -> Credential:
    status_list, index = slot
    credential_uuid = uuid.uuid4()
    valid_from = (award.valid_from or now).replace(microsecond=0)  # as the document says it
    if award.valid_until:
        award.valid_until = award.valid_until.replace(microsecond=0)
    unsigned = documents.credential_document(
        award=award, credential_uuid=credential_uuid, issuer_url=urls.issuer, valid_from=valid_from,
        status=statuslist.status_entry(list_url=urls.status_list(status_list), index=index),
        credential_id=urls.detail(credential_uuid))
    signed = di.sign(unsigned, private_key=private.ed25519, verification_method=urls.ed25519_kid,
                     created=documents.xsd_datetime(now))
    token = jose.encode_vc_jwt(unsigned, private_key=private.rsa, kid=urls.rsa_kid)
    return Credential(
        uuid=credential_uuid, recipient=award.recipient, issuer=award.issuer, kind=award.kind,
        achievement_key=award.achievement_key, name=award.name[:300], detail=award.detail[:300],
        valid_from=valid_from, valid_until=award.valid_until, issued_at=now, key=signing,
        status_list=status_list, status_index=index,
        document=json.dumps(signed, ensure_ascii=False, separators=(",", ":")), jwt=token, **award.refs)


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
    with translation.override(settings.LANGUAGE_CODE):  # what a credential says does not depend on who clicked
        for group in by_issuer.values():
            organization = group[0].issuer
            signing = keys.active_key(organization)
            private = keys.private_keys(signing)
            urls = _Urls(organization, signing)
            slots = _allocate(organization, len(group))
            rows.extend(_sign(award, slot=slot, signing=signing, private=private, urls=urls, now=now)
                        for award, slot in zip(group, slots, strict=True))
    try:
        with transaction.atomic():
            Credential.objects.bulk_create(rows)
        return rows
    except IntegrityError:
        stored = []
        for row in rows:  # someone else issued some of these meanwhile: keep theirs
            try:
                with transaction.atomic():
                    row.save(force_insert=True)
                stored.append(row)
            except IntegrityError:
                continue
        return stored


# --- what to issue --------------------------------------------------------------------------------

def run_awards(*, run) -> list[Award]:
    """Completion (a pass) and achievement (the course's designation or above) for a released run."""
    from forward.academy import grading, selectors
    from forward.academy.models import Course

    if run.grades_released_at is None:
        return []
    course = Course.objects.select_related("owner").prefetch_related("skills").get(pk=run.course_id)
    policy = course.grading_policy or grading.DEFAULT_POLICY
    cutoffs = {name: float(v) for name, v in (policy.get("cutoffs") or {}).items()}
    completion, achievement_from = grading.certificate_rules(policy)
    enrolments = list(selectors.run_students(run=run).order_by("pk"))  # its instructors are not students
    results = selectors.grades(course=course, user_ids=[e.user_id for e in enrolments])
    run.course = course
    awards = []
    for enrolment in enrolments:
        result = results[enrolment.user_id]
        designation = result["designation"]
        if not designation:
            continue
        if completion:
            awards.append(documents.award_course_completion(
                user=enrolment.user, run=run, grade=result["grade"], designation=designation,
                cutoff=cutoffs.get("pass", 0)))
        if achievement_from and cutoffs.get(designation, 0) >= cutoffs[achievement_from]:
            awards.append(documents.award_course_achievement(
                user=enrolment.user, run=run, grade=result["grade"], designation=designation,
                required=achievement_from, cutoff=cutoffs[achievement_from]))
    return awards


def programme_issuer(programme) -> Organization | None:
    """Programmes are certified by the programme operator among their partners (else the first
    partner)."""
    partners = [p for p in programme.partners.all() if p.is_verified]
    return next((p for p in partners if p.kind == OrganizationKind.OPERATOR), None) or (
        Organization.objects.verified().filter(kind=OrganizationKind.OPERATOR).order_by("pk").first()
        or (partners[0] if partners else None))


def programme_awards(*, users: list[User], courses) -> list[Award]:
    """Programmes containing these courses that these learners have now completed."""
    from forward.academy import selectors
    from forward.academy.models import Programme

    awards = []
    for programme in Programme.objects.filter(courses__in=courses).distinct().prefetch_related("partners"):
        issuer = programme_issuer(programme)
        if issuer is None:
            continue
        for user in users:
            progress = selectors.programme_progress(programme=programme, user=user)
            if progress["complete"]:
                awards.append(documents.award_programme(user=user, programme=programme, issuer=issuer,
                                                        progress=progress))
    return awards


def run_programme_awards(*, run, awards: list[Award]) -> list[Award]:
    """The programmes the learners who passed this run (`awards`: its run_awards) have now completed."""
    passed = list({a.recipient.pk: a.recipient for a in awards}.values())
    return programme_awards(users=passed, courses=[run.course_id])


def competition_awards(*, competition) -> list[Award]:
    """When the final round's private leaderboard is computed: every member of the top 3 teams and
    of the teams in the top 10% (rounded up)."""
    from forward.competitions.models import LeaderboardEntry, Phase, TeamMember

    final = Phase.objects.filter(competition=competition).order_by("-number").first()
    if final is None or not hasattr(final, "result"):
        return []
    entries = list(LeaderboardEntry.objects.filter(phase=final, private_score__isnull=False, team__is_baseline=False)
                   .select_related("team").order_by("private_sort_key", "private_at", "team_id"))
    if not entries:
        return []
    cut = max(3, math.ceil(0.1 * len(entries)))
    placed = entries[:cut]
    members = defaultdict(list)
    for member in TeamMember.objects.filter(team__in=[e.team for e in placed]).select_related("user"):
        members[member.team_id].append(member.user)
    awards = []
    for rank, entry in enumerate(placed, start=1):
        for user in members[entry.team_id]:
            awards.append(documents.award_competition(user=user, competition=competition, rank=rank,
                                                      teams=len(entries), team_name=entry.team.name, top3=rank <= 3))
    return awards


def certification_issue(*, holding_id: int) -> Credential | None:
    """A passed certification exam: one credential per holding, valid as long as the holding."""
    from forward.academy.models import CertificationHolding

    holding = (CertificationHolding.objects.select_related("user", "certification__owner", "attempt")
               .filter(pk=holding_id).first())
    if holding is None:
        return None
    issued = issue([documents.award_certification(holding=holding)])
    return issued[0] if issued else Credential.objects.filter(holding=holding).first()


# --- batches --------------------------------------------------------------------------------------

def batch_start(*, actor: User | None, run=None, competition=None) -> IssuanceBatch:
    """Queue the certification of a released run or an ended competition. A second click while one
    is queued or running returns that one."""
    from . import tasks

    if run is not None:
        if actor is not None and not permissions.can_certify_run(actor, run):
            raise PermissionDenied
        if run.grades_released_at is None:
            raise ValidationError(_("Release the grades first: nothing is certified before staff have reviewed them."))
    elif competition is not None:
        if actor is not None and not permissions.can_certify_competition(actor, competition):
            raise PermissionDenied
    else:
        raise ValueError("a batch needs a run or a competition")
    target = {"run": run} if run is not None else {"competition": competition}
    with transaction.atomic():
        # Lock the target row so two clicks cannot both create a batch.
        model = type(run if run is not None else competition)
        model.objects.select_for_update().get(pk=(run or competition).pk)
        batch = IssuanceBatch.objects.filter(status__in=[BatchStatus.QUEUED, BatchStatus.RUNNING], **target).first()
        if batch is None:
            batch = IssuanceBatch.objects.create(requested_by=actor, **target)
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
    batch = IssuanceBatch.objects.select_related("run__course", "competition__host").get(pk=batch_id)
    try:
        awards = run_awards(run=batch.run) if batch.run_id else competition_awards(competition=batch.competition)
        _issue_counted(batch_id, awards)
        if batch.run_id:
            _issue_counted(batch_id, run_programme_awards(run=batch.run, awards=awards))
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
    if batch.run_id:
        return batch_start(actor=actor, run=batch.run)
    return batch_start(actor=actor, competition=batch.competition)


# --- revocation and status lists ------------------------------------------------------------------

def publish_status_list(*, status_list: StatusList) -> str:
    """Re-sign the list's BitstringStatusListCredential from the revoked credentials' positions."""
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
        audit(actor=actor, action="credential.revoke", organization=credential.issuer,
              target=str(credential.uuid), reason=credential.revocation_reason)
        status_list_id = credential.status_list_id
        transaction.on_commit(lambda: forget_status(status_list_id))
    forget_status(status_list_id)
    return credential


def key_rotate(*, actor: User, organization: Organization):
    if not permissions.can_manage_issuer(actor, organization):
        raise PermissionDenied
    key = keys.rotate(organization)
    audit(actor=actor, action="credential.key_rotate", organization=organization, target=key.token)
    return key
