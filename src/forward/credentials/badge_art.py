"""Badge art: every credential's achievement drawn as a badge, as SVG (pages) and as a 600×600 PNG
(the PDF, LinkedIn's og:image, the Open Badges `image`).

Pure: plain values in, text or bytes out; no models, no database. `badge_for` says what to draw
(shape and glyph by the achievement's type, stars and ribbon by its level, a colour scheme picked
deterministically from a key such as the achievement's id), `layout` turns that into one list of
shapes and text lines on a 600×600 canvas, and `svg` and `png` draw the same list, so the two look
alike. Shapes are polygons (curves sampled), so both renderers draw exactly the same geometry.

Safety: titles are user text. In the SVG they are XML-escaped (characters XML does not allow are
dropped) and appear only as element text, never in an attribute; the SVG holds no script, no
event attributes, no links or external references and no foreignObject, and it is served with a
policy that forbids all of them anyway.

Fonts: the PNG uses Noto Sans CJK (Debian's fonts-noto-cjk, installed with Chromium in CI and
production images), which sets Latin, Chinese, Japanese and Korean titles; without it, DejaVu Sans
or reportlab's Vera (Latin only), else Pillow's built-in font. Browsers pick their own for the SVG.
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from PIL import Image, ImageDraw, ImageFont

SIZE = 600  # the canvas, in SVG user units and PNG pixels
ART_VERSION = "1"  # change when the drawing changes: it is part of every badge's fingerprint
SUPERSAMPLE = 3  # the PNG is drawn this much larger, then scaled down (smooth edges)

# Credential kinds (the values of models.CredentialKind; this module imports no models).
COURSE_COMPLETION = "course_completion"
COURSE_ACHIEVEMENT = "course_achievement"
PROGRAMME = "programme"
CERTIFICATION = "certification"
COMPETITION = "competition"


@dataclass(frozen=True)
class Scheme:
    name: str
    deep: str  # outer rim, text on the ribbon
    main: str  # the face
    light: str  # labels
    accent: str  # stars, ribbon


SCHEMES = (
    Scheme("ocean", "#0b3a5c", "#1f6fa8", "#d8ebf7", "#f2b632"),
    Scheme("jade", "#0c463a", "#1d8a6c", "#d5f0e6", "#f0c44c"),
    Scheme("plum", "#3a1a56", "#7040a8", "#eadff7", "#f2b632"),
    Scheme("crimson", "#56121d", "#b0303f", "#f7dcdf", "#f2c14e"),
    Scheme("indigo", "#19215e", "#3949ab", "#dde1f7", "#ffb74d"),
    Scheme("teal", "#0a4249", "#138a96", "#d2eff2", "#f5a623"),
    Scheme("slate", "#1c2631", "#48607a", "#e1e7ee", "#e8b04a"),
    Scheme("copper", "#4f2a06", "#b4651b", "#fbe6cf", "#7fd3f0"),
)
# Competition medals for the first three places.
METALS = {
    1: Scheme("gold", "#6e5200", "#d4a21c", "#fff4c9", "#fff4c9"),
    2: Scheme("silver", "#3d4650", "#9aa5b1", "#f1f4f7", "#f1f4f7"),
    3: Scheme("bronze", "#5a2e12", "#b06a37", "#f8e3d2", "#f8e3d2"),
}


def scheme_for(key: str) -> Scheme:
    """The colour scheme of an achievement: the same key always gives the same scheme."""
    digest = hashlib.sha256((key or "").encode()).digest()
    return SCHEMES[int.from_bytes(digest[:4], "big") % len(SCHEMES)]


@dataclass(frozen=True)
class Badge:
    """What to draw, independent of format."""

    kind: str
    shape: str  # shield, seal, hexagon, medal
    glyph: str  # book, cap, check, trophy
    stars: int  # 0..3: the level
    label: str  # the type, over the glyph
    ribbon: str  # the level in words
    title: str  # the achievement's name (user text)
    scheme: Scheme
    metal: Scheme | None = None  # a medal's metal (competition top 3)

    @property
    def fingerprint(self) -> str:
        """Changes whenever the drawing would: for ETags and caches."""
        return hashlib.sha256(f"{ART_VERSION}|{self!r}".encode()).hexdigest()[:24]

    @property
    def caption(self) -> str:
        """In words: "Cloud Computing Fundamentals · Course · Completion"."""
        return " · ".join(clean(part) for part in (self.title, self.label, self.ribbon) if clean(part))


def _number(value: Any) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return ""
    return str(int(number)) if number.is_integer() else f"{number:g}"


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def badge_for(*, kind: str, title: str, facts: dict[str, Any] | None = None, scheme_key: str = "") -> Badge:
    """The badge of an achievement of this kind (a credential kind), with its facts (see
    documents.Award.facts: a course's "designation", a certification's "level" 1..3, a placing's
    "rank"), coloured by `scheme_key` (the achievement's id: every holder's badge looks alike)."""
    facts = facts if isinstance(facts, dict) else {}
    scheme = scheme_for(scheme_key or title)
    if kind == COURSE_COMPLETION:
        return Badge(kind, "shield", "book", 1, _("Course"), _("Completion"), title, scheme)
    if kind == COURSE_ACHIEVEMENT:
        designation = str(facts.get("designation") or "").strip()[:40]
        stars = 3 if designation.lower() == "distinction" else 2
        return Badge(kind, "shield", "book", stars, _("Course"), designation.capitalize() or _("Achievement"),
                     title, scheme)
    if kind == PROGRAMME:
        credits = _number(facts.get("credits"))
        ribbon = (_("%(credits)s credit units") % {"credits": credits}) if credits and credits != "0" else _(
            "Completed")
        return Badge(kind, "seal", "cap", 0, _("Programme"), ribbon, title, scheme)
    if kind == CERTIFICATION:
        level = min(max(_int(facts.get("level"), 1), 1), 3)
        names = {1: _("Associate"), 2: _("Professional"), 3: _("Expert")}
        return Badge(kind, "hexagon", "check", level, _("Certification"), names[level], title, scheme)
    if kind == COMPETITION:
        rank = _int(facts.get("rank"))
        if 1 <= rank <= 3:
            return Badge(kind, "medal", "trophy", 4 - rank, _("Competition"), _("Rank %(rank)s") % {"rank": rank},
                         title, scheme, METALS[rank])
        return Badge(kind, "medal", "trophy", 0, _("Competition"), _("Top 10%"), title, scheme)
    return Badge(kind, "shield", "check", 0, _("Credential"), "", title, scheme)


# --- layout: one list of primitives for both renderers ------------------------------------------------

Point = tuple[float, float]


@dataclass(frozen=True)
class Poly:
    points: tuple[Point, ...]
    fill: str | tuple[str, str]  # a colour, or a vertical gradient (top, bottom)
    stroke: str = ""
    width: float = 0.0
    closed: bool = True  # False: an open polyline, stroked only


@dataclass(frozen=True)
class Circle:
    cx: float
    cy: float
    r: float
    fill: str | tuple[str, str]
    stroke: str = ""
    width: float = 0.0


@dataclass(frozen=True)
class Text:
    text: str
    x: float  # centre
    y: float  # baseline
    size: float
    colour: str
    spacing: float = 0.0  # letter spacing


Item = Poly | Circle | Text


@dataclass
class Drawing:
    title: str
    items: list[Item] = field(default_factory=list)


def _quad(p0: Point, p1: Point, p2: Point, steps: int = 24) -> list[Point]:
    """A quadratic Bézier curve, sampled (without its first point)."""
    found: list[Point] = []
    for i in range(1, steps + 1):
        t = i / steps
        a, b, c = (1 - t) ** 2, 2 * (1 - t) * t, t * t
        found.append((a * p0[0] + b * p1[0] + c * p2[0], a * p0[1] + b * p1[1] + c * p2[1]))
    return found


def _scaled(points: Iterable[Point], factor: float, centre: Point) -> tuple[Point, ...]:
    cx, cy = centre
    return tuple((cx + (x - cx) * factor, cy + (y - cy) * factor) for x, y in points)


def _rounded(corners: list[Point], radius: float, steps: int = 8) -> tuple[Point, ...]:
    """A convex polygon with rounded corners (each corner an arc, sampled)."""
    found: list[Point] = []
    n = len(corners)
    for i in range(n):
        prev, here, nxt = corners[i - 1], corners[i], corners[(i + 1) % n]
        ax, ay = prev[0] - here[0], prev[1] - here[1]
        bx, by = nxt[0] - here[0], nxt[1] - here[1]
        la, lb = math.hypot(ax, ay), math.hypot(bx, by)
        p_in = (here[0] + ax / la * radius, here[1] + ay / la * radius)
        p_out = (here[0] + bx / lb * radius, here[1] + by / lb * radius)
        found.append(p_in)
        found.extend(_quad(p_in, here, p_out, steps))
    return tuple(found)


def _shield() -> tuple[Point, ...]:
    points: list[Point] = [(96, 78)]
    points += _quad((96, 78), (300, 10), (504, 78))
    points += [(504, 300)]
    points += _quad((504, 300), (500, 470), (300, 580))
    points += _quad((300, 580), (100, 470), (96, 300))
    return tuple(points)


def _hexagon() -> tuple[Point, ...]:
    corners = [(300 + 282 * math.cos(math.radians(-90 + 60 * k)), 300 + 282 * math.sin(math.radians(-90 + 60 * k)))
               for k in range(6)]
    return _rounded(corners, 34)


def _rosette(cx: float, cy: float, radius: float, bumps: int = 24, depth: float = 13) -> tuple[Point, ...]:
    count = bumps * 10
    return tuple((cx + (radius + depth * math.cos(bumps * 2 * math.pi * i / count)) * math.cos(2 * math.pi * i / count),
                  cy + (radius + depth * math.cos(bumps * 2 * math.pi * i / count)) * math.sin(2 * math.pi * i / count))
                 for i in range(count))


def _star(cx: float, cy: float, outer: float) -> tuple[Point, ...]:
    inner = outer * 0.45
    return tuple((cx + (outer if k % 2 == 0 else inner) * math.sin(math.pi * k / 5),
                  cy - (outer if k % 2 == 0 else inner) * math.cos(math.pi * k / 5)) for k in range(10))


def _arc(cx: float, cy: float, r: float, start: float, end: float, steps: int = 24) -> list[Point]:
    return [(cx + r * math.cos(math.radians(start + (end - start) * i / steps)),
             cy + r * math.sin(math.radians(start + (end - start) * i / steps))) for i in range(steps + 1)]


def _glyph(name: str, cx: float, cy: float, size: float, ink: str, base: str) -> list[Item]:
    """The type's glyph in a `size` box centred on (cx, cy), drawn in `ink` on the `base` colour."""
    s = size / 100

    def p(x: float, y: float) -> Point:
        return (cx + (x - 50) * s, cy + (y - 50) * s)

    if name == "book":
        return [Poly((p(6, 22), p(47, 30), p(47, 88), p(6, 80)), ink),
                Poly((p(53, 30), p(94, 22), p(94, 80), p(53, 88)), ink),
                Poly((p(14, 40), p(39, 45)), "", base, 4 * s, closed=False),
                Poly((p(14, 54), p(39, 59)), "", base, 4 * s, closed=False),
                Poly((p(61, 45), p(86, 40)), "", base, 4 * s, closed=False),
                Poly((p(61, 59), p(86, 54)), "", base, 4 * s, closed=False)]
    if name == "cap":
        return [Poly((p(50, 14), p(98, 36), p(50, 58), p(2, 36)), ink),
                Poly((p(24, 50), p(50, 62), p(76, 50), p(76, 76), p(50, 86), p(24, 76)), ink),
                Poly((p(50, 36), p(88, 44), p(88, 72)), "", ink, 4 * s, closed=False),
                Circle(*p(88, 76), 6 * s, ink)]
    if name == "check":
        return [Circle(cx, cy, 46 * s, ink),
                Poly((p(26, 52), p(43, 69), p(75, 33)), "", base, 12 * s, closed=False)]
    if name == "trophy":
        cup = [p(20, 8), p(80, 8)] + [p(50 + 30 * math.cos(math.radians(a)), 30 + 32 * math.sin(math.radians(a)))
                                      for a in range(0, 181, 10)]
        return [Poly(tuple(_arc(cx - 30 * s, cy - 24 * s, 13 * s, 90, 270)), "", ink, 6 * s, closed=False),
                Poly(tuple(_arc(cx + 30 * s, cy - 24 * s, 13 * s, -90, 90)), "", ink, 6 * s, closed=False),
                Poly(tuple(cup), ink),
                Poly((p(44, 60), p(56, 60), p(58, 78), p(42, 78)), ink),
                Poly((p(28, 78), p(72, 78), p(74, 92), p(26, 92)), ink)]
    return [Circle(cx, cy, 40 * s, ink)]


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_CJK = re.compile("[\u1100-\u11ff\u2e80-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
                  "\U00020000-\U0003ffff]")


