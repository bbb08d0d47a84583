"""What every check needs to know besides the row: the plan, today and history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mutualplan.plan.checks.findings import Finding, Severity, finding
from mutualplan.plan.history.past import History
from mutualplan.plan.sheet.model import Plan, PlanRow
from mutualplan.plan.sheet.text import quote
from mutualplan.plan.sheet.vocabulary import Column


@dataclass(frozen=True, slots=True)
class Context:
    """The plan under check, today's date, and what history tells."""

    plan: Plan
    today: date
    history: History | None

    def at(
        self, code: str, row: PlanRow, column: Column | None, message: str, severity: Severity | None = None
    ) -> Finding:
        """A finding at a row, and at its cell in a column when the sheet has one."""
        return finding(
            code,
            message,
            row=row.sheet_row,
            cell=self.plan.cell(row, column) if column else None,
            step=quote(row.step) or None,
            severity=severity,
        )
