"""Directory pages for every role: lists with and without fit, a startup's and an investor's page,
the deck, My startup and My fund; constant queries on the lists."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from forward.core.models import OrganizationKind
from forward.ventures import startups
from forward.ventures.models import DeckShare, Investor, Sector, Stage, Startup, TractionMonth
from tests.conftest import client_for, make_organization, make_user

from .conftest import ROLES
from .test_directory import EDIT_FUND, EDIT_STARTUP, OPEN_SHARED_DECK, PDF, SEE_PRIVATE, profile

FIT_STARTUPS = {"investor", "investor_staff", "other_investor"}  # browse startups as a fund by default
FIT_INVESTORS = {"founder", "teammate", "other_founder", "unverified_founder"}
SEES_ROUNDS = {"investor", "investor_staff", "other_investor", "centre_admin", "centre_staff", "operator"}


@pytest.fixture
def storage(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}


@pytest.mark.parametrize("role", ROLES)
def test_startup_list(ventures, role):
    w = ventures
    page = client_for(None if role == "anonymous" else w.actor(role)).get("/ventures/startups/")
    assert page.status_code == 200
    html = page.content.decode()
    assert w.startup_org.name in html and w.other_startup.organization.name in html
    assert "Shadow Startup" not in html  # unverified: never listed
    assert ('data-testid="fit"' in html) == (role in FIT_STARTUPS)
    assert ("raising USD 1.2M" in html) == (role in SEES_ROUNDS)
    if role == "investor":
        assert "Sector: AI and data, Fintech ✓" in html
        assert "Ticket: raising USD 1.2M, their range USD 100k–1.5M ✓" in html
        # sorted by fit: the fitting startup before the one from elsewhere
        assert html.index(w.startup_org.name) < html.index(w.other_startup.organization.name)


@pytest.mark.parametrize("role", ROLES)
def test_browsing_as_someone_elses_fund_is_404(ventures, role):
    w = ventures
    client = client_for(None if role == "anonymous" else w.actor(role))
    response = client.get(f"/ventures/startups/?as={w.fund.pk}")
    assert response.status_code == (200 if role in {"investor", "investor_staff", "operator"} else 404)
    if role == "operator":
        assert 'data-testid="fit"' in response.content.decode()
    assert client.get(f"/ventures/startups/?as={w.unverified_fund.pk}").status_code == 404
    response = client.get(f"/ventures/investors/?as={w.startup_org.pk}")
    assert response.status_code == (200 if role in {"founder", "teammate", "operator"} else 404)


def test_filters(ventures):
    w = ventures
    client = client_for(w.investor)
    html = client.get("/ventures/startups/?sector=edtech").content.decode()
    assert w.other_startup.organization.name in html and w.startup_org.name not in html
    html = client.get("/ventures/startups/?country=MY&stage=seed&raising=yes&q=ledger").content.decode()
    assert 'data-testid="startup-count">0 startups' in html or "No startup matches" in html
    html = client.get("/ventures/startups/?q=Garuda").content.decode()
    assert w.other_startup.organization.name in html and w.startup_org.name not in html
    html = client.get("/ventures/startups/?raising=no").content.decode()
    assert w.startup_org.name not in html
    # raising is ignored for those who do not see rounds
    html = client_for(None).get("/ventures/startups/?raising=no").content.decode()
    assert w.startup_org.name in html
    html = client_for(w.founder).get("/ventures/investors/?sector=climate").content.decode()
    assert w.other_fund.name in html and w.fund.name not in html
    html = client_for(w.founder).get("/ventures/investors/").content.decode()
    assert html.index(w.fund.name) < html.index(w.other_fund.name)
    assert "Too Good Capital" not in html


@pytest.mark.parametrize("role", ROLES)
def test_investor_list_and_page(ventures, role):
    w = ventures
    client = client_for(None if role == "anonymous" else w.actor(role))
    html = client.get("/ventures/investors/").content.decode()
    assert w.fund.name in html and "Too Good Capital" not in html
    assert ('data-testid="fit"' in html) == (role in FIT_INVESTORS)
    page = client.get(f"/ventures/investors/{w.fund.pk}/")
    assert page.status_code == 200
    assert ("Ask for an introduction" in page.content.decode()) == (role in {"founder", "teammate", "other_founder"})
    assert client.get(f"/ventures/investors/{w.unverified_fund.pk}/").status_code == (
        200 if role in {"unverified_investor", "operator"} else 404)
    assert client.get(f"/ventures/investors/{w.startup_org.pk}/").status_code == 404  # not an investor


@pytest.mark.parametrize("role", ROLES)
def test_startup_page(ventures, role, storage):
    w = ventures
    TractionMonth.objects.create(startup=w.startup, month="2026-01-01", revenue=Decimal("5000"), currency="MYR",
                                 users=120)
    startups.deck_upload(actor=w.founder, startup=w.startup, upload=SimpleUploadedFile("d.pdf", PDF))
    DeckShare.objects.create(startup=w.startup, investor=w.fund_investor)
    client = client_for(None if role == "anonymous" else w.actor(role))
    page = client.get(f"/ventures/startups/{w.startup_org.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "CEO &amp; co-founder" in html and "CTO" in html
    assert ('data-testid="traction"' in html) == (role in SEE_PRIVATE)
    assert ("MYR 5,000" in html) == (role in SEE_PRIVATE)
    assert ('data-testid="open-deck"' in html) == (role in OPEN_SHARED_DECK)
    assert ("Add to pipeline" in html) == (role in {"investor", "investor_staff", "other_investor"})
    deck = client.get(f"/ventures/startups/{w.startup_org.pk}/deck/")
    assert deck.status_code == (200 if role in OPEN_SHARED_DECK else 404)
    if deck.status_code == 200:
        assert b"".join(deck.streaming_content) == PDF and deck["Content-Type"] == "application/pdf"
    assert client.get(f"/ventures/startups/{w.unverified_startup.organization.pk}/").status_code == (
        200 if role in {"unverified_founder", "operator"} else 404)
    assert client.get(f"/ventures/startups/{w.unverified_startup.organization.pk}/deck/").status_code == 404
    assert client.get("/ventures/startups/999999/").status_code == 404


def test_verified_credentials_show_beside_the_team_and_revoked_ones_do_not(ventures):
    from forward.credentials import services as credential_services
    from forward.credentials.documents import Award
    from forward.credentials.models import CredentialKind

    w = ventures
    university = make_organization(creator=make_user("uni@ventures.test", "Uni Admin"), name="Uni of Ventures",
                                   kind=OrganizationKind.UNIVERSITY, country="MY")
    issued = []
    for name in ("Cloud Architecture", "Revoked Course"):
        key = f"test:{name}"
        award = Award(recipient=w.founder, issuer=university, kind=CredentialKind.COURSE_ACHIEVEMENT,
                      achievement_key=key, name=name,
                      achievement={"id": f"https://forward.test/achievements/{abs(hash(key))}", "type": ["Achievement"],
                                   "achievementType": "Course", "name": name, "description": name,
                                   "criteria": {"narrative": "Earn it."}}, facts={})
        issued += credential_services.issue([award])
    credential_services.revoke(credential=issued[1], actor=w.operator, reason="test")
    html = client_for(None).get(f"/ventures/startups/{w.startup_org.pk}/").content.decode()
    assert "✓ Cloud Architecture" in html and "Revoked Course" not in html
    assert str(issued[0].uuid) in html  # linked to its public verification page


@pytest.mark.parametrize("role", ROLES)
def test_my_startup(ventures, role):
    w = ventures
    client = client_for(None if role == "anonymous" else w.actor(role))
    page = client.get("/ventures/my-startup/")
    if role == "anonymous":
        assert page.status_code == 302
        return
    assert page.status_code == 200
    html = page.content.decode()
    if role in {"founder", "teammate"}:
        assert f"My startup: {w.startup_org.name}" in html
    elif role == "other_founder":
        assert f"My startup: {w.other_startup.organization.name}" in html
    elif role == "unverified_founder":
        assert "not verified yet" in html
    else:
        assert "You do not act for a startup" in html
    assert client.get(f"/ventures/my-startup/?org={w.startup_org.pk}").status_code == (
        200 if role in EDIT_STARTUP else 404)
    response = client.post("/ventures/my-startup/profile/", {"org": w.startup_org.pk, **profile(
        one_liner="Changed by " + role, sectors=["fintech"], founded_on="2023-04-01")})
    assert response.status_code == (302 if role in EDIT_STARTUP else 404)
    w.startup.refresh_from_db()
    assert (w.startup.one_liner == "Changed by " + role) == (role in EDIT_STARTUP)


def test_founder_edits_everything_from_my_startup(ventures, storage):
    w = ventures
    client = client_for(w.founder)
    org = w.startup_org.pk
    assert client.post("/ventures/my-startup/round/", {"org": org, "amount": "800000", "currency": "SGD",
                                                       "instrument": "convertible-note"}).status_code == 302
    client.post("/ventures/my-startup/traction/", {"org": org, "month": "2026-02", "revenue": "900", "currency": "SGD",
                                                   "users": "33"})
    client.post("/ventures/my-startup/team/", {"org": org, "user": w.startup_member.pk, "title": "Designer",
                                               "order": "2"})
    client.post("/ventures/my-startup/deck/", {"org": org, "deck": SimpleUploadedFile("d.pdf", PDF)})
    client.post("/ventures/my-startup/share/", {"org": org, "investor": w.fund.pk})
    startup = Startup.objects.get(pk=w.startup.pk)
    assert (startup.raising_amount, startup.raising_currency, startup.raising_instrument) == (
        Decimal("800000"), "SGD", "convertible-note")
    assert startup.traction.get().users == 33
    assert startup.team.filter(user=w.startup_member, title="Designer").exists()
    assert startup.deck.name and DeckShare.objects.filter(startup=startup, investor=w.fund_investor).exists()
    html = client.get(f"/ventures/my-startup/?org={org}").content.decode()
    assert "Lion City Ventures" in html and "Stop sharing" in html
    bad = client.post("/ventures/my-startup/deck/", {"org": org, "deck": SimpleUploadedFile("d.pdf", b"GIF89a")},
                      follow=True)
    assert "not a PDF" in bad.content.decode()
    client.post("/ventures/my-startup/unshare/", {"org": org, "investor": w.fund.pk})
    assert not DeckShare.objects.filter(startup=startup).exists()
    assert client.post("/ventures/my-startup/nonsense/", {"org": org}).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_my_fund(ventures, role):
    w = ventures
    client = client_for(None if role == "anonymous" else w.actor(role))
    response = client.post("/ventures/my-fund/profile/", {
        "org": w.fund.pk, "investor_type": "angel", "thesis": "Changed", "sectors": ["fintech"], "stages": ["seed"],
        "countries": ["MY"], "ticket_min": "1000", "ticket_max": "2000", "ticket_currency": "USD",
        "lead_style": "follows"})
    assert response.status_code == (302 if role in EDIT_FUND else (302 if role == "anonymous" else 404))
    w.fund_investor.refresh_from_db()
    assert (w.fund_investor.thesis == "Changed") == (role in EDIT_FUND)
    if role == "unverified_investor":
        html = client.get("/ventures/my-fund/").content.decode()
        assert "not verified yet" in html


def _many(n_startups: int, n_investors: int):
    admin = make_user(f"bulk{n_startups}@ventures.test", "Bulk Admin")
    for i in range(n_startups):
        org = make_organization(creator=admin, name=f"Bulk startup {i:03d}", kind=OrganizationKind.STARTUP,
                                country="MY")
        Startup.objects.create(organization=org, sectors=[Sector.AI_DATA], stage=Stage.SEED,
                               raising_amount=Decimal("500000"))
    for i in range(n_investors):
        org = make_organization(creator=admin, name=f"Bulk fund {i:03d}", kind=OrganizationKind.INVESTOR,
                                country="SG")
        Investor.objects.create(organization=org, sectors=[Sector.AI_DATA], stages=[Stage.SEED])


@pytest.mark.parametrize("size", [3, 30])
def test_lists_do_a_constant_number_of_queries(ventures, size, django_assert_max_num_queries):
    w = ventures
    _many(size, size)
    for user, url in ((w.investor, "/ventures/startups/?sector=ai-data"), (None, "/ventures/startups/"),
                      (w.founder, "/ventures/investors/"), (None, "/ventures/investors/?q=bulk"),
                      (w.investor, "/api/v1/ventures/startups?sector=ai-data"),
                      (w.founder, "/api/v1/ventures/investors")):
        client = client_for(user)
        client.get(url)  # warm the session and caches
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200
