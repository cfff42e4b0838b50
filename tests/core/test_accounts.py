import re

import pytest
from django.core.cache import cache

from forward.core.models import User
from tests.conftest import client_for, make_user


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_sign_up_verify_email_then_sign_in(client, db, mailoutbox):
    response = client.post("/accounts/signup/", {
        "email": "new@student.test", "password1": "a-long-pass-phrase-42", "password2": "a-long-pass-phrase-42",
        "name": "New Student", "country": "MY",
    })
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="new@student.test")
    assert user.name == "New Student" and user.country.code == "MY"
    # Not verified yet: signing in leads back to the verification notice.
    client.logout()
    login = client.post("/accounts/login/", {"login": "new@student.test", "password": "a-long-pass-phrase-42"})
    assert login["Location"] == "/accounts/confirm-email/"
    link = re.search(r"http://testserver(/accounts/confirm-email/[^\s]+)", mailoutbox[-1].body).group(1)
    assert client.get(link).status_code == 200  # a page with a button, not a state change on GET
    confirmed = client.post(link)
    assert confirmed.status_code == 302
    assert client.get("/api/v1/me").json()["email"] == "new@student.test"


def test_failed_logins_are_rate_limited(client, people):
    for _ in range(5):
        response = client.post("/accounts/login/", {"login": "member@uni.test", "password": "wrong"})
        assert "not correct" in response.content.decode()
    response = client.post("/accounts/login/", {"login": "member@uni.test", "password": "wrong"})
    assert "Too many failed login attempts" in response.content.decode()
    # Even the right password is refused while the limit holds.
    response = client.post("/accounts/login/", {"login": "member@uni.test", "password": "correct horse battery"})
    assert response.status_code != 302


def test_password_reset_sends_an_email(client, people, mailoutbox):
    client.post("/accounts/password/reset/", {"email": "member@uni.test"})
    assert len(mailoutbox) == 1
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_the_profile_sets_language_and_time_zone(people):
    client = client_for(people.member)
    response = client.post("/account/profile/", {"name": "Mo M.", "country": "ID", "preferred_language": "zh-hans",
                                                 "time_zone": "Asia/Jakarta"})
    assert response.status_code == 302
    people.member.refresh_from_db()
    assert people.member.time_zone == "Asia/Jakarta"
    assert '<html lang="zh-hans">' in client.get("/dashboard/").content.decode()


def test_the_sign_in_message_is_in_the_profile_language(client, db):
    """The message is made during the sign-in POST, while the page is still an anonymous visitor's
    (English here); it is said in the language of the person who just signed in, as the page after it."""
    make_user("li.hua@zju.test", "Li Hua", preferred_language="zh-hans")
    response = client.post("/accounts/login/", {"login": "li.hua@zju.test", "password": "correct horse battery"},
                           follow=True, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "已成功以 Li Hua 的身份登录。" in html  # the zh_Hans catalogue's "Successfully signed in as %(name)s."
    assert "Successfully signed in" not in html
    signed_out = client.post("/accounts/logout/", follow=True, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "你已退出登录。" in signed_out  # said while still signed in: the profile's language too


def test_the_switchers_choice_wins_over_the_profile_for_the_sign_in_message(client, db):
    make_user("li.hua@zju.test", "Li Hua", preferred_language="zh-hans")
    client.post("/language/", {"language": "en", "next": "/"})
    html = client.post("/accounts/login/", {"login": "li.hua@zju.test", "password": "correct horse battery"},
                       follow=True).content.decode()
    assert "Successfully signed in as Li Hua." in html and '<html lang="en">' in html


def test_the_language_switcher_works_for_visitors(client, db):
    client.post("/language/", {"language": "ms", "next": "/"})
    assert '<html lang="ms">' in client.get("/").content.decode()


def test_api_tokens_page_shows_a_new_token_once(people):
    client = client_for(people.member)
    html = client.post("/account/tokens/", {"name": "Colab"}).content.decode()
    token = re.search(r'id="new-token">(fwd_[^<]+)<', html).group(1)
    again = client.get("/account/tokens/").content.decode()
    assert token not in again and "Colab" in again
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    empty = client.post("/account/tokens/", {"name": ""})
    assert empty.status_code == 400