def clean(text: str) -> str:
    """One line of text that XML allows: control characters dropped, whitespace runs one space."""
    return " ".join(_XML_INVALID.sub("", str(text or "")).split())


def text_width(text: str, size: float) -> float:
    """An estimate of the width of bold sans text (wide enough for Noto Sans and common browser
    fonts): both renderers wrap by it, so the SVG and the PNG break lines at the same places."""
    total = 0.0
    for ch in text:
        if _CJK.match(ch):
            total += 1.0
        elif ch == " ":
            total += 0.27
        elif ch in "ilj.,:;'!|":
            total += 0.3
        elif ch.isupper() or ch in "mwMW@%&":
            total += 0.72
        elif ch.isdigit():
            total += 0.6
        else:
            total += 0.58
    return total * size


def _tokens(text: str) -> list[tuple[str, bool]]:
    """Words, and CJK characters one by one: (token, a space comes before it)."""
    found: list[tuple[str, bool]] = []
    for i, word in enumerate(text.split(" ")):
        buffer = ""
        first = True
        for ch in word:
            if _CJK.match(ch):
                if buffer:
                    found.append((buffer, i > 0 and first))
                    first = False
                    buffer = ""
                found.append((ch, i > 0 and first))
                first = False
            else:
                buffer += ch
        if buffer:
            found.append((buffer, i > 0 and first))
    return found


