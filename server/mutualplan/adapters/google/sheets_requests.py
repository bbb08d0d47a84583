"""The spreadsheets.batchUpdate requests each write becomes: tabs, tables, cells, protections, the marker."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

from mutualplan.adapters.google.sheets_cells import (
    cell_data,
    clear_marks_requests,
    mark_requests,
    rows_data,
    update_cells,
)
from mutualplan.errors import WorkbookError
from mutualplan.plan.sheet.layout import (
    ClearRows,
    Kind,
    PlanMarker,
    Protect,
    SetCell,
    SetMarks,
    SetRows,
    TabLayout,
)
from mutualplan.plan.sheet.vocabulary import Column

MARKER_KEY = "mutualplan.plan"
HEAD_KEY = "mutualplan.head"  # the plan's signed audit head
COLUMN_TYPES = {Kind.PERSON: "PEOPLE_CHIP", Kind.DATE: "DATE", Kind.BOOL: "BOOLEAN", Kind.NUMBER: "DOUBLE"}
SPARE_ROWS = 200


def tab_requests(
    write: SetCell | SetRows | SetMarks | ClearRows | Protect,
    sheet_id: int,
    owner: str,
    protected: Sequence[Mapping[str, Any]],
) -> list[dict[str, Any]]:
    """The requests of one write to an existing tab."""
    if isinstance(write, SetCell):
        data = cell_data(write.value)
        if write.note is None:
            return [update_cells(sheet_id, write.row, write.col, [[data]])]
        return [
            update_cells(sheet_id, write.row, write.col, [[{**data, "note": write.note}]], with_note=True)
        ]
    if isinstance(write, SetRows):
        return [update_cells(sheet_id, write.row, write.col, rows_data(write.rows))]
    if isinstance(write, SetMarks):
        return [*clear_marks_requests(sheet_id, write), *mark_requests(sheet_id, write)]
    if isinstance(write, ClearRows):
        return [clear_rows_request(sheet_id, write.first_row)]
    return protect_requests(write, sheet_id, owner, protected)


def add_tab_requests(layout: TabLayout, sheet_id: int, owner: str) -> list[dict[str, Any]]:
    """addSheet, its values, its typed table and its protection."""
    width = max((len(row) for row in layout.rows), default=1)
    requests: list[dict[str, Any]] = [
        {
            "addSheet": {
                "properties": {
                    "sheetId": sheet_id,
                    "title": layout.title,
                    "gridProperties": {
                        "rowCount": len(layout.rows) + SPARE_ROWS,
                        "columnCount": max(width, 26),
                        "frozenRowCount": layout.frozen_rows,
                    },
                }
            }
        },
        update_cells(sheet_id, 0, 0, rows_data(layout.rows)),
    ]
    table = layout.table
    if table is not None:
        requests.append(
            {
                "addTable": {
                    "table": {
                        "name": f"{table.name}_{sheet_id}",  # unique in the spreadsheet, as Google requires
                        "range": {
                            "sheetId": sheet_id,
                            "startRowIndex": table.header_row,
                            "endRowIndex": len(layout.rows),
                            "startColumnIndex": 0,
                            "endColumnIndex": len(table.columns),
                        },
                        "columnProperties": [
                            _column_properties(index, spec.name, spec.kind, spec.options)
                            for index, spec in enumerate(table.columns)
                        ],
                    }
                }
            }
        )
        id_col = table.column(Column.ID)
        if id_col is not None and owner:
            requests.append(_protect(grid_range(sheet_id, id_col, table.header_row), owner))
    if layout.protected and (owner or layout.editor):
        requests.append(_protect(grid_range(sheet_id), owner or layout.editor))
    return requests


def _column_properties(index: int, name: str, kind: Kind, options: tuple[str, ...]) -> dict[str, Any]:
    properties: dict[str, Any] = {"columnIndex": index, "columnName": name}
    if options:
        properties["columnType"] = "DROPDOWN"
        properties["dataValidationRule"] = {
            "condition": {
                "type": "ONE_OF_LIST",
                "values": [{"userEnteredValue": option} for option in options],
            }
        }
    else:
        properties["columnType"] = COLUMN_TYPES.get(kind, "TEXT")
    return properties


def grid_range(sheet_id: int, col: int | None = None, first_row: int = 0) -> dict[str, Any]:
    """A whole tab, or one column of it from a row down."""
    if col is None:
        return {"sheetId": sheet_id}
    return {
        "sheetId": sheet_id,
        "startRowIndex": first_row,
        "startColumnIndex": col,
        "endColumnIndex": col + 1,
    }


def _protect(grid: dict[str, Any], owner: str) -> dict[str, Any]:
    description = "Row IDs: mutualplan keeps them" if "startColumnIndex" in grid else "Written by mutualplan"
    return {
        "addProtectedRange": {
            "protectedRange": {"range": grid, "description": description, "editors": {"users": [owner]}}
        }
    }


def protect_requests(
    write: Protect, sheet_id: int, owner: str, existing: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Delete the protections already on the same columns (a copy's, naming the original owner), then
    protect the range for the owner."""
    if not owner:
        raise WorkbookError("no plan owner to protect the range for: the spreadsheet holds no plan marker")
    grid = grid_range(sheet_id, write.col, write.first_row)
    columns = (grid.get("startColumnIndex"), grid.get("endColumnIndex"))
    requests: list[dict[str, Any]] = [
        {"deleteProtectedRange": {"protectedRangeId": item["protectedRangeId"]}}
        for item in existing
        if (item["range"].get("startColumnIndex"), item["range"].get("endColumnIndex")) == columns
    ]
    requests.append(_protect(grid, owner))
    return requests


def clear_rows_request(sheet_id: int, first_row: int) -> dict[str, Any]:
    """Blank every value and note of a tab from a row down."""
    return {
        "updateCells": {
            "range": {"sheetId": sheet_id, "startRowIndex": first_row},
            "fields": "userEnteredValue,chipRuns,note",
        }
    }


def marker_requests(marker: PlanMarker, replacing: bool = True) -> list[dict[str, Any]]:
    """Set the spreadsheet's plan marker, deleting the one there first when there may be one (a copy
    carries the original's; a fresh stamp has none to delete)."""
    return metadata_requests(MARKER_KEY, json.dumps(asdict(marker)), replacing)


def metadata_requests(key: str, value: str, replacing: bool = True) -> list[dict[str, Any]]:
    """Set one of the spreadsheet's developer metadata, deleting the one there first when there is one."""
    lookup = {"metadataKey": key, "locationType": "SPREADSHEET"}
    delete = [{"deleteDeveloperMetadata": {"dataFilter": {"developerMetadataLookup": lookup}}}]
    return [
        *(delete if replacing else []),
        {
            "createDeveloperMetadata": {
                "developerMetadata": {
                    "metadataKey": key,
                    "metadataValue": value,
                    "location": {"spreadsheet": True},
                    "visibility": "DOCUMENT",
                }
            }
        },
    ]
