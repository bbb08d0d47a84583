"""Naming people once: a role placeholder, picked or typed, written into every row that holds it."""

from __future__ import annotations

import json
from dataclasses import replace

from google.apps import card_v1

from mutualplan.app.sidebar_people import PeopleView
from mutualplan.plan.people.naming import naming_writes, role_slots
from mutualplan.plan.sheet.model import Side, Stakeholder
from mutualplan.plan.sheet.parse import parse
from mutualplan.web.people_cards import chosen_people, people_card
from tests.support import Row, healthy_rows, sheet
from tests.unit.test_cards import URLS

JANE = Stakeholder("Jane Doe", "jane@acme.com", Side.CUSTOMER, "Champion")


def placeholder_rows() -> list[Row]:
    rows = healthy_rows()
    rows[0]["Customer owner"] = "[Champion]"
    rows[2]["Customer owner"] = "[Champion], Grace Chen <grace@acme.com>"
    rows[3]["Vendor owner"] = "[Solutions engineer]"
    return rows


def test_each_role_is_listed_once_with_its_rows_and_the_stakeholder_who_holds_it() -> None:
    grid = sheet(placeholder_rows())
    plan = parse(grid).plan
    slots = {slot.role: slot for slot in role_slots(replace(plan, stakeholders=(JANE,)))}
    assert list(slots) == ["[Champion]", "[Solutions engineer]"]
    assert slots["[Champion]"].rows == (plan.rows[0].sheet_row, plan.rows[2].sheet_row)
    assert (slots["[Champion]"].suggested, slots["[Solutions engineer]"].suggested) == (
        "Jane Doe <jane@acme.com>",
        "",
    )


def test_naming_a_role_writes_the_person_into_every_cell_that_holds_it_and_keeps_the_others() -> None:
    grid = sheet(placeholder_rows())
    plan = parse(grid).plan
    writes = naming_writes(
        plan, grid, "MAP", {"[Champion]": "Jane Doe <jane@acme.com>", "[Solutions engineer]": ""}
    )
    written = {(write.row + 1, write.value.value) for write in writes}
    assert written == {
        (plan.rows[0].sheet_row, "Jane Doe <jane@acme.com>"),
        (plan.rows[2].sheet_row, "Jane Doe <jane@acme.com>, Grace Chen <grace@acme.com>"),
    }


def test_the_people_card_parses_strictly_and_a_typed_name_wins_over_the_picker() -> None:
    plan = parse(sheet(placeholder_rows())).plan
    built = people_card(PeopleView(tuple(role_slots(plan)), (JANE,)), URLS)
    card_v1.Card.from_json(json.dumps(built), ignore_unknown_fields=False)
    assert "Save the names" in json.dumps(built)
    chosen = chosen_people(
        "[Champion]\n[Solutions engineer]",
        {"typed_1": "Lena Vogel <lena@vendor.io>"},
        {"pick_0": "Jane Doe <jane@acme.com>", "pick_1": "x"},
    )
    assert chosen == {
        "[Champion]": "Jane Doe <jane@acme.com>",
        "[Solutions engineer]": "Lena Vogel <lena@vendor.io>",
    }
