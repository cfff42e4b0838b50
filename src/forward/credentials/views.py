"""Credential pages: the wallet, the public page of each credential, verification, the issuer's
published documents (profile, JWKS, keys, status lists), issuing batches, revoking. (Certifying a
cohort starts in academy, which owns runs; its batch page is here.)"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from forward.core.models import Organization

from . import badge_art, badge_files, keys, linkedin, pdf, permissions, selectors, services, sources
from .models import Credential, IssuanceBatch, SigningKey, StatusList

MAX_PASTE = 1_000_000  # a credential is a few KB; a megabyte is plenty for any real one
JSON_LD = "application/ld+json"


def _json(data: dict, content_type: str = "application/json") -> HttpResponse:
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"  # verifiers run in other sites' browsers
    return response


def home(request):
    """Signed in: your wallet. Anyone: verify a credential."""
    page = None
    if request.user.is_authenticated:
        page = Paginator(selectors.wallet(user=request.user), 20).get_page(request.GET.get("page"))
        for credential in page.object_list:  # the art its document names (no query: files only for uploads)
            credential.badge_src = selectors.badge_src(credential, small=True)
    return render(request, "credentials/home.html", {
        "page": page, "now": timezone.now(), "manages": permissions.can_see_issued(request.user)})


def _credential(uuid) -> Credential:
    return get_object_or_404(Credential.objects.select_related("issuer", "recipient", "status_list"), uuid=uuid)


def detail(request, uuid):
    """The public page a QR code or a share link opens: what it certifies, and whether it verifies."""
    credential = _credential(uuid)
    report = selectors.verify_stored(credential)
    holder = request.user.is_authenticated and request.user.pk == credential.recipient_id
    page_url = request.build_absolute_uri(reverse("credentials:detail", args=[credential.uuid]))
    return render(request, "credentials/detail.html", {
        "credential": credential, "report": report, "holder": holder, "page_url": page_url,
        "badge_caption": selectors.badge(credential).caption, "badge_src": selectors.badge_src(credential),
        "badge_uploaded": selectors.uploaded_digest(credential) is not None,
        "badge_png_url": request.build_absolute_uri(reverse("credentials:badge_png", args=[credential.uuid])),
        "can_revoke": permissions.can_revoke(request.user, credential),
        "show_reason": bool(credential.revoked_at) and permissions.can_see_revocation_reason(request.user, credential),
        "linkedin_url": linkedin.add_to_profile_url(
            name=credential.name, organization_name=credential.issuer.name, issued_on=credential.valid_from.date(),
            valid_until=credential.valid_until.date() if credential.valid_until else None, cert_url=page_url,
            cert_id=str(credential.uuid)) if holder else "",
    })


def _download(content: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def download_json(request, uuid):
    credential = _credential(uuid)
    return _download(credential.document, JSON_LD, f"credential-{credential.uuid}.json")


def download_jwt(request, uuid):
    credential = _credential(uuid)
    return _download(credential.jwt, "application/vc+jwt", f"credential-{credential.uuid}.jwt")


def download_pdf(request, uuid):
    credential = _credential(uuid)
    titles = {"course_completion": _("Certificate of Completion"), "course_achievement": _("Certificate of Achievement"),
              "programme": _("Programme Certificate"), "certification": _("Certification"),
              "competition": _("Competition Award")}
    if credential.revoked_at:
        watermark = pgettext("certificate watermark", "REVOKED")
    elif credential.valid_until and credential.valid_until <= timezone.now():
        watermark = pgettext("certificate watermark", "EXPIRED")
    else:
        watermark = ""
    content = pdf.CertificateContent(watermark=watermark,
        holder_name=credential.recipient.display_name, title=titles.get(credential.kind, _("Certificate")),
        achievement_name=credential.name, detail=credential.detail, issuer_name=credential.issuer.name,
        issued_on=timezone.localdate(credential.valid_from), credential_id=str(credential.uuid),
        valid_until=timezone.localdate(credential.valid_until) if credential.valid_until else None,
        verify_url=request.build_absolute_uri(reverse("credentials:detail", args=[credential.uuid])),
        badge_png=credential_badge_png(credential))
    response = HttpResponse(pdf.render_certificate(content), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{credential.uuid}.pdf"'
    return response


# --- badge art: public like the credential's page; a revoked credential keeps its badge ----------------

BADGE_MAX_AGE = 86_400  # a badge changes only with the art's version, which changes its ETag too
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'"
# A PNG opened on its own is shown in the browser's image page, which is styled inline.
PNG_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"


def badge_png_bytes(badge: badge_art.Badge) -> bytes:
    """The badge's PNG, drawn once per design and kept in the cache (drawing takes a few hundred ms)."""
    key = f"credentials:badge-png:{badge.fingerprint}"
    found = cache.get(key)
    if found is None:
        found = badge_art.png(badge)
        cache.set(key, found, 7 * BADGE_MAX_AGE)
    return found


