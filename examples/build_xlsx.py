"""Build examples/regulated-buyer.xlsx from the CSV beside it.

Dates become date cells and TRUE/FALSE become booleans, as a spreadsheet
holds them; everything else is written as text. Run after editing the CSV:
    python examples/build_xlsx.py
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell as XlsxCell

HERE = Path(__file__).parent
SOURCE = HERE / "regulated-buyer.csv"
TARGET = HERE / "regulated-buyer.xlsx"


def typed(text: str) -> str | date | bool | None:
    """The value a spreadsheet would hold for one CSV field."""
    if not text:
        return None
    if text in ("TRUE", "FALSE"):
        return text == "TRUE"
    try:
        return date.fromisoformat(text)
    except ValueError:
        return text


def build(source: Path = SOURCE, target: Path = TARGET) -> Path:
    """Write the xlsx twin of a CSV plan, with a MAP tab."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "MAP"
    with source.open(encoding="utf-8-sig", newline="") as handle:
        for record in csv.reader(handle):
            sheet.append([typed(field) for field in record])
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell, XlsxCell) and isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell, XlsxCell) and isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text, even one starting with '='
    workbook.save(target)
    return target


if __name__ == "__main__":
    print(build())
