"""Startup profiles: every write to a startup's profile, team, traction, round, deck and deck shares.

Each function takes keyword arguments, runs in one transaction, checks permission itself
(`permissions.can_prepare_startup`; sharing a deck: the same) and raises `ValidationError` saying
what to fix or `PermissionDenied`.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries as COUNTRIES

from forward.core.audit import AuditAction
from forward.core.models import Organization, OrganizationKind, User
from forward.core.permissions import is_member
from forward.core.services import audit

from . import permissions
from .models import (
    Currency,
    DeckShare,
    Instrument,
    Investor,
    Sector,
    Stage,
    Startup,
    TeamMember,
    TractionMonth,
)

MAX_SECTORS = 3
MAX_ONE_LINER = 160
MAX_DESCRIPTION = 5000
MAX_TITLE = 80
MAX_TEAM = 30
MAX_DECK_BYTES = 10 * 1024 * 1024
MAX_AMOUNT = Decimal("1000000000000")  # a trillion in any currency: beyond it, a typo
MAX_USERS = 2_000_000_000
TRACTION_MONTHS_BACK = 120  # ten years of monthly figures at most


def _require(actor: User, startup: Startup) -> None:
    if not permissions.can_prepare_startup(actor, startup.organization):
        raise PermissionDenied(_("Only the startup's founders and staff may change its profile."))


def _locked(startup: Startup) -> Startup:
    return Startup.objects.select_for_update().select_related("organization").get(pk=startup.pk)


def startup_for(organization: Organization) -> Startup:
    """The startup row of an organization of kind startup (created empty the first time)."""
    if organization.kind != OrganizationKind.STARTUP:
        raise ValidationError(_("This organization is not a startup."))
    startup, _created = Startup.objects.get_or_create(organization=organization)
    startup.organization = organization
    return startup


def clean_sectors(values: object) -> list[str]:
    if not isinstance(values, (list, tuple)) or not all(isinstance(v, str) for v in values):
        raise ValidationError({"sectors": _("Give the sectors as a list of codes.")})
    codes = list(dict.fromkeys(v.strip() for v in values if v.strip()))
    unknown = [c for c in codes if c not in Sector.values]
    if unknown:
        raise ValidationError({"sectors": _("Unknown sector: %(codes)s. Choose from: %(choices)s.") % {
            "codes": ", ".join(unknown), "choices": ", ".join(Sector.values)}})
    return codes


def clean_amount(value: object, *, field: str, allow_none: bool = True) -> Decimal | None:
    if value is None or value == "":
        if allow_none:
            return None
        raise ValidationError({field: _("Enter an amount.")})
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter an amount as a number, such as 1200000.")}) from None
    if not amount.is_finite() or amount <= 0 or amount >= MAX_AMOUNT:
        raise ValidationError({field: _("Enter an amount above zero and below a trillion.")})
    return amount


def clean_currency(value: str, *, field: str = "currency") -> str:
    code = (value or "").strip().upper()
    if code not in Currency.values:
        raise ValidationError({field: _("Choose a currency from: %(choices)s.") % {"choices": ", ".join(Currency.values)}})
    return code


def startup_update_profile(*, actor: User, startup: Startup, one_liner: str, description: str, sectors: object,
                           stage: str, country: str, founded_on: date | None, video_url: str) -> Startup:
    """The public facts founders write about their startup."""
    _require(actor, startup)
    errors: dict[str, str] = {}
    one_liner = (one_liner or "").strip()
    description = (description or "").strip()
    if len(one_liner) > MAX_ONE_LINER:
        errors["one_liner"] = _("Keep the one-liner to %(n)d characters.") % {"n": MAX_ONE_LINER}
    if len(description) > MAX_DESCRIPTION:
        errors["description"] = _("Keep the description to %(n)d characters.") % {"n": MAX_DESCRIPTION}
    try:
        sectors = clean_sectors(sectors)
        if len(sectors) > MAX_SECTORS:
            errors["sectors"] = _("Choose at most %(n)d sectors.") % {"n": MAX_SECTORS}
    except ValidationError as exc:
        errors.update({k: " ".join(v) for k, v in exc.message_dict.items()})
    if stage not in Stage.values:
        errors["stage"] = _("Choose a stage from: %(choices)s.") % {"choices": ", ".join(Stage.values)}
    country = (country or "").strip().upper()
    if country not in COUNTRIES:
        errors["country"] = _("Choose the country the startup is registered in.")
    if founded_on is not None and founded_on > timezone.localdate():
        errors["founded_on"] = _("The founding date cannot be in the future.")
    video_url = (video_url or "").strip()
    if video_url:
        try:
            URLValidator(schemes=["https"])(video_url)
        except ValidationError:
            errors["video_url"] = _("Give the video's link starting with https://.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        startup = _locked(startup)
        organization = Organization.objects.select_for_update().get(pk=startup.organization_id)
        organization.description = description
        organization.country = country
        organization.save(update_fields=["description", "country"])
        startup.organization = organization
        startup.one_liner, startup.sectors, startup.stage = one_liner, sectors, stage
        startup.founded_on, startup.video_url = founded_on, video_url
        startup.updated_at = timezone.now()
        startup.save(update_fields=["one_liner", "sectors", "stage", "founded_on", "video_url", "updated_at"])
        audit(actor=actor, action=AuditAction.VENTURES_STARTUP_PROFILE, organization=organization,
              target=f"startup:{startup.pk}")
    return startup


def startup_set_round(*, actor: User, startup: Startup, amount: object, currency: str, instrument: str) -> Startup:
    """The round the startup is raising: amount, currency and instrument (all three)."""
    _require(actor, startup)
    amount = clean_amount(amount, field="amount", allow_none=False)
    currency = clean_currency(currency)
    if instrument not in Instrument.values:
        raise ValidationError({"instrument": _("Choose an instrument from: %(choices)s.") % {
            "choices": ", ".join(Instrument.values)}})
    with transaction.atomic():
        startup = _locked(startup)
        startup.raising_amount, startup.raising_currency, startup.raising_instrument = amount, currency, instrument
        startup.updated_at = timezone.now()
        startup.save(update_fields=["raising_amount", "raising_currency", "raising_instrument", "updated_at"])
        audit(actor=actor, action=AuditAction.VENTURES_STARTUP_ROUND, organization=startup.organization,
              target=f"startup:{startup.pk}", amount=str(amount), currency=currency, instrument=instrument)
    return startup


def startup_clear_round(*, actor: User, startup: Startup) -> Startup:
    """Not raising now."""
    _require(actor, startup)
    with transaction.atomic():
        startup = _locked(startup)
        startup.raising_amount, startup.raising_instrument = None, ""
        startup.updated_at = timezone.now()
        startup.save(update_fields=["raising_amount", "raising_instrument", "updated_at"])
        audit(actor=actor, action=AuditAction.VENTURES_STARTUP_ROUND_CLOSED, organization=startup.organization,
              target=f"startup:{startup.pk}")
    return startup


# --- team ------------------------------------------------------------------------------------------


def team_member_set(*, actor: User, startup: Startup, user: User, title: str, order: int = 0) -> TeamMember:
    """Put a member of the startup's organization on its team page (or change their title/order)."""
    _require(actor, startup)
    title = (title or "").strip()
    if len(title) > MAX_TITLE:
        raise ValidationError({"title": _("Keep the title to %(n)d characters.") % {"n": MAX_TITLE}})
    if not is_member(user, startup.organization_id):
        raise ValidationError({"user": _("Only members of the startup's organization can be on its team; invite "
                                         "them to the organization first.")})
    if not 0 <= int(order) <= 1000:
        raise ValidationError({"order": _("Give an order between 0 and 1000.")})
    with transaction.atomic():
        _locked(startup)
        existing = TeamMember.objects.filter(startup=startup, user=user).first()
        if existing is None and TeamMember.objects.filter(startup=startup).count() >= MAX_TEAM:
            raise ValidationError({"user": _("A team page shows at most %(n)d people.") % {"n": MAX_TEAM}})
        member, _created = TeamMember.objects.update_or_create(startup=startup, user=user,
                                                               defaults={"title": title, "order": int(order)})
        audit(actor=actor, action=AuditAction.VENTURES_TEAM_SET, organization=startup.organization,
              target=f"startup:{startup.pk}", user=user.pk, title=title)
    return member


