"""Pages people use, with pinned query counts on lists."""

import pytest

from forward.core.models import Membership, Organization, OrganizationKind
from tests.conftest import client_for, make_user


def test_organization_list_filters_and_keeps_queries_constant(people, django_assert_num_queries):
    client = client_for(None)
    with django_assert_num_queries(2):
        client.get("/organizations/")
    Organization.objects.bulk_create([
        Organization(name=f"Uni {i:02d}", slug=f"uni-{i:02d}", kind=OrganizationKind.UNIVERSITY, country="PH")
        for i in range(40)])
    with django_assert_num_queries(2):
        html = client.get("/organizations/?kind=university&country=PH").content.decode()
    assert "Uni 00" in html and "Other Org" not in html and "Page 1 of 2" in html


def test_organization_page_queries_do_not_grow_with_members(people, django_assert_num_queries):
    client = client_for(people.admin)
    client.get(f"/organizations/{people.org.slug}/")  # warm the session
    with django_assert_num_queries(8) as small:  # 7, and the navigation's one (what the person uses)
        client.get(f"/organizations/{people.org.slug}/")
    for i in range(30):
        Membership.objects.create(user=make_user(f"s{i}@uni.test"), organization=people.org)
    with django_assert_num_queries(len(small.captured_queries)):
        html = client.get(f"/organizations/{people.org.slug}/").content.decode()
    assert "s29@uni.test" in html


def test_creating_an_organization_through_the_page(people):
    client = client_for(people.outsider)
    response = client.post("/organizations/new/", {"name": "Jakarta AI Society", "kind": "innovation_centre",
                                                   "country": "ID", "website": "ai-society.example"})
    org = Organization.objects.get(name="Jakarta AI Society")
    assert response["Location"] == f"/organizations/{org.slug}/"
    assert org.website == "https://ai-society.example"
    html = client.get(response["Location"]).content.decode()
    assert "Invite someone" in html


def test_an_invalid_organization_form_says_what_to_fix(people):
    response = client_for(people.outsider).post("/organizations/new/", {"name": "", "kind": "castle"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "This field is required" in html and "castle is not one of the available choices" in html


@pytest.mark.parametrize("url", ["/organizations/?q=%00", "/academy/?q=a%00b", "/credentials/issued/?q=%00",
                                 "/organizations/?kind%00=x"])
def test_a_nul_in_the_query_string_is_a_400_not_a_server_error(people, url):
    """PostgreSQL cannot compare text holding NUL: ?q=%00 was a 500 there."""
    response = client_for(people.admin).get(url)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_nul_in_an_api_query_is_refused_by_the_schema(people):
    assert client_for(None).get("/api/v1/organizations?q=%00").status_code == 422
