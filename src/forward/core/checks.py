"""System checks for configuration that would start but not work."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Warning, register


@register("security", deploy=False)
def ssl_redirect_needs_to_see_https(app_configs, **kwargs):
    """An https redirect with no way to tell https from http redirects every request, forever."""
    if settings.SECURE_SSL_REDIRECT and not getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return [Warning(
            "FORWARD_SSL_REDIRECT is on (FORWARD_SITE_URL is https) but FORWARD_BEHIND_PROXY is off, so every "
            "request behind a TLS proxy looks like http and is redirected again and again.",
            hint="Behind a proxy that sets X-Forwarded-Proto, set FORWARD_BEHIND_PROXY=true; if nothing in front "
                 "terminates TLS, set FORWARD_SSL_REDIRECT=false.",
            id="forward.W001",
        )]
    return []
