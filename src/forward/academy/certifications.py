"""Certification exams: vouchers issued to organizations and redeemed once, sittings, and the
holdings a passed exam earns (valid two years; renewed by passing again in the last 90 days or
after expiry). A failed sitting waits the certification's retake period before the next one; a
certification is published only with a question pool at least POOL_FACTOR times its draw, so
nobody learns the pool by sitting it. Keyword arguments; one transaction each."""

from __future__ import annotations

import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypedDict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forward.core import permissions
from forward.core.audit import AuditAction
from forward.core.models import Organization, User
from forward.core.services import audit
from forward.core.types import AnyUser

from . import permissions as academy_permissions
from .models import (
    LEVEL_ORDER,
    Assessment,
    Attempt,
    Certification,
    CertificationHolding,
    CertificationSitting,
    CourseStatus,
    Voucher,
)

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are read aloud and typed
RENEWAL_WINDOW = timedelta(days=90)
MAX_VOUCHERS = 500
POOL_FACTOR = 3  # a certification exam's pool holds at least this many times the questions it draws


def _code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(16))
    return "-".join(raw[i:i + 4] for i in range(0, 16, 4))


def normalise_code(code: str) -> str:
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def vouchers_left(*, organization: Organization, now: datetime | None = None) -> int:
    """How many more vouchers the organization's admins may issue in the current quota period."""
    since = (now or timezone.now()) - timedelta(days=organization.voucher_quota_days)
    issued = Voucher.objects.filter(organization=organization, issued_at__gt=since).count()
    return max(0, organization.voucher_quota - issued)


@transaction.atomic
def vouchers_issue(*, actor: User, certification: Certification, organization: Organization, count: int,
                   expires_at: datetime | None = None) -> list[Voucher]:
    """Vouchers an organization bought or was given, for its students or staff to redeem."""
    if not academy_permissions.can_manage_vouchers(actor, organization):
        raise PermissionDenied
    if not permissions.can_administer(actor, organization):
        raise ValidationError(_("%(org)s is not verified yet: a programme operator verifies an organization before "
                                "it issues vouchers.") % {"org": organization.name})
    # Lock the organization so two admins issuing at once cannot both take the last of the quota.
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if certification.status != CourseStatus.PUBLISHED:
        raise ValidationError(_("%(title)s is not published yet; vouchers can be issued once it is.")
                              % {"title": certification.display_title})
    if not 1 <= count <= MAX_VOUCHERS:
        raise ValidationError(_("Issue between 1 and %(n)d vouchers at a time.") % {"n": MAX_VOUCHERS})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError(_("The expiry date is in the past. Leave it empty for vouchers that do not "
                                "expire."))
    if not academy_permissions.is_voucher_quota_exempt(actor):
        left = vouchers_left(organization=organization)
        if count > left:
            raise ValidationError(
                _("%(org)s may issue %(quota)d vouchers every %(days)d days and has %(left)d left now. Ask the "
                  "programme operators for a larger quota.")
                % {"org": organization.name, "quota": organization.voucher_quota,
                   "days": organization.voucher_quota_days, "left": left})
    vouchers = [Voucher(code=_code(), certification=certification, organization=organization, issued_by=actor,
                        expires_at=expires_at) for _ in range(count)]
    Voucher.objects.bulk_create(vouchers)
    audit(actor=actor, action=AuditAction.VOUCHERS_ISSUE, organization=organization, target=f"{certification.slug} ×{count}")
    return vouchers


def pool_problem(exam: Assessment) -> str:
    """Why this exam's question pool is too small to publish its certification, or ""."""
    pool = exam.questions.count()
    draw = exam.questions_per_attempt
    if not draw or pool < POOL_FACTOR * draw:
        return _("The exam draws %(draw)d questions from a pool of %(pool)d: a certification is published "
                 "only with a pool of at least %(factor)d times the questions drawn, so that nobody learns "
                 "the pool by sitting the exam. Add questions or draw fewer.") % {
            "draw": draw or pool, "pool": pool, "factor": POOL_FACTOR}
    return ""


