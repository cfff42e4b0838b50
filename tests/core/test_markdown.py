"""Markdown from course authors and hosts: whatever they write, nothing in it runs or restyles the page."""

import pytest

from forward.core.markdown import render_markdown

HOSTILE = [
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    '<a href="  javascript:alert(1)">x</a>',
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[x](data:text/html,<script>alert(1)</script>)",
    "<script>alert(1)</script>",
    "<svg onload=alert(1)><circle/></svg>",
    "<img src=x onerror=alert(1)>",
    '<p style="position:fixed;inset:0" onclick="alert(1)">x</p>',
    '<iframe src="https://evil.example"></iframe>',
    "<object data=x></object><embed src=x>",
    '<form action="https://evil.example"><input name=p><button>Go</button></form>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "<style>body{display:none}</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '[a](https://ok.example/ "t\\" onmouseover=\\"alert(1)")',
    "<!-- --><script>alert(1)</script>",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markdown_renders_nothing_that_runs(text):
    html = str(render_markdown(text)).lower()
    for needle in ("<script", "<svg", "<math", "<iframe", "<object", "<embed", "<form", "<base", "<meta", "<style",
                   "javascript:", "data:", " style=", "onerror=", "onload=", "onclick=", 'onmouseover="'):
        assert needle not in html, (text, html)


def test_ordinary_markdown_still_renders_links_images_and_code():
    html = str(render_markdown("**Bold** [docs](https://docs.example/a) ![logo](https://cdn.example/l.png)\n\n"
                               "Visit www.example.org\n\n    if a < b and c & d:\n        http://x.example"))
    assert "<strong>Bold</strong>" in html
    assert '<a href="https://docs.example/a" rel="nofollow">docs</a>' in html
    assert '<img alt="logo" src="https://cdn.example/l.png">' in html
    assert '<a href="http://www.example.org" rel="nofollow">www.example.org</a>' in html
    # Code shows as written, once escaped, and its addresses are not turned into links.
    assert "if a &lt; b and c &amp; d:\n    http://x.example" in html


def test_code_blocks_and_tables_take_the_keyboard_focus_so_they_scroll_without_a_mouse():
    html = str(render_markdown("    wide code\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
                               "Not a tag: `<pre>` and &lt;table&gt;"))
    assert '<pre tabindex="0"><code>wide code\n</code></pre>' in html
    assert '<table tabindex="0">' in html
    # Text that only looks like the tags stays text.
    assert "<code>&lt;pre&gt;</code> and &lt;table&gt;" in html
    assert html.count("tabindex") == 2


def test_a_tabindex_written_by_an_author_is_not_kept():
    html = str(render_markdown('<p tabindex="5">x</p><pre tabindex="-1">y</pre>'))
    assert 'tabindex="5"' not in html and 'tabindex="-1"' not in html


def test_headings_run_on_from_h2_below_the_page_title_without_skipping_a_level():
    html = str(render_markdown("### Task\n\ntext\n\n##### Data\n\n### Rules\n\n`<h3>` stays text"))
    assert html.startswith("<h2>Task</h2>")
    assert "<h3>Data</h3>" in html and "<h2>Rules</h2>" in html
    assert "<code>&lt;h3&gt;</code> stays text" in html
    # Every level of Markdown, one to six, fits in h2 to h6: the deepest two share h6.
    html = str(render_markdown("\n\n".join("#" * n + f" L{n}" for n in range(1, 7))))
    assert [f"<h{min(6, n + 1)}>L{n}</h{min(6, n + 1)}>" in html for n in range(1, 7)] == [True] * 6
