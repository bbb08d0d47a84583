"""Every editor of a plan can use the sidebar: the ID column and the Log are protected for the owner, so
marks keep out of them and mutualplan's own writes (syncs, write-backs, Log rows) act as the owner."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from mutualplan.app.editing import set_cell
from mutualplan.errors import GoogleApiError
from mutualplan.plan.sheet.layout import SetCell, Value
from mutualplan.plan.sheet.parse import parse
from mutualplan.plan.sheet.vocabulary import Column
from tests.fake_sheets_api import PROTECTED_EDIT
from tests.integration.addon_world import SELLER, World, answer, cards_of, notification, stamped, texts, world

COLLEAGUE = "sol@vendor.io"  # a second seller, an editor of the spreadsheet but not the plan's owner


@pytest.fixture
def there(tmp_path: Path) -> Iterator[World]:
    """A plan the seller stamped, in a spreadsheet the colleague can edit too."""
    with world(tmp_path) as made:
        made.spreadsheet()
        stamped(made)
        yield made


def move_a_date_as(there: World, person: str) -> tuple[str, str]:
    """Move the second row's due date a week, as one person: the row's ID and its new date."""
    workbook = there.workbook("sheet-1", person=person)
    plan = parse(workbook.read("MAP")).plan
    row = plan.rows[1]
    cell = plan.cell(row, Column.DUE)
    assert row.due.value is not None
    assert cell is not None
    assert row.id is not None
    moved = (row.due.value + timedelta(days=7)).isoformat()
    set_cell(workbook, cell, moved, person, "MAP")
    there.drive.touch("sheet-1", person)
    return row.id, moved


def logged(there: World) -> list[str]:
    """The Log tab's lines, each as one string."""
    log = there.workbook("sheet-1").read("Log")
    return [" ".join(str(cell.value) for cell in line) for line in log.rows[1:]]


def test_an_edit_inside_a_range_protected_for_someone_else_fails_the_whole_batch(there: World) -> None:
    workbook = there.workbook("sheet-1", person=COLLEAGUE)
    plan = parse(workbook.read("MAP")).plan
    first = plan.rows[0].sheet_row - 1
    id_col, step_col = plan.columns[Column.ID], plan.columns[Column.STEP]
    with pytest.raises(GoogleApiError) as refused:
        workbook.apply(
            [
                SetCell("MAP", first, step_col, Value.of("Renamed")),
                SetCell("MAP", first, id_col, Value.of("X")),
            ]
        )
    assert refused.value.status == 400
    again = parse(workbook.read("MAP")).plan
    assert again.rows[0].step == plan.rows[0].step  # nothing of the batch was applied
    workbook.apply([SetCell("MAP", first, step_col, Value.of("Renamed"))])  # outside: allowed
    assert parse(workbook.read("MAP")).plan.rows[0].step == "Renamed"
    owners = there.workbook("sheet-1", person=SELLER)
    owners.apply([SetCell("Log", 5, 0, Value.of("the owner may"))])


def test_a_colleague_validates_and_the_protected_id_column_keeps_no_marks(there: World) -> None:
    body = answer(there, "/addon/validate", user=COLLEAGUE)
    (card,) = cards_of(body)
    assert "The sheet is marked: see the Check column" in texts(card)
    api = there.apis["sheet-1"]
    plan = parse(there.workbook("sheet-1").read("MAP")).plan
    (sheet,) = (item for item in api.sheets if item["properties"]["title"] == "MAP")
    id_col = plan.columns[Column.ID]
    noted = {col for row, cells in sheet["rows"].items() for col, cell in cells.items() if "note" in cell}
    assert noted  # the placeholders are marked
    assert id_col not in noted  # the IDs never
    assert PROTECTED_EDIT not in texts(card)


def test_a_colleagues_send_syncs_and_logs_as_the_plan_owner(there: World) -> None:
    row_id, moved = move_a_date_as(there, COLLEAGUE)
    said = notification(answer(there, "/addon/ask/send", user=COLLEAGUE))
    assert said.startswith(("Not sent", "Every open step"))  # no champion: a sentence
    assert any(row_id in line and moved in line for line in logged(there)), logged(there)
    assert there.apis["sheet-1"].caller == SELLER  # the Log line was written with the owner's grant


def test_a_colleague_gets_the_confirmation_links_after_a_sync_as_the_owner(there: World) -> None:
    owner = there.workbook("sheet-1")
    set_cell(owner, "A3", "Kim Rao", SELLER, tab="Stakeholders")
    set_cell(owner, "B3", "kim@northwind.com", SELLER, tab="Stakeholders")
    row_id, moved = move_a_date_as(there, COLLEAGUE)
    (card,) = cards_of(answer(there, "/addon/links", user=COLLEAGUE))
    assert "kim@northwind.com" in texts(card)
    assert any(row_id in line and moved in line for line in logged(there))


def test_before_the_owner_connects_a_colleagues_sync_is_refused_with_whom_to_ask(there: World) -> None:
    there.unconnected.add(SELLER)
    move_a_date_as(there, COLLEAGUE)
    said = notification(answer(there, "/addon/links", user=COLLEAGUE))
    assert said == (
        f"{SELLER} owns this plan and has not connected mutualplan yet: "
        "ask them to open the sidebar and Connect"
    )
    (card,) = cards_of(answer(there, "/addon/links"))  # the owner's own token serves until then
    assert "Send links" in texts(card)
    assert logged(there)


@pytest.mark.parametrize("path", ["/addon/reminders", "/addon/links", "/addon/ask", "/addon/ask/send"])
def test_a_customer_in_the_sidebar_cannot_reach_the_sellers_settings(there: World, path: str) -> None:
    workbook = there.workbook("sheet-1")
    set_cell(workbook, "A3", "Kim Rao", SELLER, tab="Stakeholders")
    set_cell(workbook, "B3", "kim@northwind.com", SELLER, tab="Stakeholders")
    answer(there, "/addon/home")  # syncs: Kim is known on the customer's side
    said = notification(answer(there, path, user="kim@northwind.com"))
    assert said == "That is for the seller's side. Yours is Confirm or propose dates, on the plan's home card"
    home = texts(cards_of(answer(there, "/addon/home", user="kim@northwind.com"))[0])
    assert "Confirm or propose dates" in home
    assert "Reminders" not in home
