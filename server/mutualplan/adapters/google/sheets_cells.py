"""Sheets API CellData ↔ the domain's cells: values written as their kind, text always as stringValue."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from mutualplan.plan.checks.findings import Severity
from mutualplan.plan.dates.reading import date_to_serial, is_date_serial, serial_to_date
from mutualplan.plan.sheet.grid import Cell, CellValue, PersonChip
from mutualplan.plan.sheet.layout import Kind, SetMarks, Value

CELL_FIELDS = (
    "userEnteredValue,effectiveValue,formattedValue,chipRuns,hyperlink,note,effectiveFormat.numberFormat.type"
)
DATE_FORMAT = {"numberFormat": {"type": "DATE", "pattern": "yyyy-mm-dd"}}
DATE_TYPES = frozenset({"DATE", "DATE_TIME"})
MARK_COLOURS = {
    Severity.ERROR: {"red": 0.96, "green": 0.78, "blue": 0.76},
    Severity.WARNING: {"red": 0.99, "green": 0.91, "blue": 0.7},
    Severity.INFO: {"red": 0.79, "green": 0.85, "blue": 0.97},
}
CHIP = "@"  # the placeholder character a chip takes in its cell's text


def cell_data(value: Value) -> dict[str, Any]:
    """The CellData that writes a value: text as stringValue (never parsed), dates as serials."""
    raw = value.value
    if raw is None or raw == "":
        return {}
    chips = value.chips
    if chips:
        text = ", ".join(CHIP for _ in chips)
        return {
            "userEnteredValue": {"stringValue": text},
            "chipRuns": [
                {"startIndex": index * 3, "chip": {"personProperties": {"email": chip.email}}}
                for index, chip in enumerate(chips)
            ],
        }
    if isinstance(raw, bool):
        return {"userEnteredValue": {"boolValue": raw}}
    if isinstance(raw, date):
        return {"userEnteredValue": {"numberValue": date_to_serial(raw)}, "userEnteredFormat": DATE_FORMAT}
    if isinstance(raw, int | float):
        return {"userEnteredValue": {"numberValue": raw}}
    return {"userEnteredValue": {"stringValue": raw}}


def rows_data(rows: Sequence[Sequence[Value]]) -> list[list[dict[str, Any]]]:
    """The CellData of a block of rows, each distinct value's built once (a Pipeline spreadsheet's refresh
    writes a couple of hundred thousand cells, most of them repeating a week, a status, a name)."""
    built: dict[Value, dict[str, Any]] = {}
    data = []
    for row in rows:
        cells = []
        for value in row:
            found = built.get(value)
            if found is None:
                found = built[value] = cell_data(value)
            cells.append(found)
        data.append(cells)
    return data


def cell_of(data: Mapping[str, Any]) -> Cell:
    """A domain cell from any CellData Google sends, never raising: formulas (and the values an array
    formula spills, which carry no entered value) flagged with their computed value, a formula's error as
    its shown text, dates by format type, and a number no date can have kept as the number it is (the
    checks call it "not a real date")."""
    entered = data.get("userEnteredValue") or {}
    computed = data.get("effectiveValue") or {}
    is_formula = "formulaValue" in entered or (not entered and bool(computed))
    chips = tuple(
        PersonChip("", email)
        for run in data.get("chipRuns") or ()
        if isinstance(email := (run.get("chip") or {}).get("personProperties", {}).get("email"), str)
    )
    shown = computed if is_formula else entered
    number_type = (data.get("effectiveFormat") or {}).get("numberFormat", {}).get("type")
    number = shown.get("numberValue")
    value: CellValue
    if chips:
        value = None
    elif isinstance(number, int | float) and number_type in DATE_TYPES and is_date_serial(number):
        value = serial_to_date(number)
    elif "errorValue" in shown:
        value = str(data.get("formattedValue") or "#ERROR!")
    else:
        value = next(
            (shown[key] for key in ("stringValue", "numberValue", "boolValue") if key in shown), None
        )
    return Cell(value, is_formula=is_formula, chips=chips, hyperlink=data.get("hyperlink"))


def update_cells(
    sheet_id: int, row: int, col: int, rows: list[list[dict[str, Any]]], *, with_note: bool = False
) -> dict[str, Any]:
    """An updateCells request writing values, formats and chips (and notes) from (row, col)."""
    fields = "userEnteredValue,userEnteredFormat.numberFormat,chipRuns" + (",note" if with_note else "")
    return {
        "updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": row, "columnIndex": col},
            "rows": [{"values": values} for values in rows],
            "fields": fields,
        }
    }


def clear_marks_requests(sheet_id: int, marks: SetMarks) -> list[dict[str, Any]]:
    """Clear every previous note and mark colour below the header, on each side of the protected column:
    an edit inside a range protected for someone else fails the whole batch."""
    kept = marks.kept_col
    spans = [(0, None)] if kept is None else [(0, kept), (kept + 1, None)]
    return [
        {
            "updateCells": {
                "range": {
                    "sheetId": sheet_id,
                    "startRowIndex": marks.first_row,
                    "startColumnIndex": left,
                    **({"endColumnIndex": right} if right is not None else {}),
                },
                "fields": "note,userEnteredFormat.backgroundColorStyle",
            }
        }
        for left, right in spans
        if right is None or right > left
    ]


def mark_requests(sheet_id: int, marks: SetMarks) -> list[dict[str, Any]]:
    """The Check column's texts, then each marked cell's colour (the worst mark's) and notes."""
    last_row = max((row for row, _ in marks.checks), default=marks.first_row - 1)
    texts = dict(marks.checks)
    requests = [
        {
            "updateCells": {
                "start": {"sheetId": sheet_id, "rowIndex": marks.first_row, "columnIndex": marks.check_col},
                "rows": [
                    {"values": [cell_data(Value(Kind.TEXT, texts.get(row)))]}
                    for row in range(marks.first_row, last_row + 1)
                ],
                "fields": "userEnteredValue",
            }
        }
    ]
    by_cell: dict[tuple[int, int], list[str]] = {}
    colours: dict[tuple[int, int], Severity] = {}
    for mark in marks.marks:
        by_cell.setdefault((mark.row, mark.col), []).append(mark.note)
        colours.setdefault((mark.row, mark.col), mark.severity)
    for (row, col), notes in by_cell.items():
        colour = {"rgbColor": MARK_COLOURS[colours[(row, col)]]}
        requests.append(
            {
                "updateCells": {
                    "start": {"sheetId": sheet_id, "rowIndex": row, "columnIndex": col},
                    "rows": [
                        {
                            "values": [
                                {
                                    "note": "\n".join(notes),
                                    "userEnteredFormat": {"backgroundColorStyle": colour},
                                }
                            ]
                        }
                    ],
                    "fields": "note,userEnteredFormat.backgroundColorStyle",
                }
            }
        )
    return requests
