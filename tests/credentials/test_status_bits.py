"""The verifier's in-process cache of status-list bits: which list an address names, how long a
process trusts the revocation count it read (STATUS_TTL), a revocation made in this process seen at
once (even after another thread read the list before it committed), reusing the bits while that
count is unchanged, finding a list made anew under the same address, and the cap on remembered bits."""

import json
import threading
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forward.core.models import OrganizationKind
from forward.credentials import selectors, services
from forward.credentials.models import Credential, StatusList
from tests.conftest import make_organization, make_user
from tests.credentials.test_regressions import _award, issuer  # noqa: F401


@pytest.fixture
def clock(monkeypatch):
    """The verifier's clock, moved by hand (no sleeps)."""
    now = SimpleNamespace(value=1000.0)
    monkeypatch.setattr(selectors, "time", SimpleNamespace(monotonic=lambda: now.value))
    return now


def status_url(credential: Credential) -> str:
    return json.loads(credential.document)["credentialStatus"]["statusListCredential"]


def revoke_elsewhere(credential: Credential) -> None:
    """Another worker revokes: the rows change, this process's caches do not."""
    Credential.objects.filter(pk=credential.pk).update(revoked_at=timezone.now(), revocation_reason="Issued in error")
    StatusList.objects.filter(pk=credential.status_list_id).update(revocations=F("revocations") + 1)


def test_a_revocation_elsewhere_is_seen_once_the_count_read_is_status_ttl_old(issuer, clock):  # noqa: F811
    url, index = status_url(issuer.credential), issuer.credential.status_index
    assert not selectors.resolve_status(url).get(index)
    revoke_elsewhere(issuer.credential)
    clock.value += selectors.STATUS_TTL / 2
    assert not selectors.resolve_status(url).get(index)  # the count read a moment ago is still trusted
    clock.value = 1000.0 + selectors.STATUS_TTL  # exactly STATUS_TTL later: read again
    assert selectors.resolve_status(url).get(index)
    report = selectors.verify_data(issuer.credential.document)
    assert not report.ok and report.revoked


def test_a_revocation_in_this_process_is_seen_at_once_and_counted_once(issuer, clock):  # noqa: F811
    url, index = status_url(issuer.credential), issuer.credential.status_index
    assert not selectors.resolve_status(url).get(index)  # the count read now is trusted for STATUS_TTL
    services.revoke(actor=issuer.admin, credential=issuer.credential, reason="Issued in error")
    assert selectors.resolve_status(url).get(index)  # no time has passed: the revoking process reads afresh
    report = selectors.verify_data(issuer.credential.document)
    assert not report.ok and report.revoked
    # The count readers cache by (and the status lists' admin page shows): one per revocation.
    assert StatusList.objects.get(pk=issuer.credential.status_list_id).revocations == 1


@pytest.mark.django_db(transaction=True)
def test_a_list_read_elsewhere_before_a_revocation_commits_is_read_afresh_after_it(issuer, clock):  # noqa: F811
    url, index = status_url(issuer.credential), issuer.credential.status_index
    seen = []

    def read_in_another_thread():  # another request of this process, on its own connection
        try:
            seen.append(selectors.resolve_status(url).get(index))
        finally:
            connection.close()

    with transaction.atomic():  # the revocation is part of a larger transaction, not committed yet
        services.revoke(actor=issuer.admin, credential=issuer.credential, reason="Issued in error")
        reader = threading.Thread(target=read_in_another_thread)
        reader.start()
        reader.join()
    assert seen == [False]  # it read the list as committed then, and this process remembers that count
    assert selectors.resolve_status(url).get(index)  # committed: no time has passed, yet it is seen