def wrap(text: str, size: float, width: float) -> list[str]:
    """Greedy line breaking at spaces and between CJK characters; a word too long for a line is cut."""
    lines: list[str] = []
    line = ""
    for token, spaced in _tokens(text):
        candidate = (line + (" " if spaced and line else "") + token) if line else token
        if text_width(candidate, size) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = token
        while text_width(line, size) > width and len(line) > 1:  # a very long word: cut it
            cut = len(line) - 1
            while cut > 1 and text_width(line[:cut], size) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    if line:
        lines.append(line)
    return lines


def _fit_title(title: str, width: float, max_lines: int = 2) -> tuple[list[str], float]:
    """The title on at most `max_lines` lines: as large as fits, shrinking to 22, then cut with "…"."""
    for size in (34, 30, 26, 22):
        lines = wrap(title, size, width)
        if len(lines) <= max_lines:
            return lines, size
    lines = wrap(title, 22, width)[:max_lines]
    last = lines[-1]
    while last and text_width(last + "…", 22) > width:
        last = last[:-1].rstrip()
    lines[-1] = last + "…"
    return lines, 22


# Where the content sits in each shape: the vertical centre of the glyph block, and the width free for the title.
_CENTRE = {"shield": 262, "hexagon": 286, "seal": 292, "medal": 330}
_TITLE_WIDTH = {"shield": 350, "hexagon": 380, "seal": 340, "medal": 330}


