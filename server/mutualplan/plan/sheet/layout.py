"""What gets written to a workbook: typed values, tab layouts, and the writes a Workbook applies."""

from __future__ import annotations

import json
from dataclasses import astuple, dataclass
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from mutualplan.plan.checks.findings import Severity
from mutualplan.plan.people.parties import read_people_text
from mutualplan.plan.sheet.grid import Cell, CellValue, Grid, PersonChip

MAP_TAB, STAKEHOLDERS_TAB, LOG_TAB, RISKS_TAB = "MAP", "Stakeholders", "Log", "Risks"


class PlanTabs(NamedTuple):
    """The titles of a plan's tabs."""

    map: str = MAP_TAB
    stakeholders: str = STAKEHOLDERS_TAB
    log: str = LOG_TAB
    risks: str = RISKS_TAB

    @property
    def read(self) -> tuple[str, str, str]:
        """The tabs a plan is read from (the Log is written, never read)."""
        return (self.map, self.stakeholders, self.risks)


class Kind(StrEnum):
    """How a value is written: text is always written as text, never parsed."""

    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    BOOL = "bool"
    PERSON = "person"


class Value(NamedTuple):
    """A value to write, with its kind; a person is text such as "Jane Doe <jane@acme.com>". (A NamedTuple:
    a Pipeline spreadsheet's refresh writes a couple of hundred thousand, and a frozen dataclass costs
    several times as much to build.)"""

    kind: Kind
    value: str | int | float | bool | date | None

    @classmethod
    def of(cls, value: CellValue, kind: Kind | None = None) -> Value:
        """A value of the kind its Python type says, unless a kind is given."""
        if kind is not None:
            return cls(kind, value)
        if isinstance(value, bool):
            return cls(Kind.BOOL, value)
        if isinstance(value, int | float):
            return cls(Kind.NUMBER, value)
        if isinstance(value, date):
            return cls(Kind.DATE, value)
        return cls(Kind.TEXT, value)

    @property
    def chips(self) -> tuple[PersonChip, ...]:
        """The people chips a person value becomes, where every name has an email."""
        if self.kind is not Kind.PERSON or not isinstance(self.value, str):
            return ()
        parties = read_people_text(self.value)
        if not parties or not all(party.is_person and party.email for party in parties):
            return ()
        return tuple(PersonChip(party.name or "", party.email or "") for party in parties)

    def as_cell(self) -> Cell:
        """The cell a faithful workbook reads back after writing this value."""
        chips = self.chips
        if chips:
            return Cell(None, chips=chips)
        return Cell(None if self.value == "" else self.value)


BLANK_VALUE = Value(Kind.TEXT, None)


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """A typed table column; options make it a dropdown."""

    name: str
    kind: Kind
    options: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TableSpec:
    """The plan table: where its header row is, and each column's type."""

    name: str
    header_row: int  # 0-based row of the tab
    columns: tuple[ColumnSpec, ...]

    def column(self, name: str) -> int | None:
        """The 0-based index of a named column."""
        return next((index for index, spec in enumerate(self.columns) if spec.name == name), None)


@dataclass(frozen=True, slots=True)
class TabLayout:
    """A tab to add: its rows of values, its table, frozen rows and protection."""

    title: str
    rows: tuple[tuple[Value, ...], ...]
    table: TableSpec | None = None
    frozen_rows: int = 0
    protected: bool = False  # only the plan owner may edit
    editor: str = (
        ""  # who alone edits a protected tab of a spreadsheet with no plan marker (a Pipeline's viewer)
    )

    def grid(self) -> Grid:
        """The grid a faithful workbook reads back from this tab."""
        return Grid(rows=[[value.as_cell() for value in row] for row in self.rows])


