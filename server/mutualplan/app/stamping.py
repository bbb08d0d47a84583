"""Use cases as plain functions: they take inputs and ports, and do the work through them."""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import date

from mutualplan.app.ports import Workbook
from mutualplan.errors import InputError, NoPlanTableError
from mutualplan.plan.dates import DateProblem, read_date
from mutualplan.plan.grid import Cell, parse_a1
from mutualplan.plan.history import History
from mutualplan.plan.layout import (
    MAP_TAB,
    AddTab,
    ClearRows,
    ColumnSpec,
    Kind,
    PlanMarker,
    Protect,
    SetCell,
    SetMarker,
    Value,
    Write,
    free_title,
)
from mutualplan.plan.marks import mark_writes
from mutualplan.plan.parse import parse
from mutualplan.plan.review import Report, review
from mutualplan.plan.stamp import PLAN_COLUMNS, Deal, layouts, log_layout
from mutualplan.plan.template import Template
from mutualplan.plan.text import value_key
from mutualplan.plan.vocabulary import Column, boolean_index


def new_plan_id() -> str:
    """A fresh, unguessable plan id."""
    return f"plan-{secrets.token_hex(4)}"


def stamp(workbook: Workbook, template: Template, deal: Deal, today: date, plan_id: str) -> PlanMarker:
    """Stamp a plan from a template into the workbook in one write; existing tabs are never overwritten."""
    taken = set(workbook.tabs())
    tabs = []
    for layout in layouts(template, deal, today):
        title = free_title(layout.title, taken)
        taken.add(title)
        tabs.append(replace(layout, title=title))
    map_tab, stakeholders_tab, log_tab = (tab.title for tab in tabs)
    marker = PlanMarker(plan_id, workbook.spreadsheet_id, deal.owner, map_tab, stakeholders_tab, log_tab)
    workbook.apply([*(AddTab(tab) for tab in tabs), SetMarker(marker)])
    return marker


def adopt_copy(workbook: Workbook, plan_id: str, owner: str | None = None) -> PlanMarker | None:
    """Make a copy of a stamped plan (a template-gallery copy, "Make a copy") a plan of its own, in one write.

    The copy gets its own plan id and owner (by default the original's); its confirmations and
    Log are cleared, since they were given for the original deal; the Log and ID protections are
    repaired for the owner. None when the workbook holds no plan or holds the original itself.
    """
    original = workbook.marker()
    if original is None or not original.is_copy_in(workbook.spreadsheet_id):
        return None
    adopted = replace(original, plan_id=plan_id, spreadsheet_id=workbook.spreadsheet_id)
    adopted = replace(adopted, owner=owner or original.owner)
    tabs = workbook.tabs()
    writes: list[Write] = []
    if original.tab in tabs:
        writes += _unconfirm_writes(workbook, original.tab)
    if original.log_tab in tabs:
        writes += [ClearRows(original.log_tab, 1), Protect(original.log_tab)]
    else:  # the copy lost its Log: give it a fresh one
        log = log_layout(free_title(original.log_tab, set(tabs)))
        writes.append(AddTab(log))
        adopted = replace(adopted, log_tab=log.title)
    workbook.apply([*writes, SetMarker(adopted)])
    return adopted


def _unconfirm_writes(workbook: Workbook, tab: str) -> list[Write]:
    """Untick every Customer confirmed and blank every Confirmed by; protect the ID column again."""
    try:
        plan = parse(workbook.read(tab)).plan
    except NoPlanTableError:
        return []
    confirmed_col, by_col = plan.columns.get(Column.CONFIRMED), plan.columns.get(Column.CONFIRMED_BY)
    writes: list[Write] = []
    for row in plan.rows:
        if confirmed_col is not None and row.confirmed:
            writes.append(SetCell(tab, row.sheet_row - 1, confirmed_col, Value(Kind.BOOL, False)))
        if by_col is not None and row.confirmed_by:
            writes.append(SetCell(tab, row.sheet_row - 1, by_col, Value(Kind.PERSON, None)))
    id_col = plan.columns.get(Column.ID)
    if id_col is not None:
        writes.append(Protect(tab, id_col, plan.header_row - 1))
    return writes


def plan_tab(workbook: Workbook) -> str:
    """The tab holding the plan: the marker's, else MAP."""
    marker = workbook.marker()
    return marker.tab if marker else MAP_TAB


def validate(
    workbook: Workbook,
    today: date,
    locale: str | None = None,
    history: History | None = None,
    tab: str | None = None,
) -> Report:
    """Check the plan and mark the sheet: one read, one write (and one for the plan's tab, unless given)."""
    tab = tab or plan_tab(workbook)
    report = review(workbook.read(tab), today, locale, history)
    workbook.apply(mark_writes(report, tab))
    return report


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


def set_cell(workbook: Workbook, cell: str, text: str, editor: str, tab: str | None = None) -> Value:
    """One edit by a person: the text typed into a cell, typed by its plan column."""
    tab = tab or plan_tab(workbook)
    try:
        row, col = parse_a1(cell)
    except ValueError as exc:
        raise InputError(f"'{cell}' is not a cell name like G12") from exc
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