def layout(badge: Badge) -> Drawing:
    face = badge.metal or badge.scheme
    scheme = badge.scheme
    drawing = Drawing(title=clean(badge.title))
    items = drawing.items
    cy = _CENTRE.get(badge.shape, 290)

    if badge.shape == "shield":
        outer = _shield()
        items.append(Poly(outer, face.deep))
        items.append(Poly(_scaled(outer, 0.9, (300, 300)), (face.main, face.deep), face.accent, 5))
    elif badge.shape == "hexagon":
        outer = _hexagon()
        items.append(Poly(outer, face.deep))
        items.append(Poly(_scaled(outer, 0.9, (300, 300)), (face.main, face.deep), face.accent, 5))
    elif badge.shape == "seal":
        items.append(Poly(_rosette(300, 300, 272), face.deep))
        items.append(Circle(300, 300, 238, (face.main, face.deep), face.accent, 5))
    else:  # medal on a ribbon
        items.append(Poly(((150, 0), (262, 0), (330, 150), (252, 190)), scheme.main))
        items.append(Poly(((450, 0), (338, 0), (270, 150), (348, 190)), scheme.deep))
        items.append(Circle(300, 350, 228, face.deep))
        items.append(Circle(300, 350, 206, (face.main, face.deep), face.light, 5))

    label = clean(badge.label).upper()
    label_size = 24.0
    while text_width(label, label_size) + 3 * len(label) > 280 and label_size > 14:
        label_size -= 1
    items.append(Text(label, 300, cy - 118, label_size, face.light, spacing=3))
    items.extend(_glyph(badge.glyph, 300, cy - 46, 104, "#ffffff", face.main))

    if badge.stars:
        gap = 38
        start = 300 - gap * (badge.stars - 1) / 2
        for i in range(badge.stars):
            items.append(Poly(_star(start + i * gap, cy + 28, 15), scheme.accent if not badge.metal else face.light,
                              face.deep, 1.5))

    lines, size = _fit_title(drawing.title, _TITLE_WIDTH.get(badge.shape, 340))
    baseline = cy + 60 + size if len(lines) == 2 else cy + 78 + size * 0.8
    for i, line in enumerate(lines):
        items.append(Text(line, 300, baseline + i * size * 1.18, size, "#ffffff"))

    ribbon = clean(badge.ribbon).upper()
    if ribbon:
        ribbon_size = 24.0
        while text_width(ribbon, ribbon_size) + 2 * len(ribbon) > 360 and ribbon_size > 13:
            ribbon_size -= 1
        half = max(150.0, (text_width(ribbon, ribbon_size) + 2 * len(ribbon)) / 2 + 34)
        top = min(cy + 166, 520)
        band, ink = (scheme.main, "#ffffff") if badge.metal else (scheme.accent, scheme.deep)
        tail = scheme.deep if badge.metal else face.deep
        h = 54
        items.append(Poly(((300 - half - 40, top + 14), (300 - half + 6, top + 14), (300 - half + 6, top + h + 14),
                           (300 - half - 40, top + h + 14), (300 - half - 24, top + 14 + h / 2)), tail))
        items.append(Poly(((300 + half + 40, top + 14), (300 + half - 6, top + 14), (300 + half - 6, top + h + 14),
                           (300 + half + 40, top + h + 14), (300 + half + 24, top + 14 + h / 2)), tail))
        items.append(Poly(((300 - half, top), (300 + half, top), (300 + half, top + h), (300 - half, top + h)),
                          band, face.deep, 2))
        items.append(Text(ribbon, 300, top + h / 2 + ribbon_size * 0.36, ribbon_size, ink, spacing=2))
    return drawing