def credential_badge_png(credential: Credential) -> bytes:
    """The 600 px PNG of a credential's badge: the uploaded art its document names, else generated."""
    digest = selectors.uploaded_digest(credential)
    found = badge_files.read(digest, badge_files.FULL) if digest else None
    return found if found is not None else badge_png_bytes(selectors.badge(credential))


def _strict(response: HttpResponse, policy: str, cache: str) -> HttpResponse:
    response["Cache-Control"] = cache
    response["X-Content-Type-Options"] = "nosniff"
    response["Access-Control-Allow-Origin"] = "*"  # wallets and verifiers show it from other sites
    response["Content-Security-Policy"] = policy
    return response


def _badge(request, uuid, fmt: str) -> HttpResponse:
    """A credential's badge as its document says it: the issuer's uploaded art (PNG; the SVG address
    leads there) or the generated one."""
    credential = _credential(uuid)
    digest = selectors.uploaded_digest(credential)
    if digest:
        if fmt == "svg":
            return _strict(redirect(badge_files.path(digest)), PNG_POLICY, f"public, max-age={BADGE_MAX_AGE}")
        return badge_art_file(request, digest, badge_files.FULL)
    badge = selectors.badge(credential)
    etag = f'"{badge.fingerprint}-{fmt}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        if fmt == "svg":
            response = HttpResponse(badge_art.svg(badge), content_type="image/svg+xml; charset=utf-8")
        else:
            response = HttpResponse(badge_png_bytes(badge), content_type="image/png")
    response["ETag"] = etag
    return _strict(response, SVG_POLICY if fmt == "svg" else PNG_POLICY, f"public, max-age={BADGE_MAX_AGE}")


def badge_art_file(request, digest, width):
    """Uploaded badge art, as we re-encoded it: content-addressed, public (credentials carry its
    URL), cached for good."""
    body = badge_files.read(digest, width)
    if body is None:
        raise Http404
    etag = f'"{digest}-{width}"'
    response = get_conditional_response(request, etag=etag) or HttpResponse(body, content_type="image/png")
    response["ETag"] = etag
    return _strict(response, PNG_POLICY, "public, max-age=31536000, immutable")


def _badge_art_org(request, slug) -> Organization:
    organization = get_object_or_404(Organization, slug=slug)
    if not permissions.can_manage_badge_art(request.user, organization):
        raise PermissionDenied
    return organization


