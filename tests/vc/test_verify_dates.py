"""validFrom and validUntil: when a credential starts and stops being valid (to the microsecond, in
the credential's own offset, a date-time without one read as UTC), what the dates check says, and
which values are not date-times at all."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from .helpers_jwt import (
    STATUS_CHECK,
    check,
    credential,
    failed,
    passed_until,
    signed_di,
    signed_jwt,
)

FROM, UNTIL = "2026-06-01T00:00:00Z", "2027-06-01T00:00:00Z"
START, END = datetime(2026, 6, 1, tzinfo=UTC), datetime(2027, 6, 1, tzinfo=UTC)
DI = "Data Integrity (eddsa-rdfc-2022)"
MICROSECOND = timedelta(microseconds=1)


def valid(message: str, *, proof: str = "VC-JWT (RS256)") -> dict:
    """The summary of a report that passes, its dates check saying `message`."""
    return {"verified": True, "revoked": False, "expired": False, "reason": "", "proof_format": proof,
            "checks": [*passed_until("dates", proof=proof), {"name": "dates", "ok": True, "message": message},
                       STATUS_CHECK]}


def spelled(moment: datetime) -> str:
    """A reader's way of writing a date (what the site passes as format_date), naming the offset."""
    return f"{moment.day} {moment:%B %Y, %H:%M} {moment.tzname()}"


@pytest.mark.parametrize("now,summary", [
    (START - MICROSECOND, failed("dates", f"Not valid yet: valid from {FROM}.")),
    (START, valid(f"Valid from {FROM} until {UNTIL}.")),
    (END - MICROSECOND, valid(f"Valid from {FROM} until {UNTIL}.")),
    (END, failed("dates", f"This credential expired on {UNTIL}.", expired=True)),
    (END + timedelta(days=400), failed("dates", f"This credential expired on {UNTIL}.", expired=True)),
])
def test_a_credential_is_valid_from_its_first_instant_until_just_before_its_end(now, summary):
    assert check(signed_jwt(credential(validFrom=FROM, validUntil=UNTIL)), now=now).summary() == summary


def test_without_an_end_date_a_credential_stays_valid():
    token = signed_jwt(credential(validFrom=FROM))
    assert check(token, now=datetime(2126, 1, 1, tzinfo=UTC)).summary() == valid(f"Valid from {FROM}; no end date.")
    assert check(token, now=START - MICROSECOND).summary() == failed("dates", f"Not valid yet: valid from {FROM}.")


def test_a_credential_without_valid_from_fails_the_dates_check():
    summary = check(signed_jwt(credential(validFrom=None, validUntil=UNTIL))).summary()
    assert summary == failed("dates", "The credential has no validFrom date.")


def test_dates_are_compared_in_the_offset_the_credential_writes():
    # 08:00 in Singapore is midnight UTC: valid from then, whatever the offset says.
    singapore = signed_jwt(credential(validFrom="2026-06-01T08:00:00+08:00", validUntil="2027-06-01T08:00:00+08:00"))
    assert check(singapore, now=START - MICROSECOND).summary() == failed(
        "dates", "Not valid yet: valid from 2026-06-01T08:00:00+08:00.")
    assert check(singapore, now=START).summary() == valid(
        "Valid from 2026-06-01T08:00:00+08:00 until 2027-06-01T08:00:00+08:00.")
    assert check(singapore, now=END).summary() == failed(
        "dates", "This credential expired on 2027-06-01T08:00:00+08:00.", expired=True)


def test_a_date_time_without_an_offset_is_read_as_utc():
    document = signed_di(credential(validFrom="2026-06-01T00:00:00", validUntil="2027-06-01T00:00:00"))
    assert check(document, now=START - MICROSECOND).summary() == failed(
        "dates", "Not valid yet: valid from 2026-06-01T00:00:00.", proof=DI)
    assert check(document, now=START).summary() == valid(
        "Valid from 2026-06-01T00:00:00 until 2027-06-01T00:00:00.", proof=DI)
    assert check(document, now=END).summary() == failed(
        "dates", "This credential expired on 2027-06-01T00:00:00.", proof=DI, expired=True)
    assert check(document, now=START, format_date=spelled).summary() == valid(
        "Valid from 1 June 2026, 00:00 UTC until 1 June 2027, 00:00 UTC.", proof=DI)


def test_format_date_writes_the_dates_for_a_reader_in_every_message():
    token = signed_jwt(credential(validFrom="2026-06-01T08:00:00+08:00", validUntil=UNTIL))
    assert check(token, now=START, format_date=spelled).summary() == valid(
        "Valid from 1 June 2026, 08:00 UTC+08:00 until 1 June 2027, 00:00 UTC.")
    assert check(token, now=START - MICROSECOND, format_date=spelled).summary() == failed(
        "dates", "Not valid yet: valid from 1 June 2026, 08:00 UTC+08:00.")
    assert check(token, now=END, format_date=spelled).summary() == failed(
        "dates", "This credential expired on 1 June 2027, 00:00 UTC.", expired=True)
    endless = signed_jwt(credential(validFrom=FROM))
    assert check(endless, format_date=spelled).summary() == valid("Valid from 1 June 2026, 00:00 UTC; no end date.")


def test_format_date_is_given_the_moment_with_its_offset():
    seen = []
    token = signed_jwt(credential(validFrom="2026-06-01T08:00:00+08:00", validUntil=UNTIL))
    check(token, now=START, format_date=lambda moment: seen.append(moment) or "then")
    assert seen == [datetime(2026, 6, 1, 8, tzinfo=timezone(timedelta(hours=8))), END]
    assert [moment.utcoffset() for moment in seen] == [timedelta(hours=8), timedelta(0)]


@pytest.mark.parametrize("member,value", [
    ("validFrom", "yesterday"),
    ("validFrom", "2026-06-01T00:00:00z"),  # XML Schema's dateTimeStamp writes UTC as an upper-case Z
    ("validFrom", "2026-06-01T25:00:00Z"),
    ("validUntil", "soon"),
    ("validUntil", "2027-02-30T00:00:00Z"),
])
def test_a_value_that_is_not_a_date_time_is_named_with_its_member(member, value):
    document = signed_di(credential(**{member: value}))
    assert check(document).summary() == failed("dates", f"{member} is not a date-time: {value}", proof=DI)


@pytest.mark.parametrize("value", ["2026-06-01ZZ", "2026-06-01Z+01:00", "2026-06-01Z"])
def test_a_zone_designator_after_a_bare_date_is_not_a_date_time(value):
    # These used to be read as date-times: turning each Z into +00:00 made "2026-06-01ZZ" midnight
    # UTC and "2026-06-01Z+01:00" midnight at +01:00.
    document = signed_di(credential(validFrom=value))
    assert check(document).summary() == failed("dates", f"validFrom is not a date-time: {value}", proof=DI)
