"""The Google Sheets adapter at the HTTP boundary: call counts, retries, chips, and bodies the API accepts."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from functools import partial
from urllib.parse import unquote

import pytest
import responses

from mutualplan.adapters.google.sheets import GoogleSheetsWorkbook
from mutualplan.adapters.google.transport import Backoff, GoogleTransport
from mutualplan.app.editing import set_cell
from mutualplan.app.stamping import stamp
from mutualplan.app.validating import validate
from mutualplan.errors import GoogleApiError, InputError, NotFoundError
from mutualplan.plan.dates.stamp import Deal
from mutualplan.plan.dates.template import Template, template_of
from mutualplan.plan.sheet.layout import Kind, SetCell, Value
from mutualplan.plan.sheet.parse import parse
from mutualplan.plan.sheet.vocabulary import Column
from tests.fake_sheets_api import BASE, FakeSheetsApi, fake_credentials
from tests.support import TODAY

DEAL = Deal(go_live=date(2027, 9, 1), customer="Acme", customer_domain="acme.com", owner="sam@vendor.io")


@pytest.fixture
def api() -> Iterator[FakeSheetsApi]:
    """The fake Sheets API, answering through responses."""
    fake = FakeSheetsApi()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        fake.install(mock)
        yield fake


@pytest.fixture
def sleeps() -> list[float]:
    """The backoff delays the client asked for."""
    return []


@pytest.fixture
def workbook(api: FakeSheetsApi, sleeps: list[float]) -> GoogleSheetsWorkbook:
    """The adapter over the fake, with no real sleeping."""
    http = GoogleTransport(Backoff(sleep=sleeps.append, jitter=lambda: 1.0)).sheets(fake_credentials())
    return GoogleSheetsWorkbook(http, api.spreadsheet_id)


def _row(index: int) -> dict[str, str]:
    """An independent template row."""
    return {
        "key": f"r{index}", "track": "Technical", "step": f"Step {index}", "customer_owner": "Champion",
        "when": "-2w", "duration": "1w", "evidence": "Report",
    }  # fmt: skip


def big_template(rows: int) -> Template:
    """A template of this many independent rows."""
    return template_of(
        "big",
        {
            "title": "Big",
            "description": "Many rows",
            "signature": "-20w",
            "rows": [_row(index) for index in range(rows)],
        },
    )


@pytest.mark.parametrize("rows", [10, 1000])
def test_stamp_read_and_marks_cost_one_call_each_whatever_the_rows(
    api: FakeSheetsApi, workbook: GoogleSheetsWorkbook, rows: int
) -> None:
    template = big_template(rows)
    marker = stamp(workbook, template, DEAL, TODAY, "plan-1")
    assert (api.reads, api.writes) == (1, 1)  # the tab titles, then ONE batchUpdate
    grid = workbook.read(marker.tab)
    assert api.reads == 2
    assert len(parse(grid).plan.rows) == rows
    validate(workbook, TODAY)
    assert api.writes == 2  # marks: ONE batchUpdate
    assert api.reads == 4  # validate: the plan marker, then the tab itself; the read gave the sheet id


def _reading_ahead(api: FakeSheetsApi, workbook: GoogleSheetsWorkbook, *tabs: str) -> GoogleSheetsWorkbook:
    return GoogleSheetsWorkbook(workbook.http, api.spreadsheet_id, read_ahead=tabs)


def test_the_tab_read_ahead_comes_with_the_marker_in_one_get(
    api: FakeSheetsApi, workbook: GoogleSheetsWorkbook
) -> None:
    marker = stamp(workbook, big_template(3), DEAL, TODAY, "plan-1")
    ahead = _reading_ahead(api, workbook, marker.tab)
    reads = api.reads
    assert ahead.marker() == marker
    assert parse(ahead.read(marker.tab)).plan.rows[0].id == parse(workbook.read(marker.tab)).plan.rows[0].id
    assert api.reads - reads == 2  # the marker with the tab, then the plain workbook's own read


def test_reading_several_tabs_asks_only_for_those_not_read_ahead(
    api: FakeSheetsApi, workbook: GoogleSheetsWorkbook
) -> None:
    marker = stamp(workbook, big_template(3), DEAL, TODAY, "plan-1")
    ahead = _reading_ahead(api, workbook, marker.tab)
    ahead.marker()
    grids = ahead.read_tabs([marker.tab, marker.stakeholders_tab], write_to=[marker.tab])
    assert set(grids) == {marker.tab, marker.stakeholders_tab}
    asked = unquote(api.mock.calls[-1].request.url or "")
    assert marker.stakeholders_tab in asked
    assert f"'{marker.tab}'!" not in asked


def test_a_write_makes_the_tab_read_ahead_stale(api: FakeSheetsApi, workbook: GoogleSheetsWorkbook) -> None:
    marker = stamp(workbook, big_template(3), DEAL, TODAY, "plan-1")
    ahead = _reading_ahead(api, workbook, marker.tab)
    ahead.marker()
    ahead.apply([SetCell(marker.tab, 1, 1, Value(Kind.TEXT, "Kickoff, renamed"))])
    assert ahead.read(marker.tab).rows[1][1].value == "Kickoff, renamed"


def test_a_read_ahead_tab_that_is_gone_still_gives_the_marker(
    api: FakeSheetsApi, workbook: GoogleSheetsWorkbook
) -> None:
    marker = stamp(workbook, big_template(3), DEAL, TODAY, "plan-1")
    ahead = _reading_ahead(api, workbook, "Renamed away")
    assert ahead.marker() == marker
    with pytest.raises(NotFoundError, match="no tab 'Renamed away'"):
        ahead.read("Renamed away")


@pytest.mark.parametrize("reading_ahead", [False, True])
def test_a_400_that_is_not_a_missing_tab_is_google_s_own_words_after_one_call(
    api: FakeSheetsApi, workbook: GoogleSheetsWorkbook, reading_ahead: bool
) -> None:
    marker = stamp(workbook, big_template(3), DEAL, TODAY, "plan-1")
    said = "Request contains an invalid argument."
    refused = {"error": {"code": 400, "message": said, "status": "INVALID_ARGUMENT"}}
    api.failures = [(400, json.dumps(refused))]
    reads = api.reads
    ahead = _reading_ahead(api, workbook, marker.tab)
    read: Callable[[], object] = ahead.marker if reading_ahead else partial(workbook.read_tabs, [marker.tab])
    with pytest.raises(GoogleApiError) as raised:
        read()
    assert str(raised.value) == f"Google Sheets refused the request: {said}"
    assert (raised.value.status, raised.value.detail) == (400, said)
    assert api.reads - reads == 1  # not read again as if a tab were missing


def test_tab_titles_learnt_with_the_marker_are_forgotten_after_a_write(
    api: FakeSheetsApi, workbook: GoogleSheetsWorkbook
) -> None:
    fresh = GoogleSheetsWorkbook(workbook.http, api.spreadsheet_id)
    assert fresh.marker() is None  # a spreadsheet with no plan: its titles come with the marker
    marker = stamp(fresh, big_template(3), DEAL, TODAY, "plan-1")
    assert set(fresh.read_tabs(marker.tabs.read)) == {marker.tab, marker.stakeholders_tab, marker.risks_tab}


def test_a_plan_stamped_before_its_risks_tab_is_read_without_asking_for_that_tab_again(
    api: FakeSheetsApi, workbook: GoogleSheetsWorkbook
) -> None:
    marker = stamp(workbook, big_template(3), DEAL, TODAY, "plan-1")
    old = replace(marker, risks_tab="Risks (never made)")
    ahead = _reading_ahead(api, workbook, *old.tabs.read)
    reads = api.reads
    assert ahead.marker() == marker
    grids = ahead.read_tabs(old.tabs.read)
    assert set(grids) == {marker.tab, marker.stakeholders_tab}
    assert api.reads - reads == 3  # the read ahead refused, the marker with the titles, the tabs there


def test_429_and_503_are_retried_with_growing_capped_backoff(
    api: FakeSheetsApi, workbook: GoogleSheetsWorkbook, sleeps: list[float]
) -> None:
    api.failures = [
        (
            429,
            json.dumps(
                {"error": {"code": 429, "message": "Slow down, new wording", "status": "RESOURCE_EXHAUSTED"}}
            ),
        ),
        (503, "<html><body>Service Unavailable</body></html>"),
        (500, "<html>oops</html>"),
    ]
    assert workbook.tabs() == []
    assert api.reads == 4
    assert sleeps == [0.5, 1.0, 2.0]


def test_a_403_for_rate_limit_is_retried_but_a_403_for_permission_stops_at_once(
    api: FakeSheetsApi, workbook: GoogleSheetsWorkbook
) -> None:
    def forbidden(reason: str) -> str:
        return json.dumps({"error": {"code": 403, "message": "x", "errors": [{"reason": reason}]}})

    api.failures = [(403, forbidden("rateLimitExceeded"))]
    assert workbook.tabs() == []
    api.failures = [(403, forbidden("insufficientPermissions")), (200, "{}")]
    with pytest.raises(GoogleApiError, match="no access") as raised:
        workbook.tabs()
    assert raised.value.status == 403


def test_retries_stop_after_the_last_attempt_with_a_clear_error(
    api: FakeSheetsApi, workbook: GoogleSheetsWorkbook, sleeps: list[float]
) -> None:
    api.failures = [(503, "<html>down</html>")] * 5
    with pytest.raises(GoogleApiError, match="try again"):
        workbook.tabs()
    assert len(sleeps) == 4
    assert max(sleeps) <= 16.0


def test_the_fake_refuses_a_body_the_discovery_document_refuses(workbook: GoogleSheetsWorkbook) -> None:
    with pytest.raises(GoogleApiError) as raised:
        workbook.http.request(
            "post",
            BASE + "sheet-123:batchUpdate",
            json={"requests": [{"addSheet": {"properties": {"titel": "x"}}}]},
        )
    assert raised.value.status == 400


def test_a_person_typed_with_an_email_becomes_a_people_chip_and_reads_back_with_it(
    api: FakeSheetsApi, workbook: GoogleSheetsWorkbook
) -> None:
    stamp(workbook, big_template(3), DEAL, TODAY, "plan-1")
    plan = parse(workbook.read("MAP")).plan
    row = plan.rows[0]
    set_cell(workbook, f"D{row.sheet_row}", "Jane Doe <jane@acme.com>", "sam@vendor.io")
    cell = workbook.read("MAP").rows[row.sheet_row - 1][plan.columns[Column.CUSTOMER_OWNER]]
    assert [chip.email for chip in cell.chips] == ["jane@acme.com"]
    owners = parse(workbook.read("MAP")).plan.rows[0].owners
    assert [owner.party.email for owner in owners] == ["jane@acme.com"]


def test_a_formula_cell_reads_as_a_formula_with_its_computed_value(
    api: FakeSheetsApi, workbook: GoogleSheetsWorkbook
) -> None:
    api.sheets.append(
        {
            "properties": {"sheetId": 7, "title": "MAP"},
            "rows": {
                0: {0: {"userEnteredValue": {"formulaValue": "=1+1"}, "effectiveValue": {"numberValue": 2}}}
            },
            "tables": [],
            "protected": [],
        }
    )
    cell = workbook.read("MAP").rows[0][0]
    assert (cell.is_formula, cell.value) == (True, 2)


def test_stamping_protects_the_log_tab_and_the_id_column_for_the_owner(
    api: FakeSheetsApi, workbook: GoogleSheetsWorkbook
) -> None:
    stamp(workbook, big_template(3), DEAL, TODAY, "plan-1")
    protected = {sheet["properties"]["title"]: sheet["protected"] for sheet in api.sheets}
    assert [item["editors"]["users"] for item in protected["Log"]] == [["sam@vendor.io"]]
    assert protected["MAP"][0]["range"]["startColumnIndex"] == 0
    table = next(sheet for sheet in api.sheets if sheet["properties"]["title"] == "MAP")["tables"][0]
    types = {column["columnName"]: column["columnType"] for column in table["columnProperties"]}
    assert types["Customer owner"] == "PEOPLE_CHIP"
    assert types["Due"] == "DATE"
    assert types["Customer confirmed"] == "BOOLEAN"
    assert types["Track"] == "DROPDOWN"


def test_marks_note_and_colour_the_cells_and_a_second_run_clears_the_fixed_ones(
    api: FakeSheetsApi, workbook: GoogleSheetsWorkbook
) -> None:
    stamp(workbook, big_template(3), DEAL, TODAY, "plan-1")
    row = parse(workbook.read("MAP")).plan.rows[0]
    set_cell(workbook, f"D{row.sheet_row}", "Legal", "sam@vendor.io")  # a team, not a person: an error
    validate(workbook, TODAY)
    cells = next(sheet for sheet in api.sheets if sheet["properties"]["title"] == "MAP")["rows"]
    owner = cells[row.sheet_row - 1][3]
    assert owner["note"].startswith("Owner 'Legal' is a team")  # in words, no rule code
    assert "backgroundColorStyle" in owner["userEnteredFormat"]
    set_cell(workbook, f"D{row.sheet_row}", "Jane Doe <jane@acme.com>", "sam@vendor.io")
    validate(workbook, TODAY)
    cells = next(sheet for sheet in api.sheets if sheet["properties"]["title"] == "MAP")["rows"]
    assert "note" not in cells[row.sheet_row - 1][3]


def test_a_read_asks_for_no_more_than_the_limits_and_refuses_a_tab_grown_past_them(
    api: FakeSheetsApi, workbook: GoogleSheetsWorkbook
) -> None:
    marker = stamp(workbook, big_template(3), DEAL, TODAY, "plan-1")
    workbook.read(marker.tab)
    asked = unquote(api.mock.calls[-1].request.url or "")
    assert f"ranges='{marker.tab}'!A1:AX20000" in asked  # no more than the limits, whatever the tab holds
    tab = next(sheet for sheet in api.sheets if sheet["properties"]["title"] == marker.tab)
    tab["properties"]["gridProperties"] = {"rowCount": 1_000_000, "columnCount": 26}
    with pytest.raises(InputError, match="has 1,000,000 rows and 26 columns, past the limit of 20,000 rows"):
        workbook.read(marker.tab)


def test_a_second_plan_in_one_spreadsheet_gets_a_table_of_its_own_and_a_fresh_stamp_deletes_no_marker(
    api: FakeSheetsApi, workbook: GoogleSheetsWorkbook
) -> None:
    stamp(workbook, big_template(3), DEAL, TODAY, "plan-1")
    first = json.loads(api.mock.calls[-1].request.body or b"{}")
    assert not any("deleteDeveloperMetadata" in request for request in first["requests"])
    second = stamp(workbook, big_template(3), DEAL, TODAY, "plan-2")  # the fake refuses a table name twice
    assert second.tab == "MAP (2)"
    names = [table["name"] for sheet in api.sheets for table in sheet["tables"]]
    assert len(names) == len(set(names)) == 4  # the plan and its risks, twice
