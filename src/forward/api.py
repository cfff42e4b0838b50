"""Assembles each app's router under /api/v1/."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import _csrf_needed  # whether the session auth asks for the CSRF header

from .api_auth import session_auth, token_auth
from .api_common import BodyRefused, BoundedParser


class Docs(Swagger):
    """django-ninja's Swagger UI in templates/api/docs.html: the page gets its language, a main landmark and
    a heading (WCAG 3.1.1, 1.3.1), and its settings go out through json_script like every page's data."""

    template = "api/docs.html"

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        options = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        return render(request, self.template, {"swagger_settings": options, "api": api,
                                               "add_csrf": _csrf_needed(api)})


api = NinjaAPI(
    title="Forward API",
    version="1",
    description="Personal API tokens are created under Account → API tokens. "
    "Send them as `Authorization: Bearer <token>`. Errors are JSON: `{\"detail\": \"...\"}`.",
    auth=[token_auth, session_auth],
    urls_namespace="api",
    parser=BoundedParser(),
    docs=Docs(),
)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request, exc):
    return api.create_response(
        request,
        {"detail": "Authentication required: send Authorization: Bearer <token> with an active API token."},
        status=401,
    )


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    problems = []
    for error in exc.errors:
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("query", "body", "path", "form"))
        problems.append(f"{where}: {error.get('msg', 'invalid')}" if where else error.get("msg", "invalid"))
    return api.create_response(
        request, {"detail": "Invalid request: " + "; ".join(problems), "errors": exc.errors}, status=422
    )


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, BodyRefused):  # ninja wraps a parser's error in its own 400
        exc = exc.__cause__
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(RequestDataTooBig)
def on_body_too_big(request, exc):
    return api.create_response(request, {"detail": _("The request body is too large.")}, status=413)


@api.exception_handler(MultiPartParserError)
@api.exception_handler(SuspiciousOperation)  # too many form fields or files, a malformed upload
@api.exception_handler(BadRequest)
def on_unreadable_body(request, exc):
    """What Django would answer with an HTML 400 page, the API answers in JSON like every other error."""
    return api.create_response(request, {"detail": _("The request body cannot be read: %(error)s")
                                         % {"error": exc}}, status=400)


def _register_routers() -> None:
    from .academy.api import router as academy_router
    from .competitions.api import router as competitions_router
    from .core.api import router as core_router
    from .credentials.api import router as credentials_router
    from .impact.api import router as impact_router
    from .talent.api import router as talent_router
    from .ventures.api import router as ventures_router

    api.add_router("/", core_router)
    api.add_router("/", competitions_router)
    api.add_router("/", academy_router)
    api.add_router("/", credentials_router)
    api.add_router("/talent/", talent_router)
    api.add_router("/ventures/", ventures_router)
    api.add_router("/impact/", impact_router)


_register_routers()
