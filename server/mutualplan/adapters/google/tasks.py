"""Cloud Tasks through google-api-python-client (static discovery): a plan's sync, scheduled once a window.

A burst of Drive notifications for one plan becomes ONE task: the task is named after the plan and the
window its due time falls in, and Cloud Tasks refuses a second task of the same name (409), which is
the queue's own "already queued". The task runs at the window's end and calls /tasks/sync with an OIDC
token Google signs as the tasks account; the endpoint verifies it. No instance waits for a cron tick.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from googleapiclient.discovery import build

from mutualplan.adapters.google.transport import GoogleTransport
from mutualplan.errors import GoogleApiError

CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform"  # the only scope Cloud Tasks takes


def task_name(queue: str, plan_id: str, due_at: datetime, window: timedelta) -> str:
    """The task of a plan's sync in one window: the same name for every notification in it."""
    plan = hashlib.sha256(plan_id.encode()).hexdigest()[:32]  # task IDs are [A-Za-z0-9_-] only
    return f"{queue}/tasks/sync-{plan}-{window_of(due_at, window)}"


def window_of(moment: datetime, window: timedelta) -> int:
    """Which window (counted from the epoch) a moment falls in."""
    return int(moment.timestamp() // max(window.total_seconds(), 1))


class CloudTasksQueue:
    """Syncs waiting in a Cloud Tasks queue (`projects/P/locations/L/queues/Q`), run by /tasks/sync."""

    def __init__(
        self,
        http: Any,
        queue: str,
        target_url: str,
        account: str,
        window: timedelta,
        transport: GoogleTransport | None = None,
    ) -> None:
        self.service = build("cloudtasks", "v2", http=http, static_discovery=True, cache_discovery=False)
        self.queue, self.target_url, self.account, self.window = queue, target_url, account, window
        self.transport = transport or GoogleTransport()

    def request_sync(self, plan_id: str, due_at: datetime) -> bool:
        """Schedule the plan's sync at the end of due_at's window, unless that window's task exists:
        True when this call made it."""
        runs_at = datetime.fromtimestamp(
            (window_of(due_at, self.window) + 1) * self.window.total_seconds(), UTC
        )
        body = {
            "task": {
                "name": task_name(self.queue, plan_id, due_at, self.window),
                "scheduleTime": runs_at.isoformat().replace("+00:00", "Z"),
                "httpRequest": {
                    "httpMethod": "POST",
                    "url": self.target_url,
                    "headers": {"Content-Type": "application/json"},
                    "body": base64.b64encode(json.dumps({"plan": plan_id}).encode()).decode(),
                    "oidcToken": {"serviceAccountEmail": self.account, "audience": self.target_url},
                },
            }
        }
        request = self.service.projects().locations().queues().tasks().create(parent=self.queue, body=body)
        try:
            self.transport.call("Cloud Tasks", request.execute)
        except GoogleApiError as exc:
            if exc.status == 409:  # ALREADY_EXISTS: this window's sync is queued
                return False
            raise
        return True
