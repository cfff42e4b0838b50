"""Revoking (services.revoke): who revoked and why are kept on the credential and in the issuer's
audit log; the credential is read with its status list and that list's organization in one query."""

from forward.core.models import AuditEvent
from forward.credentials import services
from forward.credentials.models import Credential
from tests.credentials.test_regressions import issuer  # noqa: F401


def test_who_revoked_and_why_are_kept_on_the_credential_and_in_the_issuers_audit_log(issuer):  # noqa: F811
    reason = "Issued in error: " + "the grade was entered for the wrong learner. " * 20  # past the 500 kept
    services.revoke(actor=issuer.admin, credential=issuer.credential, reason=f"  {reason}")
    credential = Credential.objects.get(pk=issuer.credential.pk)
    assert credential.revoked_by == issuer.admin
    assert credential.revocation_reason == reason[:500]
    event = AuditEvent.objects.get(action="credential.revoke")
    assert (event.actor, event.organization, event.target) == (issuer.admin, issuer.university, str(credential.uuid))
    assert event.data == {"reason": reason[:500]}


def test_revoking_reads_the_credential_its_list_and_the_lists_organization_at_once(issuer,  # noqa: F811
                                                                                  django_assert_num_queries):
    # the admin's membership; a savepoint; the credential with its list and the list's organization;
    # the count bumped; the credential saved; the revoked positions; the signing key; the list
    # re-published; the issuer (for the audit log); the audit event; the savepoint released
    with django_assert_num_queries(11):
        services.revoke(actor=issuer.admin, credential=issuer.credential, reason="Issued in error")
