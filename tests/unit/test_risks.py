"""Risks: the Risks tab read as people write it, P-RISKS-MISSING near signature, and the risks a sync keeps;
and the Stakeholders tab as evidence that an owner is a person."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from mutualplan.plan import review
from mutualplan.plan.history.diff import Editors, diff
from mutualplan.plan.history.snapshot import RiskState, Snapshot
from mutualplan.plan.sheet.grid import Grid, grid_of
from mutualplan.plan.sheet.parse import parse
from mutualplan.plan.sheet.risks import read_risks
from tests.support import HEAD, TODAY, healthy_rows, risks_sheet, sheet

SIGNATURE = date(2026, 12, 15)  # the healthy plan's target signature


def test_a_risks_tab_is_read_by_its_header_wherever_it_stands_and_in_the_words_people_use() -> None:
    grid = grid_of([
        ["Risks for the Acme deal"],
        [],
        ["Description", "Risk owner", "Mitigation plan", "Review by", "State"],
        ["Security queue runs six weeks", "Grace Chen", "Questionnaire sent early", "2026-11-30", "open"],
        [None, None, None, None, None],
        ["Holiday freeze", "", "", "", "Mitigated"],
    ])  # fmt: skip
    first, second = read_risks(grid)
    assert (first.sheet_row, first.risk, first.owner, first.mitigation) == (
        4, "Security queue runs six weeks", "Grace Chen", "Questionnaire sent early"
    )  # fmt: skip
    assert first.due.value == date(2026, 11, 30)
    assert first.is_open
    assert (second.sheet_row, second.is_open, second.due.value) == (6, False, None)


@pytest.mark.parametrize(
    "grid", [None, grid_of([]), grid_of([["Notes"], ["We should think about risks"]])], ids=str
)
def test_no_risks_tab_or_one_without_a_risk_column_lists_no_risk(grid: Grid | None) -> None:
    assert read_risks(grid) == ()


def test_a_risk_date_in_the_sheets_locale_is_read_that_way() -> None:
    grid = grid_of([["Risk", "Due"], ["Freeze", "03/12/2026"]])
    parsed = parse(sheet(healthy_rows()), "en_GB", risks=grid).plan
    assert parsed.risks[0].due.value == date(2026, 12, 3)


def risks_missing(today: date, risks: Grid | None) -> list[str]:
    report = review(sheet(healthy_rows()), today, risks=risks)
    return [item.message for item in report.findings if item.code == "P-RISKS-MISSING"]


def test_a_plan_60_days_from_signature_that_lists_no_risk_is_told_to_name_them() -> None:
    assert risks_missing(SIGNATURE - timedelta(days=60), None) == [
        "Signature is 15 Dec 2026 and the plan lists no risks — name them on the Risks tab with an owner, "
        "a mitigation and a date (a security queue, procurement onboarding, a holiday freeze, a "
        "reorganisation)"
    ]
    assert risks_missing(TODAY, risks_sheet(())) != []  # a Risks tab with only its header lists none


def test_risks_are_not_asked_for_far_from_signature_after_it_or_when_listed() -> None:
    assert risks_missing(SIGNATURE - timedelta(days=61), None) == []
    assert risks_missing(SIGNATURE + timedelta(days=1), None) == []
    assert risks_missing(TODAY, risks_sheet()) == []
    closed = risks_sheet((("Holiday freeze", "Jane Doe", "Booked around it", "2026-12-01", "Closed"),))
    assert risks_missing(TODAY, closed) == []  # listed, even when closed


def test_a_sync_keeps_the_risks_and_a_snapshot_from_before_risks_reads_with_none() -> None:
    plan = parse(sheet(healthy_rows()), risks=risks_sheet()).plan
    snapshot = diff(None, plan, Editors()).snapshot
    assert snapshot.risks[0] == RiskState(
        "Security review queue runs six weeks",
        "Grace Chen",
        "Questionnaire sent with SOC 2",
        date(2026, 11, 30),
    )
    assert Snapshot.from_json(snapshot.to_json()) == snapshot
    older = snapshot.to_json().replace(',"risks":[', ',"dropped":[')
    assert Snapshot.from_json(older).risks == ()


def owner_codes(owner: str, stakeholders: list[list[str]]) -> list[str]:
    rows = healthy_rows()
    rows[1]["Customer owner"] = owner
    people = grid_of([["Name", "Email", "Side", "Role"], *stakeholders]) if stakeholders else None
    report = review(sheet(rows), TODAY, stakeholders=people, risks=risks_sheet())
    return [item.code for item in report.findings if item.row == 14]


def test_a_stakeholders_entry_with_a_persons_email_makes_a_team_shaped_name_a_person() -> None:
    assert owner_codes("Jordan Legal", []) == ["R-OWNER-NOT-A-PERSON"]
    assert (
        owner_codes("Jordan Legal", [["Jordan Legal", "jordan.legal@acme.com", "Customer", "Counsel"]]) == []
    )
    assert owner_codes("Anyone on floor 3", [["Anyone on floor 3", "floor3@acme.com", "Customer", ""]]) == []


@pytest.mark.parametrize(
    "entry",
    [
        ["Jordan Legal", "", "Customer", "Sourcing lead"],  # no email: no evidence
        ["Jordan Legal", "procurement@acme.com", "Customer", ""],  # a shared mailbox is no one person
        ["Jordan Legal", "not an address", "Customer", ""],
        ["Someone else", "jordan.legal@acme.com", "Customer", ""],  # another name
    ],
)
def test_a_stakeholders_entry_without_a_persons_own_email_is_no_evidence(entry: list[str]) -> None:
    assert owner_codes("Jordan Legal", [entry]) == ["R-OWNER-NOT-A-PERSON"]


def test_stakeholders_evidence_never_makes_a_placeholder_or_a_side_a_person() -> None:
    for owner in ("TBD", "Customer", "[Champion]"):
        listed = [[owner, "jane@acme.com", "Customer", "Champion"]]
        assert owner_codes(owner, listed) == owner_codes(owner, [])


def test_a_stakeholders_person_takes_their_email_into_the_owner_cell_they_are_named_in() -> None:
    rows = healthy_rows()
    rows[1]["Customer owner"] = "Omar Haddad"
    people = grid_of([["Name", "Email", "Side"], ["Omar Haddad", "omar@acme.com", "Customer"]])
    owner = parse(sheet(rows, HEAD), stakeholders=people).plan.rows[1].owners[0]
    assert owner.party.email == "omar@acme.com"