# --- SVG ----------------------------------------------------------------------------------------------

FONT_STACK = ("'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',"
              "'Helvetica Neue',Arial,sans-serif")


def _xml(text: str) -> str:
    return clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
        '"', "&quot;").replace("'", "&#39;")


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _points(points: Iterable[Point]) -> str:
    return " ".join(f"{_n(x)},{_n(y)}" for x, y in points)


def svg(badge: Badge) -> str:
    """The badge as a standalone SVG document (UTF-8 text)."""
    drawing = layout(badge)
    gradients: dict[tuple[str, str], str] = {}
    body: list[str] = []

    def paint(fill: str | tuple[str, str]) -> str:
        if not fill:
            return "none"
        if isinstance(fill, tuple):
            if fill not in gradients:
                gradients[fill] = f"g{len(gradients)}"
            return f"url(#{gradients[fill]})"
        return fill

    for item in drawing.items:
        stroke = "" if isinstance(item, Text) or not item.stroke else (
            f' stroke="{item.stroke}" stroke-width="{_n(item.width)}"')
        if isinstance(item, Circle):
            body.append(f'<circle cx="{_n(item.cx)}" cy="{_n(item.cy)}" r="{_n(item.r)}" fill="{paint(item.fill)}"'
                        f'{stroke}/>')
        elif isinstance(item, Poly):
            tag = "polygon" if item.closed else "polyline"
            joins = "" if item.closed else ' stroke-linecap="round" stroke-linejoin="round"'
            body.append(f'<{tag} points="{_points(item.points)}" fill="{paint(item.fill)}"{stroke}{joins}/>')
        elif isinstance(item, Text):
            spacing = f' letter-spacing="{_n(item.spacing)}"' if item.spacing else ""
            body.append(f'<text x="{_n(item.x)}" y="{_n(item.y)}" font-size="{_n(item.size)}" fill="{item.colour}"'
                        f'{spacing}>{_xml(item.text)}</text>')
    defs = "".join(f'<linearGradient id="{name}" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="{top}"/>'
                   f'<stop offset="1" stop-color="{bottom}"/></linearGradient>'
                   for (top, bottom), name in gradients.items())
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" width="{SIZE}" height="{SIZE}" '
            f'role="img">'
            f"<title>{_xml(badge.caption)}</title><defs>{defs}</defs>"
            f'<g font-family="{FONT_STACK}" font-weight="700" text-anchor="middle">{"".join(body)}</g></svg>\n')


