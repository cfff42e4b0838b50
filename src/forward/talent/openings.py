"""Openings: every write (services) and the reads pages and the API share (selectors).

Services take keyword arguments, run in one transaction each, check permission themselves (as well
as the views) and write every change to the audit log. Life cycle: draft → open → closed, and a
closed opening may be opened again (the same checks as publishing: a deadline still ahead).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import (
    Case,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    TextChoices,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries
from django_countries.fields import Country

from forward.core.audit import AuditAction
from forward.core.models import AuditEvent, Organization, OrganizationKind, Skill, User
from forward.core.services import audit
from forward.core.types import AnyUser
from forward.credentials.models import CredentialKind

from . import permissions
from .models import Opening, OpeningKind, OpeningStatus, PayPeriod, Remote, WhoMayApply

PAGE_SIZE = 20
MAX_DESCRIPTION = 20_000
MAX_REQUIRED_CREDENTIALS = 5
MAX_SKILLS = 20  # required, and preferred, each
MAX_COUNTRIES = 60
MAX_UNIVERSITIES = 50
MAX_LEVEL = 3
MAX_PAY = Decimal("9999999999.99")  # what the column holds (12 digits, 2 after the point)
MAX_DURATION_WEEKS = 520
MAX_SEATS = 10_000

# ISO 4217 codes of the currencies in use (funds, metals and test codes left out).
CURRENCIES = frozenset({
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BHD", "BIF",
    "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHF", "CLP", "CNY", "COP", "CRC",
    "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS",
    "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD",
    "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL",
    "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MYR", "MZN", "NAD",
    "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD",
    "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP",
    "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS", "VED",
    "VES", "VND", "VUV", "WST", "XAF", "XCD", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG",
})

# What an employer sets; the rest (status, featuring, dates) only follows from the services below.
EDITABLE_FIELDS = (
    "title", "description", "kind", "city", "country", "remote", "countries_eligible", "required_skills",
    "preferred_skills", "required_credentials", "start_date", "duration_weeks", "pay_min", "pay_max", "currency",
    "pay_period", "seats", "deadline", "who_may_apply", "universities",
)
M2M_FIELDS = ("required_skills", "preferred_skills", "universities")


# --- validation ------------------------------------------------------------------------------------


def _country(code: Any, *, field: str) -> str:
    if not isinstance(code, str) or code.strip().upper() not in countries:
        raise ValidationError(_("%(field)s: “%(code)s” is not a country code; use two letters from ISO 3166, "
                                "such as SG, MY or CN.") % {"field": field, "code": str(code)[:20]})
    return code.strip().upper()


def _choice(value: object, choices: type[TextChoices], *, field: str) -> str:
    if not isinstance(value, str) or value not in choices.values:
        raise ValidationError(_("%(field)s must be one of: %(choices)s.")
                              % {"field": field, "choices": ", ".join(choices.values)})
    return value


def _text(value: object, *, field: str, max_length: int, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(_("%(field)s must be text.") % {"field": field})
    value = value.strip()
    if "\x00" in value:
        raise ValidationError(_("%(field)s contains a NUL character; remove it.") % {"field": field})
    if required and not value:
        raise ValidationError(_("Give the opening a %(field)s.") % {"field": field})
    if len(value) > max_length:
        raise ValidationError(_("%(field)s is %(length)s characters long; the limit is %(limit)s.")
                              % {"field": field, "length": len(value), "limit": max_length})
    return value


def _int(value: object, *, field: str, low: int, high: int, optional: bool = True) -> int | None:
    if value is None or value == "":
        if optional:
            return None
        raise ValidationError(_("%(field)s is required.") % {"field": field})
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(_("%(field)s must be a whole number.") % {"field": field})
    if not low <= value <= high:
        raise ValidationError(_("%(field)s must be between %(low)s and %(high)s.")
                              % {"field": field, "low": low, "high": high})
    return value


def _money(value: Any, *, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationError(_("%(field)s must be an amount, such as 3500 or 3500.50.") % {"field": field})
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("%(field)s must be an amount, such as 3500 or 3500.50.") % {"field": field}) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_PAY:
        raise ValidationError(_("%(field)s must be between 0 and %(max)s.") % {"field": field, "max": MAX_PAY})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(_("%(field)s has more than two decimal places.") % {"field": field})
    return amount.quantize(Decimal("0.01"))


def _date(value: object, *, field: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValidationError(_("%(field)s must be a date.") % {"field": field})
    return value


def _datetime(value: object, *, field: str) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if not isinstance(value, dt.datetime):
        raise ValidationError(_("%(field)s must be a date and time.") % {"field": field})
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _slugs(value: Any, *, field: str, limit: int) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise ValidationError(_("%(field)s must be a list.") % {"field": field})
    if len(value) > limit:
        raise ValidationError(_("%(field)s: at most %(limit)s, please.") % {"field": field, "limit": limit})
    slugs = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise ValidationError(_("%(field)s must list short names (slugs) as text.") % {"field": field})
        if item.strip() not in slugs:
            slugs.append(item.strip())
    return slugs


def _skills(value: Any, *, field: str) -> list[Skill]:
    slugs = _slugs(value, field=field, limit=MAX_SKILLS)
    found = {s.slug: s for s in Skill.objects.filter(slug__in=slugs)}
    unknown = [s for s in slugs if s not in found]
    if unknown:
        raise ValidationError(_("%(field)s: no skill is called %(slugs)s; choose skills from the shared list.")
                              % {"field": field, "slugs": ", ".join(f"“{s[:80]}”" for s in unknown[:5])})
    return [found[s] for s in slugs]


def _universities(value: Any) -> list[Organization]:
    slugs = _slugs(value, field=_("Universities"), limit=MAX_UNIVERSITIES)
    found = {o.slug: o for o in Organization.objects.verified().filter(kind=OrganizationKind.UNIVERSITY,
                                                                         slug__in=slugs)}
    unknown = [s for s in slugs if s not in found]
    if unknown:
        raise ValidationError(_("Universities: %(slugs)s is not a verified university; only students of verified "
                                "universities can be chosen.") % {"slugs": ", ".join(f"“{s[:80]}”" for s in unknown[:5])})
    return [found[s] for s in slugs]


def _countries_eligible(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = [c for c in value.split(",") if c]
    if not isinstance(value, (list, tuple)):
        raise ValidationError(_("Countries eligible must be a list of country codes."))
    if len(value) > MAX_COUNTRIES:
        raise ValidationError(_("Countries eligible: at most %(limit)s countries; leave it empty for anywhere.")
                              % {"limit": MAX_COUNTRIES})
    codes = sorted({_country(c, field=_("Countries eligible")) for c in value})
    return f",{','.join(codes)}," if codes else ""


def validate_required_credentials(value: Any) -> list[dict[str, Any]]:
    """[{"kind": a CredentialKind value, "level": 0..3}], at most five, each kind once; a level
    above 0 only for a certification (its level: 1 associate, 2 professional, 3 expert)."""
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        raise ValidationError(_("Required credentials must be a list of {\"kind\", \"level\"} entries."))
    if len(value) > MAX_REQUIRED_CREDENTIALS:
        raise ValidationError(_("Ask for at most %(limit)s required credentials.") % {"limit": MAX_REQUIRED_CREDENTIALS})
    cleaned, seen = [], set()
    for entry in value:
        if not isinstance(entry, dict) or set(entry) - {"kind", "level"} or "kind" not in entry:
            raise ValidationError(_("Each required credential is {\"kind\": …, \"level\": 0–3} and nothing else."))
        kind = entry["kind"]
        if kind not in CredentialKind.values:
            raise ValidationError(_("Required credentials: the kind must be one of %(kinds)s.")
                                  % {"kinds": ", ".join(CredentialKind.values)})
        level = entry.get("level", 0)
        if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= MAX_LEVEL:
            raise ValidationError(_("Required credentials: the level is a whole number from 0 (any) to 3."))
        if level and kind != CredentialKind.CERTIFICATION:
            raise ValidationError(_("Required credentials: only a certification has a level (1 associate, "
                                    "2 professional, 3 expert); use 0 for other kinds."))
        if kind in seen:
            raise ValidationError(_("Required credentials: list each kind once."))
        seen.add(kind)
        cleaned.append({"kind": kind, "level": level})
    return cleaned


def _clean(field: str, value: Any) -> Any:
    """One editable field's value, checked and normalised; a ValidationError says what to fix (its type
    is the field's: hence Any)."""
    match field:
        case "title":
            return _text(value, field=_("Title"), max_length=200, required=True)
        case "description":
            return _text(value, field=_("Description"), max_length=MAX_DESCRIPTION)
        case "city":
            return _text(value, field=_("City"), max_length=120)
        case "kind":
            return _choice(value, OpeningKind, field=_("Type"))
        case "remote":
            return _choice(value, Remote, field=_("Where"))
        case "who_may_apply":
            return _choice(value, WhoMayApply, field=_("Who may apply"))
        case "pay_period":
            return "" if value in (None, "") else _choice(value, PayPeriod, field=_("Pay period"))
        case "country":
            return "" if value in (None, "") else _country(value, field=_("Country"))
        case "countries_eligible":
            return _countries_eligible(value)
        case "currency":
            if value in (None, ""):
                return ""
            code = value.strip().upper() if isinstance(value, str) else value
            if code not in CURRENCIES:
                raise ValidationError(_("Currency: “%(code)s” is not an ISO 4217 code; use three letters such as "
                                        "SGD, MYR, IDR, CNY or PHP.") % {"code": str(value)[:10]})
            return code
        case "pay_min":
            return _money(value, field=_("Pay from"))
        case "pay_max":
            return _money(value, field=_("Pay up to"))
        case "seats":
            return _int(value, field=_("Seats"), low=1, high=MAX_SEATS, optional=False)
        case "duration_weeks":
            return _int(value, field=_("Duration (weeks)"), low=1, high=MAX_DURATION_WEEKS)
        case "start_date":
            return _date(value, field=_("Start date"))
        case "deadline":
            return _datetime(value, field=_("Application deadline"))
        case "required_credentials":
            return validate_required_credentials(value)
        case "required_skills":
            return _skills(value, field=_("Required skills"))
        case "preferred_skills":
            return _skills(value, field=_("Preferred skills"))
        case "universities":
            return _universities(value)
    raise ValidationError(_("%(field)s cannot be set.") % {"field": field})


