"""The issued-credentials list (selectors.issued and its page): the Show filter (expired means
unrevoked and past its end), search by holder or achievement, newest first, one issuer's only, and
each row's holder and issuer read with the list."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forward.core.models import OrganizationKind
from forward.credentials import documents, selectors, services
from forward.credentials.models import Credential
from tests.conftest import client_for, make_organization, make_user


def _award(recipient, issuer, key: str, name: str, **dates) -> documents.Award:
    return documents.Award(
        recipient=recipient, issuer=issuer, kind="course_completion", achievement_key=key, name=name,
        achievement=documents.achievement(id=f"https://forward.test/achievements/{key}", kind="Course", name=name,
                                          description=name, criteria="Pass the course."), **dates)


@pytest.fixture
def issuers(db):
    """An admin of two verified issuers (NTU and a bootcamp) and what they issued: an active, an
    expired, a revoked and a revoked-then-expired credential (NTU), and one from the bootcamp."""

    class World:
        pass

    w = World()
    now = timezone.now()
    past = {"valid_from": now - timedelta(days=60), "valid_until": now - timedelta(days=1)}
    w.admin = make_user("admin@ntu.test", "Ada Admin")
    w.ntu = make_organization(creator=w.admin, name="NTU", kind=OrganizationKind.UNIVERSITY, country="SG")
    w.camp = make_organization(creator=w.admin, name="Code Camp", kind=OrganizationKind.EMPLOYER, country="SG")
    w.lee = make_user("lee@learners.test", "Lee Learner")
    w.kim = make_user("kim@learners.test", "Kim Holder")
    w.active, w.expired, w.revoked, w.revoked_expired = services.issue([
        _award(w.lee, w.ntu, "course:1", "Cloud Computing Fundamentals"),
        _award(w.kim, w.ntu, "course:2", "Data Engineering", **past),
        _award(w.kim, w.ntu, "course:3", "Applied Statistics"),
        _award(w.lee, w.ntu, "course:4", "Linear Algebra", **past)])
    for credential in (w.revoked, w.revoked_expired):
        services.revoke(actor=w.admin, credential=credential, reason="Issued in error")
    w.camp_credential = services.issue([_award(w.lee, w.camp, "camp:1", "Web Basics")])[0]
    return w


def _rows(w, query: str) -> list:
    """The credentials the issued page lists, in its order."""
    page = client_for(w.admin).get(f"/credentials/issued/?{query}").content.decode()
    everything = Credential.objects.all()
    shown = [c for c in everything if str(c.uuid) in page]
    return sorted(shown, key=lambda c: page.index(str(c.uuid)))


def test_show_expired_lists_only_unrevoked_credentials_past_their_end(issuers):
    assert _rows(issuers, "kind=expired") == [issuers.expired]
    # A revoked credential that has also expired shows among the revoked, not the expired.
    assert set(_rows(issuers, "kind=revoked")) == {issuers.revoked, issuers.revoked_expired}


def test_searching_by_achievement_name_finds_it_whoever_holds_it(issuers):
    assert _rows(issuers, "q=data+engineering") == [issuers.expired]
    assert set(_rows(issuers, "q=Lee")) == {issuers.active, issuers.revoked_expired, issuers.camp_credential}


def test_the_list_is_newest_first_and_one_batch_in_the_order_it_was_issued_last_first(issuers):
    # The four NTU credentials were issued in one batch (same time); the bootcamp's one after.
    everything = [issuers.camp_credential, issuers.revoked_expired, issuers.revoked, issuers.expired,
                  issuers.active]
    assert _rows(issuers, "") == everything
    # A credential issued earlier goes below later ones, whatever order the rows were made in.
    Credential.objects.filter(pk=issuers.camp_credential.pk).update(issued_at=timezone.now() - timedelta(days=3))
    assert _rows(issuers, "") == everything[1:] + everything[:1]


def test_the_selector_without_search_or_filter_lists_everything_the_person_issued(issuers):
    assert list(selectors.issued(user=issuers.admin)) == [
        issuers.camp_credential, issuers.revoked_expired, issuers.revoked, issuers.expired, issuers.active]


def test_the_selector_lists_one_issuers_credentials_when_asked(issuers):
    assert list(selectors.issued(user=issuers.admin, organization=issuers.camp)) == [issuers.camp_credential]
    assert list(selectors.issued(user=issuers.admin, organization=issuers.ntu, state="active")) == [issuers.active]


def test_the_selector_reads_each_holder_and_issuer_with_the_list(issuers, django_assert_num_queries):
    rows = list(selectors.issued(user=issuers.admin))
    with django_assert_num_queries(0):
        seen = {(c.recipient.email, c.issuer.name) for c in rows}
    assert seen == {("lee@learners.test", "NTU"), ("kim@learners.test", "NTU"), ("lee@learners.test", "Code Camp")}
