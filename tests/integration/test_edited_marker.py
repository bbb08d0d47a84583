"""The plan marker is developer metadata other apps that reach the file can change: a marker that does not
parse is no marker, said so; a plan the store follows gets its marker back from the store's record; a
marker made to name another spreadsheet's plan never shows that plan."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.packaging.custom import StringProperty

from mutualplan.adapters.google.sheets_requests import MARKER_KEY
from mutualplan.adapters.templates import TemplateFolder
from mutualplan.adapters.xlsx_workbook import MARKER_PROPERTY, XlsxWorkbook
from mutualplan.app.stamping import stamp
from mutualplan.plan.sheet.layout import PlanMarker
from tests.fake_sheets_api import FakeSheetsApi
from tests.integration.addon_world import World, answer, cards_of, notification, stamped, texts
from tests.integration.test_workbook_contract import DEAL
from tests.support import TODAY

EDITED = [
    "{not json",
    json.dumps({"plan_id": "p", "spreadsheet_id": "sheet-1", "owner": "x", "tab": "MAP", "colour": "red"}),
    json.dumps({"plan_id": 7, "spreadsheet_id": "sheet-1", "owner": "x", "tab": "MAP"}),
    json.dumps(["plan-x"]),
]


def markers_in(api: FakeSheetsApi) -> list[str]:
    """The values of every plan marker the spreadsheet carries."""
    return [item["metadataValue"] for item in api.metadata if item["metadataKey"] == MARKER_KEY]


def edit_marker(api: FakeSheetsApi, value: str) -> None:
    """Another app rewrites the marker's value."""
    (marker,) = [item for item in api.metadata if item["metadataKey"] == MARKER_KEY] or [
        {"metadataKey": MARKER_KEY, "location": {"spreadsheet": True}, "visibility": "DOCUMENT"}
    ]
    if marker not in api.metadata:
        api.metadata.append(marker)
    marker["metadataValue"] = value


@pytest.mark.parametrize("value", EDITED)
def test_a_marker_that_does_not_parse_is_no_plan_said_so_and_a_new_stamp_replaces_it(
    there: World, value: str
) -> None:
    api = there.apis["sheet-1"]
    edit_marker(api, value)
    gallery = texts(cards_of(answer(there, "/addon/home"))[0])
    assert "This sheet's plan marker was edited" in gallery
    assert "Stamp a plan again below" in gallery
    assert there.store.plans() == []
    stamped(there)
    (marker,) = markers_in(api)  # the edited one replaced, not kept beside the new one
    assert PlanMarker.from_json(marker) is not None
    assert "was edited" not in texts(cards_of(answer(there, "/addon/home"))[0])


def test_a_plan_the_store_follows_gets_its_marker_back_from_the_store(there: World) -> None:
    stamped(there)
    (record,) = there.store.plans()
    api = there.apis["sheet-1"]
    edit_marker(api, "{edited")
    home = texts(cards_of(answer(there, "/addon/home"))[0])
    assert "Start a Mutual Action Plan" not in home
    (restored,) = markers_in(api)
    marker = PlanMarker.from_json(restored)
    assert marker is not None
    assert (marker.plan_id, marker.spreadsheet_id, marker.owner) == (record.id, "sheet-1", record.owner)
    assert there.store.plans() == [record]


def test_a_marker_edited_to_name_another_spreadsheets_plan_never_shows_that_plan(there: World) -> None:
    stamped(there)
    (theirs,) = there.store.plans()
    there.spreadsheet("sheet-2")
    forged = json.loads(markers_in(there.apis["sheet-1"])[0]) | {"spreadsheet_id": "sheet-2"}
    edit_marker(there.apis["sheet-2"], json.dumps(forged))
    refused = answer(there, "/addon/home", spreadsheet_id="sheet-2")
    assert "names a plan kept in another spreadsheet" in notification(refused)
    assert theirs.title not in json.dumps(refused)
    assert there.store.plans() == [theirs]


def test_an_xlsx_marker_edited_in_the_files_properties_is_no_marker_and_a_new_stamp_replaces_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "plan.xlsx"
    stamp(XlsxWorkbook(path), TemplateFolder().named("regulated-buyer"), DEAL, TODAY, "plan-1")
    book = load_workbook(path)
    props = book.custom_doc_props  # type: ignore[attr-defined]
    props.props = [prop for prop in props.props if prop.name != MARKER_PROPERTY]
    props.append(StringProperty(name=MARKER_PROPERTY, value="{edited"))
    book.save(path)
    edited = XlsxWorkbook(path)
    assert (edited.marker(), edited.marker_edited()) == (None, True)
    again = stamp(edited, TemplateFolder().named("regulated-buyer"), DEAL, TODAY, "plan-2")
    assert (edited.marker(), edited.marker_edited()) == (again, False)
