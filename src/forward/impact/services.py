"""Writes of the impact app: operators set the programme's targets.

Each function takes keyword arguments, checks permission (operators only: ``PermissionDenied``
otherwise), validates (``ValidationError`` with a message per field) and writes in one transaction,
with an audit event.

Creating a target is idempotent: a target identical in every field to one that exists (a form
submitted twice, a retried request) is not created again; the existing one is returned. The check runs
with the operator's row locked (and SQLite's transactions are IMMEDIATE), so two concurrent submits
of the same form by the same person cannot both pass it.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, TypedDict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_countries import countries

from forward.core.audit import AuditAction
from forward.core.models import Organization, OrganizationKind, User
from forward.core.services import audit

from . import measures, permissions
from .models import Target

if TYPE_CHECKING:
    from forward.academy.models import Programme

CURRENCY = re.compile(r"^[A-Z]{3}$")
MAX_VALUE = 10**15
FIELDS = ("measure", "unit", "title", "value", "starts_on", "deadline", "country", "programme", "university")


def _check_actor(actor: User) -> None:
    if not permissions.can_manage_targets(actor):
        raise PermissionDenied(_("Only programme operators set targets."))


class TargetFields(TypedDict):
    measure: str
    unit: str
    title: str
    value: int
    starts_on: date
    deadline: date
    country: str
    programme: Programme | None
    university: Organization | None


def _cleaned(*, measure: str, unit: str, title: str, value: int, starts_on: date, deadline: date, country: str,
             programme: Programme | None, university: Organization | None) -> TargetFields:
    """The fields as stored, or a ValidationError naming each field that is wrong and how to fix it."""
    problems: dict[str, list[str]] = {}
    found = measures.get(measure)
    unit = (unit or "").strip().upper()
    title = (title or "").strip()
    country = (country or "").strip().upper()
    if found is None:
        problems["measure"] = [_("Choose one of the measures.")]
    elif found.money and not CURRENCY.match(unit):
        problems["unit"] = [_("%(measure)s is an amount of money: give its currency as a 3-letter code, such as "
                              "USD.") % {"measure": found.name}]
    elif not found.money and unit:
        problems["unit"] = [_("%(measure)s is a count: leave the currency empty.") % {"measure": found.name}]
    if len(title) > 200:
        problems["title"] = [_("Keep the title to 200 characters.")]
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= MAX_VALUE:
        problems["value"] = [_("The target value must be a whole number above 0.")]
    if not isinstance(starts_on, date) or not isinstance(deadline, date):
        problems["deadline"] = [_("Give both the start and the deadline.")]
    elif deadline <= starts_on:
        problems["deadline"] = [_("The deadline must come after the start.")]
    if country and country not in dict(countries):
        problems["country"] = [_("'%(code)s' is not an ISO 3166 country code.") % {"code": country[:10]}]
    if university is not None and (not isinstance(university, Organization)
                                   or university.kind != OrganizationKind.UNIVERSITY or not university.is_verified):
        problems["university"] = [_("Choose a verified university.")]
    if programme is not None:
        from forward.academy.models import Programme

        if not isinstance(programme, Programme) or programme.pk is None:
            problems["programme"] = [_("Choose a programme.")]
    if problems:
        raise ValidationError(problems)
    return {"measure": measure, "unit": unit, "title": title, "value": value, "starts_on": starts_on,
            "deadline": deadline, "country": country, "programme": programme, "university": university}


def target_create(*, actor: User, measure: str, value: int, starts_on: date, deadline: date, unit: str = "",
                  title: str = "", country: str = "", programme: Programme | None = None,
                  university: Organization | None = None, order: int = 0) -> Target:
    """A new target, or the identical one that exists already (see the module docstring)."""
    _check_actor(actor)
    fields = _cleaned(measure=measure, unit=unit, title=title, value=value, starts_on=starts_on, deadline=deadline,
                      country=country, programme=programme, university=university)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=actor.pk).exists()  # one create at a time per operator
        same = Target.objects.filter(**fields).order_by("pk").first()
        if same is not None:
            return same
        target = Target.objects.create(**fields, order=order, created_by=actor)
        audit(actor=actor, action=AuditAction.IMPACT_TARGET_CREATE, target=f"target:{target.pk}", measure=target.measure,
              value=target.value, deadline=target.deadline.isoformat())
    return target


def target_update(*, actor: User, target: Target, measure: str, value: int, starts_on: date, deadline: date,
                  unit: str = "", title: str = "", country: str = "", programme: Programme | None = None,
                  university: Organization | None = None, order: int | None = None) -> Target:
    _check_actor(actor)
    fields = _cleaned(measure=measure, unit=unit, title=title, value=value, starts_on=starts_on, deadline=deadline,
                      country=country, programme=programme, university=university)
    with transaction.atomic():
        row = Target.objects.select_for_update().filter(pk=target.pk).first()
        if row is None:
            raise ValidationError(_("This target was deleted meanwhile."))
        for name, new in fields.items():
            setattr(row, name, new)
        if order is not None:
            row.order = order
        row.save()
        audit(actor=actor, action=AuditAction.IMPACT_TARGET_UPDATE, target=f"target:{row.pk}", measure=row.measure,
              value=row.value, deadline=row.deadline.isoformat())
    return row


def target_delete(*, actor: User, target: Target) -> None:
    """Delete a target (deleting one already gone is not an error: a repeated confirmation)."""
    _check_actor(actor)
    with transaction.atomic():
        deleted, _rows = Target.objects.filter(pk=target.pk).delete()
        if deleted:
            audit(actor=actor, action=AuditAction.IMPACT_TARGET_DELETE, target=f"target:{target.pk}", measure=target.measure,
                  value=target.value, title=target.title)
