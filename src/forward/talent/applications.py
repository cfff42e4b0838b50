"""Applications and interviews: who may apply, applying with a snapshot of the profile as sent,
the stages employers move applications through (one at a time or in bulk, all or nothing), their
private notes, interview slots, and the reads the pages and the API share.

Every write is a keyword-only function in one transaction; every stage change writes a StageChange
and an audit entry, and mails the applicant after commit, in their language.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forward.core.audit import AuditAction
from forward.core.models import Membership, Organization, OrganizationKind, User
from forward.core.permissions import member_of_any
from forward.core.services import audit
from forward.credentials import selectors as credential_selectors
from forward.credentials.models import Credential, CredentialKind

from . import emails_applications as emails

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations
from .models import (
    Application,
    ApplicationNote,
    InterviewSlot,
    Opening,
    OpeningStatus,
    Profile,
    Stage,
    StageChange,
    WhoMayApply,
)

MAX_INCLUDED = 50  # verified achievements one application may carry
MAX_OPEN_SLOTS = 50  # unbooked future slots per opening
MAX_BULK = 200  # applications moved at once
LEVEL_NAMES = {1: "associate", 2: "professional", 3: "expert"}

# --- the stages, in one place ------------------------------------------------------------------------

OPEN_STAGES = (Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEW, Stage.OFFER)
FINAL_STAGES = (Stage.HIRED, Stage.REJECTED, Stage.WITHDRAWN, Stage.DECLINED)
PIPELINE = (Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEW, Stage.OFFER, Stage.HIRED)

# Where the employer may move an application from each stage. An offer becomes "hired" when the
# applicant accepts it (applicant_accept), never by the employer alone; "withdrawn" and "declined"
# are the applicant's.
EMPLOYER_MOVES: dict[str, tuple[str, ...]] = {
    Stage.APPLIED: (Stage.SCREENING, Stage.INTERVIEW, Stage.REJECTED),
    Stage.SCREENING: (Stage.INTERVIEW, Stage.REJECTED),
    Stage.INTERVIEW: (Stage.OFFER, Stage.REJECTED),
    Stage.OFFER: (Stage.REJECTED,),
}
# The applicant's own moves: withdraw from any open stage (until an offer is accepted), accept or
# decline an offer.
APPLICANT_MOVES: dict[str, tuple[str, ...]] = {
    Stage.APPLIED: (Stage.WITHDRAWN,),
    Stage.SCREENING: (Stage.WITHDRAWN,),
    Stage.INTERVIEW: (Stage.WITHDRAWN,),
    Stage.OFFER: (Stage.WITHDRAWN, Stage.HIRED, Stage.DECLINED),
}


def stage_label(value: str) -> str:
    return str(Stage(value).label) if value in Stage.values else value


def employer_refusal(application: Application, to_stage: str) -> str:
    """Why the employer may not move this application to `to_stage` ("" when they may)."""
    if to_stage not in Stage.values:
        return _("“%(stage)s” is not a stage. Choose one of: %(stages)s.") % {
            "stage": to_stage, "stages": ", ".join(Stage.values)}
    current = application.stage
    if to_stage == current:
        return _("It is already at %(stage)s.") % {"stage": stage_label(current)}
    if to_stage in (Stage.WITHDRAWN, Stage.DECLINED):
        return _("Only the applicant can withdraw an application or decline an offer.")
    if to_stage == Stage.HIRED:
        return _("An offer becomes Hired when the applicant accepts it; move the application to Offer.")
    if current in FINAL_STAGES:
        return _("It is %(stage)s: that is final.") % {"stage": stage_label(current)}
    if to_stage not in EMPLOYER_MOVES.get(current, ()):
        allowed = ", ".join(stage_label(s) for s in EMPLOYER_MOVES.get(current, ()))
        return _("It cannot go from %(from)s to %(to)s; from %(from)s it can go to %(allowed)s.") % {
            "from": stage_label(current), "to": stage_label(to_stage), "allowed": allowed}
    return ""


def employer_moves(application: Application) -> list[str]:
    """The stages the employer may move this application to (the buttons on the review page)."""
    return [s for s in EMPLOYER_MOVES.get(application.stage, ()) if not employer_refusal(application, s)]


def can_withdraw(application: Application) -> bool:
    return Stage.WITHDRAWN in APPLICANT_MOVES.get(application.stage, ()) and application.offer_accepted_at is None


def can_answer_offer(application: Application) -> bool:
    return application.stage == Stage.OFFER and application.offer_accepted_at is None


# --- eligibility -------------------------------------------------------------------------------------

def _codes(text: str) -> list[str]:
    return [c for c in (text or "").split(",") if c]


def countries_for(user: User, profile: Profile | None) -> list[str]:
    """The countries someone can work in: their talent profile's list, or, when it declares none,
    the country of their account (one is better than none; they are told to add the rest)."""
    codes = profile.country_list if profile is not None else []
    if not codes and user.country:
        codes = [str(user.country)]
    return codes


def _requirement_text(requirement: dict[str, Any]) -> str:
    kind = requirement.get("kind", "")
    label = str(CredentialKind(kind).label) if kind in CredentialKind.values else kind
    level = int(requirement.get("level") or 0)
    if kind == CredentialKind.CERTIFICATION and level:
        return _("a certification at %(level)s level or above") % {"level": LEVEL_NAMES.get(level, level)}
    return _("a verified “%(kind)s”") % {"kind": label}


def _meets(requirement: dict[str, Any], credentials: Sequence[Credential]) -> bool:
    kind = requirement.get("kind", "")
    level = int(requirement.get("level") or 0)
    for credential in credentials:
        if credential.kind != kind:
            continue
        held = (credential.facts or {}).get("level") or 0
        if not level or (isinstance(held, int | float) and held >= level):
            return True
    return False


def eligibility(user: User, opening: Opening, *, now: datetime | None = None,
                credentials: Sequence[Credential] | None = None) -> list[str]:
    """Why this person may not apply to this opening, in words, each saying what is missing; empty
    when they may. Requirements are met only by verified holdings (unrevoked, unexpired credentials)."""
    now = now or timezone.now()
    reasons: list[str] = []
    if not user.is_authenticated:
        return [_("Sign in to apply.")]
    organization = opening.organization
    if opening.status != OpeningStatus.OPEN or not organization.is_verified:
        reasons.append(_("This opening is not taking applications: it is not open."))
    if opening.deadline is not None and opening.deadline <= now:
        reasons.append(_("The application deadline has passed."))
    if opening.who_may_apply == WhoMayApply.UNIVERSITIES:
        universities = [u for u in opening.universities.all()
                        if u.kind == OrganizationKind.UNIVERSITY and u.is_verified]
        member = member_of_any(user, universities)
        if not member:
            names = ", ".join(sorted(u.name for u in universities)) or _("no verified university yet")
            reasons.append(_("Only students of these universities may apply: %(names)s. Join your university on "
                             "Forward if you study at one of them.") % {"names": names})
    eligible_countries = _codes(opening.countries_eligible)
    if eligible_countries:
        profile = Profile.objects.filter(user=user).first()
        mine = countries_for(user, profile)
        if not mine:
            reasons.append(_("This opening is for people who can work in %(countries)s. Add the countries you can "
                             "work in to your talent profile.") % {"countries": ", ".join(eligible_countries)})
        elif not set(mine) & set(eligible_countries):
            reasons.append(_("This opening is for people who can work in %(countries)s; your profile says %(mine)s. "
                             "If you can work there, add it to your talent profile.") % {
                "countries": ", ".join(eligible_countries), "mine": ", ".join(mine)})
    requirements = [r for r in (opening.required_credentials or []) if isinstance(r, dict)]
    if requirements:
        held = credentials if credentials is not None else list(credential_selectors.active_for(user=user, now=now))
        for requirement in requirements:
            if not _meets(requirement, held):
                reasons.append(_("It asks for %(what)s, and you hold none that is verified and current.") % {
                    "what": _requirement_text(requirement)})
    return reasons


# --- applying ----------------------------------------------------------------------------------------

class AlreadyApplied(ValidationError):
    """The person has applied to this opening before (a double click, a second tab)."""

    def __init__(self, application: Application):
        super().__init__(_("You have already applied to this opening."))
        self.application = application


def credential_url(credential: Credential) -> str:
    return settings.SITE_URL + reverse("credentials:detail", args=[credential.uuid])


def _snapshot(user: User, profile: Profile, credentials: Sequence[Credential], now: datetime) -> dict[str, Any]:
    return {
        "sent_at": now.isoformat(),
        "name": user.display_name,
        "email": user.email,
        "self_declared": {
            "headline": profile.headline, "about": profile.about, "links": list(profile.links or []),
            "languages": list(profile.languages or []), "available_for": list(profile.available_for or []),
            "available_from": profile.available_from.isoformat() if profile.available_from else None,
            "countries": profile.country_list,
        },
        "verified": [{
            "uuid": str(c.uuid), "kind": c.kind, "kind_label": str(c.get_kind_display()), "name": c.name,
            "detail": c.detail, "issuer": c.issuer.name, "facts": c.facts or {},
            "issued_at": c.issued_at.isoformat(), "valid_until": c.valid_until.isoformat() if c.valid_until else None,
            "url": credential_url(c),
        } for c in credentials],
    }


def _parse_uuids(values: Iterable[object] | None) -> list[str]:
    import uuid as uuid_module

    found = []
    for value in values or []:
        try:
            found.append(str(uuid_module.UUID(str(value))))
        except ValueError:
            raise ValidationError(_("“%(value)s” is not an achievement of yours; choose from the list.") % {
                "value": str(value)[:40]}) from None
    return list(dict.fromkeys(found))


def apply(*, user: User, opening: Opening, note: str = "", include: Iterable[object] = ()) -> Application:
    """Apply with a note and the chosen verified achievements. One application per person per
    opening: a second attempt raises AlreadyApplied (carrying the first), never a second row."""
    note = (note or "").strip()
    if len(note) > 2000:
        raise ValidationError(_("Keep the note under 2,000 characters (it has %(n)d).") % {"n": len(note)})
    if "\x00" in note:
        raise ValidationError(_("The note contains a character that cannot be stored; remove it."))
    wanted = _parse_uuids(include)
    if len(wanted) > MAX_INCLUDED:
        raise ValidationError(_("Choose at most %(n)d achievements.") % {"n": MAX_INCLUDED})
    existing = Application.objects.filter(opening=opening, applicant=user).first()
    if existing is not None:
        raise AlreadyApplied(existing)
    now = timezone.now()
    held = list(credential_selectors.active_for(user=user, now=now))
    reasons = eligibility(user, opening, now=now, credentials=held)
    if reasons:
        raise ValidationError(reasons)
    by_uuid = {str(c.uuid): c for c in held}
    missing = [u for u in wanted if u not in by_uuid]
    if missing:
        raise ValidationError(_("One of the achievements you chose is not yours, or is revoked or expired; "
                                "choose from the list."))
    chosen = [by_uuid[u] for u in wanted]
    try:
        with transaction.atomic():
            profile, _created = Profile.objects.get_or_create(user=user)
            application = Application.objects.create(
                opening=opening, applicant=user, note=note, snapshot=_snapshot(user, profile, chosen, now),
                stage=Stage.APPLIED, created_at=now, updated_at=now)
            StageChange.objects.create(application=application, actor=user, from_stage="", to_stage=Stage.APPLIED,
                                       at=now)
            audit(actor=user, action=AuditAction.TALENT_APPLICATION_CREATE, organization=opening.organization,
                  target=f"application:{application.pk}", opening=str(opening.uuid), included=len(chosen))
    except IntegrityError:
        existing = Application.objects.filter(opening=opening, applicant=user).first()
        if existing is None:
            raise
        raise AlreadyApplied(existing) from None
    return application


# --- stage changes -----------------------------------------------------------------------------------

def _record(*, application: Application, actor: User, to_stage: str, now: datetime) -> StageChange:
    from_stage = application.stage
    application.stage = to_stage
    application.updated_at = now
    fields = ["stage", "updated_at"]
    if to_stage == Stage.HIRED:
        application.offer_accepted_at = now
        fields.append("offer_accepted_at")
    application.save(update_fields=fields)
    if to_stage not in (Stage.INTERVIEW,):
        # Leaving the interview stage frees a slot that has not started yet for someone else.
        InterviewSlot.objects.filter(booked_by=application, starts_at__gt=now).update(booked_by=None, booked_at=None)
    audit(actor=actor, action=AuditAction.TALENT_APPLICATION_STAGE, organization=application.opening.organization,
          target=f"application:{application.pk}", **{"from": from_stage, "to": to_stage})
    return StageChange(application=application, actor=actor, from_stage=from_stage, to_stage=to_stage, at=now)


@dataclass
class Refusal:
    application_id: int
    reason: str


class BulkRefused(ValidationError):
    """Nothing was moved: these rows (each with its reason) cannot go where asked."""

    def __init__(self, refusals: list[Refusal]):
        super().__init__([_("Application %(id)d: %(reason)s") % {"id": r.application_id, "reason": r.reason}
                          for r in refusals])
        self.refusals = refusals


class NotFound(Exception):
    """An id that is not one of this person's to see (the pages answer 404)."""


