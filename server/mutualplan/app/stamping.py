"""Stamping a plan from a template, and adopting a copy of one as a plan of its own."""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import date

from mutualplan.app.ports import Workbook
from mutualplan.app.records import PlanRecord
from mutualplan.errors import InputError, NoPlanTableError
from mutualplan.plan.dates.reading import format_day
from mutualplan.plan.dates.stamp import Deal, layouts, log_layout
from mutualplan.plan.dates.template import Template
from mutualplan.plan.sheet.layout import (
    AddTab,
    ClearRows,
    Kind,
    PlanMarker,
    PlanTabs,
    Protect,
    SetCell,
    SetMarker,
    Value,
    Write,
    free_title,
)
from mutualplan.plan.sheet.parse import parse
from mutualplan.plan.sheet.vocabulary import Column


def new_plan_id() -> str:
    """A fresh, unguessable plan id."""
    return f"plan-{secrets.token_hex(4)}"


def stamp(workbook: Workbook, template: Template, deal: Deal, today: date, plan_id: str) -> PlanMarker:
    """Stamp a plan from a template into the workbook in one write; existing tabs are never overwritten.
    A go-live closer than the template needs is stamped all the same (mid-deal); one not after today is
    refused."""
    if deal.go_live <= today:
        raise InputError(
            f"The go-live {format_day(deal.go_live)} is not after today: pick the customer's go-live"
        )
    taken = set(workbook.tabs())
    tabs, titles = [], {}  # the contract's title → the title free in this spreadsheet
    for layout in layouts(template, deal, today):
        titles[layout.title] = title = free_title(layout.title, taken)
        taken.add(title)
        tabs.append(replace(layout, title=title))
    named = PlanTabs(*(titles[wanted] for wanted in PlanTabs()))
    marker = PlanMarker(plan_id, workbook.spreadsheet_id, deal.owner, *named)
    workbook.apply([*(AddTab(tab) for tab in tabs), SetMarker(marker, replacing=workbook.marker_edited())])
    return marker


def restore_marker(workbook: Workbook, record: PlanRecord) -> PlanMarker:
    """Write the marker of the plan the store follows in this spreadsheet again, over one another app
    edited: the store's record, not the sheet, says which plan it is."""
    marker = PlanMarker(record.id, record.spreadsheet_id, record.owner, *record.tabs)
    workbook.apply([SetMarker(marker)])
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
