"""A hand-written fake of the Drive port: files that change, channels opened and stopped, calls counted."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from mutualplan.app.records import FileState, Watch
from mutualplan.errors import GoogleApiError

PAGE = 2  # files a page, small so that tests cross pages


@dataclass
class FakeDrive:
    """Drive as mutualplan sees it."""

    files: dict[str, FileState] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)  # channel id → the token Drive was given
    stopped: list[str] = field(default_factory=list)
    calls: Counter[str] = field(default_factory=Counter)
    clock: datetime = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)

    def touch(self, file_id: str, editor: str | None) -> None:
        """Someone edited the file: it has a new modifiedTime."""
        self.clock += timedelta(seconds=1)
        moment = self.clock.isoformat().replace("+00:00", "Z")
        self.files[file_id] = FileState(file_id, moment, editor)

    def watch(self, file_id: str, channel_id: str, token: str, address: str, expires_at: datetime) -> Watch:
        self.calls["watch"] += 1
        self.tokens[channel_id] = token
        return Watch(channel_id, f"resource-{file_id}", expires_at)

    def stop(self, channel_id: str, resource_id: str) -> None:
        self.calls["stop"] += 1
        if channel_id in self.stopped:
            raise GoogleApiError("channel not found", 404, "notFound")
        self.stopped.append(channel_id)

    def state(self, file_id: str) -> FileState:
        self.calls["get"] += 1
        if file_id not in self.files:
            raise GoogleApiError("the file is gone from Google Drive", 404, "notFound")
        return self.files[file_id]

    def changed_since(self, since: str | None) -> Iterator[FileState]:
        changed = sorted(
            (state for state in self.files.values() if since is None or state.modified_time > since),
            key=lambda state: state.id,
        )
        for start in range(0, max(len(changed), 1), PAGE):
            self.calls["list"] += 1
            yield from changed[start : start + PAGE]
