"""One "usable voucher" rule (not redeemed, not expired) for the codes an organization hands out
and for redeeming one: an expired voucher is neither listed nor redeemable."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from forward.academy import certifications
from forward.academy.models import CertificationSitting, Voucher
from tests.academy.test_certifications import world  # noqa: F401 - the certification world
from tests.conftest import client_for


def test_an_expired_voucher_is_neither_listed_as_available_nor_redeemable(world):  # noqa: F811
    now = timezone.now()
    forever, lapsed, dated = certifications.vouchers_issue(
        actor=world.admin, certification=world.associate, organization=world.ntu, count=3)
    Voucher.objects.filter(pk=lapsed.pk).update(expires_at=now - timedelta(minutes=1))
    Voucher.objects.filter(pk=dated.pk).update(expires_at=now + timedelta(days=1))
    assert set(Voucher.objects.usable(timezone.now())) == {forever, dated}

    listed = client_for(world.admin).get(reverse("academy:vouchers_csv"), {"org": "ntu"}).content.decode()
    assert forever.code in listed and dated.code in listed and lapsed.code not in listed

    student = client_for(world.student)
    page = student.post(reverse("academy:certification_redeem", args=[world.associate.slug]),
                        {"code": lapsed.code}, follow=True).content.decode()
    assert "This voucher expired on" in page
    assert not CertificationSitting.objects.exists()
    assert Voucher.objects.get(pk=lapsed.pk).redeemed_by is None
    # The same person redeems a usable code from the same form.
    student.post(reverse("academy:certification_redeem", args=[world.associate.slug]), {"code": dated.code})
    assert CertificationSitting.objects.get().voucher == dated
    assert set(Voucher.objects.usable(timezone.now())) == {forever}


def test_a_voucher_stops_being_usable_at_its_expiry_even_for_a_claim_already_under_way(world):  # noqa: F811
    voucher, = certifications.vouchers_issue(actor=world.admin, certification=world.associate,
                                             organization=world.ntu, count=1)
    ends = timezone.now() + timedelta(hours=1)
    Voucher.objects.filter(pk=voucher.pk).update(expires_at=ends)
    assert list(Voucher.objects.usable(ends - timedelta(microseconds=1))) == [voucher]
    assert not Voucher.objects.usable(ends).exists()
    # The conditional update that redeems it checks the same rule: a claim at the expiry changes nothing.
    assert not certifications._voucher_claim(voucher_id=voucher.pk, user=world.student, now=ends)
    assert Voucher.objects.get(pk=voucher.pk).redeemed_by is None
    assert certifications._voucher_claim(voucher_id=voucher.pk, user=world.student, now=ends - timedelta(seconds=1))
    assert not Voucher.objects.usable(ends - timedelta(seconds=1)).exists()  # redeemed: used up
