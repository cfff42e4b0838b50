"""Who sees what of the impact numbers. One place; tests/impact/test_permissions.py covers every role.

- Everyone, signed in or not: totals, targets, forecasts, breakdowns, with small groups suppressed.
- Operators: everything, unsuppressed, and the rows behind a number (who was counted); they set targets.
- A verified university's acting members (admin or staff): their own university's part, unsuppressed,
  with the rows behind it. Nothing about their organization that they can set themselves (its name,
  its kind) widens this: it needs an operator's verification and a role its admin granted.
"""

from __future__ import annotations

from forward.core import permissions as core
from forward.core.models import Organization, OrganizationKind
from forward.core.types import AnyUser


def can_manage_targets(user: AnyUser) -> bool:
    return user.is_authenticated and core.is_operator(user)


def sees_everything(user: AnyUser) -> bool:
    """Unsuppressed numbers and drill-down everywhere."""
    return user.is_authenticated and core.is_operator(user)


def universities_for(user: AnyUser) -> list[Organization]:
    """The universities whose own part this person may open (drill-down, unsuppressed): none for
    anonymous people; for operators, the empty list too (they see everything anyway)."""
    if not user.is_authenticated or core.is_operator(user):
        return []
    return list(core.acting_organizations(user, verified_only=True).filter(kind=OrganizationKind.UNIVERSITY)
                .order_by("name"))


def can_drill(user: AnyUser, *, university: int | None) -> bool:
    """May see who is behind a number: operators anywhere; a university's staff within their university."""
    if sees_everything(user):
        return True
    return university is not None and university > 0 and any(u.pk == university for u in universities_for(user))
