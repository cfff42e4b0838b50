import zoneinfo
from typing import Any, ClassVar

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from whitenoise.middleware import WhiteNoiseMiddleware


def profile_language(request, user) -> str | None:
    """The language to show `user` the site in from their profile: None when they have none, or when
    an explicit choice in the language switcher (the cookie) wins over it."""
    if user is None or not user.is_authenticated or not user.preferred_language:
        return None
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
        return None
    return user.preferred_language


class UserPreferencesMiddleware:
    """Show a signed-in person the site in their language and time zone.

    An explicit choice in the language switcher (the cookie) wins over the profile, so a person can
    look at a page in another language without changing their profile.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = profile_language(request, user)
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = translation.get_language()
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone or "UTC"))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """Send ``settings.CONTENT_SECURITY_POLICY`` with every response (Django 5.2 has no CSP of its own).

    The policy runs only the site's own script files: no inline ``<script>``, no ``onclick="…"``, no
    ``javascript:`` links, no eval. So even text that slipped past escaping could not run script.
    A response that already carries a policy keeps it. PDFs (the certificate, shown inline) go without
    one: Chromium applies the PDF's policy to the viewer page it builds around it, which then shows
    blank. With ``DEBUG`` on, 404 and 500 pages are Django's technical pages, which are styled inline,
    so they are sent without one too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        if policy and settings.FORWARD_STORAGE_REDIRECT:
            policy = _with_storage_origin(policy)
        if not policy or "Content-Security-Policy" in response:
            return response
        if response.get("Content-Type", "").startswith("application/pdf"):
            return response
        if settings.DEBUG and response.status_code in (404, 500):
            return response  # with DEBUG on, these are Django's technical pages, styled inline
        response["Content-Security-Policy"] = policy
        return response


def _with_storage_origin(policy: str) -> str:
    """With FORWARD_STORAGE_REDIRECT, a lesson video is a redirect to a presigned URL on the object
    store, so ``media-src`` must allow the store's origin (which may be plain http inside a network,
    where ``https:`` does not cover it). Pictures are streamed, never redirected: ``img-src`` stays."""
    from . import storage

    origin = storage.storage_origin()
    if not origin:
        return policy
    parts = [part.strip() for part in policy.split(";")]
    for index, part in enumerate(parts):
        if part.split(" ", 1)[0] == "media-src" and origin not in part.split():
            parts[index] = f"{part} {origin}"
    return "; ".join(parts)


class RejectNulMiddleware:
    """Answer 400 to an address or query string holding a NUL character.

    PostgreSQL cannot store or compare text with NUL in it, so a page filtering on ``?q=%00`` would
    fail with a 500. Forms already refuse NUL (Django's CharField); this covers what pages read from
    the URL, in one place. The API checks its own parameters against its schema (a 422).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            return self.get_response(request)
        if "\x00" in request.path or any("\x00" in key or any("\x00" in v for v in values)
                                         for key, values in request.GET.lists()):
            return HttpResponseBadRequest(_("The address holds a NUL character; remove it."),
                                          content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class StaticFilesMiddleware(WhiteNoiseMiddleware):  # type: ignore[misc]  # WhiteNoise has no types
    """WhiteNoise, serving the apps' static files straight from the package (its finders), with
    the list of those files made once per process instead of once per middleware chain.

    A server builds its chain once, so nothing changes there. The test client builds one per
    client, and each listing stats every static file (the admin's, the API docs', ours) and works
    out its headers: about a fifth of a profile of the test suite. The list depends only on the installed
    apps and the static settings, so a chain built with the same ones reuses it."""

    _listings: ClassVar[dict[tuple[object, ...], dict[str, Any]]] = {}
    files: dict[str, Any]  # URL → WhiteNoise's StaticFile (or a redirect)

    def add_files_from_finders(self) -> None:
        key = (self.static_prefix, self.max_age, self.allow_all_origins, self.charset, self.index_file,
               tuple(settings.INSTALLED_APPS), tuple(str(d) for d in settings.STATICFILES_DIRS))
        listing = self._listings.get(key)
        if listing is None:
            own: dict[str, Any] = self.files
            self.files = {}
            try:
                super().add_files_from_finders()
                listing = self._listings[key] = self.files
            finally:
                self.files = own
        self.files.update(listing)
