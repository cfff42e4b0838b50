from django import template

from ..markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    return render_markdown(text)


@register.filter
def score(value, digits: int = 5):
    """A score with a fixed number of decimals, or an em dash."""
    if value is None:
        return "—"
    return f"{value:.{int(digits)}f}"


@register.filter
def signed_percent(value):
    if value is None:
        return "—"
    return f"{value:+.2f}%"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
