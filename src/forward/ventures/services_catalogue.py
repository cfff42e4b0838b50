"""A centre's services catalogue, managed by its programme staff: add a service, edit it, retire it
and reactivate it.

A retired service is off the public catalogue and takes no new request (services_centre.request_create
refuses it), but its existing requests keep their service, their targets and their place in the
queue. Names are unique in a centre, compared without regard to case; the slug is made once from the
name and never changes, so links and API clients that know it keep working after a rename.

Every write is a keyword-only function in one transaction that checks permission itself and raises
ValidationError keyed by field, saying what to fix.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _

from forward.core.audit import AuditAction
from forward.core.models import Organization, User
from forward.core.services import audit

from . import permissions, readiness
from .models import CentreService
from .services_centre import OPEN_STATUSES

MAX_NAME = 120
MAX_DESCRIPTION = 4000
MAX_TARGET_DAYS = 250  # about a working year
MAX_ORDER = 999
MAX_SERVICES = 200  # per centre, against a flood


def catalogue_for_staff(*, centre: Organization) -> QuerySet[CentreService]:
    """Every service of the centre, retired ones included, with its open requests counted (one query)."""
    return (CentreService.objects.filter(centre=centre)
            .annotate(open_requests=Count("requests", filter=Q(requests__status__in=OPEN_STATUSES)),
                      all_requests=Count("requests"))
            .order_by("-active", "order", "pk"))


def _name_taken(centre: Organization, name: str, exclude_pk: int | None) -> bool:
    same = CentreService.objects.filter(centre=centre, name__iexact=name)
    if exclude_pk is not None:
        same = same.exclude(pk=exclude_pk)
    return same.exists()


def _clean(*, centre: Organization, name: str, description: str, areas: Iterable[object] | None,
           assign_within_days: object, done_within_days: object, order: object,
           exclude_pk: int | None = None) -> dict[str, Any]:
    problems: dict[str, str] = {}
    name = " ".join(str(name or "").split())
    description = str(description or "").strip()
    if not name:
        problems["name"] = _("Give the service a name.")
    elif len(name) > MAX_NAME:
        problems["name"] = _("Keep the name to %(n)s characters.") % {"n": MAX_NAME}
    elif _name_taken(centre, name, exclude_pk):
        problems["name"] = _("%(centre)s already has a service called “%(name)s”; choose another name.") % {
            "centre": centre.name, "name": name}
    if len(description) > MAX_DESCRIPTION:
        problems["description"] = _("Keep the description to %(n)s characters.") % {"n": MAX_DESCRIPTION}
    chosen = list(areas or [])
    unknown = [str(a) for a in chosen if a not in readiness.AREAS]
    if unknown:
        problems["areas"] = _("Unknown readiness area: %(a)s. Choose among %(all)s.") % {
            "a": ", ".join(unknown), "all": ", ".join(readiness.AREAS)}
    targets: dict[str, int] = {}
    for field, value in (("assign_within_days", assign_within_days), ("done_within_days", done_within_days)):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_TARGET_DAYS:
            problems[field] = _("Give a whole number of working days from 0 to %(n)s.") % {"n": MAX_TARGET_DAYS}
        else:
            targets[field] = value
    if len(targets) == 2 and targets["assign_within_days"] > targets["done_within_days"]:
        problems["done_within_days"] = _("The done target (%(d)s working days) cannot come before the assignment "
                                         "target (%(a)s).") % {"d": targets["done_within_days"],
                                                               "a": targets["assign_within_days"]}
    if order is not None and (isinstance(order, bool) or not isinstance(order, int)
                              or not 0 <= order <= MAX_ORDER):
        problems["order"] = _("Give a position from 0 to %(n)s.") % {"n": MAX_ORDER}
    if problems:
        raise ValidationError(problems)
    return {"name": name, "description": description, "areas": [a for a in readiness.AREAS if a in chosen],
            **targets, **({"order": order} if order is not None else {})}


def _lock_centre(centre: Organization) -> None:
    """One catalogue change at a time per centre, so two people adding the same name get one service."""
    Organization.objects.select_for_update().filter(pk=centre.pk).first()


def _unique_slug(centre: Organization, name: str) -> str:
    base = (slugify(name) or "service")[:70]
    taken = set(CentreService.objects.filter(centre=centre, slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def service_create(*, actor: User, centre: Organization, name: str, description: str = "", areas: Iterable[str] = (),
                   assign_within_days: int = 2, done_within_days: int = 15, order: int | None = None) -> CentreService:
    """Add a service to the centre's catalogue (active, last unless a position is given)."""
    if not permissions.can_manage_catalogue(actor, centre):
        raise PermissionDenied
    with transaction.atomic():
        _lock_centre(centre)
        fields = _clean(centre=centre, name=name, description=description, areas=areas, order=order,
                        assign_within_days=assign_within_days, done_within_days=done_within_days)
        existing = CentreService.objects.filter(centre=centre)
        if existing.count() >= MAX_SERVICES:
            raise ValidationError(_("The catalogue has %(n)s services; retire or edit one instead.") % {
                "n": MAX_SERVICES})
        if "order" not in fields:
            last = existing.order_by("-order").values_list("order", flat=True).first()
            fields["order"] = min(MAX_ORDER, (last + 1) if last is not None else 0)
        row = CentreService.objects.create(centre=centre, slug=_unique_slug(centre, fields["name"]), **fields)
        audit(actor=actor, action=AuditAction.VENTURES_CENTRE_SERVICE_CREATE, organization=centre, target=f"service:{row.pk}",
              name=row.name)
    return row


def service_update(*, actor: User, service: CentreService, name: str, description: str, areas: Iterable[str] | None,
                   assign_within_days: int, done_within_days: int, order: int | None = None) -> CentreService:
    """Edit a service. New targets apply to new requests; existing ones keep the due dates they got."""
    centre = service.centre
    if not permissions.can_manage_catalogue(actor, centre):
        raise PermissionDenied
    with transaction.atomic():
        _lock_centre(centre)
        fields = _clean(centre=centre, name=name, description=description, areas=areas, order=order,
                        assign_within_days=assign_within_days, done_within_days=done_within_days,
                        exclude_pk=service.pk)
        CentreService.objects.filter(pk=service.pk).update(**fields)
        audit(actor=actor, action=AuditAction.VENTURES_CENTRE_SERVICE_UPDATE, organization=centre,
              target=f"service:{service.pk}", **{k: v for k, v in fields.items() if k != "description"})
    service.refresh_from_db()
    return service


def service_set_active(*, actor: User, service: CentreService, active: bool) -> CentreService:
    """Retire a service (no new requests; existing ones carry on) or offer it again. Idempotent: a
    second click changes nothing and writes no second audit entry."""
    centre = service.centre
    if not permissions.can_manage_catalogue(actor, centre):
        raise PermissionDenied
    with transaction.atomic():
        if CentreService.objects.filter(pk=service.pk, active=not active).update(active=active):
            audit(actor=actor, action=AuditAction.VENTURES_CENTRE_SERVICE_REACTIVATE if active else AuditAction.VENTURES_CENTRE_SERVICE_RETIRE,
                  organization=centre, target=f"service:{service.pk}")
    service.refresh_from_db()
    return service
