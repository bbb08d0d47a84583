"""One contract for every Workbook: the embedded local workbook, xlsx and Google Sheets over the fake API."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import responses

from mutualplan.adapters.google.sheets import GoogleSheetsWorkbook
from mutualplan.adapters.google.transport import Backoff, GoogleTransport
from mutualplan.adapters.local_workbook import LocalWorkbook, LocalWorkspace
from mutualplan.adapters.templates import TemplateFolder
from mutualplan.adapters.xlsx_workbook import XlsxWorkbook
from mutualplan.app.editing import set_cell
from mutualplan.app.ports import Workbook
from mutualplan.app.stamping import stamp
from mutualplan.app.validating import validate
from mutualplan.errors import ProtectedTabError
from mutualplan.plan.dates.stamp import Deal, layouts
from mutualplan.plan.dates.template import Template
from mutualplan.plan.sheet.parse import parse
from mutualplan.plan.sheet.risks import read_risks
from tests.fake_sheets_api import FakeSheetsApi, fake_credentials
from tests.support import TODAY

OWNER = "sam@vendor.io"
DEAL = Deal(
    go_live=date(2027, 9, 1), deal="Acme analytics", customer="Acme", customer_domain="acme.com", owner=OWNER
)
NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
WorkbookMaker = Callable[[], Workbook]


def local_workbook(folder: Path) -> LocalWorkbook:
    """A fresh spreadsheet in a local workspace."""
    return LocalWorkspace(folder, lambda: NOW).create("Acme MAP")


def google_workbook(api: FakeSheetsApi) -> GoogleSheetsWorkbook:
    """A Google spreadsheet behind the fake API, through gspread's real HTTP code."""
    http = GoogleTransport(Backoff(sleep=lambda seconds: None)).sheets(fake_credentials())
    return GoogleSheetsWorkbook(http, api.spreadsheet_id)


@pytest.fixture(params=["local", "xlsx", "google"])
def workbook(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Workbook]:
    """Each kind of workbook, empty."""
    if request.param == "local":
        yield local_workbook(tmp_path)
    elif request.param == "xlsx":
        yield XlsxWorkbook(tmp_path / "plan.xlsx")
    else:
        api = FakeSheetsApi()
        with responses.RequestsMock() as mock:
            api.install(mock)
            yield google_workbook(api)


@pytest.fixture
def template() -> Template:
    """The regulated-buyer template."""
    return TemplateFolder().named("regulated-buyer")


def test_stamp_then_read_gives_back_the_plan_the_template_laid_out(
    workbook: Workbook, template: Template
) -> None:
    assert (workbook.marker(), workbook.marker_edited()) == (None, False)
    marker = stamp(workbook, template, DEAL, TODAY, "plan-1")
    expected = parse(layouts(template, DEAL, TODAY)[0].grid()).plan
    assert parse(workbook.read(marker.tab)).plan == expected
    assert (workbook.marker(), workbook.marker_edited()) == (marker, False)
    assert workbook.tabs() == ["MAP", "Stakeholders", "Risks", "Log"]
    assert workbook.marker() == marker
    risks = read_risks(workbook.read(marker.risks_tab))
    assert [(risk.risk, risk.owner, risk.status) for risk in risks] == [
        (risk.risk, f"[{risk.owner_role}]", "Open")
        for risk in sorted(template.risks, key=lambda risk: risk.when.from_day(DEAL.go_live))
    ]
    assert all(risk.due.value and TODAY <= risk.due.value < DEAL.go_live for risk in risks)


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "'quoted"])
def test_user_text_that_looks_like_a_formula_is_stamped_and_read_back_as_text(
    workbook: Workbook, template: Template, text: str
) -> None:
    first = replace(template.rows[0], step=text)
    deal = replace(DEAL, deal=text, customer=text)
    marker = stamp(workbook, replace(template, rows=(first, *template.rows[1:])), deal, TODAY, "plan-1")
    grid = workbook.read(marker.tab)
    plan = parse(grid).plan
    assert (plan.head.deal, plan.head.customer, plan.rows[0].step) == (text, text, text)
    assert not any(cell.is_formula for row in grid.rows for cell in row)