def team_member_remove(*, actor: User, startup: Startup, user: User) -> None:
    _require(actor, startup)
    with transaction.atomic():
        _locked(startup)
        TeamMember.objects.filter(startup=startup, user=user).delete()
        audit(actor=actor, action=AuditAction.VENTURES_TEAM_REMOVE, organization=startup.organization,
              target=f"startup:{startup.pk}", user=user.pk)


# --- traction --------------------------------------------------------------------------------------


def clean_month(value: object) -> date:
    if isinstance(value, str):
        try:
            year_text, month_text = value.strip()[:7].split("-")
            value = date(int(year_text), int(month_text), 1)
        except ValueError:
            raise ValidationError({"month": _("Give the month as YYYY-MM, such as 2026-03.")}) from None
    if not isinstance(value, date):
        raise ValidationError({"month": _("Give the month as YYYY-MM, such as 2026-03.")})
    month = value.replace(day=1)
    today = timezone.localdate().replace(day=1)
    if month > today:
        raise ValidationError({"month": _("Figures are for months that have begun; %(month)s is in the future.") % {
            "month": month.strftime("%Y-%m")}})
    if (today.year - month.year) * 12 + today.month - month.month > TRACTION_MONTHS_BACK:
        raise ValidationError({"month": _("Keep to the last ten years.")})
    return month


