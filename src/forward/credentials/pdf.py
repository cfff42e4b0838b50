"""The printable certificate: one A4 landscape page whose QR code opens the public verification page.

Pure rendering: ``render_certificate(CertificateContent(...))`` returns PDF bytes and touches neither
the database nor storage. Static labels go through ``gettext``, so the page follows the active language.

Fonts: `forward.core.pdf_fonts` chooses them (Helvetica for Latin text, a CID font for Chinese,
Japanese or Korean text).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import segno
from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from forward.core.pdf_fonts import CID_FONTS, LATIN_BOLD, font_for

PROGRAMME_NAME = "Forward"
PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)  # 841.89 × 595.28 pt

INK = HexColor("#1b1f24")
MUTED = HexColor("#5b6470")
ACCENT = HexColor("#1f4e79")
RULE = HexColor("#b9c2cc")

MARGIN = 72  # text stays this far from the page edge
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
QR_SIZE = 32 * mm  # the code itself; the quiet zone comes on top
QR_QUIET_MODULES = 4
BADGE_SIZE = 112  # points
BADGE_CENTRE_X = 598


@dataclass(frozen=True)
class CertificateContent:
    holder_name: str
    title: str  # already translated: "Certificate of Completion", "Certification", ...
    achievement_name: str
    detail: str | None  # "Distinction · 4 credit units", "Rank 2 of 341 teams"
    issuer_name: str
    issued_on: date
    valid_until: date | None
    verify_url: str  # the public verification page the QR code opens
    credential_id: str
    watermark: str = ""  # already translated: "REVOKED", "EXPIRED"; set across every page
    badge_png: bytes = b""  # the achievement's badge art (badge_art.png), set between the dates and the QR code


def _width(text: str, font: str, size: float) -> float:
    width: float = pdfmetrics.stringWidth(text, font, size)
    return width


def _split_in_two(text: str) -> list[str]:
    """Two lines of about equal length: at the most central space, else (CJK) mid-string."""
    words = text.split()
    if len(words) > 1:
        best = min(range(1, len(words)),
                   key=lambda i: abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))))
        return [" ".join(words[:best]), " ".join(words[best:])]
    middle = (len(text) + 1) // 2
    return [text[:middle], text[middle:]]


def fit(text: str, font: str, size: float, width: float, *, max_lines: int = 1) -> tuple[list[str], float]:
    """Lines and font size that keep ``text`` within ``width``: as is, else on two lines (when
    allowed and one line would have to shrink below 70%), shrunk as far as needed."""
    natural = _width(text, font, size)
    if natural <= width:
        return [text], size
    one_line = size * width / natural * 0.999
    if max_lines < 2 or one_line >= 0.7 * size:
        return [text], one_line
    lines = _split_in_two(text)
    widest = max(_width(line, font, size) for line in lines)
    return lines, min(size, size * width / widest * 0.999)


class _Page:
    """A canvas with the few text operations the certificate needs."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas

    def text(self, text: str, x: float, y: float, *, font: str, size: float, colour: Color = INK,
             align: str = "centre", bold: bool = False, tracking: float = 0.0) -> None:
        width = _width(text, font, size) + tracking * max(len(text) - 1, 0)
        if align == "centre":
            x -= width / 2
        elif align == "right":
            x -= width
        canvas = self.canvas
        canvas.saveState()
        obj = canvas.beginText(x, y)
        obj.setFont(font, size)
        obj.setFillColor(colour)
        if tracking:
            obj.setCharSpace(tracking)
        if bold and font in CID_FONTS:  # CID fonts have no bold weight: fill and stroke the outline
            canvas.setStrokeColor(colour)
            canvas.setLineWidth(size / 36)
            obj.setTextRenderMode(2)
        obj.textOut(text)
        canvas.drawText(obj)
        canvas.restoreState()

    def rule(self, x1: float, y: float, x2: float, *, colour: Color = RULE, width: float = 0.6) -> None:
        self.canvas.saveState()
        self.canvas.setStrokeColor(colour)
        self.canvas.setLineWidth(width)
        self.canvas.line(x1, y, x2, y)
        self.canvas.restoreState()


