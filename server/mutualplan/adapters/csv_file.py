"""Reading .csv files (UTF-8, with or without BOM) into Grids."""

from __future__ import annotations

import csv
from pathlib import Path

from mutualplan.config import MAX_COLUMNS, MAX_ROWS
from mutualplan.errors import InputError
from mutualplan.plan.sheet.grid import Cell, Grid

MAX_FIELD = 16 * 1024 * 1024
DELIMITERS = ",;\t"


def read_csv(path: Path, max_rows: int = MAX_ROWS, max_cols: int = MAX_COLUMNS) -> Grid:
    """The grid of a CSV file; the delimiter (comma, semicolon or tab) is sniffed."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path.name} is not UTF-8 text — save it again as 'CSV UTF-8'") from exc
    if "\x00" in text:
        raise InputError(f"{path.name} has NUL bytes: it is not a CSV file")
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FIELD))
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=DELIMITERS)
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    records: list[list[str]] = []
    try:
        for record in csv.reader(text.splitlines(keepends=True), delimiter=delimiter):
            if len(records) >= max_rows or len(record) > max_cols:
                raise InputError(
                    f"{path.name} is past the limit of {max_rows} rows and {max_cols} columns "
                    "(MUTUALPLAN_MAX_ROWS, MUTUALPLAN_MAX_COLUMNS)"
                )
            records.append(record)
    except csv.Error as exc:
        raise InputError(f"{path.name} is not a well-formed CSV file: {exc}") from exc
    return Grid(rows=[[Cell(value if value != "" else None) for value in record] for record in records])
