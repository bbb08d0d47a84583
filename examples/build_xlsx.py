"""Build examples/regulated-buyer.xlsx from the CSV files beside it: the plan and its risks.

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
from openpyxl.worksheet.worksheet import Worksheet

HERE = Path(__file__).parent
SOURCE = HERE / "regulated-buyer.csv"
RISKS = HERE / "regulated-buyer-risks.csv"
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


def build(source: Path = SOURCE, target: Path = TARGET, risks: Path = RISKS) -> Path:
    """Write the xlsx twin of a CSV plan: a MAP tab, and a Risks tab from the risks' CSV."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "MAP"
    _fill(sheet, source)
    _fill(workbook.create_sheet("Risks"), risks)
    workbook.save(target)
    return target


def _fill(sheet: Worksheet, source: Path) -> None:
    with source.open(encoding="utf-8-sig", newline="") as handle:
        for record in csv.reader(handle):
            sheet.append([typed(field) for field in record])
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell, XlsxCell) and isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell, XlsxCell) and isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text, even one starting with '='


if __name__ == "__main__":
    print(build())
