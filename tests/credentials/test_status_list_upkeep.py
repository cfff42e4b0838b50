"""The periodic job that signs status lists never signed (made before lists were signed at creation):
it counts what it signed, takes a hundred at a time, and leaves a list that something else signed
meanwhile to that signer."""

from __future__ import annotations

from django.urls import reverse

from forward.credentials import documents, services, tasks
from forward.credentials.models import StatusList
from tests.conftest import client_for
from tests.credentials.test_regressions import issuer  # noqa: F401 - an issuer with one credential, reused


def _unsigned_lists(issuer, count: int) -> None:  # noqa: F811
    """`count` more lists of the issuer's, none signed yet (list 1, the credential's, is signed)."""
    StatusList.objects.bulk_create(StatusList(organization=issuer.university, number=n) for n in range(2, count + 2))


def test_every_list_never_signed_is_signed_and_counted(issuer):  # noqa: F811
    _unsigned_lists(issuer, 2)
    assert tasks.publish_status_lists() == 2
    assert not StatusList.objects.filter(published="").exists()
    for number in (2, 3):
        response = client_for(None).get(reverse("credentials:status_list", args=[issuer.university.slug, number]))
        assert response.status_code == 200 and "BitstringStatusListCredential" in response.json()["type"]
        # valid from the moment it was signed, to the second, as a verifier reads an XSD dateTime
        signed_at = StatusList.objects.get(organization=issuer.university, number=number).published_at
        assert response.json()["validFrom"] == documents.xsd_datetime(signed_at)


def test_a_hundred_lists_are_signed_per_run_and_one_signed_meanwhile_is_left_to_its_signer(issuer, monkeypatch):  # noqa: F811
    _unsigned_lists(issuer, 101)
    publish = services.publish_status_list
    signed_by_job: list[int] = []

    def publish_while_another_worker_signs_list_50(*, status_list):
        if not signed_by_job:  # meanwhile, another writer (a revocation, a key rotation) signs list 50
            publish(status_list=StatusList.objects.get(organization=issuer.university, number=50))
        signed_by_job.append(status_list.number)
        return publish(status_list=status_list)

    monkeypatch.setattr(services, "publish_status_list", publish_while_another_worker_signs_list_50)
    assert tasks.publish_status_lists() == 99  # lists 2 to 101 but the 50th
    assert signed_by_job == [n for n in range(2, 102) if n != 50]
    assert list(StatusList.objects.filter(published="").values_list("number", flat=True)) == [102]
    assert tasks.publish_status_lists() == 1  # the rest on the next run
    assert tasks.publish_status_lists() == 0


def test_signing_a_missing_list_reads_it_with_its_issuer_in_one_query(issuer, django_assert_max_num_queries):  # noqa: F811
    _unsigned_lists(issuer, 3)
    # per list: a savepoint, the list and its issuer, its revoked bits, the key, the update, the release
    with django_assert_max_num_queries(1 + 3 * 6):
        assert services.status_lists_publish_missing() == 3