@dataclass(frozen=True)
class _Lines:
    """A piece of text fitted to a width: its lines, font and (possibly reduced) size."""

    lines: list[str]
    font: str
    size: float
    bold: bool
    colour: Color
    space_before: float

    @property
    def leading(self) -> float:
        return self.size * 1.22

    @property
    def height(self) -> float:
        return self.space_before + self.size + self.leading * (len(self.lines) - 1)


def _fitted(text: str, *, size: float, bold: bool = False, colour: Color = INK, width: float = TEXT_WIDTH,
            max_lines: int = 1, space_before: float = 0.0) -> _Lines:
    font = font_for(text, bold=bold)
    lines, fitted_size = fit(text, font, size, width, max_lines=max_lines)
    return _Lines(lines, font, fitted_size, bold, colour, space_before)


def _qr(canvas: Canvas, data: str, right: float, bottom: float) -> tuple[float, float]:
    """Draws the QR code as vector squares (one path, one rectangle per run of dark modules, so
    no seams show between modules). Returns the (left, bottom) corner of its quiet zone."""
    code = segno.make_qr(data, error="m")
    modules, _height = code.symbol_size(border=0)
    module = QR_SIZE / modules
    quiet = QR_QUIET_MODULES * module
    left, top = right - QR_SIZE, bottom + QR_SIZE
    canvas.saveState()
    canvas.setFillColor(white)
    canvas.rect(left - quiet, bottom - quiet, QR_SIZE + 2 * quiet, QR_SIZE + 2 * quiet, stroke=0, fill=1)
    canvas.setFillColor(HexColor("#000000"))
    path = canvas.beginPath()
    for r, row in enumerate(code.matrix_iter(border=0)):
        y = top - (r + 1) * module
        start = None
        for c, dark in enumerate((*row, 0)):
            if dark and start is None:
                start = c
            elif not dark and start is not None:
                path.rect(left + start * module, y, (c - start) * module, module)
                start = None
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
    return left - quiet, bottom - quiet


def _date(day: date) -> str:
    """The active language's date format: "March 5, 2025", "2025年3月5日", "5 Maret 2025"."""
    return formats.date_format(day, "DATE_FORMAT")


WATERMARK = HexColor("#b3261e")


def _watermark(canvas: Canvas, text: str) -> None:
    """A large, translucent word set diagonally across the middle of the page, over everything
    but clear of the QR code (bottom right), which still opens the page that says why."""
    font = font_for(text, bold=True)
    size = min(110.0, 520 / max(_width(text, font, 1), 1e-6))  # at most about 520 pt long
    canvas.saveState()
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2 + 20)
    canvas.rotate(24)
    canvas.setFillColor(WATERMARK)
    canvas.setStrokeColor(WATERMARK)
    canvas.setFillAlpha(0.22)
    canvas.setStrokeAlpha(0.22)
    obj = canvas.beginText(-_width(text, font, size) / 2, -size * 0.35)
    obj.setFont(font, size)
    if font in CID_FONTS:  # no bold weight: fill and stroke the outline
        canvas.setLineWidth(size / 36)
        obj.setTextRenderMode(2)
    obj.textOut(text)
    canvas.drawText(obj)
    canvas.restoreState()


def _finish_page(canvas: Canvas, content: CertificateContent) -> None:
    if content.watermark:
        _watermark(canvas, content.watermark)
    canvas.showPage()


