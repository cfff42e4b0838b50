"""Types shared by every app's permissions, selectors and views."""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from forward.core.models import User

# Whoever makes a request: a signed-in person or nobody. Permission rules take either and answer
# False for the anonymous visitor where signing in is needed.
AnyUser: TypeAlias = User | AnonymousUser


class AuthedRequest(HttpRequest):
    """The request a view behind ``login_required`` receives: someone is signed in."""

    user: User
