"""A fake Sheets API v4 for `responses`: an in-memory spreadsheet.

It refuses any request body the sheets.v4 discovery document shipped in google-api-python-client
would refuse, and applies the requests mutualplan sends, all or nothing. Each request's bearer token
says who calls (`token_of`): as Google does, a batch with an edit inside a protected range by someone
who is neither one of its editors nor the file's owner fails whole."""

from __future__ import annotations

import copy
import json
import re
from typing import Any
from urllib.parse import parse_qs, urlparse

import requests
import responses
from google.oauth2.credentials import Credentials

from tests.discovery import schema_errors

BASE = "https://sheets.googleapis.com/v4/spreadsheets/"
Json = dict[str, Any]
HANDLERS = {
    "addSheet": "_add_sheet",
    "updateCells": "_update_cells",
    "addTable": "_add_table",
    "addProtectedRange": "_add_protected_range",
    "deleteProtectedRange": "_delete_protected_range",
    "createDeveloperMetadata": "_create_metadata",
    "deleteDeveloperMetadata": "_delete_metadata",
}


FILE_OWNER = "owner@fake.example"  # who owns a fake spreadsheet unless a test says otherwise
PROTECTED_EDIT = (
    "You are trying to edit a protected cell or object. "
    "Please contact the spreadsheet owner to remove protection if you need to edit."
)  # Google's words


def token_of(email: str) -> str:
    """The access token a fake spreadsheet knows as this person's."""
    return f"ya29.as.{email}"


def fake_credentials(email: str = FILE_OWNER) -> Credentials:
    """OAuth credentials of one person (by default the file's owner), never needing a refresh."""
    return Credentials(token=token_of(email))  # type: ignore[no-untyped-call]


