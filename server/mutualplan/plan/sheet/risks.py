"""The Risks tab: what may go wrong before go-live, who mitigates it, how, and by when."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from mutualplan.plan.dates.reading import DateOrder, read_date
from mutualplan.plan.dates.template import TemplateRisk, role_slot
from mutualplan.plan.sheet.cells import cell_text
from mutualplan.plan.sheet.grid import BLANK, Cell, Grid
from mutualplan.plan.sheet.layout import RISKS_TAB, ColumnSpec, Kind, TabLayout, TableSpec, Value
from mutualplan.plan.sheet.model import Risk
from mutualplan.plan.sheet.text import label_key

RISK_STATUSES = ("Open", "Mitigated", "Closed")
RISK_COLUMNS = (
    ColumnSpec("Risk", Kind.TEXT),
    ColumnSpec("Owner", Kind.PERSON),
    ColumnSpec("Mitigation", Kind.TEXT),
    ColumnSpec("Due", Kind.DATE),
    ColumnSpec("Status", Kind.TEXT, RISK_STATUSES),
)
RISKS_TABLE = "Risks"
# The names people give the columns, as label keys.
_ALIASES = {
    "risk": ("risk", "risks", "description", "riskdescription"),
    "owner": ("owner", "riskowner", "who"),
    "mitigation": ("mitigation", "mitigationplan", "mitigations", "action", "response"),
    "due": ("due", "date", "duedate", "by", "when", "deadline", "reviewby"),
    "status": ("status", "state"),
}
_FIELD_OF = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}
HEADER_SCAN_ROWS = 20


def read_risks(grid: Grid | None, order: DateOrder | None = None) -> tuple[Risk, ...]:
    """The risks of a Risks tab, found by a header row with a Risk column; blank rows skipped."""
    if grid is None:
        return ()
    for index, row in enumerate(grid.rows[:HEADER_SCAN_ROWS]):
        columns: dict[str, int] = {}
        for col, cell in enumerate(row):
            name = _FIELD_OF.get(label_key(cell_text(cell)))
            if name is not None:
                columns.setdefault(name, col)
        if "risk" in columns and len(columns) >= 2:
            return tuple(_risks(grid.rows[index + 1 :], index + 2, columns, order))
    return ()


def _risks(
    rows: Sequence[Sequence[Cell]], first_row: int, columns: dict[str, int], order: DateOrder | None
) -> list[Risk]:
    found = []
    for sheet_row, row in enumerate(rows, first_row):

        def get(name: str, row: Sequence[Cell] = row) -> Cell:
            col = columns.get(name)
            return row[col] if col is not None and col < len(row) else BLANK

        text = cell_text(get("risk"))
        if text:
            found.append(
                Risk(
                    sheet_row,
                    text,
                    owner=cell_text(get("owner")),
                    mitigation=cell_text(get("mitigation")),
                    due=read_date(get("due"), order, None),
                    status=cell_text(get("status")),
                )
            )
    return found


@dataclass(frozen=True, slots=True)
class DatedRisk:
    """A template's risk with the date its mitigation is due for this deal."""

    source: TemplateRisk
    due: date


def risks_layout(risks: Sequence[DatedRisk], title: str = RISKS_TAB) -> TabLayout:
    """The Risks tab a plan is stamped with: the template's typical risks, each owned by a role."""
    header = tuple(Value.of(spec.name) for spec in RISK_COLUMNS)
    rows = [
        (
            Value.of(risk.source.risk),
            Value(Kind.PERSON, role_slot(risk.source.owner_role)),
            Value.of(risk.source.mitigation),
            Value.of(risk.due),
            Value.of(RISK_STATUSES[0]),
        )
        for risk in sorted(risks, key=lambda risk: risk.due)
    ]
    return TabLayout(title, (header, *rows), TableSpec(RISKS_TABLE, 0, RISK_COLUMNS), frozen_rows=1)