@login_required
def badge_art_page(request, slug):
    """An issuer's achievements, each with its badge (generated or uploaded) and a form to upload
    or remove its own art, which the credentials issued from then on carry."""
    organization = _badge_art_org(request, slug)
    if request.method == "POST":
        achievement_id = request.POST.get("achievement", "")[:500]
        upload = request.FILES.get("picture")
        try:
            if "remove" in request.POST:
                services.badge_art_remove(actor=request.user, organization=organization,
                                          achievement_id=achievement_id)
                messages.success(request, _("Badge art removed. Credentials issued from now on carry the generated "
                                            "badge again; those already issued keep theirs."))
            elif upload is None:
                messages.error(request, _("Choose a picture to upload.") + " "
                               + _("Upload a JPEG, PNG, WebP or GIF picture of at most 5 MB."))
            else:
                services.badge_art_upload(actor=request.user, organization=organization,
                                          achievement_id=achievement_id, upload=upload)
                messages.success(request, _("Badge art saved. Credentials issued from now on carry it; those "
                                            "already issued keep theirs."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        page = request.POST.get("page", "")
        return redirect(reverse("credentials:badge_art", args=[organization.slug])
                        + (f"?page={page}" if page.isdigit() else ""))
    page = Paginator(selectors.issuer_badges(organization=organization), 20).get_page(request.GET.get("page"))
    return render(request, "credentials/badge_art.html", {"organization": organization, "page": page})


@login_required
def badge_art_preview(request, slug):
    """The generated badge of one of the issuer's achievements (drafts too, so only for its managers)."""
    organization = _badge_art_org(request, slug)
    wanted = request.GET.get("achievement", "")
    found = next((b for b in selectors.issuer_badges(organization=organization) if b.achievement.id == wanted), None)
    if found is None:
        raise Http404
    response = HttpResponse(badge_art.svg(found.generated), content_type="image/svg+xml; charset=utf-8")
    return _strict(response, SVG_POLICY, "private, max-age=300")


def badge_svg(request, uuid):
    return _badge(request, uuid, "svg")


def badge_png(request, uuid):
    return _badge(request, uuid, "png")


@require_POST
@login_required
def revoke(request, uuid):
    credential = _credential(uuid)
    if not permissions.can_revoke(request.user, credential):
        raise PermissionDenied
    try:
        services.revoke(actor=request.user, credential=credential, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Revoked. Verification now reports this credential as revoked."))
    return redirect("credentials:detail", uuid=credential.uuid)


def _read_submitted(request) -> tuple[str, str]:
    """(text, error) from the verify form: a pasted credential or an uploaded file."""
    upload = request.FILES.get("file")
    if upload is not None:
        if upload.size > MAX_PASTE:
            return "", _("That file is %(size)s bytes; a credential is a few kilobytes. Upload the .json or .jwt "
                         "file you downloaded.") % {"size": upload.size}
        raw = upload.read()
        try:
            return raw.decode("utf-8"), ""
        except UnicodeDecodeError:
            return "", _("That file is not text. Upload the credential's .json or .jwt file (not the PDF: scan its "
                         "QR code instead).")
    text = request.POST.get("credential", "")
    if not text.strip():
        return "", _("Paste a credential (a JWT or JSON) or choose a file.")
    if len(text) > MAX_PASTE:
        return "", _("That is too long to be a credential.")
    return text, ""


def verify_page(request):
    report = None
    error = ""
    stored = None
    if request.method == "POST":
        text, error = _read_submitted(request)
        if text:
            report = selectors.verify_data(text)
            # A genuine credential of this site (signed, whether in date or revoked) shows its badge.
            if report.credential and (report.ok or report.revoked or report.expired):
                stored = selectors.stored_credential(report.credential.get("id"))
    return render(request, "credentials/verify.html", {
        "report": report, "error": error, "pasted": request.POST.get("credential", ""), "badge_of": stored,
        "badge_caption": selectors.badge(stored).caption if stored else "",
        "badge_src": selectors.badge_src(stored) if stored else ""})


# --- published documents --------------------------------------------------------------------------

def _issuer_org(slug: str) -> Organization:
    organization = get_object_or_404(Organization, slug=slug)
    if not SigningKey.objects.filter(organization=organization).exists():
        raise Http404("this organization has not issued credentials")
    return organization


@cache_control(max_age=300, public=True)
def issuer(request, slug):
    """The issuer's Open Badges Profile: the controller document of its keys (see keys.controller_document)."""
    return _json(keys.controller_document(_issuer_org(slug)), JSON_LD)


@cache_control(max_age=300, public=True)
def jwks(request, slug):
    return _json(keys.jwks(_issuer_org(slug)), "application/jwk-set+json")


@cache_control(max_age=3600, public=True)
def key(request, slug, token, alg):
    signing = get_object_or_404(SigningKey.objects.select_related("organization"), token=token,
                                organization__slug=slug)
    if alg == "rs256":
        return _json(keys.rsa_jwk(signing), "application/jwk+json")
    if alg == "ed25519":
        return _json(keys.multikey_document(signing), JSON_LD)
    raise Http404


def status_list(request, slug, number):
    """The signed BitstringStatusListCredential; verifiers fetch it to learn what was revoked.

    A read serves what is stored: a list is signed when it is made and again on every write that
    changes it (see services.publish_status_list). A list not signed yet (one made before that) is
    signed by the periodic job within a minute; meanwhile the answer is 503 with Retry-After, which
    a verifier takes as "try again" (a status it cannot check yet), not 404, which would say the
    credentials point at a list that does not exist."""
    status = get_object_or_404(StatusList.objects.only("published"), organization__slug=slug, number=number)
    if not status.published:
        response = _json({"detail": "This status list is being published; try again in a minute."})
        response.status_code = 503
        response["Retry-After"] = "60"
        patch_cache_control(response, no_store=True)
        return response
    response = HttpResponse(status.published, content_type=JSON_LD)
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, max_age=60, public=True)
    return response


# --- issuing -------------------------------------------------------------------------------------

def _batch_visible(user, batch: IssuanceBatch) -> bool:
    """Whoever may certify the source (the awarding app's rule) watches its batches."""
    return sources.can_certify(user, batch.source)


@login_required
def batch(request, batch_id):
    batch = get_object_or_404(IssuanceBatch, pk=batch_id)
    if not _batch_visible(request.user, batch):
        raise Http404
    if request.headers.get("HX-Request"):
        return render(request, "credentials/_batch.html", {"batch": batch})
    registered = sources.get(batch.source)
    heading = registered.heading(batch.source, batch.title) if registered and registered.heading else batch.title
    back_label = registered.back_label() if registered and registered.back_label else ""
    return render(request, "credentials/batch.html", {"batch": batch, "heading": heading, "back_label": back_label})


@require_POST
@login_required
def batch_retry(request, batch_id):
    batch = get_object_or_404(IssuanceBatch, pk=batch_id)
    if not _batch_visible(request.user, batch):
        raise Http404
    new = services.batch_retry(actor=request.user, batch=batch)
    return redirect("credentials:batch", batch_id=new.pk)


@login_required
def issued(request):
    """Issuers' view: what they issued (search by holder), recent batches, keys. A university's
    admins also see, read-only, what their students earned in its runs from other issuers."""
    if not permissions.can_see_issued(request.user):
        raise PermissionDenied
    managed = permissions.issuers_managed(request.user)
    query = request.GET.get("q", "").strip()[:100]
    state = request.GET.get("kind", "")
    state = state if state in selectors.ISSUED_FILTERS else ""
    page = Paginator(selectors.issued(user=request.user, query=query, state=state), 25).get_page(
        request.GET.get("page"))
    own = Organization.objects.filter(pk__in=managed.values("pk"), signing_keys__isnull=False).distinct()
    # Badge art pages: the verified organizations this person administers (operators, who manage
    # every one, see those that have issued; any other is a link away on its organization page).
    art_issuers = (own if permissions.is_operator(request.user) else managed).filter(
        verified_at__isnull=False).order_by("name")
    return render(request, "credentials/issued.html", {
        "page": page, "query": query, "kind": state, "now": timezone.now(), "batches": selectors.batches(user=request.user)[:10],
        "issuers": own[:50], "art_issuers": art_issuers[:50]})


@require_POST
@login_required
def rotate_key(request, slug):
    organization = get_object_or_404(Organization, slug=slug)
    if not permissions.can_manage_issuer(request.user, organization):
        raise PermissionDenied
    services.key_rotate(actor=request.user, organization=organization)
    messages.success(request, _("New signing key for %(org)s. Earlier credentials still verify with the retired "
                                "key, which stays published.") % {"org": organization.name})
    return redirect("credentials:issued")
