"""Google Sheets through the Workbook port: one spreadsheets.get per read, one batchUpdate per apply."""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

from gspread.http_client import HTTPClient
from gspread.urls import SPREADSHEET_BATCH_UPDATE_URL, SPREADSHEET_URL

from mutualplan.adapters.google.sheets_cells import (
    CELL_FIELDS,
    cell_data,
    cell_of,
    clear_marks_request,
    mark_requests,
    update_cells,
)
from mutualplan.app.records import SpreadsheetSettings
from mutualplan.config import MAX_COLUMNS, MAX_ROWS
from mutualplan.errors import GoogleApiError, InputError, NotFoundError, WorkbookError
from mutualplan.plan.grid import Grid, Merge, column_letters
from mutualplan.plan.layout import (
    AddTab,
    ClearRows,
    Kind,
    PlanMarker,
    Protect,
    SetCell,
    SetMarker,
    SetMarks,
    SetRows,
    TabLayout,
    Write,
)
from mutualplan.plan.vocabulary import Column

MARKER_KEY = "mutualplan.plan"
COLUMN_TYPES = {Kind.PERSON: "PEOPLE_CHIP", Kind.DATE: "DATE", Kind.BOOL: "BOOLEAN", Kind.NUMBER: "DOUBLE"}
READ_FIELDS = (
    "sheets(properties(sheetId,title,gridProperties(rowCount,columnCount)),merges,"
    f"data(rowData(values({CELL_FIELDS}))))"
)
MARKER_FIELDS = "developerMetadata(metadataKey,metadataValue),properties(timeZone,locale)"
PROTECTION_FIELDS = "sheets(properties(sheetId,title),protectedRanges(protectedRangeId,range))"
SPARE_ROWS = 200


