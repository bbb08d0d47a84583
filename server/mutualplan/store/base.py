"""What every store table group shares: the engine, transactions, and the schema check."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.sql.dml import Insert

from mutualplan.config import private_file
from mutualplan.errors import StoreError, StoreUnreachableError
from mutualplan.plan.history.audit import ChainKey
from mutualplan.store.schema import LATEST, version_of


def make_engine(url: str) -> Engine:
    """An engine for a database URL; SQLite gets a folder, WAL, and writers that queue instead of failing."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        private_file(Path(parsed.database))
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
    where = parsed.database or "memory"

    @event.listens_for(engine, "handle_error")
    def _damaged(context: Any) -> None:
        said = str(context.original_exception)
        if any(sign in said for sign in DAMAGED):
            raise StoreError(
                f"the store {where} is damaged ({said}): restore it from a backup, or move it aside to "
                "start an empty store"
            ) from context.original_exception

    @event.listens_for(engine, "connect")
    def _connect(connection: Any, record: Any) -> None:
        connection.isolation_level = None  # SQLAlchemy says BEGIN itself, below
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA foreign_keys=ON")

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        # A writing transaction takes the write lock up front (two deferred ones that both write would
        # deadlock); a reading one does not, so that a long read never holds the writers up.
        writing = connection.get_execution_options().get(WRITING, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    return engine


DAMAGED = ("file is not a database", "malformed", "database corrupt")  # what SQLite says of a ruined file
WRITING = "mutualplan_writes"  # the execution option of a connection that opens a writing transaction


def utc(moment: datetime) -> datetime:
    """A stored moment in UTC (SQLite gives it back without a zone)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class SqlBase:
    """An engine, and transactions that say plainly when the database can't be used."""

    def __init__(self, engine: Engine, chain_key: ChainKey | None = None) -> None:
        self.engine = engine
        self.chain_key = chain_key  # signs the audit chain; None keeps plain SHA-256 links (tests, tools)

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        """A transaction that writes."""
        try:
            with self.engine.connect() as connection, connection.execution_options(**{WRITING: True}).begin():
                yield connection
        except OperationalError as exc:
            raise StoreUnreachableError(f"the store can't be reached or is busy: {exc.orig}") from exc

    def _insert_new(self, table: Table) -> Insert:
        """An INSERT that adds nothing where a row of the same key is there already."""
        if self.engine.dialect.name == "postgresql":
            return postgresql.insert(table).on_conflict_do_nothing()
        return sqlite.insert(table).on_conflict_do_nothing()

    def check_schema(self) -> None:
        """Refuse to work on a store that `mutualplan db upgrade` has not brought up to date."""
        try:
            version = version_of(self.engine)
        except SQLAlchemyError as exc:
            raise StoreError(f"the store can't be reached: {exc}") from exc
        if version != LATEST:
            raise StoreError(
                f"the store is at schema version {version}, not {LATEST}: run mutualplan db upgrade"
            )
