"""Every protected action, for every role: anonymous, outsider, member, admin, another org's admin."""

import pytest

from forward.core.models import Invitation, Membership, Organization, Role
from forward.core.services import invitation_create
from tests.conftest import client_for

ROLES = ["anonymous", "outsider", "member", "other_admin", "admin"]


def person(people, role):
    return None if role == "anonymous" else getattr(people, role)


def expected(role: str, allowed: str = "admin") -> int | str:
    if role == "anonymous":
        return "login"
    return "ok" if role == allowed or (allowed == "member" and role == "admin") else 403


def check(response, outcome):
    if outcome == "login":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif outcome == "ok":
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert "/accounts/login/" not in response["Location"]
    else:
        assert response.status_code == outcome


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_edit_the_organization(people, role):
    client = client_for(person(people, role))
    url = f"/organizations/{people.org.slug}/edit/"
    check(client.get(url), expected(role))
    response = client.post(url, {"name": "Renamed", "kind": "university", "country": "SG"})
    check(response, expected(role))
    renamed = Organization.objects.get(pk=people.org.pk).name == "Renamed"
    assert renamed == (role == "admin")


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_invite(people, role, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(person(people, role)).post(
            f"/organizations/{people.org.slug}/invite/", {"email": "new@uni.test", "role": "member"})
    check(response, expected(role))
    assert Invitation.objects.filter(email="new@uni.test").exists() == (role == "admin")
    assert len(mailoutbox) == (1 if role == "admin" else 0)


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_cancel_invitations(people, role):
    invitation = invitation_create(actor=people.admin, organization=people.org, email="x@uni.test")
    response = client_for(person(people, role)).post(
        f"/organizations/{people.org.slug}/invitations/{invitation.pk}/cancel/")
    check(response, expected(role))
    invitation.refresh_from_db()
    assert (invitation.cancelled_at is not None) == (role == "admin")


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_remove_other_members(people, role):
    membership = Membership.objects.get(user=people.member, organization=people.org)
    acting = person(people, role)
    response = client_for(acting).post(f"/organizations/{people.org.slug}/members/{membership.pk}/remove/")
    # A member may remove only themselves (leave): covered below.
    allowed = role in ("admin", "member")
    check(response, "login" if role == "anonymous" else ("ok" if allowed else 403))
    assert Membership.objects.filter(pk=membership.pk).exists() == (not allowed)


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_change_roles(people, role):
    membership = Membership.objects.get(user=people.member, organization=people.org)
    response = client_for(person(people, role)).post(
        f"/organizations/{people.org.slug}/members/{membership.pk}/role/", {"role": "admin"})
    check(response, expected(role))
    membership.refresh_from_db()
    assert (membership.role == Role.ADMIN) == (role == "admin")


@pytest.mark.parametrize("role", ROLES)
def test_member_lists_are_private_to_members(people, role):
    html = client_for(person(people, role)).get(f"/organizations/{people.org.slug}/").content.decode()
    assert "Uni of Testing" in html
    assert ("member@uni.test" in html) == (role in ("member", "admin"))


def test_a_member_cannot_remove_someone_else(people):
    admin_membership = Membership.objects.get(user=people.admin, organization=people.org)
    response = client_for(people.member).post(
        f"/organizations/{people.org.slug}/members/{admin_membership.pk}/remove/")
    assert response.status_code == 403
    assert Membership.objects.filter(pk=admin_membership.pk).exists()


def test_a_forged_membership_id_from_another_organization_is_404(people):
    foreign = Membership.objects.get(user=people.other_admin, organization=people.other_org)
    response = client_for(people.admin).post(f"/organizations/{people.org.slug}/members/{foreign.pk}/remove/")
    assert response.status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()


def test_a_forged_invitation_id_from_another_organization_is_404(people):
    foreign = invitation_create(actor=people.other_admin, organization=people.other_org, email="y@other.test")
    response = client_for(people.admin).post(
        f"/organizations/{people.org.slug}/invitations/{foreign.pk}/cancel/")
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.cancelled_at is None


@pytest.mark.parametrize("path", ["/dashboard/", "/organizations/new/", "/account/profile/", "/account/tokens/"])
def test_private_pages_send_anonymous_visitors_to_sign_in(db, path):
    response = client_for(None).get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
