"""Every rule of MAP_METHOD.md fires on the row that breaks it, and not on a healthy plan."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

import pytest

from mutualplan.app import lookalikes
from mutualplan.plan import RULES, Cell, ConfirmedDates, History, Merge, Severity, review
from mutualplan.plan.crm.deal import CLOSE_CODE
from mutualplan.plan.people.confirmers import Screen
from mutualplan.plan.sheet.grid import CellValue, Grid
from tests.support import HEAD, HEADER, TODAY, Row, first_table_row, healthy_rows, risks_sheet, sheet

Change = Callable[[list[Row], dict[str, CellValue]], object]


@dataclass(frozen=True)
class Case:
    """A rule, the one change to the healthy plan that breaks it, and where it shows."""

    code: str
    change: Change
    row: int | None = None
    history: History | None = None
    header: tuple[str, ...] = HEADER
    merges: tuple[Merge, ...] = ()
    risks: Grid | None = field(default_factory=risks_sheet)
    screen: Screen | None = None


def edit(index: int, fields: Row) -> Change:
    return lambda rows, head: rows[index].update(fields)


def head_edit(fields: dict[str, CellValue]) -> Change:
    return lambda rows, head: head.update(fields)


def every_row(fields: Row) -> Change:
    return lambda rows, head: [row.update(fields) for row in rows]


def nothing(rows: list[Row], head: dict[str, CellValue]) -> None:
    return None


CASES = [
    Case("R-OWNER-MISSING", edit(0, {"Customer owner": None, "Vendor owner": None}), row=0),
    Case("R-OWNER-NOT-A-PERSON", edit(3, {"Customer owner": "Legal"}), row=3),
    Case("R-OWNER-PLACEHOLDER", edit(0, {"Customer owner": "[Champion]"}), row=0),
    Case("R-OWNER-ONE-SIDED", edit(3, {"Customer owner": None}), row=3),
    Case("R-OWNER-WRONG-SIDE", edit(0, {"Vendor owner": "Kim Ray <kim@acme.com>"}), row=0),
    Case("R-CUSTOMER-OUTSIDE", edit(2, {"Customer owner": "Mia Lind <mia.lind@gmail.example>"}), row=2),
    Case(
        "R-ADDRESS-LOOKALIKE",
        edit(0, {"Customer owner": "Jane Doe <j\u0430ne@acme.com>"}),  # a Cyrillic а
        row=0,
        screen=lookalikes.screen,
    ),
    Case("R-DATE-MISSING", edit(1, {"Due": None}), row=1),
    Case("R-DATE-UNREADABLE", edit(1, {"Due": "TBD"}), row=1),
    Case("R-DATE-AMBIGUOUS", edit(1, {"Due": "03/04/2027"}), row=1),
    Case("R-DATE-NO-YEAR", edit(1, {"Due": "4 Dec"}), row=1),
    Case("R-DATE-FORMULA", edit(1, {"Due": Cell(46360, is_formula=True)}), row=1),
    Case("R-DATE-ORDER", edit(1, {"Start": "2026-12-06"}), row=1),
    Case("R-DATE-IMPLAUSIBLE", edit(1, {"Due": "0304-12-04"}), row=1),
    Case("R-DATE-AFTER-GOLIVE", edit(4, {"Due": "2027-02-10"}), row=4),
    Case("R-OWNER-NO-EMAIL", edit(4, {"Vendor owner": "Jo Park"}), row=4),
    Case("R-DATE-PAST-OPEN", edit(0, {"Start": "2026-11-16", "Due": "2026-11-20"}), row=0),
    Case("R-DEPENDENCY", edit(3, {"Start": "2026-12-01"}), row=3),
    Case("R-DEPENDENCY-UNKNOWN", edit(3, {"Depends on": "S9"}), row=3),
    Case("R-EVIDENCE-MISSING", edit(0, {"Exit evidence": None}), row=0),
    Case("R-EVIDENCE-DONE-WITHOUT", edit(0, {"Exit evidence": None, "Status": "Done"}), row=0),
    Case("R-UNCONFIRMED", edit(0, {"Customer confirmed": False}), row=0),
    Case(
        "R-CONFIRMATION-STALE",
        nothing,
        row=0,
        history=History({"S1": ConfirmedDates(date(2026, 11, 23), date(2026, 11, 25))}),
    ),
    Case("R-TRACK-UNKNOWN", edit(0, {"Track": "Vibes"}), row=0),
    Case("R-STATUS-UNKNOWN", edit(0, {"Status": "Waiting for Godot"}), row=0),
    Case("R-STEP-MISSING", edit(0, {"Step": None}), row=0),
    Case("R-CELL-MERGED", nothing, row=1, merges=(Merge(13, 6, 14, 6),)),
    Case("P-OUTCOME-MISSING", head_edit({"Outcome": None})),
    Case("P-CUSTOMER-DOMAIN-FREEMAIL", head_edit({"Customer domain": "gmail.com"})),
    Case("P-GOLIVE-MISSING", lambda rows, head: head.pop("Go-live")),
    Case("P-SIGNOFF-MISSING", head_edit({"Signed off by": "Customer"})),
    Case("P-TRACK-MISSING", lambda rows, head: rows.pop(0)),
    Case("P-CUSTOMER-STEPS-MISSING", edit(1, {"Vendor owner": "Sam Lee"})),
    Case("P-SINGLE-THREADED", every_row({"Customer owner": "Jane Doe <jane@acme.com>"})),
    Case("P-ENDS-AT-SIGNATURE", lambda rows, head: rows.pop(), row=4),
    Case("P-NO-GATES", every_row({"Gate": False})),
    Case(
        "P-RUNWAY-SHORT",
        edit(1, {"Notes": "Compressed to fit the go-live (runway short by 12 days): the template plans …"}),
    ),
    Case("P-GOLIVE-AFTER-DEADLINE", head_edit({"External deadline": "2027-01-29"})),
    Case("P-SIGNATURE-MISMATCH", head_edit({"Target signature": "2026-12-18"}), row=4),
    Case("P-SIGNATURE-AT-RISK", edit(3, {"Customer confirmed": False})),
    Case("P-ASSUMED-INTERNAL-STEPS", edit(2, {"Customer confirmed": False})),
    Case("P-RISKS-MISSING", nothing, risks=None),
    Case("S-HEADER-DUPLICATE", nothing, header=(*HEADER, "Deadline")),
    Case("S-HEADER-REPEATED", lambda rows, head: rows.insert(2, {name: name for name in HEADER}), row=2),
    Case("S-ROW-SKIPPED", lambda rows, head: rows.append({"Step": "Total"}), row=6),
]


# Rules a sheet's review cannot fire: they read something besides the sheet, and have their own tests.
BEYOND_THE_SHEET = {CLOSE_CODE}  # the CRM's close date and forecast: tests/unit/test_crm.py


def test_every_rule_has_a_case_that_fires_it() -> None:
    assert {case.code for case in CASES} == set(RULES) - BEYOND_THE_SHEET


def test_the_healthy_plan_breaks_no_rule() -> None:
    report = review(sheet(healthy_rows()), TODAY, risks=risks_sheet())
    assert report.findings == ()
    assert not report.has_errors


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.code)
def test_each_rule_fires_where_the_plan_breaks_it(case: Case) -> None:
    rows, head = healthy_rows(), dict(HEAD)
    case.change(rows, head)
    grid = replace(sheet(rows, head, case.header), merges=case.merges)
    report = review(grid, TODAY, history=case.history, risks=case.risks, screen=case.screen)
    hits = [item for item in report.findings if item.code == case.code]
    assert hits, f"{case.code} did not fire; found {[item.code for item in report.findings]}"
    assert hits[0].severity is RULES[case.code].severity
    assert hits[0].message
    if case.row is not None:
        assert hits[0].row == first_table_row(grid) + case.row


@pytest.mark.parametrize(
    "code",
    ["R-OWNER-MISSING", "R-OWNER-NOT-A-PERSON", "R-DATE-MISSING", "R-DATE-UNREADABLE", "R-DATE-ORDER"],
)
def test_the_core_row_rules_are_errors(code: str) -> None:
    assert RULES[code].severity is Severity.ERROR
