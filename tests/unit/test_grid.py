"""A1 names and column letters: pure helpers with round trips."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mutualplan.plan.sheet.grid import Cell, PersonChip, a1, column_letters, column_number, grid_of, parse_a1


@pytest.mark.parametrize(
    ("col", "letters"), [(1, "A"), (26, "Z"), (27, "AA"), (52, "AZ"), (702, "ZZ"), (703, "AAA")]
)
def test_column_letters_count_like_a_spreadsheet(col: int, letters: str) -> None:
    assert column_letters(col) == letters
    assert column_number(letters) == col


@given(st.integers(min_value=1, max_value=1_000_000), st.integers(min_value=1, max_value=18_278))
def test_a1_names_round_trip(row: int, col: int) -> None:
    assert parse_a1(a1(row, col)) == (row, col)


@pytest.mark.parametrize("bad", ["", "A0", "1A", "A-1", "ÄB3", "B 3x", "ABCD1"])
def test_a_malformed_a1_name_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="cell name"):
        parse_a1(bad)


def test_row_and_column_numbers_start_at_one() -> None:
    with pytest.raises(ValueError, match="start at 1"):
        a1(0, 1)
    with pytest.raises(ValueError, match="start at 1"):
        column_letters(0)


def test_a_cell_with_only_spaces_or_nothing_is_blank_but_a_chip_is_not() -> None:
    assert Cell("   ").is_blank
    assert Cell(None).is_blank
    assert not Cell(0).is_blank
    assert not Cell(None, chips=(PersonChip("Jane Doe", "jane@acme.com"),)).is_blank


def test_a_grid_answers_blank_outside_its_data() -> None:
    grid = grid_of([["a", "b"], ["c"]])
    assert grid.cell(1, 0).value == "c"
    assert grid.cell(1, 5).is_blank
    assert grid.cell(9, 0).is_blank


def test_a_formula_cell_is_not_blank_even_before_it_is_computed() -> None:
    assert not Cell(None, is_formula=True).is_blank
