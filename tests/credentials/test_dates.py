"""Dates on credential pages, in verification messages and on the PDF are written the way the
reader's language writes them (Django's DATE_FORMAT), the same everywhere; the issued list shows
each credential's own issue date."""

import re
from datetime import UTC, datetime

import pypdfium2 as pdfium
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from forward.credentials import services
from forward.credentials.models import Credential, CredentialKind
from tests.conftest import client_for

from .conftest import release

ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


@pytest.fixture
def issued(cohort):
    release(cohort)
    cohort.credential = Credential.objects.get(recipient=cohort.pass_, kind=CredentialKind.COURSE_COMPLETION)
    return cohort


def _pdf_text(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    try:
        return " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in document)
    finally:
        document.close()


def _english(day) -> str:
    from django.utils import formats, translation

    with translation.override("en"):
        return formats.date_format(day, "DATE_FORMAT")


def test_the_credential_page_and_the_pdf_write_the_issue_date_the_same_way_never_as_iso(issued):
    credential = issued.credential
    anyone = client_for(None)
    page = anyone.get(f"/credentials/{credential.uuid}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    day = _english(credential.valid_from)  # e.g. "3 Sep 2026"
    assert f"on {day}" in page  # "Issued by NTU on …"
    assert f"Valid from {day}" in page  # the verification's dates check
    assert not ISO.search(page.split('data-testid="checks"', 1)[1]), "a raw ISO timestamp on the page"
    pdf = _pdf_text(anyone.get(f"/credentials/{credential.uuid}/certificate.pdf", HTTP_ACCEPT_LANGUAGE="en").content)
    assert day in pdf


def test_in_chinese_dates_read_year_month_day(issued):
    credential = issued.credential
    Credential.objects.filter(pk=credential.pk).update(valid_from=datetime(2026, 9, 3, 4, 0, tzinfo=UTC))
    zh = client_for(issued.pass_)
    zh.cookies["django_language"] = "zh-hans"
    page = zh.get(f"/credentials/{credential.uuid}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "2026年9月3日" in page and "九月" not in page
    wallet = zh.get("/credentials/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "2026年9月3日" in wallet and "九月" not in wallet


def test_the_issued_list_shows_each_credentials_issue_date_not_today(issued):
    Credential.objects.filter(pk=issued.credential.pk).update(valid_from=datetime(2025, 1, 21, 9, 0, tzinfo=UTC))
    page = client_for(issued.admin).get("/credentials/issued/?q=pass@", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    row = page.split("pass@ntu.test", 1)[1].split("</tr>", 1)[0]
    assert _english(datetime(2025, 1, 21)) in row  # "21 Jan 2025"
    assert _english(issued.credential.issued_at) not in row  # the day the row was written (today)


def test_already_revoked_says_when_in_the_locales_format(issued):
    services.revoke(actor=issued.admin, credential=issued.credential, reason="Issued in error")
    issued.credential.refresh_from_db()
    again = client_for(issued.admin).post(f"/credentials/{issued.credential.uuid}/revoke/", {"reason": "twice"},
                                          follow=True, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"already revoked on {_english(issued.credential.revoked_at)}" in again


def test_revoking_again_is_refused_with_the_day_of_the_first_revocation_not_today(issued):
    services.revoke(actor=issued.admin, credential=issued.credential, reason="Issued in error")
    first = datetime(2025, 1, 21, 9, 0, tzinfo=UTC)
    Credential.objects.filter(pk=issued.credential.pk).update(revoked_at=first)  # revoked back then
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.revoke(actor=issued.admin, credential=issued.credential, reason="twice")
    assert refused.value.messages == [f"This credential was already revoked on {_english(timezone.localtime(first))}."]
    issued.credential.refresh_from_db()
    assert (issued.credential.revoked_at, issued.credential.revocation_reason) == (first, "Issued in error")
