"""The local workspace's SQLite schema, as numbered steps a workspace is upgraded through."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

# The schema as a list of steps; PRAGMA user_version counts the steps a workspace has had.
MIGRATIONS = (
    """
CREATE TABLE spreadsheets (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, created_at TEXT NOT NULL,
    plan_id TEXT, plan_spreadsheet TEXT, owner TEXT, plan_tab TEXT
);
CREATE TABLE tabs (
    spreadsheet TEXT NOT NULL REFERENCES spreadsheets(id), title TEXT NOT NULL, position INTEGER NOT NULL,
    frozen_rows INTEGER NOT NULL DEFAULT 0, protected INTEGER NOT NULL DEFAULT 0, table_spec TEXT,
    PRIMARY KEY (spreadsheet, title)
);
CREATE TABLE cells (
    spreadsheet TEXT NOT NULL, tab TEXT NOT NULL, row INTEGER NOT NULL, col INTEGER NOT NULL,
    value TEXT, type TEXT NOT NULL, note TEXT, colour TEXT, validation TEXT,
    editor TEXT, edited_at TEXT,
    PRIMARY KEY (spreadsheet, tab, row, col)
);
CREATE TABLE edits (
    id INTEGER PRIMARY KEY AUTOINCREMENT, spreadsheet TEXT NOT NULL, tab TEXT NOT NULL,
    row INTEGER NOT NULL, col INTEGER NOT NULL, old TEXT, new TEXT, editor TEXT, edited_at TEXT NOT NULL
);
""",
    # The marker names all three tabs; protections cover a tab or one column (tabs.protected is unused).
    """
ALTER TABLE spreadsheets ADD COLUMN stakeholders_tab TEXT;
ALTER TABLE spreadsheets ADD COLUMN log_tab TEXT;
CREATE TABLE protections (
    spreadsheet TEXT NOT NULL, tab TEXT NOT NULL, col INTEGER NOT NULL, first_row INTEGER NOT NULL,
    PRIMARY KEY (spreadsheet, tab, col)
);
INSERT INTO protections (spreadsheet, tab, col, first_row)
    SELECT spreadsheet, title, -1, 0 FROM tabs WHERE protected = 1;
""",
    # The marker names the Risks tab too.
    """
ALTER TABLE spreadsheets ADD COLUMN risks_tab TEXT;
""",
    # The plan's signed audit head, as Google keeps it in developer metadata.
    """
ALTER TABLE spreadsheets ADD COLUMN head_mark TEXT;
""",
)
DATABASE = "workbooks.sqlite"
MARKER_COLUMNS = "plan_id, plan_spreadsheet, owner, plan_tab, stakeholders_tab, log_tab, risks_tab"
METADATA_COLUMNS = f"{MARKER_COLUMNS}, head_mark"  # the spreadsheet's metadata, which a copy carries
WHOLE_TAB = -1  # the protections.col of a protection over every column
# What "Make a copy" carries over, table by table: every column but the spreadsheet id.
COPIED = {
    "tabs": "title, position, frozen_rows, table_spec",
    "cells": "tab, row, col, value, type, note, colour, validation, editor, edited_at",
    "protections": "tab, col, first_row",
}


def upgrade(path: Path) -> None:
    """Run the schema steps this workspace has not had yet, each in its own transaction."""
    with closing(sqlite3.connect(path, timeout=10, isolation_level=None)) as db:
        done = db.execute("PRAGMA user_version").fetchone()[0]
        for version, step in enumerate(MIGRATIONS[done:], done + 1):
            db.executescript(f"BEGIN IMMEDIATE; {step}; PRAGMA user_version = {version}; COMMIT;")
