"""A face for every thing: the picture of an organization, a person, a course or a competition.

`face(obj, width)` gives the URL of the uploaded picture (core.images) or of the generated default
(core.art), with its width, height and alt text. Core imports no capability app: the thing is
recognised by its model label, and its picture field is named here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _

from . import art, images


@dataclass(frozen=True)
class Face:
    url: str
    width: int
    height: int
    alt: str
    uploaded: bool


@dataclass(frozen=True)
class Spec:
    field: str  # the model field holding the stored name stem
    kind: str  # core.images kind
    identity: str  # attribute naming the thing stably, for the default's seed


SPECS = {
    "core.organization": Spec("logo", "logo", "slug"),
    "core.user": Spec("avatar", "avatar", "pk"),
    "academy.course": Spec("thumbnail", "thumbnail", "slug"),
    "competitions.competition": Spec("banner", "banner", "slug"),
}


def spec_of(obj: models.Model) -> Spec:
    return SPECS[obj._meta.label_lower]


def _name(obj: models.Model) -> str:
    for attribute in ("display_name", "name", "title"):
        value = getattr(obj, attribute, "")
        if value:
            return str(value)
    return ""


def _alt(obj: models.Model, kind: str) -> str:
    name = _name(obj)
    return {
        "logo": _("%(name)s logo"),
        "avatar": _("%(name)s picture"),
        "thumbnail": _("%(name)s thumbnail"),
        "banner": _("%(name)s banner"),
    }[kind] % {"name": name}


def _default_url(obj: models.Model, spec: Spec) -> str:
    seed = art.seed_for(f"{obj._meta.label_lower}:{getattr(obj, spec.identity)}")
    if spec.kind in ("logo", "avatar"):
        return reverse("core:art_mark", kwargs={"shape": spec.kind, "seed": seed,
                                                "text": art.initials(_name(obj))})
    if spec.kind == "thumbnail":
        glyph = art.glyph_for(getattr(obj, "title", ""), getattr(obj, "summary", "")[:400])
        return reverse("core:art_thumbnail", kwargs={"glyph": glyph, "seed": seed})
    return reverse("core:art_banner", kwargs={"seed": seed})


def face(obj: models.Model, width: int | None = None) -> Face:
    spec = spec_of(obj)
    kind = images.KINDS[spec.kind]
    stem = getattr(obj, spec.field, "")
    alt = _alt(obj, spec.kind)
    if width is None:
        width = kind.sizes[0][0]
    if images.kind_of(stem) is not None and stem.startswith(f"faces/{spec.kind}/"):
        stored_width, _height = images.size_for(stem, width)
        digest = stem.rsplit("/", 1)[1]
        url = reverse("core:face_file", kwargs={"kind": spec.kind, "digest": digest, "width": stored_width})
        uploaded = True
    else:
        url = _default_url(obj, spec)
        uploaded = False
    full_width, full_height = kind.sizes[0]
    return Face(url=url, width=width, height=round(width * full_height / full_width), alt=alt, uploaded=uploaded)