def _check_consistent(opening: Opening) -> None:
    """Rules between fields, checked on every save (a draft too)."""
    if opening.pay_min is not None and opening.pay_max is not None and opening.pay_min > opening.pay_max:
        raise ValidationError(_("The pay range is upside down: “pay from” must not be more than “pay up to”."))
    if (opening.pay_min is not None or opening.pay_max is not None) and not (opening.currency and opening.pay_period):
        raise ValidationError(_("Pay needs a currency (such as SGD) and a period (per hour, month, year or in total)."))


def _check_complete(opening: Opening, *, deadline: bool = True) -> None:
    """What an open opening must have; checked on publishing and on every edit while open (where a
    deadline that has since passed only matters if the edit sets it)."""
    problems = []
    if not opening.title.strip():
        problems.append(_("a title"))
    if not opening.description.strip():
        problems.append(_("a description"))
    if opening.seats < 1:
        problems.append(_("at least one seat"))
    if opening.remote != Remote.REMOTE and not opening.country:
        problems.append(_("a country where the work is (or make it remote)"))
    if opening.who_may_apply == WhoMayApply.UNIVERSITIES and not opening.universities.exists():
        problems.append(_("at least one university whose students may apply"))
    if problems:
        raise ValidationError(_("Before it opens, the opening needs %(missing)s.") % {"missing": ", ".join(problems)})
    if deadline and opening.deadline is not None and opening.deadline <= timezone.now():
        raise ValidationError(_("The application deadline has passed: move it to a future date, or clear it."))


