"""A plan's timeline, as a picture needs it: the plan as of its last sync, today in its zone, its slips."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mutualplan.app.days import local_day
from mutualplan.app.records import PlanRecord
from mutualplan.app.services import Services
from mutualplan.plan.history.past import Slip
from mutualplan.plan.history.snapshot import Snapshot


@dataclass(frozen=True, slots=True)
class Timeline:
    """What a timeline picture shows."""

    snapshot: Snapshot
    today: date
    slips: tuple[Slip, ...]


def timeline_of(services: Services, record: PlanRecord) -> Timeline | None:
    """A plan's timeline as of its last sync, "today" in its spreadsheet's zone; None before a sync."""
    found = services.store.plan_input(record.id)
    if found is None:
        return None
    return Timeline(found.snapshot, local_day(services.now(), record.time_zone), found.slips)


def timeline_at(services: Services, token: str) -> Timeline | None:
    """The timeline a sealed link shows; None for a plan the store does not know or has not synced."""
    record = services.store.plan(services.links.timeline_plan(token))
    return timeline_of(services, record) if record else None
