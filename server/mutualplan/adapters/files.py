"""Opening a plan file by what it is: .xlsx or .csv — a regular file only, within its limits."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from mutualplan.adapters.csv_file import read_csv
from mutualplan.adapters.xlsx import read_xlsx_tabs
from mutualplan.app.records import PlanFile
from mutualplan.config import MAX_COLUMNS, MAX_FILE_MB, MAX_ROWS, MAX_UNZIPPED_MB
from mutualplan.errors import InputError
from mutualplan.plan.sheet.grid import Grid
from mutualplan.plan.sheet.layout import RISKS_TAB, STAKEHOLDERS_TAB

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_STREAM = "EncryptionInfo".encode("utf-16-le")


@dataclass(frozen=True, slots=True)
class FileLimits:
    """How much of a plan file `check` reads: past a limit it stops at once, and says which."""

    file_bytes: int = MAX_FILE_MB << 20
    unzipped_bytes: int = MAX_UNZIPPED_MB << 20
    rows: int = MAX_ROWS
    columns: int = MAX_COLUMNS


def read_grid(path: Path, sheet: str | None = None, limits: FileLimits = FileLimits()) -> Grid:
    """The grid of a plan file; InputError says what to fix when it can't be read."""
    return read_plan_file(path, sheet, limits).plan


def read_plan_file(path: Path, sheet: str | None = None, limits: FileLimits = FileLimits()) -> PlanFile:
    """The grids of a plan file (a CSV file is one tab); InputError says what to fix when it can't be
    read."""
    try:
        status = os.stat(path)  # follows a link: what matters is what it points at
    except FileNotFoundError as exc:
        raise InputError(f"{path} does not exist") from exc
    except OSError as exc:
        raise InputError(f"{path} can't be opened: {exc.strerror}") from exc
    if stat.S_ISDIR(status.st_mode):
        raise InputError(f"{path} is a folder, not a spreadsheet file")
    if not stat.S_ISREG(status.st_mode):  # a FIFO would hang, a device never end
        raise InputError(
            f"{path} is not a regular file (a pipe, a device or a link to one): give a .xlsx or .csv file"
        )
    if status.st_size > limits.file_bytes:
        raise InputError(
            f"{path.name} is {status.st_size / 1024 / 1024:.0f} MB, past the limit of "
            f"{limits.file_bytes // 1024 // 1024} MB (MUTUALPLAN_MAX_FILE_MB)"
        )
    try:
        with path.open("rb") as handle:
            start = handle.read(8)
    except OSError as exc:
        raise InputError(f"{path} can't be opened: {exc.strerror}") from exc
    suffix = path.suffix.casefold()
    if start.startswith(OLE_MAGIC):
        if ENCRYPTED_STREAM in path.read_bytes():
            raise InputError(
                f"{path.name} is password-protected — save a copy without a password and check that"
            )
        raise InputError(f"{path.name} is an old .xls workbook — save it as .xlsx and check that")
    if suffix in (".xlsx", ".xlsm") or start.startswith(ZIP_MAGIC):
        if not start.startswith(ZIP_MAGIC):
            raise InputError(f"{path.name} is not a readable .xlsx file (damaged or not really xlsx)")
        plan, found = read_xlsx_tabs(
            path, sheet, (STAKEHOLDERS_TAB, RISKS_TAB), limits.unzipped_bytes, limits.rows, limits.columns
        )
        return PlanFile(plan, found.get(STAKEHOLDERS_TAB), found.get(RISKS_TAB))
    if suffix in (".csv", ".txt"):
        if sheet is not None:
            raise InputError(f"{path.name} is a CSV file: it has no tabs, so --sheet does not apply")
        return PlanFile(read_csv(path, limits.rows, limits.columns))
    raise InputError(f"{path.name} is not a spreadsheet: give a .xlsx or .csv file")
