"""Regression tests for behaviour that once broke silently (issue 18, section 1): the language
switcher remembers a signed-in person's choice in their profile, so it follows them to their next
sign-in on another browser."""

from django.test import Client

from tests.conftest import client_for, make_user


def test_a_signed_in_persons_language_choice_is_saved_and_greets_them_at_the_next_sign_in(db):
    user = make_user("mo@uni.test", "Mo Member")
    assert user.preferred_language == ""
    response = client_for(user).post("/language/", {"language": "zh-hans", "next": "/"})
    assert response.status_code == 302

    user.refresh_from_db()
    assert user.preferred_language == "zh-hans"

    elsewhere = Client()  # another browser: no session, no language cookie
    page = elsewhere.post("/accounts/login/", {"login": "mo@uni.test", "password": "correct horse battery"},
                          follow=True, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="zh-hans">' in page
    assert "已成功以 Mo Member 的身份登录。" in page  # "Successfully signed in as Mo Member."
    assert '<html lang="zh-hans">' in elsewhere.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_a_language_the_site_does_not_offer_leaves_the_profile_as_it_was(db):
    user = make_user("mo@uni.test", "Mo Member", preferred_language="id")
    client_for(user).post("/language/", {"language": "xx", "next": "/"})
    user.refresh_from_db()
    assert user.preferred_language == "id"
