"""Who may do what with credentials. The one place these rules live.

Anyone may verify a credential and see its public page (its address is an unguessable UUID the
holder shares). Holders see their wallet. Revoking belongs to the issuing organization's admins
and to programme operators (site staff: never an organization's kind, see core.permissions).
A verified university's admins see the credentials earned in its course runs, read-only (the
awarding app shares them: `Credential.shared_with`). Who may certify a cohort or a competition is
the awarding app's rule, asked through `sources.can_certify`.
"""

from __future__ import annotations

from django.db.models import QuerySet

from forward.core.models import Organization, OrganizationKind
from forward.core.permissions import (
    administered_organizations,
    can_manage_organization,
    is_operator,
)
from forward.core.types import AnyUser

from . import sources
from .models import Credential, IssuanceBatch

__all__ = [
    "badge_art_organizations",
    "can_manage_badge_art",
    "can_manage_issuer",
    "can_revoke",
    "can_see_issued",
    "can_see_revocation_reason",
    "can_watch_batch",
    "is_holder",
    "is_operator",
    "issuers_managed",
    "universities_overseen",
]


def can_manage_issuer(user: AnyUser, organization: Organization) -> bool:
    """See what an organization issued, rotate its keys, revoke its credentials: its admins and
    operators, as for managing the organization itself."""
    return can_manage_organization(user, organization)


def can_manage_badge_art(user: AnyUser, organization: Organization) -> bool:
    """Upload or remove the badge art of what an organization issues: its admins and operators, as
    for its keys, once an operator has verified it (an unverified organization issues nothing)."""
    return organization.is_verified and can_manage_issuer(user, organization)


def is_holder(user: AnyUser, credential: Credential) -> bool:
    """The person the credential was issued to: their page shows them sharing and LinkedIn links."""
    return user.is_authenticated and user.pk == credential.recipient_id


def can_revoke(user: AnyUser, credential: Credential) -> bool:
    return can_manage_issuer(user, credential.issuer)


def can_see_revocation_reason(user: AnyUser, credential: Credential) -> bool:
    """Why a credential was revoked is between the holder, the issuer's admins and operators: the
    public page says only that (and when) it was revoked, so it never shames anyone in public."""
    return is_holder(user, credential) or (user.is_authenticated and can_manage_issuer(user, credential.issuer))


def issuers_managed(user: AnyUser) -> QuerySet[Organization]:
    return administered_organizations(user)


def universities_overseen(user: AnyUser) -> QuerySet[Organization]:
    """Verified universities whose admin this person is: they see, read-only, the credentials their
    students earned in the university's course runs, whoever issued them (the course's owner):
    academy shares those with the run's university."""
    return administered_organizations(user, verified_only=True).filter(kind=OrganizationKind.UNIVERSITY)


def can_see_issued(user: AnyUser) -> bool:
    """The issued-credentials page: issuers' admins, verified universities' admins, operators."""
    return user.is_authenticated and (issuers_managed(user).exists() or universities_overseen(user).exists())


def can_watch_batch(user: AnyUser, batch: IssuanceBatch) -> bool:
    """An issuance batch's page (and its retry): whoever may certify its source, which is the
    awarding app's rule (asked through `sources.can_certify`)."""
    return sources.can_certify(user, batch.source)


def badge_art_organizations(user: AnyUser, *, issued: QuerySet[Organization]) -> QuerySet[Organization]:
    """The verified organizations whose badge art page the issued-credentials page links to: those
    this person administers; for operators, who manage every one, only those that have issued
    (`issued`: the organizations with signing keys among those managed)."""
    return (issued if is_operator(user) else issuers_managed(user)).filter(verified_at__isnull=False)
