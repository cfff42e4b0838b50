"""Impact charts: well-formed, accessible SVG that scales to a phone, with every label escaped and
the geometry saying what the numbers say."""

import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.safestring import SafeString

import forward
from forward.impact import charts
from forward.impact.forecast import forecast, month_from_index, month_index

NS = {"svg": "http://www.w3.org/2000/svg"}
START, DEADLINE = date(2024, 7, 1), date(2027, 6, 30)
HOSTILE = '<script>alert("x")</script> "Uni" & Co'


def months(n):
    return [month_from_index(month_index(START) + i) for i in range(n)]


def parse(svg) -> ET.Element:
    assert isinstance(svg, SafeString)
    return ET.fromstring(str(svg))  # noqa: S314 — our own output; raises unless well-formed XML


def find(root, xpath):
    return root.findall(xpath, NS)


def by_testid(root, name):
    return [e for e in root.iter() if e.get("data-testid") == name]


def text_of(root) -> str:
    return " ".join(t for t in root.itertext())


def cumulative(*, target=36_000, n=12, with_forecast=True, title="Talents cultivated"):
    values = [1000.0 * (i + 1) for i in range(n)]
    f = forecast(months=months(n), cumulative=values, deadline=DEADLINE, target=target, start=START) \
        if with_forecast else None
    return charts.cumulative_chart(months=months(n), actual=values, target=target, start=START,
                                   deadline=DEADLINE, forecast=f, title=title, unit_label="talents")


def all_charts(label=HOSTILE):
    return {
        "cumulative": cumulative(title=label),
        "bars": charts.bars(rows=[(label, 12, "12"), ("Another", None, "< 5")], title=label),
        "funnel": charts.funnel(steps=[(label, 100, "100"), ("Completed", 40, "40")], title=label),
        "shares": charts.share_bars(rows=[(label, 0.5, None, "n = 40")], title=label,
                                    legend=(label, "Placed")),
    }


@pytest.mark.parametrize("kind", ["cumulative", "bars", "funnel", "shares"])
def test_every_chart_is_an_accessible_scalable_svg(kind):
    root = parse(all_charts(label="Talents")[kind])
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img" and root.get("width") == "100%"
    assert "style" not in str(all_charts()[kind])  # the CSP forbids inline style
    title, desc = root.find("svg:title", NS), root.find("svg:desc", NS)
    assert title.text == "Talents" and desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    width = float(root.get("viewBox").split()[2])
    assert float(root.get("font-size")) * 390 / width >= 12  # text is readable on a 390 px phone
    assert all(e.get("font-size") is None for e in root.iter() if e is not root)  # nothing smaller


@pytest.mark.parametrize("kind", ["cumulative", "bars", "funnel", "shares"])
def test_hostile_labels_come_out_escaped(kind):
    markup = str(all_charts()[kind])
    assert "<script>" not in markup and 'alert("x")' not in markup
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in markup
    root = parse(markup)
    assert HOSTILE in text_of(root)  # what a reader sees is the label as typed
    assert not find(root, ".//svg:script") and not find(root, ".//script")


def test_each_chart_gets_its_own_ids_so_two_on_a_page_do_not_clash():
    a, b = parse(cumulative()), parse(cumulative())
    assert a.find("svg:title", NS).get("id") != b.find("svg:title", NS).get("id")


# --- the cumulative chart ----------------------------------------------------------------------------

def line_y(root, testid):
    (line,) = by_testid(root, testid)
    return float(line.get("y1"))


def test_a_higher_target_draws_the_target_line_higher():
    """Both targets below the actual total (12,000), so the scale is the same for both."""
    low, high = parse(cumulative(target=5_000, with_forecast=False)), \
        parse(cumulative(target=10_000, with_forecast=False))
    for root in (low, high):
        (line,) = by_testid(root, "target-line")
        assert line.get("y1") == line.get("y2")  # horizontal
    assert line_y(high, "target-line") < line_y(low, "target-line")  # SVG y grows downwards


def test_the_target_line_sits_where_the_y_axis_says():
    root = parse(cumulative(target=30_000))
    labels = {t.text: float(t.get("y")) - 5 for t in find(root, ".//svg:text[@class='chart-axis']")
              if t.text and t.text[0].isdigit()}
    assert labels["30,000"] == pytest.approx(line_y(root, "target-line"), abs=0.2)
    assert "Target 30,000" in text_of(root)


def test_the_trajectory_runs_from_zero_at_the_start_to_the_target_at_the_deadline():
    root = parse(cumulative(target=30_000))
    (trajectory,) = by_testid(root, "trajectory")
    zero = float(next(t for t in find(root, ".//svg:text[@class='chart-axis']") if t.text == "0").get("y")) - 5
    assert float(trajectory.get("y1")) == pytest.approx(zero, abs=0.2)
    assert float(trajectory.get("y2")) == pytest.approx(line_y(root, "target-line"), abs=0.2)
    assert float(trajectory.get("x2")) > float(trajectory.get("x1"))


def test_the_forecast_continues_from_the_last_actual_point_with_a_band():
    root = parse(cumulative())
    (actual,) = by_testid(root, "actual")
    (path,) = by_testid(root, "forecast-path")
    assert actual.get("points").split()[-1] == path.get("points").split()[0]
    assert len(actual.get("points").split()) == 13  # 0 at the start, then 12 month ends
    assert len(path.get("points").split()) == 1 + 24  # to June 2027
    assert by_testid(root, "forecast-band")
    assert "Forecast, 80% interval" in text_of(root)
    assert "Forecast at the deadline: 36,000" in root.find("svg:desc", NS).text


