"""Markdown written by people, rendered to HTML that is safe to show to everyone else.

The allow-list is the whole defence: no script, style, svg/math, iframe, form or event attribute
survives, and links and images keep only http, https (and mailto) addresses, so ``javascript:`` and
``data:`` never reach a page. tests/core/test_markdown.py throws hostile Markdown at it.
"""

from __future__ import annotations

import re
from functools import partial

import bleach
import markdown as md
from bleach.linkifier import LinkifyFilter
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "img", "sup", "sub",
}
ALLOWED_ATTRIBUTES = {"a": ["href", "title"], "img": ["src", "alt", "title"], "th": ["align"], "td": ["align"]}
ALLOWED_PROTOCOLS = {"http", "https", "mailto"}

# Linkifying inside the sanitizer (one pass) rather than with bleach.linkify afterwards: the latter
# escapes the text of skipped tags a second time, so `a < b` in a code block showed as `a &lt; b`.
_CLEANER = bleach.sanitizer.Cleaner(
    tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, protocols=ALLOWED_PROTOCOLS, strip=True,
    filters=[partial(LinkifyFilter, callbacks=[bleach.callbacks.nofollow], skip_tags={"pre", "code"})],
)


# Code blocks and tables scroll sideways when they are wider than the screen (forward.css), so they take
# the keyboard focus: someone without a mouse scrolls them with the arrow keys (WCAG 2.1.1). The
# sanitizer leaves these two tags without attributes, and text that merely looks like them is escaped.
_SCROLLABLE = {"<pre>": '<pre tabindex="0">', "<table>": '<table tabindex="0">'}


_HEADING = re.compile(r"<(/?)h([1-6])>")


def render_markdown(text: str) -> SafeString:
    """The HTML of the Markdown, sanitized; its headings start at h2, below the page's own h1."""
    html = _CLEANER.clean(md.markdown(text or "", extensions=["extra", "sane_lists"], output_format="html"))
    for tag, focusable in _SCROLLABLE.items():
        html = html.replace(tag, focusable)
    return mark_safe(_outline(html))  # noqa: S308 - sanitized by the allow-list just above


def _outline(html: str) -> str:
    """Renumber the headings so that the levels used run on from h2 without a gap: an overview written
    with "### Task" and "##### Data" shows h2 and h3 under the page's h1, as a screen reader's list
    of headings expects (WCAG 1.3.1). The sanitizer leaves headings without attributes."""
    levels = sorted({int(level) for _, level in _HEADING.findall(html)})
    if not levels:
        return html
    new_level = {level: min(6, 2 + rank) for rank, level in enumerate(levels)}
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{new_level[int(m.group(2))]}>", html)
