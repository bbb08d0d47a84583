"""A sync the app starts itself: a buyer's answer from their page, a sidebar button, an edit typed in the
sandbox or the CLI. Recorded as every sync is (app/sync.py); and when it changed something, the plan's
CRM push is owed if a figure the CRM shows changed (app/crm_push.py), as after a background sync."""

from __future__ import annotations

from collections.abc import Sequence

from mutualplan.app.crm_push import owe_pushes
from mutualplan.app.ports import Workbook
from mutualplan.app.records import PlanRecord
from mutualplan.app.services import Services
from mutualplan.app.sync import EditorsOf, SyncResult, sync
from mutualplan.plan.history.answers import Answer, Decline
from mutualplan.plan.history.events import Event


def sync_now(
    services: Services,
    workbook: Workbook,
    editors: EditorsOf,
    record: PlanRecord,
    answers: Sequence[Answer | Decline] = (),
    noted: Sequence[Event] = (),
) -> SyncResult:
    """Sync the plan now, with what the app notes or a buyer answered; the CRM told of a change."""
    result = sync(services.store, workbook, record, editors, services.now, answers, noted)
    if result.events:
        owe_pushes(services, [record.id])
    return result
