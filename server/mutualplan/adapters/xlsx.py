"""Reading .xlsx workbooks into Grids with openpyxl, in read-only mode."""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from mutualplan.errors import InputError
from mutualplan.plan.sheet.grid import Cell, CellValue, Grid, Merge, parse_a1
from mutualplan.plan.sheet.text import label_key

PLAN_TAB = "MAP"
_COPY_SUFFIX = re.compile(r" \(\d+\)$")  # "MAP (2)": the second plan stamped into one workbook
_MERGE_REF = re.compile(rb'<mergeCell\s+ref="([A-Z]+[0-9]+):([A-Z]+[0-9]+)"')
_UNREADABLE = (
    zipfile.BadZipFile,
    InvalidFileException,
    KeyError,
    ParseError,
    ValueError,
    EOFError,
    TypeError,
    OverflowError,  # a number past its field (a numFmtId of 999999999999)
    IndexError,  # a shared string's index past the file's table
)
RESAVE = "open it in Excel or Google Sheets and save it again, or use an earlier copy"


def read_xlsx(
    path: Path,
    sheet: str | None = None,
    unzipped_bytes: int = 100 << 20,
    max_rows: int = 5000,
    max_cols: int = 50,
) -> Grid:
    """The grid of one tab: the one named, else MAP, else the first; refused, before it is parsed, when it
    unpacks to more than unzipped_bytes or reaches past max_rows × max_cols."""
    return read_xlsx_tabs(path, sheet, (), unzipped_bytes, max_rows, max_cols)[0]


def read_xlsx_tabs(
    path: Path,
    sheet: str | None,
    companions: Sequence[str],
    unzipped_bytes: int = 100 << 20,
    max_rows: int = 5000,
    max_cols: int = 50,
) -> tuple[Grid, dict[str, Grid]]:
    """The plan's tab (as read_xlsx picks it) and, from the same opening, the companion tabs the file has
    (by name; "Risks" beside "MAP (2)" is "Risks (2)"), within the same limits."""
    _check_unzipped_size(path, unzipped_bytes)
    with warnings.catch_warnings():  # openpyxl warns of impossible dates; the checks report those cells
        warnings.simplefilter("ignore")
        return _read(path, sheet, companions, max_rows, max_cols)


def _check_unzipped_size(path: Path, limit: int) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"{path.name} is not a readable .xlsx file (damaged or not really xlsx)") from exc
    if unpacked > limit:
        raise InputError(
            f"{path.name} unpacks to {unpacked / 1024 / 1024:,.0f} MB, past the limit of "
            f"{limit // 1024 // 1024} MB (MUTUALPLAN_MAX_UNZIPPED_MB)"
        )


def _read(
    path: Path, sheet: str | None, companions: Sequence[str], max_rows: int, max_cols: int
) -> tuple[Grid, dict[str, Grid]]:
    try:
        workbook = load_workbook(path, read_only=True, data_only=False)
    except _UNREADABLE as exc:
        raise InputError(
            f"{path.name} is not a readable .xlsx file (damaged or not really xlsx): {RESAVE}"
        ) from exc
    try:
        main = pick_tab(workbook.sheetnames, sheet, path.name)
        suffix = _COPY_SUFFIX.search(main)
        present = {label_key(name): name for name in workbook.sheetnames}
        wanted = {
            companion: present[key]
            for companion in companions
            if (key := label_key(companion + (suffix.group(0) if suffix else ""))) in present
        }
        grids = {name: _grid(path, workbook[name], max_rows, max_cols) for name in (main, *wanted.values())}
    except _UNREADABLE as exc:
        raise InputError(f"{path.name} could not be read to the end (damaged xlsx): {RESAVE}") from exc
    finally:
        workbook.close()
    return grids[main], {companion: grids[name] for companion, name in wanted.items()}


def _grid(path: Path, worksheet: Any, max_rows: int, max_cols: int) -> Grid:
    if (worksheet.max_row or 0) > max_rows or (worksheet.max_column or 0) > max_cols:
        raise InputError(
            f"{path.name}'s tab {worksheet.title} reaches row {worksheet.max_row}, column "
            f"{worksheet.max_column}: past the limit of {max_rows} rows and {max_cols} columns "
            "(MUTUALPLAN_MAX_ROWS, MUTUALPLAN_MAX_COLUMNS)"
        )
    rows, formulas = _rows(worksheet.iter_rows(max_row=max_rows, max_col=max_cols))
    if formulas:
        rows = _with_computed_values(path, worksheet.title, rows, formulas)
    return Grid(rows=rows, merges=_merges(path, worksheet))


def pick_tab(names: Sequence[str], wanted: str | None, file_name: str) -> str:
    """The tab to read: the one asked for (any case), else MAP, else the first."""
    if not names:
        raise InputError(f"{file_name} has no tabs")
    if wanted is None:
        return next((name for name in names if label_key(name) == label_key(PLAN_TAB)), names[0])
    for name in names:
        if name == wanted or name.casefold() == wanted.casefold():
            return name
    raise InputError(f"{file_name} has no tab named '{wanted}'; its tabs are: {', '.join(names)}")


def _plain(value: object) -> CellValue:
    """A cell value as the domain takes it; exotic openpyxl values become text."""
    if value is None or isinstance(value, str | int | float | date):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return str(value)


def _rows(source: Iterable[Sequence[Any]]) -> tuple[list[list[Cell]], set[tuple[int, int]]]:
    """Cells row by row, trailing blanks trimmed; and where the formulas are."""
    rows: list[list[Cell]] = []
    formulas: set[tuple[int, int]] = set()
    last_filled = -1
    for row_index, raw in enumerate(source):
        cells = []
        for col, item in enumerate(raw):
            value = getattr(item, "value", None)
            is_formula = getattr(item, "data_type", None) == "f"
            if is_formula:
                formulas.add((row_index, col))
            # a formula's text is not its value; the computed value comes later
            cells.append(Cell(None, is_formula=True) if is_formula else Cell(_plain(value)))
        while cells and cells[-1].value is None and not cells[-1].is_formula:
            cells.pop()
        if cells:
            last_filled = row_index
        rows.append(cells)
    return rows[: last_filled + 1], formulas


def _with_computed_values(
    path: Path, title: str, rows: list[list[Cell]], formulas: set[tuple[int, int]]
) -> list[list[Cell]]:
    """Formula cells get the value the spreadsheet last computed, still flagged."""
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        for row_index, values in enumerate(workbook[title].iter_rows(values_only=True)):
            for col, value in enumerate(values):
                if (row_index, col) in formulas:
                    rows[row_index][col] = Cell(_plain(value), is_formula=True)
    finally:
        workbook.close()
    return rows


def _merges(path: Path, worksheet: Any) -> list[Merge]:
    """Merged ranges, which openpyxl's read-only mode does not read.

    The ranges stand in the sheet's XML as <mergeCell ref="A1:B2"/>; the sheet's
    path inside the archive is the one openpyxl opened (a private attribute)."""
    member = getattr(worksheet, "_worksheet_path", None)
    if not member:
        return []
    with zipfile.ZipFile(path) as archive:
        data = archive.read(member)
    merges = []
    for first, last in _MERGE_REF.findall(data):
        first_row, first_col = parse_a1(first.decode())
        last_row, last_col = parse_a1(last.decode())
        merges.append(Merge(first_row - 1, first_col - 1, last_row - 1, last_col - 1))
    return merges