def test_without_a_forecast_there_is_no_band_nor_its_legend():
    root = parse(cumulative(with_forecast=False))
    assert not by_testid(root, "forecast-path") and not by_testid(root, "forecast-band")
    assert "interval" not in text_of(root)


def test_numbers_are_grouped_for_the_language():
    assert "1,000,000" in text_of(parse(cumulative(target=1_000_000)))
    with translation.override("id"):
        assert "1.000.000" in text_of(parse(cumulative(target=1_000_000)))


def test_month_labels_are_few_enough_to_fit_a_phone():
    root = parse(cumulative())
    month_labels = [t.text for t in find(root, ".//svg:text[@class='chart-axis']") if not t.text[0].isdigit()]
    assert 2 <= len(month_labels) <= 5
    assert all(re.fullmatch(r"[A-Z][a-z]{2} \d{4}", label) for label in month_labels)


# --- bars, funnel, shares ----------------------------------------------------------------------------

def test_bars_draw_one_bar_per_value_and_only_the_text_for_a_suppressed_one():
    rows = [("Universitas Indonesia", 1200, "1,200"), ("Universiti Malaya", 600, "600"),
            ("Small College", None, "< 5")]
    root = parse(charts.bars(rows=rows, title="Certified by university"))
    bars = by_testid(root, "bar")
    assert len(bars) == 2
    assert float(bars[0].get("width")) == pytest.approx(2 * float(bars[1].get("width")))
    assert "< 5" in text_of(root) and "Small College" in text_of(root)


def test_bars_past_the_limit_are_counted_not_drawn():
    rows = [(f"Country {i}", 100 - i, str(100 - i)) for i in range(25)]
    root = parse(charts.bars(rows=rows, title="By country", max_rows=20))
    assert len(by_testid(root, "bar")) == 20
    assert "and 5 more" in text_of(root)


def test_a_long_label_is_shortened_on_screen_and_kept_whole_in_its_tooltip():
    name = "The Very Long Official Name of a University of Science and Technology in a Province"
    root = parse(charts.bars(rows=[(name, 3, "3")], title="t"))
    assert name in [t.text for t in find(root, ".//svg:g/svg:title")]
    (label,) = find(root, ".//svg:text[@class='chart-label']")
    assert label.text.endswith("…") and len(label.text) <= charts.LABEL_CHARS


def test_the_funnel_gives_each_step_the_share_of_the_previous_one():
    steps = [("Enrolled", 1000, "1,000"), ("Completed", 400, "400"), ("Certified", 300, "300"),
             ("Applied", None, "< 5"), ("Placed", 3, "3")]
    root = parse(charts.funnel(steps=steps, title="From enrolment to a job"))
    bars = by_testid(root, "bar")
    assert len(bars) == 4
    assert float(bars[1].get("width")) == pytest.approx(0.4 * float(bars[0].get("width")))
    text = text_of(root)
    assert "40% of the previous step" in text and "75% of the previous step" in text
    assert text.count("of the previous step") == 2  # none beside or after the suppressed step


def test_share_bars_draw_two_bars_per_row_on_a_0_to_100_scale():
    rows = [("UI", 0.5, 0.25, "n = 200"), ("UM", 1.0, None, "n = 12")]
    root = parse(charts.share_bars(rows=rows, title="Outcomes", legend=("Certified", "Placed in 6 months")))
    bars = by_testid(root, "bar")
    assert len(bars) == 3
    widths = [float(b.get("width")) for b in bars]
    assert widths[0] == pytest.approx(2 * widths[1]) and widths[2] == pytest.approx(2 * widths[0])
    text = text_of(root)
    assert "50%" in text and "25%" in text and "< 5" in text and "UI (n = 200)" in text
    assert "Certified" in text and "Placed in 6 months" in text


@pytest.mark.parametrize("svg", [
    lambda: charts.cumulative_chart(months=[], actual=[], target=10, start=START, deadline=DEADLINE,
                                    forecast=None, title="Talents"),
    lambda: charts.bars(rows=[], title="Talents"),
    lambda: charts.funnel(steps=[], title="Talents"),
    lambda: charts.share_bars(rows=[], title="Talents", legend=("a", "b")),
], ids=["cumulative", "bars", "funnel", "shares"])
def test_empty_inputs_say_no_data_yet(svg):
    root = parse(svg())
    assert "No data yet" in text_of(root) and root.find("svg:title", NS).text == "Talents"


def test_all_zero_values_draw_no_bars_and_do_not_divide_by_zero():
    root = parse(charts.bars(rows=[("A", 0, "0"), ("B", 0, "0")], title="t"))
    assert [b.get("width") for b in by_testid(root, "bar")] == ["0.0", "0.0"]
    root = parse(charts.funnel(steps=[("A", 0, "0"), ("B", 0, "0")], title="t"))
    assert "previous step" not in text_of(root)
    root = parse(charts.cumulative_chart(months=months(3), actual=[0, 0, 0], target=0, start=START,
                                         deadline=DEADLINE, forecast=None, title="t"))
    assert by_testid(root, "target-line")


def test_every_chart_class_has_a_rule_in_the_stylesheet():
    css = (Path(forward.__file__).parent / "static" / "forward" / "forward.css").read_text(encoding="utf-8")
    used = set()
    for svg in all_charts().values():
        for element in parse(svg).iter():
            used.update(c for c in (element.get("class") or "").split() if c.startswith("chart-"))
    used -= {"chart-cumulative", "chart-bars", "chart-funnel", "chart-shares"}  # the chart's kind, a hook
    missing = sorted(c for c in used if f".{c}" not in css)
    assert not missing, missing