@transaction.atomic
def certification_publish(*, actor: User, certification: Certification) -> Certification:
    """Publish a certification (its vouchers can then be issued) once its question pool is large
    enough for its draw; refused with the reason otherwise."""
    if not academy_permissions.can_publish_certification(actor, certification):
        raise PermissionDenied
    certification = Certification.objects.select_for_update().select_related("exam").get(pk=certification.pk)
    problem = pool_problem(certification.exam)
    if problem:
        raise ValidationError(problem)
    if certification.status != CourseStatus.PUBLISHED:
        certification.status = CourseStatus.PUBLISHED
        certification.save(update_fields=["status"])
        audit(actor=actor, action=AuditAction.CERTIFICATION_PUBLISH, organization=certification.owner,
              target=certification.slug)
    return certification


def validity_text(days: int) -> str:
    """How long a certification is held, in whole years or months when it is ("valid for 2 years")."""
    if days and days % 365 == 0:
        years = days // 365
        return ngettext("valid for %(n)d year", "valid for %(n)d years", years) % {"n": years}
    if days and days % 30 == 0:
        months = days // 30
        return ngettext("valid for %(n)d month", "valid for %(n)d months", months) % {"n": months}
    return ngettext("valid for %(n)d day", "valid for %(n)d days", days) % {"n": days}


def retake_from(*, user: AnyUser, certification: Certification) -> datetime | None:
    """When this person may start another sitting, if their last one failed less than the retake
    period ago; else None. A pass (or no sitting yet) sets no wait."""
    from django.db.models.functions import Coalesce

    from .assessments import as_read, counted

    if not user.is_authenticated:
        return None
    now = timezone.now()
    found = (Attempt.objects.filter(counted(now), user=user, assessment_id=certification.exam_id)
             .annotate(at=Coalesce("submitted_at", "deadline")).order_by("-at", "-pk").first())
    # One that ran out counts, marked as it will be stored.
    last = as_read([found], now=now)[0] if found is not None else None
    if last is None or (last.percent is not None and last.percent >= certification.exam.pass_mark):
        return None
    if last.submitted_at is None:  # never: as_read marks a lapsed attempt submitted at its deadline
        return None
    until = last.submitted_at + timedelta(days=certification.retake_wait_days)
    return until if until > now else None


def _moment(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "j M Y H:i T")


@dataclass(frozen=True)
class Status:
    state: str  # "none", "valid", "renewal" (valid, in its last 90 days), "expired"
    holding: CertificationHolding | None

    @property
    def held(self) -> bool:
        return self.state in ("valid", "renewal")


def _status(holding: CertificationHolding | None, now: datetime) -> Status:
    if holding is None:
        return Status("none", None)
    if holding.expires_at <= now:
        return Status("expired", holding)
    if holding.expires_at - now <= RENEWAL_WINDOW:
        return Status("renewal", holding)
    return Status("valid", holding)


def statuses(*, user: AnyUser, certifications: Collection[Certification], now: datetime | None = None,
             ) -> dict[int, Status]:
    """certification id → the viewer's status: two queries for any number of certifications (the
    holdings, and the passed exams whose time ran out before they were stored: they count already)."""
    now = now or timezone.now()
    latest: dict[int, CertificationHolding] = {}
    if user.is_authenticated:
        for holding in CertificationHolding.objects.filter(
                user=user, certification__in=certifications).order_by("certification_id", "-expires_at"):
            latest.setdefault(holding.certification_id, holding)
        for holding in _holdings_not_stored(user=user, certifications=certifications, now=now):
            held = latest.get(holding.certification_id)
            if held is None or held.expires_at < holding.expires_at:
                latest[holding.certification_id] = holding
    return {c.pk: _status(latest.get(c.pk), now) for c in certifications}


