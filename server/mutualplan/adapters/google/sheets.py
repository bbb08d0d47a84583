"""Google Sheets through the Workbook port: one spreadsheets.get per read, one batchUpdate per apply."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from gspread.http_client import HTTPClient
from gspread.urls import SPREADSHEET_BATCH_UPDATE_URL, SPREADSHEET_URL

from mutualplan.adapters.google.sheets_cells import CELL_FIELDS, cell_of
from mutualplan.adapters.google.sheets_requests import (
    HEAD_KEY,
    MARKER_KEY,
    add_tab_requests,
    marker_requests,
    metadata_requests,
    tab_requests,
)
from mutualplan.app.records import SpreadsheetSettings
from mutualplan.config import MAX_COLUMNS, MAX_ROWS
from mutualplan.errors import GoogleApiError, InputError, NotFoundError
from mutualplan.plan.sheet.grid import Grid, Merge, column_letters
from mutualplan.plan.sheet.layout import (
    AddTab,
    PlanMarker,
    Protect,
    SetHeadMark,
    SetMarker,
    Write,
)

READ_FIELDS = (
    "sheets(properties(sheetId,title,gridProperties(rowCount,columnCount)),merges,"
    f"data(rowData(values({CELL_FIELDS}))))"
)
METADATA_FIELDS = "developerMetadata(metadataKey,metadataValue)"
MARKER_FIELDS = f"{METADATA_FIELDS},properties(timeZone,locale)"
TITLE_FIELDS = "sheets.properties(sheetId,title)"
PROTECTION_FIELDS = "sheets(properties(sheetId,title),protectedRanges(protectedRangeId,range))"


class GoogleSheetsWorkbook:
    """One Google spreadsheet, through gspread's HTTP client."""

    def __init__(
        self,
        http: HTTPClient,
        spreadsheet_id: str,
        max_rows: int = MAX_ROWS,
        max_cols: int = MAX_COLUMNS,
        read_ahead: Sequence[str] = (),
    ) -> None:
        self.http = http
        self._id = spreadsheet_id
        # The tabs the caller will read next, fetched with the marker; kept until a read or a write.
        self._read_ahead = tuple(read_ahead)
        self._grids_ahead: dict[str, Grid] = {}
        self._present: frozenset[str] | None = None  # the tab titles, when the marker's get learnt them
        self._settings: SpreadsheetSettings | None = None  # from the marker's get: they seldom change
        self._metadata: dict[str, str] | None = None  # the developer metadata, as the last get learnt it
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
        data = self._get({"fields": f"{TITLE_FIELDS},{METADATA_FIELDS}"})  # a stamp asks both: one call
        self._sheet_ids_seen = _sheet_ids_in(data)
        self._metadata = _metadata_of(data)
        return dict(self._sheet_ids_seen)

    def tabs(self) -> list[str]:
        """The tab titles, in order."""
        return list(self._sheet_ids())

    def read(self, tab: str) -> Grid:
        """One tab's values, chips, links and merges, in one spreadsheets.get (none when read ahead)."""
        grids = self.read_tabs([tab])
        if tab not in grids:
            raise NotFoundError(f"no tab '{tab}' in the spreadsheet")
        return grids[tab]

    def read_tabs(self, tabs: Sequence[str], write_to: Sequence[str] = ()) -> dict[str, Grid]:
        """Several tabs in ONE spreadsheets.get, which also learns the sheet ids of the write_to tabs
        (through a one-cell range). Two calls when a tab is gone: a range naming a missing tab fails
        the whole call, so the tabs are listed and the read made again without it. A tab read ahead
        with the marker is not asked for again."""
        ahead = {tab: self._grids_ahead.pop(tab) for tab in tabs if tab in self._grids_ahead}
        known = self._present  # the titles the marker's get learnt, when it had to
        present = known if known is not None else frozenset(tabs) | frozenset(write_to)
        self._present = None
        tabs = [tab for tab in tabs if tab not in ahead and tab in present]
        write_to = [tab for tab in write_to if tab not in ahead and tab in present]
        fields = f"{READ_FIELDS},{METADATA_FIELDS}"
        try:
            data = self._get_ranges(tabs, write_to, fields)
        except GoogleApiError as exc:
            if not _names_a_missing_tab(exc):
                raise
            listed = set(self.tabs())
            kept = [t for t in tabs if t in listed], [t for t in write_to if t in listed]
            data = self._get_ranges(*kept, fields)
        self._sheet_ids_seen.update(_sheet_ids_in(data))
        if data:
            self._metadata = _metadata_of(data)
        return ahead | {
            sheet["properties"]["title"]: tab_grid(sheet)
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
        """The plan marker kept as the spreadsheet's developer metadata; the read-ahead tabs come in
        the same spreadsheets.get. When one of them is gone (a plan stamped before its Risks tab), a
        second get learns the marker and the tab titles, so that the read after it asks for no tab
        that is not there."""
        tabs, self._read_ahead = self._read_ahead, ()
        data: dict[str, Any] | None = None
        if tabs:
            try:
                data = self._get_ranges(tabs, fields=f"{READ_FIELDS},{MARKER_FIELDS}")
            except GoogleApiError as exc:
                if not _names_a_missing_tab(exc):
                    raise
        if data is None:
            data = self._get({"fields": f"{MARKER_FIELDS},{TITLE_FIELDS}"})
            self._present = frozenset(_sheet_ids_in(data))
        else:
            self._grids_ahead = {
                sheet["properties"]["title"]: tab_grid(sheet)
                for sheet in data.get("sheets", [])
                if sheet["properties"]["title"] in tabs
            }
        self._sheet_ids_seen.update(_sheet_ids_in(data))
        self._settings = _settings_of(data)
        self._metadata = _metadata_of(data)
        found = self._metadata.get(MARKER_KEY)
        return PlanMarker.from_json(found) if found else None

    def marker_edited(self) -> bool:
        """Whether the developer metadata holds a marker that does not parse (learnt with the marker)."""
        if self._metadata is None:
            self._metadata = _metadata_of(self._get({"fields": METADATA_FIELDS}))
        found = self._metadata.get(MARKER_KEY)
        return found is not None and PlanMarker.from_json(found) is None

    def tab_gid(self, tab: str) -> int | None:
        """The tab's sheetId, as the last read or write learnt it (a link opens the tab by it)."""
        return self._sheet_ids_seen.get(tab)

    def head_mark(self) -> str | None:
        """The audit head kept as developer metadata: learnt with the last read, else one get."""
        if self._metadata is None:
            self._metadata = _metadata_of(self._get({"fields": METADATA_FIELDS}))
        return self._metadata.get(HEAD_KEY)

    def settings(self) -> SpreadsheetSettings:
        """The spreadsheet's time zone and locale (learnt with the marker, else one get)."""
        if self._settings is None:
            self._settings = _settings_of(self._get({"fields": "properties(timeZone,locale)"}))
        return self._settings

    def apply(self, writes: Sequence[Write], editor: str | None = None) -> None:
        """Every write in ONE spreadsheets.batchUpdate (all or nothing); tab ids looked up when needed."""
        # Learnt before these writes: stale after them.
        self._grids_ahead, self._present, self._metadata = {}, None, None
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
            elif isinstance(write, SetHeadMark):
                requests.extend(metadata_requests(HEAD_KEY, write.text, write.replacing))
            else:
                sheet_id = _sheet(sheet_ids, write.tab)
                requests.extend(tab_requests(write, sheet_id, owner, protected.get(sheet_id, [])))
        if requests:
            self.http.request("post", SPREADSHEET_BATCH_UPDATE_URL % self._id, json={"requests": requests})
            self._sheet_ids_seen.update(sheet_ids)  # the tabs just added
            self._metadata = None  # a lookup above may have learnt it: these writes may have changed it

    def _look_up_tabs(self, writes: Sequence[Write]) -> dict[int, list[dict[str, Any]]]:
        """Learn the sheet ids the writes need (unless known), and, when a write protects a range,
        the protections already there, by sheet id."""
        if any(isinstance(write, Protect) for write in writes):
            data = self._get({"fields": PROTECTION_FIELDS})
            self._sheet_ids_seen = _sheet_ids_in(data)
            return {
                sheet["properties"]["sheetId"]: sheet.get("protectedRanges", []) for sheet in data["sheets"]
            }
        needed = {write.tab for write in writes if not isinstance(write, AddTab | SetMarker | SetHeadMark)}
        if not needed <= self._sheet_ids_seen.keys():
            self._sheet_ids()
        return {}


def _names_a_missing_tab(exc: GoogleApiError) -> bool:
    """Whether Google refused a read for a range naming a tab that is not there; any other 400 is not."""
    return exc.status == 400 and exc.detail.startswith("Unable to parse range")


def _metadata_of(data: Mapping[str, Any]) -> dict[str, str]:
    """The spreadsheet's developer metadata by key (other apps may write it: parsed defensively)."""
    found: dict[str, str] = {}
    for item in data.get("developerMetadata", []):
        key, value = item.get("metadataKey"), item.get("metadataValue")
        if isinstance(key, str) and isinstance(value, str):
            found.setdefault(key, value)
    return found


def _settings_of(data: Mapping[str, Any]) -> SpreadsheetSettings:
    properties = data.get("properties", {})
    return SpreadsheetSettings(properties.get("timeZone") or "UTC", properties.get("locale") or "")


def _quoted(tab: str) -> str:
    return "'" + tab.replace("'", "''") + "'"


def tab_grid(sheet: Mapping[str, Any]) -> Grid:
    """A tab of a spreadsheets.get answer as a grid (a row sent as {} is an empty row)."""
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
