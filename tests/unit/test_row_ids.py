"""Rows are matched by ID: sorting is no change, and a lost or doubled ID is mended and written back."""

from __future__ import annotations

from mutualplan.plan.history.diff import Editors, diff
from mutualplan.plan.history.events import EventKind
from tests.unit.test_diff import baseline, kinds, plan_of, unconfirmed_rows


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
