"""One edit by a person: text typed into a cell, read the way its plan column takes it."""

from __future__ import annotations

from dataclasses import dataclass

from mutualplan.app.ports import Workbook
from mutualplan.app.reading import plan_tabs
from mutualplan.config import MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS, Config
from mutualplan.errors import InputError, NoPlanTableError
from mutualplan.plan.dates.reading import DateProblem, read_date
from mutualplan.plan.dates.stamp import PLAN_COLUMNS
from mutualplan.plan.sheet.grid import Cell, parse_a1
from mutualplan.plan.sheet.layout import ColumnSpec, Kind, SetCell, Value
from mutualplan.plan.sheet.parse import parse
from mutualplan.plan.sheet.text import value_key
from mutualplan.plan.sheet.vocabulary import boolean_index

CELL_NAME_CHARS = 12  # XFD1048576 and a little more: nothing longer names a cell


def typed_value(kind: Kind, options: tuple[str, ...], column: str, text: str) -> Value:
    """Text typed into a cell, read the way its column takes it; an InputError says what fits."""
    if not text.strip():
        return Value(kind, None)
    if kind is Kind.DATE:
        reading = read_date(Cell(text), None, None)
        if reading.value is None or reading.problem is DateProblem.AMBIGUOUS:
            raise InputError(f"{column} takes a date such as 2027-02-02, not '{text}'")
        return Value(kind, reading.value)
    if kind is Kind.BOOL:
        truth = boolean_index().get(value_key(text))
        if truth is None:
            raise InputError(f"{column} is a checkbox: give TRUE or FALSE, not '{text}'")
        return Value(kind, truth)
    if options:
        chosen = next((option for option in options if value_key(option) == value_key(text)), None)
        if chosen is None:
            raise InputError(f"{column} is one of {', '.join(options)}, not '{text}'")
        return Value(kind, chosen)
    return Value(kind, text)


@dataclass(frozen=True, slots=True)
class SheetLimits:
    """How large a plan's tab and its cells may be: an edit past them is refused before anything is saved."""

    rows: int = MAX_ROWS
    columns: int = MAX_COLUMNS
    cell_chars: int = MAX_CELL_CHARS

    @classmethod
    def of(cls, config: Config) -> SheetLimits:
        """The limits the settings name."""
        return cls(config.max_rows, config.max_columns, config.max_cell_chars)


def set_cell(
    workbook: Workbook,
    cell: str,
    text: str,
    editor: str,
    tab: str | None = None,
    limits: SheetLimits = SheetLimits(),
) -> Value:
    """One edit by a person: the text typed into a cell, typed by its plan column."""
    if len(cell) > CELL_NAME_CHARS:
        raise InputError(f"'{cell[:CELL_NAME_CHARS]}…' is not a cell name like G12")
    try:
        row, col = parse_a1(cell)
    except ValueError as exc:
        raise InputError(f"'{cell}' is not a cell name like G12") from exc
    if row > limits.rows or col > limits.columns:
        raise InputError(
            f"{cell} is past the plan's limit of {limits.rows} rows and {limits.columns} columns "
            "(MUTUALPLAN_MAX_ROWS, MUTUALPLAN_MAX_COLUMNS)"
        )
    if len(text) > limits.cell_chars:
        raise InputError(f"a cell holds at most {limits.cell_chars:,} characters (MUTUALPLAN_MAX_CELL_CHARS)")
    tab = tab or plan_tabs(workbook).map
    spec = _column_at(workbook, tab, row, col)
    value = typed_value(spec.kind, spec.options, spec.name, text) if spec else Value(Kind.TEXT, text or None)
    workbook.apply([SetCell(tab, row - 1, col - 1, value)], editor=editor)
    return value


def _column_at(workbook: Workbook, tab: str, row: int, col: int) -> ColumnSpec | None:
    """The plan column a cell of the table stands in (1-based row and column)."""
    try:
        plan = parse(workbook.read(tab)).plan
    except NoPlanTableError:
        return None
    if row <= plan.header_row:
        return None
    column = next((column for column, index in plan.columns.items() if index == col - 1), None)
    return next((spec for spec in PLAN_COLUMNS if spec.name == column), None)
