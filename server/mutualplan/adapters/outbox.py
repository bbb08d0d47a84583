"""The local outbox, the default mailer: one .eml file a message under the workspace, indexed in SQLite."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from mutualplan.app.records import OutboxEntry
from mutualplan.config import private_file
from mutualplan.errors import WorkbookError

SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT, message_id TEXT NOT NULL UNIQUE, sender TEXT NOT NULL,
    recipient TEXT NOT NULL, subject TEXT NOT NULL, sent_at TEXT NOT NULL, file TEXT NOT NULL
);
"""


class LocalOutbox:
    """Mail that goes nowhere but a folder: what reminders would send, to read as the recipient would."""

    def __init__(self, folder: Path, now: Callable[[], datetime]) -> None:
        self.folder = folder / "outbox"
        self.now = now
        try:
            with closing(sqlite3.connect(private_file(self._index))) as db, db:
                db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise WorkbookError(f"can't use the outbox in {self.folder}: {exc}") from exc

    @property
    def _index(self) -> Path:
        return self.folder / "outbox.sqlite"

    def send(self, message: EmailMessage) -> None:
        """Keep the message; the same Message-ID twice is kept once."""
        message_id = str(message["Message-ID"])
        with closing(sqlite3.connect(self._index, timeout=10)) as db, db:
            found = db.execute("SELECT 1 FROM outbox WHERE message_id = ?", (message_id,)).fetchone()
            if found:
                return
            heads = (str(message["From"]), str(message["To"]), str(message["Subject"]))
            cursor = db.execute(
                "INSERT INTO outbox (message_id, sender, recipient, subject, sent_at, file) "
                "VALUES (?, ?, ?, ?, ?, '')",
                (message_id, *heads, self.now().isoformat()),
            )
            path = private_file(self.folder / f"{cursor.lastrowid:06d}.eml")
            path.write_bytes(message.as_bytes())
            db.execute("UPDATE outbox SET file = ? WHERE id = ?", (path.name, cursor.lastrowid))

    def entries(self) -> list[OutboxEntry]:
        """Every message, newest first."""
        with closing(sqlite3.connect(self._index, timeout=10)) as db:
            rows = db.execute(
                "SELECT id, message_id, sender, recipient, subject, sent_at, file FROM outbox "
                "ORDER BY id DESC"
            ).fetchall()
        return [
            OutboxEntry(number, message_id, sender, recipient, subject, sent_at, self.folder / name)
            for number, message_id, sender, recipient, subject, sent_at, name in rows
        ]

    def message(self, entry: OutboxEntry) -> EmailMessage:
        """A kept message, parsed back."""
        parsed = message_from_bytes(entry.file.read_bytes(), policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed
