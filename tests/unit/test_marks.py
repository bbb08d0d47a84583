"""The Check column says what the sidebar says, in the same words: what to fix, what is worth a look,
what is noted — and, for a confirmed row, who confirmed it."""

from __future__ import annotations

import pytest

from mutualplan.plan import History, review
from mutualplan.plan.checks.findings import Finding, Severity
from mutualplan.plan.checks.marks import CHECK_OK, check_text, mark_writes
from mutualplan.plan.checks.review import confirmers
from mutualplan.plan.history.past import ConfirmedDates
from mutualplan.plan.sheet.layout import SetMarks
from tests.support import TODAY, healthy_rows, risks_sheet, sheet


def found(*severities: Severity) -> list[Finding]:
    return [
        Finding("R-X", severity, f"{severity.value} message", 13, "D13", "Step") for severity in severities
    ]


@pytest.mark.parametrize(
    ("severities", "text"),
    [
        ((), CHECK_OK),
        ((Severity.WARNING,), "! warning message"),
        ((Severity.ERROR, Severity.WARNING, Severity.WARNING), "✗ 1 to fix, 2 worth a look: error message"),
        ((Severity.WARNING, Severity.INFO), "! 1 worth a look, 1 noted: warning message"),
        ((Severity.INFO, Severity.INFO), "i 2 noted: info message"),
    ],
)
def test_the_check_column_counts_in_the_sidebars_words(severities: tuple[Severity, ...], text: str) -> None:
    assert check_text(found(*severities)) == text


def test_a_row_the_customer_confirmed_says_who_confirmed_it() -> None:
    assert check_text([], "Jane Doe (verified)") == "✓ Confirmed by Jane Doe (verified)"
    assert check_text(found(Severity.WARNING), "Jane Doe (verified)") == "! warning message"


def test_validate_writes_who_confirmed_each_row_verified_from_history() -> None:
    rows = healthy_rows()
    first = review(sheet(rows), TODAY, risks=risks_sheet()).plan.rows[0]
    verified = ConfirmedDates(
        first.start.value,
        first.due.value,
        "Jane Doe <jane@acme.com>",
        "verified",
        "jane@acme.com",
        "2026-11-20",
    )
    report = review(sheet(rows), TODAY, history=History({"S1": verified}), risks=risks_sheet())
    (marks,) = [write for write in mark_writes(report, "MAP") if isinstance(write, SetMarks)]
    checks = dict(marks.checks)
    assert checks[first.sheet_row - 1] == "✓ Confirmed by Jane Doe on 20 Nov 2026 (verified)"
    without_history = review(sheet(rows), TODAY, risks=risks_sheet())
    assert confirmers(without_history)[first.sheet_row] == "Jane Doe"  # a file: the sheet's own tick


def test_a_cells_note_says_what_to_fix_in_words_without_the_rule_code() -> None:
    rows = healthy_rows()
    rows[0]["Due"] = "next week"
    report = review(sheet(rows), TODAY, risks=risks_sheet())
    (marks,) = [write for write in mark_writes(report, "MAP") if isinstance(write, SetMarks)]
    assert marks.marks, "the date that is not a date is marked"
    for mark in marks.marks:
        assert not mark.note.startswith(("R-", "P-")), mark.note
        assert mark.note in {item.message for item in report.findings}
