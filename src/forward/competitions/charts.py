"""The console's submission activity chart: server-rendered SVG, one stacked bar per UTC day
(scored, failed, still waiting).

Built only with `format_html`, so nothing in it is markup a person wrote; colours come from the
`chart-*` classes in forward.css (the Content-Security-Policy forbids inline styles). It scales to
its container (viewBox, width 100%), has role="img", a title and a description, and each bar a
<title> with the day's numbers for a pointer or a screen reader.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from .selectors import DayActivity

VIEW_WIDTH, VIEW_HEIGHT = 440, 230
LEFT, RIGHT, TOP, BOTTOM = 46, 8, 12, 62  # the plot's margins: axis labels left, legend below
TEXT = 17


def _step(top: int) -> int:
    """A round step (1, 2, 5 × 10^k) giving at most four gridlines up to ``top``."""
    raw = max(top, 1) / 4
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    return next(int(m * magnitude) for m in (1, 2, 5, 10) if m * magnitude >= raw)


def activity_svg(days: list[DayActivity]) -> SafeString:
    """``days``: dicts with day, scored, failed, waiting (from selectors.submission_activity)."""
    total = sum(d["scored"] + d["failed"] + d["waiting"] for d in days)
    title = _("Submissions per day")
    desc = _("%(total)d submissions in the last %(days)d days (UTC days): scored, failed and waiting.") % {
        "total": total, "days": len(days)}
    plot_w, plot_h = VIEW_WIDTH - LEFT - RIGHT, VIEW_HEIGHT - TOP - BOTTOM
    step = _step(max((d["scored"] + d["failed"] + d["waiting"] for d in days), default=0))
    top = max(step, math.ceil(max((d["scored"] + d["failed"] + d["waiting"] for d in days), default=0) / step) * step)
    scale = plot_h / top
    base = TOP + plot_h
    grid = format_html_join("", '<line class="chart-grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                            '<text class="chart-axis" x="{}" y="{}" text-anchor="end">{}</text>',
                            ((LEFT, VIEW_WIDTH - RIGHT, f"{base - v * scale:.1f}", f"{base - v * scale:.1f}",
                              LEFT - 6, f"{base - v * scale + 6:.1f}", v) for v in range(0, top + 1, step)))
    slot = plot_w / max(len(days), 1)
    bar_w = max(slot * 0.7, 1.0)
    bars = []
    for i, d in enumerate(days):
        x = LEFT + i * slot + (slot - bar_w) / 2
        y: float = base
        label = _("%(day)s: %(scored)d scored, %(failed)d failed, %(waiting)d waiting") % {
            "day": date_format(d["day"], "SHORT_DATE_FORMAT"), "scored": d["scored"], "failed": d["failed"],
            "waiting": d["waiting"]}
        parts = []
        for kind in ("scored", "failed", "waiting"):
            h = d[kind] * scale
            if h:
                y -= h
                parts.append(format_html('<rect class="chart-activity-{}" x="{}" y="{}" width="{}" height="{}"/>',
                                         kind, f"{x:.1f}", f"{y:.1f}", f"{bar_w:.1f}", f"{h:.1f}"))
        bars.append(format_html('<g data-day="{}"><title>{}</title>{}</g>', d["day"].isoformat(), label,
                                format_html_join("", "{}", ((part,) for part in parts))))
    ticks = [0, len(days) // 2, len(days) - 1] if len(days) > 2 else list(range(len(days)))
    x_labels = format_html_join("", '<text class="chart-axis" x="{}" y="{}" text-anchor="middle">{}</text>',
                                ((f"{LEFT + i * slot + slot / 2:.1f}", base + 22,
                                  date_format(days[i]["day"], "M j")) for i in ticks))
    legend_y = VIEW_HEIGHT - 14
    legend = format_html_join("", '<rect class="chart-activity-{}" x="{}" y="{}" width="14" height="14"/>'
                              '<text x="{}" y="{}">{}</text>',
                              ((kind, LEFT + n * 130, legend_y - 13, LEFT + n * 130 + 19, legend_y, label)
                               for n, (kind, label) in enumerate((("scored", _("Scored")), ("failed", _("Failed")),
                                                                  ("waiting", _("Waiting"))))))
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-activity" viewBox="0 0 {} {}" width="100%" '
        'font-size="{}" role="img" aria-labelledby="activity-title activity-desc" data-testid="activity-chart">'
        '<title id="activity-title">{}</title><desc id="activity-desc">{}</desc>{}'
        '<line class="chart-axis-line" x1="{}" x2="{}" y1="{}" y2="{}"/>{}{}{}</svg>',
        VIEW_WIDTH, VIEW_HEIGHT, TEXT, title, desc, grid, LEFT, VIEW_WIDTH - RIGHT, base, base,
        format_html_join("", "{}", ((bar,) for bar in bars)), x_labels, legend)