# --- PNG ----------------------------------------------------------------------------------------------

_FONT_FILES = (
    # (path, face name inside a collection)
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", "Noto Sans CJK SC"),  # Debian, Ubuntu
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc", "Noto Sans CJK SC"),  # Arch
    ("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc", "Noto Sans CJK SC"),  # Fedora
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", ""),
)


@functools.lru_cache(maxsize=1)
def _font_file() -> tuple[str, int] | None:
    """The font file (and face index) the PNG sets text in; None: Pillow's built-in font."""
    from PIL import ImageFont

    candidates = list(_FONT_FILES)
    try:
        import reportlab

        candidates.append((str(Path(reportlab.__file__).parent / "fonts" / "VeraBd.ttf"), ""))
    except ImportError:  # pragma: no cover - reportlab is a dependency
        pass
    for path, face in candidates:
        if not Path(path).is_file():
            continue
        for index in range(10 if face else 1):
            try:
                font = ImageFont.truetype(path, 12, index=index)
            except OSError:
                break
            if not face or font.getname()[0] == face:
                return path, index
    return None


@functools.lru_cache(maxsize=64)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    from PIL import ImageFont

    found = _font_file()
    if found is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(found[0], size, index=found[1])


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def png(badge: Badge, size: int = SIZE) -> bytes:
    """The badge as a PNG of `size`×`size` pixels with a transparent background."""
    from PIL import Image, ImageDraw

    k = size * SUPERSAMPLE / SIZE  # canvas units to pixels of the large image
    full = round(SIZE * k)
    image = Image.new("RGBA", (full, full), (0, 0, 0, 0))
    drawing = layout(badge)

    def xy(points: Iterable[Point]) -> list[tuple[float, float]]:
        return [(x * k, y * k) for x, y in points]

    def fill_shape(draw_shape: Callable[[ImageDraw.ImageDraw, Any], object], fill: str | tuple[str, str],
                   bbox_y: tuple[float, float]) -> None:
        if not isinstance(fill, tuple):  # a plain colour: straight onto the image
            draw_shape(ImageDraw.Draw(image), (*_rgb(fill), 255))
            return
        mask = Image.new("L", (full, full), 0)  # a gradient: through the shape as a mask
        draw_shape(ImageDraw.Draw(mask), 255)
        top, bottom = bbox_y
        ramp = Image.linear_gradient("L").resize((full, max(int(bottom - top), 1)))
        gradient = Image.new("L", (full, full), 0)
        gradient.paste(255, (0, int(bottom), full, full))
        gradient.paste(ramp, (0, int(top)))
        layer = Image.composite(Image.new("RGBA", (full, full), (*_rgb(fill[1]), 255)),
                                Image.new("RGBA", (full, full), (*_rgb(fill[0]), 255)), gradient)
        image.paste(layer, (0, 0), mask)

    for item in drawing.items:
        draw = ImageDraw.Draw(image)
        if isinstance(item, Circle):
            box = [(item.cx - item.r) * k, (item.cy - item.r) * k, (item.cx + item.r) * k, (item.cy + item.r) * k]
            if item.fill:
                def ellipse(d: ImageDraw.ImageDraw, c: Any, box: list[float] = box) -> None:
                    d.ellipse(box, fill=c)

                fill_shape(ellipse, item.fill, (box[1], box[3]))
            if item.stroke:
                half = item.width * k / 2
                draw.ellipse([box[0] + half, box[1] + half, box[2] - half, box[3] - half], outline=_rgb(item.stroke),
                             width=max(round(item.width * k), 1))
        elif isinstance(item, Poly):
            points = xy(item.points)
            if item.closed:
                if item.fill:
                    ys = [y for _x, y in points]
                    def polygon(d: ImageDraw.ImageDraw, c: Any, points: list[Point] = points) -> None:
                        d.polygon(points, fill=c)

                    fill_shape(polygon, item.fill, (min(ys), max(ys)))
                if item.stroke:
                    draw.line([*points, points[0], points[1]], fill=_rgb(item.stroke),
                              width=max(round(item.width * k), 1), joint="curve")
            else:
                width = max(round(item.width * k), 1)
                draw.line(points, fill=_rgb(item.stroke), width=width, joint="curve")
                for x, y in (points[0], points[-1]):  # round caps
                    draw.ellipse([x - width / 2, y - width / 2, x + width / 2, y + width / 2], fill=_rgb(item.stroke))
        elif isinstance(item, Text):
            _draw_text(draw, item, k)
    small = image.reduce(SUPERSAMPLE) if image.size == (size * SUPERSAMPLE,) * 2 else image.resize(
        (size, size), Image.Resampling.LANCZOS)
    return _encode(small)


def _draw_text(draw: ImageDraw.ImageDraw, item: Text, k: float) -> None:
    font = _font(max(round(item.size * k), 1))
    colour = _rgb(item.colour)
    spacing = item.spacing * k
    widths = [font.getlength(ch) for ch in item.text]
    total = sum(widths) + spacing * max(len(widths) - 1, 0)
    limit = (text_width(item.text, item.size) + item.spacing * max(len(item.text) - 1, 0)) * k * 1.08
    if total > limit > 0:  # a font wider than the estimate: set it smaller rather than overflow
        font = _font(max(round(item.size * k * limit / total), 1))
        widths = [font.getlength(ch) for ch in item.text]
        total = sum(widths) + spacing * max(len(widths) - 1, 0)
    x = item.x * k - total / 2
    if not spacing:
        draw.text((x, item.y * k), item.text, font=font, fill=colour, anchor="ls")
        return
    for ch, width in zip(item.text, widths, strict=True):
        draw.text((x, item.y * k), ch, font=font, fill=colour, anchor="ls")
        x += width + spacing


def _encode(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=6)
    return buffer.getvalue()
