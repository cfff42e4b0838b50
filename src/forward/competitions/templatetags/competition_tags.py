from django import template

from ..scoring_messages import translate_scoring_error

register = template.Library()


@register.filter
def scoring_error(message: str | None) -> str:
    """A submission's stored error in the reader's language (see competitions.scoring_messages)."""
    return translate_scoring_error(message or "")