class FakeSheetsApi:
    """One spreadsheet in memory behind the Sheets API's URLs; counts reads and writes."""

    def __init__(self, spreadsheet_id: str = "sheet-123", file_owner: str = FILE_OWNER) -> None:
        self.spreadsheet_id = spreadsheet_id
        self.file_owner = file_owner  # Drive's owner may edit every protected range
        self.caller = file_owner  # who sent the batch being applied
        self.sheets: list[Json] = []  # {"properties", "rows": {row: {col: CellData}}, "tables", "protected"}
        self.metadata: list[Json] = []
        # The spreadsheet's own properties (File > Settings): where "today" is, how 03/04/2027 reads.
        self.properties: Json = {
            "title": "Untitled spreadsheet",
            "locale": "en_GB",
            "timeZone": "Europe/London",
        }
        self.reads = 0
        self.writes = 0
        self.failures: list[tuple[int, str]] = []  # (status, body) answered before the next calls
        self.shared_with: set[str] | None = None  # who besides the owner may open it (None: anyone)
        self.next_protected_range_id = 1

    def copy(self, spreadsheet_id: str) -> FakeSheetsApi:
        """Drive's "Make a copy": every tab, value, protection and the developer metadata, under a new id."""
        twin = FakeSheetsApi(spreadsheet_id, self.file_owner)
        twin.sheets, twin.metadata = copy.deepcopy(self.sheets), copy.deepcopy(self.metadata)
        twin.properties = dict(self.properties)
        twin.next_protected_range_id = self.next_protected_range_id
        return twin

    def protected_ranges(self, title: str) -> list[Json]:
        """The protected ranges of one tab."""
        sheet = next(sheet for sheet in self.sheets if sheet["properties"]["title"] == title)
        protected: list[Json] = sheet["protected"]
        return protected

    def install(self, mock: responses.RequestsMock) -> None:
        """Answer the spreadsheet's URLs on a responses mock (kept, for a test to add Google's other URLs)."""
        self.mock = mock
        url = re.compile(re.escape(BASE + self.spreadsheet_id) + r"(\?.*)?$")
        mock.add_callback(responses.GET, url, callback=self._get)
        mock.add_callback(
            responses.POST, BASE + self.spreadsheet_id + ":batchUpdate", callback=self._batch_update
        )

    def _failure(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], str] | None:
        if self.failures:
            status, body = self.failures.pop(0)
            return status, {"Content-Type": "application/json"}, body
        if self.shared_with is not None and self._caller(request) not in {self.file_owner, *self.shared_with}:
            said = "The caller does not have permission"
            error = {"code": 403, "message": said, "status": "PERMISSION_DENIED"}
            return 403, {"Content-Type": "application/json"}, json.dumps({"error": error})
        return None

    def _get(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        self.reads += 1
        failed = self._failure(request)
        if failed:
            return failed
        query = parse_qs(urlparse(request.url or "").query)
        assert "fields" in query, "every get names its fields"
        sheets = self.sheets
        if "ranges" in query:
            titles = [item.rpartition("!")[0] if "!" in item else item for item in query["ranges"]]
            titles = [item.strip("'").replace("''", "'") for item in titles]
            by_title = {sheet["properties"]["title"]: sheet for sheet in self.sheets}
            missing = [title for title in titles if title not in by_title]
            if missing:
                message = f"Unable to parse range: {missing[0]}"
                return (
                    400,
                    {},
                    json.dumps({"error": {"code": 400, "message": message, "status": "INVALID_ARGUMENT"}}),
                )
            sheets = [by_title[title] for title in titles]
        with_data = query.get("includeGridData") == ["true"]
        body = {
            "spreadsheetId": self.spreadsheet_id,
            "properties": self.properties,
            "sheets": [self._sheet_json(sheet, with_data) for sheet in sheets],
            "developerMetadata": self.metadata,
        }
        return 200, {"Content-Type": "application/json"}, json.dumps(body)

    def _sheet_json(self, sheet: Json, with_data: bool) -> Json:
        result: Json = {"properties": sheet["properties"]}
        if sheet["protected"]:
            result["protectedRanges"] = sheet["protected"]
        if with_data:
            height = max(sheet["rows"], default=-1) + 1
            result["data"] = [
                {
                    "rowData": [
                        {
                            "values": [
                                self._effective(sheet["rows"].get(row, {}).get(col, {}))
                                for col in range(max(sheet["rows"].get(row, {}), default=-1) + 1)
                            ]
                        }
                        for row in range(height)
                    ]
                }
            ]
        return result

    @staticmethod
    def _effective(cell: Json) -> Json:
        """CellData as the API returns it: the entered value, and the format type of dates."""
        shown = copy.deepcopy(cell)
        number_format = cell.get("userEnteredFormat", {}).get("numberFormat")
        if number_format:
            shown["effectiveFormat"] = {"numberFormat": {"type": number_format["type"]}}
        shown.pop("userEnteredFormat", None)
        return shown

    def _batch_update(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        self.writes += 1
        failed = self._failure(request)
        if failed:
            return failed
        body = json.loads(request.body if isinstance(request.body, str | bytes) else b"{}")
        errors = schema_errors(body, {"$ref": "BatchUpdateSpreadsheetRequest"}, "sheets.v4")
        if errors:
            return 400, {}, json.dumps({"error": {"code": 400, "message": "; ".join(errors[:5])}})
        sheets, metadata = copy.deepcopy(self.sheets), copy.deepcopy(self.metadata)
        self.caller = self._caller(request)
        for item in body["requests"]:
            ((kind, payload),) = item.items()
            handler = getattr(self, HANDLERS[kind], None) if kind in HANDLERS else None
            if handler is None:
                return (
                    400,
                    {},
                    json.dumps({"error": {"code": 400, "message": f"the fake does not do {kind}"}}),
                )
            problem = handler(payload, sheets, metadata)
            if problem:  # all or nothing, as the API
                error = {"code": 400, "message": problem, "status": "INVALID_ARGUMENT"}
                return 400, {}, json.dumps({"error": error})
        self.sheets, self.metadata = sheets, metadata
        return (
            200,
            {},
            json.dumps({"spreadsheetId": self.spreadsheet_id, "replies": [{} for _ in body["requests"]]}),
        )

    @staticmethod
    def _caller(request: requests.PreparedRequest) -> str:
        authorization = request.headers.get("Authorization", "")
        token = authorization.removeprefix("Bearer ")
        assert token.startswith(token_of("")), f"a token the fake knows as someone's: {authorization!r}"
        return token.removeprefix(token_of(""))

    def _protected_against(self, sheet: Json, rows: tuple[int, float], cols: tuple[int, float]) -> bool:
        """Whether the caller may not edit this block of cells: it overlaps a range protected for others."""
        if self.caller == self.file_owner:
            return False
        for item in sheet["protected"]:
            grid = item["range"]
            if self.caller in item.get("editors", {}).get("users", []) or item.get("warningOnly"):
                continue
            top, bottom = grid.get("startRowIndex", 0), grid.get("endRowIndex", float("inf"))
            left, right = grid.get("startColumnIndex", 0), grid.get("endColumnIndex", float("inf"))
            if rows[0] < bottom and top < rows[1] and cols[0] < right and left < cols[1]:
                return True
        return False

    @staticmethod
    def _by_id(sheets: list[Json], sheet_id: int) -> Json | None:
        return next((sheet for sheet in sheets if sheet["properties"]["sheetId"] == sheet_id), None)

    def _add_sheet(self, payload: Json, sheets: list[Json], metadata: list[Json]) -> str | None:
        properties = payload["properties"]
        if any(sheet["properties"]["title"] == properties["title"] for sheet in sheets):
            return f'A sheet with the name "{properties["title"]}" already exists'
        sheets.append({"properties": properties, "rows": {}, "tables": [], "protected": []})
        return None

    def _update_cells(self, payload: Json, sheets: list[Json], metadata: list[Json]) -> str | None:
        place = payload.get("start") or payload["range"]
        sheet = self._by_id(sheets, place["sheetId"])
        if sheet is None:
            return f"no sheet {place['sheetId']}"
        fields = [field.strip() for field in payload["fields"].split(",")]
        top, left = (
            place.get("rowIndex", place.get("startRowIndex", 0)),
            place.get("columnIndex", place.get("startColumnIndex", 0)),
        )
        if "rows" in payload:
            bottom: float = top + len(payload["rows"])
            right: float = left + max((len(row.get("values", [])) for row in payload["rows"]), default=0)
        else:
            bottom = place.get("endRowIndex", float("inf"))
            right = place.get("endColumnIndex", float("inf"))
        if self._protected_against(sheet, (top, bottom), (left, right)):
            return PROTECTED_EDIT
        if "rows" not in payload:  # a range with no rows clears the fields
            for row, cells in sheet["rows"].items():
                for col, cell in cells.items():
                    if top <= row < bottom and left <= col < right:
                        self._set_fields(cell, {}, fields)
            return None
        for row_offset, row in enumerate(payload["rows"]):
            for col_offset, data in enumerate(row.get("values", [])):
                cell = sheet["rows"].setdefault(top + row_offset, {}).setdefault(left + col_offset, {})
                self._set_fields(cell, data, fields)
        return None

    @staticmethod
    def _set_fields(cell: Json, data: Json, fields: list[str]) -> None:
        for field in fields:
            head, _, rest = field.partition(".")
            if rest:
                target = cell.setdefault(head, {})
                source = data.get(head, {})
                key = rest.split(".")[0]
                if key in source:
                    target[key] = copy.deepcopy(source[key])
                else:
                    target.pop(key, None)
                if not target:
                    cell.pop(head)
            elif head in data:
                cell[head] = copy.deepcopy(data[head])
            else:
                cell.pop(head, None)

    def _add_table(self, payload: Json, sheets: list[Json], metadata: list[Json]) -> str | None:
        sheet = self._by_id(sheets, payload["table"]["range"]["sheetId"])
        if sheet is None:
            return "no sheet for the table"
        names = {table["name"] for each in sheets for table in each["tables"]}
        if payload["table"]["name"] in names:  # as Google: a table's name is unique in its spreadsheet
            return f"a table named {payload['table']['name']} already exists"
        sheet["tables"].append(payload["table"])
        return None

    def _add_protected_range(self, payload: Json, sheets: list[Json], metadata: list[Json]) -> str | None:
        sheet = self._by_id(sheets, payload["protectedRange"]["range"]["sheetId"])
        if sheet is None:
            return "no sheet for the protected range"
        sheet["protected"].append(
            {**payload["protectedRange"], "protectedRangeId": self.next_protected_range_id}
        )
        self.next_protected_range_id += 1
        return None

    def _delete_protected_range(self, payload: Json, sheets: list[Json], metadata: list[Json]) -> str | None:
        wanted = payload["protectedRangeId"]
        for sheet in sheets:
            kept = [item for item in sheet["protected"] if item["protectedRangeId"] != wanted]
            if len(kept) < len(sheet["protected"]):
                sheet["protected"] = kept
                return None
        return f"No protected range with id {wanted}"

    def _create_metadata(self, payload: Json, sheets: list[Json], metadata: list[Json]) -> str | None:
        metadata.append(payload["developerMetadata"])
        return None

    def _delete_metadata(self, payload: Json, sheets: list[Json], metadata: list[Json]) -> str | None:
        key = payload["dataFilter"]["developerMetadataLookup"]["metadataKey"]
        metadata[:] = [item for item in metadata if item.get("metadataKey") != key]
        return None
