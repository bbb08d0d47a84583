"""Validation marks: what Validate writes on the sheet — the Check column, cell colours and notes."""

from __future__ import annotations

from collections import defaultdict

from mutualplan.plan.checks.findings import Finding, Severity
from mutualplan.plan.checks.review import Report, confirmers
from mutualplan.plan.sheet.grid import parse_a1
from mutualplan.plan.sheet.layout import Mark, SetCell, SetMarks, Value, Write
from mutualplan.plan.sheet.vocabulary import Column

CHECK_OK = "OK"


def mark_writes(report: Report, tab: str) -> list[Write]:
    """The writes that replace a tab's previous marks with this report's."""
    plan = report.plan
    header_index = plan.header_row - 1
    writes: list[Write] = []
    check_col = plan.columns.get(Column.CHECK)
    if check_col is None:
        check_col = max(plan.columns.values()) + 1
        writes.append(SetCell(tab, header_index, check_col, Value.of(Column.CHECK.value)))
    by_row: dict[int, list[Finding]] = defaultdict(list)
    for item in report.findings:
        if item.row is not None and item.row > plan.header_row:
            by_row[item.row].append(item)
    confirmed_by = confirmers(report)
    checks = tuple(
        (row.sheet_row - 1, check_text(by_row.get(row.sheet_row, []), confirmed_by.get(row.sheet_row)))
        for row in plan.rows
    )
    id_col = plan.columns.get(Column.ID)
    marks = tuple(
        Mark(row - 1, col - 1, item.severity, item.message)  # the rule code is for the CLI, not a note
        for item in report.findings
        if item.cell and ":" not in item.cell
        for row, col in (parse_a1(item.cell),)
        if col - 1 != id_col  # protected: its finding shows in the Check column
    )
    writes.append(SetMarks(tab, check_col, plan.header_row, checks, marks, id_col))
    return writes


ICONS = {Severity.ERROR: "✗", Severity.WARNING: "!", Severity.INFO: "i"}
COUNTED = ((Severity.ERROR, "to fix"), (Severity.WARNING, "worth a look"), (Severity.INFO, "noted"))


def check_text(findings: list[Finding], confirmed_by: str | None = None) -> str:
    """A row's verdict in the words the sidebar uses: "✓ Confirmed by Jane Doe" or "OK", else the worst
    finding, after the counts when there are several ("✗ 1 to fix, 2 worth a look: No owner — …")."""
    if not findings:
        return f"✓ Confirmed by {confirmed_by}" if confirmed_by else CHECK_OK
    worst = min(findings, key=lambda item: item.severity.rank)
    if len(findings) == 1:
        return f"{ICONS[worst.severity]} {worst.message}"
    counts = [
        f"{count} {words}"
        for severity, words in COUNTED
        if (count := sum(item.severity is severity for item in findings))
    ]
    return f"{ICONS[worst.severity]} {', '.join(counts)}: {worst.message}"
