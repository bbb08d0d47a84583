"""Gmail at the HTTP boundary (every body checked against gmail.v1), and the local outbox."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from mutualplan.adapters.google.gmail import GmailMailer
from mutualplan.adapters.google.transport import Backoff, GoogleTransport
from mutualplan.adapters.outbox import LocalOutbox
from mutualplan.app.mail import compose
from mutualplan.errors import GoogleApiError
from mutualplan.plan.reminders.planner import Recipient, Reminder, ReminderKind
from tests.google_http_mock import CheckedHttp, google_error, ok

REMINDER = Reminder(
    ReminderKind.DUE,
    "plan-1",
    Recipient("jane@acme.com", "Jane"),
    "Acme: due today — Kickoff",
    ("Due.",),
    "M01",
)
MESSAGE = compose(REMINDER, "sam@vendor.io", "Sam", "https://mp.example/unsubscribe?t=x")


def test_gmail_sends_the_message_raw_in_base64url_as_the_user() -> None:
    http = CheckedHttp("gmail.v1", [ok({"id": "m1", "threadId": "t1", "labelIds": ["SENT"]})])
    GmailMailer(http).send(MESSAGE)
    ((uri, method, body),) = http.sent
    assert (method, uri.split("?")[0]) == (
        "POST",
        "https://gmail.googleapis.com/gmail/v1/users/me/messages/send",
    )
    raw = base64.urlsafe_b64decode(json.loads(body)["raw"])
    back = message_from_bytes(raw, policy=policy.default)
    assert (back["To"], back["Message-ID"]) == ("Jane <jane@acme.com>", MESSAGE["Message-ID"])


def test_a_gmail_rate_limit_403_is_retried_and_a_permission_403_is_not() -> None:
    sleeps: list[float] = []
    http = CheckedHttp("gmail.v1", [google_error(403, "rateLimitExceeded"), ok({"id": "m1"})])
    GmailMailer(http, GoogleTransport(Backoff(sleep=sleeps.append, jitter=lambda: 1.0))).send(MESSAGE)
    assert sleeps == [0.5]
    refused = CheckedHttp("gmail.v1", [google_error(403, "insufficientPermissions")])
    with pytest.raises(GoogleApiError) as raised:
        GmailMailer(refused, GoogleTransport(Backoff(sleep=sleeps.append))).send(MESSAGE)
    assert (raised.value.status, raised.value.reason) == (403, "insufficientPermissions")


def test_the_outbox_keeps_each_message_once_as_an_eml_file(tmp_path: Path) -> None:
    outbox = LocalOutbox(tmp_path, lambda: datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    outbox.send(MESSAGE)
    outbox.send(MESSAGE)  # the same Message-ID: kept once
    (entry,) = outbox.entries()
    assert (entry.recipient, entry.subject) == ("Jane <jane@acme.com>", "Acme: due today — Kickoff")
    assert entry.file.parent == tmp_path / "outbox"
    assert outbox.message(entry)["Message-ID"] == MESSAGE["Message-ID"]
