"""Reading .xlsx and .csv files into grids, and refusing what can't be read."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl import Workbook, load_workbook

from mutualplan.adapters.files import read_grid, read_plan_file
from mutualplan.errors import InputError
from mutualplan.plan import parse, review
from mutualplan.plan.sheet.grid import CellValue, Merge
from tests.conftest import Files
from tests.support import TODAY

EXAMPLES = Path(__file__).parents[2] / "examples"
SMALL_PLAN: list[list[CellValue]] = [
    ["Go-live", date(2027, 2, 2)],
    [],
    ["Step", "Customer owner", "Due", "Customer confirmed"],
    ["Kickoff", "Jane Doe", datetime(2027, 1, 5), True],
]


def test_the_example_reads_the_same_from_xlsx_and_csv() -> None:
    from_xlsx = review(read_grid(EXAMPLES / "regulated-buyer.xlsx"), TODAY)
    from_csv = review(read_grid(EXAMPLES / "regulated-buyer.csv"), TODAY)
    assert from_xlsx.as_json() == from_csv.as_json()
    assert from_xlsx.plan.rows[0].due.value == date(2026, 11, 3)


def test_the_shipped_xlsx_is_built_from_the_shipped_csv(tmp_path: Path) -> None:
    from examples.build_xlsx import build

    rebuilt = build(target=tmp_path / "rebuilt.xlsx")
    assert read_plan_file(rebuilt) == read_plan_file(EXAMPLES / "regulated-buyer.xlsx")
    assert read_plan_file(rebuilt).risks is not None


def test_xlsx_date_cells_stay_dates_and_checkboxes_stay_booleans(files: Files) -> None:
    grid = read_grid(files.xlsx(SMALL_PLAN))
    (row,) = parse(grid).plan.rows
    assert row.due.value == date(2027, 1, 5)
    assert row.confirmed is True


def test_the_map_tab_is_read_unless_another_is_named(files: Files) -> None:
    workbook = Workbook()
    notes = workbook.active
    assert notes is not None
    notes.title = "Notes"
    plan_tab = workbook.create_sheet("map")
    for row in SMALL_PLAN:
        plan_tab.append(row)
    path = files.folder / "tabs.xlsx"
    workbook.save(path)
    assert parse(read_grid(path)).plan.rows[0].step == "Kickoff"
    assert read_grid(path, "NOTES").rows == []
    with pytest.raises(InputError, match="no tab named 'Plan'; its tabs are: Notes, map"):
        read_grid(path, "Plan")


def test_a_formula_is_flagged_and_text_starting_with_equals_is_text(files: Files) -> None:
    path = files.xlsx(SMALL_PLAN)
    workbook = load_workbook(path)
    sheet = workbook["MAP"]
    sheet["C4"] = "=TODAY()+14"
    sheet["E3"], sheet["E4"] = "Notes", "=not a formula"
    sheet["E4"].data_type = "s"
    workbook.save(path)
    grid = read_grid(path)
    assert grid.cell(3, 2).is_formula
    assert (grid.cell(3, 4).value, grid.cell(3, 4).is_formula) == ("=not a formula", False)
    codes = [item.code for item in review(grid, TODAY).findings]
    assert "R-DATE-FORMULA" in codes


def test_merged_ranges_are_read_from_xlsx(files: Files) -> None:
    path = files.xlsx([*SMALL_PLAN, ["Review", "Jane Doe", None, False]])
    workbook = load_workbook(path)
    workbook["MAP"].merge_cells("C4:C5")
    workbook.save(path)
    grid = read_grid(path)
    assert list(grid.merges) == [Merge(3, 2, 4, 2)]
    assert [row.due.value for row in parse(grid).plan.rows] == [date(2027, 1, 5)] * 2


def test_csv_with_a_bom_and_semicolons_is_read(files: Files) -> None:
    path = files.write("plan.csv", "\ufeffStep;Owner;Due\nKickoff;Jane Doe;2027-01-05\n")
    (row,) = parse(read_grid(path)).plan.rows
    assert (row.step, row.due.value) == ("Kickoff", date(2027, 1, 5))


def test_csv_cells_of_fifty_thousand_characters_are_read(files: Files) -> None:
    path = files.write("plan.csv", f"Step,Owner,Due\n{'x' * 50_000},Jane Doe,2027-01-05\n")
    assert len(parse(read_grid(path)).plan.rows[0].step) == 50_000


def test_a_csv_that_is_not_utf8_says_how_to_save_it(files: Files) -> None:
    path = files.write("plan.csv", "Step,Owner,Due\nRéunion,Zoë,2027-01-05\n", encoding="latin-1")
    with pytest.raises(InputError, match=r"not UTF-8.*CSV UTF-8"):
        read_grid(path)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.xlsx", b"PK\x03\x04 this is no zip", "not a readable .xlsx"),
        ("plan.xlsx", b"just some text", "not a readable .xlsx"),
        ("plan.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "old .xls"),
        ("plan.pdf", b"%PDF-1.7", "not a spreadsheet"),
        ("plan.csv", b"Step,Owner\x00,Due", "NUL"),
    ],
)
def test_files_that_are_not_plans_are_refused_with_what_to_do(
    files: Files, name: str, content: bytes, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        read_grid(files.write(name, content))


def test_a_password_protected_xlsx_asks_for_an_unprotected_copy(files: Files) -> None:
    plain = files.xlsx(SMALL_PLAN)
    encrypted = io.BytesIO()
    with plain.open("rb") as source:
        OOXMLFile(source).encrypt("secret", encrypted)
    path = files.write("locked.xlsx", encrypted.getvalue())
    with pytest.raises(InputError, match="password-protected"):
        read_grid(path)


def test_a_missing_file_and_a_folder_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        read_grid(tmp_path / "nope.xlsx")
    with pytest.raises(InputError, match="is a folder"):
        read_grid(tmp_path)