def render_certificate(content: CertificateContent) -> bytes:
    """One A4 landscape page, same bytes for the same content (and language)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1, pageCompression=1)
    canvas.setTitle(f"{content.achievement_name} — {content.holder_name}")
    canvas.setAuthor(content.issuer_name)
    canvas.setSubject(content.title)
    canvas.setCreator(PROGRAMME_NAME)
    page = _Page(canvas)
    centre = PAGE_WIDTH / 2

    # Frame: a thin rule with a hairline inside it.
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(1.2)
    canvas.rect(24, 24, PAGE_WIDTH - 48, PAGE_HEIGHT - 48)
    canvas.setLineWidth(0.4)
    canvas.rect(29, 29, PAGE_WIDTH - 58, PAGE_HEIGHT - 58)

    # Head: programme name, title, a short rule.
    page.text(PROGRAMME_NAME.upper(), centre, PAGE_HEIGHT - 70, font=LATIN_BOLD, size=9, colour=ACCENT,
              tracking=3.2)
    title = _fitted(content.title, size=30, bold=True)
    page.text(title.lines[0], centre, PAGE_HEIGHT - 118, font=title.font, size=title.size, bold=True)
    page.rule(centre - 36, PAGE_HEIGHT - 138, centre + 36, colour=ACCENT, width=1)

    # Body, centred vertically between the head and the foot.
    blocks = [
        _fitted(_("This certifies that"), size=12.5, colour=MUTED),
        _fitted(content.holder_name, size=36, bold=True, max_lines=2, space_before=18),
        _fitted(_("has earned"), size=12.5, colour=MUTED, space_before=16),
        _fitted(content.achievement_name, size=22, bold=True, max_lines=2, space_before=14),
    ]
    if content.detail:
        blocks.append(_fitted(content.detail, size=12.5, colour=MUTED, max_lines=2, space_before=6))
    body_top, body_bottom = PAGE_HEIGHT - 160, 205
    y = body_top - (body_top - body_bottom - sum(block.height for block in blocks)) / 2
    for block in blocks:
        y -= block.space_before
        for i, line in enumerate(block.lines):
            y -= block.size if i == 0 else block.leading
            page.text(line, centre, y, font=block.font, size=block.size, colour=block.colour, bold=block.bold)
        y -= block.size * 0.25  # descenders

    # Foot, left: who issued it and when, each over a rule with its label under it.
    foot = 112
    issuer = _fitted(content.issuer_name, size=14, bold=True, width=250, max_lines=2)
    for i, line in enumerate(issuer.lines):  # top down, the last line on the rule
        y = foot + 10 + (len(issuer.lines) - 1 - i) * issuer.leading
        page.text(line, MARGIN, y, font=issuer.font, size=issuer.size, align="left", bold=True)
    page.rule(MARGIN, foot, MARGIN + 250)
    label = _("Issued by")
    page.text(label, MARGIN, foot - 14, font=font_for(label), size=8.5, colour=MUTED, align="left")

    dates_x = MARGIN + 290
    issued = _date(content.issued_on)
    page.text(issued, dates_x, foot + 10, font=font_for(issued, bold=True), size=14, align="left", bold=True)
    page.rule(dates_x, foot, dates_x + 170)
    label = _("Date of issue")
    page.text(label, dates_x, foot - 14, font=font_for(label), size=8.5, colour=MUTED, align="left")
    if content.valid_until:
        until = _("Valid until %(date)s") % {"date": _date(content.valid_until)}
        page.text(until, dates_x, foot - 28, font=font_for(until), size=8.5, colour=MUTED, align="left")

    # Foot, between the dates and the QR code: the badge.
    if content.badge_png:
        canvas.drawImage(ImageReader(io.BytesIO(content.badge_png)), BADGE_CENTRE_X - BADGE_SIZE / 2, foot - 40,
                         width=BADGE_SIZE, height=BADGE_SIZE, mask="auto")

    # Foot, right: the QR code, its caption, the address it opens and the credential id.
    qr_right = PAGE_WIDTH - MARGIN
    _quiet_left, quiet_bottom = _qr(canvas, content.verify_url, right=qr_right, bottom=foot - 22)
    caption = _("Scan to verify")
    small_width = PAGE_WIDTH - MARGIN - (dates_x + 200)
    y = quiet_bottom - 9
    page.text(caption, qr_right - QR_SIZE / 2, y, font=font_for(caption, bold=True), size=8.5, bold=True)
    ident = _("Credential ID %(id)s") % {"id": content.credential_id}
    for text, gap in ((content.verify_url, 13), (ident, 9.5)):
        small = _fitted(text, size=6.5, width=small_width)
        y -= gap
        page.text(small.lines[0], qr_right, y, font=small.font, size=small.size, colour=MUTED, align="right")

    _finish_page(canvas, content)  # every page ends here, so every page carries the watermark
    canvas.save()
    return buffer.getvalue()
