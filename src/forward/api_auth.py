"""How API callers are identified: personal tokens, the browser session, or nobody (public endpoints)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer

from .core.services import api_token_authenticate


class TokenAuth(HttpBearer):
    """``Authorization: Bearer fwd_…`` with a personal API token."""

    def authenticate(self, request: HttpRequest, token: str):
        user = api_token_authenticate(token)
        if user is None:
            # A token that is wrong is an error, not a quiet fall-back to anonymous access.
            raise AuthenticationError()
        request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session (with CSRF on unsafe methods)."""

    param_name = "sessionid"

    def _get_key(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None  # no session, so nothing a forged request could borrow: a 401, not a CSRF 403
        return super()._get_key(request)  # checks CSRF on unsafe methods

    def authenticate(self, request: HttpRequest, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


def anonymous(request: HttpRequest):
    """For public endpoints: anyone, but a valid token or session still identifies the caller."""
    return AnonymousUser()


token_auth = TokenAuth()
session_auth = SessionAuth(csrf=True)
PUBLIC = [token_auth, session_auth, anonymous]