def move(*, actor: User, application_ids: Iterable[int | str], to_stage: str) -> list[Application]:
    """Move one or many applications to `to_stage`, all or nothing in one transaction: when any row
    may not move, nothing moves and BulkRefused lists each refused row with its reason. Ids the
    actor may not work (another employer's, missing) raise NotFound. One mail per applicant, after commit."""
    ids = list(dict.fromkeys(int(i) for i in application_ids))
    if not ids:
        raise ValidationError(_("Choose at least one application."))
    if len(ids) > MAX_BULK:
        raise ValidationError(_("Move at most %(n)d applications at once.") % {"n": MAX_BULK})
    from .permissions import can_work_applications

    now = timezone.now()
    with transaction.atomic():
        rows = list(Application.objects.select_for_update(of=("self",))
                    .select_related("opening__organization", "applicant").filter(pk__in=ids).order_by("pk"))
        found = {a.pk: a for a in rows}
        allowed_orgs: dict[int, bool] = {}
        for pk in ids:
            application = found.get(pk)
            if application is None:
                raise NotFound(pk)
            org = application.opening.organization
            if org.pk not in allowed_orgs:
                allowed_orgs[org.pk] = can_work_applications(actor, org)
            if not allowed_orgs[org.pk]:
                raise NotFound(pk)
        refusals = [Refusal(a.pk, reason) for a in rows if (reason := employer_refusal(a, to_stage))]
        if refusals:
            raise BulkRefused(refusals)
        changes = [_record(application=a, actor=actor, to_stage=to_stage, now=now) for a in rows]
        StageChange.objects.bulk_create(changes)
        moved = [a.pk for a in rows]
        transaction.on_commit(lambda: emails.stage_changed(application_ids=moved), robust=True)
    return rows


