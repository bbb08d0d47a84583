"""Drive v3 over HTTP, for google-api-python-client: files in My Drive and in shared drives, answered as
Google answers them. A shared-drive file is 404 to a files.* call without supportsAllDrives=true, and a
files.list leaves it out unless it asks for includeItemsFromAllDrives=true with corpora=allDrives. Every
request's body and query are checked against the discovery document first."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlparse

import httplib2

from tests.discovery import body_errors, method_of, query_errors

Json = dict[str, Any]


@dataclass
class DriveFilesHttp:
    """Spreadsheets by id, the ids that live in a shared drive, and every request sent."""

    files: dict[str, Json] = field(default_factory=dict)
    shared: set[str] = field(default_factory=set)
    sent: list[tuple[str, str]] = field(default_factory=list)  # (method id, uri)

    def add(self, file_id: str, modified: str, *, shared: bool = False) -> None:
        """A spreadsheet, in My Drive or in a shared drive."""
        self.files[file_id] = {"id": file_id, "modifiedTime": modified}
        if shared:
            self.shared.add(file_id)

    def request(
        self, uri: str, method: str = "GET", body: Any = None, headers: Any = None, *args: Any, **kwargs: Any
    ) -> tuple[httplib2.Response, bytes]:
        """Answer one request as Drive would."""
        errors = body_errors("drive.v3", method, uri, body) + query_errors("drive.v3", method, uri)
        assert not errors, errors
        found = method_of("drive.v3", method, uri)
        assert found is not None
        self.sent.append((found["id"], uri))
        query = {name: values[-1] for name, values in parse_qs(urlparse(uri).query).items()}
        all_drives = query.get("supportsAllDrives") == "true"
        if found["id"] == "drive.files.list":
            every_drive = all_drives and query.get("includeItemsFromAllDrives") == "true"
            every_drive = every_drive and query.get("corpora") in ("allDrives", "drive")
            listed = [item for name, item in self.files.items() if every_drive or name not in self.shared]
            return _answer(200, {"files": listed})
        if found["id"] == "drive.files.create":
            made = f"file-{len(self.files) + 1}"
            self.add(made, "2026-12-01T09:00:00.000Z")
            return _answer(200, {"id": made})
        file_id = urlparse(uri).path.split("/files/")[1].split("/")[0]
        if file_id not in self.files or (file_id in self.shared and not all_drives):
            return _answer(404, _not_found(file_id))
        if found["id"] == "drive.files.watch":
            channel = json.loads(body)
            return _answer(200, {"id": channel["id"], "resourceId": f"resource-{file_id}"})
        if found["id"] == "drive.files.copy":
            copy_id = f"{file_id}-copy"
            self.add(copy_id, self.files[file_id]["modifiedTime"], shared=file_id in self.shared)
            return _answer(200, {"id": copy_id})
        return _answer(200, self.files[file_id])


def _not_found(file_id: str) -> Json:
    """Drive's own 404 body for a file the call may not see."""
    message = f"File not found: {file_id}."
    errors = [{"message": message, "domain": "global", "reason": "notFound", "location": "fileId"}]
    return {"error": {"code": 404, "message": message, "errors": errors}}


def _answer(status: int, body: Json) -> tuple[httplib2.Response, bytes]:
    return httplib2.Response({"status": str(status)}), json.dumps(body).encode()
