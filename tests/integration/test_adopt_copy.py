"""A copy of a stamped plan (template gallery, Make a copy) becomes a plan of its own, in every workbook."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest
import responses

from mutualplan.adapters.google.sheets import GoogleSheetsWorkbook
from mutualplan.adapters.local_schema import DATABASE, MIGRATIONS
from mutualplan.adapters.local_workbook import LocalWorkbook, LocalWorkspace
from mutualplan.adapters.templates import TemplateFolder
from mutualplan.adapters.xlsx_workbook import XlsxWorkbook
from mutualplan.app.editing import set_cell
from mutualplan.app.ports import Workbook
from mutualplan.app.stamping import adopt_copy, stamp
from mutualplan.errors import ProtectedTabError
from mutualplan.plan.sheet.layout import PlanMarker
from mutualplan.plan.sheet.parse import parse
from mutualplan.plan.sheet.vocabulary import Column
from tests.fake_sheets_api import FakeSheetsApi
from tests.integration.test_workbook_contract import DEAL, NOW, OWNER, google_workbook, local_workbook
from tests.support import TODAY

NEW_OWNER = "ann@vendor.io"
BUYER = "jane@acme.com"


@dataclass
class Pair:
    """A workbook holding a stamped, confirmed and logged plan, and a way to copy it."""

    original: Workbook
    copy: Callable[[], Workbook]


def _confirm_and_log(workbook: Workbook) -> None:
    """A buyer confirms the first row; the owner writes a Log row."""
    row = parse(workbook.read("MAP")).plan.rows[0]
    set_cell(workbook, f"L{row.sheet_row}", "TRUE", BUYER)
    set_cell(workbook, f"M{row.sheet_row}", "Jane Doe <jane@acme.com>", BUYER)
    set_cell(workbook, "D2", "confirmed", OWNER, tab="Log")


@pytest.fixture(params=["local", "xlsx", "google"])
def pair(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Pair]:
    """Each kind of workbook with a plan in it, and its copier."""
    template = TemplateFolder().named("regulated-buyer")
    if request.param == "local":
        original: Workbook = local_workbook(tmp_path)
        stamp(original, template, DEAL, TODAY, "plan-1")
        _confirm_and_log(original)
        assert isinstance(original, LocalWorkbook)
        local = original
        yield Pair(original, lambda: local.workspace.copy(local.spreadsheet_id, "Copy"))
    elif request.param == "xlsx":
        original = XlsxWorkbook(tmp_path / "plan.xlsx")
        stamp(original, template, DEAL, TODAY, "plan-1")
        _confirm_and_log(original)

        def copy_file() -> Workbook:
            return XlsxWorkbook(Path(shutil.copy(tmp_path / "plan.xlsx", tmp_path / "copy.xlsx")))

        yield Pair(original, copy_file)
    else:
        api = FakeSheetsApi()
        with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
            api.install(mock)
            original = google_workbook(api)
            stamp(original, template, DEAL, TODAY, "plan-1")
            _confirm_and_log(original)

            def copy_sheet() -> Workbook:
                twin = api.copy("sheet-copy")
                twin.install(mock)
                return google_workbook(twin)

            yield Pair(original, copy_sheet)


def test_a_copy_is_adopted_as_a_new_plan_with_its_confirmations_and_log_cleared(pair: Pair) -> None:
    copy = pair.copy()
    adopted = adopt_copy(copy, "plan-2", NEW_OWNER)
    assert adopted is not None
    assert (adopted.plan_id, adopted.spreadsheet_id, adopted.owner) == (
        "plan-2",
        copy.spreadsheet_id,
        NEW_OWNER,
    )
    assert copy.marker() == adopted
    copied, original = parse(copy.read("MAP")).plan, parse(pair.original.read("MAP")).plan
    assert not any(row.confirmed or row.confirmed_by for row in copied.rows)
    assert [(row.step, row.due) for row in copied.rows] == [(row.step, row.due) for row in original.rows]
    log = copy.read("Log").rows
    assert [cell.value for cell in log[0]][:2] == ["When", "Who"]
    assert all(cell.value is None for row in log[1:] for cell in row)


def test_adopting_a_copy_leaves_the_original_plan_untouched(pair: Pair) -> None:
    before = (pair.original.marker(), pair.original.read("MAP"), pair.original.read("Log"))
    adopt_copy(pair.copy(), "plan-2", NEW_OWNER)
    assert (pair.original.marker(), pair.original.read("MAP"), pair.original.read("Log")) == before
    assert parse(before[1]).plan.rows[0].confirmed


def test_the_original_and_an_adopted_copy_are_not_adopted_again(pair: Pair) -> None:
    assert adopt_copy(pair.original, "plan-9") is None
    copy = pair.copy()
    first = adopt_copy(copy, "plan-2")
    assert first is not None
    assert first.owner == OWNER  # the original's owner when none is given
    assert adopt_copy(copy, "plan-3") is None
    assert copy.marker() == first


def test_an_adopted_local_copy_protects_its_log_and_ids_for_the_new_owner(tmp_path: Path) -> None:
    original = local_workbook(tmp_path)
    stamp(original, TemplateFolder().named("mid-market"), DEAL, TODAY, "plan-1")
    copy = original.workspace.copy(original.spreadsheet_id, "Copy")
    adopt_copy(copy, "plan-2", NEW_OWNER)
    with pytest.raises(ProtectedTabError, match=NEW_OWNER):
        set_cell(copy, "A2", "forged", OWNER, tab="Log")
    set_cell(copy, "A2", "noted", NEW_OWNER, tab="Log")
    row = parse(copy.read("MAP")).plan.rows[0]
    with pytest.raises(ProtectedTabError, match="that column"):
        set_cell(copy, f"A{row.sheet_row}", "X99", BUYER)


@pytest.fixture
def google_copy() -> Iterator[tuple[FakeSheetsApi, GoogleSheetsWorkbook]]:
    """A Google copy of a stamped mid-market plan: the fake API behind it, and the workbook."""
    original = FakeSheetsApi()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        original.install(mock)
        stamp(google_workbook(original), TemplateFolder().named("mid-market"), DEAL, TODAY, "plan-1")
        twin = original.copy("sheet-copy")
        twin.install(mock)
        yield twin, google_workbook(twin)


def _editors(api: FakeSheetsApi, tab: str) -> list[tuple[int | None, list[str]]]:
    return [
        (item["range"].get("startColumnIndex"), item["editors"]["users"])
        for item in api.protected_ranges(tab)
    ]


def test_an_adopted_google_copy_replaces_the_original_owners_protections_in_one_write(
    google_copy: tuple[FakeSheetsApi, GoogleSheetsWorkbook],
) -> None:
    api, copy = google_copy
    assert _editors(api, "Log") == [(None, [OWNER])]
    adopt_copy(copy, "plan-2", NEW_OWNER)
    assert api.writes == 1
    assert _editors(api, "Log") == [(None, [NEW_OWNER])]
    id_col = parse(copy.read("MAP")).plan.columns[Column.ID]
    assert _editors(api, "MAP") == [(id_col, [NEW_OWNER])]


def test_a_copy_that_lost_its_log_tab_gets_a_fresh_protected_one(
    google_copy: tuple[FakeSheetsApi, GoogleSheetsWorkbook],
) -> None:
    api, copy = google_copy
    api.sheets = [sheet for sheet in api.sheets if sheet["properties"]["title"] != "Log"]
    adopted = adopt_copy(copy, "plan-2", NEW_OWNER)
    assert adopted is not None
    assert adopted.log_tab == "Log"
    assert copy.tabs() == ["MAP", "Stakeholders", "Risks", "Log"]
    assert _editors(api, "Log") == [(None, [NEW_OWNER])]


def test_a_workspace_from_before_protections_upgrades_and_keeps_its_log_protected(tmp_path: Path) -> None:
    with closing(sqlite3.connect(tmp_path / DATABASE)) as db:
        db.executescript(MIGRATIONS[0] + "PRAGMA user_version = 1;")
        db.execute(
            "INSERT INTO spreadsheets VALUES ('s1', 'Old', '2026-01-01', 'plan-old', 's1', ?, 'MAP')",
            (OWNER,),
        )
        db.execute("INSERT INTO tabs (spreadsheet, title, position, protected) VALUES ('s1', 'Log', 0, 1)")
        db.commit()
    workbook = LocalWorkspace(tmp_path, lambda: NOW).open("plan-old")
    assert workbook.marker() == PlanMarker("plan-old", "s1", OWNER, "MAP", "Stakeholders", "Log")
    with pytest.raises(ProtectedTabError):
        set_cell(workbook, "A2", "forged", BUYER, tab="Log")
