"""The sync's diff: every event kind, the trust rules, and rows matched by ID."""

from __future__ import annotations

from collections.abc import Mapping

from mutualplan.plan.confirmation import Confirmation, confirmation_of
from mutualplan.plan.diff import Diff, Editors, diff
from mutualplan.plan.events import EventKind, Trust
from mutualplan.plan.grid import CellValue, grid_of
from mutualplan.plan.model import Plan
from mutualplan.plan.parse import parse
from mutualplan.plan.snapshot import Snapshot
from mutualplan.plan.stakeholders import read_stakeholders
from tests.support import HEAD, Row, healthy_rows, sheet

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


def test_a_tick_named_only_in_confirmed_by_is_attested() -> None:
    plan = plan_of(tick(unconfirmed_rows(), 0, "Jane Doe <jane@acme.com>"))
    (event,) = diff(baseline(unconfirmed_rows()), plan, Editors(last="omar@acme.com")).events
    assert (event.kind, event.trust, event.who) == (
        EventKind.CONFIRMED,
        Trust.ATTESTED,
        "Jane Doe <jane@acme.com>",
    )


def test_a_tick_with_no_one_named_takes_the_cell_editor_and_fills_confirmed_by() -> None:
    plan = plan_of(tick(unconfirmed_rows(), 2))
    found = diff(baseline(unconfirmed_rows()), plan, ticked_by_cell(plan, 2, "grace@acme.com"))
    (event,) = found.events
    assert (event.kind, event.trust, event.who) == (EventKind.CONFIRMED, Trust.VERIFIED, "grace@acme.com")
    assert found.write_back.confirmed_by == ((plan.rows[2].sheet_row, "grace@acme.com"),)


def test_drives_last_editor_alone_is_a_confirmation_of_unknown_trust() -> None:
    plan = plan_of(tick(unconfirmed_rows(), 2))
    (event,) = diff(baseline(unconfirmed_rows()), plan, Editors(last="grace@acme.com")).events
    assert (event.kind, event.trust) == (EventKind.CONFIRMED, Trust.UNKNOWN)


def test_a_vendor_side_tick_is_reported_and_never_counted() -> None:
    plan = plan_of(tick(unconfirmed_rows(), 0))
    found = diff(baseline(unconfirmed_rows()), plan, ticked_by_cell(plan, 0, "sam@vendor.io"))
    (event,) = found.events
    assert (event.kind, event.field, event.who) == (
        EventKind.CONFIRMATION_REJECTED,
        "vendor",
        "sam@vendor.io",
    )
    assert found.snapshot.rows[0].confirmation is None
    (note,) = found.write_back.notes
    assert "sam@vendor.io is not on the customer side" in note[1]
    history = found.snapshot.history()
    assert confirmation_of(plan.rows[0], plan, history) is Confirmation.NOT_CUSTOMER
    assert diff(found.snapshot, plan, ticked_by_cell(plan, 0, "sam@vendor.io")).events == ()


def test_a_tick_nobody_can_be_named_for_is_not_counted() -> None:
    found = diff(baseline(unconfirmed_rows()), plan_of(tick(unconfirmed_rows(), 0)), Editors())
    assert [(event.kind, event.who) for event in found.events] == [
        (EventKind.CONFIRMATION_REJECTED, "nobody named")
    ]


def test_a_rejected_tick_counts_once_a_customer_names_themselves() -> None:
    rejected = diff(baseline(unconfirmed_rows()), plan_of(tick(unconfirmed_rows(), 0)), Editors())
    named = plan_of(tick(unconfirmed_rows(), 0, "Jane Doe <jane@acme.com>"))
    found = diff(rejected.snapshot, named, Editors())
    assert kinds(found) == [EventKind.CONFIRMED]
    assert not found.snapshot.rows[0].not_customer


def test_the_stakeholders_tab_puts_a_person_outside_the_customer_domain_on_the_customer_side() -> None:
    plan = plan_of(tick(unconfirmed_rows(), 0, "Kim Rao <kim.rao@gmail.com>"))
    tab = read_stakeholders(
        grid_of([["Name", "Email", "Side", "Role"], ["Kim Rao", "kim.rao@gmail.com", "Customer", "Champion"]])
    )
    assert kinds(diff(baseline(unconfirmed_rows()), plan, Editors())) == [EventKind.CONFIRMATION_REJECTED]
    assert kinds(diff(baseline(unconfirmed_rows()), plan, Editors(), tab)) == [EventKind.CONFIRMED]


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
    assert "Jane Doe <jane@acme.com> confirmed them" in note
    state = found.snapshot.rows[0]
    assert (state.ticked, state.confirmation) == (False, None)


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


def test_sorting_the_rows_is_no_change() -> None:
    rows = unconfirmed_rows()
    before = baseline(rows)
    assert diff(before, plan_of(list(reversed(rows))), Editors()).events == ()


def test_a_deleted_id_is_given_back_to_the_same_step_and_written_back() -> None:
    rows = unconfirmed_rows()
    before = baseline(rows)
    rows[2]["ID"] = None
    plan = plan_of(rows)
    found = diff(before, plan, Editors())
    assert found.events == ()
    assert found.write_back.ids == ((plan.rows[2].sheet_row, "S3"),)


def test_an_id_pasted_onto_two_rows_stays_with_its_step_and_the_other_row_gets_its_own_back() -> None:
    rows = unconfirmed_rows()
    before = baseline(rows)
    rows[0]["ID"] = "S4"  # S1's row now shows S4's ID too; the real S4 is further down
    plan = plan_of(rows)
    found = diff(before, plan, Editors())
    assert found.write_back.ids == ((plan.rows[0].sheet_row, "S1"),)  # S1 vanished: its step takes it back
    assert found.events == ()


def test_a_new_row_pasted_with_an_existing_id_gets_a_fresh_one() -> None:
    rows = unconfirmed_rows()
    before = baseline(rows)
    plan = plan_of([*rows, {**rows[0], "Step": "Reference call"}])  # a copy of S1's row, renamed
    found = diff(before, plan, Editors())
    assert found.write_back.ids == ((plan.rows[-1].sheet_row, "M07"),)
    assert [(event.kind, event.row) for event in found.events] == [(EventKind.ROW_ADDED, "M07")]


def test_new_rows_without_an_id_get_fresh_ids_past_every_id_seen() -> None:
    rows = unconfirmed_rows()
    before = baseline(rows)
    new = {**rows[0], "ID": None, "Step": "Reference call"}
    plan = plan_of([*rows, new, {**new, "Step": "Pricing approved"}])
    found = diff(before, plan, Editors())
    assert [row_id for _, row_id in found.write_back.ids] == ["M07", "M08"]
    assert kinds(found) == [EventKind.ROW_ADDED, EventKind.ROW_ADDED]


def test_a_snapshot_survives_its_json_form() -> None:
    _, snapshot = confirmed_first_row()
    assert Snapshot.from_json(snapshot.to_json()) == snapshot
