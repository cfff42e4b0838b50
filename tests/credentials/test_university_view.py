"""A university's admins see the credentials their students earned in the university's course
runs, whoever issued them, read-only: revoking and keys stay with the issuer's admins and operators."""

import pytest

from forward.core.models import OrganizationKind
from forward.credentials import services
from forward.credentials.models import Credential, CredentialKind
from tests.conftest import client_for, make_organization, make_user

from .conftest import release


@pytest.fixture
def owned_elsewhere(cohort):
    """NTU's run of a course owned by a training company: the company issues the certificates."""
    w = cohort
    w.owner_admin = make_user("admin@cloudacademy.test", "Owner Admin")
    w.owner = make_organization(creator=w.owner_admin, name="Cloud Academy", kind=OrganizationKind.EMPLOYER,
                                country="SG")
    w.course.owner = w.owner
    w.course.save()
    w.other_uni_admin = w.other_admin
    release(w)
    w.credential = Credential.objects.get(recipient=w.pass_, kind=CredentialKind.COURSE_COMPLETION)
    assert w.credential.issuer == w.owner and w.credential.source == f"academy.run:{w.uni_run.pk}"
    assert list(w.credential.shared_with.all()) == [w.university]
    return w


def _rows(user) -> tuple[int, str]:
    response = client_for(user).get("/credentials/issued/")
    return response.status_code, response.content.decode()


def test_the_universitys_admin_sees_its_students_credentials_from_another_issuer(owned_elsewhere):
    status, page = _rows(owned_elsewhere.admin)
    assert status == 200
    assert "Nothing issued yet" not in page
    assert str(owned_elsewhere.credential.uuid) in page and "pass@ntu.test" in page and "Cloud Academy" in page
    assert "Rotate key" not in page  # not its keys


@pytest.mark.parametrize("who", ["other_uni_admin", "plain_member", "pass_", "outsider"])
def test_nobody_else_sees_them(owned_elsewhere, who):
    status, page = _rows(getattr(owned_elsewhere, who))
    assert status in (200, 403)
    assert str(owned_elsewhere.credential.uuid) not in page and "pass@ntu.test" not in page


def test_an_unverified_universitys_admin_sees_none_of_its_runs(owned_elsewhere):
    from forward.core.models import Organization

    Organization.objects.filter(pk=owned_elsewhere.university.pk).update(verified_at=None)
    _status, page = _rows(owned_elsewhere.admin)
    assert str(owned_elsewhere.credential.uuid) not in page


def test_credentials_earned_elsewhere_by_its_students_are_not_the_universitys(owned_elsewhere):
    """Membership alone is not enough: the open run (not at NTU) is the issuer's business only."""
    from forward.academy import awards

    award = awards.award_course_completion(user=owned_elsewhere.merit, run=owned_elsewhere.open_run, grade=0.9,
                                              designation="pass", cutoff=0.5)
    award.achievement_key = "course:open-run:completion"
    (elsewhere,) = services.issue([award])
    _status, page = _rows(owned_elsewhere.admin)
    assert str(elsewhere.uuid) not in page
    assert str(elsewhere.uuid) in _rows(owned_elsewhere.owner_admin)[1]


@pytest.mark.parametrize("who,revokes", [("admin", False), ("other_uni_admin", False), ("owner_admin", True),
                                         ("operator", True)])
def test_revoking_stays_with_the_issuers_admins_and_operators(owned_elsewhere, who, revokes):
    credential = owned_elsewhere.credential
    client = client_for(getattr(owned_elsewhere, who))
    page = client.get(f"/credentials/{credential.uuid}/").content.decode()
    assert ("Revoke credential" in page) is revokes
    response = client.post(f"/credentials/{credential.uuid}/revoke/", {"reason": "Because"})
    assert response.status_code == (302 if revokes else 403)
    credential.refresh_from_db()
    assert (credential.revoked_at is not None) is revokes
    if not revokes:
        assert client.post(f"/credentials/issuers/{owned_elsewhere.owner.slug}/rotate/").status_code == 403
