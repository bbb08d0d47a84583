"""Opening a plan file by what it is: .xlsx or .csv."""

from __future__ import annotations

from pathlib import Path

from mutualplan.adapters.csv_file import read_csv
from mutualplan.adapters.xlsx import read_xlsx
from mutualplan.errors import InputError
from mutualplan.plan.grid import Grid

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_STREAM = "EncryptionInfo".encode("utf-16-le")


def read_grid(path: Path, sheet: str | None = None) -> Grid:
    """The grid of a plan file; InputError says what to fix when it can't be read."""
    if not path.exists():
        raise InputError(f"{path} does not exist")
    if path.is_dir():
        raise InputError(f"{path} is a folder, not a spreadsheet file")
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
        return read_xlsx(path, sheet)
    if suffix in (".csv", ".txt"):
        if sheet is not None:
            raise InputError(f"{path.name} is a CSV file: it has no tabs, so --sheet does not apply")
        return read_csv(path)
    raise InputError(f"{path.name} is not a spreadsheet: give a .xlsx or .csv file")
