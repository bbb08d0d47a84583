"""The Drive adapter at the HTTP boundary: channels, editors, changed files, retries and timeouts."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlparse

import pytest

from mutualplan.adapters.google.drive import GoogleDrive
from mutualplan.adapters.google.transport import Backoff, GoogleTransport
from mutualplan.app.records import FileState, Watch
from mutualplan.errors import GoogleApiError
from tests.google_http_mock import CheckedHttp, HangingHttp, google_error, ok

EXPIRES = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


Answer = tuple[dict[str, str], str]


def drive(answers: list[Answer], sleeps: list[float] | None = None) -> tuple[GoogleDrive, CheckedHttp]:
    http = CheckedHttp("drive.v3", answers)
    backoff = Backoff(sleep=(sleeps if sleeps is not None else []).append, jitter=lambda: 1.0)
    return GoogleDrive(http, GoogleTransport(backoff)), http


def test_watch_opens_a_web_hook_channel_with_its_token_and_expiry_in_milliseconds() -> None:
    answer = {"kind": "api#channel", "id": "ch-1", "resourceId": "res-9", "expiration": "1795338000000"}
    client, http = drive([ok(answer)])
    watch = client.watch("sheet-1", "ch-1", "secret-token", "https://example.test/hooks/drive", EXPIRES)
    assert watch == Watch("ch-1", "res-9", datetime.fromtimestamp(1795338000, UTC))
    ((uri, method, body),) = http.sent
    assert (urlparse(uri).path, method) == ("/drive/v3/files/sheet-1/watch", "POST")
    assert '"type": "web_hook"' in body
    assert '"token": "secret-token"' in body
    assert f'"expiration": "{int(EXPIRES.timestamp() * 1000)}"' in body


def test_stop_closes_the_channel_by_id_and_resource() -> None:
    client, http = drive([ok("")])
    client.stop("ch-1", "res-9")
    ((uri, method, body),) = http.sent
    assert (urlparse(uri).path, method) == ("/drive/v3/channels/stop", "POST")
    assert body == '{"id": "ch-1", "resourceId": "res-9"}'


def test_state_gives_the_last_editor_and_none_when_drive_hides_it() -> None:
    moment = "2026-11-22T09:30:00.000Z"
    client, _ = drive([
        ok({"id": "s1", "modifiedTime": moment, "lastModifyingUser": {"emailAddress": "jane@acme.com"}}),
        ok({"id": "s1", "modifiedTime": moment, "lastModifyingUser": {"displayName": "Anonymous"}}),
    ])  # fmt: skip
    assert client.state("s1") == FileState("s1", moment, "jane@acme.com")
    assert client.state("s1").last_editor is None


def test_changed_files_are_read_page_by_page_through_empty_pages() -> None:
    client, http = drive([
        ok({"files": [{"id": "a", "modifiedTime": "2026-11-22T10:00:00Z"}], "nextPageToken": "p2"}),
        ok({"files": [], "nextPageToken": "p3"}),
        ok({"files": [{"id": "b", "modifiedTime": "2026-11-22T11:00:00Z"}]}),
    ])  # fmt: skip
    assert [item.id for item in client.changed_since("2026-11-22T09:00:00Z")] == ["a", "b"]
    queries = [parse_qs(urlparse(uri).query) for uri, _, _ in http.sent]
    assert [query.get("pageToken") for query in queries] == [None, ["p2"], ["p3"]]
    assert "modifiedTime > '2026-11-22T09:00:00Z'" in queries[0]["q"][0]


@pytest.mark.parametrize(
    "failure",
    [
        google_error(429, "rateLimitExceeded", "Quota exceeded, slow down (reworded)"),
        google_error(403, "userRateLimitExceeded"),
        ({"status": "502"}, "<html><body>Bad Gateway</body></html>"),
        google_error(503, "backendError"),
    ],
)
def test_rate_limits_and_server_errors_are_retried_with_backoff(failure: Answer) -> None:
    sleeps: list[float] = []
    client, _ = drive([failure, failure, ok({"id": "s1", "modifiedTime": "t"})], sleeps)
    assert client.state("s1").id == "s1"
    assert sleeps == [0.5, 1.0]


def test_a_403_for_missing_permission_is_not_retried() -> None:
    sleeps: list[float] = []
    client, _ = drive([google_error(403, "insufficientPermissions")], sleeps)
    with pytest.raises(GoogleApiError, match="no access") as raised:
        client.state("s1")
    assert (raised.value.status, raised.value.reason, sleeps) == (403, "insufficientPermissions", [])


def test_a_hanging_socket_times_out_is_retried_and_then_said_plainly() -> None:
    http = HangingHttp()
    client = GoogleDrive(http, GoogleTransport(Backoff(attempts=3, sleep=lambda seconds: None)))
    with pytest.raises(GoogleApiError, match="Google Drive did not answer"):
        client.state("s1")
    assert http.calls == 3


def test_a_new_spreadsheet_and_a_copy_are_made_with_files_create_and_files_copy() -> None:
    client, http = drive([ok({"id": "new-1"}), ok({"id": "copy-2"})])
    assert client.create_spreadsheet("mutualplan google-check") == "new-1"
    assert client.copy("new-1", "mutualplan google-check (copy)") == "copy-2"
    (create_uri, create_method, create_body), (copy_uri, copy_method, copy_body) = http.sent
    assert (urlparse(create_uri).path, create_method) == ("/drive/v3/files", "POST")
    assert '"mimeType": "application/vnd.google-apps.spreadsheet"' in create_body
    assert (urlparse(copy_uri).path, copy_method) == ("/drive/v3/files/new-1/copy", "POST")
    assert parse_qs(urlparse(copy_uri).query)["fields"] == ["id"]
    assert copy_body == '{"name": "mutualplan google-check (copy)"}'
