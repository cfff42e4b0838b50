"""Uploaded pictures (course thumbnails, competition banners, organization logos, avatars).

Every upload is distrusted: its size is checked before any decoding, its format is read from the
bytes (never the name or the browser's content type), its pixel count is bounded before the pixels
are decoded, and what we keep is our own re-encoding (WebP, no metadata) cropped to the kind's
shape in two sizes, stored under a content-addressed name with Django's storage API.

The stored value is the name stem ``faces/<kind>/<sha256>``; the files are ``<stem>-<width>.webp``.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
CONTENT_TYPE = "image/webp"
SUFFIX = ".webp"


@dataclass(frozen=True)
class Kind:
    name: str
    sizes: tuple[tuple[int, int], ...]  # largest first; every size has the same aspect

    @property
    def aspect(self) -> float:
        width, height = self.sizes[0]
        return width / height


KINDS = {
    "thumbnail": Kind("thumbnail", ((960, 540), (480, 270))),
    "banner": Kind("banner", ((1500, 500), (750, 250))),
    "logo": Kind("logo", ((256, 256), (64, 64))),
    "avatar": Kind("avatar", ((256, 256), (64, 64))),
}

class Upload(Protocol):
    """What a picture is read from: an uploaded file (or any binary file object); ``size`` and
    ``seek`` are used when it has them."""

    def read(self, size: int = ..., /) -> bytes: ...


STORED_NAME = re.compile(r"^faces/(thumbnail|banner|logo|avatar)/[0-9a-f]{64}$")


def _formats_hint() -> str:
    return _("Upload a JPEG, PNG, WebP or GIF picture of at most 5 MB.")


def _refuse(message: str) -> ValidationError:
    return ValidationError(f"{message} {_formats_hint()}", code="image")


def _read_bounded(upload: Upload) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise _refuse(_("That file is %(mb).1f MB; pictures may be at most 5 MB.") % {"mb": size / 1024 / 1024})
    if hasattr(upload, "seek"):
        upload.seek(0)
    data: bytes = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _refuse(_("That file is larger than 5 MB."))
    if not data:
        raise _refuse(_("That file is empty."))
    return data


def _open_checked(data: bytes) -> Image.Image:
    """Open (headers only), check format and pixel count, verify, and reopen for decoding."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=None)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _refuse(_("That picture has too many pixels (at most 40 megapixels).")) from None
        except Exception:  # anything Pillow cannot identify is not a picture we take
            raise _refuse(_("That file is not a picture we can read (SVG and other formats are not accepted).")) \
                from None
        if image.format not in ACCEPTED_FORMATS:
            raise _refuse(_("That picture is in %(format)s format, which is not accepted.") % {"format": image.format})
        width, height = image.size
        if width < 1 or height < 1 or width * height > MAX_PIXELS:
            raise _refuse(_("That picture has too many pixels (at most 40 megapixels)."))
        try:
            image.verify()
            image = Image.open(io.BytesIO(data))
            image.seek(0)  # animated GIF/WebP: the first frame only
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _refuse(_("That picture has too many pixels (at most 40 megapixels).")) from None
        except Exception:  # truncated or corrupt data
            raise _refuse(_("That picture is damaged or incomplete; save it again and upload the new file.")) \
                from None
    return image


def _normalise(image: Image.Image) -> Image.Image:
    with contextlib.suppress(Exception):  # a broken EXIF block only costs us the rotation
        image = ImageOps.exif_transpose(image) or image
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        image = image.point(lambda v: v / 256).convert("L") if image.mode != "F" else image.convert("L")
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    return image.convert("RGBA" if has_alpha else "RGB")


def _crop_to(image: Image.Image, aspect: float) -> Image.Image:
    width, height = image.size
    if width / height > aspect:
        new_width = max(1, round(height * aspect))
        left = (width - new_width) // 2
        return image.crop((left, 0, left + new_width, height))
    new_height = max(1, round(width / aspect))
    top = (height - new_height) // 2
    return image.crop((0, top, width, top + new_height))


def _encode(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=82, method=4)  # no exif=, no icc_profile=: nothing of the upload's metadata
    return out.getvalue()


def render(upload: Upload, *, kind: str) -> dict[int, bytes]:
    """The re-encoded picture per width, or a ValidationError saying what is wrong and what works."""
    spec = KINDS[kind]
    data = _read_bounded(upload)
    image = _normalise(_open_checked(data))
    cropped = _crop_to(image, spec.aspect)
    return {width: _encode(cropped.resize((width, height), Image.Resampling.LANCZOS))
            for width, height in spec.sizes}


def process_upload(upload: Upload, *, kind: str) -> str:
    """Check, re-encode and store an uploaded picture; returns the stored name stem."""
    encoded = render(upload, kind=kind)
    digest = hashlib.sha256(encoded[KINDS[kind].sizes[0][0]]).hexdigest()
    stem = f"faces/{kind}/{digest}"
    save_sizes(encoded, lambda width: file_name(stem, width))
    return stem


def save_sizes(encoded: dict[int, bytes], name_for: Callable[[int], str]) -> None:
    """Store each width's bytes under name_for(width), unless stored already (names hash the content)."""
    for width, blob in encoded.items():
        name = name_for(width)
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(blob))


def file_name(stem: str, width: int) -> str:
    return f"{stem}-{width}{SUFFIX}"


def kind_of(stem: str) -> Kind | None:
    match = STORED_NAME.match(stem or "")
    return KINDS[match.group(1)] if match else None


def size_for(stem: str, width: int) -> tuple[int, int]:
    """The stored size closest above the wanted width (or the largest)."""
    spec = kind_of(stem)
    if spec is None:
        raise ValueError(stem)
    fitting = [s for s in spec.sizes if s[0] >= width]
    return fitting[-1] if fitting else spec.sizes[0]



def _pad_square(image: Image.Image) -> Image.Image:
    """The whole picture centred on a transparent square: badges are shields, seals and medals,
    and cropping would cut their edges."""
    width, height = image.size
    if width == height:
        return image.convert("RGBA")
    side = max(width, height)
    square = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    square.paste(image.convert("RGBA"), ((side - width) // 2, (side - height) // 2))
    return square


def render_square_png(upload: Upload, *, sizes: tuple[int, ...]) -> dict[int, bytes]:
    """An uploaded picture checked like every other (size, format from the bytes, pixel count,
    verify), turned upright, padded to a transparent square and re-encoded as PNG (no metadata)
    at each width, largest first; or a ValidationError saying what is wrong and what works."""
    data = _read_bounded(upload)
    square = _pad_square(_normalise(_open_checked(data)))
    found = {}
    for side in sizes:
        out = io.BytesIO()
        square.resize((side, side), Image.Resampling.LANCZOS).save(out, format="PNG", optimize=True)
        found[side] = out.getvalue()
    return found
