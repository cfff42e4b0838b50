"""CSV cells that a spreadsheet would run as formulas are written as text; numbers stay numbers."""

import csv
import io

import pytest

from forward.core.spreadsheet import SafeWriter, safe_cell


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(1+1)", "\t=1", "\r=1",
                                  "=cmd|' /C calc'!A0", "-"])
def test_text_that_starts_a_formula_gets_a_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [-0.5, 0.5, -3, 0, 12.25, None, True])
def test_numbers_and_empty_cells_are_left_alone(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize("text", ["Gradient Gang", "", "a=b", "2026-01-31T10:00:00+00:00", "x-y", "'quoted"])
def test_ordinary_text_is_unchanged(text):
    assert safe_cell(text) == text


def test_the_writer_quotes_formulas_and_keeps_negative_scores_numeric():
    out = io.StringIO()
    SafeWriter(out).writerow(["=1+2", -0.5, "@me", 3, None])
    assert out.getvalue() == "'=1+2,-0.5,'@me,3,\r\n"
    assert next(csv.reader(io.StringIO(out.getvalue()))) == ["'=1+2", "-0.5", "'@me", "3", ""]


def test_the_streaming_writer_returns_each_line():
    assert SafeWriter().writerow(["+44 20", 1.5]) == "'+44 20,1.5\r\n"
