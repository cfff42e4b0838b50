"""The reads the pages, talent and impact share (selectors): who sees which batches, what a stored
credential's own page says, and the order wallets and holdings come in."""

import json
from datetime import UTC, datetime, timedelta

from django.db.models import F
from django.utils import timezone, translation

from forward.credentials import selectors, services
from forward.credentials.models import Credential, IssuanceBatch, StatusList
from tests.conftest import make_user
from tests.credentials.test_regressions import _award, issuer  # noqa: F401


def _issue(w, key: str, name: str, **fields) -> Credential:
    award = _award(w.learner, w.university, key, name)
    for field, value in fields.items():
        setattr(award, field, value)
    return services.issue([award])[0]


# --- a stored credential's own page -------------------------------------------------------------------

def test_a_credential_page_shows_a_revocation_made_by_another_process_at_once(issuer):  # noqa: F811
    assert selectors.verify_stored(issuer.credential).ok  # this process now knows the list's revocation count
    # Another worker revokes it: the rows change, this process's caches do not.
    Credential.objects.filter(pk=issuer.credential.pk).update(revoked_at=timezone.now(), revocation_reason="Issued in error")
    StatusList.objects.filter(pk=issuer.credential.status_list_id).update(revocations=F("revocations") + 1)
    report = selectors.verify_stored(issuer.credential)
    assert not report.ok and report.revoked


def test_a_credential_page_checked_after_its_end_date_says_when_it_expired(issuer):  # noqa: F811
    credential = _issue(issuer, "course:9", "Data Engineering", valid_from=datetime(2020, 3, 1, 12, tzinfo=UTC),
                        valid_until=datetime(2030, 1, 15, 12, tzinfo=UTC))
    assert selectors.verify_stored(credential).ok  # today it is valid
    report = selectors.verify_stored(credential, now=datetime(2030, 2, 1, tzinfo=UTC))
    assert not report.ok and report.expired
    assert "15 Jan 2030" in report.reason
    report = selectors.verify_stored(credential, now=datetime(2019, 1, 1, tzinfo=UTC))
    assert not report.ok and "1 Mar 2020" in report.reason


def test_a_credential_pages_checks_read_in_the_readers_language(issuer):  # noqa: F811
    with translation.override("zh-hans"):
        report = selectors.verify_stored(issuer.credential)
    said = {check.name: check.message for check in report.checks}
    assert report.ok
    assert said["status"] == "未被撤销（已根据颁发机构的状态列表检查）。"
    assert said["signature"].startswith("Ed25519 证明有效，使用 ") and said["dates"].startswith("自 ")


def test_only_this_sites_credential_urls_name_a_stored_credential(issuer):  # noqa: F811
    url = json.loads(issuer.credential.document)["id"]
    assert selectors.stored_credential(url) == issuer.credential
    prefix = url.rsplit(str(issuer.credential.uuid), 1)[0]
    for other in (None, 42, {"id": url}, prefix + "not-a-uuid/", prefix, "x" * len(prefix) + url[len(prefix):],
                  url.replace("http", "ftp", 1)):
        assert selectors.stored_credential(other) is None, other


# --- batches -------------------------------------------------------------------------------------------

def test_people_see_their_own_batches_and_operators_see_everyones(issuer):  # noqa: F811
    other = make_user("other@ntu.test", "Otto Other")
    operator = make_user("ops@forward.test", "Op Erator", is_staff=True)
    mine = IssuanceBatch.objects.create(source="academy.run:1", title="Mine", requested_by=issuer.admin)
    theirs = IssuanceBatch.objects.create(source="academy.run:2", title="Theirs", requested_by=other)
    nobodys = IssuanceBatch.objects.create(source="academy.run:3", title="Requester gone", requested_by=None)
    assert list(selectors.batches(user=issuer.admin)) == [mine]
    assert list(selectors.batches(user=other)) == [theirs]
    assert set(selectors.batches(user=operator)) == {mine, theirs, nobodys}


def test_the_latest_batch_of_a_source_is_the_one_created_last(db):
    now = timezone.now()
    done = {"status": "done"}
    newer = IssuanceBatch.objects.create(source="academy.run:1", title="Second", created_at=now, **done)
    IssuanceBatch.objects.create(source="academy.run:1", title="First", created_at=now - timedelta(hours=1), **done)
    IssuanceBatch.objects.create(source="academy.run:2", title="Other", created_at=now + timedelta(hours=1), **done)
    assert selectors.latest_batch("academy.run:1") == newer
    same_time = IssuanceBatch.objects.create(source="academy.run:1", title="Third", created_at=now, **done)
    assert selectors.latest_batch("academy.run:1") == same_time  # a tie: the one made last
    assert selectors.latest_batch("academy.run:9") is None


# --- status lists --------------------------------------------------------------------------------------

def test_a_status_list_made_anew_under_the_same_address_is_still_found(issuer, monkeypatch):  # noqa: F811
    """A process remembers which row a list's address names; when that row is gone (a test database
    rolled back and filled again) it looks the address up afresh instead of answering "no such list"."""
    monkeypatch.setattr(selectors, "STATUS_TTL", 0)  # re-read the revocation count on every check
    url = json.loads(issuer.credential.document)["credentialStatus"]["statusListCredential"]
    assert selectors.resolve_status(url) is not None
    old = issuer.credential.status_list_id
    Credential.objects.all().delete()
    StatusList.objects.all().delete()
    (again,) = services.issue([_award(issuer.learner, issuer.university, "course:1")])
    assert again.status_list_id != old
    assert json.loads(again.document)["credentialStatus"]["statusListCredential"] == url
    bits = selectors.resolve_status(url)
    assert bits is not None and not bits.get(again.status_index)
    assert selectors.verify_stored(again).ok