def _own(user: User, application_id: int) -> Application:
    application = (Application.objects.select_for_update(of=("self",)).select_related("opening__organization")
                   .filter(pk=application_id, applicant_id=user.pk).first())
    if application is None:
        raise NotFound(application_id)
    return application


def _applicant_move(*, user: User, application: Application, to_stage: str, refusal: str,
                    action: AuditAction) -> Application:
    now = timezone.now()
    with transaction.atomic():
        row = _own(user, application.pk)
        if row.offer_accepted_at is not None or to_stage not in APPLICANT_MOVES.get(row.stage, ()):
            raise ValidationError(refusal % {"stage": stage_label(row.stage)})
        change = _record(application=row, actor=user, to_stage=to_stage, now=now)
        change.save()
        audit(actor=user, action=action, organization=row.opening.organization, target=f"application:{row.pk}")
        transaction.on_commit(lambda: emails.stage_changed(application_ids=[row.pk]), robust=True)
        transaction.on_commit(lambda: emails.applicant_moved(application_id=row.pk), robust=True)
    return row


def withdraw(*, user: User, application: Application) -> Application:
    """The applicant withdraws, at any open stage until they accept an offer."""
    return _applicant_move(user=user, application=application, to_stage=Stage.WITHDRAWN,
                           refusal=_("You cannot withdraw an application that is %(stage)s."),
                           action=AuditAction.TALENT_APPLICATION_WITHDRAW)


