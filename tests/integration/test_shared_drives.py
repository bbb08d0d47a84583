"""Plans in shared drives: every Drive call reaches a spreadsheet kept in one, at the HTTP boundary."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlparse

import pytest
from googleapiclient.discovery import build

from mutualplan.adapters.google.drive import GoogleDrive
from mutualplan.adapters.google.transport import Backoff, GoogleTransport
from mutualplan.errors import GoogleApiError
from tests.fake_drive_http import DriveFilesHttp

MODIFIED = "2026-12-01T09:00:00.000Z"


@pytest.fixture
def http() -> DriveFilesHttp:
    """Drive with a plan in My Drive and one in a shared drive."""
    fake = DriveFilesHttp()
    fake.add("in-my-drive", MODIFIED)
    fake.add("in-a-shared-drive", MODIFIED, shared=True)
    return fake


def adapter(http: DriveFilesHttp) -> GoogleDrive:
    return GoogleDrive(http, GoogleTransport(Backoff(sleep=lambda seconds: None)))


def test_the_fake_refuses_a_shared_drive_file_to_a_call_that_does_not_support_shared_drives(
    http: DriveFilesHttp,
) -> None:
    service = build("drive", "v3", http=http, static_discovery=True, cache_discovery=False)
    with pytest.raises(Exception, match="File not found: in-a-shared-drive"):
        service.files().get(fileId="in-a-shared-drive", fields="id").execute()
    listed = service.files().list(q="trashed = false", fields="files(id)").execute()
    assert [item["id"] for item in listed["files"]] == ["in-my-drive"]


def test_a_plan_in_a_shared_drive_is_read_watched_copied_and_listed(http: DriveFilesHttp) -> None:
    drive = adapter(http)
    assert drive.state("in-a-shared-drive").modified_time == MODIFIED
    expires = datetime(2026, 12, 2, tzinfo=UTC)
    watch = drive.watch("in-a-shared-drive", "channel-1", "token", "https://mp.example/hooks/drive", expires)
    assert watch.resource_id == "resource-in-a-shared-drive"
    assert drive.copy("in-a-shared-drive", "Copy") == "in-a-shared-drive-copy"
    listed = {state.id for state in drive.changed_since(None)}
    assert listed == {"in-my-drive", "in-a-shared-drive", "in-a-shared-drive-copy"}


def test_every_files_call_supports_shared_drives_and_the_list_asks_for_every_drive(
    http: DriveFilesHttp,
) -> None:
    drive = adapter(http)
    drive.state("in-my-drive")
    drive.watch("in-my-drive", "channel-1", "token", "https://mp.example/hooks/drive", datetime.now(UTC))
    drive.copy("in-my-drive", "Copy")
    drive.create_spreadsheet("New")
    list(drive.changed_since("2026-11-01T00:00:00Z"))
    for method, uri in http.sent:
        query = {name: values[-1] for name, values in parse_qs(urlparse(uri).query).items()}
        assert query.get("supportsAllDrives") == "true", method
        if method == "drive.files.list":
            assert (query["includeItemsFromAllDrives"], query["corpora"]) == ("true", "allDrives")
    assert {method for method, _ in http.sent} == {
        "drive.files.get", "drive.files.watch", "drive.files.copy", "drive.files.create", "drive.files.list"
    }  # fmt: skip


def test_a_file_the_app_may_not_see_is_still_a_404_said_plainly(http: DriveFilesHttp) -> None:
    with pytest.raises(GoogleApiError, match="gone from Google Drive or not shared") as raised:
        adapter(http).state("someone-elses")
    assert raised.value.status == 404
