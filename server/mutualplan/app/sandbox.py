"""The sandbox page's own journeys: the spreadsheets and personas, the grid, edits as a persona, the
clock, reminders into the outbox. (The page's sidebar uses the sidebar's journeys, like Sheets does.)"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta
from email.message import EmailMessage
from typing import Any

from mutualplan.app.days import local_day
from mutualplan.app.fanout import start
from mutualplan.app.local import Edit, edit_cell, record_of, sheets_of, show_tab, validate_local
from mutualplan.app.ports import Outbox
from mutualplan.app.records import OutboxEntry, SpreadsheetInfo
from mutualplan.app.remind import RemindReport, every_plan, remind, title_of
from mutualplan.app.services import Services
from mutualplan.app.tasks import drain
from mutualplan.app.timeline import Timeline, timeline_of
from mutualplan.app.units import Job
from mutualplan.errors import NoPlanTableError, NotFoundError, WorkbookError
from mutualplan.plan.dates.reading import format_day
from mutualplan.plan.history.own_rows import Standing, standing
from mutualplan.plan.sheet.cells import cell_text
from mutualplan.plan.sheet.grid import Grid, a1
from mutualplan.plan.sheet.layout import AddTab, Kind, TabLayout, TableSpec
from mutualplan.plan.sheet.model import Side
from mutualplan.plan.sheet.parse import parse
from mutualplan.plan.sheet.stakeholders import read_stakeholders
from mutualplan.plan.sheet.vocabulary import Column

SELLER_PERSONA = "sam@vendor.example"  # who the seller is in a spreadsheet with no plan yet
MANAGER_PERSONA = "The sales manager"  # whoever sees a seller's pipeline, or owns a Pipeline spreadsheet
KEY_COLUMNS = (Column.ID, Column.STEP)  # what a row is: they stay in view as the grid scrolls
NOON, HOUR = time(12), timedelta(hours=1)  # a moved clock stops at noon; it passes the hours on its way
NOT_SENT_KEPT = 500  # the outbox lists the latest reminders not sent, and why

BLANK_TAB = "Sheet1"  # a new spreadsheet's one tab, as Sheets names it


@dataclass(frozen=True, slots=True)
class Persona:
    """Someone the page can act as."""

    email: str
    name: str
    side: Side


@dataclass(frozen=True, slots=True)
class GridCell:
    """A cell as the grid shows it."""

    a1: str
    text: str
    kind: Kind
    options: tuple[str, ...]
    note: str
    colour: str
    standing: Standing | None = None  # on Customer confirmed: where the row's confirmation stands


@dataclass(frozen=True, slots=True)
class TabView:
    """A tab as the grid shows it."""

    tabs: tuple[str, ...]
    tab: str
    rows: tuple[tuple[GridCell, ...], ...]
    header_row: int | None = None  # the table's header row (0-based): it stays in view
    key_columns: tuple[int, ...] = ()  # the ID and Step columns: they stay in view


@dataclass(frozen=True, slots=True)
class ClockMove:
    """Where a clock move left today, and what the daily reminders did on the days it passed."""

    today: str
    sent: int
    not_sent: int


@dataclass
class Sandbox:
    """The embedded default's services, a clock the page can move, and why reminders were not sent."""

    services: Services
    move_clock: Callable[[timedelta], None]
    not_sent: list[dict[str, Any]] = field(default_factory=list)  # the latest runs' skips, newest last

    def today(self) -> str:
        """The sandbox's today, ISO."""
        return local_day(self.services.now(), "UTC").isoformat()

    def spreadsheets(self) -> list[SpreadsheetInfo]:
        """Every spreadsheet, oldest first; one holding a plan is called as its plan is (customer — deal)."""
        store = self.services.store
        named = []
        for item in sheets_of(self.services).spreadsheets():
            record = store.plan(item.plan_id) if item.plan_id else None
            found = store.latest_snapshot(record.id).snapshot if record else None
            named.append(replace(item, title=title_of(found, record)) if record and found else item)
        return named

    def proposals(self, spreadsheet_id: str) -> list[str]:
        """The open proposals in a spreadsheet's plan, each in a sentence ("Jane Doe proposes 9 Feb 2027
        for M02"), so that the page can say when one arrives."""
        record = self.services.store.plan_in(spreadsheet_id)
        found = self.services.store.latest_snapshot(record.id).snapshot if record else None
        rows = found.rows if found else ()
        return [
            f"{row.proposal.by.partition(' <')[0]} proposes {format_day(row.proposal.due)} for {row.id}"
            for row in rows
            if row.proposal is not None
        ]

    def personas(self, spreadsheet_id: str) -> list[Persona]:
        """The seller first, then whoever the seller shares their pipeline with, and the customer's people
        the Stakeholders tab and the owner columns name; in a Pipeline spreadsheet, its manager."""
        store = self.services.store
        pipeline = store.pipeline_sheet(spreadsheet_id)
        if pipeline is not None:
            sells = bool(store.plans_of(pipeline.viewer))
            return [Persona(pipeline.viewer, "You, the seller" if sells else MANAGER_PERSONA, Side.VENDOR)]
        sheet = sheets_of(self.services).open(spreadsheet_id)
        marker = sheet.marker()
        seller = marker.owner if marker else SELLER_PERSONA
        found = [Persona(seller, "You, the seller", Side.VENDOR)]
        found += [
            Persona(viewer, f"{MANAGER_PERSONA} ({viewer})", Side.VENDOR)
            for viewer in store.shared_with(seller)
        ]
        tab = marker.stakeholders_tab if marker else "Stakeholders"
        for person in read_stakeholders(sheet.read_tabs([tab]).get(tab)):
            if person.side is Side.CUSTOMER and "@" in person.email:
                found.append(Persona(person.email, f"{person.name} ({person.role})", Side.CUSTOMER))
        if marker is not None:
            for row in parse(sheet.read(marker.tab)).plan.rows:
                for named in row.owners:
                    if named.side is Side.CUSTOMER and named.party.email:
                        found.append(Persona(named.party.email, named.party.label, Side.CUSTOMER))
        unique = {item.email.casefold(): item for item in reversed(found)}
        return sorted(
            unique.values(), key=lambda item: (item.side is not Side.VENDOR, item.email != seller, item.name)
        )

    def create(self, title: str = "") -> str:
        """An empty spreadsheet, as Sheets' "Blank spreadsheet" (numbered, so that each is told apart
        in the list until its plan names it); its id."""
        taken = {item.title for item in self.spreadsheets()}
        numbered = (f"Untitled spreadsheet {number}" for number in range(1, len(taken) + 2))
        fresh = title[:100] or next(name for name in numbered if name not in taken)
        made = sheets_of(self.services).create(fresh)
        made.apply([AddTab(TabLayout(BLANK_TAB, ()))])  # as Sheets makes one: a tab to type in
        return made.spreadsheet_id

    def tab(self, spreadsheet_id: str, tab: str | None) -> TabView:
        """A tab as the grid shows it: each cell's text, kind, dropdown options, note and colour."""
        sheet = sheets_of(self.services).open(spreadsheet_id)
        tabs = tuple(sheet.tabs())
        if not tabs:
            return TabView((), "", ())
        sheet, shown = show_tab(self.services, spreadsheet_id, tab)
        grid, table, marks = sheet.read(shown), sheet.table(shown), sheet.marks(shown)
        badges = self._standings(spreadsheet_id, shown, table)
        rows = []
        for index, row in enumerate(grid.rows):
            cells = []
            for column, cell in enumerate(row):
                typed = table is not None and index > table.header_row and column < len(table.columns)
                spec = table.columns[column] if table is not None and typed else None
                note, colour = marks.get((index, column), ("", ""))
                kind, options = (spec.kind, spec.options) if spec else (Kind.TEXT, ())
                name, badge = a1(index + 1, column + 1), badges.get((index, column))
                cells.append(GridCell(name, cell_text(cell), kind, options, note, colour, badge))
            rows.append(tuple(cells))
        if table is None:
            return TabView(tabs, shown, tuple(rows))
        keys = tuple(col for name in KEY_COLUMNS if (col := table.column(name)) is not None)
        return TabView(tabs, shown, tuple(rows), table.header_row, keys)

    def _standings(
        self, spreadsheet_id: str, tab: str, table: TableSpec | None
    ) -> dict[tuple[int, int], Standing]:
        """Each row's confirmation standing, by its Customer confirmed cell (0-based), on the plan's tab."""
        col = table.column(Column.CONFIRMED) if table is not None else None
        record = self.services.store.plan_in(spreadsheet_id)
        if col is None or record is None or record.tabs.map != tab:
            return {}
        snapshot = self.services.store.latest_snapshot(record.id).snapshot
        rows = snapshot.rows if snapshot else ()
        return {(row.sheet_row - 1, col): found for row in rows if (found := standing(row))}

    def edit(self, spreadsheet_id: str, cell: str, text: str, persona: str, tab: str | None) -> Edit:
        """One edit by the persona, typed by its column; the plan is synced before this returns, and a
        sheet already validated is marked again, so a fixed cell loses its old colour and note at once."""
        done = edit_cell(self.services, spreadsheet_id, cell, text, persona, tab)
        sheet = sheets_of(self.services).open(spreadsheet_id)
        marker = sheet.marker()
        if marker is not None and _validated(sheet.read(marker.tab)):
            validate_local(self.services, spreadsheet_id, local_day(self.services.now(), "UTC"), None)
        return done

    def move_today(self, days: int) -> ClockMove:
        """Move the sandbox's today by days, to noon; going forward, the clock passes each hour on the way,
        and the hourly reminder job and the queue run at each, as they would on a server."""
        now = self.services.now()
        target = datetime.combine(now.date() + timedelta(days=days), NOON, UTC)
        if days <= 0:
            self.move_clock(target - now)
            return ClockMove(self.today(), 0, 0)
        sent = not_sent = 0
        while now < target:
            step = min(HOUR, target - now)
            self.move_clock(step)
            now += step
            start(self.services, Job.REMIND)
            drained = drain(self.services)
            sent += drained.digests
            for report in drained.reminders:
                self._keep_not_sent(report)
                sent, not_sent = sent + report.messages, not_sent + len(report.skipped)
        return ClockMove(self.today(), sent, not_sent)

    def remind(self) -> RemindReport:
        """Run today's reminders into the outbox now, whatever the hour; what was not sent, and why, is kept
        for the outbox."""
        return self._keep_not_sent(remind(self.services, every_plan(self.services.store)))

    def _keep_not_sent(self, report: RemindReport) -> RemindReport:
        self.not_sent.extend({**item, "day": self.today()} for item in report.skipped)
        del self.not_sent[:-NOT_SENT_KEPT]
        return report

    def outbox(self) -> list[OutboxEntry]:
        """The messages reminders produced, newest first."""
        return self._outbox().entries()

    def message(self, number: int) -> EmailMessage:
        """One message as sent."""
        outbox = self._outbox()
        entry = next((entry for entry in outbox.entries() if entry.id == number), None)
        if entry is None:
            raise NotFoundError(f"no message {number} in the outbox")
        return outbox.message(entry)

    def _outbox(self) -> Outbox:
        if self.services.outbox is None:
            raise WorkbookError("this sandbox has no outbox")
        return self.services.outbox

    def timeline(self, spreadsheet_id: str) -> Timeline | None:
        """The plan's timeline, as of its last sync."""
        _, record = record_of(self.services, spreadsheet_id)
        return timeline_of(self.services, record)


def _validated(grid: Grid) -> bool:
    """Whether Validate has marked the plan: its Check column holds a verdict."""
    try:
        plan = parse(grid).plan
    except NoPlanTableError:
        return False
    col = plan.columns.get(Column.CHECK)
    return col is not None and any(
        col < len(cells) and cell_text(cells[col]) for cells in grid.rows[plan.header_row :]
    )
