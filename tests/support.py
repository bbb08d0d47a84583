"""Builders for plan grids: a healthy plan, and ways to break it one field at a time."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from mutualplan.plan.history.diff import Editors
from mutualplan.plan.sheet.grid import Cell, CellValue, Grid
from mutualplan.plan.sheet.model import Plan
from mutualplan.plan.sheet.vocabulary import Column

TODAY = date(2026, 11, 22)
HEADER = (
    "ID", "Track", "Step", "Customer owner", "Vendor owner", "Start", "Due", "Exit evidence",
    "Status", "Gate", "Depends on", "Customer confirmed", "Confirmed by", "Notes",
)  # fmt: skip
HEAD: dict[str, CellValue] = {
    "Deal": "Acme — analytics platform",
    "Customer": "Acme",
    "Customer domain": "acme.com",
    "Vendor domain": "vendor.io",
    "Outcome": "Fraud losses down 20% by Q3",
    "Go-live": "2027-02-02",
    "Target signature": "2026-12-15",
    "Signed off by": "Jane Doe <jane@acme.com>",
    "Signed off on": "2026-11-02",
}
Row = dict[str, CellValue | Cell]


def healthy_rows() -> list[Row]:
    """A plan that breaks no rule on TODAY: every track, five customer owners, all confirmed."""
    base: list[Row] = [
        {"ID": "S1", "Track": "Technical", "Step": "POC success criteria agreed",
         "Customer owner": "Jane Doe <jane@acme.com>", "Vendor owner": "Sam Lee <sam@vendor.io>",
         "Start": "2026-11-23", "Due": "2026-11-27", "Exit evidence": "Signed criteria document"},
        {"ID": "S2", "Track": "Business", "Step": "Business case approved by the CFO",
         "Customer owner": "Omar Haddad <omar@acme.com>", "Vendor owner": "",
         "Start": "2026-11-30", "Due": "2026-12-04", "Exit evidence": "Approved business case",
         "Gate": True, "Depends on": "S1"},
        {"ID": "S3", "Track": "Security", "Step": "Security review passed",
         "Customer owner": "Grace Chen <grace@acme.com>", "Vendor owner": "Sam Lee",
         "Start": "2026-11-23", "Due": "2026-12-04", "Exit evidence": "Security sign-off email"},
        {"ID": "S4", "Track": "Legal", "Step": "MSA redlines returned",
         "Customer owner": "Luis Ortega <luis@acme.com>", "Vendor owner": "Mia Park <mia@vendor.io>",
         "Start": "2026-12-05", "Due": "2026-12-10", "Exit evidence": "Redlined MSA",
         "Depends on": "S2"},
        {"ID": "S5", "Track": "Signature", "Step": "Order form and PO executed",
         "Customer owner": "Sara Brandt <sara@acme.com>", "Vendor owner": "Mia Park",
         "Start": "2026-12-11", "Due": "2026-12-15", "Exit evidence": "Countersigned order form",
         "Gate": True, "Depends on": "S4"},
        {"ID": "S6", "Track": "Success", "Step": "Production go-live",
         "Customer owner": "Jane Doe", "Vendor owner": "Sam Lee",
         "Start": "2027-01-20", "Due": "2027-02-02", "Exit evidence": "First fraud model live",
         "Depends on": "S5"},
    ]  # fmt: skip
    for row in base:
        row.setdefault("Status", "Not started")
        row.setdefault("Customer confirmed", True)
        row.setdefault("Confirmed by", row["Customer owner"])
    return base


RISK_HEADER = ("Risk", "Owner", "Mitigation", "Due", "Status")
HEALTHY_RISKS: tuple[tuple[CellValue, ...], ...] = (
    ("Security review queue runs six weeks", "Grace Chen", "Questionnaire sent with SOC 2", "2026-11-30", ""),
    ("Year-end change freeze", "Jane Doe", "Production cut-over booked before 18 Dec", "2026-12-11", ""),
)  # fmt: skip


def risks_sheet(risks: Sequence[Sequence[CellValue]] = HEALTHY_RISKS) -> Grid:
    """A Risks tab: its header, then one row per risk."""
    return Grid(rows=[[Cell(value) for value in row] for row in (RISK_HEADER, *risks)])


def sheet(
    rows: Sequence[Mapping[str, CellValue | Cell]],
    head: Mapping[str, CellValue] | None = None,
    header: Sequence[str] = HEADER,
    title: str | None = "Mutual Action Plan",
) -> Grid:
    """A MAP grid: title, head block, a blank row, the header, then the rows."""
    values: list[list[CellValue | Cell]] = [[title]] if title else []
    values += [[label, value] for label, value in (HEAD if head is None else head).items()]
    values.append([])
    values.append(list(header))
    values += [[row.get(name) for name in header] for row in rows]
    return Grid(rows=[[_cell(value) for value in row] for row in values])


def _cell(value: CellValue | Cell) -> Cell:
    return value if isinstance(value, Cell) else Cell(value)


def first_table_row(grid: Grid) -> int:
    """The sheet row number (1-based) of the first row below the header."""
    return next(index for index, row in enumerate(grid.rows) if row and row[0].value == "ID") + 2


def confirmers_ticked(plan: Plan) -> Editors:
    """The embedded workbook's per-cell editors when each row's named confirmer ticked it themselves:
    their confirmations are verified."""
    col = plan.columns[Column.CONFIRMED]
    cells = {
        (row.sheet_row - 1, col): party.email
        for row in plan.rows
        if row.confirmed
        for party in row.confirmed_by[:1]
        if party.email
    }
    return Editors(cells=cells)
