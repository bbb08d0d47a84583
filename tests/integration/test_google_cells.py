"""Every cell shape Google can send is read, never raised on: real recorded answers (gspread's cassettes),
every shape the Sheets discovery document's CellData allows that a plan can meet, and a plan whose date
cells hold numbers no date can have."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from mutualplan.adapters.google.sheets import tab_grid
from mutualplan.adapters.google.sheets_cells import cell_of
from mutualplan.plan.checks.review import review
from mutualplan.plan.sheet.grid import Cell, CellValue
from mutualplan.plan.sheet.vocabulary import Column
from tests.discovery import discovery, schema_errors
from tests.integration.sync_harness import Harness
from tests.support import TODAY

RECORDED = Path(__file__).parent.parent / "data" / "gspread_grid_data.json"
NUMBER_FORMAT_TYPES = discovery("sheets.v4")["schemas"]["NumberFormat"]["properties"]["type"]["enum"]
DATE_TYPES = {"DATE", "DATE_TIME"}
SERIAL_OF_15_MARCH_2027 = 46461


def typed(number: float, kind: str) -> dict[str, Any]:
    """A number as Google sends it from a cell formatted as this number-format type."""
    return {
        "userEnteredValue": {"numberValue": number},
        "effectiveValue": {"numberValue": number},
        "formattedValue": str(number),
        "effectiveFormat": {"numberFormat": {"type": kind}},
    }


SHAPES: list[tuple[str, dict[str, Any], CellValue, bool]] = [
    ("an empty cell", {}, None, False),
    ("a note and nothing else", {"note": "Or don't"}, None, False),
    ("text", {"userEnteredValue": {"stringValue": "Jane"}, "formattedValue": "Jane"}, "Jane", False),
    ("a checkbox ticked", {"userEnteredValue": {"boolValue": True}, "dataValidation": {}}, True, False),
    (
        "a checkbox never ticked: validation, no value",
        {"dataValidation": {"condition": {"type": "BOOLEAN"}}},
        None,
        False,
    ),
    (
        "a value an array formula spilled: effectiveValue only",
        {"effectiveValue": {"stringValue": "spilled"}, "formattedValue": "spilled"},
        "spilled",
        True,
    ),
    (
        "a formula's error",
        {
            "userEnteredValue": {"formulaValue": "=1/0"},
            "effectiveValue": {"errorValue": {"type": "DIVIDE_BY_ZERO", "message": "Function DIVIDE…"}},
            "formattedValue": "#DIV/0!",
        },
        "#DIV/0!",
        True,
    ),
    (
        "a formula's error with no shown text",
        {"userEnteredValue": {"formulaValue": "=X"}, "effectiveValue": {"errorValue": {"type": "NAME"}}},
        "#ERROR!",
        True,
    ),
    (
        "a person chip",
        {
            "userEnteredValue": {"stringValue": "@"},
            "chipRuns": [
                {"chip": {"personProperties": {"email": "jane@acme.com", "displayFormat": "EMAIL"}}}
            ],
        },
        None,
        False,
    ),
    (
        "a person chip whose email Google left out",
        {"userEnteredValue": {"stringValue": "@"}, "chipRuns": [{"chip": {"personProperties": {}}}]},
        "@",
        False,
    ),
    (
        "a rich link chip",
        {
            "userEnteredValue": {"stringValue": "@"},
            "chipRuns": [{"chip": {"richLinkProperties": {"uri": "https://drive.google.com/file/d/x"}}}],
            "hyperlink": "https://drive.google.com/file/d/x",
        },
        "@",
        False,
    ),
    (
        "a link in text",
        {"userEnteredValue": {"stringValue": "Deck"}, "hyperlink": "https://acme.com/deck"},
        "Deck",
        False,
    ),
    *[(f"serial {serial} in a DATE cell", typed(serial, "DATE"), serial, False) for serial in (0, -1, 3e6)],
    ("20270315 typed into a DATE cell", typed(20270315, "DATE"), 20270315, False),
    ("a date", typed(SERIAL_OF_15_MARCH_2027, "DATE"), date(2027, 3, 15), False),
    ("a date and time", typed(SERIAL_OF_15_MARCH_2027 + 0.75, "DATE_TIME"), date(2027, 3, 15), False),
]


@pytest.mark.parametrize(("data", "value", "is_formula"), [s[1:] for s in SHAPES], ids=[s[0] for s in SHAPES])
def test_every_cell_shape_google_sends_is_read_without_raising(
    data: dict[str, Any], value: CellValue, is_formula: bool
) -> None:
    assert schema_errors(data, {"$ref": "CellData"}, "sheets.v4") == []  # a shape Google's schema allows
    cell = cell_of(data)
    assert (cell.value, cell.is_formula) == (value, is_formula)


@pytest.mark.parametrize("kind", NUMBER_FORMAT_TYPES)
def test_a_number_reads_as_a_date_only_in_a_date_cell_whatever_the_format_type(kind: str) -> None:
    cell = cell_of(typed(SERIAL_OF_15_MARCH_2027, kind))
    assert cell.value == (date(2027, 3, 15) if kind in DATE_TYPES else SERIAL_OF_15_MARCH_2027)
    assert cell_of(typed(-1, kind)).value == -1


def test_the_grid_data_google_recorded_reads_as_the_grid_it_shows() -> None:
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
    assert "gspread" in recorded["source"]
    for answer in recorded["answers"]:
        grid = tab_grid({"properties": {"title": "Sheet1"}, "data": [answer["data"]]})
        assert len(grid.rows) == len(answer["data"]["rowData"])  # a row sent as {} is a row all the same
        assert all(cell == Cell(None) for row in grid.rows for cell in row)  # notes and formats: no values


def test_a_due_date_holding_a_number_no_date_has_is_flagged_not_a_real_date(google_plan: Harness) -> None:
    assert google_plan.api is not None
    plan = google_plan.plan()
    due = plan.columns[Column.DUE]
    (tab,) = [sheet for sheet in google_plan.api.sheets if sheet["properties"]["title"] == "MAP"]
    rows = plan.rows[:4]
    for row, serial in zip(rows, (0, -1, 3e6, 20270315), strict=True):
        tab["rows"][row.sheet_row - 1][due] = typed(serial, "DATE")
    findings = review(google_plan.workbook.read("MAP"), TODAY).findings
    flagged = {item.cell for item in findings if item.code == "R-DATE-UNREADABLE"}
    assert flagged == {plan.cell(row, Column.DUE) for row in rows}
    assert google_plan.sync().plan_id == google_plan.record.id  # and the plan still syncs
