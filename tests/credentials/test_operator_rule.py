"""One operator rule (issue 18, §3): site staff and superusers are both programme operators
(`core.permissions.is_operator`), so each holds the same powers over credentials: revoking what any
organization issued, rotating its key, seeing the issued-credentials page. A plain user does not."""

import pytest

from forward.core.models import AuditEvent
from forward.credentials import keys
from forward.credentials.models import Credential
from tests.conftest import client_for, make_user
from tests.credentials.test_regressions import issuer  # noqa: F401 (the fixture)

OPERATORS = {
    "staff, not superuser": {"is_staff": True, "is_superuser": False},
    "superuser, not staff": {"is_staff": False, "is_superuser": True},
}


@pytest.mark.parametrize("flags", OPERATORS.values(), ids=OPERATORS.keys())
def test_staff_and_superusers_alike_revoke_rotate_and_see_what_any_organization_issued(issuer, flags):  # noqa: F811 (the imported fixture)
    operator = make_user("ops@forward.test", "Op Erator", **flags)
    client = client_for(operator)

    assert client.get("/credentials/issued/").status_code == 200

    old = keys.rsa_kid(keys.active_key(issuer.university))
    assert client.post(f"/credentials/issuers/{issuer.university.slug}/rotate/").status_code == 302
    assert keys.rsa_kid(keys.active_key(issuer.university)) != old

    response = client.post(f"/credentials/{issuer.credential.uuid}/revoke/", {"reason": "Issued in error."})
    assert response.status_code == 302
    assert Credential.objects.get(pk=issuer.credential.pk).revoked_at is not None
    assert AuditEvent.objects.filter(action="credential.revoke", actor=operator).count() == 1


def test_a_signed_in_person_who_is_neither_staff_nor_superuser_has_none_of_these_powers(issuer):  # noqa: F811 (the imported fixture)
    client = client_for(make_user("someone@else.test", "Some One"))
    old = keys.rsa_kid(keys.active_key(issuer.university))
    assert client.get("/credentials/issued/").status_code == 403
    assert client.post(f"/credentials/issuers/{issuer.university.slug}/rotate/").status_code == 403
    assert client.post(f"/credentials/{issuer.credential.uuid}/revoke/", {"reason": "no"}).status_code == 403
    assert keys.rsa_kid(keys.active_key(issuer.university)) == old
    assert Credential.objects.get(pk=issuer.credential.pk).revoked_at is None