def _shown(value: Any) -> Any:
    """A value as the audit log keeps it (plain JSON)."""
    if isinstance(value, (list, tuple)):
        return [_shown(v) for v in value]
    if isinstance(value, (Skill, Organization)):
        return value.slug
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Country):
        return value.code or ""
    return value


def _apply(opening: Opening, fields: dict[str, Any], *, creating: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """Set the fields on the (unsaved) row; returns (changed for the audit log, many-to-many values)."""
    unknown = sorted(set(fields) - set(EDITABLE_FIELDS))
    if unknown:
        raise ValidationError(_("These fields cannot be set: %(fields)s.") % {"fields": ", ".join(unknown)})
    changed: dict[str, Any] = {}
    m2m: dict[str, Any] = {}
    for name, raw in fields.items():
        value = _clean(name, raw)
        if name in M2M_FIELDS:
            before = [] if creating else list(getattr(opening, name).order_by("slug").values_list("slug", flat=True))
            after = sorted(v.slug for v in value)
            if before != after:
                changed[name] = {"from": before, "to": after}
                m2m[name] = value
            continue
        before = getattr(opening, name)
        if before != value:
            changed[name] = {"from": _shown(before), "to": _shown(value)}
            setattr(opening, name, value)
    return changed, m2m


def _locked(opening: Opening) -> Opening:
    return Opening.objects.select_for_update().select_related("organization").get(pk=opening.pk)


# --- services --------------------------------------------------------------------------------------


@transaction.atomic
def opening_create(*, actor: User, organization: Organization, **fields: Any) -> Opening:
    """A draft in the employer's name, by its admins or staff (verified or not) or an operator."""
    if not permissions.can_prepare_openings(actor, organization):
        raise PermissionDenied
    if "title" not in fields:
        raise ValidationError(_("Give the opening a title."))
    opening = Opening(organization=organization, created_by=actor)
    changed, m2m = _apply(opening, fields, creating=True)
    _check_consistent(opening)
    opening.save()
    for name, values in m2m.items():
        getattr(opening, name).set(values)
    audit(actor=actor, action=AuditAction.OPENING_CREATE, organization=organization, target=str(opening.uuid),
          title=opening.title, changed=changed)
    return opening


@transaction.atomic
def opening_update(*, actor: User, opening: Opening, **fields: Any) -> Opening:
    """Change what the employer sets. An open opening stays complete (the checks of publishing)."""
    opening = _locked(opening)
    if not permissions.can_edit_opening(actor, opening):
        raise PermissionDenied
    changed, m2m = _apply(opening, fields, creating=False)
    _check_consistent(opening)
    if not changed:
        return opening
    opening.updated_at = timezone.now()
    opening.save()
    for name, values in m2m.items():
        getattr(opening, name).set(values)
    if opening.status == OpeningStatus.OPEN:
        # Raises inside the transaction: nothing of the edit is kept.
        _check_complete(opening, deadline="deadline" in changed)
    audit(actor=actor, action=AuditAction.OPENING_EDIT, organization=opening.organization, target=str(opening.uuid),
          title=opening.title, status=opening.status, changed=changed)
    return opening


@transaction.atomic
def opening_publish(*, actor: User, opening: Opening) -> Opening:
    """Draft (or closed) → open, once complete; needs a verified employer. Publishing an open
    opening again changes nothing (a double click is harmless)."""
    opening = _locked(opening)
    if not permissions.can_edit_opening(actor, opening):
        raise PermissionDenied
    if opening.status == OpeningStatus.OPEN:
        return opening
    if not permissions.can_act_for_employer(actor, opening.organization):
        raise PermissionDenied(_("Only a verified employer publishes openings: an operator verifies your "
                                 "organization first (drafts can wait until then)."))
    _check_complete(opening)
    reopening = opening.status == OpeningStatus.CLOSED
    now = timezone.now()
    opening.status = OpeningStatus.OPEN
    opening.published_at = opening.published_at if reopening and opening.published_at else now
    opening.closed_at = None
    opening.updated_at = now
    opening.save(update_fields=["status", "published_at", "closed_at", "updated_at"])
    audit(actor=actor, action=AuditAction.OPENING_REOPEN if reopening else AuditAction.OPENING_PUBLISH, organization=opening.organization,
          target=str(opening.uuid), title=opening.title,
          changed={"status": {"from": OpeningStatus.CLOSED if reopening else OpeningStatus.DRAFT,
                              "to": OpeningStatus.OPEN}})
    return opening


@transaction.atomic
def opening_close(*, actor: User, opening: Opening) -> Opening:
    """Open → closed: no new applications; it leaves search. Closing a closed one changes nothing."""
    opening = _locked(opening)
    if not permissions.can_edit_opening(actor, opening):
        raise PermissionDenied
    if opening.status == OpeningStatus.CLOSED:
        return opening
    if opening.status != OpeningStatus.OPEN:
        raise ValidationError(_("Only an open opening can be closed; a draft is simply not published."))
    now = timezone.now()
    opening.status, opening.closed_at, opening.updated_at = OpeningStatus.CLOSED, now, now
    opening.featured_at = None
    opening.save(update_fields=["status", "closed_at", "updated_at", "featured_at"])
    audit(actor=actor, action=AuditAction.OPENING_CLOSE, organization=opening.organization, target=str(opening.uuid),
          title=opening.title, changed={"status": {"from": OpeningStatus.OPEN, "to": OpeningStatus.CLOSED}})
    return opening


@transaction.atomic
def opening_feature(*, actor: User, opening: Opening, featured: bool = True) -> Opening:
    """Operators put an open opening first in search (or take it back); repeating it changes nothing."""
    if not permissions.can_feature_opening(actor):
        raise PermissionDenied
    opening = _locked(opening)
    if featured == (opening.featured_at is not None):
        return opening
    if featured and opening.status != OpeningStatus.OPEN:
        raise ValidationError(_("Only an open opening can be featured."))
    before = opening.featured_at
    opening.featured_at = timezone.now() if featured else None
    opening.save(update_fields=["featured_at"])
    audit(actor=actor, action=AuditAction.OPENING_FEATURE if featured else AuditAction.OPENING_UNFEATURE,
          organization=opening.organization, target=str(opening.uuid), title=opening.title,
          changed={"featured_at": {"from": _shown(before), "to": _shown(opening.featured_at)}})
    return opening


# --- selectors -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchFilters:
    """What the browse page and the API filter on. Pay: openings whose top of range (or only
    amount) reaches `min_pay` in the same currency and period — no conversion between currencies."""

    text: str = ""
    skill: str = ""
    kind: str = ""
    country: str = ""
    remote: str = ""
    min_pay: Decimal | None = None
    currency: str = ""
    pay_period: str = ""
    employer: str = ""

    def querystring_items(self) -> list[tuple[str, str]]:
        names = ("text", "skill", "kind", "country", "remote", "min_pay", "currency", "pay_period", "employer")
        return [(n, str(getattr(self, n))) for n in names if getattr(self, n) not in ("", None)]


def _with_skills(queryset: QuerySet[Opening]) -> QuerySet[Opening]:
    return queryset.select_related("organization").prefetch_related(
        Prefetch("required_skills", queryset=Skill.objects.order_by("name")),
        Prefetch("preferred_skills", queryset=Skill.objects.order_by("name")),
    )


def public_openings() -> QuerySet[Opening]:
    """Open openings of verified employers whose deadline, if any, is still ahead."""
    return Opening.objects.filter(
        status=OpeningStatus.OPEN, organization__verified_at__isnull=False,
        organization__kind=OrganizationKind.EMPLOYER,
    ).filter(Q(deadline__isnull=True) | Q(deadline__gt=timezone.now()))


def search(filters: SearchFilters | None = None) -> QuerySet[Opening]:
    """The public search: featured first (latest featured first), then the newest."""
    f = filters or SearchFilters()
    qs = public_openings()
    if f.text:
        qs = qs.filter(Q(title__icontains=f.text) | Q(description__icontains=f.text)
                       | Q(organization__name__icontains=f.text))
    if f.skill:
        # Two uncorrelated `IN` subqueries, not correlated EXISTS: inside an OR, PostgreSQL runs a
        # correlated EXISTS once per opening (600 ms with 20,000 openings), while an uncorrelated
        # subquery is read once into a hash; SQLite likewise builds each list once.
        required = Opening.required_skills.through.objects.filter(skill__slug=f.skill).values("opening_id")
        preferred = Opening.preferred_skills.through.objects.filter(skill__slug=f.skill).values("opening_id")
        qs = qs.filter(Q(pk__in=required) | Q(pk__in=preferred))
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.remote:
        qs = qs.filter(remote=f.remote)
    if f.country:
        # Work located there, or remote work open to people there (or to anyone).
        qs = qs.filter(Q(country=f.country) | Q(remote=Remote.REMOTE) & (
            Q(countries_eligible="") | Q(countries_eligible__contains=f",{f.country},")))
    if f.min_pay is not None:
        qs = qs.filter(currency=f.currency, pay_period=f.pay_period).filter(
            Q(pay_max__gte=f.min_pay) | Q(pay_max__isnull=True, pay_min__gte=f.min_pay))
    if f.employer:
        qs = qs.filter(organization__slug=f.employer)
    return _with_skills(qs).order_by(F("featured_at").desc(nulls_last=True), F("published_at").desc(nulls_last=True),
                                     "-pk")


def search_page(filters: SearchFilters | None = None, *, page: Any = 1, page_size: int = PAGE_SIZE) -> Page[Opening]:
    """A page of the search (a page number out of range gives the last page): one count, one page
    of rows with their employers, one query per kind of skill."""
    return Paginator(search(filters), page_size).get_page(page)


def employer_openings(*, organization: Organization) -> QuerySet[Opening]:
    """An employer's own openings, drafts and closed ones included: drafts first, then open, then closed."""
    order = Case(When(status=OpeningStatus.DRAFT, then=Value(0)), When(status=OpeningStatus.OPEN, then=Value(1)),
                 default=Value(2), output_field=IntegerField())
    return _with_skills(Opening.objects.filter(organization=organization)).order_by(order, "-updated_at", "-pk")


def opening_visible(*, user: AnyUser, uuid: Any) -> Opening | None:
    """The opening at this uuid if this person may see it (None: the same answer as a missing one)."""
    opening = _with_skills(Opening.objects.filter(uuid=uuid)).prefetch_related("universities").first()
    if opening is None or not permissions.can_view_opening(user, opening):
        return None
    return opening


def opening_editable(*, user: AnyUser, uuid: Any) -> Opening | None:
    opening = _with_skills(Opening.objects.filter(uuid=uuid)).prefetch_related("universities").first()
    if opening is None or not permissions.can_edit_opening(user, opening):
        return None
    return opening


def opening_history(*, opening: Opening, limit: int = 20) -> list[AuditEvent]:
    """The latest changes to an opening (for its editors): who, when, what changed."""
    return list(AuditEvent.objects.filter(action__startswith="opening.", target=str(opening.uuid))
                .select_related("actor").order_by("-created_at", "-pk")[:limit])


def is_accepting(opening: Opening) -> bool:
    """Open, its employer verified, and its deadline (if any) not passed."""
    return (opening.status == OpeningStatus.OPEN and opening.organization.is_verified
            and (opening.deadline is None or opening.deadline > timezone.now()))


def eligible_country_codes(opening: Opening) -> list[str]:
    return [c for c in opening.countries_eligible.split(",") if c]
