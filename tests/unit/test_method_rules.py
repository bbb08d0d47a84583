"""The method's stricter rules: role placeholders by distance, plausible dates, threads, the signature and
the review questions — each fires where the method says and stays quiet on a healthy plan."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from mutualplan.plan import History, Severity, review
from mutualplan.plan.checks.health import measure
from mutualplan.plan.history.diff import diff
from mutualplan.plan.history.past import Slip
from mutualplan.plan.pictures.chart import WIDE, chart_of
from mutualplan.plan.sheet.grid import CellValue
from mutualplan.plan.sheet.model import Side
from mutualplan.plan.sheet.parse import parse
from tests.support import HEAD, TODAY, Row, confirmers_ticked, healthy_rows, risks_sheet, sheet


def codes_of(
    rows: list[Row], head: dict[str, CellValue] | None = None, today: date = TODAY
) -> dict[str, list[str]]:
    report = review(sheet(rows, head if head is not None else HEAD), today, risks=risks_sheet())
    found: dict[str, list[str]] = {}
    for item in report.findings:
        found.setdefault(item.code, []).append(item.message)
    return found


def test_a_role_placeholder_is_information_far_out_and_an_error_within_30_days() -> None:
    rows = healthy_rows()
    rows[5]["Customer owner"] = "[Champion]"  # due 2 Feb 2027: 72 days out
    rows[0]["Customer owner"] = "[Security owner]"  # due 27 Nov 2026: 5 days out
    report = review(sheet(rows), TODAY)
    placeholders = {item.row or 0: item for item in report.findings if item.code == "R-OWNER-PLACEHOLDER"}
    far, near = placeholders[max(placeholders)], placeholders[min(placeholders)]
    assert (far.severity, near.severity) == (Severity.INFO, Severity.ERROR)
    assert far.message == "Owner '[Champion]' is a role — name the person by 3 Jan 2027"
    assert (
        near.message
        == "Owner '[Security owner]' is a role and the step is due 27 Nov 2026 — name the person now"
    )


def test_a_date_typed_as_year_304_is_a_typo_reported_once_and_never_a_slip() -> None:
    rows = healthy_rows()
    rows[1]["Due"] = "0304-12-04"
    found = codes_of(rows)
    assert found["R-DATE-IMPLAUSIBLE"] == [
        "Due 4 Dec 304 can't be meant — a typo? Type the date the customer agreed, such as 2027-02-02"
    ]
    assert "R-DATE-ORDER" not in found
    assert "R-DATE-PAST-OPEN" not in found
    history = History(
        slips=(
            Slip("S2", date(2026, 12, 4), date(304, 12, 4)),
            Slip("S3", date(2026, 12, 4), date(2026, 12, 9)),
        )
    )
    plan = parse(sheet(healthy_rows())).plan
    slips = measure(plan, TODAY, history).slips
    assert slips is not None
    assert (slips.count, slips.total_days) == (1, 5)
    far = healthy_rows()
    far[1]["Due"] = "2031-12-04"  # five years and twelve days out: 2027 typed as 2031?
    assert codes_of(far)["R-DATE-IMPLAUSIBLE"][0].startswith("Due 4 Dec 2031 can't be meant")
    far[1]["Due"] = "2031-11-20"  # within five years: a date someone may mean
    assert "R-DATE-IMPLAUSIBLE" not in codes_of(far)


def test_a_typo_date_never_stretches_the_timeline() -> None:
    rows = healthy_rows()
    plan = parse(sheet(rows)).plan
    clean = chart_of(diff(None, plan, confirmers_ticked(plan)).snapshot, TODAY, size=WIDE)
    rows[1]["Due"] = "0304-12-04"
    typo_plan = parse(sheet(rows)).plan
    typo = chart_of(diff(None, typo_plan, confirmers_ticked(typo_plan)).snapshot, TODAY, size=WIDE)
    assert [bar.left for bar in typo.bars if not bar.label.startswith("S2")] == [
        bar.left for bar in clean.bars if not bar.label.startswith("S2")
    ]


def test_one_customer_person_owning_most_open_steps_is_single_threaded_by_name() -> None:
    rows = healthy_rows()
    for index in (1, 2):
        rows[index]["Customer owner"] = "Jane Doe <jane@acme.com>"
    (message,) = codes_of(rows)["P-SINGLE-THREADED"]  # Jane, Luis and Sara: Jane owns most
    assert message.startswith("Jane Doe owns 4 of 6 customer steps")
    two = healthy_rows()
    for index in (1, 2, 3, 4):
        two[index]["Customer owner"] = (
            "Omar Haddad <omar@acme.com>" if index % 2 else "Jane Doe <jane@acme.com>"
        )
    (few,) = codes_of(two)["P-SINGLE-THREADED"]
    assert few.startswith("2 customer people own the open steps")


def test_a_go_live_after_the_external_deadline_is_an_error_at_the_go_live() -> None:
    report = review(sheet(healthy_rows(), {**HEAD, "External deadline": "2027-01-29"}), TODAY)
    (item,) = [item for item in report.findings if item.code == "P-GOLIVE-AFTER-DEADLINE"]
    assert item.severity is Severity.ERROR
    assert item.message.startswith("Go-live 2 Feb 2027 is after the external deadline 29 Jan 2027")
    assert report.has_errors


def test_signature_at_risk_names_the_unconfirmed_and_overdue_steps_of_the_three_weeks_before() -> None:
    rows = healthy_rows()
    rows[3]["Customer confirmed"] = False  # MSA redlines, due 10 Dec: in the window
    rows[5]["Customer confirmed"] = False  # go-live, after the signature: not in it
    (message,) = codes_of(rows)["P-SIGNATURE-AT-RISK"]
    assert message == (
        "If signature is on 15 Dec 2026, these must be true by then and are not: "
        "MSA redlines returned (not confirmed)"
    )
    overdue = codes_of(rows, today=date(2026, 12, 11))["P-SIGNATURE-AT-RISK"][0]
    assert "MSA redlines returned (overdue)" in overdue


def test_the_customer_internal_steps_not_confirmed_are_assumed_rather_than_seen() -> None:
    rows = healthy_rows()
    rows[2]["Customer confirmed"] = False  # Security review passed
    rows[3]["Customer confirmed"] = False  # MSA redlines returned
    (message,) = codes_of(rows)["P-ASSUMED-INTERNAL-STEPS"]
    assert "security review: Security review passed" in message
    assert "legal review: MSA redlines returned" in message


def test_customer_steps_are_missing_only_when_no_row_is_the_customers_alone() -> None:
    rows = healthy_rows()
    rows[1]["Vendor owner"] = "Sam Lee"  # the one customer-only row gets a vendor co-owner
    assert "P-CUSTOMER-STEPS-MISSING" in codes_of(rows)
    rows[4]["Vendor owner"] = None  # another row becomes the customer's alone
    assert "P-CUSTOMER-STEPS-MISSING" not in codes_of(rows)


def test_a_sheet_in_the_wild_with_result_and_a_signing_step_reads_as_evidence_and_signature() -> None:
    header = ("Milestone", "Owner", "Date", "Result")
    rows: list[Row] = [
        {
            "Milestone": "Security review",
            "Owner": "Grace Chen <grace@acme.com>",
            "Date": "2026-12-01",
            "Result": "Sign-off email",
        },
        {
            "Milestone": "Signing",
            "Owner": "Sara Brandt <sara@acme.com>",
            "Date": "2026-12-15",
            "Result": "Countersigned order form",
        },
    ]
    report = review(sheet(rows, HEAD, header), TODAY)
    codes = {item.code for item in report.findings}
    assert "R-EVIDENCE-MISSING" not in codes
    assert "P-ENDS-AT-SIGNATURE" in codes
    assert all(row.is_signature is (row.step == "Signing") for row in report.plan.rows)


@pytest.mark.parametrize(
    "header",
    [
        ("Milestone", "Owner", "Date", "Result"),
        ("Task", "Owner", "Deadline", "Outcome"),
        ("Activity", "Owner", "Due date", "Success criteria"),
        ("Milestone", "Owner", "Due", "Deliverable"),
    ],
    ids=" / ".join,
)
def test_the_column_names_people_write_are_read_and_one_owner_column_is_split_by_side(
    header: tuple[str, ...],
) -> None:
    step, owner, due, evidence = header
    rows: list[Row] = [
        {
            step: "Security review",
            owner: "Grace Chen <grace@acme.com>",
            due: "2026-12-01",
            evidence: "Sign-off",
        },
        {step: "Order form", owner: "Mia Park <mia@vendor.io>", due: "2026-12-15", evidence: "Countersigned"},
    ]
    plan = review(sheet(rows, HEAD, header), TODAY).plan
    assert [(row.step, row.due.value, row.evidence) for row in plan.rows] == [
        ("Security review", date(2026, 12, 1), "Sign-off"),
        ("Order form", date(2026, 12, 15), "Countersigned"),
    ]
    assert [row.owner_sides for row in plan.rows] == [{Side.CUSTOMER}, {Side.VENDOR}]


def test_the_healthy_plan_answers_every_review_question_without_a_finding() -> None:
    assert codes_of(healthy_rows()) == {}
    assert codes_of(healthy_rows(), today=TODAY + timedelta(days=3)) == {}


def test_an_owner_of_unknown_shape_is_a_warning_and_a_team_name_an_error() -> None:
    rows = healthy_rows()
    rows[0]["Customer owner"] = "Anyone on floor 3"
    rows[1]["Customer owner"] = "Procurement Ops"
    report = review(sheet(rows), TODAY)
    owners = {item.row or 0: item for item in report.findings if item.code == "R-OWNER-NOT-A-PERSON"}
    unsure, team = (owners[row] for row in sorted(owners))
    assert (unsure.severity, team.severity) == (Severity.WARNING, Severity.ERROR)
    assert unsure.message == (
        "Owner 'Anyone on floor 3' doesn't read as one person's name — name the person who owns this step"
    )


def test_internal_steps_are_told_by_their_words_not_by_letters_inside_words() -> None:
    rows = healthy_rows()
    rows[5]["Step"] = "Onboarding kickoff"  # holds "board", and is no committee
    rows[5]["Customer confirmed"] = False
    assert "P-ASSUMED-INTERNAL-STEPS" not in codes_of(rows)
    rows[1]["Step"] = "Vendor registered in the procurement system"
    rows[1]["Customer confirmed"] = False
    (message,) = codes_of(rows)["P-ASSUMED-INTERNAL-STEPS"]
    assert "vendor registration: Vendor registered in the procurement system" in message


def test_a_teams_advice_fits_the_row_it_is_read_on() -> None:
    rows = healthy_rows()
    rows[0]["Customer owner"] = "Legal"  # S1, a Technical row
    rows[3]["Customer owner"] = "Legal"  # S4, a Legal row
    messages = codes_of(rows)["R-OWNER-NOT-A-PERSON"]
    assert messages == [
        "Owner 'Legal' is a team — name the person who will do this step",
        "Owner 'Legal' is a team — name the attorney",
    ]


def test_a_person_with_no_email_anywhere_is_told_they_get_no_reminders_until_one_is_given() -> None:
    rows = healthy_rows()
    rows[4]["Vendor owner"] = "Jo Park"
    (message,) = codes_of(rows)["R-OWNER-NO-EMAIL"]
    assert message == (
        "Jo Park has no email anywhere in the plan, so they get no reminders — write "
        "'Jo Park <their address>' here, or list them on the Stakeholders tab"
    )
    rows[5]["Vendor owner"] = "Jo Park <jo@vendor.io>"  # named with an email on another row: known
    assert "R-OWNER-NO-EMAIL" not in codes_of(rows)


@pytest.mark.parametrize(("start", "due"), [("9999-12-30", "9999-12-31"), ("0001-01-01", "9999-12-31")])
def test_a_date_at_the_calendars_end_still_draws_a_timeline(start: str, due: str) -> None:
    rows = healthy_rows()
    rows[1]["Start"], rows[1]["Due"] = start, due
    plan = parse(sheet(rows)).plan
    snapshot = diff(None, plan, confirmers_ticked(plan)).snapshot
    slipped = [Slip(plan.rows[1].id or "", date(9999, 12, 1), date(9999, 12, 31))]
    chart = chart_of(snapshot, TODAY, slipped, size=WIDE)
    assert len(chart.bars) == len(plan.rows)
    assert all(bar.left <= bar.right for bar in chart.bars)