class GoogleSheetsWorkbook:
    """One Google spreadsheet, through gspread's HTTP client."""

    def __init__(
        self,
        http: HTTPClient,
        spreadsheet_id: str,
        max_rows: int = MAX_ROWS,
        max_cols: int = MAX_COLUMNS,
        read_ahead: str | None = None,
    ) -> None:
        self.http = http
        self._id = spreadsheet_id
        # The tab the caller will read next, fetched with the marker; kept until a read or a write.
        self._read_ahead = read_ahead
        self._grids_ahead: dict[str, Grid] = {}
        self._settings: SpreadsheetSettings | None = None  # from the marker's get: they seldom change
        # A read asks for no more than the limits (memory stays flat whatever the tab holds), and a tab
        # whose grid is larger is refused: its rows past the limit would be invisible.
        self.max_rows, self.max_cols = max_rows, max_cols
        # Tab title → sheetId from earlier answers, so a write after a read needs no lookup.
        self._sheet_ids_seen: dict[str, int] = {}

    @property
    def spreadsheet_id(self) -> str:
        """The spreadsheet's own id."""
        return self._id

    def _get(self, params: Mapping[str, str | list[str]]) -> dict[str, Any]:
        response = self.http.request("get", SPREADSHEET_URL % self._id, params=dict(params))
        data: dict[str, Any] = response.json()
        return data

    def _sheet_ids(self) -> dict[str, int]:
        data = self._get({"fields": "sheets.properties(sheetId,title)"})
        self._sheet_ids_seen = _sheet_ids_in(data)
        return dict(self._sheet_ids_seen)

    def tabs(self) -> list[str]:
        """The tab titles, in order."""
        return list(self._sheet_ids())

    def read(self, tab: str) -> Grid:
        """One tab's values, chips, links and merges, in one spreadsheets.get (none when read ahead)."""
        if tab in self._grids_ahead:
            return self._grids_ahead.pop(tab)
        grids = self.read_tabs([tab])
        if tab not in grids:
            raise NotFoundError(f"no tab '{tab}' in the spreadsheet")
        return grids[tab]

    def read_tabs(self, tabs: Sequence[str], write_to: Sequence[str] = ()) -> dict[str, Grid]:
        """Several tabs in ONE spreadsheets.get, which also learns the sheet ids of the write_to tabs
        (through a one-cell range). Two calls when a tab is gone: a range naming a missing tab fails
        the whole call, so the tabs are listed and the read made again without it."""
        try:
            data = self._get_ranges(tabs, write_to)
        except GoogleApiError as exc:
            if exc.status != 400:
                raise
            present = set(self.tabs())
            data = self._get_ranges([t for t in tabs if t in present], [t for t in write_to if t in present])
        self._sheet_ids_seen.update(_sheet_ids_in(data))
        return {
            sheet["properties"]["title"]: _grid_of(sheet)
            for sheet in data.get("sheets", [])
            if sheet["properties"]["title"] in tabs
        }

    def _get_ranges(
        self, tabs: Sequence[str], write_to: Sequence[str] = (), fields: str = READ_FIELDS
    ) -> dict[str, Any]:
        if not tabs and not write_to:
            return {}
        bounded = f"A1:{column_letters(self.max_cols)}{self.max_rows}"
        ranges = [f"{_quoted(tab)}!{bounded}" for tab in tabs] + [
            f"{_quoted(tab)}!A1" for tab in write_to if tab not in tabs
        ]
        data = self._get({"ranges": ranges, "includeGridData": "true", "fields": fields})
        for sheet in data.get("sheets", []):
            properties = sheet.get("properties", {})
            size = properties.get("gridProperties", {})
            rows, cols = int(size.get("rowCount", 0)), int(size.get("columnCount", 0))
            if properties.get("title") in tabs and (rows > self.max_rows or cols > self.max_cols):
                title, limit = properties["title"], f"{self.max_rows:,} rows and {self.max_cols} columns"
                raise InputError(
                    f"the tab '{title}' has {rows:,} rows and {cols} columns, past the limit of {limit}: "
                    "delete the empty rows and columns beyond the plan (or raise MUTUALPLAN_MAX_ROWS, "
                    "MUTUALPLAN_MAX_COLUMNS)"
                )
        return data

    def marker(self) -> PlanMarker | None:
        """The plan marker kept as the spreadsheet's developer metadata; the read-ahead tab comes in
        the same spreadsheets.get (a second get, for the marker alone, when that tab is gone)."""
        tab, self._read_ahead = self._read_ahead, None
        data: dict[str, Any] | None = None
        if tab is not None:
            try:
                data = self._get_ranges([tab], fields=f"{READ_FIELDS},{MARKER_FIELDS}")
            except GoogleApiError as exc:
                if exc.status != 400:
                    raise
        if data is None:
            data = self._get({"fields": MARKER_FIELDS})
        else:
            self._sheet_ids_seen.update(_sheet_ids_in(data))
            self._grids_ahead = {
                sheet["properties"]["title"]: _grid_of(sheet)
                for sheet in data.get("sheets", [])
                if sheet["properties"]["title"] == tab
            }
        self._settings = _settings_of(data)
        for item in data.get("developerMetadata", []):
            if item.get("metadataKey") == MARKER_KEY:
                return PlanMarker(**json.loads(item["metadataValue"]))
        return None

    def settings(self) -> SpreadsheetSettings:
        """The spreadsheet's time zone and locale (learnt with the marker, else one get)."""
        if self._settings is None:
            self._settings = _settings_of(self._get({"fields": "properties(timeZone,locale)"}))
        return self._settings

    def apply(self, writes: Sequence[Write], editor: str | None = None) -> None:
        """Every write in ONE spreadsheets.batchUpdate (all or nothing); tab ids looked up when needed."""
        self._grids_ahead = {}  # read ahead of these writes: stale after them
        protected = self._look_up_tabs(writes)
        sheet_ids = dict(self._sheet_ids_seen)
        markers = [write.marker for write in writes if isinstance(write, SetMarker)]
        owner = markers[-1].owner if markers else ""
        if protected and not markers:
            current = self.marker()
            owner = current.owner if current else ""
        requests: list[dict[str, Any]] = []
        for write in writes:
            if isinstance(write, AddTab):
                sheet_id = secrets.randbelow(2**31 - 2) + 1
                sheet_ids[write.layout.title] = sheet_id
                requests.extend(add_tab_requests(write.layout, sheet_id, owner))
            elif isinstance(write, SetMarker):
                requests.extend(marker_requests(write.marker, write.replacing))
            else:
                sheet_id = _sheet(sheet_ids, write.tab)
                requests.extend(_tab_requests(write, sheet_id, owner, protected.get(sheet_id, [])))
        if requests:
            self.http.request("post", SPREADSHEET_BATCH_UPDATE_URL % self._id, json={"requests": requests})
            self._sheet_ids_seen.update(sheet_ids)  # the tabs just added

    def _look_up_tabs(self, writes: Sequence[Write]) -> dict[int, list[dict[str, Any]]]:
        """Learn the sheet ids the writes need (unless known), and, when a write protects a range,
        the protections already there, by sheet id."""
        if any(isinstance(write, Protect) for write in writes):
            data = self._get({"fields": PROTECTION_FIELDS})
            self._sheet_ids_seen = _sheet_ids_in(data)
            return {
                sheet["properties"]["sheetId"]: sheet.get("protectedRanges", []) for sheet in data["sheets"]
            }
        needed = {write.tab for write in writes if not isinstance(write, AddTab | SetMarker)}
        if not needed <= self._sheet_ids_seen.keys():
            self._sheet_ids()
        return {}


