"""Investor profiles: every write to an investor's thesis and partners.

Edited by the investor's admins and staff (`permissions.can_edit_investor`), verified or not: an
unverified investor prepares its profile but is listed only once an operator verified it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries as COUNTRIES

from forward.core.audit import AuditAction
from forward.core.models import Organization, OrganizationKind, User
from forward.core.permissions import is_member
from forward.core.services import audit

from . import permissions
from .models import InvestorType, LeadStyle, Partner, Stage
from .models.directory import Investor
from .startups import MAX_TITLE, clean_amount, clean_currency, clean_sectors

_T = TypeVar("_T")

MAX_THESIS = 5000
MAX_COUNTRIES = 30
MAX_PARTNERS = 30


def _require(actor: User, investor: Investor) -> None:
    if not permissions.can_edit_investor(actor, investor.organization):
        raise PermissionDenied(_("Only the investor's admins and staff may change its profile."))


def investor_for(organization: Organization) -> Investor:
    """The investor row of an organization of kind investor (created empty the first time)."""
    if organization.kind != OrganizationKind.INVESTOR:
        raise ValidationError(_("This organization is not an investor."))
    investor, _created = Investor.objects.get_or_create(organization=organization)
    investor.organization = organization
    return investor


def _collected(errors: dict[str, str], check: Callable[[], _T], default: _T) -> _T:
    """What ``check`` returns, or ``default`` with its problems added to ``errors``."""
    try:
        return check()
    except ValidationError as exc:
        errors.update({k: " ".join(v) for k, v in exc.message_dict.items()})
        return default


def investor_update_profile(*, actor: User, investor: Investor, investor_type: str, thesis: str, sectors: object,
                            stages: Iterable[str] | None, countries: Iterable[object] | None, ticket_min: object,
                            ticket_max: object, ticket_currency: str,
                            lead_style: str) -> Investor:
    """The thesis: type, text, sectors, stages, countries, ticket range with currency, leads or follows."""
    _require(actor, investor)
    errors: dict[str, str] = {}
    if investor_type not in InvestorType.values:
        errors["investor_type"] = _("Choose a type from: %(choices)s.") % {"choices": ", ".join(InvestorType.values)}
    if lead_style not in LeadStyle.values:
        errors["lead_style"] = _("Choose from: %(choices)s.") % {"choices": ", ".join(LeadStyle.values)}
    thesis = (thesis or "").strip()
    if len(thesis) > MAX_THESIS:
        errors["thesis"] = _("Keep the thesis to %(n)d characters.") % {"n": MAX_THESIS}
    # Each check's problems are collected; the values are used only when there are none.
    sector_codes: list[str] = _collected(errors, lambda: clean_sectors(sectors), [])
    low: Decimal | None = _collected(errors, lambda: clean_amount(ticket_min, field="ticket_min"), None)
    high: Decimal | None = _collected(errors, lambda: clean_amount(ticket_max, field="ticket_max"), None)
    currency = _collected(errors, lambda: clean_currency(ticket_currency, field="ticket_currency"), "")
    stage_codes = list(dict.fromkeys(s for s in (stages or []) if s))
    if any(s not in Stage.values for s in stage_codes):
        errors["stages"] = _("Choose stages from: %(choices)s.") % {"choices": ", ".join(Stage.values)}
    country_codes = list(dict.fromkeys(str(c).strip().upper() for c in (countries or []) if str(c).strip()))
    if len(country_codes) > MAX_COUNTRIES:
        errors["countries"] = _("At most %(n)d countries.") % {"n": MAX_COUNTRIES}
    elif any(c not in COUNTRIES for c in country_codes):
        errors["countries"] = _("Give countries as ISO codes, such as SG, MY.")
    if not errors and low is not None and high is not None and low > high:
        errors["ticket_max"] = _("The largest ticket must be at least the smallest.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        investor = Investor.objects.select_for_update().select_related("organization").get(pk=investor.pk)
        investor.investor_type, investor.thesis, investor.lead_style = investor_type, thesis, lead_style
        investor.sectors, investor.stages, investor.countries = sector_codes, stage_codes, country_codes
        investor.ticket_min, investor.ticket_max = low, high
        investor.ticket_currency = currency
        investor.updated_at = timezone.now()
        investor.save()
        audit(actor=actor, action=AuditAction.VENTURES_INVESTOR_PROFILE, organization=investor.organization,
              target=f"investor:{investor.pk}")
    return investor


def partner_set(*, actor: User, investor: Investor, user: User, title: str, order: int = 0) -> Partner:
    """Show a member of the investor organization as one of its partners."""
    _require(actor, investor)
    title = (title or "").strip()
    if len(title) > MAX_TITLE:
        raise ValidationError({"title": _("Keep the title to %(n)d characters.") % {"n": MAX_TITLE}})
    if not is_member(user, investor.organization_id):
        raise ValidationError({"user": _("Only members of the investor organization can be shown as partners; "
                                         "invite them first.")})
    with transaction.atomic():
        Investor.objects.select_for_update().get(pk=investor.pk)
        if (not Partner.objects.filter(investor=investor, user=user).exists()
                and Partner.objects.filter(investor=investor).count() >= MAX_PARTNERS):
            raise ValidationError({"user": _("At most %(n)d partners.") % {"n": MAX_PARTNERS}})
        partner, _created = Partner.objects.update_or_create(investor=investor, user=user,
                                                             defaults={"title": title, "order": int(order)})
        audit(actor=actor, action=AuditAction.VENTURES_PARTNER_SET, organization=investor.organization,
              target=f"investor:{investor.pk}", user=user.pk, title=title)
    return partner


def partner_remove(*, actor: User, investor: Investor, user: User) -> None:
    _require(actor, investor)
    with transaction.atomic():
        Partner.objects.filter(investor=investor, user=user).delete()
        audit(actor=actor, action=AuditAction.VENTURES_PARTNER_REMOVE, organization=investor.organization,
              target=f"investor:{investor.pk}", user=user.pk)
