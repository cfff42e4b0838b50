"""What the innovation centre's page modules share: which centre a page is about, and lookups that
answer 404 for what is missing or not yours."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from forward.core.models import MAX_ID, Organization

from . import permissions

PAGE_SIZE = 25


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def centre_for(request: HttpRequest) -> Organization | None:
    """The centre a page is about: ?centre=<slug>, else the first verified centre by name."""
    centres = permissions.centres().order_by("name", "pk")
    slug = request.GET.get("centre") or request.POST.get("centre")
    if slug:
        centre = centres.filter(slug=str(slug)[:100]).first()
        if centre is None:
            raise Http404
        return centre
    return centres.first()


def staff_centre(request: HttpRequest) -> Organization:
    centre = centre_for(request)
    if centre is None or not permissions.can_run_programme(request.user, centre):
        raise Http404
    return centre


def _obj(model, pk: int, **related):
    if pk > MAX_ID:
        raise Http404
    return get_object_or_404(model.objects.select_related(*related.get("related", ())), pk=pk)


def attempt(request: HttpRequest, action, success: str = "") -> bool:
    """Run a service call for a page: a refusal of permission is a 404 (like a missing id), a rule
    broken is an error message on the next page, success an optional message. True if it worked."""
    try:
        action()
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return False
    if success:
        messages.success(request, success)
    return True
