"""Issuing a credential changes what someone holds: each credential issued is audited (issuer,
credential, recipient, achievement); issuing the same award again issues and records nothing."""

from forward.core.models import AuditEvent, OrganizationKind
from forward.credentials import services
from tests.conftest import make_organization, make_user
from tests.credentials.test_regressions import _award


def test_each_credential_issued_is_audited_once(db):
    admin = make_user("admin@ntu.test", "Ada Admin")
    university = make_organization(creator=admin, name="NTU", kind=OrganizationKind.UNIVERSITY, country="SG")
    learners = [make_user(f"learner{i}@ntu.test", f"Learner {i}") for i in range(3)]
    issued = services.issue([_award(learner, university, "course:1") for learner in learners])
    assert len(issued) == 3

    events = AuditEvent.objects.filter(action="credential.issue")
    assert sorted(e.target for e in events) == sorted(str(c.uuid) for c in issued)
    assert {(e.organization_id, e.data["recipient"], e.data["achievement"]) for e in events} == {
        (university.pk, learner.pk, "course:1") for learner in learners}

    assert services.issue([_award(learners[0], university, "course:1")]) == []  # already held
    assert events.count() == 3
