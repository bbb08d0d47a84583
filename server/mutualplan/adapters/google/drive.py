"""Google Drive through google-api-python-client (static discovery): push channels, editors, changes.

Deal documents often live in shared drives: every files.* call says it supports them, and files.list asks
for items of every drive, or Google answers 404 for a shared-drive file and leaves it out of a list."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from googleapiclient.discovery import build

from mutualplan.adapters.google.transport import GoogleTransport
from mutualplan.app.records import FileState, Watch

SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"
PAGE_SIZE = 100
ALL_DRIVES = {"supportsAllDrives": True}  # on every files.* call
LIST_ALL_DRIVES = {**ALL_DRIVES, "includeItemsFromAllDrives": True, "corpora": "allDrives"}


class GoogleDrive:
    """The Drive calls mutualplan makes, each retried on what Google says to retry."""

    def __init__(self, http: Any, transport: GoogleTransport | None = None) -> None:
        self.service = build("drive", "v3", http=http, static_discovery=True, cache_discovery=False)
        self.transport = transport or GoogleTransport()

    def _execute(self, request: Any) -> dict[str, Any]:
        answer: dict[str, Any] = self.transport.call("Google Drive", lambda: request.execute() or {})
        return answer

    def watch(self, file_id: str, channel_id: str, token: str, address: str, expires_at: datetime) -> Watch:
        """Open a push channel on a file; Drive may give it an earlier expiry than asked."""
        body = {
            "id": channel_id,
            "type": "web_hook",
            "address": address,
            "token": token,
            "expiration": str(int(expires_at.timestamp() * 1000)),
        }
        answer = self._execute(self.service.files().watch(fileId=file_id, body=body, **ALL_DRIVES))
        expiry = int(answer.get("expiration", body["expiration"]))
        return Watch(answer["id"], answer["resourceId"], datetime.fromtimestamp(expiry / 1000, UTC))

    def stop(self, channel_id: str, resource_id: str) -> None:
        """Close a push channel."""
        self._execute(self.service.channels().stop(body={"id": channel_id, "resourceId": resource_id}))

    def state(self, file_id: str) -> FileState:
        """When a file last changed and who changed it."""
        answer = self._execute(
            self.service.files().get(
                fileId=file_id, fields="id,modifiedTime,lastModifyingUser(emailAddress)", **ALL_DRIVES
            )
        )
        return _state(answer)

    def create_spreadsheet(self, name: str) -> str:
        """A new, empty spreadsheet the app made (so drive.file reaches it): its id."""
        body = {"name": name, "mimeType": SPREADSHEET_MIME}
        return str(self._execute(self.service.files().create(body=body, fields="id", **ALL_DRIVES))["id"])

    def copy(self, file_id: str, name: str) -> str:
        """Drive's "Make a copy" of a file: the copy's id."""
        request = self.service.files().copy(fileId=file_id, body={"name": name}, fields="id", **ALL_DRIVES)
        return str(self._execute(request)["id"])

    def changed_since(self, since: str | None) -> Iterator[FileState]:
        """The spreadsheets the app can see that changed after an RFC 3339 moment, one call a page."""
        query = f"mimeType = '{SPREADSHEET_MIME}' and trashed = false"
        if since:
            query += f" and modifiedTime > '{since}'"
        token: str | None = None
        while True:
            answer = self._execute(
                self.service.files().list(
                    q=query,
                    pageSize=PAGE_SIZE,
                    pageToken=token,
                    fields="nextPageToken,files(id,modifiedTime,lastModifyingUser(emailAddress))",
                    **LIST_ALL_DRIVES,
                )
            )
            yield from (_state(item) for item in answer.get("files", []))
            token = answer.get("nextPageToken")
            if not token:
                return


def _state(answer: dict[str, Any]) -> FileState:
    editor = answer.get("lastModifyingUser", {}).get("emailAddress")
    return FileState(answer["id"], answer["modifiedTime"], editor)
