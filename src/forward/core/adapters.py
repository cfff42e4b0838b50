from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation

from .middleware import profile_language


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth ships no type information
    """Build links in emails from FORWARD_SITE_URL when there is no request (background tasks), and
    say allauth's messages in the language of the person signed in."""

    def add_message(self, request, *args, **kwargs):
        """allauth renders a message when it adds it. "Successfully signed in as …" is added during the
        sign-in POST, after the middleware chose the page's language for an anonymous visitor: render it
        in the profile language of whoever is signed in now (the switcher's cookie still wins), as
        the next page will be."""
        language = profile_language(request, getattr(request, "user", None)) if request is not None else None
        if not language:
            return super().add_message(request, *args, **kwargs)
        with translation.override(language):
            return super().add_message(request, *args, **kwargs)

    def get_email_confirmation_url(self, request, emailconfirmation):
        url = super().get_email_confirmation_url(request, emailconfirmation)
        if request is None and url.startswith("/"):
            return settings.SITE_URL + url
        return url
