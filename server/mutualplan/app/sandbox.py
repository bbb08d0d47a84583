"""The sandbox page's own journeys: the spreadsheets and personas, the grid, edits as a persona, the
clock, reminders into the outbox. (The page's sidebar uses the sidebar's journeys, like Sheets does.)"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage

from mutualplan.app.days import local_day
from mutualplan.app.local import Edit, edit_cell, record_of, sheets_of, show_tab
from mutualplan.app.ports import Outbox
from mutualplan.app.records import OutboxEntry, SpreadsheetInfo
from mutualplan.app.remind import RemindReport, remind
from mutualplan.app.services import Services
from mutualplan.app.timeline import Timeline, timeline_of
from mutualplan.errors import NotFoundError, WorkbookError
from mutualplan.plan.cells import cell_text
from mutualplan.plan.grid import a1
from mutualplan.plan.layout import Kind
from mutualplan.plan.model import Side
from mutualplan.plan.parse import parse
from mutualplan.plan.stakeholders import read_stakeholders

SELLER_PERSONA = "sam@vendor.example"  # who the seller is in a spreadsheet with no plan yet


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


@dataclass(frozen=True, slots=True)
class TabView:
    """A tab as the grid shows it."""

    tabs: tuple[str, ...]
    tab: str
    rows: tuple[tuple[GridCell, ...], ...]


@dataclass
class Sandbox:
    """The embedded default's services, and a clock the page can move."""

    services: Services
    move_clock: Callable[[int], None]

    def today(self) -> str:
        """The sandbox's today, ISO."""
        return local_day(self.services.now(), "UTC").isoformat()

    def spreadsheets(self) -> list[SpreadsheetInfo]:
        """Every spreadsheet, oldest first."""
        return sheets_of(self.services).spreadsheets()

    def personas(self, spreadsheet_id: str) -> list[Persona]:
        """The seller, and the customer's people the Stakeholders tab and the owner columns name."""
        sheet = sheets_of(self.services).open(spreadsheet_id)
        marker = sheet.marker()
        found = [Persona(marker.owner if marker else SELLER_PERSONA, "You, the seller", Side.VENDOR)]
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
        return sorted(unique.values(), key=lambda item: (item.side is not Side.VENDOR, item.name))

    def create(self, title: str) -> str:
        """An empty spreadsheet, as Sheets' "Blank spreadsheet"; its id."""
        return sheets_of(self.services).create(title[:100] or "Untitled spreadsheet").spreadsheet_id

    def tab(self, spreadsheet_id: str, tab: str | None) -> TabView:
        """A tab as the grid shows it: each cell's text, kind, dropdown options, note and colour."""
        sheet = sheets_of(self.services).open(spreadsheet_id)
        tabs = tuple(sheet.tabs())
        if not tabs:
            return TabView((), "", ())
        sheet, shown = show_tab(self.services, spreadsheet_id, tab)
        grid, table, marks = sheet.read(shown), sheet.table(shown), sheet.marks(shown)
        rows = []
        for index, row in enumerate(grid.rows):
            cells = []
            for col, cell in enumerate(row):
                typed = table is not None and index > table.header_row and col < len(table.columns)
                spec = table.columns[col] if table is not None and typed else None
                note, colour = marks.get((index, col), ("", ""))
                kind, options = (spec.kind, spec.options) if spec else (Kind.TEXT, ())
                cells.append(GridCell(a1(index + 1, col + 1), cell_text(cell), kind, options, note, colour))
            rows.append(tuple(cells))
        return TabView(tabs, shown, tuple(rows))

    def edit(self, spreadsheet_id: str, cell: str, text: str, persona: str, tab: str | None) -> Edit:
        """One edit by the persona, typed by its column; the plan is synced before this returns."""
        return edit_cell(self.services, spreadsheet_id, cell, text, persona, tab)

    def move_today(self, days: int) -> str:
        """Move the sandbox's today by days; the new today."""
        self.move_clock(days)
        return self.today()

    def remind(self) -> RemindReport:
        """Run today's reminders into the outbox."""
        return remind(self.services, self.services.store.plans())

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
