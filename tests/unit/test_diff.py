"""The sync's diff: every event kind, the trust rules, and rows matched by ID."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from datetime import date

import pytest

from mutualplan.plan.checks.health import measure
from mutualplan.plan.history.answers import Answer, Outcome, apply_answers
from mutualplan.plan.history.confirmation import Confirmation, confirmation_of
from mutualplan.plan.history.diff import Diff, Editors, diff
from mutualplan.plan.history.events import EventKind, Rejection, Trust, Via
from mutualplan.plan.history.past import ConfirmedDates, Voided
from mutualplan.plan.history.snapshot import Snapshot
from mutualplan.plan.sheet.grid import CellValue, grid_of
from mutualplan.plan.sheet.model import Plan
from mutualplan.plan.sheet.parse import parse
from mutualplan.plan.sheet.stakeholders import read_stakeholders
from mutualplan.plan.sheet.vocabulary import Column, HeadField
from tests.support import HEAD, TODAY, Row, confirmers_ticked, healthy_rows, sheet

CONFIRMED_COL = 11  # "Customer confirmed" in tests.support.HEADER


def unconfirmed_rows() -> list[Row]:
    """The healthy plan before anyone confirmed anything."""
    rows = healthy_rows()
    for row in rows:
        row["Customer confirmed"], row["Confirmed by"] = False, None
    return rows


def plan_of(rows: list[Row], head: Mapping[str, CellValue] | None = None) -> Plan:
    return parse(sheet(rows, head)).plan


def baseline(rows: list[Row]) -> Snapshot:
    """The snapshot a first sync of these rows stores."""
    first = diff(None, plan_of(rows), Editors())
    return first.snapshot


def tick(rows: list[Row], index: int, by: str | None = None) -> list[Row]:
    rows[index]["Customer confirmed"], rows[index]["Confirmed by"] = True, by
    return rows


def ticked_by_cell(plan: Plan, index: int, email: str) -> Editors:
    """The local workbook's word: this person edited row index's Customer confirmed cell."""
    return Editors(cells={(plan.rows[index].sheet_row - 1, CONFIRMED_COL): email})


def kinds(found: Diff) -> list[EventKind]:
    return [event.kind for event in found.events]


def test_a_first_sync_is_a_baseline_with_no_events() -> None:
    first = diff(None, plan_of(unconfirmed_rows()), Editors())
    assert first.events == ()
    assert [row.id for row in first.snapshot.rows] == ["S1", "S2", "S3", "S4", "S5", "S6"]
    assert not first.write_back


def test_the_same_sheet_synced_again_records_nothing_and_writes_nothing() -> None:
    rows = tick(unconfirmed_rows(), 0, "Jane Doe <jane@acme.com>")
    first = diff(baseline(unconfirmed_rows()), plan_of(rows), Editors())
    again = diff(first.snapshot, plan_of(rows), Editors())
    assert (again.events, bool(again.write_back)) == ((), False)
    assert again.snapshot == first.snapshot


def test_a_customer_tick_by_the_person_named_is_a_verified_confirmation() -> None:
    plan = plan_of(tick(unconfirmed_rows(), 0, "Jane Doe <jane@acme.com>"))
    found = diff(baseline(unconfirmed_rows()), plan, ticked_by_cell(plan, 0, "JANE@acme.com"))
    (event,) = found.events
    assert (event.kind, event.row, event.trust) == (EventKind.CONFIRMED, "S1", Trust.VERIFIED)
    assert (event.who, event.new) == ("Jane Doe <jane@acme.com>", "2026-11-23 → 2026-11-27")
    record = found.snapshot.rows[0].confirmation
    assert record is not None
    assert (record.start, record.due, record.trust) == (
        plan.rows[0].start.value,
        plan.rows[0].due.value,
        "verified",
    )


def test_a_tick_in_a_google_sheet_naming_a_customer_is_a_claim_with_drive_as_a_hint_only() -> None:
    plan = plan_of(tick(unconfirmed_rows(), 0, "Jane Doe <jane@acme.com>"))
    found = diff(baseline(unconfirmed_rows()), plan, Editors(last="omar@acme.com"))
    (event,) = found.events
    assert (event.kind, event.trust, event.who, event.via) == (
        EventKind.CONFIRMED, Trust.CLAIMED, "Jane Doe <jane@acme.com>", Via.SHEET,
    )  # fmt: skip
    assert event.note == "Drive last showed omar@acme.com editing"
    assert event.who_shown == "unknown (Drive showed omar@acme.com)"
    assert not found.write_back  # nothing is written into the sheet on a guess
    assert confirmation_of(plan.rows[0], plan, found.snapshot.history()) is Confirmation.CLAIMED


def test_the_seller_ticking_with_a_customer_name_is_a_claim_and_is_not_counted() -> None:
    plan = plan_of(tick(unconfirmed_rows(), 0, "Ravi Shah <ravi@acme.com>"))
    found = diff(baseline(unconfirmed_rows()), plan, ticked_by_cell(plan, 0, "sam@vendor.io"))
    (event,) = found.events
    assert (event.trust, event.who, event.note) == (
        Trust.CLAIMED,
        "Ravi Shah <ravi@acme.com>",
        "ticked by sam@vendor.io",
    )
    assert measure(plan, TODAY, found.snapshot.history()).confirmed_next_30d == 0


def test_drives_last_editor_alone_never_becomes_the_confirmer() -> None:
    plan = plan_of(tick(unconfirmed_rows(), 2))
    found = diff(baseline(unconfirmed_rows()), plan, Editors(last="grace@acme.com"))
    (event,) = found.events
    assert (event.kind, event.field, event.who) == (EventKind.CONFIRMATION_REJECTED, "nobody", "")
    assert found.write_back.confirmed_by == ()
    assert found.snapshot.rows[2].confirmation is None


def test_a_vendor_side_tick_is_reported_and_never_counted() -> None:
    plan = plan_of(tick(unconfirmed_rows(), 0))
    found = diff(baseline(unconfirmed_rows()), plan, ticked_by_cell(plan, 0, "sam@vendor.io"))
    (event,) = found.events
    assert (event.kind, event.field) == (EventKind.CONFIRMATION_REJECTED, "nobody")
    assert found.snapshot.rows[0].confirmation is None
    (note,) = found.write_back.notes
    assert "Confirmed by is blank — name the customer person who confirmed" in note[1]
    history = found.snapshot.history()
    assert confirmation_of(plan.rows[0], plan, history) is Confirmation.REJECTED
    assert diff(found.snapshot, plan, ticked_by_cell(plan, 0, "sam@vendor.io")).events == ()


def test_a_tick_naming_a_vendor_says_who_and_why_it_does_not_count() -> None:
    plan = plan_of(tick(unconfirmed_rows(), 0, "Sam Lee <sam@vendor.io>"))
    found = diff(baseline(unconfirmed_rows()), plan, Editors(last="sam@vendor.io"))
    (event,) = found.events
    assert (event.kind, event.field, event.who) == (
        EventKind.CONFIRMATION_REJECTED,
        "vendor",
        "Sam Lee <sam@vendor.io>",
    )
    assert event.describe() == (
        "Not counted: Sam Lee <sam@vendor.io> is on the vendor side — only the customer can confirm"
    )


def test_a_blank_confirmed_by_is_rejected_by_name_and_looked_at_again_every_sync() -> None:
    found = diff(baseline(unconfirmed_rows()), plan_of(tick(unconfirmed_rows(), 0)), Editors())
    (event,) = found.events
    assert (event.kind, event.who) == (EventKind.CONFIRMATION_REJECTED, "")
    assert "Confirmed by is blank" in event.describe()
    assert " , " not in event.describe()
    again = diff(found.snapshot, plan_of(tick(unconfirmed_rows(), 0)), Editors())
    assert again.events == ()  # the same reason is reported once
    plan = plan_of(tick(unconfirmed_rows(), 0))
    cell = diff(again.snapshot, plan, ticked_by_cell(plan, 0, "jane@acme.com"))  # looked at again
    assert [(item.kind, item.trust) for item in cell.events] == [(EventKind.CONFIRMED, Trust.VERIFIED)]


def test_a_rejected_tick_becomes_a_claim_once_a_customer_is_named() -> None:
    rejected = diff(baseline(unconfirmed_rows()), plan_of(tick(unconfirmed_rows(), 0)), Editors())
    named = plan_of(tick(unconfirmed_rows(), 0, "Jane Doe <jane@acme.com>"))
    found = diff(rejected.snapshot, named, Editors())
    assert [(item.kind, item.trust) for item in found.events] == [(EventKind.CONFIRMED, Trust.CLAIMED)]
    assert found.snapshot.rows[0].rejected == ""


def test_a_claim_verified_through_the_link_is_one_verified_confirmation_that_counts() -> None:
    plan = plan_of(tick(unconfirmed_rows(), 0, "Jane Doe <jane@acme.com>"))
    claimed = diff(baseline(unconfirmed_rows()), plan, Editors(last="sam@vendor.io"))
    row = claimed.snapshot.rows[0]
    answer = Answer("S1", "Jane Doe <jane@acme.com>", "jane@acme.com", row.start, row.due)
    found, outcomes = apply_answers(diff(claimed.snapshot, plan, Editors()), [answer], "2026-11-23 10:00 UTC")
    assert outcomes == (Outcome.CONFIRMED,)
    (event,) = found.events
    assert (event.kind, event.trust, event.via, event.who) == (
        EventKind.CONFIRMED, Trust.VERIFIED, Via.LINK, "Jane Doe <jane@acme.com>",
    )  # fmt: skip
    assert found.write_back.verified[0][:2] == (plan.rows[0].sheet_row, "Jane Doe <jane@acme.com>")
    health = measure(plan, TODAY, found.snapshot.history())
    assert (health.confirmed_next_30d, health.claimed_next_30d) == (1, 0)
    again, outcomes = apply_answers(diff(found.snapshot, plan, Editors()), [answer], "later")
    assert (again.events, outcomes) == ((), (Outcome.ALREADY_CONFIRMED,))


def test_an_answer_for_dates_that_moved_since_the_page_was_shown_records_nothing() -> None:
    base = baseline(unconfirmed_rows())
    shown = base.rows[0]
    moved = unconfirmed_rows()
    moved[0]["Due"] = "2026-12-01"
    answer = Answer("S1", "Jane Doe <jane@acme.com>", "jane@acme.com", shown.start, shown.due)
    found, outcomes = apply_answers(diff(base, plan_of(moved), Editors()), [answer], "now")
    assert outcomes == (Outcome.STALE,)
    assert [event.kind for event in found.events] == [EventKind.DATE_MOVED]


def test_a_proposed_date_moves_nothing_is_recorded_once_and_lapses_when_the_date_moves() -> None:
    base = baseline(unconfirmed_rows())
    row = base.rows[1]
    proposed = Answer(
        "S2",
        "Omar Haddad <omar@acme.com>",
        "omar@acme.com",
        row.start,
        row.due,
        date(2026, 12, 11),
        "CFO away",
    )
    found, outcomes = apply_answers(diff(base, plan_of(unconfirmed_rows()), Editors()), [proposed], "now")
    assert outcomes == (Outcome.PROPOSED,)
    (event,) = found.events
    assert (event.kind, event.old, event.new, event.note) == (
        EventKind.DATE_PROPOSED,
        "2026-12-04",
        "2026-12-11",
        "CFO away",
    )
    assert found.snapshot.rows[1].due == row.due
    assert not found.write_back
    kept = diff(found.snapshot, plan_of(unconfirmed_rows()), Editors())
    assert kept.snapshot.rows[1].proposal == found.snapshot.rows[1].proposal
    assert apply_answers(kept, [proposed], "later")[1] == (Outcome.ALREADY_PROPOSED,)
    accepted = unconfirmed_rows()
    accepted[1]["Due"] = "2026-12-11"
    assert diff(kept.snapshot, plan_of(accepted), Editors()).snapshot.rows[1].proposal is None


@pytest.mark.parametrize(
    ("named", "reason"),
    [
        ("Kim Rao <kim.rao@gmail.com>", Rejection.FREEMAIL),
        ("Mia Lind <mia.lind@gmail.example>", Rejection.FREEMAIL),
        ("Kim Rao <kim@elsewhere.example>", Rejection.OUTSIDE),
    ],
)
def test_standing_on_the_stakeholders_tab_makes_no_outside_address_a_customer(
    named: str, reason: Rejection
) -> None:
    name, email = named.removesuffix(">").split(" <")
    rows = tick(unconfirmed_rows(), 0, named)
    rows[0]["Customer owner"] = named
    tab = read_stakeholders(
        grid_of([["Name", "Email", "Side", "Role"], [name, email, "Customer", "Champion"]])
    )
    listed = replace(plan_of(rows), stakeholders=tab)
    found = diff(baseline(unconfirmed_rows()), listed, confirmers_ticked(listed))
    confirming = [(event.kind, event.field) for event in found.events if event.field != "owners"]
    assert confirming == [(EventKind.CONFIRMATION_REJECTED, reason)]
    assert found.snapshot.rows[0].confirmation is None
    assert "only a person at the customer's own domain can confirm" in found.write_back.notes[0][1]


def confirmed_first_row() -> tuple[list[Row], Snapshot]:
    rows = tick(unconfirmed_rows(), 0, "Jane Doe <jane@acme.com>")
    return rows, diff(baseline(unconfirmed_rows()), plan_of(rows), Editors()).snapshot


def test_moving_a_confirmed_date_voids_the_confirmation_and_unticks_the_box() -> None:
    rows, before = confirmed_first_row()
    rows[0]["Due"] = "2026-11-30"
    plan = plan_of(rows)
    found = diff(before, plan, Editors())
    assert kinds(found) == [EventKind.DATE_MOVED, EventKind.CONFIRMATION_VOIDED]
    moved, voided = found.events
    assert (moved.field, moved.old, moved.new, moved.slip_days) == ("due", "2026-11-27", "2026-11-30", 3)
    assert (voided.old, voided.new) == ("2026-11-23 → 2026-11-27", "2026-11-23 → 2026-11-30")
    ((row, note),) = found.write_back.unticks
    assert row == plan.rows[0].sheet_row
    assert note == (
        "Confirmation voided: Jane Doe confirmed 23 Nov 2026 – 27 Nov 2026; someone moved them to "
        "23 Nov 2026 – 30 Nov 2026 — ask Jane Doe again"
    )
    state = found.snapshot.rows[0]
    assert (state.ticked, state.confirmation) == (False, None)
    assert state.voided == Voided(
        "Jane Doe <jane@acme.com>", "jane@acme.com", voided.old, voided.new, "unknown"
    )


def test_a_voided_confirmation_is_remembered_until_the_customer_confirms_again() -> None:
    rows, before = confirmed_first_row()
    rows[0]["Due"] = "2026-11-30"
    rows[0]["Customer confirmed"] = False
    plan = plan_of(rows)
    moved_by_omar = Editors(cells={(plan.rows[0].sheet_row - 1, plan.columns[Column.DUE]): "omar@acme.com"})
    voided = diff(before, plan, moved_by_omar).snapshot
    assert voided.history().voided["S1"].moved_by == "Omar Haddad <omar@acme.com>"  # named as the plan does
    assert "Omar Haddad moved them" in voided.history().voided["S1"].note
    quiet = diff(voided, plan_of(rows), Editors()).snapshot  # nothing changed: still voided
    assert Snapshot.from_json(quiet.to_json()) == quiet
    assert quiet.rows[0].voided == voided.rows[0].voided
    again = tick(rows, 0, "Jane Doe <jane@acme.com>")
    confirmed = diff(quiet, plan_of(again), confirmers_ticked(plan_of(again))).snapshot
    assert confirmed.rows[0].voided is None


def test_a_date_moved_earlier_is_not_a_slip() -> None:
    rows, before = confirmed_first_row()
    rows[1]["Due"] = "2026-12-01"
    (moved,) = diff(before, plan_of(rows), Editors()).events
    assert (moved.kind, moved.slip_days) == (EventKind.DATE_MOVED, None)


def test_unticking_a_confirmed_row_voids_it() -> None:
    rows, before = confirmed_first_row()
    rows[0]["Customer confirmed"] = False
    (event,) = diff(before, plan_of(rows), Editors()).events
    assert (event.kind, event.field) == (EventKind.CONFIRMATION_VOIDED, "unticked")


def test_owner_evidence_status_and_head_changes_are_events() -> None:
    rows = unconfirmed_rows()
    before = baseline(rows)
    rows[1]["Customer owner"] = "Ana Ruiz <ana@acme.com>"
    rows[2]["Exit evidence"] = "Signed security questionnaire"
    rows[3]["Status"] = "In progress"
    head = {**HEAD, "Go-live": "2027-02-09"}
    found = diff(before, plan_of(rows, head), Editors())
    assert [(event.kind, event.row, event.old, event.new) for event in found.events] == [
        (EventKind.OWNER_CHANGED, "S2", "Omar Haddad <omar@acme.com>", "Ana Ruiz <ana@acme.com>"),
        (EventKind.EVIDENCE_ADDED, "S3", "Security sign-off email", "Signed security questionnaire"),
        (EventKind.STATUS_CHANGED, "S4", "Not started", "In progress"),
        (EventKind.HEAD_CHANGED, None, "2027-02-02", "2027-02-09"),
    ]


def test_rows_added_and_removed_are_events() -> None:
    rows = unconfirmed_rows()
    before = baseline(rows)
    added = {**rows[0], "ID": "S7", "Step": "Reference call"}
    found = diff(before, plan_of([*rows[1:], added]), Editors())
    assert [(event.kind, event.row) for event in found.events] == [
        (EventKind.ROW_ADDED, "S7"),
        (EventKind.ROW_REMOVED, "S1"),
    ]


def test_a_snapshot_survives_its_json_form() -> None:
    _, snapshot = confirmed_first_row()
    assert Snapshot.from_json(snapshot.to_json()) == snapshot


def test_a_snapshot_keeps_each_steps_dependencies_and_reads_one_stored_before_it_kept_them() -> None:
    rows = unconfirmed_rows()
    rows[2]["Depends on"] = "S1, Legal review"
    snapshot = baseline(rows)
    assert snapshot.rows[2].depends_on == ("S1", "Legal review")
    assert Snapshot.from_json(snapshot.to_json()) == snapshot
    data = json.loads(snapshot.to_json())
    data["rows"] = [row[:17] for row in data["rows"]]  # a row list as stored before depends_on
    assert Snapshot.from_json(json.dumps(data)).rows[2].depends_on == ()


def test_a_confirmation_keeps_the_day_it_was_given() -> None:
    rows = tick(unconfirmed_rows(), 0, "Jane Doe <jane@acme.com>")
    plan = plan_of(rows)
    snapshot = diff(baseline(unconfirmed_rows()), plan, confirmers_ticked(plan), date(2026, 11, 23)).snapshot
    record = snapshot.rows[0].confirmation
    assert record is not None
    assert (record.on, record.when) == ("2026-11-23", " on 23 Nov 2026")
    assert Snapshot.from_json(snapshot.to_json()) == snapshot
    older = ConfirmedDates(record.start, record.due, record.by, record.trust, record.email)
    assert older.when == ""  # stored before the day was kept


def test_a_head_edit_names_the_person_who_made_it_as_a_row_edit_does() -> None:
    rows = unconfirmed_rows()
    before = baseline(rows)
    plan = plan_of(rows, {**HEAD, "Signed off by": "Omar Haddad <omar@acme.com>"})
    row, col = plan.head.cells[HeadField.SIGNED_OFF_BY]
    found = diff(before, plan, Editors(cells={(row - 1, col - 1): "sam@vendor.io"}))
    (event,) = found.events
    assert (event.kind, event.field, event.who) == (
        EventKind.HEAD_CHANGED,
        "Signed off by",
        "Sam Lee <sam@vendor.io>",
    )


def test_a_buyers_own_tick_writes_their_name_into_confirmed_by_as_the_rows_name_people() -> None:
    plan = plan_of(tick(unconfirmed_rows(), 2))  # Grace Chen <grace@acme.com> owns the row
    found = diff(baseline(unconfirmed_rows()), plan, ticked_by_cell(plan, 2, "grace@acme.com"))
    (event,) = found.events
    assert (event.trust, event.who) == (Trust.VERIFIED, "Grace Chen <grace@acme.com>")
    assert found.write_back.confirmed_by == ((plan.rows[2].sheet_row, "Grace Chen <grace@acme.com>"),)
