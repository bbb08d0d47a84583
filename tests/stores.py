"""Stores for tests: SQLite in the test's folder, and PostgreSQL in a schema of its own."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from mutualplan.store.base import make_engine
from mutualplan.store.sql import SqlStore

ENGINES = ["sqlite", "postgresql"]


def postgres_url() -> str:
    """The test server scripts/test started; in CI its absence is a failure, never a skip."""
    url = os.environ.get("MUTUALPLAN_TEST_POSTGRES_URL")
    if url:
        return url
    if os.environ.get("CI") == "true":
        pytest.fail(
            "MUTUALPLAN_TEST_POSTGRES_URL is not set: CI must run bash scripts/test, which starts PostgreSQL"
        )
    pytest.skip("no PostgreSQL: bash scripts/test starts one and runs these tests on it")


@contextmanager
def store_url(kind: str, folder: Path) -> Iterator[str]:
    """A database URL for one test: a SQLite file, or a fresh PostgreSQL schema dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'store.sqlite'}"
        return
    base = postgres_url()
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base)
    with admin.begin() as db:
        db.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield (
            make_url(base)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.begin() as db:
            db.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@contextmanager
def open_store(url: str) -> Iterator[SqlStore]:
    """A store on a URL, its engine disposed afterwards."""
    store = SqlStore(make_engine(url))
    try:
        yield store
    finally:
        store.engine.dispose()
