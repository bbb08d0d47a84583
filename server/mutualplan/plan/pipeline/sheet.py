"""The Pipeline spreadsheet: a tab of every visible deal and a tab of weekly scores (one row per deal per
week, for a chart in Sheets), both written by mutualplan alone: values only, never a formula, protected."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from mutualplan.plan.sheet.grid import CellValue
from mutualplan.plan.sheet.layout import AddTab, ClearRows, Kind, SetRows, TabLayout, Value, Write

PIPELINE_TAB, WEEKLY_TAB = "Pipeline", "Weekly scores"
WEEKLY_HEADINGS = (
    "Deal", "Week", "Status", "Confirmed, next 30 days", "Signature supported", "Slips this week",
    "Overdue steps",
)  # fmt: skip


def values_of(rows: Sequence[Sequence[CellValue]]) -> tuple[tuple[Value, ...], ...]:
    """Rows as values to write: text stays text, a flag reads yes or no, numbers and dates as such."""
    return tuple(tuple(_value(cell) for cell in row) for row in rows)


def _value(cell: CellValue) -> Value:
    # By the cell's exact type, looked up once: a refresh writes a couple of hundred thousand cells.
    if cell is True or cell is False:
        return _FLAGS[cell]
    return Value(_KINDS.get(type(cell), Kind.TEXT), cell)


_FLAGS = {True: Value(Kind.TEXT, "yes"), False: Value(Kind.TEXT, "no")}
_KINDS: dict[type, Kind] = {int: Kind.NUMBER, float: Kind.NUMBER, date: Kind.DATE, str: Kind.TEXT}


def refresh_writes(
    viewer: str,
    present: Collection[str],
    headings: Sequence[str],
    deals: Sequence[Sequence[CellValue]],
    weekly: Sequence[Sequence[CellValue]],
) -> list[Write]:
    """One refresh, to apply in one write: each tab there is cleared below its header and written; a tab
    missing (new, or deleted by hand) is added with its rows, protected for the viewer alone."""
    writes: list[Write] = []
    for title, header, rows in ((PIPELINE_TAB, headings, deals), (WEEKLY_TAB, WEEKLY_HEADINGS, weekly)):
        body = values_of(rows)
        if title in present:
            writes += [ClearRows(title, 1), SetRows(title, 1, 0, body)] if body else [ClearRows(title, 1)]
        else:
            head = values_of([header])[0]
            layout = TabLayout(title, (head, *body), frozen_rows=1, protected=True, editor=viewer)
            writes.append(AddTab(layout))
    return writes
