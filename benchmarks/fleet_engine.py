"""Cloud Tasks, simulated for benchmarks/fleet.py: the queues as queue.yaml ships them (rate, concurrency,
backoff), named tasks (a name stays taken for an hour after its task ran, as Google keeps it), and one
event timeline for the day's cron calls, Drive notifications and task dispatches.

Each queue keeps its ready tasks in a heap and has at most one pending dispatch event, so a day of N tasks
costs O(N log N) events, however long tasks wait for their queue's rate or concurrency. A task runs whole
when dispatched, on the shared simulated clock; the next event may start earlier than it ended (another
runner, at the same time).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import count
from pathlib import Path
from typing import Any

import yaml
from tests.fleet_world import SimClock

from mutualplan.adapters.google.tasks import QUEUES, sync_unit
from mutualplan.app.units import Outcome, Unit

NAME_KEPT = timedelta(hours=1)  # Cloud Tasks refuses a task name for about an hour after its task ran
Runner = Callable[[Unit], tuple[Outcome, float]]  # a unit run on the clock: its outcome, its seconds


@dataclass
class Queue:
    """One queue: its settings, its ready tasks (by when each may run), and its runners' end times."""

    name: str
    rate: float  # dispatches a second
    concurrent: int
    backoff: float  # seconds before the first retry, doubling
    ready: list[tuple[datetime, int, Unit, int]] = field(default_factory=list)  # (when, order, unit, attempt)
    running: list[datetime] = field(default_factory=list)  # a heap of the running tasks' ends
    next_slot: datetime | None = None  # the rate's next free moment
    wake_at: datetime | None = None  # the pending dispatch event

    def due_at(self, now: datetime) -> datetime | None:
        """When the next task may be dispatched, by its moment, the rate and the concurrency (None: none)."""
        while self.running and self.running[0] <= now:
            heapq.heappop(self.running)
        if not self.ready:
            return None
        moments = [self.ready[0][0], now]
        if self.next_slot is not None:
            moments.append(self.next_slot)
        if len(self.running) >= self.concurrent:
            moments.append(self.running[0])
        return max(moments)


@dataclass
class CloudTasks:
    """The day's timeline: cron calls and notifications pushed as events; queues dispatching their tasks."""

    clock: SimClock
    queues: dict[str, Queue]
    events: list[tuple[datetime, int, str, Any]] = field(default_factory=list)
    taken: dict[str, datetime | None] = field(default_factory=dict)  # name → when its task ended (None: not)
    order: count[int] = field(default_factory=count)

    def push(self, at: datetime, kind: str, payload: Any) -> None:
        """An event on the timeline."""
        heapq.heappush(self.events, (at, next(self.order), kind, payload))

    def enqueue(self, units: Iterable[Unit]) -> int:
        """Create named tasks (one whose name is taken is refused, as ALREADY_EXISTS); how many."""
        made, now = 0, self.clock.now()
        for unit in units:
            if unit.name in self.taken:
                ended = self.taken[unit.name]
                if ended is None or now - ended < NAME_KEPT:
                    continue
            self.taken[unit.name] = None
            self._add(self.queues[QUEUES[unit.job]], max(unit.not_before or now, now), unit, 1)
            made += 1
        return made

    def request_sync(self, plan_id: str, due_at: datetime) -> bool:
        """A plan's sync at its window's end, named after the window."""
        return self.enqueue([sync_unit(plan_id, due_at, timedelta(seconds=10))]) == 1

    def _add(self, queue: Queue, at: datetime, unit: Unit, attempt: int) -> None:
        heapq.heappush(queue.ready, (at, next(self.order), unit, attempt))
        self._wake(queue, self.clock.now())

    def _wake(self, queue: Queue, now: datetime) -> None:
        due = queue.due_at(now)
        if due is not None and (queue.wake_at is None or due < queue.wake_at):
            queue.wake_at = due
            self.push(due, "dispatch", queue.name)

    def next_event(self) -> tuple[datetime, str, Any] | None:
        """The next event that still stands (a dispatch superseded by an earlier one is dropped)."""
        while self.events:
            at, _, kind, payload = heapq.heappop(self.events)
            if kind != "dispatch" or self.queues[payload].wake_at == at:
                return at, kind, payload
        return None

    def dispatch(self, name: str, run: Runner) -> None:
        """Run the queue's next task now (its moment, rate and concurrency allow it), then end or retry it."""
        queue, now = self.queues[name], self.clock.now()
        queue.wake_at = None
        if queue.due_at(now) == now:
            _, _, unit, attempt = heapq.heappop(queue.ready)
            queue.next_slot = now + timedelta(seconds=1 / queue.rate)
            outcome, seconds = run(unit)
            ended = now + timedelta(seconds=seconds)
            heapq.heappush(queue.running, ended)
            self.clock.at = now
            if outcome is Outcome.RETRY:
                self._add(
                    queue, ended + timedelta(seconds=queue.backoff * 2 ** (attempt - 1)), unit, attempt + 1
                )
            else:
                self.taken[unit.name] = ended
        self._wake(queue, now)


def queues_of_yaml(root: Path) -> dict[str, Queue]:
    """The queues as queue.yaml ships them."""
    shipped = yaml.safe_load((root / "queue.yaml").read_text(encoding="utf-8"))["queue"]
    return {
        queue["name"]: Queue(
            queue["name"],
            float(queue["rate"].removesuffix("/s")),
            int(queue["max_concurrent_requests"]),
            float(queue["retry_parameters"]["min_backoff_seconds"]),
        )
        for queue in shipped
    }
