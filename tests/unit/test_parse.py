"""Finding the plan table and head block in any reasonable sheet layout."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from mutualplan.errors import NoPlanTableError
from mutualplan.plan import Merge, parse, review
from mutualplan.plan.sheet.grid import Cell, CellValue, grid_of
from mutualplan.plan.sheet.model import Side
from mutualplan.plan.sheet.vocabulary import Column, Status, Track
from tests.support import HEAD, HEADER, TODAY, first_table_row, healthy_rows, sheet


def codes_of(values: list[list[CellValue]]) -> list[str]:
    return [item.code for item in review(grid_of(values), TODAY).findings]


def test_the_header_row_is_found_by_its_names_below_a_title_and_head_block() -> None:
    plan = parse(sheet(healthy_rows())).plan
    assert plan.header_row == first_table_row(sheet(healthy_rows())) - 1
    assert [row.id for row in plan.rows] == ["S1", "S2", "S3", "S4", "S5", "S6"]
    assert plan.head.customer == "Acme"
    assert plan.go_live == date(2027, 2, 2)


def test_common_template_vocabularies_are_understood() -> None:
    grid = grid_of(
        [
            ["Production go-live:", "2 Feb 2027"],
            ["Statement of value", "Close the books in 3 days"],
            ["Target close", "2026-12-15"],
            ["Task", "Buyer owner", "Seller owner", "Begin", "Deadline", "Proof", "Progress", "Agreed"],
            ["Define POC success criteria", "Jane Doe", "Sam Lee", "2026-11-23", "2026-11-27",
             "Criteria doc", "WIP", "yes"],
        ]
    )  # fmt: skip
    plan = parse(grid).plan
    (row,) = plan.rows
    assert plan.go_live == date(2027, 2, 2)
    assert plan.head.outcome == "Close the books in 3 days"
    assert plan.target_signature == date(2026, 12, 15)
    assert row.step == "Define POC success criteria"
    assert row.owners_on(Side.CUSTOMER)[0].name == "Jane Doe"
    assert row.owners_on(Side.VENDOR)[0].name == "Sam Lee"
    assert (row.start.value, row.due.value) == (date(2026, 11, 23), date(2026, 11, 27))
    assert (row.evidence, row.status, row.confirmed) == ("Criteria doc", Status.IN_PROGRESS, True)


def test_a_head_value_in_the_same_cell_as_its_label_is_read() -> None:
    grid = grid_of([["Go-live: 2027-02-02"], ["Step", "Owner", "Due"], ["Kickoff", "Jane Doe", "2027-01-05"]])
    assert parse(grid).plan.go_live == date(2027, 2, 2)


def test_reordered_columns_are_read_by_name() -> None:
    header = tuple(reversed(HEADER))
    plan = parse(sheet(healthy_rows(), header=header)).plan
    assert plan.rows[0].step == "POC success criteria agreed"
    assert plan.rows[0].due.value == date(2026, 11, 27)


def test_blank_rows_in_the_middle_do_not_end_the_table() -> None:
    rows = healthy_rows()
    rows.insert(2, {})
    rows.insert(2, {})
    assert len(parse(sheet(rows)).plan.rows) == 6


def test_a_sheet_without_a_plan_table_is_one_clear_error() -> None:
    with pytest.raises(NoPlanTableError, match=r"no plan table found.*Step"):
        parse(grid_of([["Shopping list"], ["Milk", "2"], ["Eggs", "12"]]))


def test_an_empty_sheet_has_no_plan_table() -> None:
    with pytest.raises(NoPlanTableError):
        parse(grid_of([]))


def test_a_header_only_plan_reads_as_a_plan_with_no_steps() -> None:
    report = review(sheet([]), TODAY)
    assert report.plan.rows == ()
    assert "P-TRACK-MISSING" in {item.code for item in report.findings}
    assert report.health.confirmation_rate_30d is None


def test_a_renamed_header_still_needs_a_step_column() -> None:
    with pytest.raises(NoPlanTableError):
        parse(grid_of([["What", "Who", "Due"], ["Kickoff", "Jane Doe", "2027-01-05"]]))


def test_a_track_left_blank_is_told_by_the_steps_words() -> None:
    rows = healthy_rows()
    for row in rows:
        row["Track"] = None
    tracks = [row.track for row in parse(sheet(rows)).plan.rows]
    assert tracks == [
        Track.TECHNICAL, Track.BUSINESS, Track.SECURITY, Track.LEGAL, Track.SIGNATURE, Track.SUCCESS,
    ]  # fmt: skip


def test_a_merged_due_cell_gives_each_row_its_date_and_a_finding() -> None:
    rows = healthy_rows()
    rows[2]["Due"] = None
    grid = sheet(rows)
    top = first_table_row(grid)  # the 0-based index of the second table row
    grid = replace(grid, merges=(Merge(top, 6, top + 1, 6),))
    result = parse(grid)
    assert result.plan.rows[2].due.value == result.plan.rows[1].due.value
    assert [item.code for item in result.findings] == ["R-CELL-MERGED"]


def test_a_step_merged_across_columns_leaves_the_owner_missing() -> None:
    rows = healthy_rows()
    rows[0]["Customer owner"] = rows[0]["Vendor owner"] = None
    grid = sheet(rows)
    index = first_table_row(grid) - 1
    report = review(replace(grid, merges=(Merge(index, 2, index, 4),)), TODAY)
    codes = {item.code for item in report.findings}
    assert {"R-CELL-MERGED", "R-OWNER-MISSING"} <= codes


def test_a_plain_owner_column_takes_sides_from_email_domains() -> None:
    grid = grid_of(
        [
            ["Customer domain", "acme.com"],
            ["Step", "Owner", "Due"],
            ["Kickoff", "Jane Doe <jane@acme.com>, Sam <sam@vendor.io>", "2027-01-05"],
        ]
    )
    (row,) = parse(grid).plan.rows
    assert [p.name for p in row.owners_on(Side.CUSTOMER)] == ["Jane Doe"]
    assert [p.name for p in row.owners_on(Side.UNKNOWN)] == ["Sam"]


def test_a_name_takes_the_email_it_has_elsewhere_in_the_plan() -> None:
    plan = parse(sheet(healthy_rows())).plan
    assert plan.rows[5].owners_on(Side.CUSTOMER)[0].email == "jane@acme.com"


def test_side_domains_come_from_the_owner_columns_when_the_head_lacks_them() -> None:
    head = {key: value for key, value in HEAD.items() if "domain" not in key}
    plan = parse(sheet(healthy_rows(), head=head)).plan
    assert plan.customer_domains == {"acme.com"}
    assert plan.vendor_domains == {"vendor.io"}


@pytest.mark.parametrize("text", ["=SUM(A1:A3)", "+1 555 0100", "-5 days", "@jane", "'quoted"])
def test_cell_text_that_looks_like_a_formula_is_read_as_text(text: str) -> None:
    rows = healthy_rows()
    rows[0]["Exit evidence"] = text
    row = parse(sheet(rows)).plan.rows[0]
    assert row.evidence == text


@pytest.mark.parametrize(("text", "read_as"), [("\tTabbed", "Tabbed"), ("a\x00b", "ab"), ("a\rb", "a b")])
def test_control_characters_in_text_are_read_as_plain_text(text: str, read_as: str) -> None:
    rows = healthy_rows()
    rows[0]["Exit evidence"] = text
    assert parse(sheet(rows)).plan.rows[0].evidence == read_as


def test_hostile_and_huge_text_is_read_and_quoted_short() -> None:
    rows = healthy_rows()
    rows[0]["Step"] = "Review " + "x" * 50_000
    rows[0]["Customer owner"] = "Legal \U0001f525\u202e"
    report = review(sheet(rows), TODAY)
    assert len(report.plan.rows[0].step) == 50_007
    (owner_finding,) = [item for item in report.findings if item.code == "R-OWNER-NOT-A-PERSON"]
    assert len(owner_finding.step or "") <= 60
    assert "\u202e" not in owner_finding.message


def test_a_ten_thousand_row_plan_is_read_whole() -> None:
    rows = [dict(healthy_rows()[index % 6], ID=f"R{index}") for index in range(10_000)]
    assert len(parse(sheet(rows)).plan.rows) == 10_000


def test_an_unknown_status_and_a_tick_mark_status() -> None:
    rows = healthy_rows()
    rows[0]["Status"] = "✓"
    rows[1]["Status"] = "Pondering"
    plan = parse(sheet(rows)).plan
    assert plan.rows[0].status is Status.DONE
    assert (plan.rows[1].status, plan.rows[1].status_text) == (None, "Pondering")


def test_only_the_first_of_two_due_columns_is_read() -> None:
    plan = parse(sheet(healthy_rows(), header=(*HEADER, "Deadline"))).plan
    assert plan.columns[Column.DUE] == HEADER.index("Due")


def test_a_formula_owner_cell_is_kept_as_a_formula() -> None:
    rows = healthy_rows()
    rows[0]["Customer owner"] = Cell("Jane Doe", is_formula=True)
    report = review(sheet(rows), TODAY)
    assert any("formula" in item.message for item in report.findings if item.code == "R-OWNER-NOT-A-PERSON")