def _holdings_not_stored(*, user: User, certifications: Collection[Certification], now: datetime,
                         ) -> list[CertificationHolding]:
    """The holdings that passed exams whose time ran out before they were submitted will earn when
    `assessments.attempts_close_lapsed` stores them (unsaved: a read writes nothing). One query, and
    one more for their questions only when there are such exams."""
    from .assessments import as_read

    lapsed = (Attempt.objects.filter(user=user, assessment__certification__in=certifications,
                                     submitted_at__isnull=True, deadline__lte=now)
              .select_related("assessment__certification"))
    return [CertificationHolding(attempt=attempt, **holding_fields(attempt, attempt.assessment.certification))
            for attempt in as_read(lapsed, now=now)
            if attempt.percent is not None and attempt.percent >= attempt.assessment.pass_mark]


class HoldingFields(TypedDict):
    user_id: int
    certification: Certification
    earned_at: datetime
    expires_at: datetime


def holding_fields(attempt: Attempt, certification: Certification) -> HoldingFields:
    """What a passed exam earns (with the attempt): the certification, from its submission for its
    validity period."""
    earned = attempt.submitted_at
    if earned is None:
        raise ValueError(f"attempt {attempt.pk} is not submitted: only a submitted exam earns a certification")
    return {"user_id": attempt.user_id, "certification": certification, "earned_at": earned,
            "expires_at": earned + timedelta(days=certification.validity_days)}


def holding_status(*, user: AnyUser, certification: Certification) -> Status:
    return statuses(user=user, certifications=[certification])[certification.pk]


class TrackRow(TypedDict):
    certification: Certification
    status: Status


def certifications_by_track(*, user: AnyUser) -> list[tuple[str, list[TrackRow]]]:
    """The published certifications as ladders: (track, rows associate → professional → expert),
    each row with its prerequisites (prefetched) and the viewer's status. Four queries, however
    many certifications."""
    items = sorted(Certification.objects.filter(status=CourseStatus.PUBLISHED).prefetch_related("prerequisites"),
                   key=lambda c: (c.track, LEVEL_ORDER[c.level], c.title))
    status = statuses(user=user, certifications=items)
    tracks: dict[str, list[TrackRow]] = {}
    for item in items:
        tracks.setdefault(item.track, []).append({"certification": item, "status": status[item.pk]})
    # Tracks that start lower come first; then by name.
    return sorted(tracks.items(), key=lambda pair: (LEVEL_ORDER[pair[1][0]["certification"].level], pair[0]))


def open_sitting(*, user: User, certification: Certification) -> CertificationSitting | None:
    """A redeemed voucher whose exam has not been submitted yet (not started, or in progress)."""
    from .assessments import in_progress

    return (CertificationSitting.objects.filter(user=user, certification=certification)
            .filter(Q(attempt__isnull=True) | in_progress(prefix="attempt__"))
            .order_by("created_at", "pk").first())


def _day(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "DATE_FORMAT")


