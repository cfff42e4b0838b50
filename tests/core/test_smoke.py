from tests.conftest import client_for


def test_home_page_shows_live_counts(people):
    response = client_for(None).get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-count="people">4<' in html
    assert 'data-count="organizations">2<' in html


def test_unknown_page_is_a_friendly_404(db):
    response = client_for(None).get("/no-such-page/anywhere/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
