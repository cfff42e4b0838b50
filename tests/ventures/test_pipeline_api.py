"""The pipeline API for every role: deals list, create, get, move, notes, next step, invest; the
startup's investments list, confirm and dispute. Not the caller's: 404, as a missing id; operators
included (a pipeline is private to its investor)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from forward.ventures import pipeline as service
from forward.ventures.models import Deal, DealNote, Investment

from .conftest import ROLES, make_startup
from .test_intros_api import call

FUND_ACTING = {"investor", "investor_staff"}
STARTUP_ACTING = {"founder", "teammate"}
YESTERDAY = (date.today() - timedelta(days=1)).isoformat()


def _status(role, allowed: set, ok: int) -> int:
    return 401 if role == "anonymous" else ok if role in allowed else 404


@pytest.mark.parametrize("role", ROLES)
def test_deal_endpoints_for_every_role(ventures, role):
    w = ventures
    api = call(w, role)
    created = api.post("/pipeline/deals", {"investor": w.fund.pk, "startup": w.startup_org.pk})
    assert created.status_code == _status(role, FUND_ACTING, 201), created.content
    deal = Deal.objects.first() or service.add(user=w.investor, investor=w.fund, startup=w.startup_org)
    listed = api.get("/pipeline/deals", investor=w.fund.pk)
    assert listed.status_code == _status(role, FUND_ACTING, 200)
    if role in FUND_ACTING:
        assert [d["startup_name"] for d in listed.json()["results"]] == ["Padi Sense"]
    assert api.get(f"/pipeline/deals/{deal.pk}").status_code == _status(role, FUND_ACTING, 200)
    moved = api.post(f"/pipeline/deals/{deal.pk}/move", {"stage": "first-meeting"})
    assert moved.status_code == _status(role, FUND_ACTING, 200)
    note = api.post(f"/pipeline/deals/{deal.pk}/notes", {"text": "Good team"})
    assert note.status_code == _status(role, FUND_ACTING, 201)
    step = api.post(f"/pipeline/deals/{deal.pk}/next-step", {"next_step": "Call", "next_step_on": "2030-01-01"})
    assert step.status_code == _status(role, FUND_ACTING, 200)
    invest = api.post(f"/pipeline/deals/{deal.pk}/invest", {"amount": "250000.50", "currency": "USD",
                                                             "instrument": "safe", "invested_on": YESTERDAY})
    assert invest.status_code == _status(role, FUND_ACTING, 200)
    if role in FUND_ACTING:
        body = invest.json()
        assert body["stage"] == "invested" and body["next_step"] == "Call"
        assert body["investment"]["amount"] == "250000.50" and body["investment"]["status"] == "pending"
        assert DealNote.objects.count() == 1
    else:
        assert not Investment.objects.exists() and not DealNote.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_investment_endpoints_for_every_role(ventures, role):
    w = ventures
    deal = service.add(user=w.investor, investor=w.fund, startup=w.startup_org)
    investment = service.invest(user=w.investor, deal=deal, amount="1000", currency="MYR", instrument="equity",
                                invested_on=date.today())
    api = call(w, role)
    listed = api.get("/investments")
    if role == "anonymous":
        assert listed.status_code == 401
    else:
        assert [i["id"] for i in listed.json()["results"]] == ([investment.pk] if role in STARTUP_ACTING else [])
    disputed = api.post(f"/investments/{investment.pk}/dispute", {"reason": "Wrong currency"})
    assert disputed.status_code == _status(role, STARTUP_ACTING, 200)
    if role in STARTUP_ACTING:
        assert disputed.json()["status"] == "disputed" and disputed.json()["dispute_reason"] == "Wrong currency"
        service.invest(user=w.investor, deal=deal, amount="1000", currency="USD", instrument="equity",
                       invested_on=date.today())
    confirmed = api.post(f"/investments/{investment.pk}/confirm")
    assert confirmed.status_code == _status(role, STARTUP_ACTING, 200)
    if role in STARTUP_ACTING:
        assert confirmed.json()["status"] == "confirmed" and confirmed.json()["currency"] == "USD"
        assert api.post(f"/investments/{investment.pk}/confirm").status_code == 400


def test_deal_conflicts_and_bad_input(ventures):
    w = ventures
    api = call(w, "investor")
    first = api.post("/pipeline/deals", {"investor": w.fund.pk, "startup": w.startup_org.pk})
    again = api.post("/pipeline/deals", {"investor": w.fund.pk, "startup": w.startup_org.pk})
    assert again.status_code == 409 and f"deal {first.json()['id']}" in again.json()["detail"]
    assert api.post("/pipeline/deals", {"investor": w.fund.pk,
                                        "startup": w.unverified_startup.organization.pk}).status_code == 404
    assert api.post("/pipeline/deals", {"investor": w.other_fund.pk, "startup": w.startup_org.pk}).status_code == 404
    deal_id = first.json()["id"]
    assert api.post(f"/pipeline/deals/{deal_id}/move", {"stage": "invested"}).status_code == 422
    assert api.post(f"/pipeline/deals/{deal_id}/move", {"stage": "sourced"}).status_code == 400
    for bad in ({"amount": "0", "currency": "USD", "instrument": "safe", "invested_on": YESTERDAY},
                {"amount": "12.345", "currency": "USD", "instrument": "safe", "invested_on": YESTERDAY},
                {"amount": "100", "currency": "EUR", "instrument": "safe", "invested_on": YESTERDAY},
                {"amount": "100", "currency": "USD", "instrument": "loan", "invested_on": YESTERDAY}):
        assert api.post(f"/pipeline/deals/{deal_id}/invest", bad).status_code in (400, 422)
    future = (date.today() + timedelta(days=3)).isoformat()
    response = api.post(f"/pipeline/deals/{deal_id}/invest", {"amount": 100, "currency": "USD", "instrument": "safe",
                                                              "invested_on": future})
    assert response.status_code == 400 and "not a future date" in response.json()["detail"]
    assert api.get("/pipeline/deals", investor=w.fund.pk, stage="won").status_code == 422


def test_deal_list_queries_are_constant(ventures, django_assert_max_num_queries):
    w = ventures
    api = call(w, "investor")

    def fill(n):
        for i in range(n):
            org = make_startup(admin=w.outsider, name=f"Co {Deal.objects.count()}-{i}", country="MY").organization
            deal = service.add(user=w.investor, investor=w.fund, startup=org)
            if i % 2:
                service.invest(user=w.investor, deal=deal, amount="10", currency="USD", instrument="safe",
                               invested_on=date.today())
    fill(2)
    api.get("/pipeline/deals", investor=w.fund.pk)
    with django_assert_max_num_queries(12) as small:
        assert api.get("/pipeline/deals", investor=w.fund.pk).json()["count"] == 2
    fill(8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert api.get("/pipeline/deals", investor=w.fund.pk).json()["count"] == 10


def test_schema_names_are_unique_across_the_api():
    """The OpenAPI document names each schema by its class: two classes of one name would make one
    endpoint document (and validate against) the other's body."""
    from ninja import Schema

    import forward.api  # noqa: F401  (loads every router)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    ours = [c for c in subclasses(Schema) if c.__module__.startswith("forward.")]
    mine = {c.__name__ for c in ours if c.__module__ in ("forward.ventures.api_intros", "forward.ventures.api_pipeline")}
    clashes = sorted(n for n in mine if sum(c.__name__ == n for c in ours) > 1)
    assert clashes == []
