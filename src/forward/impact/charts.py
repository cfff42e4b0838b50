"""Server-rendered SVG charts for the impact pages: plain values in, a SafeString of SVG out.

Every piece of markup is built with `format_html` / `format_html_join`, so every label (university
names, programme titles: user text) is escaped. No inline style attributes (the Content-Security-
Policy forbids them): colours and dashes come from the `chart-*` classes in forward.css, geometry
from SVG attributes. Each chart has role="img", a <title> and a <desc> (translated), a viewBox and
width="100%": it scales to its container. The viewBox is ``WIDTH`` units wide and text is
``FONT_SIZE`` units, so on a 390 px wide phone, where the page's padding leaves the chart about
358 px, text renders at 358 / 440 × 15 ≈ 12.2 px (13.3 px if the chart gets all 390).
Numbers are grouped for the active locale (1,000,000).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from datetime import date

from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from .forecast import Forecast, month_end, month_from_index, month_index

WIDTH = 440
FONT_SIZE = 15
LABEL_CHARS = 48  # a longer label is shortened (…) and given in full in the row's tooltip

_ids = itertools.count(1)


def number(value: float) -> str:
    """A whole number grouped for the active language: 1,000,000."""
    return number_format(round(value), decimal_pos=0, use_l10n=True, force_grouping=True)


def percent(share: float) -> str:
    return _("%(percent)s%%") % {"percent": number_format(round(share * 100), decimal_pos=0,
                                                          use_l10n=True, force_grouping=True)}


def suppressed_text(why: str = "small") -> str:
    """What a withheld figure shows: "< 5" for a small group; for a cell withheld so that a small group
    beside it cannot be worked out from the total, a dash (explained under the table)."""
    return _("< 5") if why == "small" else "–"


def month_label(month: date) -> str:
    """A short month for an axis: "Jan 2025"; translators give their own Django date format
    (Chinese: "Y年n月" → 2025年1月)."""
    return date_format(month, pgettext("Django date format of a month on a chart axis", "M Y"))


def _f(value: float) -> str:
    return f"{value:.1f}"


def _short(label: str) -> str:
    label = str(label)
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1].rstrip() + "…"


def _svg(*, kind: str, height: float, title: str, desc: str, body: SafeString | str) -> SafeString:
    uid = f"chart-{next(_ids)}"
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{}" viewBox="0 0 {} {}" width="100%" '
        'font-size="{}" role="img" aria-labelledby="{}-title {}-desc" data-testid="chart-{}">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        kind, WIDTH, _f(height), FONT_SIZE, uid, uid, kind, uid, title, uid, desc, body)


def _no_data(*, kind: str, title: str) -> SafeString:
    body = format_html('<text class="chart-empty" x="{}" y="52" text-anchor="middle">{}</text>',
                       WIDTH // 2, _("No data yet"))
    return _svg(kind=kind, height=90, title=title, desc=_("No data yet."), body=body)


# --- the cumulative chart: actual, trajectory, target, forecast -----------------------------------

PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_HEIGHT = 78, WIDTH - 14, 14, 200
HALF = WIDTH // 2  # the legend's two columns


def _nice_ticks(top: float, count: int = 4) -> list[float]:
    """0 and a few round steps (1, 2, 2.5, 5 × 10^k) reaching at least `top`."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    ticks = [0.0]
    while ticks[-1] < top - 1e-9 * top:
        ticks.append(ticks[-1] + step)
    return ticks


def _month_ticks(first: date, last: date) -> list[date]:
    """A few first-of-month dates from `first` to `last` (at most five), on round months."""
    a, b = month_index(first), month_index(last)
    span = max(b - a, 1)
    step = next(s for s in (1, 2, 3, 6, 12, 24, 60, 120) if span / s <= 4)
    start = a + (-a) % step  # the first month on the step's grid (January, July, ...)
    return [month_from_index(i) for i in range(start, b + 1, step)]


