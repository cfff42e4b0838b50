"""Fonts for PDFs that print people's and organizations' names (certificates, agendas).

Helvetica sets Latin text; text with Chinese or Japanese characters uses reportlab's built-in CID
font STSong-Light, Korean uses HYSMyeongJo-Medium. CID fonts are not embedded (no font file is
shipped); every common PDF reader supplies them. Characters that neither Helvetica (WinAnsi) nor
those fonts cover, such as Vietnamese or Thai letters, would need an embedded TrueType font.
"""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont

LATIN, LATIN_BOLD = "Helvetica", "Helvetica-Bold"
CHINESE = "STSong-Light"  # Adobe-GB1: Chinese (simplified and traditional), kana, Latin
KOREAN = "HYSMyeongJo-Medium"  # Adobe-Korea1: Hangul, Hanja, Latin
CID_FONTS = (CHINESE, KOREAN)
for _name in CID_FONTS:
    pdfmetrics.registerFont(UnicodeCIDFont(_name))

# Unicode blocks set in a CID font. Hangul first: a Korean string may also hold Hanja.
_HANGUL = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF))
_CJK = (
    (0x2E80, 0x2FDF),  # radicals
    (0x3000, 0x31FF),  # CJK punctuation, kana, bopomofo
    (0x3400, 0x4DBF),  # extension A
    (0x4E00, 0x9FFF),  # unified ideographs
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0xFE30, 0xFE4F),  # compatibility forms
    (0xFF00, 0xFFEF),  # full-width forms
    (0x20000, 0x3FFFF),  # extensions B and later
)


def _in(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= code <= high for low, high in ranges)


def font_for(text: str, *, bold: bool = False) -> str:
    """The font that can set ``text``: a CID font when it holds CJK characters, else Helvetica."""
    codes = [ord(ch) for ch in text]
    if any(_in(code, _HANGUL) for code in codes):
        return KOREAN
    if any(_in(code, _CJK) for code in codes):
        return CHINESE
    return LATIN_BOLD if bold else LATIN
