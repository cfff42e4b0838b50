"""Issuing a credential changes what someone holds: each credential issued is audited (issuer,
credential, recipient, achievement, source); issuing the same award again issues and records nothing."""

from dataclasses import replace

from forward.core.models import AuditEvent, OrganizationKind
from forward.credentials import services
from tests.conftest import make_organization, make_user
from tests.credentials.test_regressions import _award


def test_each_credential_issued_is_audited_once(db):
    admin = make_user("admin@ntu.test", "Ada Admin")
    university = make_organization(creator=admin, name="NTU", kind=OrganizationKind.UNIVERSITY, country="SG")
    learners = [make_user(f"learner{i}@ntu.test", f"Learner {i}") for i in range(3)]
    issued = services.issue([replace(_award(learner, university, "course:1"), source=f"academy.run:{n}")
                             for n, learner in enumerate(learners, start=1)])
    assert len(issued) == 3

    events = AuditEvent.objects.filter(action="credential.issue")
    assert sorted(e.target for e in events) == sorted(str(c.uuid) for c in issued)
    assert {(e.organization_id, e.data["recipient"], e.data["achievement"]) for e in events} == {
        (university.pk, learner.pk, "course:1") for learner in learners}
    # ... and where it came from, so an operator can trace it to the run or round that awarded it.
    assert {e.target: e.data["source"] for e in events} == {str(c.uuid): c.source for c in issued}
    assert sorted(c.source for c in issued) == ["academy.run:1", "academy.run:2", "academy.run:3"]

    assert services.issue([_award(learners[0], university, "course:1")]) == []  # already held
    assert events.count() == 3
