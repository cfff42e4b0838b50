"""What every router of the API shares: the bounded JSON parser, the error shapes every endpoint
documents, and the bounds of ids and page numbers."""

from __future__ import annotations

from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import HttpError
from ninja.parser import Parser
from pydantic import StringConstraints

from . import boundedjson

MAX_JSON_BODY = 256 * 1024  # the largest JSON body any endpoint takes (a credential, 500 progress events)
MAX_PAGE = 10_000

# Strings from the URL, constrained in the schema: a slug is what Django's slugify makes, and no text
# carries a NUL character (PostgreSQL cannot even compare one, so it would be a 500).
Slug = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]{1,100}$")]
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$")]


class BodyRefused(HttpError):
    """A request body refused before any endpoint saw it: too large, too deep, not finite."""


def json_body(request, *, max_bytes: int = MAX_JSON_BODY) -> Any:
    """The request body as JSON, within ``boundedjson``'s limits, or ``BodyRefused`` saying why."""
    try:
        return boundedjson.loads(request.body, max_bytes=max_bytes)
    except boundedjson.JSONLimitError as exc:
        raise BodyRefused(exc.status, exc.message(_)) from None


class BoundedParser(Parser):
    """Every JSON body of the API is parsed with limits on size, depth and numbers."""

    def parse_body(self, request):
        return json_body(request)


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: str
    errors: list[dict[str, Any]]


def errors(*statuses: int) -> dict[int, type[Schema]]:
    """The documented error answers of an endpoint: ``{400: ErrorOut, …}``; 422 has its errors list."""
    return {status: ValidationErrorOut if status == 422 else ErrorOut for status in statuses}


# Public endpoints take a token or a session when given one (a host sees its drafts), and nobody.
PUBLIC_SECURITY: dict[str, list[dict[str, list[str]]]] = {"security": [{}]}  # added to the token and session schemes ninja lists
