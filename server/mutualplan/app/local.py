"""Plans on this machine: the journeys of the CLI and the sandbox over the embedded spreadsheets.

They are the sidebar's journeys with a person named instead of signed in: the embedded workbook knows
who edited each cell, so every edit is synced at once and attributed to its editor."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from mutualplan.app.editing import SheetLimits, set_cell
from mutualplan.app.following import open_plan, stamp_plan
from mutualplan.app.ports import LocalSheet, LocalSheets
from mutualplan.app.reading import plan_tabs
from mutualplan.app.records import PlanRecord, SpreadsheetInfo
from mutualplan.app.services import Services
from mutualplan.app.sync import SyncResult
from mutualplan.app.syncing import sync_now
from mutualplan.app.validating import history_of, validate
from mutualplan.errors import InputError, NotFoundError, SyncConflictError, WorkbookError
from mutualplan.plan.checks.review import Report
from mutualplan.plan.dates.stamp import Deal
from mutualplan.plan.history.diff import Editors
from mutualplan.plan.sheet.layout import Value


@dataclass(frozen=True)
class LocalPlan:
    """An embedded spreadsheet as a plan's access: its own per-cell editors, no Drive."""

    sheet: LocalSheet

    @property
    def workbook(self) -> LocalSheet:
        """The plan's spreadsheet."""
        return self.sheet

    def editors(self, tab: str) -> Editors:
        """Who last edited each cell."""
        return self.sheet.editors(tab)

    @property
    def modified_time(self) -> str | None:
        """No Drive here."""
        return None


@dataclass(frozen=True, slots=True)
class Edit:
    """One edit, and what its sync recorded."""

    value: Value
    synced: SyncResult | None  # None when the spreadsheet holds no plan, or the sync was handed over
    queued: bool = False  # saved; busy rival syncs left its sync to the next one


def sheets_of(services: Services) -> LocalSheets:
    """The embedded spreadsheets (the local and sandbox wirings have them)."""
    if services.sheets is None:
        raise WorkbookError("this server keeps no local spreadsheets")
    return services.sheets


def local_plans(services: Services) -> list[SpreadsheetInfo]:
    """The local spreadsheets that hold a plan."""
    return [item for item in sheets_of(services).spreadsheets() if item.plan_id]


def open_local(
    services: Services, plan_or_spreadsheet: str, owner: str | None = None
) -> tuple[LocalSheet, PlanRecord | None]:
    """A local spreadsheet (by plan or spreadsheet id) and the plan it holds, followed (a copy adopted,
    owned by owner, by default the original's owner)."""
    sheet = sheets_of(services).open(plan_or_spreadsheet)
    return sheet, _plan_in(services, sheet, owner)


def _plan_in(services: Services, sheet: LocalSheet, owner: str | None = None) -> PlanRecord | None:
    drive = services.platform.drive_for_owner(owner or "")
    title = sheets_of(services).title(sheet.spreadsheet_id)
    return open_plan(services, LocalPlan(sheet), drive, title, "UTC", owner)


def record_of(services: Services, plan_or_spreadsheet: str) -> tuple[LocalSheet, PlanRecord]:
    """A local plan and its record; NotFoundError when the spreadsheet holds none."""
    sheet, record = open_local(services, plan_or_spreadsheet)
    if record is None:
        raise NotFoundError(f"spreadsheet {sheet.spreadsheet_id} holds no stamped plan")
    return sheet, record


def new_local_plan(services: Services, template_name: str, deal: Deal, today: date, title: str) -> PlanRecord:
    """Stamp a plan into a new local spreadsheet and follow it."""
    return stamp_local_plan(services, sheets_of(services).create(title), template_name, deal, today)


def stamp_local_plan(
    services: Services, sheet: LocalSheet, template_name: str, deal: Deal, today: date
) -> PlanRecord:
    """Stamp a plan into a local spreadsheet and follow it."""
    drive = services.platform.drive_for_owner(deal.owner)
    title = sheets_of(services).title(sheet.spreadsheet_id)
    return stamp_plan(services, LocalPlan(sheet), drive, template_name, deal, today, title, "UTC")


class Typed(NamedTuple):
    """What a person types into one cell."""

    cell: str
    text: str
    editor: str


def edit_cell(
    services: Services, plan_or_spreadsheet: str, cell: str, text: str, editor: str, tab: str | None = None
) -> Edit:
    """A person types into a cell; a plan's edit is synced (and attributed) before this returns."""
    return edit_cells(services, plan_or_spreadsheet, [Typed(cell, text, editor)], tab)


def edit_cells(
    services: Services, plan_or_spreadsheet: str, typed: Sequence[Typed], tab: str | None = None
) -> Edit:
    """People type into cells, one after another; a plan is synced once, after the last, each cell
    attributed to whoever typed it (the last value written is the answer's)."""
    if not typed:
        raise InputError("say which cells to edit")
    if not all(each.editor.strip() for each in typed):
        raise InputError("say who makes the edit: an email such as jane@acme.com")
    sheet = sheets_of(services).open(plan_or_spreadsheet)
    limits = SheetLimits.of(services.config)
    values = [set_cell(sheet, each.cell.upper(), each.text, each.editor, tab, limits) for each in typed]
    record = _plan_in(services, sheet)
    if record is None:
        return Edit(values[-1], None)
    try:
        return Edit(values[-1], sync_now(services, sheet, sheet.editors, record))
    except SyncConflictError:  # saved all the same: the next sync of the plan records it
        services.store.request_sync(record.id, services.now())
        return Edit(values[-1], None, queued=True)


def copy_local_plan(services: Services, plan: str, owner: str | None, title: str | None) -> PlanRecord:
    """Drive's Make a copy of a local plan's spreadsheet, adopted as a new plan of its own."""
    sheets = sheets_of(services)
    original = sheets.open(plan)
    if original.marker() is None:
        raise InputError(f"'{plan}' holds no stamped plan to copy")
    copy = sheets.copy(original.spreadsheet_id, title or f"Copy of {sheets.title(original.spreadsheet_id)}")
    record = _plan_in(services, copy, owner)  # a copy is adopted as it is opened
    if record is None:
        raise WorkbookError(f"the copy of '{plan}' lost its plan marker")
    return record


def validate_local(services: Services, plan: str, today: date, locale: str | None) -> Report:
    """Validate a local plan, as the sidebar's Validate does, and mark its sheet."""
    sheet, record = record_of(services, plan)
    return validate(sheet, today, locale, history_of(services.store, record.id), record.tabs)


def show_tab(services: Services, plan: str, tab: str | None) -> tuple[LocalSheet, str]:
    """A local spreadsheet and the tab to show: the one asked for, else the plan's, else its first."""
    sheet = sheets_of(services).open(plan)
    if tab:
        return sheet, tab
    tabs = sheet.tabs()
    planned = plan_tabs(sheet).map
    return sheet, planned if planned in tabs or not tabs else tabs[0]
