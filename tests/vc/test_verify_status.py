"""What a verifier reports about a credential's status (revoked, suspended, not published, not
checkable), its issuer and its key's controller: the check that ends the report and its whole message."""

import pytest

from forward.vc import jose, statuslist, verify

from .helpers_verify import SUSPENSIONS_URL, as_jwt, bits, controller_document, signed
from .issuer import ED_KID, ISSUER, KEYS, NOW, STATUS_URL, credential


def check(data, lists: dict | None = None, **options) -> verify.Report:
    lists = {STATUS_URL: bits()} if lists is None else lists
    return verify.verify_credential(data, resolve_key=KEYS.get, resolve_status=lists.get, now=NOW, **options)


def entry(index: int, *, url: str = STATUS_URL, purpose: str = "revocation", **changes) -> dict:
    found = {**statuslist.status_entry(list_url=url, index=index, purpose=purpose), **changes}
    return {k: v for k, v in found.items() if v is not None}


def failed(report: verify.Report, name: str, reason: str) -> bool:
    """The report fails at the check `name` with this reason, the last check it made."""
    return (not report.ok and report.reason == reason and report.checks[-1] == verify.Check(name, False, reason)
            and [c.ok for c in report.checks[:-1]] == [True] * (len(report.checks) - 1))


# --- status ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("issue", [signed, as_jwt], ids=["data-integrity", "vc-jwt"])
def test_a_credential_without_status_says_the_issuer_publishes_none(issue):
    report = check(issue(credential(credentialStatus=None)), lists={})
    assert report.ok and not report.revoked
    assert report.checks[-1] == verify.Check("status", True, "The issuer publishes no status for this credential.")
    assert [c.name for c in report.checks] == ["format", "signature", "issuer", "dates", "status"]


@pytest.mark.parametrize("issue", [signed, as_jwt], ids=["data-integrity", "vc-jwt"])
def test_a_credential_whose_bit_is_clear_is_not_revoked(issue):
    report = check(issue(credential()), lists={STATUS_URL: bits(6, 8)})
    assert report.ok and not report.revoked and report.reason == ""
    assert report.checks[-1] == verify.Check("status", True, "Not revoked (checked against the issuer's status list).")


@pytest.mark.parametrize("issue", [signed, as_jwt], ids=["data-integrity", "vc-jwt"])
def test_a_credential_whose_revocation_bit_is_set_is_revoked(issue):
    report = check(issue(credential()), lists={STATUS_URL: bits(7)})
    assert failed(report, "status", "The issuer has revoked this credential.")
    assert report.revoked is True and report.expired is False
    assert report.summary()["revoked"] is True and report.summary()["verified"] is False


def test_a_credential_whose_suspension_bit_is_set_is_suspended_and_counted_as_revoked():
    document = signed(credential(credentialStatus=entry(7, purpose="suspension")))
    report = check(document, lists={STATUS_URL: bits(7)})
    assert failed(report, "status", "The issuer has suspended this credential.")
    assert report.revoked is True  # `forward verify` says REVOKED: not to be trusted while suspended
    assert check(document, lists={STATUS_URL: bits(6)}).ok


def test_every_entry_is_checked_and_other_purposes_are_skipped():
    # A credential may carry a revocation and a suspension entry (each its own list) and entries of
    # purposes this verifier does not act on (message, refresh): those never make it fail.
    entries = [entry(3, purpose="message"), entry(7), entry(9, url=SUSPENSIONS_URL, purpose="suspension")]
    document = signed(credential(credentialStatus=entries))
    assert check(document, lists={STATUS_URL: bits(3), SUSPENSIONS_URL: bits()}).ok
    revoked = check(document, lists={STATUS_URL: bits(3, 7), SUSPENSIONS_URL: bits()})
    assert failed(revoked, "status", "The issuer has revoked this credential.")
    suspended = check(document, lists={STATUS_URL: bits(3), SUSPENSIONS_URL: bits(9)})
    assert failed(suspended, "status", "The issuer has suspended this credential.")


@pytest.mark.parametrize("status", [
    {**statuslist.status_entry(list_url=STATUS_URL, index=7), "type": "StatusList2021Entry"},
    {k: v for k, v in statuslist.status_entry(list_url=STATUS_URL, index=7).items() if k != "type"},
    [statuslist.status_entry(list_url=STATUS_URL, index=7), "https://forward.example/credentials/status/ntu/1#7"],
    ["https://forward.example/credentials/status/ntu/1#7"],
])
def test_a_status_entry_of_another_kind_is_refused(status):
    report = check(as_jwt(credential(credentialStatus=status)))
    assert failed(report, "status", "The credential's status entry is not a BitstringStatusListEntry.")
    assert report.revoked is False


@pytest.mark.parametrize("index", ["seven", "", None, "7.5", [7]])
def test_a_status_index_that_is_not_a_number_is_refused(index):
    report = check(signed(credential(credentialStatus=entry(7, statusListIndex=index))))
    assert failed(report, "status", "The statusListIndex is not a number.")


