"""Google as a fleet's owners, for benchmarks/fleet.py: a plan's sheet served to a sync with the Sheets API's
latency, one read a call, each read's moment counted (the project's read quota is per minute)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tests.fleet_world import FleetGoogle, SimClock

from mutualplan.app.records import FileState, PlanRecord
from mutualplan.plan.history.diff import Editors
from mutualplan.plan.sheet.grid import Grid

SHEETS = 0.150  # seconds a Sheets call takes


@dataclass
class Counted:
    """Calls to Google, with their moments."""

    sheets_reads: list[datetime] = field(default_factory=list)


@dataclass
class Sheet:
    """A plan's spreadsheet as the Sheets API serves it to a sync: each read one call, with latency."""

    spreadsheet: str
    grid: Grid
    clock: SimClock
    counted: Counted

    def spreadsheet_id(self) -> str:
        return self.spreadsheet

    def tabs(self) -> list[str]:
        return ["MAP"]

    def _read(self) -> None:
        self.clock.advance(SHEETS)
        self.counted.sheets_reads.append(self.clock.now())

    def read(self, tab: str) -> Grid:
        self._read()
        return self.grid

    def read_tabs(self, tabs: Any, write_to: Any = ()) -> dict[str, Grid]:
        self._read()
        return {"MAP": self.grid} if "MAP" in tabs else {}

    def apply(self, writes: Any, editor: str | None = None) -> None:
        self.clock.advance(SHEETS)

    def marker(self) -> None:
        return None

    def marker_edited(self) -> bool:
        return False

    def settings(self) -> None:
        return None

    def head_mark(self) -> None:
        return None

    def tab_gid(self, tab: str) -> None:
        return None


@dataclass
class Access:
    """A plan as its owner: its sheet, and Drive's word on who edited it."""

    workbook: Sheet
    modified_time: str | None = None

    def editors(self, tab: str) -> Editors:
        return Editors()


@dataclass
class FleetOnGoogle(FleetGoogle):
    """The fleet's Google, with a sync's Sheets behind it."""

    grids: list[Grid] = field(default_factory=list)
    counted: Counted = field(default_factory=Counted)

    def plan_for_owner(self, record: PlanRecord, state: FileState | None) -> Access:  # type: ignore[override]
        self.drive._call()  # files.get: who edited last
        number = int(record.id.rpartition("-")[2])
        sheet = Sheet(
            record.spreadsheet_id, self.grids[number % len(self.grids)], self.drive.clock, self.counted
        )
        return Access(sheet)
