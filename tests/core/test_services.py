from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from forward.core import services
from forward.core.models import ApiToken, AuditEvent, Invitation, Membership, Role, hash_secret
from tests.conftest import make_user


@pytest.fixture
def invite(people, django_capture_on_commit_callbacks):
    """Invite as the admin, sending the email at once (as the task does after commit)."""

    def send(email: str):
        with django_capture_on_commit_callbacks(execute=True):
            return services.invitation_create(actor=people.admin, organization=people.org, email=email)

    return send


def token_from(mail) -> str:
    line = next(line for line in mail.body.splitlines() if "/invitations/" in line)
    return line.rstrip("/").split("/invitations/")[1]


def test_creating_an_organization_makes_the_creator_its_admin(people):
    membership = Membership.objects.get(user=people.admin, organization=people.org)
    assert membership.role == Role.ADMIN
    assert AuditEvent.objects.filter(action="organization.create", organization=people.org).exists()


def test_an_invitation_is_emailed_with_a_link_that_works(people, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(actor=people.admin, organization=people.org, email="New@Uni.test")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["new@uni.test"]
    assert "Uni of Testing" in mail.subject
    newcomer = make_user("new@uni.test")
    membership = services.invitation_accept(user=newcomer, token=token_from(mail))
    assert membership.organization == people.org and membership.role == Role.MEMBER
    assert Invitation.objects.get().sent_at is not None


def test_an_invitation_for_someone_else_is_refused_by_name(people, mailoutbox, invite):
    invite("right@uni.test")
    with pytest.raises(ValidationError, match=r"right@uni\.test"):
        services.invitation_accept(user=people.outsider, token=token_from(mailoutbox[0]))
    assert not Membership.objects.filter(user=people.outsider).exists()


def test_accepting_twice_makes_one_membership(people, mailoutbox, invite):
    invite("twice@uni.test")
    user = make_user("twice@uni.test")
    token = token_from(mailoutbox[0])
    first = services.invitation_accept(user=user, token=token)
    second = services.invitation_accept(user=user, token=token)
    assert first.pk == second.pk
    assert Membership.objects.filter(user=user).count() == 1


def test_cancelled_and_expired_invitations_are_refused(people, mailoutbox, invite):
    invitation = invite("c@uni.test")
    user = make_user("c@uni.test")
    services.invitation_cancel(actor=people.admin, invitation_id=invitation.pk)
    with pytest.raises(ValidationError, match="cancelled"):
        services.invitation_accept(user=user, token=token_from(mailoutbox[0]))
    again = invite("c@uni.test")
    Invitation.objects.filter(pk=again.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError, match="expired"):
        services.invitation_accept(user=user, token=token_from(mailoutbox[1]))


def test_a_forged_token_is_refused(people):
    with pytest.raises(ValidationError, match="not valid"):
        services.invitation_accept(user=people.outsider, token="forged-token")


def test_a_second_open_invitation_or_inviting_a_member_is_refused(people):
    services.invitation_create(actor=people.admin, organization=people.org, email="dup@uni.test")
    with pytest.raises(ValidationError, match="open invitation"):
        services.invitation_create(actor=people.admin, organization=people.org, email="dup@uni.test")
    with pytest.raises(ValidationError, match="already a member"):
        services.invitation_create(actor=people.admin, organization=people.org, email="member@uni.test")
    assert Invitation.objects.count() == 1


def test_the_last_admin_cannot_be_removed_or_demoted(people):
    admin = Membership.objects.get(user=people.admin, organization=people.org)
    with pytest.raises(ValidationError, match="last admin"):
        services.membership_remove(actor=people.admin, membership_id=admin.pk)
    with pytest.raises(ValidationError, match="at least one admin"):
        services.membership_set_role(actor=people.admin, membership_id=admin.pk, role=Role.MEMBER)
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN


def test_a_member_can_leave(people):
    membership = Membership.objects.get(user=people.member, organization=people.org)
    services.membership_remove(actor=people.member, membership_id=membership.pk)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEvent.objects.filter(action="membership.remove", target="member@uni.test").exists()


def test_tokens_are_stored_as_hashes_and_revocable(people):
    token, raw = services.api_token_create(user=people.member, name="notebook")
    assert raw.startswith("fwd_") and len(raw) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.token_hash == hash_secret(raw) and raw not in stored.hint + stored.token_hash
    assert services.api_token_authenticate(raw) == people.member
    services.api_token_revoke(user=people.member, token_id=token.pk)
    assert services.api_token_authenticate(raw) is None


def test_nobody_revokes_another_persons_token(people):
    token, raw = services.api_token_create(user=people.member, name="mine")
    with pytest.raises(ValidationError):
        services.api_token_revoke(user=people.admin, token_id=token.pk)
    assert services.api_token_authenticate(raw) == people.member
