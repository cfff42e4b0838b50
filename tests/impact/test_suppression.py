"""selectors.suppression / suppression_grid: small groups withheld, and never a single withheld cell
that the total minus the others would give away."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from forward.impact.selectors import COMPLEMENT, SMALL, suppression, suppression_grid


def test_a_single_small_cell_takes_the_smallest_other_with_it():
    assert suppression([40, 12, 3]) == ["", COMPLEMENT, SMALL]
    assert suppression([40, 3, 2]) == ["", SMALL, SMALL]  # two withheld: neither is the total minus the rest
    assert suppression([40, 12]) == ["", ""]
    assert suppression([3]) == [SMALL]  # nothing else to withhold (the total itself is a small group)
    assert suppression([0, 7, 3]) == ["", COMPLEMENT, SMALL]  # an empty cell hides nothing


def test_cells_the_viewer_sees_exactly_are_neither_withheld_nor_chosen_first():
    assert suppression([40, 12, 3], [False, True, False]) == [COMPLEMENT, "", SMALL]
    assert suppression([40, 12, 3], [False, False, True]) == ["", "", ""]
    assert suppression([40, 3], [True, False]) == ["", SMALL]  # they know their 40 whatever is withheld


def test_a_grid_withholds_until_no_row_or_column_has_a_single_withheld_cell():
    cells = {("SG", 1): 20, ("SG", 2): 30, ("MY", 1): 3, ("MY", 2): 9, ("ID", 1): 8, ("ID", 2): 6}
    flags = suppression_grid(cells, by_column=True)
    assert flags[("MY", 1)] == SMALL
    withheld = {cell for cell, flag in flags.items() if flag}
    for line in ([c for c in cells if c[0] == r] for r in ("SG", "MY", "ID")):
        assert len(withheld.intersection(line)) != 1
    for line in ([c for c in cells if c[1] == m] for m in (1, 2)):
        assert len(withheld.intersection(line)) != 1


@given(st.dictionaries(st.tuples(st.integers(0, 5), st.integers(0, 5)), st.integers(0, 30), max_size=36))
def test_no_line_is_left_with_one_withheld_cell_while_others_could_be_withheld(cells):
    flags = suppression_grid(cells, by_column=True)
    for cell, n in cells.items():
        if 0 < n < 5:
            assert flags[cell] == SMALL
    for axis in (0, 1):
        for key in {cell[axis] for cell in cells}:
            line = [cell for cell in cells if cell[axis] == key]
            withheld = [cell for cell in line if flags[cell]]
            if len(withheld) == 1:  # allowed only when nothing else in the line has anyone to withhold
                assert all(cells[cell] == 0 for cell in line if cell not in withheld)
