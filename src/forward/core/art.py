"""Generated default pictures, as SVG, for things nobody has uploaded a picture for.

Pure: plain values in, SVG text out; no models, no database. Every picture is a function of a
short seed (a hash of the thing's identity) and, for marks, its initials, and for thumbnails, a
subject glyph, so the URLs that serve them carry everything they need and are cached forever.

- marks (organization logos: rounded squares; avatars: circles): initials on a colour chosen
  from the seed;
- course thumbnails (16:9): a two-colour gradient, a geometric pattern and a subject glyph picked
  from the course's words (data, AI, cloud, security, code, business, or a book);
- competition banners (3:1): a data-ish plot (scatter, bars and grid lines) from a seeded RNG.

Safety: initials are user text: XML-escaped, characters XML forbids dropped, only element text.
No script, no event attributes, no links, no external references; served with a policy that
forbids them anyway.
"""

from __future__ import annotations

import hashlib
import random
import re
from xml.sax.saxutils import escape

ART_VERSION = "1"

# (deep, light) colour pairs that carry white text well.
PALETTE = (
    ("#1d4ed8", "#60a5fa"),
    ("#0f766e", "#5eead4"),
    ("#7c3aed", "#c4b5fd"),
    ("#be123c", "#fda4af"),
    ("#b45309", "#fcd34d"),
    ("#15803d", "#86efac"),
    ("#0e7490", "#67e8f9"),
    ("#a21caf", "#f0abfc"),
    ("#4338ca", "#a5b4fc"),
    ("#c2410c", "#fdba74"),
)

GLYPHS = ("data", "ai", "cloud", "security", "code", "business", "book")
_GLYPH_WORDS = (
    ("ai", ("machine learning", "artificial intelligence", " ai ", "deep learning", "neural", "llm", "vision",
            "language model", "人工智能", "机器学习")),
    ("data", ("data", "analytics", "statistic", "sql", "database", "visuali", "数据")),
    ("cloud", ("cloud", "devops", "kubernetes", "container", "serverless", "infrastructure", "云")),
    ("security", ("security", "cyber", "privacy", "cryptograph", "安全")),
    ("business", ("business", "startup", "entrepreneur", "finance", "marketing", "product", "创业")),
    ("code", ("python", "program", "software", "web", "develop", "code", "coding", "java", "编程")),
)

SEED = re.compile(r"^[0-9a-f]{1,32}$")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def seed_for(identity: str) -> str:
    """A short stable seed for a thing ("course:intro-to-ml")."""
    return hashlib.sha256(f"{ART_VERSION}:{identity}".encode()).hexdigest()[:12]


def colours(seed: str) -> tuple[str, str]:
    return PALETTE[int(seed[:8] or "0", 16) % len(PALETTE)]


def initials(name: str) -> str:
    """Up to two letters: the first of the first two words ("Ada Lovelace" → "AL"), one CJK character."""
    cleaned = _XML_INVALID.sub("", name or "").strip()
    words = [w for w in re.split(r"[\s\-_.@]+", cleaned) if w]
    if not words:
        return "?"
    first = words[0][0]
    if "\u2e80" <= first <= "\u9fff" or "\uac00" <= first <= "\ud7ff":
        return first
    letters = "".join(w[0] for w in words[:2] if w[0].isalnum())
    return (letters or first).upper()[:2]


def glyph_for(*words: str) -> str:
    text = " " + " ".join(w for w in words if w).lower() + " "
    for glyph, keys in _GLYPH_WORDS:
        if any(key in text for key in keys):
            return glyph
    return "book"


def _text(value: str) -> str:
    return escape(_XML_INVALID.sub("", value))


