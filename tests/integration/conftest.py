"""Fixtures shared by the add-on, sync, watch, hook and command tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mutualplan.store.schema import upgrade
from mutualplan.store.sql import SqlStore
from tests.fake_drive import FakeDrive
from tests.integration.addon_world import World, world
from tests.integration.sync_harness import Harness, harness
from tests.stores import open_store


@pytest.fixture
def there(tmp_path: Path) -> Iterator[World]:
    """The add-on's world with one empty spreadsheet the seller opened (a module may override it)."""
    with world(tmp_path) as made:
        made.spreadsheet()
        yield made


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """An empty local workspace folder, for the commands' --data."""
    return tmp_path / "workspace"


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[SqlStore]:
    """A SQLite store (the engines are compared in the store and concurrency tests)."""
    with open_store(f"sqlite:///{tmp_path / 'store.sqlite'}") as store:
        upgrade(store.engine)
        yield store


@pytest.fixture
def google_plan(tmp_path: Path, sqlite_store: SqlStore) -> Iterator[Harness]:
    """A Google plan over the fake Sheets API, stamped, registered and baselined."""
    with harness("google", tmp_path, sqlite_store) as ready:
        yield ready


@pytest.fixture
def drive(google_plan: Harness) -> FakeDrive:
    """Drive, knowing the plan's spreadsheet."""
    fake = FakeDrive()
    fake.touch(google_plan.record.spreadsheet_id, "sam@vendor.io")
    return fake