def accept_offer(*, user: User, application: Application) -> Application:
    """The applicant accepts the offer: the application is Hired, and can no longer be withdrawn."""
    return _applicant_move(user=user, application=application, to_stage=Stage.HIRED,
                           refusal=_("There is no offer to accept: the application is %(stage)s."),
                           action=AuditAction.TALENT_APPLICATION_ACCEPT)


def decline_offer(*, user: User, application: Application) -> Application:
    return _applicant_move(user=user, application=application, to_stage=Stage.DECLINED,
                           refusal=_("There is no offer to decline: the application is %(stage)s."),
                           action=AuditAction.TALENT_APPLICATION_DECLINE)


# --- notes -------------------------------------------------------------------------------------------

@transaction.atomic
def note_add(*, actor: User, application: Application, text: str) -> ApplicationNote:
    """A note private to the employer's organization (never shown to the applicant or their university)."""
    from .permissions import can_work_applications

    organization = application.opening.organization
    if not can_work_applications(actor, organization):
        raise NotFound(application.pk)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the note first."))
    if len(text) > 4000:
        raise ValidationError(_("Keep the note under 4,000 characters (it has %(n)d).") % {"n": len(text)})
    if "\x00" in text:
        raise ValidationError(_("The note contains a character that cannot be stored; remove it."))
    note = ApplicationNote.objects.create(application=application, organization=organization, author=actor, text=text)
    audit(actor=actor, action=AuditAction.TALENT_APPLICATION_NOTE, organization=organization,
          target=f"application:{application.pk}")
    return note


