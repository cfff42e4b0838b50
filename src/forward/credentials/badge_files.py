"""Uploaded badge art as files: checked and re-encoded by core.images (padded to a transparent
square, PNG, no metadata) at the sizes the pages use, stored content-addressed under
``badges/<sha256>-<width>.png`` with Django's storage API, and served at
``/credentials/badge-art/<sha256>-<width>.png``. A file is never deleted: credentials signed with
its URL keep showing it, and two achievements with the same art share one file."""

from __future__ import annotations

import hashlib
import re

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse

from forward.core import images

FULL = 600  # as the generated badge: the Open Badges image, og:image, the PDF
SMALL = 192  # the wallet's thumbnails and the badge art page
SIZES = (FULL, SMALL)
DIGEST = re.compile(r"^[0-9a-f]{64}$")


def store(upload: UploadedFile) -> str:
    """Check, re-encode and store an uploaded picture; returns its digest (or a ValidationError)."""
    encoded = images.render_square_png(upload, sizes=SIZES)
    digest = hashlib.sha256(encoded[FULL]).hexdigest()
    images.save_sizes(encoded, lambda width: file_name(digest, width))
    return digest


def file_name(digest: str, width: int) -> str:
    return f"badges/{digest}-{width}.png"


def read(digest: str, width: int) -> bytes | None:
    if not DIGEST.match(digest or "") or width not in SIZES:
        return None
    try:
        with default_storage.open(file_name(digest, width), "rb") as fh:
            data: bytes = fh.read()
            return data
    except (FileNotFoundError, OSError):
        return None


def exists(digest: str) -> bool:
    return bool(DIGEST.match(digest or "")) and default_storage.exists(file_name(digest, SMALL))


def path(digest: str, width: int = FULL) -> str:
    return reverse("credentials:badge_art_file", args=[digest, width])


def url(digest: str, width: int = FULL) -> str:
    """The absolute URL a credential carries as its achievement's image."""
    return settings.SITE_URL + path(digest, width)


_URL = re.compile(r"^(?P<digest>[0-9a-f]{64})-600\.png$")


def digest_of(image_url: object) -> str | None:
    """The digest of this site's uploaded art when `image_url` is its full-size URL; else None."""
    prefix = settings.SITE_URL + reverse("credentials:badge_art_file", args=["0" * 64, FULL]).rsplit("/", 1)[0] + "/"
    if not isinstance(image_url, str) or not image_url.startswith(prefix):
        return None
    match = _URL.match(image_url[len(prefix):])
    return match["digest"] if match else None
