"""Directory services and rules: who edits and sees which startup and investor, the deck, traction,
and the SQL fit agreeing with forward.matching.thesis."""

from __future__ import annotations

import random
import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from forward.core.models import AuditEvent, Membership, OrganizationKind, Role
from forward.ventures import discovery, investors, permissions, startups
from forward.ventures.models import (
    DeckShare,
    Investor,
    Sector,
    Stage,
    Startup,
    TeamMember,
    TractionMonth,
)
from tests.conftest import make_organization, make_user

from .conftest import ROLES, committed

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

EDIT_STARTUP = {"founder", "teammate", "operator"}
SEE_PRIVATE = {"founder", "teammate", "investor", "investor_staff", "other_investor", "centre_admin", "centre_staff",
               "operator"}
OPEN_SHARED_DECK = {"founder", "teammate", "investor", "investor_staff"}
EDIT_FUND = {"investor", "investor_staff", "operator"}


def profile(**kw):
    base = {"one_liner": "Data pipes for lenders.", "description": "We build **things**.", "sectors": ["ai-data"],
            "stage": "seed", "country": "MY", "founded_on": date(2023, 4, 1), "video_url": "https://video.example/x"}
    base.update(kw)
    return base


def thesis(**kw):
    base = {"investor_type": "fund", "thesis": "Seed data.", "sectors": ["ai-data"], "stages": ["seed"],
            "countries": ["MY"], "ticket_min": "100000", "ticket_max": "1000000", "ticket_currency": "USD",
            "lead_style": "leads"}
    base.update(kw)
    return base


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_and_edits_what(ventures, role):
    w = ventures
    user = w.actor(role)
    assert permissions.can_view_startup(user, w.startup_org)
    assert permissions.can_view_startup(user, w.unverified_startup.organization) == (
        role in {"unverified_founder", "operator"})
    assert permissions.can_see_startup_private(user, w.startup_org) == (role in SEE_PRIVATE)
    assert permissions.can_prepare_startup(user, w.startup_org) == (role in EDIT_STARTUP)
    assert permissions.can_open_deck(user, w.startup_org, shared_with_ids=[w.fund.pk]) == (role in OPEN_SHARED_DECK)
    assert permissions.can_open_deck(user, w.startup_org, shared_with_ids=[]) == (role in {"founder", "teammate"})
    assert permissions.can_view_investor(user, w.fund)
    assert permissions.can_view_investor(user, w.unverified_fund) == (role in {"unverified_investor", "operator"})
    assert permissions.can_edit_investor(user, w.fund) == (role in EDIT_FUND)
    assert permissions.can_edit_investor(user, w.unverified_fund) == (role in {"unverified_investor", "operator"})


@pytest.mark.parametrize("role", ROLES)
def test_only_founders_and_staff_write_the_startup(ventures, role):
    w = ventures
    user = w.actor(role)
    calls = [
        lambda: startups.startup_update_profile(actor=user, startup=w.startup, **profile()),
        lambda: startups.startup_set_round(actor=user, startup=w.startup, amount="500000", currency="USD",
                                           instrument="safe"),
        lambda: startups.traction_set(actor=user, startup=w.startup, month="2026-01", revenue="1000", currency="MYR",
                                      users=10),
        lambda: startups.deck_share(actor=user, startup=w.startup, investor=w.fund_investor),
        lambda: startups.team_member_set(actor=user, startup=w.startup, user=w.startup_member, title="Designer"),
    ]
    for call in calls:
        if role in EDIT_STARTUP:
            call()
        else:
            with pytest.raises(PermissionDenied):
                call()


@pytest.mark.parametrize("role", ROLES)
def test_only_the_investors_admins_and_staff_write_its_thesis(ventures, role):
    w = ventures
    user = w.actor(role)
    if role in EDIT_FUND:
        investors.investor_update_profile(actor=user, investor=w.fund_investor, **thesis())
    else:
        with pytest.raises(PermissionDenied):
            investors.investor_update_profile(actor=user, investor=w.fund_investor, **thesis())


def test_profile_update_keeps_search_columns_in_step(ventures):
    w = ventures
    startups.startup_update_profile(actor=w.founder, startup=w.startup,
                                    **profile(sectors=["climate", "fintech"], country="SG", description="New words"))
    startup = Startup.objects.select_related("organization").get(pk=w.startup.pk)
    assert startup.sectors == ["climate", "fintech"]
    assert startup.organization.description == "New words" and startup.organization.country == "SG"
    assert startup.sector_mask == (1 << list(Sector.values).index("climate")) | (1 << list(Sector.values).index("fintech"))
    assert AuditEvent.objects.filter(action="ventures.startup_profile", organization=w.startup_org).exists()


