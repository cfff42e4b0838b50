"""The audit log's actions are one typed set (core.audit.AuditAction): a bare or misspelt action is
a programming error, and granting or withdrawing operator powers in the admin is recorded once,
with who did it to whom; saving the account again unchanged records nothing."""

import pytest

from forward.core.audit import AuditAction
from forward.core.models import AuditEvent, User
from forward.core.services import audit
from tests.conftest import client_for, make_user


def test_audit_takes_only_a_member_of_the_action_set(db):
    actor = make_user("ada@forward.test", "Ada")
    with pytest.raises(ValueError, match="AuditAction"):
        audit(actor=actor, action="membership.remove", target="someone")  # a bare string, even a known one
    with pytest.raises(ValueError):
        AuditAction("membership.remvoe")  # a misspelt action does not exist
    assert not AuditEvent.objects.exists()
    event = audit(actor=actor, action=AuditAction.MEMBERSHIP_REMOVE, target="someone")
    assert AuditEvent.objects.get().pk == event.pk and event.action == "membership.remove"


def _user_form(user: User, **flags) -> dict:
    data = {"email": user.email, "name": user.name, "country": "SG", "preferred_language": "en",
            "time_zone": "Asia/Singapore", "is_active": "on", "date_joined_0": "2026-01-05", "date_joined_1": "09:00:00"}
    data.update({flag: "on" for flag, on in flags.items() if on})
    return data


def test_granting_and_withdrawing_operator_powers_in_the_admin_is_audited_once(db):
    root = User.objects.create_superuser(email="root@forward.test", password="correct horse battery")
    person = make_user("pat@forward.test", "Pat Person")
    client = client_for(root)
    url = f"/admin/core/user/{person.pk}/change/"

    response = client.post(url, _user_form(person, is_superuser=True))
    assert response.status_code == 302, response.context["adminform"].form.errors
    granted = AuditEvent.objects.get(action=AuditAction.OPERATOR_GRANT)
    assert (granted.actor, granted.target, granted.data["is_superuser"]) == (root, "pat@forward.test", True)

    client.post(url, _user_form(person, is_superuser=True))  # saved again, unchanged
    client.post(url, _user_form(person, is_superuser=True, is_staff=True))  # still an operator
    assert AuditEvent.objects.filter(action__startswith="operator.").count() == 1

    client.post(url, _user_form(person))
    revoked = AuditEvent.objects.get(action=AuditAction.OPERATOR_REVOKE)
    assert (revoked.actor, revoked.target) == (root, "pat@forward.test")
    assert not User.objects.get(pk=person.pk).is_superuser
