"""An .xlsx file through the Workbook port: dropdowns, checkboxes, date rules and an overdue colour."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.formatting.rule import FormulaRule
from openpyxl.packaging.custom import CustomPropertyList, StringProperty
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from mutualplan.adapters.xlsx import read_xlsx
from mutualplan.app.records import SpreadsheetSettings
from mutualplan.errors import WorkbookError
from mutualplan.plan.checks.findings import Severity
from mutualplan.plan.sheet.grid import Grid
from mutualplan.plan.sheet.layout import (
    AddTab,
    ClearRows,
    Kind,
    PlanMarker,
    Protect,
    SetCell,
    SetHeadMark,
    SetMarker,
    SetMarks,
    SetRows,
    TableSpec,
    Value,
    Write,
)
from mutualplan.plan.sheet.vocabulary import Column, Status

MARKER_PROPERTY = "mutualplan.plan"
HEAD_PROPERTY = "mutualplan.head"
SPARE_ROWS = 200  # rows below the table that keep its dropdowns and checkboxes, for new steps
FILLS = {
    Severity.ERROR: PatternFill("solid", fgColor="F4C7C3"),
    Severity.WARNING: PatternFill("solid", fgColor="FCE8B2"),
    Severity.INFO: PatternFill("solid", fgColor="C9DAF8"),
}
OVERDUE_FILL = PatternFill("solid", fgColor="F4C7C3")
NO_FILL = PatternFill(fill_type=None)
DATE_FORMAT = "yyyy-mm-dd"


class XlsxWorkbook:
    """One .xlsx file; each apply loads it, writes, and saves it whole."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def spreadsheet_id(self) -> str:
        """The file's full path: the identity of a file on disk."""
        return str(self.path.resolve())

    def tabs(self) -> list[str]:
        """The tab titles, in order ([] for a file not made yet)."""
        if not self.path.exists():
            return []
        return list(self._load().sheetnames)

    def read(self, tab: str) -> Grid:
        """Every cell of one tab."""
        return read_xlsx(self.path, tab)

    def read_tabs(self, tabs: Sequence[str], write_to: Sequence[str] = ()) -> dict[str, Grid]:
        """Several tabs; a tab that does not exist is left out."""
        present = set(self.tabs())
        return {tab: self.read(tab) for tab in tabs if tab in present}

    def marker(self) -> PlanMarker | None:
        """The plan marker kept in the file's custom properties."""
        found = self._property(MARKER_PROPERTY)
        return PlanMarker.from_json(found) if found else None

    def marker_edited(self) -> bool:
        """Whether the custom property holds a marker that does not parse (edited in File > Properties)."""
        found = self._property(MARKER_PROPERTY)
        return found is not None and PlanMarker.from_json(found) is None

    def tab_gid(self, tab: str) -> int | None:
        """None: a link to this workbook opens the plan's tab by itself."""
        return None

    def head_mark(self) -> str | None:
        """The audit head kept in the file's custom properties."""
        return self._property(HEAD_PROPERTY)

    def _property(self, name: str) -> str | None:
        if not self.path.exists():
            return None
        for prop in _custom_props(self._load()).props:
            if prop.name == name and isinstance(prop.value, str):
                return prop.value
        return None

    def settings(self) -> SpreadsheetSettings | None:
        """None: an .xlsx file keeps no time zone or locale, so the caller's zone serves."""
        return None

    def apply(self, writes: Sequence[Write], editor: str | None = None) -> None:
        """Apply the writes and save the file once (xlsx has no editors: editor is not kept)."""
        book = self._load() if self.path.exists() else _empty_book()
        for write in writes:
            if isinstance(write, AddTab):
                _add_tab(book, write)
            elif isinstance(write, SetCell):
                cell = book[write.tab].cell(write.row + 1, write.col + 1)
                _write_value(cell, write.value)
                if write.note is not None:
                    cell.comment = Comment(write.note, "mutualplan") if write.note else None
            elif isinstance(write, SetRows):
                sheet = book[write.tab]
                for offset, values in enumerate(write.rows):
                    for col_offset, value in enumerate(values):
                        _write_value(sheet.cell(write.row + offset + 1, write.col + col_offset + 1), value)
            elif isinstance(write, SetMarks):
                _set_marks(book[write.tab], write)
            elif isinstance(write, ClearRows):
                sheet = book[write.tab]
                sheet.delete_rows(write.first_row + 1, max(sheet.max_row - write.first_row, 0))
            elif isinstance(write, Protect) and write.col is None:
                # xlsx protects whole sheets only: a column's protection is Google's and the local workbook's.
                book[write.tab].protection.sheet = True
            elif isinstance(write, SetMarker):
                _set_property(book, MARKER_PROPERTY, json.dumps(asdict(write.marker)))
            elif isinstance(write, SetHeadMark):
                _set_property(book, HEAD_PROPERTY, write.text)
        try:
            book.save(self.path)
        except OSError as exc:
            raise WorkbookError(f"can't write {self.path}: {exc.strerror}") from exc

    def _load(self) -> OpenpyxlWorkbook:
        try:
            return load_workbook(self.path)
        except (OSError, ValueError, KeyError) as exc:
            raise WorkbookError(f"{self.path.name} is not a readable .xlsx file") from exc