def cumulative_chart(*, months: Sequence[date], actual: Sequence[float], target: float, start: date,
                     deadline: date, forecast: Forecast | None, title: str,
                     unit_label: str = "") -> SafeString:
    """The running total against the target: the actual line, the straight trajectory (dashed)
    from 0 at `start` to the target at the end of `deadline`, the target as a horizontal line, and
    the forecast path with its interval as a shaded band. Each month's total is drawn at the end
    of that month. `unit_label` names what is counted ("talents") in the description and the
    axis."""
    if not months or not actual:
        return _no_data(kind="cumulative", title=title)
    span_end = max(month_end(deadline), month_end(months[-1]))
    if forecast is not None and forecast.months:
        span_end = max(span_end, month_end(forecast.months[-1]))
    first = min(start, months[0])
    total_days = max((span_end - first).days, 1)
    highest = max([float(target), *map(float, actual),
                   *((forecast.path_high or (forecast.value,)) if forecast is not None else ())])
    ticks = _nice_ticks(highest * 1.08)
    y_top = ticks[-1]
    plot_width = PLOT_RIGHT - PLOT_LEFT
    bottom = PLOT_TOP + PLOT_HEIGHT

    def x(day: date) -> str:
        return _f(PLOT_LEFT + plot_width * (day - first).days / total_days)

    def y(value: float) -> str:
        return _f(bottom - PLOT_HEIGHT * max(float(value), 0.0) / y_top)

    parts = []
    grid = format_html_join(
        "", '<line class="chart-grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
        '<text class="chart-axis" x="{}" y="{}" text-anchor="end">{}</text>',
        ((PLOT_LEFT, PLOT_RIGHT, y(t), y(t), PLOT_LEFT - 6, _f(float(y(t)) + 5), number(t)) for t in ticks))
    parts.append(grid)
    month_ticks = _month_ticks(first, span_end)
    parts.append(format_html_join(
        "", '<line class="chart-tick" x1="{}" x2="{}" y1="{}" y2="{}"/>'
        '<text class="chart-axis" x="{}" y="{}" text-anchor="{}">{}</text>',
        ((x(m), x(m), bottom, bottom + 5, x(m), bottom + 22,
          "end" if float(x(m)) > PLOT_RIGHT - 34 else "middle", month_label(m))
         for m in month_ticks)))

    origin = (x(months[0]), y(0))
    actual_points = [origin, *((x(month_end(m)), y(v)) for m, v in zip(months, actual, strict=True))]
    last_point = actual_points[-1]
    if forecast is not None and forecast.months:
        ends = [x(month_end(m)) for m in forecast.months]
        upper = [last_point, *zip(ends, map(y, forecast.path_high), strict=True)]
        lower = [last_point, *zip(ends, map(y, forecast.path_low), strict=True)]
        band = " ".join(f"{px},{py}" for px, py in [*upper, *reversed(lower)])
        path = " ".join(f"{px},{py}" for px, py in
                        [last_point, *zip(ends, map(y, forecast.path), strict=True)])
        parts.append(format_html(
            '<polygon class="chart-band" points="{}" data-testid="forecast-band"/>'
            '<polyline class="chart-forecast" points="{}" data-testid="forecast-path"/>'
            '<circle class="chart-forecast-dot" cx="{}" cy="{}" r="4"/>', band, path, ends[-1], y(forecast.value)))
    parts.append(format_html(
        '<line class="chart-trajectory" x1="{}" y1="{}" x2="{}" y2="{}" data-testid="trajectory"/>'
        '<line class="chart-target" x1="{}" x2="{}" y1="{}" y2="{}" data-testid="target-line"/>'
        '<text class="chart-target-label" x="{}" y="{}" text-anchor="end">{}</text>',
        x(start), y(0), x(month_end(deadline)), y(target), PLOT_LEFT, PLOT_RIGHT, y(target), y(target),
        PLOT_RIGHT, _f(float(y(target)) - 5), _("Target %(target)s") % {"target": number(target)}))
    parts.append(format_html(
        '<polyline class="chart-actual" points="{}" data-testid="actual"/>'
        '<line class="chart-axis-line" x1="{}" x2="{}" y1="{}" y2="{}"/>',
        " ".join(f"{px},{py}" for px, py in actual_points), PLOT_LEFT, PLOT_RIGHT, bottom, bottom))

    legend = [("chart-actual", _("Actual")), ("chart-trajectory", _("Straight path to the target")),
              ("chart-target", _("Target"))]
    if forecast is not None and forecast.months:
        legend.append(("chart-band-key", _("Forecast, %(level)s%% interval")
                       % {"level": number(forecast.level * 100)}))
    legend_top = bottom + 46
    parts.append(format_html_join(
        "", '<line class="{}" x1="{}" x2="{}" y1="{}" y2="{}"/><text class="chart-legend" x="{}" y="{}">{}</text>',
        ((cls, 8 + HALF * (i % 2), 30 + HALF * (i % 2), _f(legend_top + 22 * (i // 2) - 5),
          _f(legend_top + 22 * (i // 2) - 5), 36 + HALF * (i % 2), _f(legend_top + 22 * (i // 2)), text)
         for i, (cls, text) in enumerate(legend))))

    facts = {"unit": unit_label or _("total"), "actual": number(actual[-1]),
             "month": month_label(months[-1]), "target": number(target),
             "deadline": date_format(deadline, "j M Y")}
    desc = _("The running %(unit)s by month: %(actual)s at the end of %(month)s, against a target of "
             "%(target)s by %(deadline)s.") % facts
    if forecast is not None and forecast.months:
        desc += " " + _("Forecast at the deadline: %(value)s (between %(low)s and %(high)s).") % {
            "value": number(forecast.value), "low": number(forecast.low), "high": number(forecast.high)}
    height = legend_top + 22 * ((len(legend) + 1) // 2)
    return _svg(kind="cumulative", height=height, title=title, desc=desc, body=_join(parts))


# --- horizontal bars -------------------------------------------------------------------------------

BAR_LEFT, BAR_SPACE = 8, WIDTH - 8 - 96  # room right of the longest bar for its figure
ROW = 46  # a label line, then the bar


def _join(parts: Iterable[SafeString | str]) -> SafeString:
    """Concatenate markup that format_html already built (each part escaped where it was made)."""
    return format_html_join("", "{}", ((part,) for part in parts))


def _label(*, x: float, y: float, label: str) -> SafeString:
    """A row's label, shortened if long, with the full text as its tooltip."""
    return format_html('<g><title>{}</title><text class="chart-label" x="{}" y="{}">{}</text></g>',
                       label, _f(x), _f(y), _short(label))


def _more(*, hidden: int, y: float) -> SafeString:
    return format_html('<text class="chart-note" x="{}" y="{}">{}</text>', BAR_LEFT, _f(y),
                       ngettext("and %(count)s more", "and %(count)s more", hidden) % {"count": number(hidden)})


def bars(*, rows: list[tuple[str, int | None, str]], title: str, max_rows: int = 20) -> SafeString:
    """Horizontal bars, one a row: (label, value, the text shown for it). A value of None is a
    suppressed cell: no bar, its text (e.g. "< 5") only. Rows are drawn in the order given; past
    `max_rows` a note says how many more there are."""
    if not rows:
        return _no_data(kind="bars", title=title)
    shown = rows[:max_rows]
    largest = max([v for _label_, v, _text in shown if v is not None] or [0]) or 1
    parts = []
    for i, (label, value, text) in enumerate(shown):
        top = 8 + ROW * i
        parts.append(_label(x=BAR_LEFT, y=top + 14, label=label))
        if value is None:
            parts.append(format_html('<text class="chart-value chart-suppressed" x="{}" y="{}">{}</text>',
                                     BAR_LEFT, _f(top + 34), text))
            continue
        width = max(BAR_SPACE * max(value, 0) / largest, 2 if value > 0 else 0)
        parts.append(format_html(
            '<rect class="chart-bar" x="{}" y="{}" width="{}" height="16" data-testid="bar"/>'
            '<text class="chart-value" x="{}" y="{}">{}</text>',
            BAR_LEFT, top + 20, _f(width), _f(BAR_LEFT + width + 6), _f(top + 34), text))
    height = 8 + ROW * len(shown) + 6
    if len(rows) > max_rows:
        parts.append(_more(hidden=len(rows) - max_rows, y=height + 10))
        height += 24
    desc = ngettext("%(count)s row.", "%(count)s rows.", len(rows)) % {"count": number(len(rows))}
    desc += " " + "; ".join(f"{label}: {text}" for label, _v, text in shown)
    return _svg(kind="bars", height=height, title=title, desc=desc, body=_join(parts))


# --- the funnel --------------------------------------------------------------------------------------

def funnel(*, steps: list[tuple[str, int | None, str]], title: str) -> SafeString:
    """Steps of a funnel (enrolled → completed → certified → applied → placed), one centred bar
    each, widths proportional to the largest step, with the share of the previous step as text.
    A None value is suppressed: no bar, its text only, and no share beside it or the next step."""
    if not steps:
        return _no_data(kind="funnel", title=title)
    largest = max([v for _label_, v, _text in steps if v is not None] or [0]) or 1
    full = WIDTH - 16
    parts: list[SafeString] = []
    previous: int | None = None
    shares: list[float | None] = []
    for i, (label, value, text) in enumerate(steps):
        top = 8 + 54 * i
        share = (value / previous) if value is not None and previous else None
        shares.append(share)
        caption = text if share is None else _("%(figure)s · %(share)s of the previous step") % {
            "figure": text, "share": percent(share)}
        parts.append(format_html(
            '<g><title>{}</title><text class="chart-label" x="{}" y="{}" text-anchor="middle">{}</text></g>'
            '<text class="chart-value" x="{}" y="{}" text-anchor="middle">{}</text>',
            label, WIDTH // 2, _f(top + 14), _short(label), WIDTH // 2, _f(top + 44), caption))
        if value is not None:
            width = max(full * max(value, 0) / largest, 2 if value > 0 else 0)
            parts.append(format_html(
                '<rect class="chart-bar chart-funnel-bar" x="{}" y="{}" width="{}" height="12" '
                'data-testid="bar"/>', _f((WIDTH - width) / 2), top + 19, _f(width)))
        previous = value
    desc = "; ".join(
        f"{label}: {text}" + ("" if share is None else f" ({percent(share)})")
        for (label, _v, text), share in zip(steps, shares, strict=True))
    return _svg(kind="funnel", height=8 + 54 * len(steps), title=title, desc=desc,
                body=_join(parts))


# --- two shares per row ------------------------------------------------------------------------------

SHARE_ROW = 62


def share_bars(*, rows: list[tuple[str, float | None, float | None, str]], title: str,
               legend: tuple[str, str], max_rows: int = 20) -> SafeString:
    """Two shares per row (e.g. per university: certified, placed within six months), side by
    side as two thin bars on a 0–100% scale. A row is (label, share a, share b, note): shares are
    fractions from 0 to 1, None when suppressed (shown as "< 5"); the note follows the label (e.g.
    the number of learners the shares are of). `legend` names the two shares."""
    if not rows:
        return _no_data(kind="shares", title=title)
    shown = rows[:max_rows]
    parts = [format_html(
        '<rect class="chart-bar chart-share-a" x="8" y="8" width="14" height="12"/>'
        '<text class="chart-legend" x="28" y="19">{}</text>'
        '<rect class="chart-bar chart-share-b" x="8" y="28" width="14" height="12"/>'
        '<text class="chart-legend" x="28" y="39">{}</text>', legend[0], legend[1])]
    space = WIDTH - 16 - 64
    described = []
    for i, (label, a, b, note) in enumerate(shown):
        top = 52 + SHARE_ROW * i
        shown_label = f"{label} ({note})" if note else str(label)
        parts.append(_label(x=8, y=top + 14, label=shown_label))
        texts = []
        for k, (share, cls) in enumerate(((a, "chart-share-a"), (b, "chart-share-b"))):
            bar_top = top + 20 + 18 * k
            text = suppressed_text() if share is None else percent(share)
            texts.append(text)
            width = 0.0 if share is None else space * min(max(float(share), 0.0), 1.0)
            if share is not None:
                parts.append(format_html(
                    '<rect class="chart-bar {}" x="8" y="{}" width="{}" height="14" data-testid="bar"/>',
                    cls, bar_top, _f(max(width, 2 if share > 0 else 0))))
            parts.append(format_html('<text class="chart-value{}" x="{}" y="{}">{}</text>',
                                     " chart-suppressed" if share is None else "", _f(8 + width + 6),
                                     bar_top + 12, text))
        described.append(f"{shown_label}: {legend[0]} {texts[0]}, {legend[1]} {texts[1]}")
    height = 52 + SHARE_ROW * len(shown)
    if len(rows) > max_rows:
        parts.append(_more(hidden=len(rows) - max_rows, y=height + 10))
        height += 24
    return _svg(kind="shares", height=height, title=title, desc="; ".join(described),
                body=_join(parts))