@dataclass(frozen=True, slots=True)
class PlanMarker:
    """What marks a spreadsheet as a mutualplan plan: the plan and where it was made."""

    plan_id: str
    spreadsheet_id: str
    owner: str  # the plan owner's email: the only editor of protected tabs
    tab: str  # the plan's MAP tab
    stakeholders_tab: str = STAKEHOLDERS_TAB
    log_tab: str = LOG_TAB
    risks_tab: str = RISKS_TAB  # a marker from before the Risks tab has none: the default title

    @property
    def tabs(self) -> PlanTabs:
        """The titles of the plan's tabs."""
        return PlanTabs(self.tab, self.stakeholders_tab, self.log_tab, self.risks_tab)

    @classmethod
    def from_json(cls, text: str) -> PlanMarker | None:
        """The marker a spreadsheet's metadata holds; None when it is not one we wrote (other apps that
        reach the file may change it)."""
        try:
            found = json.loads(text)
            marker = cls(**found)
        except (ValueError, TypeError):
            return None
        return marker if all(isinstance(value, str) for value in astuple(marker)) else None

    def is_copy_in(self, spreadsheet_id: str) -> bool:
        """True when this marker was made in another spreadsheet: this one is a copy of that plan."""
        return self.spreadsheet_id != spreadsheet_id


@dataclass(frozen=True, slots=True)
class AddTab:
    """Add a tab laid out as given; its title must be free (see free_title)."""

    layout: TabLayout


@dataclass(frozen=True, slots=True)
class SetCell:
    """Write one value into a tab, 0-based row and column."""

    tab: str
    row: int
    col: int
    value: Value
    note: str | None = None  # None leaves the cell's note as it is


@dataclass(frozen=True, slots=True)
class SetRows:
    """Write a block of rows from a 0-based row and column (the Log's new lines)."""

    tab: str
    row: int
    col: int
    rows: tuple[tuple[Value, ...], ...]


@dataclass(frozen=True, slots=True)
class Mark:
    """A validation mark on one cell: a colour by severity and a note."""

    row: int
    col: int
    severity: Severity
    note: str


@dataclass(frozen=True, slots=True)
class SetMarks:
    """Replace every previous mark of a tab: the Check column's texts, cell colours and notes."""

    tab: str
    check_col: int
    first_row: int  # the table's first row below its header: the Check column is cleared from here
    checks: tuple[tuple[int, str], ...]  # (row, text) for the Check column
    marks: tuple[Mark, ...]
    kept_col: int | None = None  # the row IDs' column, protected for the owner: marks never touch it


@dataclass(frozen=True, slots=True)
class ClearRows:
    """Blank every cell of a tab from a 0-based row down; the tab and its rows above stay."""

    tab: str
    first_row: int


@dataclass(frozen=True, slots=True)
class Protect:
    """Let only the plan owner edit a tab, or one column of it from a row down; replaces any
    earlier protection of the same range (a copied sheet carries the original owner's)."""

    tab: str
    col: int | None = None  # None: the whole tab
    first_row: int = 0


@dataclass(frozen=True, slots=True)
class SetMarker:
    """Mark the spreadsheet as a plan; its owner becomes the editor of the protected ranges. replacing:
    the spreadsheet may hold a marker already (a copy carries the original's); a fresh stamp does not."""

    marker: PlanMarker
    replacing: bool = True


@dataclass(frozen=True, slots=True)
class SetHeadMark:
    """Keep the plan's signed audit head in the spreadsheet's own metadata, beside the marker. replacing:
    the spreadsheet holds one already (a sheet's first mark, or a copy's inherited one, is new)."""

    text: str
    replacing: bool = True


Write = AddTab | SetCell | SetRows | SetMarks | ClearRows | Protect | SetMarker | SetHeadMark


def free_title(wanted: str, taken: set[str] | frozenset[str]) -> str:
    """The title, or the title with the first free suffix: "MAP", "MAP (2)", "MAP (3)"…"""
    folded = {title.casefold() for title in taken}
    if wanted.casefold() not in folded:
        return wanted
    number = 2
    while f"{wanted} ({number})".casefold() in folded:
        number += 1
    return f"{wanted} ({number})"
