"""A stamped plan, its store and a clock, to sync as people edit it: locally or on Google."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import responses

from mutualplan.adapters.local_workbook import LocalWorkbook
from mutualplan.adapters.templates import TemplateFolder
from mutualplan.app.editing import set_cell
from mutualplan.app.ports import Workbook
from mutualplan.app.records import PlanRecord, WorkbookKind
from mutualplan.app.stamping import stamp
from mutualplan.app.store_ports import Store
from mutualplan.app.sync import SyncResult, sync
from mutualplan.plan.dates.stamp import Deal
from mutualplan.plan.history.diff import Editors
from mutualplan.plan.sheet.grid import Cell
from mutualplan.plan.sheet.layout import Kind, SetRows, Value
from mutualplan.plan.sheet.model import Plan
from mutualplan.plan.sheet.parse import parse
from mutualplan.plan.sheet.vocabulary import Column
from tests.fake_sheets_api import FakeSheetsApi
from tests.integration.test_workbook_contract import google_workbook, local_workbook

OWNER = "sam@vendor.io"
BUYER = "Jane Doe <jane@acme.com>"
DEAL = Deal(
    go_live=date(2027, 9, 1), deal="Acme analytics", customer="Acme", customer_domain="acme.com", owner=OWNER
)
START = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


@dataclass
class Harness:
    """One plan being edited and synced; the clock moves a minute a sync."""

    workbook: Workbook
    store: Store
    record: PlanRecord
    api: FakeSheetsApi | None = None
    last_editor: str | None = None
    now: datetime = START
    results: list[SyncResult] = field(default_factory=list)

    def shown(self, person: str) -> str:
        """A person as the workbook gives them back: a Google people chip carries the email alone."""
        return person if self.api is None else person.rpartition("<")[2].rstrip(">")

    def plan(self) -> Plan:
        """The plan as the sheet shows it now."""
        return parse(self.workbook.read("MAP")).plan

    def cell(self, index: int, column: Column) -> str:
        """The A1 name of a plan row's cell (index into the plan's rows)."""
        plan = self.plan()
        name = plan.cell(plan.rows[index], column)
        assert name
        return name

    def edit(self, index: int, column: Column, text: str, who: str) -> None:
        """A person types into a plan row's cell."""
        set_cell(self.workbook, self.cell(index, column), text, who)
        self.last_editor = who

    def editors(self, tab: str) -> Editors:
        """Per-cell editors locally; Drive's last modifying user on Google."""
        if isinstance(self.workbook, LocalWorkbook):
            return self.workbook.editors(tab)
        return Editors(last=self.last_editor)

    def sync(self) -> SyncResult:
        """Sync the plan now."""
        self.now += timedelta(minutes=1)
        result = sync(self.store, self.workbook, self.record, self.editors, lambda: self.now)
        self.results.append(result)
        return result

    def rewrite_rows(self, order: list[int], who: str) -> None:
        """A person sorts or deletes rows: the table's rows written back in this order (indexes)."""
        grid = self.workbook.read("MAP")
        plan = self.plan()
        rows = [grid.rows[row.sheet_row - 1] for row in plan.rows]
        width = max(len(row) for row in rows)
        written = [tuple(_value(cell) for cell in rows[index]) for index in order]
        blank = [tuple(Value(Kind.TEXT, None) for _ in range(width))] * (len(rows) - len(order))
        self.workbook.apply(
            [SetRows("MAP", plan.rows[0].sheet_row - 1, 0, tuple(written + blank))], editor=who
        )
        self.last_editor = who

    def log(self) -> list[list[str]]:
        """The Log tab's lines below its header, as text."""
        grid = self.workbook.read("Log")
        return [[str(cell.value or "") for cell in row] for row in grid.rows[1:] if any(c.value for c in row)]


def _value(cell: Cell) -> Value:
    if cell.chips:
        return Value(Kind.PERSON, ", ".join(chip.email or chip.name for chip in cell.chips))
    return Value.of(cell.value)


@contextmanager
def harness(kind: str, folder: Path, store: Store) -> Iterator[Harness]:
    """A regulated-buyer plan stamped into a local or Google workbook, registered and baselined."""
    with _workbook(kind, folder) as (workbook, api):
        marker = stamp(workbook, TemplateFolder().named("regulated-buyer"), DEAL, START.date(), "plan-1")
        record = PlanRecord.of(marker, WorkbookKind(kind), "Acme", START)
        store.add_plan(record)
        ready = Harness(workbook, store, record, api)
        ready.sync()
        yield ready


@contextmanager
def _workbook(kind: str, folder: Path) -> Iterator[tuple[Workbook, FakeSheetsApi | None]]:
    if kind == "local":
        yield local_workbook(folder), None
        return
    api = FakeSheetsApi()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        api.install(mock)
        yield google_workbook(api), api
