"""Cloud Tasks through google-api-python-client (static discovery): every unit of background work is one
named task in one of mutualplan's queues, each queue's rates set to keep one Google quota.

A unit's name is its task's name, and Cloud Tasks refuses a second task of the same name (409) for about
an hour after the first ran: the queue's own "already queued". A burst of Drive notifications for one plan
is ONE sync task, named after the plan and the window its due time falls in, run at the window's end. Each
task calls /tasks/run with an OIDC token Google signs as the tasks account; the endpoint verifies it.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from googleapiclient.discovery import build

from mutualplan.adapters.google.transport import GoogleTransport
from mutualplan.app.google_check import QueueSettings
from mutualplan.app.units import Job, Unit
from mutualplan.errors import GoogleApiError

CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform"  # the only scope Cloud Tasks takes
QUEUES = {  # which queue carries each job: queue.yaml sets each queue's rates
    Job.SYNC: "syncs",  # Sheets reads: 300 a minute a project
    Job.REMIND: "mail",  # Gmail: a per-user rate, 2,000 a day a Workspace user
    Job.RENEW: "renewals",  # Drive: files.watch and channels.stop
    Job.RECONCILE: "renewals",  # Drive: one files.list a page, an owner at a time
    Job.FAN: "fanout",  # the store only: pages of the fleet, enqueued
    Job.PIPELINE: "mail",  # a viewer's digest (Gmail), and a write to each of their Pipeline spreadsheets
    Job.CRM: "crm",  # a seller's pushes: a read and a write to their CRM (HubSpot: 110 requests per 10 s)
}


def window_of(moment: datetime, window: timedelta) -> int:
    """Which window (counted from the epoch) a moment falls in."""
    return int(moment.timestamp() // max(window.total_seconds(), 1))


def sync_unit(plan_id: str, due_at: datetime, window: timedelta) -> Unit:
    """A plan's sync in due_at's window, run at the window's end: one unit for every notification in it."""
    number = window_of(due_at, window)
    runs_at = datetime.fromtimestamp((number + 1) * max(window.total_seconds(), 1), UTC)
    return Unit(Job.SYNC, f"{plan_id}|{number}", {"plan": plan_id}, runs_at)


def timestamp(moment: datetime) -> str:
    """A moment as Cloud Tasks' Timestamp (RFC 3339, UTC, Z)."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


class CloudTasksQueue:
    """Units waiting in mutualplan's Cloud Tasks queues (`projects/P/locations/L/queues/NAME`), run by
    /tasks/run."""

    def __init__(
        self,
        http: Any,
        location: str,
        target_url: str,
        account: str,
        window: timedelta,
        transport: GoogleTransport | None = None,
    ) -> None:
        self.service = build("cloudtasks", "v2", http=http, static_discovery=True, cache_discovery=False)
        self.location, self.target_url, self.account, self.window = location, target_url, account, window
        self.transport = transport or GoogleTransport()

    def queue_of(self, job: Job) -> str:
        """The queue a job's units wait in."""
        return f"{self.location}/queues/{QUEUES[job]}"

    def request_sync(self, plan_id: str, due_at: datetime) -> bool:
        """Schedule the plan's sync at the end of due_at's window, unless that window's task exists:
        True when this call made it."""
        return self.enqueue([sync_unit(plan_id, due_at, self.window)]) == 1

    def enqueue(self, units: Sequence[Unit]) -> int:
        """Create each unit's task, unless one of its name exists: how many were made."""
        return sum(self._create(unit) for unit in units)

    def _create(self, unit: Unit) -> bool:
        queue = self.queue_of(unit.job)
        task: dict[str, Any] = {
            "name": f"{queue}/tasks/{unit.name}",
            "httpRequest": {
                "httpMethod": "POST",
                "url": self.target_url,
                "headers": {"Content-Type": "application/json"},
                "body": base64.b64encode(unit.body().encode()).decode(),
                "oidcToken": {"serviceAccountEmail": self.account, "audience": self.target_url},
            },
        }
        if unit.not_before is not None:
            task["scheduleTime"] = timestamp(unit.not_before)
        request = (
            self.service.projects().locations().queues().tasks().create(parent=queue, body={"task": task})
        )
        try:
            self.transport.call("Cloud Tasks", request.execute)
        except GoogleApiError as exc:
            if exc.status == 409:  # ALREADY_EXISTS: this unit is queued (or ran within the hour)
                return False
            raise
        return True

    def settings(self, name: str) -> QueueSettings:
        """One of the location's queues' rates (queues.get)."""
        request = self.service.projects().locations().queues().get(name=f"{self.location}/queues/{name}")
        found = self.transport.call("Cloud Tasks", request.execute)
        limits, retry = found.get("rateLimits", {}), found.get("retryConfig", {})
        return QueueSettings(
            float(limits.get("maxDispatchesPerSecond", 0)),
            int(limits.get("maxConcurrentDispatches", 0)),
            int(retry.get("maxAttempts", 0)),
        )