@transaction.atomic
def voucher_redeem(*, user: User, code: str, certification: Certification | None = None) -> CertificationSitting:
    """Redeem a voucher for one sitting of its certification's exam. Redeemed once: a second person
    (or a second click racing the first) is told it is used; the same person clicking twice gets
    the sitting they already have."""
    now = timezone.now()
    # One redemption at a time per person, so two codes redeemed at once cannot open two sittings.
    User.objects.select_for_update().filter(pk=user.pk).first()
    voucher = (Voucher.objects.select_for_update().select_related("certification", "organization")
               .filter(code=normalise_code(code)).first())
    if (voucher is None or voucher.certification.status != CourseStatus.PUBLISHED
            or (certification is not None and voucher.certification_id != certification.pk)):
        raise ValidationError(_("This code is not valid for this exam. Check it against the one your "
                                "organization gave you."))
    if voucher.redeemed_by_id is not None:
        sitting = CertificationSitting.objects.filter(voucher=voucher).first()
        if voucher.redeemed_by_id == user.pk and sitting is not None:
            return sitting
        raise ValidationError(_("This code has already been used."))
    if not Voucher.objects.usable(now).filter(pk=voucher.pk).exists():  # not redeemed: so it has expired
        raise ValidationError(_("This voucher expired on %(date)s. Ask your organization for a new one.")
                              % {"date": _day(voucher.expires_at) if voucher.expires_at else ""})
    wanted = voucher.certification
    prerequisites = list(wanted.prerequisites.all())
    held = statuses(user=user, certifications=prerequisites, now=now)
    missing = [p.display_title for p in prerequisites if not held[p.pk].held]
    if missing:
        raise ValidationError(_("First hold a valid %(names)s certification: this exam builds on it.")
                              % {"names": ", ".join(missing)})
    status = holding_status(user=user, certification=wanted)
    if status.state == "valid" and status.holding is not None:  # a valid status has its holding
        raise ValidationError(_("You hold %(title)s until %(date)s; you can renew it from %(from)s.")
                              % {"title": wanted.display_title, "date": _day(status.holding.expires_at),
                                 "from": _day(status.holding.expires_at - RENEWAL_WINDOW)})
    wait = retake_from(user=user, certification=wanted)
    if wait is not None:
        raise ValidationError(
            ngettext("After a sitting that did not pass, the next one waits %(days)d day: you can redeem a voucher "
                     "for %(title)s from %(date)s.",
                     "After a sitting that did not pass, the next one waits %(days)d days: you can redeem a "
                     "voucher for %(title)s from %(date)s.", wanted.retake_wait_days)
            % {"days": wanted.retake_wait_days, "title": wanted.display_title, "date": _moment(wait)})
    if open_sitting(user=user, certification=wanted) is not None:
        raise ValidationError(_("You already have an exam to take for %(title)s. Take it before redeeming "
                                "another voucher.") % {"title": wanted.display_title})
    if not _voucher_claim(voucher_id=voucher.pk, user=user, now=now):
        raise ValidationError(_("This code has already been used."))
    sitting = CertificationSitting.objects.create(user=user, certification=wanted, voucher=voucher, created_at=now)
    audit(actor=user, action=AuditAction.VOUCHER_REDEEM, organization=voucher.organization, target=wanted.slug)
    return sitting


def _voucher_claim(*, voucher_id: int, user: User, now: datetime) -> bool:
    """Mark a voucher redeemed while it is usable (nobody has redeemed it, it has not expired): a
    conditional UPDATE, so of two transactions racing for one code exactly one sees a row changed."""
    return Voucher.objects.usable(now).filter(pk=voucher_id).update(redeemed_by=user, redeemed_at=now) == 1


# --- The exam: one attempt per sitting (the permission hook of assessments.attempt_start) -------


def _sittings(user: User, assessment: Assessment) -> QuerySet[CertificationSitting]:
    return CertificationSitting.objects.filter(user=user, certification__exam=assessment)


def attempts_allowed(*, user: User, assessment: Assessment) -> int:
    """The attempts made so far plus one per sitting not yet used: so attempts left is the number of
    unused vouchers, whatever earlier attempts (imported, demo) have no sitting."""
    if not user.is_authenticated:
        return 0
    used = Attempt.objects.filter(user=user, assessment=assessment).count()
    return used + _sittings(user, assessment).filter(attempt__isnull=True).count()


def attempt_started(*, attempt: Attempt) -> CertificationSitting:
    """Tie a new attempt to the oldest sitting that has none (inside attempt_start's transaction);
    without one the attempt is refused and rolled back."""
    sitting = (CertificationSitting.objects.select_for_update()
               .filter(user_id=attempt.user_id, certification__exam_id=attempt.assessment_id, attempt__isnull=True)
               .order_by("created_at", "pk").first())
    if sitting is None:
        raise PermissionDenied
    sitting.attempt = attempt
    sitting.save(update_fields=["attempt"])
    return sitting


def attempt_marked(*, attempt: Attempt) -> CertificationHolding | None:
    """A passed certification exam earns (or renews) the certification: valid for its validity
    period from the submission. Idempotent: one holding per attempt."""
    certification = Certification.objects.filter(exam_id=attempt.assessment_id).first()
    if certification is None or attempt.percent is None or attempt.percent < attempt.assessment.pass_mark:
        return None
    fields = holding_fields(attempt, certification)
    holding, created = CertificationHolding.objects.get_or_create(attempt=attempt, defaults=dict(fields))
    if created:
        from . import tasks

        transaction.on_commit(lambda: tasks.issue_certification.delay(holding.pk))
    return holding