# --- interview slots ---------------------------------------------------------------------------------

def open_slots(opening: Opening, *, now: datetime | None = None) -> QuerySet[InterviewSlot]:
    return InterviewSlot.objects.filter(opening=opening, booked_by__isnull=True, starts_at__gt=now or timezone.now())


@transaction.atomic
def slot_create(*, actor: User, opening: Opening, starts_at: datetime, ends_at: datetime,
                where: str = "") -> InterviewSlot:
    from .permissions import can_work_applications

    if not can_work_applications(actor, opening.organization):
        raise NotFound(opening.pk)
    now = timezone.now()
    where = (where or "").strip()
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValidationError(_("Give the times with their time zone."))
    if starts_at <= now:
        raise ValidationError(_("The slot must start in the future."))
    if ends_at <= starts_at:
        raise ValidationError(_("The slot must end after it starts."))
    if ends_at - starts_at > timedelta(hours=8):
        raise ValidationError(_("A slot lasts at most 8 hours; propose several instead."))
    if len(where) > 300 or "\x00" in where:
        raise ValidationError(_("Keep the place or video link under 300 characters."))
    # Lock the opening so two people adding slots at once cannot pass the limit together.
    Opening.objects.select_for_update().filter(pk=opening.pk).first()
    if open_slots(opening, now=now).count() >= MAX_OPEN_SLOTS:
        raise ValidationError(_("This opening already has %(n)d open slots; remove some before adding more.") % {
            "n": MAX_OPEN_SLOTS})
    slot = InterviewSlot.objects.create(opening=opening, starts_at=starts_at, ends_at=ends_at, where=where,
                                        created_by=actor)
    audit(actor=actor, action=AuditAction.TALENT_SLOT_CREATE, organization=opening.organization, target=f"slot:{slot.pk}",
          starts_at=starts_at.isoformat())
    return slot


@transaction.atomic
def slot_delete(*, actor: User, slot: InterviewSlot) -> None:
    """Remove a slot nobody booked."""
    from .permissions import can_work_applications

    if not can_work_applications(actor, slot.opening.organization):
        raise NotFound(slot.pk)
    if not InterviewSlot.objects.filter(pk=slot.pk, booked_by__isnull=True).delete()[0]:
        raise ValidationError(_("A candidate has booked this slot; it cannot be removed."))
    audit(actor=actor, action=AuditAction.TALENT_SLOT_DELETE, organization=slot.opening.organization, target=f"slot:{slot.pk}")


def slot_book(*, user: User, application: Application, slot_id: int) -> InterviewSlot:
    """The applicant, at the interview stage, books a slot of the opening (or moves to another). A
    conditional UPDATE claims it only while nobody holds it: a taken slot is a clear message."""
    now = timezone.now()
    with transaction.atomic():
        row = _own(user, application.pk)
        if row.stage != Stage.INTERVIEW:
            raise ValidationError(_("You can book an interview when the employer invites you to one; the application "
                                    "is %(stage)s.") % {"stage": stage_label(row.stage)})
        slot = InterviewSlot.objects.filter(pk=slot_id, opening_id=row.opening_id).first()
        if slot is None:
            raise NotFound(slot_id)
        if slot.booked_by_id == row.pk:
            return slot
        if slot.starts_at <= now:
            raise ValidationError(_("That slot has already started; choose a later one."))
        current = InterviewSlot.objects.filter(booked_by=row).first()
        if current is not None:
            if current.starts_at <= now:
                raise ValidationError(_("Your interview has already started; it cannot be moved."))
            InterviewSlot.objects.filter(pk=current.pk).update(booked_by=None, booked_at=None)
        claimed = InterviewSlot.objects.filter(pk=slot.pk, booked_by__isnull=True, starts_at__gt=now).update(
            booked_by=row, booked_at=now)
        if not claimed:
            raise ValidationError(_("Someone has just booked that slot; choose another."))
        audit(actor=user, action=AuditAction.TALENT_SLOT_BOOK, organization=row.opening.organization, target=f"slot:{slot.pk}",
              application=row.pk, moved_from=current.pk if current else None)
        transaction.on_commit(lambda: emails.slot_booked(slot_id=slot.pk), robust=True)
    slot.refresh_from_db()
    return slot