def test_a_second_stamp_gets_suffixed_tabs_and_never_overwrites(
    workbook: Workbook, template: Template
) -> None:
    stamp(workbook, template, DEAL, TODAY, "plan-1")
    before = workbook.read("MAP")
    second = stamp(workbook, template, replace(DEAL, customer="Globex"), TODAY, "plan-2")
    assert second.tab == "MAP (2)"
    assert workbook.tabs() == [
        "MAP", "Stakeholders", "Risks", "Log", "MAP (2)", "Stakeholders (2)", "Risks (2)", "Log (2)"
    ]  # fmt: skip
    assert workbook.read("MAP") == before
    assert parse(workbook.read("MAP (2)")).plan.head.customer == "Globex"


def test_validate_writes_the_check_column_and_a_second_run_replaces_it(
    workbook: Workbook, template: Template
) -> None:
    stamp(workbook, template, DEAL, TODAY, "plan-1")
    report = validate(workbook, TODAY)
    plan = parse(workbook.read("MAP")).plan
    check_col = plan.columns[next(column for column in plan.columns if column.value == "Check")]
    first_row = plan.rows[0].sheet_row - 1
    check_text = workbook.read("MAP").rows[first_row][check_col].value
    assert isinstance(check_text, str)
    assert check_text.startswith("! 1 worth a look, 2 noted: ")  # no confirmation yet; two role slots
    assert report.plan.rows == plan.rows
    set_cell(workbook, f"D{first_row + 1}", "Jane Doe <jane@acme.com>", OWNER)
    validate(workbook, TODAY)
    after = workbook.read("MAP").rows[first_row][check_col].value
    assert isinstance(after, str)
    assert after != check_text


def test_a_date_typed_into_due_is_stored_as_a_date(workbook: Workbook, template: Template) -> None:
    stamp(workbook, template, DEAL, TODAY, "plan-1")
    row = parse(workbook.read("MAP")).plan.rows[2]
    set_cell(workbook, f"G{row.sheet_row}", "2027-06-30", "jane@acme.com")
    assert parse(workbook.read("MAP")).plan.rows[2].due.value == date(2027, 6, 30)


def test_the_local_log_tab_takes_edits_only_from_the_plan_owner(tmp_path: Path, template: Template) -> None:
    workbook = local_workbook(tmp_path)
    stamp(workbook, template, DEAL, TODAY, "plan-1")
    with pytest.raises(ProtectedTabError, match="only the plan owner"):
        set_cell(workbook, "A2", "forged", "jane@acme.com", tab="Log")
    set_cell(workbook, "A2", "2026-11-22", OWNER, tab="Log")
    assert workbook.read("Log").rows[1][0].value == "2026-11-22"


def test_the_local_workbook_records_who_edited_a_cell_and_when(tmp_path: Path, template: Template) -> None:
    workbook = local_workbook(tmp_path)
    stamp(workbook, template, DEAL, TODAY, "plan-1")
    row = parse(workbook.read("MAP")).plan.rows[0]
    set_cell(workbook, f"L{row.sheet_row}", "TRUE", "jane@acme.com")
    assert workbook.editors("MAP").cells[(row.sheet_row - 1, 11)] == "jane@acme.com"
    assert workbook.last_edit() == (NOW.isoformat(), "jane@acme.com")
    assert parse(workbook.read("MAP")).plan.rows[0].confirmed is True


def test_local_validate_colours_and_notes_the_cells_and_a_second_run_clears_the_fixed_ones(
    tmp_path: Path, template: Template
) -> None:
    workbook = local_workbook(tmp_path)
    stamp(workbook, template, DEAL, TODAY, "plan-1")
    row = parse(workbook.read("MAP")).plan.rows[0]
    set_cell(workbook, f"D{row.sheet_row}", "Legal", OWNER)  # a team, not a person: an error
    validate(workbook, TODAY)
    owner_cell = (row.sheet_row - 1, 3)
    note, colour = workbook.marks("MAP")[owner_cell]
    assert (note.startswith("Owner 'Legal' is a team"), colour) == (True, "error")
    set_cell(workbook, f"D{row.sheet_row}", "Jane Doe <jane@acme.com>", OWNER)
    validate(workbook, TODAY)
    assert owner_cell not in workbook.marks("MAP")
