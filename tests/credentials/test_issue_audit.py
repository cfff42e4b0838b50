"""Issuing a credential changes what someone holds: each credential issued is audited (issuer,
credential, recipient, achievement, source); issuing the same award again issues and records nothing."""

from dataclasses import replace

from forward.core.models import AuditEvent, OrganizationKind
from forward.credentials import services, signals
from forward.credentials.models import Credential, SigningKey, StatusList
from tests.conftest import make_organization, make_user
from tests.credentials.test_regressions import _award

from .conftest import committed


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

    positions = list(StatusList.objects.values_list("number", "next_index"))
    assert services.issue([_award(learners[0], university, "course:1")]) == []  # already held
    assert events.count() == 3
    # ... seen as held before anything is signed: no status-list position is spent on it.
    assert list(StatusList.objects.values_list("number", "next_index")) == positions == [(1, 3)]
    # The same award twice in one call (two sources awarding one achievement) is issued once.
    newcomer = make_user("newcomer@ntu.test", "Nel Newcomer")
    twice = services.issue([_award(newcomer, university, "course:1"), _award(newcomer, university, "course:1")])
    assert [c.recipient for c in twice] == [newcomer]
    assert AuditEvent.objects.filter(action="credential.issue").count() == 4
    assert list(StatusList.objects.values_list("number", "next_index")) == [(1, 4)]


def test_awards_another_worker_issued_meanwhile_are_left_to_it_and_the_rest_are_issued(db, monkeypatch):
    """Two workers issue overlapping awards: the other one commits the first learner's credential after
    this one checked what is held and before it stores its batch. The batch's insert then fails as a
    whole, and each credential is stored on its own: the first learner keeps the other worker's, the
    others get theirs, each shared, audited once and announced to the apps that read holdings."""
    admin = make_user("admin@ntu.test", "Ada Admin")
    university = make_organization(creator=admin, name="NTU", kind=OrganizationKind.UNIVERSITY, country="SG")
    partner = make_organization(creator=admin, name="Cloudwave", kind=OrganizationKind.EMPLOYER, country="SG")
    learners = [make_user(f"learner{i}@ntu.test", f"Learner {i}") for i in range(3)]
    awards = [replace(_award(learner, university, "course:1"), shared_with=[partner]) for learner in learners]

    allocate, theirs, raced = services._allocate, [], []

    def other_worker_first(organization, count):
        if not raced:  # the other worker, once: it stores the first learner's credential now
            raced.append(True)
            theirs.extend(services.issue([replace(awards[0], shared_with=[])]))
        return allocate(organization, count)

    monkeypatch.setattr(services, "_allocate", other_worker_first)
    announced = []

    def receiver(sender, user_ids, **kwargs):
        announced.append(user_ids)

    signals.holdings_changed.connect(receiver)
    try:
        with committed():
            issued = services.issue(awards)
    finally:
        signals.holdings_changed.disconnect(receiver)

    assert len(theirs) == 1 and theirs[0].recipient == learners[0]
    assert [c.recipient for c in issued] == learners[1:]  # this worker's, stored and returned
    held = {c.recipient_id: c for c in Credential.objects.filter(achievement_key="course:1")}
    assert set(held) == {learner.pk for learner in learners}
    assert held[learners[0].pk].uuid == theirs[0].uuid  # the first learner keeps the other worker's
    assert {held[learner.pk].uuid for learner in learners[1:]} == {c.uuid for c in issued}
    assert list(held[learners[0].pk].shared_with.all()) == []
    assert all(list(held[learner.pk].shared_with.all()) == [partner] for learner in learners[1:])
    events = AuditEvent.objects.filter(action="credential.issue")
    assert sorted(e.target for e in events) == sorted(str(c.uuid) for c in held.values())
    assert announced[-1] == sorted(learner.pk for learner in learners[1:])


def test_an_organization_no_operator_verified_issues_nothing_and_the_log_names_it(db, caplog):
    admin = make_user("admin@ntu.test", "Ada Admin")
    verified = make_organization(creator=admin, name="NTU", kind=OrganizationKind.UNIVERSITY, country="SG")
    founder = make_user("founder@new.test", "Nia New")
    unverified = make_organization(creator=founder, name="New University", kind=OrganizationKind.UNIVERSITY,
                                   country="SG", verified=False)
    another = make_organization(creator=founder, name="Another College", kind=OrganizationKind.UNIVERSITY,
                                country="SG", verified=False)
    learner = make_user("learner@ntu.test", "Lee Learner")
    with caplog.at_level("WARNING", logger="forward.credentials.services"):
        issued = services.issue([_award(learner, unverified, "course:fake"), _award(learner, verified, "course:1"),
                                 _award(learner, another, "course:also-fake")])
    assert [(c.issuer, c.achievement_key) for c in issued] == [(verified, "course:1")]
    assert list(Credential.objects.values_list("issuer__slug", flat=True)) == [verified.slug]
    assert not SigningKey.objects.filter(organization__in=[unverified, another]).exists()  # nothing signed in their names
    assert [r.getMessage() for r in caplog.records] == [
        f"not issuing for unverified organizations: {another.slug}, {unverified.slug}"]  # each once, sorted
    assert services.issue([_award(learner, unverified, "course:fake")]) == []
