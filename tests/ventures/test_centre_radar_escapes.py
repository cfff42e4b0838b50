"""The radar chart is the one ventures HTML written in Python: every value in it is escaped."""

from forward.ventures import readiness


def test_a_hostile_title_is_escaped_and_the_chart_has_one_point_per_area():
    svg = str(readiness.radar_svg(dict.fromkeys(readiness.AREAS, 3), title='</title><script>alert(1)</script>'))
    assert "<script>" not in svg
    assert "&lt;/title&gt;&lt;script&gt;" in svg
    assert svg.count("<circle") == len(readiness.AREAS)