def test_a_status_entry_without_its_list_is_refused():
    report = check(signed(credential(credentialStatus=entry(7, statusListCredential=None))))
    assert failed(report, "status", "The status entry names no status list.")


@pytest.mark.parametrize("index", [131_072, -1])
def test_a_status_index_outside_the_list_is_refused(index):
    report = check(signed(credential(credentialStatus=entry(7, statusListIndex=str(index)))))
    assert failed(report, "status", f"The status index {index} is outside the status list.")


def test_a_status_list_that_cannot_be_decoded_is_reported_as_invalid():
    def resolve_status(url: str) -> statuslist.BitString:
        return statuslist.BitString.decode("u" + jose.b64url_encode(b"not gzip"))

    report = verify.verify_credential(signed(credential()), resolve_key=KEYS.get, resolve_status=resolve_status, now=NOW)
    assert failed(report, "status", f"The status list {STATUS_URL} is not valid: encodedList is not GZIP-compressed.")


def test_a_status_list_not_available_leaves_the_status_unchecked():
    report = check(signed(credential()), lists={})
    assert report.ok and report.reason == ""
    assert report.checks[-1] == verify.Check("status", None, f"Not checked: the status list {STATUS_URL} is not "
                                                             "available here.")


def test_status_messages_are_translated():
    french = {"The issuer has suspended this credential.": "L'émetteur a suspendu cette attestation.",
              "Not checked: the status list %(url)s is not available here.":
                  "Non vérifié : la liste de statut %(url)s n'est pas disponible ici."}
    document = signed(credential(credentialStatus=entry(7, purpose="suspension")))
    report = check(document, lists={STATUS_URL: bits(7)}, translate=lambda text: french.get(text, text))
    assert report.reason == "L'émetteur a suspendu cette attestation."
    offline = check(document, lists={}, translate=lambda text: french.get(text, text))
    assert offline.checks[-1].message == f"Non vérifié : la liste de statut {STATUS_URL} n'est pas disponible ici."


# --- the issuer and the key's controller ------------------------------------------------------------

def test_a_key_of_another_issuer_is_refused_naming_both():
    stranger = "https://elsewhere.example/issuers/acme"
    keys = {ED_KID: verify.PublicKey(ED_KID, stranger, KEYS[ED_KID].key)}
    report = verify.verify_credential(signed(credential()), resolve_key=keys.get, resolve_status={}.get, now=NOW)
    assert failed(report, "issuer", f"The key belongs to {stranger}, but the credential claims to be issued by "
                                    f"{ISSUER}.")


def check_with_controller(controllers: dict) -> verify.Report:
    return check(signed(credential()), resolve_controller=controllers.get)


def test_a_key_whose_controller_document_is_not_available_is_refused():
    report = check_with_controller({})
    assert failed(report, "issuer", f"The key's controller {ISSUER} is not a known issuer: its controller document "
                                    "is not available (unknown issuer).")


@pytest.mark.parametrize("assertion_method", [
    [ED_KID], ED_KID,  # a set of one may be written as its only member (JSON-LD compaction)
    [controller_document()["verificationMethod"][0]], controller_document()["verificationMethod"][0],
])
def test_a_key_its_controller_lists_under_assertion_method_verifies(assertion_method):
    report = check_with_controller({ISSUER: controller_document(assertion_method=assertion_method)})
    assert report.ok
    assert report.checks[2] == verify.Check("issuer", True, f"Issued by Nanyang Technological University ({ISSUER}), "
                                                            "who holds the signing key.")


@pytest.mark.parametrize("document", [
    controller_document(),  # no assertionMethod at all
    controller_document(assertion_method=[]),
    controller_document(assertion_method=ISSUER + "/keys/0000-ed25519"),
    controller_document(assertion_method={"id": ISSUER + "/keys/0000-ed25519"}),
    controller_document(assertion_method=[ED_KID], id="https://elsewhere.example/issuers/acme"),
    controller_document(assertion_method=[ED_KID], authentication=[ED_KID], capabilityDelegation=[ED_KID]) | {
        "assertionMethod": None},
])
def test_a_key_its_controller_does_not_authorize_is_refused(document):
    report = check_with_controller({ISSUER: document})
    assert failed(report, "issuer", f"The key {ED_KID} is not listed under assertionMethod in its controller's "
                                    f"document {ISSUER}: the issuer has not authorized it to sign credentials.")


def test_authorizes_reads_the_purpose_asked_for():
    document = controller_document(assertion_method=[ED_KID], authentication=ED_KID)
    assert verify.authorizes(document, ISSUER, ED_KID, "authentication")
    assert not verify.authorizes(document, ISSUER, ED_KID, "capabilityInvocation")
    assert not verify.authorizes([document], ISSUER, ED_KID)
    assert not verify.authorizes(document, ISSUER, ED_KID + "x")
