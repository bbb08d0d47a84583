"""The embedded local workbook: spreadsheets, tabs and typed cells in SQLite, with who edited what."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import astuple
from datetime import datetime
from pathlib import Path

from mutualplan.adapters.local_schema import (
    COPIED,
    DATABASE,
    MARKER_COLUMNS,
    METADATA_COLUMNS,
    WHOLE_TAB,
    upgrade,
)
from mutualplan.adapters.local_values import decode, encode, table_from_json, table_to_json, validations
from mutualplan.app.records import SpreadsheetInfo, SpreadsheetSettings
from mutualplan.config import private_file
from mutualplan.errors import NotFoundError, ProtectedTabError, WorkbookError
from mutualplan.plan.history.diff import Editors
from mutualplan.plan.sheet.grid import BLANK, Grid
from mutualplan.plan.sheet.layout import (
    LOG_TAB,
    RISKS_TAB,
    STAKEHOLDERS_TAB,
    AddTab,
    ClearRows,
    PlanMarker,
    Protect,
    SetCell,
    SetHeadMark,
    SetMarker,
    SetMarks,
    SetRows,
    TableSpec,
    Write,
)
from mutualplan.plan.sheet.vocabulary import Column


class LocalWorkspace:
    """A folder of local spreadsheets (MUTUALPLAN_DATA); one SQLite file holds them all."""

    def __init__(self, folder: Path, now: Callable[[], datetime]) -> None:
        self.path = folder / DATABASE
        self.now = now
        try:
            upgrade(private_file(self.path))
        except (OSError, sqlite3.Error) as exc:
            raise WorkbookError(f"can't use the local workspace {folder}: {exc}") from exc

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A connection in one transaction: committed on success, rolled back on error."""
        with closing(sqlite3.connect(self.path, timeout=10)) as db, db:
            yield db

    def create(self, title: str) -> LocalWorkbook:
        """A new empty spreadsheet."""
        spreadsheet_id = f"local-{uuid.uuid4().hex[:12]}"
        with self.connect() as db:
            db.execute(
                "INSERT INTO spreadsheets (id, title, created_at) VALUES (?, ?, ?)",
                (spreadsheet_id, title, self.now().isoformat()),
            )
        return LocalWorkbook(self, spreadsheet_id)

    def copy(self, spreadsheet_id: str, title: str) -> LocalWorkbook:
        """Drive's "Make a copy": a new spreadsheet with every tab, cell, protection and the plan marker."""
        copy_id = f"local-{uuid.uuid4().hex[:12]}"
        with self.connect() as db:
            copied = db.execute(
                f"INSERT INTO spreadsheets (id, title, created_at, {METADATA_COLUMNS}) "
                f"SELECT ?, ?, ?, {METADATA_COLUMNS} FROM spreadsheets WHERE id = ?",
                (copy_id, title, self.now().isoformat(), spreadsheet_id),
            )
            if copied.rowcount == 0:
                raise NotFoundError(f"no local spreadsheet '{spreadsheet_id}'")
            for table, columns in COPIED.items():
                db.execute(
                    f"INSERT INTO {table} (spreadsheet, {columns}) SELECT ?, {columns} FROM {table} WHERE spreadsheet = ?",
                    (copy_id, spreadsheet_id),
                )
        return LocalWorkbook(self, copy_id)

    def title(self, spreadsheet_id: str) -> str:
        """A spreadsheet's title."""
        with self.connect() as db:
            row = db.execute("SELECT title FROM spreadsheets WHERE id = ?", (spreadsheet_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no local spreadsheet '{spreadsheet_id}'")
        return str(row[0])

    def spreadsheets(self) -> list[SpreadsheetInfo]:
        """Every spreadsheet, oldest first."""
        with self.connect() as db:
            rows = db.execute(
                "SELECT id, title, plan_id FROM spreadsheets ORDER BY created_at, id"
            ).fetchall()
        return [SpreadsheetInfo(*row) for row in rows]

    def open(self, plan_or_spreadsheet: str) -> LocalWorkbook:
        """The spreadsheet holding a plan (by plan id or spreadsheet id)."""
        with self.connect() as db:
            row = db.execute(
                "SELECT id FROM spreadsheets WHERE plan_id = ? OR id = ? "
                "ORDER BY id = plan_spreadsheet DESC, created_at",  # an unadopted copy shares the plan id
                (plan_or_spreadsheet,) * 2,
            ).fetchone()
        if row is None:
            raise NotFoundError(f"no local plan '{plan_or_spreadsheet}' (mutualplan plans lists them)")
        return LocalWorkbook(self, row[0])


class LocalWorkbook:
    """One local spreadsheet, through the Workbook port."""

    def __init__(self, workspace: LocalWorkspace, spreadsheet_id: str) -> None:
        self.workspace = workspace
        self._id = spreadsheet_id

    @property
    def spreadsheet_id(self) -> str:
        """The spreadsheet's own id."""
        return self._id

    def tabs(self) -> list[str]:
        """The tab titles, in order."""
        with self.workspace.connect() as db:
            return [row[0] for row in db.execute(_TABS, (self._id,))]

    def table(self, tab: str) -> TableSpec | None:
        """The typed plan table of a tab, when it has one."""
        with self.workspace.connect() as db:
            row = db.execute(
                "SELECT table_spec FROM tabs WHERE spreadsheet = ? AND title = ?", (self._id, tab)
            ).fetchone()
        if row is None:
            raise NotFoundError(f"no tab '{tab}'; the tabs are {', '.join(self.tabs())}")
        return table_from_json(row[0]) if row[0] else None

    def read(self, tab: str) -> Grid:
        """Every cell of one tab."""
        self.table(tab)  # a clear error for a missing tab
        with self.workspace.connect() as db:
            stored = db.execute(
                "SELECT row, col, value, type FROM cells WHERE spreadsheet = ? AND tab = ? ORDER BY row, col",
                (self._id, tab),
            ).fetchall()
        width = max((col for _, col, _, _ in stored), default=-1) + 1
        height = max((row for row, _, _, _ in stored), default=-1) + 1
        rows = [[BLANK] * width for _ in range(height)]
        for row, col, value, kind in stored:
            rows[row][col] = decode(value, kind).as_cell()
        return Grid(rows=rows)

    def read_tabs(self, tabs: Sequence[str], write_to: Sequence[str] = ()) -> dict[str, Grid]:
        """Several tabs; a tab that does not exist is left out."""
        present = set(self.tabs())
        return {tab: self.read(tab) for tab in tabs if tab in present}

    def editors(self, tab: str) -> Editors:
        """Who last edited each cell of a tab, as the platform knows it."""
        with self.workspace.connect() as db:
            rows = db.execute(
                "SELECT row, col, editor FROM cells WHERE spreadsheet = ? AND tab = ? AND editor IS NOT NULL",
                (self._id, tab),
            ).fetchall()
        return Editors(cells={(row, col): editor for row, col, editor in rows}, per_cell=True)

    def last_edit(self) -> tuple[str | None, str | None]:
        """When the spreadsheet was last edited (ISO) and by whom."""
        with self.workspace.connect() as db:
            found = db.execute(
                "SELECT edited_at, editor FROM edits WHERE spreadsheet = ? ORDER BY id DESC LIMIT 1",
                (self._id,),
            ).fetchone()
        return (found[0], found[1]) if found else (None, None)

    def marker(self) -> PlanMarker | None:
        """The plan marker, when the spreadsheet holds a stamped plan."""
        with self.workspace.connect() as db:
            row = db.execute(
                f"SELECT {MARKER_COLUMNS} FROM spreadsheets WHERE id = ?", (self._id,)
            ).fetchone()
        if not row or not row[0]:
            return None
        plan_id, spreadsheet, owner, tab, stakeholders_tab, log_tab, risks_tab = row
        return PlanMarker(
            plan_id,
            spreadsheet,
            owner or "",
            tab,
            stakeholders_tab or STAKEHOLDERS_TAB,
            log_tab or LOG_TAB,
            risks_tab or RISKS_TAB,
        )

    def settings(self) -> SpreadsheetSettings | None:
        """None: a local spreadsheet keeps no time zone or locale, so the caller's zone serves."""
        return None

    def tab_gid(self, tab: str) -> int | None:
        """None: a link to this workbook opens the plan's tab by itself."""
        return None

    def marker_edited(self) -> bool:
        """False: the marker lives in the workspace's own columns, which no other app writes."""
        return False

    def head_mark(self) -> str | None:
        """The audit head the spreadsheet carries."""
        with self.workspace.connect() as db:
            row = db.execute("SELECT head_mark FROM spreadsheets WHERE id = ?", (self._id,)).fetchone()
        return row[0] if row and row[0] else None

    def apply(self, writes: Sequence[Write], editor: str | None = None) -> None:
        """Apply the writes in one transaction, as the editor (None: the app itself)."""
        at = self.workspace.now().isoformat()
        marker = self.marker()
        owner = marker.owner if marker else ""
        with self.workspace.connect() as db:
            for write in writes:
                if isinstance(write, AddTab):
                    self._add_tab(db, write, editor, at)
                elif isinstance(write, SetCell):
                    self._set_cell(db, write, editor, at, owner)
                elif isinstance(write, SetRows):
                    for offset, values in enumerate(write.rows):
                        for col_offset, value in enumerate(values):
                            cell = SetCell(write.tab, write.row + offset, write.col + col_offset, value)
                            self._set_cell(db, cell, editor, at, owner)
                elif isinstance(write, SetMarks):
                    self._set_marks(db, write)
                elif isinstance(write, ClearRows):
                    db.execute(
                        "DELETE FROM cells WHERE spreadsheet = ? AND tab = ? AND row >= ?",
                        (self._id, write.tab, write.first_row),
                    )
                elif isinstance(write, Protect):
                    self._protect(db, write.tab, write.col, write.first_row)
                elif isinstance(write, SetMarker):
                    marker = write.marker
                    db.execute(
                        "UPDATE spreadsheets SET plan_id = ?, plan_spreadsheet = ?, owner = ?, plan_tab = ?, "
                        "stakeholders_tab = ?, log_tab = ?, risks_tab = ? WHERE id = ?",
                        (*astuple(marker), self._id),
                    )
                    owner = marker.owner
                elif isinstance(write, SetHeadMark):
                    db.execute("UPDATE spreadsheets SET head_mark = ? WHERE id = ?", (write.text, self._id))

    def _add_tab(self, db: sqlite3.Connection, write: AddTab, editor: str | None, at: str) -> None:
        layout = write.layout
        taken = {row[0].casefold() for row in db.execute(_TABS, (self._id,))}
        title = layout.title
        if title.casefold() in taken:
            raise WorkbookError(f"a tab named '{title}' exists; a new tab never overwrites one")
        db.execute(
            "INSERT INTO tabs (spreadsheet, title, position, frozen_rows, table_spec) VALUES (?, ?, ?, ?, ?)",
            (
                self._id,
                title,
                len(taken),
                layout.frozen_rows,
                table_to_json(layout.table) if layout.table else None,
            ),
        )
        if layout.protected:
            self._protect(db, title, None, 0)
        id_col = layout.table.column(Column.ID) if layout.table else None
        if layout.table and id_col is not None:
            self._protect(db, title, id_col, layout.table.header_row)
        rules = validations(layout.table, len(layout.rows))
        db.executemany(
            "INSERT INTO cells (spreadsheet, tab, row, col, value, type, validation, editor, edited_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (self._id, title, row, col, *encode(value), rules.get((row, col)), editor, at)
                for row, values in enumerate(layout.rows)
                for col, value in enumerate(values)
                if value.value not in (None, "") or (row, col) in rules
            ],
        )

    def _protect(self, db: sqlite3.Connection, tab: str, col: int | None, first_row: int) -> None:
        db.execute(
            "INSERT INTO protections (spreadsheet, tab, col, first_row) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (spreadsheet, tab, col) DO UPDATE SET first_row = excluded.first_row",
            (self._id, tab, WHOLE_TAB if col is None else col, first_row),
        )

    def _set_cell(
        self, db: sqlite3.Connection, write: SetCell, editor: str | None, at: str, owner: str
    ) -> None:
        if db.execute(_TAB_EXISTS, (self._id, write.tab)).fetchone() is None:
            raise NotFoundError(f"no tab '{write.tab}'")
        protection = db.execute(
            "SELECT col FROM protections WHERE spreadsheet = ? AND tab = ? AND col IN (?, ?) AND first_row <= ?",
            (self._id, write.tab, WHOLE_TAB, write.col, write.row),
        ).fetchone()
        if protection and editor is not None and editor.casefold() != owner.casefold():
            what = f"the {write.tab} tab" if protection[0] == WHOLE_TAB else f"that column of {write.tab}"
            raise ProtectedTabError(f"{what} is protected: only the plan owner ({owner}) edits it")
        key = (self._id, write.tab, write.row, write.col)
        old = db.execute(
            "SELECT value FROM cells WHERE spreadsheet = ? AND tab = ? AND row = ? AND col = ?", key
        ).fetchone()
        value, kind = encode(write.value)
        db.execute(
            "INSERT INTO cells (spreadsheet, tab, row, col, value, type, editor, edited_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (spreadsheet, tab, row, col) DO UPDATE SET "
            "value = excluded.value, type = excluded.type, editor = excluded.editor, edited_at = excluded.edited_at",
            (*key, value, kind, editor, at),
        )
        if write.note is not None:
            db.execute(
                "UPDATE cells SET note = ? WHERE spreadsheet = ? AND tab = ? AND row = ? AND col = ?",
                (write.note or None, *key),
            )
        db.execute(
            "INSERT INTO edits (spreadsheet, tab, row, col, old, new, editor, edited_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (*key, old[0] if old else None, value, editor, at),
        )

    def _set_marks(self, db: sqlite3.Connection, write: SetMarks) -> None:
        where = (self._id, write.tab)
        db.execute("UPDATE cells SET note = NULL, colour = NULL WHERE spreadsheet = ? AND tab = ?", where)
        db.execute(
            "UPDATE cells SET value = NULL WHERE spreadsheet = ? AND tab = ? AND col = ? AND row >= ?",
            (*where, write.check_col, write.first_row),
        )
        for row, text in write.checks:
            db.execute(
                "INSERT INTO cells (spreadsheet, tab, row, col, value, type) VALUES (?, ?, ?, ?, ?, 'text') "
                "ON CONFLICT (spreadsheet, tab, row, col) DO UPDATE SET value = excluded.value",
                (*where, row, write.check_col, text),
            )
        for mark in write.marks:
            db.execute(
                "INSERT INTO cells (spreadsheet, tab, row, col, type, note, colour) VALUES (?, ?, ?, ?, 'text', ?, ?) "
                "ON CONFLICT (spreadsheet, tab, row, col) DO UPDATE SET note = "
                "CASE WHEN note IS NULL THEN excluded.note ELSE note || char(10) || excluded.note END, "
                "colour = COALESCE(colour, excluded.colour)",
                (*where, mark.row, mark.col, mark.note, mark.severity.value),
            )

    def marks(self, tab: str) -> dict[tuple[int, int], tuple[str, str]]:
        """The notes and colours on a tab, by (row, col)."""
        with self.workspace.connect() as db:
            rows = db.execute(
                "SELECT row, col, note, colour FROM cells WHERE spreadsheet = ? AND tab = ? AND note IS NOT NULL",
                (self._id, tab),
            ).fetchall()
        return {(row, col): (note, colour) for row, col, note, colour in rows}


_TABS = "SELECT title FROM tabs WHERE spreadsheet = ? ORDER BY position"
_TAB_EXISTS = "SELECT 1 FROM tabs WHERE spreadsheet = ? AND title = ?"
