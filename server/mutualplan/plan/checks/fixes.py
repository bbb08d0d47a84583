"""Validate's answer to "what do I do first?": findings grouped by what fixes them, each group with its
rows and one action, ordered by what blocks the signature soonest.

A group is one rule's findings when one action fixes them all (send the customer their links, name the
people); any other finding stands alone with its row. Errors come first, then warnings, then notes; within
each, the group whose earliest row is due soonest (a plan-wide finding, which has no row, leads).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from mutualplan.plan.checks.findings import Finding
from mutualplan.plan.checks.review import Report
from mutualplan.plan.sheet.text import plural


class Action(StrEnum):
    """What a group's one button does."""

    SEND_LINKS = "send links"  # the Send links card: each customer person gets their own link
    NAME_PEOPLE = "name people"  # the People card: a name for each role placeholder, written everywhere
    OPEN_ROW = "open row"  # the sheet, at the row's cell


@dataclass(frozen=True, slots=True)
class Grouped:
    """How one rule's findings read as one thing to do."""

    title: str  # with {steps}: "3 steps", "1 step"
    action: Action


GROUPED: dict[str, Grouped] = {
    "R-UNCONFIRMED": Grouped(
        "{steps} wait for the customer's confirmation — send each person their own link", Action.SEND_LINKS
    ),
    "R-CONFIRMATION-STALE": Grouped(
        "{steps} moved after the customer confirmed — send the links to confirm the new dates",
        Action.SEND_LINKS,
    ),
    "R-OWNER-PLACEHOLDER": Grouped(
        "{steps} name a role, not a person — name the people once, for every row", Action.NAME_PEOPLE
    ),
}


@dataclass(frozen=True, slots=True)
class Fix:
    """One thing to do: what, where (sheet rows and the first cell), the findings it answers, its action."""

    title: str
    findings: tuple[Finding, ...]
    rows: tuple[int, ...]
    cell: str | None
    action: Action | None
    first_due: date | None

    @property
    def severity_rank(self) -> int:
        """The worst finding's rank: 0 for an error."""
        return min(item.severity.rank for item in self.findings)

    @property
    def where(self) -> str:
        """The rows as people read them: "Row 14", "Rows 15, 16 and 9 more", "The plan"."""
        if not self.rows:
            return "The plan"
        if len(self.rows) == 1:
            return f"Row {self.rows[0]}"
        shown = ", ".join(map(str, self.rows[:3]))
        rest = len(self.rows) - 3
        return f"Rows {shown}{f' and {rest} more' if rest > 0 else ''}"


def fixes(report: Report) -> list[Fix]:
    """The report's findings as things to do, the most urgent first."""
    due = {row.sheet_row: row.due.value for row in report.plan.rows}
    grouped: dict[str, list[Finding]] = {}
    alone: list[Fix] = []
    for item in report.findings:
        if item.code in GROUPED and item.row is not None:
            grouped.setdefault(item.code, []).append(item)
        else:
            action = Action.OPEN_ROW if item.cell and ":" not in item.cell else None
            alone.append(_fix(item.message, [item], due, action))
    together = [
        _fix(GROUPED[code].title.format(steps=plural(len(items), "step")), items, due, GROUPED[code].action)
        for code, items in grouped.items()
    ]
    return sorted([*together, *alone], key=_urgency)


def _fix(title: str, items: Sequence[Finding], due: dict[int, date | None], action: Action | None) -> Fix:
    rows = tuple(sorted({item.row for item in items if item.row is not None}))
    dates = [day for row in rows if (day := due.get(row)) is not None]
    cell = next((item.cell for item in items if item.cell and ":" not in item.cell), None)
    return Fix(title, tuple(items), rows, cell, action, min(dates, default=None))


def _urgency(fix: Fix) -> tuple[int, bool, date, int]:
    return fix.severity_rank, bool(fix.rows), fix.first_due or date.min, fix.rows[0] if fix.rows else 0