def _tab_requests(
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
        rows = [[cell_data(value) for value in row] for row in write.rows]
        return [update_cells(sheet_id, write.row, write.col, rows)]
    if isinstance(write, SetMarks):
        return [clear_marks_request(sheet_id, write), *mark_requests(sheet_id, write)]
    if isinstance(write, ClearRows):
        return [clear_rows_request(sheet_id, write.first_row)]
    return protect_requests(write, sheet_id, owner, protected)


def _settings_of(data: Mapping[str, Any]) -> SpreadsheetSettings:
    properties = data.get("properties", {})
    return SpreadsheetSettings(properties.get("timeZone") or "UTC", properties.get("locale") or "")


def _quoted(tab: str) -> str:
    return "'" + tab.replace("'", "''") + "'"


def _grid_of(sheet: Mapping[str, Any]) -> Grid:
    """A tab of a spreadsheets.get answer as a grid."""
    rows = [
        [cell_of(value) for value in row.get("values", [])]
        for block in sheet.get("data", [])[:1]
        for row in block.get("rowData", [])
    ]
    merges = [
        Merge(
            m.get("startRowIndex", 0),
            m.get("startColumnIndex", 0),
            m["endRowIndex"] - 1,
            m["endColumnIndex"] - 1,
        )
        for m in sheet.get("merges", [])
    ]
    return Grid(rows=rows, merges=merges)


def _sheet_ids_in(data: Mapping[str, Any]) -> dict[str, int]:
    """Tab title → sheetId, for the sheets an answer names."""
    return {sheet["properties"]["title"]: sheet["properties"]["sheetId"] for sheet in data.get("sheets", [])}


def _sheet(sheet_ids: Mapping[str, int], tab: str) -> int:
    if tab not in sheet_ids:
        raise NotFoundError(f"no tab '{tab}'; the tabs are {', '.join(sheet_ids)}")
    return sheet_ids[tab]


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
        update_cells(sheet_id, 0, 0, [[cell_data(value) for value in row] for row in layout.rows]),
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
    if layout.protected and owner:
        requests.append(_protect(grid_range(sheet_id), owner))
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
    lookup = {"metadataKey": MARKER_KEY, "locationType": "SPREADSHEET"}
    delete = [{"deleteDeveloperMetadata": {"dataFilter": {"developerMetadataLookup": lookup}}}]
    return [
        *(delete if replacing else []),
        {
            "createDeveloperMetadata": {
                "developerMetadata": {
                    "metadataKey": MARKER_KEY,
                    "metadataValue": json.dumps(asdict(marker)),
                    "location": {"spreadsheet": True},
                    "visibility": "DOCUMENT",
                }
            }
        },
    ]