def _set_property(book: OpenpyxlWorkbook, name: str, value: str) -> None:
    props = _custom_props(book)
    props.props = [prop for prop in props.props if prop.name != name]
    props.append(StringProperty(name=name, value=value))


def _custom_props(book: OpenpyxlWorkbook) -> CustomPropertyList[Any]:
    """The workbook's custom document properties (openpyxl has them; its stubs don't)."""
    props: CustomPropertyList[Any] = book.custom_doc_props  # type: ignore[attr-defined]
    return props


def _empty_book() -> OpenpyxlWorkbook:
    book = OpenpyxlWorkbook()
    if book.active is not None:
        book.remove(book.active)
    return book


def _add_tab(book: OpenpyxlWorkbook, write: AddTab) -> None:
    layout = write.layout
    if layout.title in book.sheetnames:
        raise WorkbookError(f"a tab named '{layout.title}' exists; a new tab never overwrites one")
    sheet = book.create_sheet(layout.title)
    for row_index, values in enumerate(layout.rows, 1):
        for col_index, value in enumerate(values, 1):
            if value.value not in (None, ""):
                _write_value(sheet.cell(row_index, col_index), value)
    if layout.frozen_rows:
        sheet.freeze_panes = f"A{layout.frozen_rows + 1}"
    if layout.table:
        _type_table(sheet, layout.table, len(layout.rows))
    if layout.protected:
        sheet.protection.sheet = True


def _write_value(cell: Any, value: Value) -> None:
    """One value, typed; text is stored as text even when it starts with = + - @."""
    raw = value.value
    cell.value = None if raw == "" else raw
    if isinstance(raw, str):
        cell.data_type = "s"  # openpyxl would otherwise make "=…" a formula
    elif value.kind is Kind.DATE and isinstance(raw, date):
        cell.number_format = DATE_FORMAT


def _type_table(sheet: Worksheet, table: TableSpec, height: int) -> None:
    """Dropdowns, checkboxes and date rules on the table's columns, and the overdue colour."""
    first, last = table.header_row + 2, height + SPARE_ROWS
    for col_index, spec in enumerate(table.columns, 1):
        letter = get_column_letter(col_index)
        rule = _validation(spec.kind, spec.options)
        if rule is not None:
            sheet.add_data_validation(rule)
            rule.add(f"{letter}{first}:{letter}{last}")
    due, status = table.column(Column.DUE), table.column(Column.STATUS)
    if due is not None and status is not None:
        due_letter, status_letter = get_column_letter(due + 1), get_column_letter(status + 1)
        overdue = (
            f'AND(${due_letter}{first}<>"",${due_letter}{first}<TODAY(),'
            f'${status_letter}{first}<>"{Status.DONE.value}")'
        )
        width = get_column_letter(len(table.columns))
        sheet.conditional_formatting.add(
            f"A{first}:{width}{last}",
            FormulaRule(formula=[overdue], fill=OVERDUE_FILL),  # type: ignore[no-untyped-call]
        )


def _validation(kind: Kind, options: tuple[str, ...]) -> DataValidation | None:
    if options:
        return DataValidation(type="list", formula1=f'"{",".join(options)}"', allow_blank=True)
    if kind is Kind.BOOL:
        return DataValidation(type="list", formula1='"TRUE,FALSE"', allow_blank=True)
    if kind is Kind.DATE:
        return DataValidation(
            type="date", operator="greaterThan", formula1="1", allow_blank=True,
            error="Type a date such as 2027-02-02", showErrorMessage=True,
        )  # fmt: skip
    return None


def _set_marks(sheet: Worksheet, write: SetMarks) -> None:
    for cells in sheet.iter_rows():
        for cell in cells:
            cell.comment = None
            cell.fill = NO_FILL
    for row_index in range(write.first_row + 1, sheet.max_row + 1):
        sheet.cell(row_index, write.check_col + 1).value = None
    for check_row, text in write.checks:
        _write_value(sheet.cell(check_row + 1, write.check_col + 1), Value(Kind.TEXT, text))
    notes: dict[tuple[int, int], list[str]] = {}
    for mark in write.marks:
        cell = sheet.cell(mark.row + 1, mark.col + 1)
        if cell.fill.fill_type is None:  # the worst mark comes first and keeps its colour
            cell.fill = FILLS[mark.severity]
        notes.setdefault((mark.row, mark.col), []).append(mark.note)
    for (row, col), texts in notes.items():
        sheet.cell(row + 1, col + 1).comment = Comment("\n".join(texts), "mutualplan")