def test_the_bits_are_reused_while_the_revocation_count_is_unchanged(issuer, clock):  # noqa: F811
    url, index = status_url(issuer.credential), issuer.credential.status_index
    first = selectors.resolve_status(url)
    with CaptureQueriesContext(connection) as queries:
        assert selectors.resolve_status(url) is first  # within STATUS_TTL: nothing is read
    assert len(queries) == 0
    clock.value += selectors.STATUS_TTL * 5
    with CaptureQueriesContext(connection) as queries:
        assert selectors.resolve_status(url) is first  # only the count is read again; it has not changed
    assert len(queries) == 1 and "revocations" in queries[0]["sql"]
    revoke_elsewhere(issuer.credential)
    clock.value += selectors.STATUS_TTL * 5
    again = selectors.resolve_status(url)
    assert again is not first and again.get(index) and not first.get(index)
    clock.value += selectors.STATUS_TTL * 5
    with CaptureQueriesContext(connection) as queries:
        assert selectors.resolve_status(url) is again
    assert len(queries) == 1


def test_each_address_names_its_own_issuers_list_and_number(issuer, clock):  # noqa: F811
    other_admin = make_user("admin@zju.test", "Zed Admin")
    other = make_organization(creator=other_admin, name="ZJU", kind=OrganizationKind.UNIVERSITY, country="CN")
    (theirs,) = services.issue([_award(issuer.learner, other, "course:zju")])
    second = StatusList.objects.create(organization=issuer.university, number=2)
    assert theirs.status_list.number == issuer.credential.status_list.number == 1
    assert theirs.status_index == issuer.credential.status_index
    revoke_elsewhere(issuer.credential)
    index = issuer.credential.status_index
    assert selectors.resolve_status(status_url(issuer.credential)).get(index)
    assert not selectors.resolve_status(status_url(theirs)).get(index)
    second_url = settings.SITE_URL + reverse("credentials:status_list", args=[issuer.university.slug, 2])
    bits = selectors.resolve_status(second_url)
    assert bits is not None and not bits.get(index) and second.revocations == 0


def test_an_unknown_or_foreign_list_address_resolves_to_nothing(issuer):  # noqa: F811
    url = status_url(issuer.credential)
    assert selectors.resolve_status(url) is not None
    for other in (None, "", url.replace(f"/{issuer.university.slug}/", "/nobody/"), url[:-1] + "7",
                  url.replace(settings.SITE_URL, "https://elsewhere.example"), url + "/extra"):
        assert selectors.resolve_status(other) is None, other


def test_a_list_deleted_and_made_anew_is_found_again_and_a_deleted_one_is_gone(issuer, clock):  # noqa: F811
    url = status_url(issuer.credential)
    assert selectors.resolve_status(url) is not None
    Credential.objects.all().delete()
    StatusList.objects.all().delete()
    clock.value += selectors.STATUS_TTL
    assert selectors.resolve_status(url) is None  # the remembered row is gone and nothing replaced it
    (again,) = services.issue([_award(issuer.learner, issuer.university, "course:1")])
    assert status_url(again) == url
    assert selectors.resolve_status(url) is not None  # looked up afresh
    Credential.objects.all().delete()
    StatusList.objects.all().delete()
    (third,) = services.issue([_award(issuer.learner, issuer.university, "course:1")])
    revoke_elsewhere(third)
    clock.value += selectors.STATUS_TTL
    bits = selectors.resolve_status(url)  # the remembered row is gone: the new one under that address
    assert bits is not None and bits.get(third.status_index)


def test_past_256_remembered_lists_the_cache_is_emptied(issuer, clock):  # noqa: F811
    url = status_url(issuer.credential)
    stale = selectors.resolve_status(url)
    selectors._BITS.clear()
    selectors._BITS.update({(-n, 0): stale for n in range(1, 257)})  # 256 other lists' bits
    fresh = selectors.resolve_status(url)
    assert len(selectors._BITS) == 257 and (-1, 0) in selectors._BITS  # 256 is not past the cap
    revoke_elsewhere(issuer.credential)
    clock.value += selectors.STATUS_TTL
    revoked = selectors.resolve_status(url)
    assert revoked.get(issuer.credential.status_index) and not fresh.get(issuer.credential.status_index)
    assert len(selectors._BITS) == 1  # 257 was: emptied, then this one remembered