def _open(width: int, height: int, label: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" role="img"><title>{_text(label)}</title>')


def mark(*, seed: str, text: str, round_: bool) -> str:
    """A logo (rounded square) or an avatar (circle) with initials."""
    deep, light = colours(seed)
    text = initials(text) if len(text) > 2 else _XML_INVALID.sub("", text)[:2] or "?"
    size = 256
    shape = ('<circle cx="128" cy="128" r="128" fill="url(#g)"/>' if round_
             else '<rect width="256" height="256" rx="56" fill="url(#g)"/>')
    font = 112 if len(text) == 2 else 128
    return (
        _open(size, size, text)
        + f'<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="{light}"/>'
        f'<stop offset="0.55" stop-color="{deep}"/></linearGradient></defs>'
        + shape
        + '<circle cx="210" cy="46" r="70" fill="#fff" opacity="0.10"/>'
        f'<text x="128" y="128" dy="0.35em" text-anchor="middle" fill="#fff" font-size="{font}" '
        'font-weight="700" font-family="system-ui, -apple-system, Segoe UI, Roboto, Noto Sans, sans-serif" '
        f'letter-spacing="-2">{_text(text)}</text></svg>'
    )


def _glyph(name: str) -> str:
    """A 120×120 white line drawing, centred at the origin."""
    s = 'fill="none" stroke="#fff" stroke-width="8" stroke-linecap="round" stroke-linejoin="round"'
    drawings = {
        "data": f'<g {s}><path d="M-50 50 V-50 M-50 50 H50"/><path d="M-35 25 L-10 0 L10 15 L45 -30"/></g>'
                '<g fill="#fff"><circle cx="-35" cy="25" r="8"/><circle cx="-10" cy="0" r="8"/>'
                '<circle cx="10" cy="15" r="8"/><circle cx="45" cy="-30" r="8"/></g>',
        "ai": f'<g {s}><path d="M-40 -30 L0 -45 L40 -30 M-40 -30 L0 0 L40 -30 M-40 30 L0 0 L40 30 M-40 30 L0 45 '
              'L40 30 M-40 -30 V30 M40 -30 V30"/></g><g fill="#fff"><circle cx="-40" cy="-30" r="9"/>'
              '<circle cx="40" cy="-30" r="9"/><circle cx="0" cy="0" r="11"/><circle cx="-40" cy="30" r="9"/>'
              '<circle cx="40" cy="30" r="9"/><circle cx="0" cy="-45" r="7"/><circle cx="0" cy="45" r="7"/></g>',
        "cloud": f'<g {s}><path d="M-38 30 H38 A26 26 0 0 0 34 -21 A36 36 0 0 0 -30 -14 A22 22 0 0 0 -38 30 Z"/>'
                 '</g>',
        "security": f'<g {s}><path d="M0 -52 L42 -36 V0 C42 28 20 44 0 52 C-20 44 -42 28 -42 0 V-36 Z"/>'
                    '<path d="M-18 2 L-4 16 L22 -14"/></g>',
        "code": f'<g {s}><path d="M-22 -34 L-54 0 L-22 34 M22 -34 L54 0 L22 34 M10 -46 L-10 46"/></g>',
        "business": f'<g {s}><path d="M-50 40 H50 M-36 40 V5 M-8 40 V-15 M20 40 V-32"/>'
                    '<path d="M-48 -10 L-12 -38 L10 -22 L46 -50 M30 -50 H46 V-34"/></g>',
        "book": f'<g {s}><path d="M0 -34 C-16 -46 -36 -46 -52 -40 V40 C-36 34 -16 34 0 46 C16 34 36 34 52 40 '
                'V-40 C36 -46 16 -46 0 -34 Z M0 -34 V46"/></g>',
    }
    return drawings.get(name, drawings["book"])


def thumbnail(*, seed: str, glyph: str, label: str = "") -> str:
    """A 16:9 course thumbnail: gradient, pattern, subject glyph."""
    width, height = 960, 540
    deep, light = colours(seed)
    rng = random.Random(seed)
    pattern = rng.choice(("dots", "rings", "diagonals", "triangles"))
    x2, y2 = rng.uniform(0.6, 1.0), rng.uniform(0.3, 1.0)  # the gradient's direction
    parts = [
        _open(width, height, label or glyph),
        f'<defs><linearGradient id="g" x1="0" y1="0" x2="{x2:.3f}" y2="{y2:.3f}"><stop offset="0" stop-color="{deep}"/>'
        f'<stop offset="1" stop-color="{light}"/></linearGradient></defs>',
        f'<rect width="{width}" height="{height}" fill="url(#g)"/>',
        '<g fill="none" stroke="#fff" stroke-opacity="0.16" stroke-width="2">',
    ]
    if pattern == "dots":
        parts.append("</g><g fill=\"#fff\" fill-opacity=\"0.14\">")
        for x in range(30, width, 60):
            for y in range(30, height, 60):
                parts.append(f'<circle cx="{x}" cy="{y}" r="{3 + (x * 7 + y * 3) % 5}"/>')
    elif pattern == "rings":
        cx, cy = rng.randint(600, 900), rng.randint(80, 460)
        parts.extend(f'<circle cx="{cx}" cy="{cy}" r="{r}"/>' for r in range(40, 900, 48))
    elif pattern == "diagonals":
        parts.extend(f'<path d="M{x} 0 L{x - height} {height}"/>' for x in range(0, width + height, 36))
    else:
        for x in range(0, width + 120, 120):
            for y in range(0, height + 104, 104):
                off = 60 if (y // 104) % 2 else 0
                parts.append(f'<path d="M{x + off} {y} l60 104 h-120 Z"/>')
    parts.append("</g>")
    parts.append('<circle cx="480" cy="270" r="118" fill="#fff" fill-opacity="0.16"/>'
                 '<circle cx="480" cy="270" r="92" fill="#000" fill-opacity="0.12"/>')
    parts.append(f'<g transform="translate(480 270)">{_glyph(glyph)}</g></svg>')
    return "".join(parts)


def banner(*, seed: str, label: str = "") -> str:
    """A 3:1 competition banner: grid lines, bars and a scatter with a trend, from a seeded RNG."""
    width, height = 1500, 500
    deep, light = colours(seed)
    rng = random.Random(seed)
    parts = [
        _open(width, height, label or "banner"),
        f'<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="0.4"><stop offset="0" stop-color="#0b1220"/>'
        f'<stop offset="1" stop-color="{deep}"/></linearGradient></defs>',
        f'<rect width="{width}" height="{height}" fill="url(#g)"/>',
        '<g stroke="#fff" stroke-opacity="0.08" stroke-width="1">',
    ]
    parts.extend(f'<path d="M0 {y} H{width}"/>' for y in range(50, height, 50))
    parts.extend(f'<path d="M{x} 0 V{height}"/>' for x in range(50, width, 50))
    parts.append("</g>")
    bars = rng.randint(14, 24)
    bar_w = 700 / bars
    parts.append(f'<g fill="{light}" fill-opacity="0.22">')
    level = rng.uniform(0.2, 0.5)
    for i in range(bars):
        level = min(0.9, max(0.1, level + rng.uniform(-0.12, 0.16)))
        h = round(level * 380)
        parts.append(f'<rect x="{760 + i * bar_w:.1f}" y="{height - h}" width="{bar_w * 0.7:.1f}" height="{h}" '
                     'rx="3"/>')
    parts.append("</g>")
    slope = rng.uniform(-0.35, -0.1)
    intercept = rng.uniform(330, 420)
    parts.append(f'<g fill="{light}">')
    for _ in range(120):
        x = rng.uniform(60, 1440)
        y = intercept + slope * x + rng.gauss(0, 45)
        if 20 < y < height - 20:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{rng.choice((3, 4, 5, 7))}" '
                         f'fill-opacity="{rng.choice((0.35, 0.55, 0.8))}"/>')
    parts.append("</g>")
    parts.append(f'<path d="M40 {intercept + slope * 40:.1f} L1460 {intercept + slope * 1460:.1f}" stroke="#fff" '
                 'stroke-width="3" stroke-dasharray="10 8" stroke-opacity="0.7"/></svg>')
    return "".join(parts)
