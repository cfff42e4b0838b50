"""Memberships are read once per user object (core.permissions), and the services that change a
membership forget that cache: the same request's user object never answers from before the change."""

from forward.core import permissions, services
from forward.core.models import Membership, OrganizationKind, Role, User
from tests.conftest import make_user
from tests.core.test_services import token_from


def test_one_query_answers_every_membership_question_about_the_same_user_object(people, django_assert_num_queries):
    admin = people.admin
    with django_assert_num_queries(1):
        assert permissions.is_member(admin, people.org, roles=[Role.ADMIN])
        assert permissions.is_member(admin, people.org.pk)
        assert not permissions.is_member(admin, people.other_org)
        assert permissions.member_of_any(admin, [people.other_org, people.org])
        assert permissions.is_member_of_kind(admin, [OrganizationKind.UNIVERSITY], roles=[Role.ADMIN])
        assert not permissions.is_member_of_kind(admin, [OrganizationKind.EMPLOYER])
        assert permissions.role_in(admin, people.org) == Role.ADMIN


def test_joining_leaving_and_a_new_role_are_seen_by_the_same_user_object(people, mailoutbox,
                                                                         django_capture_on_commit_callbacks):
    newcomer = make_user("new@uni.test", "Nu Comer")
    assert not permissions.is_member(newcomer, people.org)  # the cache is filled: no membership

    with django_capture_on_commit_callbacks(execute=True):  # the email goes out after commit
        services.invitation_create(actor=people.admin, organization=people.org, email="new@uni.test")
    services.invitation_accept(user=newcomer, token=token_from(mailoutbox[0]))
    assert permissions.role_in(newcomer, people.org) == Role.MEMBER

    membership = Membership.objects.get(user=newcomer, organization=people.org)
    services.membership_set_role(actor=people.admin, membership_id=membership.pk, role=Role.ADMIN)
    newcomer = User.objects.get(pk=newcomer.pk)  # their next request
    assert permissions.can_manage_organization(newcomer, people.org)  # the cache is filled: an admin
    services.membership_set_role(actor=newcomer, membership_id=membership.pk, role=Role.STAFF)  # steps down
    assert permissions.role_in(newcomer, people.org) == Role.STAFF
    assert not permissions.can_manage_organization(newcomer, people.org)

    services.membership_remove(actor=newcomer, membership_id=membership.pk)  # they leave
    assert not permissions.is_member(newcomer, people.org)
    assert not permissions.can_view_members(newcomer, people.org)


def test_creating_an_organization_makes_its_creator_an_admin_at_once(people):
    founder = people.outsider
    assert not permissions.is_member_of_kind(founder, [OrganizationKind.STARTUP])
    startup = services.organization_create(creator=founder, name="Tiny Robots", kind=OrganizationKind.STARTUP,
                                           country="ID")
    assert permissions.can_manage_organization(founder, startup)
    assert permissions.is_member_of_kind(founder, [OrganizationKind.STARTUP], roles=[Role.ADMIN])
