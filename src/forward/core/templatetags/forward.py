from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django import template
from django.db import models
from django.template.context import Context
from django.utils.safestring import SafeString

from ..markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    return render_markdown(text)


@register.filter
def score(value: float | Decimal | None, digits: int | str = 5) -> str:
    """A score with a fixed number of decimals, or an em dash."""
    if value is None:
        return "—"
    return f"{value:.{int(digits)}f}"


@register.filter
def signed_percent(value: float | Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value:+.2f}%"


@register.filter
def get_item(mapping: Mapping[Any, Any] | None, key: object) -> Any:
    return mapping.get(key) if mapping else None


@register.filter(expects_localtime=True)
def datetime_tz(value: date | str | None, fmt: str = "DATETIME_FORMAT") -> str:
    """A date and time in the locale's own format, then the viewer's time zone ("3 Sep 2026 14:30
    UTC", "2026年9月3日 14:30 UTC"): a named format (DATETIME_FORMAT, TIME_FORMAT) keeps each
    language's order, and the zone says which clock the time is on."""
    if value in (None, ""):
        return ""
    from django.template.defaultfilters import date as date_filter

    text = date_filter(value, fmt)
    zone = date_filter(value, "T")
    return f"{text} {zone}" if text and zone else text



@register.inclusion_tag("core/_face.html")
def face(obj: models.Model, width: int | str | None = None, css_class: str = "",
         alt: str | None = None) -> dict[str, Any]:
    """`{% face course 480 %}`: the thing's uploaded picture or its generated default, as an <img>
    with width, height and alt text (`alt=""` where the name is written beside it)."""
    from ..faces import face as face_of

    return {"face": face_of(obj, int(width) if width else None), "css_class": css_class, "alt": alt}


@register.inclusion_tag("core/_picture_form.html", takes_context=True)
def picture_form(context: Context, obj: models.Model, action: str) -> dict[str, Any]:
    """The upload/remove form for a thing's picture, with the current one (or the default) shown."""
    from ..faces import face as face_of

    return {"face": face_of(obj, 256), "action": action, "csrf_token": context.get("csrf_token"),
            "request": context.get("request")}
