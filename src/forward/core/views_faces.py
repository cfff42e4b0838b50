"""Pictures over HTTP: uploaded faces, generated defaults, and the upload forms' POST handlers."""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import art, images, permissions, services, storage
from .models import Organization
from .types import AuthedRequest

IMMUTABLE = "public, max-age=31536000, immutable"  # content-addressed / fully determined by the URL
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'"
IMAGE_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"


def _picture(request: HttpRequest, body: bytes | str, content_type: str, etag: str, policy: str) -> HttpResponse:
    etag = f'"{etag}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = IMMUTABLE
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = policy
    return response


def face_file(request: HttpRequest, kind: str, digest: str, width: int) -> HttpResponse:
    """An uploaded picture, as we re-encoded it (always WebP, whatever was uploaded)."""
    stem = f"faces/{kind}/{digest}"
    spec = images.kind_of(stem)
    if spec is None or width not in {w for w, _h in spec.sizes}:
        raise Http404
    name = images.file_name(stem, width)
    etag = f'"{digest}-{width}"'
    if etag in request.headers.get("If-None-Match", ""):  # the name is the content's digest: it never changes
        return _picture(request, b"", images.CONTENT_TYPE, f"{digest}-{width}", IMAGE_POLICY)
    # Read here (a picture is at most a few hundred KB), never a redirect: a picture is public and
    # cached for a year, while a presigned URL expires.
    try:
        chunks = storage.read_range(name)
    except OSError:
        raise Http404 from None
    with contextlib.closing(chunks):
        body = b"".join(chunks)
    return _picture(request, body, images.CONTENT_TYPE, f"{digest}-{width}", IMAGE_POLICY)


def _svg(request: HttpRequest, svg: str, etag: str) -> HttpResponse:
    return _picture(request, svg, "image/svg+xml; charset=utf-8", f"art{art.ART_VERSION}-{etag}", SVG_POLICY)


def art_mark(request: HttpRequest, shape: str, seed: str, text: str) -> HttpResponse:
    if shape not in ("logo", "avatar") or not art.SEED.match(seed) or not 1 <= len(text) <= 2:
        raise Http404
    svg = art.mark(seed=seed, text=text, round_=shape == "avatar")
    return _svg(request, svg, f"{shape}-{seed}-{text.encode().hex()}")


def art_thumbnail(request: HttpRequest, glyph: str, seed: str) -> HttpResponse:
    if glyph not in art.GLYPHS or not art.SEED.match(seed):
        raise Http404
    return _svg(request, art.thumbnail(seed=seed, glyph=glyph), f"thumbnail-{glyph}-{seed}")


def art_banner(request: HttpRequest, seed: str) -> HttpResponse:
    if not art.SEED.match(seed):
        raise Http404
    return _svg(request, art.banner(seed=seed), f"banner-{seed}")


def picture_post(request: HttpRequest, *, target: models.Model, organization: Organization | None,
                 fallback: str) -> HttpResponse:
    """The shared POST handler of every picture form (permission already checked by the caller):
    `picture` file to replace, or `remove` to go back to the generated default."""
    user = request.user
    if not user.is_authenticated:  # every caller is behind login_required; never for a visitor
        raise PermissionDenied
    upload = request.FILES.get("picture")
    if "remove" in request.POST:
        services.picture_replace(actor=user, target=target, organization=organization)
        messages.success(request, _("Picture removed; the generated one shows again."))
    elif upload is None:
        messages.error(request, _("Choose a picture to upload.") + " "
                       + _("Upload a JPEG, PNG, WebP or GIF picture of at most 5 MB."))
    else:
        try:
            services.picture_replace(actor=user, target=target, upload=upload, organization=organization)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Picture saved."))
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                                require_https=request.is_secure()):
        return redirect(back)
    return redirect(fallback)


@login_required
@require_POST
def organization_logo(request: AuthedRequest, slug: str) -> HttpResponse:
    organization = get_object_or_404(Organization, slug=slug)
    if not permissions.can_manage_organization(request.user, organization):
        raise PermissionDenied
    return picture_post(request, target=organization, organization=organization,
                        fallback=reverse("core:organization_detail", kwargs={"slug": organization.slug}))


@login_required
@require_POST
def avatar(request: AuthedRequest) -> HttpResponse:
    return picture_post(request, target=request.user, organization=None, fallback=reverse("core:profile"))