@pytest.mark.parametrize("field,value,message", [
    ("sectors", ["ai-data", "fintech", "climate", "media"], "at most 3"),
    ("sectors", ["space"], "Unknown sector"),
    ("stage", "unicorn", "Choose a stage"),
    ("country", "XX", "country"),
    ("founded_on", date(2999, 1, 1), "future"),
    ("video_url", "javascript:alert(1)", "https://"),
    ("one_liner", "x" * 161, "160"),
])
def test_profile_errors_say_what_to_fix(ventures, field, value, message):
    with pytest.raises(ValidationError) as exc:
        startups.startup_update_profile(actor=ventures.founder, startup=ventures.startup, **profile(**{field: value}))
    assert message in str(exc.value)


def test_round_and_traction_rules(ventures):
    w = ventures
    startups.startup_set_round(actor=w.founder, startup=w.startup, amount="250000.50", currency="myr",
                               instrument="equity")
    w.startup.refresh_from_db()
    assert (w.startup.raising_amount, w.startup.raising_currency, w.startup.raising_usd) == (
        Decimal("250000.50"), "MYR", 59000)
    for bad in ({"amount": "0"}, {"amount": "-5"}, {"amount": "abc"}, {"currency": "EUR"}, {"instrument": "loan"}):
        args = {"amount": "1000", "currency": "USD", "instrument": "safe", **bad}
        with pytest.raises(ValidationError):
            startups.startup_set_round(actor=w.founder, startup=w.startup, **args)
    startups.startup_clear_round(actor=w.founder, startup=w.startup)
    w.startup.refresh_from_db()
    assert not w.startup.is_raising and w.startup.raising_usd is None

    startups.traction_set(actor=w.founder, startup=w.startup, month="2026-03", revenue="1200", currency="MYR", users=40)
    startups.traction_set(actor=w.teammate, startup=w.startup, month=date(2026, 3, 17), revenue="1300",
                          currency="MYR", users=45)
    assert list(TractionMonth.objects.filter(startup=w.startup).values_list("month", "revenue", "users")) == [
        (date(2026, 3, 1), Decimal("1300.00"), 45)]
    for bad in ({"month": "March"}, {"month": "2999-01"}, {"revenue": "-1"}, {"users": -3}, {"currency": "XYZ"}):
        args = {"month": "2026-02", "revenue": "1", "currency": "USD", "users": 1, **bad}
        with pytest.raises(ValidationError):
            startups.traction_set(actor=w.founder, startup=w.startup, **args)
    startups.traction_delete(actor=w.founder, startup=w.startup, month="2026-03")
    assert not TractionMonth.objects.filter(startup=w.startup).exists()


def test_team_members_must_belong_to_the_startup(ventures):
    w = ventures
    startups.team_member_set(actor=w.founder, startup=w.startup, user=w.startup_member, title="Designer", order=3)
    assert TeamMember.objects.get(startup=w.startup, user=w.startup_member).title == "Designer"
    with pytest.raises(ValidationError, match="invite them"):
        startups.team_member_set(actor=w.founder, startup=w.startup, user=w.outsider, title="Ghost")
    startups.team_member_remove(actor=w.founder, startup=w.startup, user=w.startup_member)
    assert not TeamMember.objects.filter(startup=w.startup, user=w.startup_member).exists()


def test_deck_is_a_bounded_pdf_and_shares_are_revocable(ventures, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}
    w = ventures
    with pytest.raises(ValidationError, match="not a PDF"):
        startups.deck_upload(actor=w.founder, startup=w.startup,
                             upload=SimpleUploadedFile("deck.pdf", b"<html>hi</html>", "application/pdf"))
    with pytest.raises(ValidationError, match="10 MB"):
        startups.deck_upload(actor=w.founder, startup=w.startup, upload=SimpleUploadedFile(
            "deck.pdf", b"%PDF-" + b"0" * startups.MAX_DECK_BYTES, "application/pdf"))
    with committed():
        startups.deck_upload(actor=w.founder, startup=w.startup,
                             upload=SimpleUploadedFile("deck.pdf", PDF, "application/pdf"))
    w.startup.refresh_from_db()
    assert w.startup.deck.name.startswith("ventures/decks/") and w.startup.deck.name != "ventures/decks/deck.pdf"
    startups.deck_share(actor=w.founder, startup=w.startup, investor=w.fund_investor)
    startups.deck_share(actor=w.founder, startup=w.startup, investor=w.fund_investor)  # a double click
    assert DeckShare.objects.filter(startup=w.startup).count() == 1
    with pytest.raises(ValidationError, match="verified"):
        startups.deck_share(actor=w.founder, startup=w.startup, investor=Investor.objects.get(organization=w.unverified_fund))
    assert startups.deck_unshare(actor=w.founder, startup=w.startup, investor=w.fund_investor)
    assert not permissions.can_open_deck(w.investor, w.startup_org,
                                         shared_with_ids=discovery.deck_shared_with_ids(w.startup))
    assert not startups.deck_unshare(actor=w.founder, startup=w.startup, investor=w.fund_investor)


