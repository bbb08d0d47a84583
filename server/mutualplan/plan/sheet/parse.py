"""parse(grid) → Plan: find the plan table by its header, read the head and every row."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from mutualplan.errors import NoPlanTableError
from mutualplan.plan.checks.findings import Finding, finding
from mutualplan.plan.dates.reading import DateOrder, date_order, read_date
from mutualplan.plan.people.confirmers import Confirmers, Screen
from mutualplan.plan.people.identity import OWNER_SIDES, Directory, PartiesByColumn, person_sides
from mutualplan.plan.people.parties import read_people
from mutualplan.plan.sheet.cells import cell_flag, cell_text
from mutualplan.plan.sheet.grid import BLANK, Cell, Grid, a1
from mutualplan.plan.sheet.head import read_head
from mutualplan.plan.sheet.model import Head, Plan, PlanRow, Stakeholder
from mutualplan.plan.sheet.risks import read_risks
from mutualplan.plan.sheet.stakeholders import read_stakeholders
from mutualplan.plan.sheet.text import label_key, quote, value_key
from mutualplan.plan.sheet.vocabulary import (
    STEP_TRACK_HINTS,
    Column,
    Track,
    column_index,
    status_index,
    track_index,
)

HEADER_SCAN_ROWS = 200
MIN_HEADER_COLUMNS = 3
MAX_LABEL = 40  # longer text is a step or a note, never a column name
TOTAL_WORDS = frozenset({"total", "totals", "grandtotal", "subtotal", "sum"})
PARTY_COLUMNS = (*OWNER_SIDES, Column.CONFIRMED_BY)
# Columns whose content makes a row a step (ID, Notes and Check alone do not).
SUBSTANTIVE = frozenset(Column) - {Column.ID, Column.NOTES, Column.CHECK}
_DEPENDENCY_SEPARATORS = re.compile(r"\s*[,;\n]\s*")


@dataclass(frozen=True, slots=True)
class ParseResult:
    """The plan read from a grid, and what reading it found."""

    plan: Plan
    findings: tuple[Finding, ...]


def parse(
    grid: Grid,
    locale: str | None = None,
    *,
    stakeholders: Grid | None = None,
    risks: Grid | None = None,
    screen: Screen | None = None,
) -> ParseResult:
    """Read a Mutual Action Plan from its MAP tab's grid, with its Stakeholders and Risks tabs when they
    were read; locale (en_US…) orders numeric dates; screen finds look-alike addresses among its people."""
    header_index, columns, findings = _find_header(grid)
    order = date_order(locale)
    people = read_stakeholders(stakeholders)
    head = read_head(grid, header_index, order)
    companies = (head.customer,) if head.customer else ()
    filled = _fill_merges(grid, header_index, columns, findings)
    table = []
    for row_index in range(header_index + 1, len(grid.rows)):
        cells = _row_cells(grid, row_index, columns, filled)
        if not _skipped(cells, row_index, findings):
            parties = {
                column: read_people(cells[column], companies) for column in PARTY_COLUMNS if column in cells
            }
            table.append((row_index, cells, parties))
    directory = Directory.of(head, (parties for _, _, parties in table), people)
    rows = tuple(
        _plan_row(row_index, cells, parties, directory, order, head.go_live.value)
        for row_index, cells, parties in table
    )
    plan = Plan(
        head=head,
        rows=rows,
        columns=columns,
        header_row=header_index + 1,
        customer_domains=directory.customer_domains,
        vendor_domains=directory.vendor_domains,
        confirmers=Confirmers.of(
            directory.customer_domains,
            directory.vendor_domains,
            screen(_addresses(table, people, head), directory.customer_domains) if screen else None,
        ),
        person_sides=person_sides(rows),
        stakeholders=people,
        risks=read_risks(risks, order),
    )
    return ParseResult(plan, tuple(findings))


def _addresses(
    table: Sequence[tuple[int, Mapping[Column, Cell], PartiesByColumn]],
    people: Sequence[Stakeholder],
    head: Head,
) -> set[str]:
    """Every address the plan names: owners, confirmers, the Stakeholders tab, the head's sign-off."""
    found = {party.email for _, _, parties in table for named in parties.values() for party in named}
    found.update(person.email for person in people)
    found.update(party.email for party in head.signed_off_by)
    return {email for email in found if email and "@" in email}


def _plan_row(
    row_index: int,
    cells: Mapping[Column, Cell],
    parties: PartiesByColumn,
    directory: Directory,
    order: DateOrder | None,
    anchor: date | None,
) -> PlanRow:
    get = cells.get
    track, track_text = _track(get(Column.TRACK, BLANK), get(Column.STEP, BLANK))
    status_text = cell_text(get(Column.STATUS, BLANK))
    return PlanRow(
        sheet_row=row_index + 1,
        step=cell_text(get(Column.STEP, BLANK)),
        id=cell_text(get(Column.ID, BLANK)) or None,
        track=track,
        track_text=track_text,
        owners=directory.owners(parties),
        start=read_date(get(Column.START, BLANK), order, anchor),
        due=read_date(get(Column.DUE, BLANK), order, anchor),
        evidence=cell_text(get(Column.EVIDENCE, BLANK)),
        evidence_link=get(Column.EVIDENCE, BLANK).hyperlink,
        status=status_index().get(value_key(status_text)) if status_text else None,
        status_text=status_text,
        gate=cell_flag(get(Column.GATE, BLANK), unknown_text=True),
        depends_on=_references(get(Column.DEPENDS_ON, BLANK)),
        confirmed=cell_flag(get(Column.CONFIRMED, BLANK), unknown_text=False),
        confirmed_by=tuple(map(directory.resolve, parties.get(Column.CONFIRMED_BY, ()))),
        notes=cell_text(get(Column.NOTES, BLANK)),
    )


