"""Every write to people and organizations. Keyword arguments; one transaction each."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from . import permissions
from .audit import AuditAction
from .models import (
    ApiToken,
    AuditEvent,
    Invitation,
    Membership,
    Organization,
    Role,
    User,
    hash_secret,
)
from .types import AnyUser

if TYPE_CHECKING:
    from .images import Upload

INVITATION_SALT = "forward.core.invitation"

M = TypeVar("M", bound=models.Model)


def audit(*, actor: User | None, action: AuditAction, organization: Organization | None = None,
          target: str = "", **data: Any) -> AuditEvent:
    """Record who did what. `action` is a member of AuditAction; anything else (a bare string, a
    misspelt action) is a programming error and raises ValueError, so no event goes unfindable."""
    if not isinstance(action, AuditAction):
        raise ValueError(f"audit() takes an AuditAction, not {action!r}")
    return AuditEvent.objects.create(
        actor=actor if actor and actor.is_authenticated else None,
        organization=organization,
        action=action,
        target=target[:200],
        data=data,
    )


def audit_each(*, actor: User | None, action: AuditAction,
               events: list[tuple[Organization | None, str, dict[str, Any]]]) -> list[AuditEvent]:
    """Record one event per (organization, target, data), in one insert (a batch of writes)."""
    if not isinstance(action, AuditAction):
        raise ValueError(f"audit_each() takes an AuditAction, not {action!r}")
    actor = actor if actor and actor.is_authenticated else None
    return AuditEvent.objects.bulk_create([
        AuditEvent(actor=actor, organization=organization, action=action, target=target[:200], data=data)
        for organization, target, data in events])


def operator_change_record(*, actor: User, user: User, was_operator: bool) -> AuditEvent | None:
    """After an operator changed someone's account (the admin's user form): record that they became
    or stopped being an operator (site staff or superuser, active), if they did; nothing otherwise."""
    now_operator = permissions.is_operator(user)
    if now_operator == was_operator:
        return None
    return audit(actor=actor, action=AuditAction.OPERATOR_GRANT if now_operator else AuditAction.OPERATOR_REVOKE,
                 target=user.email, is_staff=user.is_staff, is_superuser=user.is_superuser, is_active=user.is_active)


# --- Profile ------------------------------------------------------------------------------------


def language_choose(*, user: AnyUser, language: str) -> bool:
    """Remember the language a signed-in person picked in the switcher; an unknown code changes
    nothing. Returns whether it was saved."""
    from django.conf import settings

    if not user.is_authenticated or language not in dict(settings.LANGUAGES):
        return False
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    return True


def profile_update(*, user: User, name: str, country: str, preferred_language: str, time_zone: str) -> User:
    user.name = name.strip()
    user.country = country
    user.preferred_language = preferred_language
    user.time_zone = time_zone
    user.full_clean(exclude=["password"])
    user.save(update_fields=["name", "country", "preferred_language", "time_zone"])
    return user


# --- Organizations ------------------------------------------------------------------------------


RESERVED_SLUGS = {"new", "verification"}  # paths under /organizations/ that are not organizations


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "organization"
    slug = base
    n = 2
    while slug in RESERVED_SLUGS or Organization.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _check_kind(actor: User, kind: str) -> None:
    if kind not in dict(permissions.kinds_for(actor)):
        raise ValidationError(_("Only programme operators can make an organization a programme operator."))


@transaction.atomic
def organization_create(*, creator: User, name: str, kind: str, country: str, city: str = "",
                        website: str = "", description: str = "") -> Organization:
    """A new organization, with its creator as admin. It is unverified (it acts for nobody but
    itself) until an operator verifies it; one an operator creates is verified from the start."""
    if not permissions.can_create_organization(creator):
        raise PermissionDenied
    _check_kind(creator, kind)
    organization = Organization(
        name=name.strip(), slug=_unique_slug(name), kind=kind, country=country, city=city.strip(),
        website=website.strip(), description=description.strip(), created_by=creator,
    )
    if permissions.is_operator(creator):
        organization.verified_at, organization.verified_by = timezone.now(), creator
    organization.full_clean()
    organization.save()
    Membership.objects.create(user=creator, organization=organization, role=Role.ADMIN)
    permissions.forget_memberships(creator)
    audit(actor=creator, action=AuditAction.ORGANIZATION_CREATE, organization=organization, target=organization.name)
    return organization


# What an operator checked when verifying: changing it (by anyone but an operator) asks again.
VERIFIED_FIELDS = ("name", "kind", "country")


@transaction.atomic
def organization_update(*, actor: User, organization: Organization, **fields: Any) -> Organization:
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if not permissions.can_manage_organization(actor, organization):
        raise PermissionDenied
    if "kind" in fields and fields["kind"] != organization.kind:
        _check_kind(actor, fields["kind"])
    changed = {}
    for field in ("name", "kind", "country", "city", "website", "description"):
        if field in fields and str(getattr(organization, field)) != str(fields[field]):
            changed[field] = str(fields[field])
            setattr(organization, field, fields[field])
    unverify = (organization.is_verified and not permissions.is_operator(actor)
                and any(field in changed for field in VERIFIED_FIELDS))
    if unverify:
        organization.verified_at = organization.verified_by = None
    organization.full_clean()
    organization.save()
    if changed:
        audit(actor=actor, action=AuditAction.ORGANIZATION_UPDATE, organization=organization,
              target=organization.name, changed=changed)
    if unverify:
        audit(actor=actor, action=AuditAction.ORGANIZATION_UNVERIFY, organization=organization, target=organization.name,
              reason="changed " + ", ".join(f for f in VERIFIED_FIELDS if f in changed))
    return organization


@transaction.atomic
def organization_verify(*, actor: User, organization: Organization, voucher_quota: int | None = None,
                        voucher_quota_days: int | None = None) -> Organization:
    """An operator confirms that the organization is who it says it is."""
    if not permissions.can_verify_organizations(actor):
        raise PermissionDenied
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if not organization.is_verified:
        organization.verified_at, organization.verified_by = timezone.now(), actor
        organization.save(update_fields=["verified_at", "verified_by"])
        audit(actor=actor, action=AuditAction.ORGANIZATION_VERIFY, organization=organization, target=organization.name)
    if voucher_quota is not None or voucher_quota_days is not None:
        organization = organization_set_quota(
            actor=actor, organization=organization,
            voucher_quota=organization.voucher_quota if voucher_quota is None else voucher_quota,
            voucher_quota_days=organization.voucher_quota_days if voucher_quota_days is None else voucher_quota_days)
    return organization


@transaction.atomic
def organization_unverify(*, actor: User, organization: Organization, reason: str) -> Organization:
    """An operator withdraws verification: the organization keeps its members and drafts but acts
    for nobody else until verified again."""
    if not permissions.can_verify_organizations(actor):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why verification is withdrawn; the organization's admins are told."))
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if organization.is_verified:
        organization.verified_at = organization.verified_by = None
        organization.save(update_fields=["verified_at", "verified_by"])
        audit(actor=actor, action=AuditAction.ORGANIZATION_UNVERIFY, organization=organization, target=organization.name,
              reason=reason[:500])
    return organization


MAX_VOUCHER_QUOTA = 100_000


@transaction.atomic
def organization_set_quota(*, actor: User, organization: Organization, voucher_quota: int,
                           voucher_quota_days: int) -> Organization:
    """Operators set how many certification vouchers an organization's admins may issue per period."""
    if not permissions.can_verify_organizations(actor):
        raise PermissionDenied
    if not 0 <= voucher_quota <= MAX_VOUCHER_QUOTA:
        raise ValidationError(_("The voucher quota must be between 0 and %(n)s.") % {"n": f"{MAX_VOUCHER_QUOTA:,}"})
    if not 1 <= voucher_quota_days <= 366:
        raise ValidationError(_("The quota period must be between 1 and 366 days."))
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if (organization.voucher_quota, organization.voucher_quota_days) != (voucher_quota, voucher_quota_days):
        organization.voucher_quota, organization.voucher_quota_days = voucher_quota, voucher_quota_days
        organization.save(update_fields=["voucher_quota", "voucher_quota_days"])
        audit(actor=actor, action=AuditAction.ORGANIZATION_QUOTA, organization=organization, target=organization.name,
              voucher_quota=voucher_quota, voucher_quota_days=voucher_quota_days)
    return organization