def traction_set(*, actor: User, startup: Startup, month: str | date, revenue: Decimal | int | str | None,
                 currency: str, users: int | str | None) -> TractionMonth:
    """A month's revenue and users (replacing what was there for that month)."""
    _require(actor, startup)
    first_day = clean_month(month)
    if revenue in (None, ""):
        revenue = Decimal("0")
    try:
        amount = Decimal(str(revenue)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"revenue": _("Enter the revenue as a number, such as 12500.")}) from None
    if not amount.is_finite() or amount < 0 or amount >= MAX_AMOUNT:
        raise ValidationError({"revenue": _("Enter a revenue of zero or more, below a trillion.")})
    currency = clean_currency(currency)
    try:
        count = int(users or 0)
    except (TypeError, ValueError):
        raise ValidationError({"users": _("Enter the number of users as a whole number.")}) from None
    if not 0 <= count <= MAX_USERS:
        raise ValidationError({"users": _("Enter a number of users of zero or more.")})
    with transaction.atomic():
        _locked(startup)  # two saves of the same month wait for each other: one row a month
        row, _created = TractionMonth.objects.update_or_create(
            startup=startup, month=first_day,
            defaults={"revenue": amount, "currency": currency, "users": count, "updated_at": timezone.now()})
        audit(actor=actor, action=AuditAction.VENTURES_TRACTION_SET, organization=startup.organization,
              target=f"startup:{startup.pk}", month=first_day.isoformat(), revenue=str(amount), currency=currency,
              users=count)
    return row


def traction_delete(*, actor: User, startup: Startup, month: str | date) -> None:
    _require(actor, startup)
    first_day = clean_month(month)
    with transaction.atomic():
        _locked(startup)
        TractionMonth.objects.filter(startup=startup, month=first_day).delete()
        audit(actor=actor, action=AuditAction.VENTURES_TRACTION_DELETE, organization=startup.organization,
              target=f"startup:{startup.pk}", month=first_day.isoformat())


# --- deck ------------------------------------------------------------------------------------------


def check_deck(upload: UploadedFile | None) -> UploadedFile:
    """A deck must be a PDF (it starts with %PDF-) of at most 10 MB."""
    if upload is None:
        raise ValidationError({"deck": _("Choose a PDF file.")})
    if upload.size is None or upload.size > MAX_DECK_BYTES:
        raise ValidationError({"deck": _("The deck is larger than 10 MB; export a smaller PDF.")})
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise ValidationError({"deck": _("This is not a PDF file (it does not start with %PDF-); export your deck "
                                         "as PDF.")})
    return upload


def deck_upload(*, actor: User, startup: Startup, upload: UploadedFile | None) -> Startup:
    """Store the pitch deck under a random name, replacing the previous one (shares stay)."""
    _require(actor, startup)
    upload = check_deck(upload)
    name = default_storage.save(f"ventures/decks/{uuid.uuid4().hex}.pdf", upload)
    try:
        with transaction.atomic():
            startup = _locked(startup)
            old = startup.deck.name
            startup.deck.name = name
            startup.deck_uploaded_at = timezone.now()
            startup.save(update_fields=["deck", "deck_uploaded_at"])
            audit(actor=actor, action=AuditAction.VENTURES_DECK_UPLOAD, organization=startup.organization,
                  target=f"startup:{startup.pk}", size=upload.size)
            if old:
                transaction.on_commit(lambda: default_storage.delete(old))
    except Exception:
        default_storage.delete(name)
        raise
    return startup


def deck_remove(*, actor: User, startup: Startup) -> Startup:
    _require(actor, startup)
    with transaction.atomic():
        startup = _locked(startup)
        old = startup.deck.name
        if old:
            startup.deck.name = ""
            startup.deck_uploaded_at = None
            startup.save(update_fields=["deck", "deck_uploaded_at"])
            audit(actor=actor, action=AuditAction.VENTURES_DECK_REMOVE, organization=startup.organization,
                  target=f"startup:{startup.pk}")
            transaction.on_commit(lambda: default_storage.delete(old))
    return startup


def deck_share(*, actor: User, startup: Startup, investor: Investor) -> DeckShare:
    """Let a verified investor's acting members open the deck. Sharing twice keeps the one share."""
    _require(actor, startup)
    if not investor.organization.is_verified:
        raise ValidationError({"investor": _("Decks are shared only with verified investors.")})
    with transaction.atomic():
        _locked(startup)
        try:
            with transaction.atomic():
                share, created = DeckShare.objects.get_or_create(startup=startup, investor=investor,
                                                                 defaults={"shared_by": actor})
        except IntegrityError:  # a concurrent share of the same pair won
            share, created = DeckShare.objects.get(startup=startup, investor=investor), False
        if created:
            audit(actor=actor, action=AuditAction.VENTURES_DECK_SHARE, organization=startup.organization,
                  target=f"startup:{startup.pk}", investor=investor.organization_id)
    return share


def deck_unshare(*, actor: User, startup: Startup, investor: Investor) -> bool:
    """Take the deck back from an investor; True if it had been shared."""
    _require(actor, startup)
    with transaction.atomic():
        _locked(startup)
        deleted, _rows = DeckShare.objects.filter(startup=startup, investor=investor).delete()
        if deleted:
            audit(actor=actor, action=AuditAction.VENTURES_DECK_UNSHARE, organization=startup.organization,
                  target=f"startup:{startup.pk}", investor=investor.organization_id)
    return bool(deleted)