def test_thesis_validation(ventures):
    w = ventures
    for bad in ({"ticket_min": "2000000"}, {"stages": ["later"]}, {"countries": ["ZZ"]}, {"sectors": ["x"]},
                {"investor_type": "bank"}, {"ticket_currency": "EUR"}):
        with pytest.raises(ValidationError):
            investors.investor_update_profile(actor=w.investor, investor=w.fund_investor, **thesis(**bad))
    investors.investor_update_profile(actor=w.investor, investor=w.fund_investor,
                                      **thesis(countries=["my", "sg"], ticket_currency="SGD"))
    w.fund_investor.refresh_from_db()
    assert w.fund_investor.countries_key == ",MY,SG," and w.fund_investor.ticket_max_usd == 770000


def test_partners_are_members_of_the_investor(ventures):
    w = ventures
    investors.partner_set(actor=w.investor, investor=w.fund_investor, user=w.investor_staff, title="Principal")
    assert w.fund_investor.partners.get().title == "Principal"
    with pytest.raises(ValidationError):
        investors.partner_set(actor=w.investor, investor=w.fund_investor, user=w.outsider, title="Fake")
    investors.partner_remove(actor=w.investor, investor=w.fund_investor, user=w.investor_staff)
    assert not w.fund_investor.partners.exists()


def test_a_kind_set_by_oneself_opens_no_deck(ventures):
    """An organization its admin calls an investor, unverified, gets no shared deck."""
    w = ventures
    assert not permissions.can_open_deck(w.unverified_investor, w.startup_org, shared_with_ids=[w.unverified_fund.pk])


# --- the SQL fit is the library's fit --------------------------------------------------------------


def _random_world(rng: random.Random, n_startups: int, n_investors: int):
    admin = make_user("random-admin@ventures.test", "Ra Ndom")
    countries = ["MY", "SG", "ID", "PH", "CN", "VN"]
    currencies = ["USD", "MYR", "SGD", "IDR"]
    for i in range(n_startups):
        org = make_organization(creator=admin, name=f"S{i:03d}", kind=OrganizationKind.STARTUP,
                                country=rng.choice(countries))
        raising = rng.random() < 0.7
        Startup.objects.create(organization=org, sectors=rng.sample(Sector.values, rng.randint(0, 3)),
                               stage=rng.choice(Stage.values),
                               raising_amount=Decimal(rng.choice([20_000, 300_000, 1_200_000, 9_000_000, 50_000_000]))
                               if raising else None, raising_currency=rng.choice(currencies))
    for i in range(n_investors):
        org = make_organization(creator=admin, name=f"I{i:03d}", kind=OrganizationKind.INVESTOR,
                                country=rng.choice(countries))
        low = rng.choice([None, 10_000, 100_000, 1_000_000])
        high = rng.choice([None, 500_000, 2_000_000]) if low is None or low < 500_000 else None
        Investor.objects.create(organization=org, sectors=rng.sample(Sector.values, rng.randint(0, 3)),
                                stages=rng.sample(Stage.values, rng.randint(0, 2)),
                                countries=rng.sample(countries, rng.randint(0, 2)),
                                ticket_min=None if low is None else Decimal(low),
                                ticket_max=None if high is None else Decimal(high),
                                ticket_currency=rng.choice(currencies))


def test_sql_fit_equals_the_library_fit_both_ways(db):
    _random_world(random.Random(14), 40, 12)
    all_investors = list(discovery.listed_investors())
    all_startups = list(discovery.listed_startups())
    for investor in all_investors:
        for startup in discovery.search_startups(discovery.StartupFilters(), as_investor=investor, sees_rounds=True):
            assert startup.fit == discovery.fit_for(startup, investor).score, (startup.sectors, investor.sectors)
    for startup in all_startups[:15]:
        rows = list(discovery.search_investors(discovery.InvestorFilters(), as_startup=startup))
        for investor in rows:
            assert investor.fit == discovery.fit_for(startup, investor).score
        assert [r.fit for r in rows] == sorted((r.fit for r in rows), reverse=True)


@pytest.mark.django_db(transaction=True)
def test_two_shares_at_once_make_one(ventures):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    w = ventures
    errors = []

    def share():
        try:
            startups.deck_share(actor=w.founder, startup=w.startup, investor=w.fund_investor)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=share) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert DeckShare.objects.filter(startup=w.startup, investor=w.fund_investor).count() == 1
    assert AuditEvent.objects.filter(action="ventures.deck_share").count() == 1


def test_membership_roles_unused(ventures):
    """A plain member of the startup is on the team page but neither edits nor sees the round."""
    w = ventures
    assert Membership.objects.get(user=w.startup_member, organization=w.startup_org).role == Role.MEMBER
    assert not permissions.can_see_startup_private(w.startup_member, w.startup_org)