def _admin_count(organization: Organization) -> int:
    return Membership.objects.filter(organization=organization, role=Role.ADMIN).count()


@transaction.atomic
def membership_remove(*, actor: User, membership_id: int) -> None:
    membership = (
        Membership.objects.select_for_update().select_related("organization", "user").filter(pk=membership_id).first()
    )
    if membership is None:
        raise ValidationError(_("That membership no longer exists."))
    if not permissions.can_remove_membership(actor, membership):
        raise PermissionDenied
    organization = membership.organization
    if membership.role == Role.ADMIN:
        # Lock the organization's admins so two admins cannot remove each other at once.
        list(Membership.objects.select_for_update().filter(organization=organization, role=Role.ADMIN))
        if _admin_count(organization) <= 1:
            raise ValidationError(
                _("%(name)s is the last admin of %(org)s. Make someone else an admin first.")
                % {"name": membership.user.display_name, "org": organization.name}
            )
    membership.delete()
    permissions.forget_memberships(actor, membership.user)
    audit(actor=actor, action=AuditAction.MEMBERSHIP_REMOVE, organization=organization, target=membership.user.email)


@transaction.atomic
def membership_set_role(*, actor: User, membership_id: int, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationError(_("Unknown role %(role)s.") % {"role": role})
    membership = Membership.objects.select_for_update().select_related("organization", "user").filter(
        pk=membership_id).first()
    if membership is None:
        raise ValidationError(_("That membership no longer exists."))
    organization = membership.organization
    if not permissions.can_manage_organization(actor, organization):
        raise PermissionDenied
    if membership.role == Role.ADMIN and role != Role.ADMIN:
        list(Membership.objects.select_for_update().filter(organization=organization, role=Role.ADMIN))
        if _admin_count(organization) <= 1:
            raise ValidationError(_("An organization needs at least one admin."))
    if membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
        permissions.forget_memberships(actor, membership.user)
        audit(actor=actor, action=AuditAction.MEMBERSHIP_ROLE, organization=organization,
              target=membership.user.email, role=role)
    return membership


# --- Invitations --------------------------------------------------------------------------------


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps([invitation.pk, invitation.key], salt=INVITATION_SALT, compress=True)


def invitation_from_token(token: str) -> Invitation | None:
    try:
        pk, key = signing.loads(token, salt=INVITATION_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    invitation = Invitation.objects.select_related("organization", "invited_by").filter(pk=pk).first()
    if invitation is None or not secrets.compare_digest(invitation.key, str(key)):
        return None
    return invitation


def invitation_url(invitation: Invitation) -> str:
    return settings.SITE_URL + reverse("core:invitation", args=[invitation_token(invitation)])


def invitation_create(*, actor: User, organization: Organization, email: str, role: str = Role.MEMBER) -> Invitation:
    from . import tasks

    email = email.strip().lower()
    with transaction.atomic():
        if not permissions.can_manage_organization(actor, organization):
            raise PermissionDenied
        if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
            raise ValidationError(_("%(email)s is already a member of %(org)s.") % {"email": email, "org": organization.name})
        # An expired invitation no longer blocks a new one.
        Invitation.objects.filter(
            organization=organization, email=email, accepted_at__isnull=True, cancelled_at__isnull=True,
            expires_at__lte=timezone.now(),
        ).update(cancelled_at=timezone.now())
        invitation = Invitation(
            organization=organization, email=email, role=role, key=secrets.token_urlsafe(24)[:32],
            invited_by=actor, expires_at=timezone.now() + timedelta(days=settings.FORWARD_INVITATION_DAYS),
        )
        invitation.full_clean(exclude=["key"], validate_constraints=False)
        try:
            with transaction.atomic():
                invitation.save()
        except IntegrityError:
            raise ValidationError(
                _("%(email)s already has an open invitation. Cancel it to send a new one.") % {"email": email}
            ) from None
        audit(actor=actor, action=AuditAction.INVITATION_CREATE, organization=organization, target=email, role=role)
        transaction.on_commit(lambda: tasks.send_invitation_email.delay(invitation.pk))
    return invitation


def invitation_send(*, invitation_id: int) -> bool:
    """Email an invitation. Idempotent: a sent, cancelled or accepted invitation is left alone."""
    invitation = Invitation.objects.select_related("organization", "invited_by").filter(pk=invitation_id).first()
    if invitation is None or invitation.sent_at or not invitation.is_open:
        return False
    context = {
        "invitation": invitation,
        "url": invitation_url(invitation),
        "inviter": invitation.invited_by.display_name if invitation.invited_by else _("An admin"),
    }
    language = (invitation.invited_by.preferred_language if invitation.invited_by else "") or settings.LANGUAGE_CODE
    with translation.override(language):
        subject = _("You are invited to join %(org)s on Forward") % {"org": invitation.organization.name}
        body = render_to_string("core/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])
    Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=True).update(sent_at=timezone.now())
    return True


@transaction.atomic
def invitation_cancel(*, actor: User, invitation_id: int) -> None:
    invitation = Invitation.objects.select_for_update().select_related("organization").filter(pk=invitation_id).first()
    if invitation is None:
        raise ValidationError(_("That invitation no longer exists."))
    if not permissions.can_manage_organization(actor, invitation.organization):
        raise PermissionDenied
    if invitation.accepted_at is None and invitation.cancelled_at is None:
        invitation.cancelled_at = timezone.now()
        invitation.save(update_fields=["cancelled_at"])
        audit(actor=actor, action=AuditAction.INVITATION_CANCEL, organization=invitation.organization, target=invitation.email)


def user_has_email(user: User, email: str) -> bool:
    from allauth.account.models import EmailAddress

    email = email.lower()
    if user.email.lower() == email:
        return True
    return bool(EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists())


@transaction.atomic
def invitation_accept(*, user: User, token: str) -> Membership:
    found = invitation_from_token(token)
    if found is None:
        raise ValidationError(_("This invitation link is not valid. Ask the organization's admin for a new one."))
    invitation = Invitation.objects.select_for_update().select_related("organization").get(pk=found.pk)
    if invitation.cancelled_at:
        raise ValidationError(_("This invitation was cancelled. Ask the organization's admin for a new one."))
    if invitation.accepted_at:
        existing = Membership.objects.filter(user=user, organization=invitation.organization).first()
        if existing:
            return existing  # a double click accepts once
        raise ValidationError(_("This invitation has already been used."))
    if invitation.expires_at <= timezone.now():
        raise ValidationError(_("This invitation has expired. Ask the organization's admin for a new one."))
    if not user_has_email(user, invitation.email):
        raise ValidationError(
            _("This invitation is for %(email)s. Sign in with that address, or add and verify it in your account.")
            % {"email": invitation.email}
        )
    membership, created = Membership.objects.get_or_create(
        user=user, organization=invitation.organization, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    permissions.forget_memberships(user)
    if created:
        audit(actor=user, action=AuditAction.MEMBERSHIP_JOIN, organization=invitation.organization, target=user.email)
    return membership


# --- API tokens ---------------------------------------------------------------------------------

MAX_TOKENS_PER_USER = 50


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Return the token row and the token itself, which is never stored and shown only once."""
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the token a name, such as “laptop notebook”."))
    User.objects.select_for_update().filter(pk=user.pk).first()  # serialize a user's token creation
    if ApiToken.objects.active().filter(user=user).count() >= MAX_TOKENS_PER_USER:
        raise ValidationError(_("You have %(n)d active tokens; revoke one first.") % {"n": MAX_TOKENS_PER_USER})
    raw = ApiToken.PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name[:100], token_hash=hash_secret(raw), hint=raw[:10])
    audit(actor=user, action=AuditAction.API_TOKEN_CREATE, target=token.name)
    return token, raw


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> None:
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
    if token is None:
        raise ValidationError(_("That token does not exist."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit(actor=user, action=AuditAction.API_TOKEN_REVOKE, target=token.name)


def api_token_authenticate(raw: str) -> User | None:
    if not raw.startswith(ApiToken.PREFIX) or len(raw) > 200:
        return None
    token = ApiToken.objects.active().select_related("user").filter(token_hash=hash_secret(raw)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- Pictures (logos, avatars, thumbnails, banners) ----------------------------------------------


def picture_replace(*, actor: User, target: M, upload: Upload | None = None,
                    organization: Organization | None = None) -> M:
    """Store an uploaded picture as the thing's face (checked and re-encoded by core.images), or
    with no upload remove it so the generated default shows again. The caller checked permission."""
    from . import faces, images

    spec = faces.spec_of(target)
    stem = images.process_upload(upload, kind=spec.kind) if upload is not None else ""
    with transaction.atomic():
        setattr(target, spec.field, stem)
        target.save(update_fields=[spec.field])
        audit(actor=actor, action=AuditAction(f"{spec.kind}.{'replaced' if stem else 'removed'}"), organization=organization,
              target=f"{target._meta.label_lower}:{target.pk}")
    return target