def slot_cancel(*, user: User, application: Application) -> None:
    """The applicant gives their slot back, until it starts."""
    now = timezone.now()
    with transaction.atomic():
        row = _own(user, application.pk)
        current = InterviewSlot.objects.filter(booked_by=row).first()
        if current is None:
            raise ValidationError(_("You have no interview booked."))
        if current.starts_at <= now:
            raise ValidationError(_("Your interview has already started; it cannot be cancelled here."))
        InterviewSlot.objects.filter(pk=current.pk, booked_by=row).update(booked_by=None, booked_at=None)
        audit(actor=user, action=AuditAction.TALENT_SLOT_CANCEL, organization=row.opening.organization,
              target=f"slot:{current.pk}", application=row.pk)


# --- reads -------------------------------------------------------------------------------------------

def mine(*, user: User) -> QuerySet[Application]:
    """My applications, newest first, with their opening and employer (one query per page)."""
    return (Application.objects.filter(applicant_id=user.pk)
            .select_related("opening__organization").order_by("-created_at", "-pk"))


def pipeline(*, opening: Opening, stage: str = "") -> QuerySet[Application]:
    """An opening's applications for its employer, optionally of one stage, with the booked slot."""
    qs = (Application.objects.filter(opening=opening).select_related("applicant")
          .prefetch_related(Prefetch("slots", queryset=InterviewSlot.objects.order_by("starts_at")))
          .annotate(notes_count=Count("notes", distinct=True)).order_by("-created_at", "-pk"))
    if stage:
        qs = qs.filter(stage=stage)
    return qs


def stage_counts(*, opening: Opening) -> dict[str, int]:
    counts = dict.fromkeys(Stage.values, 0)
    for row in Application.objects.filter(opening=opening).values("stage").annotate(n=Count("pk")):
        counts[row["stage"]] = row["n"]
    return counts


def employer_openings(*, organization: Organization) -> QuerySet[Opening]:
    """The organization's openings with what needs doing: new applications to screen, and
    candidates at the interview stage without a booked slot (to invite or to propose times for)."""
    unbooked = Q(applications__stage=Stage.INTERVIEW) & ~Q(applications__in=InterviewSlot.objects.filter(
        booked_by__isnull=False).values("booked_by"))
    return (Opening.objects.filter(organization=organization).exclude(status=OpeningStatus.DRAFT)
            .annotate(total=Count("applications", distinct=True),
                      to_screen=Count("applications", filter=Q(applications__stage=Stage.APPLIED), distinct=True),
                      awaiting_slot=Count("applications", filter=unbooked, distinct=True),
                      open_slots=Count("interview_slots", filter=Q(interview_slots__booked_by__isnull=True,
                                                                   interview_slots__starts_at__gt=timezone.now()),
                                       distinct=True))
            .order_by("status", "-published_at", "-pk"))


def history(application: Application) -> list[StageChange]:
    """The stage changes, oldest first (each has `from_label` and `to_label` in the active language)."""
    return list(application.changes.select_related("actor").order_by("at", "pk"))


def booked_slot(application: Application) -> InterviewSlot | None:
    return InterviewSlot.objects.filter(booked_by=application).first()


class BookedSlot(TypedDict):
    has_slot: bool  # one of the opening's interview slots is booked for it


def with_booked_slot(qs: QuerySet[Application]) -> QuerySet[WithAnnotations[Application, BookedSlot]]:
    return qs.annotate(has_slot=Exists(InterviewSlot.objects.filter(booked_by=OuterRef("pk"))))


def placements(*, university: Organization) -> QuerySet[Application]:
    """Where a university's students stand (its career office's view): their applications'
    openings, employers and stages, never the employers' notes or the snapshot."""
    students = Membership.objects.filter(organization=university).values("user_id")
    return (Application.objects.filter(applicant_id__in=students).select_related("opening__organization", "applicant")
            .only("pk", "stage", "created_at", "updated_at", "opening__title", "opening__uuid",
                  "opening__organization__name", "applicant__name", "applicant__email")
            .order_by("-updated_at", "-pk"))
