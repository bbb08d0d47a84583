"""Grids of cells, the only shape in which the domain sees a spreadsheet tab."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

CellValue = str | int | float | bool | date | datetime | None


@dataclass(frozen=True, slots=True)
class PersonChip:
    """A people chip in a cell: a name as shown and, when known, an email."""

    name: str
    email: str | None = None


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell: its value, whether it holds a formula, its chips and link."""

    value: CellValue = None
    is_formula: bool = False
    chips: tuple[PersonChip, ...] = ()
    hyperlink: str | None = None

    @property
    def is_blank(self) -> bool:
        """True when the cell holds nothing a person typed."""
        if self.chips or self.is_formula:
            return False
        value = self.value
        return value is None or (isinstance(value, str) and not value.strip())


BLANK = Cell()


@dataclass(frozen=True, slots=True)
class Merge:
    """A merged range, 0-based and inclusive, as rows and columns of the grid."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int


@dataclass(frozen=True, slots=True)
class Grid:
    """Rows of cells; row 0 is the sheet's row 1, column 0 is column A."""

    rows: Sequence[Sequence[Cell]]
    merges: Sequence[Merge] = field(default_factory=tuple)

    def cell(self, row: int, col: int) -> Cell:
        """The cell at (row, col), blank when outside the data."""
        if row < len(self.rows):
            cells = self.rows[row]
            if col < len(cells):
                return cells[col]
        return BLANK


def grid_of(values: Sequence[Sequence[CellValue]]) -> Grid:
    """A grid of plain values (no formulas, chips or links)."""
    return Grid(rows=[[Cell(value) for value in row] for row in values])


_A1 = re.compile(r"^([A-Za-z]{1,3})([1-9][0-9]*)$")


@lru_cache(maxsize=1024)
def column_letters(col: int) -> str:
    """Column letters for a 1-based column number: 1 → A, 27 → AA."""
    if col < 1:
        raise ValueError(f"column numbers start at 1, not {col}")
    letters = ""
    while col:
        col, remainder = divmod(col - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def column_number(letters: str) -> int:
    """The 1-based column number of column letters: A → 1, AA → 27."""
    if not letters.isascii() or not letters.isalpha():
        raise ValueError(f"{letters!r} is not a column name")
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def a1(row: int, col: int) -> str:
    """The A1 name of a 1-based (row, column): (3, 2) → B3."""
    if row < 1:
        raise ValueError(f"row numbers start at 1, not {row}")
    return f"{column_letters(col)}{row}"


def parse_a1(name: str) -> tuple[int, int]:
    """The 1-based (row, column) of an A1 name: B3 → (3, 2)."""
    match = _A1.match(name.strip())
    if not match:
        raise ValueError(f"{name!r} is not a cell name like B3")
    return int(match.group(2)), column_number(match.group(1))
