"""Reads never write (issue 18 §2): a status list is signed by the writes that change it (issuing
onto a new list, revoking, rotating the key), and its URL only serves what is stored. A list never
signed (made before lists were signed at creation) answers 503 with Retry-After until the periodic
job signs it."""

import json

from forward.credentials import keys, services, tasks
from forward.credentials.models import StatusList
from forward.vc import statuslist
from tests.conftest import client_for
from tests.credentials.test_regressions import _award, issuer  # noqa: F401
from tests.reads import no_writes


def _list_url(credential) -> str:
    return json.loads(credential.document)["credentialStatus"]["statusListCredential"].replace("http://testserver", "")


def _bits(response) -> statuslist.BitString:
    return statuslist.BitString.decode(response.json()["credentialSubject"]["encodedList"])


def _signer(document: dict) -> set[str]:
    proofs = document["proof"] if isinstance(document["proof"], list) else [document["proof"]]
    return {p["verificationMethod"] for p in proofs}


def test_issuing_signs_the_new_list_and_reading_it_writes_nothing(issuer):  # noqa: F811
    listed = StatusList.objects.get()
    assert listed.published and listed.published_at is not None  # signed when the credential was issued
    index = issuer.credential.status_index
    anyone = client_for(None)
    with no_writes():
        response = anyone.get(_list_url(issuer.credential))
    assert response.status_code == 200 and "max-age=60" in response["Cache-Control"]
    assert not _bits(response).get(index)

    services.revoke(actor=issuer.admin, credential=issuer.credential, reason="Issued in error")
    with no_writes():
        response = anyone.get(_list_url(issuer.credential))
    assert _bits(response).get(index)  # the revocation re-signed the list


def test_a_list_never_signed_answers_503_and_the_periodic_job_signs_it_once(issuer):  # noqa: F811
    StatusList.objects.update(published="", published_at=None)  # as lists made before this change
    anyone = client_for(None)
    with no_writes():
        waiting = anyone.get(_list_url(issuer.credential))
    assert waiting.status_code == 503 and waiting["Retry-After"] == "60"
    assert "no-store" in waiting["Cache-Control"]  # nobody caches the wait
    assert StatusList.objects.get().published == ""  # the GET signed nothing

    assert tasks.publish_status_lists() == 1
    assert tasks.publish_status_lists() == 0  # once
    response = anyone.get(_list_url(issuer.credential))
    assert response.status_code == 200
    assert "BitstringStatusListCredential" in response.json()["type"]
    assert not _bits(response).get(issuer.credential.status_index)


def test_rotating_the_key_signs_the_issuers_lists_with_the_new_key(issuer):  # noqa: F811
    old = keys.ed25519_kid(keys.active_key(issuer.university), issuer.university)
    assert _signer(json.loads(StatusList.objects.get().published)) == {old}
    new_key = services.key_rotate(actor=issuer.admin, organization=issuer.university)
    new = keys.ed25519_kid(new_key, issuer.university)
    assert new != old
    document = client_for(None).get(_list_url(issuer.credential)).json()
    assert _signer(document) == {new}
    # What the list says is unchanged, and a credential issued now goes onto the same list.
    assert not statuslist.BitString.decode(document["credentialSubject"]["encodedList"]).get(
        issuer.credential.status_index)
    later = services.issue([_award(issuer.learner, issuer.university, "course:2", "Data Engineering")])[0]
    assert later.status_list_id == issuer.credential.status_list_id and StatusList.objects.count() == 1
