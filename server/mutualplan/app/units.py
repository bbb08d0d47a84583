"""Units of background work, as a queue carries them: one job, one idempotency name, when it may run.

A unit's name is its identity. A queue (the store's own table, or Cloud Tasks) refuses a second unit
of the same name, so a cron retry or a double delivery enqueues nothing twice; what a unit does is
itself idempotent (a sync per window; a reminder at most once, by the ledger), so a unit run twice
does nothing twice either. The transport differs; what a unit does is decided in one place (tasks.py).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Job(StrEnum):
    """What a unit does."""

    SYNC = "sync"  # one plan's sync: {"plan"}
    REMIND = "remind"  # one owner's reminders for one local day in one zone: {"owner", "zone", "day"}
    RECONCILE = "reconcile"  # one owner's changed spreadsheets, each then a sync unit: {"owner"}
    RENEW = "renew"  # one batch of lapsing channels: {"channels": "id,id,…"}
    FAN = "fan"  # one page of a periodic job's units, and the fan's next page: {"of", "at", "after"}
    PIPELINE = (
        "pipeline"  # one viewer's week: Pipeline spreadsheets refreshed, digest mailed: {"viewer", "day"}
    )
    CRM = "crm"  # one seller's pushes owed, to each CRM one read and one write: {"owner"}


class Outcome(StrEnum):
    """What became of a unit's run, as its queue must take it."""

    DONE = "done"  # finished, or failed in a way a retry cannot fix (said in the run's report)
    RETRY = "retry"  # a quota or an outage: the queue tries again later, with its own backoff


@dataclass(frozen=True, slots=True)
class Unit:
    """One piece of background work; key names the work (its name is derived from it)."""

    job: Job
    key: str
    payload: Mapping[str, str] = field(default_factory=dict)
    not_before: datetime | None = None  # None: now

    @property
    def name(self) -> str:
        """The unit's name in a queue: [A-Za-z0-9_-] only (Cloud Tasks' rule), the same for the same work."""
        return f"{self.job.value}-{hashlib.sha256(self.key.encode()).hexdigest()[:40]}"

    def body(self) -> str:
        """The unit as a task's JSON body."""
        return json.dumps({"job": self.job.value, "key": self.key, **self.payload}, sort_keys=True)

    @classmethod
    def from_body(cls, body: Any) -> Unit:
        """A unit from a task's JSON body; a ValueError says what is wrong with it."""
        if not isinstance(body, dict) or not all(isinstance(value, str) for value in body.values()):
            raise ValueError('a task body is a JSON object of strings: {"job": …, "key": …}')
        fields = dict(body)
        try:
            job = Job(fields.pop("job", ""))
        except ValueError:
            raise ValueError(f"a task's job is one of {', '.join(Job)}") from None
        key = fields.pop("key", "")
        if not key:
            raise ValueError("a task names its work: a non-empty key")
        return cls(job, key, fields)


@dataclass(frozen=True, slots=True)
class Leased:
    """A unit handed to one runner, and how many times it has been handed out (this time included)."""

    unit: Unit
    attempts: int