def _find_header(grid: Grid) -> tuple[int, dict[Column, int], list[Finding]]:
    """The first row naming a Step column and enough other plan columns."""
    for row_index, cells in enumerate(grid.rows[:HEADER_SCAN_ROWS]):
        columns, findings = _header_columns(cells, row_index)
        if Column.STEP in columns and len(columns) >= MIN_HEADER_COLUMNS:
            return row_index, columns, findings
    raise NoPlanTableError(
        "no plan table found: no row has a Step (or Task, Milestone, Activity, Action) header "
        "beside owner and date columns. Add a header row such as: ID, Track, Step, "
        "Customer owner, Vendor owner, Start, Due, Exit evidence, Status, Customer confirmed"
    )


def _header_columns(cells: Sequence[Cell], row_index: int) -> tuple[dict[Column, int], list[Finding]]:
    index = column_index()
    columns: dict[Column, int] = {}
    findings = []
    for col, cell in enumerate(cells):
        if not isinstance(cell.value, str):
            continue
        column = index.get(label_key(cell.value))
        if column is None:
            continue
        if column in columns:
            findings.append(
                finding(
                    "S-HEADER-DUPLICATE",
                    f"'{quote(cell.value)}' is a second {column.value} column: only "
                    f"{a1(row_index + 1, columns[column] + 1)} is read — rename or delete this one",
                    row=row_index + 1,
                    cell=a1(row_index + 1, col + 1),
                )
            )
            continue
        columns[column] = col
    return columns, findings


def _fill_merges(
    grid: Grid, header_index: int, columns: Mapping[Column, int], findings: list[Finding]
) -> dict[tuple[int, int], Cell]:
    """Copy a vertically merged plan cell into every row it spans, and say so."""
    filled: dict[tuple[int, int], Cell] = {}
    plan_columns = set(columns.values())
    for merge in grid.merges:
        if merge.last_row <= header_index:
            continue
        spanned = set(range(merge.first_col, merge.last_col + 1)) & plan_columns
        if not spanned:
            continue
        source = grid.cell(merge.first_row, merge.first_col)
        name = f"{a1(merge.first_row + 1, merge.first_col + 1)}:{a1(merge.last_row + 1, merge.last_col + 1)}"
        if merge.last_row > merge.first_row:
            for row_index in range(max(merge.first_row, header_index + 1), merge.last_row + 1):
                filled[(row_index, merge.first_col)] = source
            advice = f"each row was read as '{quote(cell_text(source))}'"
        else:
            advice = "only the first column has a value"
        findings.append(
            finding(
                "R-CELL-MERGED",
                f"Cells {name} are merged: unmerge them so every step has its own value ({advice})",
                row=merge.first_row + 1,
                cell=name,
            )
        )
    return filled


def _row_cells(
    grid: Grid,
    row_index: int,
    columns: Mapping[Column, int],
    filled: Mapping[tuple[int, int], Cell],
) -> dict[Column, Cell]:
    """The non-blank cells of one row, by plan column."""
    raw = grid.rows[row_index]
    width = len(raw)
    cells = {}
    for column, col in columns.items():
        cell = filled.get((row_index, col)) if filled else None
        if cell is None:
            if col >= width:
                continue
            cell = raw[col]
        value = cell.value  # Cell.is_blank, inlined: this runs for every cell of the table
        if cell.chips or cell.is_formula or not (value is None or (type(value) is str and not value.strip())):
            cells[column] = cell
    return cells


def _skipped(cells: Mapping[Column, Cell], row_index: int, findings: list[Finding]) -> bool:
    """True for blank, repeated-header, totals and notes-only rows, which are not steps."""
    if not SUBSTANTIVE.intersection(cells):
        if Column.NOTES in cells:
            findings.append(
                finding(
                    "S-ROW-SKIPPED",
                    "This row has only notes, so it was read as a note, not a step",
                    row=row_index + 1,
                )
            )
        return True
    index = column_index()
    step = cells.get(Column.STEP)
    if step is not None and index.get(_short_label(step)) is Column.STEP:
        labels = [_short_label(cell) for cell in cells.values()]
        if sum(1 for label in labels if label in index) >= MIN_HEADER_COLUMNS:
            findings.append(
                finding(
                    "S-HEADER-REPEATED", "The header row is repeated here; it was skipped", row=row_index + 1
                )
            )
            return True
    first = next((label for label in map(_short_label, cells.values()) if label), "")
    if first in TOTAL_WORDS:
        findings.append(
            finding(
                "S-ROW-SKIPPED", "This looks like a totals row, not a step; it was skipped", row=row_index + 1
            )
        )
        return True
    return False


def _short_label(cell: Cell) -> str:
    """The label key of a cell short enough to be a header or "Total"; else ""."""
    value = cell.value
    return label_key(value) if isinstance(value, str) and len(value) <= MAX_LABEL else ""


def _track(cell: Cell, step: Cell) -> tuple[Track | None, str]:
    """The row's track: as written, or told by the step's words when blank."""
    text = cell_text(cell)
    if text:
        return track_index().get(value_key(text)), text
    return _track_of_step(cell_text(step)), ""


@lru_cache(maxsize=4096)
def _track_of_step(step: str) -> Track | None:
    padded = f" {step.casefold()} "
    for track, hints in STEP_TRACK_HINTS:
        if any(hint in padded for hint in hints):
            return track
    return None


def _references(cell: Cell) -> tuple[str, ...]:
    text = cell_text(cell)
    return tuple(part for part in _DEPENDENCY_SEPARATORS.split(text) if part) if text else ()
