"""Shared fixtures: files written into a fresh folder per test."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook

from mutualplan.plan.sheet.grid import CellValue
from mutualplan.store.schema import upgrade
from mutualplan.store.sql import SqlStore
from tests.stores import ENGINES, open_store, store_url


class Files:
    """Writes plan files for a test into its own folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def xlsx(self, rows: Sequence[Sequence[CellValue]], name: str = "plan.xlsx", tab: str = "MAP") -> Path:
        """An xlsx workbook whose tab holds the rows; text stays text."""
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = tab
        for row in rows:
            sheet.append(list(row))
        for cells in sheet.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
        path = self.folder / name
        workbook.save(path)
        return path

    def write(self, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        """A file with exactly this content."""
        path = self.folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding=encoding, newline="")
        return path


@pytest.fixture
def files(tmp_path: Path) -> Files:
    """A place to write plan files for one test."""
    return Files(tmp_path)


@pytest.fixture(params=ENGINES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database on each engine: SQLite, and PostgreSQL."""
    with store_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def store(database_url: str) -> Iterator[SqlStore]:
    """A store brought up to the latest schema, on each engine."""
    with open_store(database_url) as opened:
        upgrade(opened.engine)
        yield opened
