"""One plan's failure is that plan's alone: background work (a sync, a plan's reminders, a channel's
renewal) turns anything a plan raises into a failure of that plan — logged with its id, kept for its
owner's home card until the same work next succeeds — and goes on with the other plans.

Whether the unit is worth a retry is the failure's own word: a quota, Google's outage or a store that
can't be reached may pass; a bug, or a sheet mutualplan can't read, will not, and is never retried
forever."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Protocol

from mutualplan.app.records import AccountStatus, PlanRecord
from mutualplan.app.store_ports import Accounts, PlanFailures
from mutualplan.errors import GoogleApiError, GrantRevokedError, MutualplanError, StoreUnreachableError

logger = logging.getLogger(__name__)
SYNC, REMIND, RENEW, CRM = "sync", "remind", "renew", "crm"  # the background work a plan can fail


class FailureStore(PlanFailures, Accounts, Protocol):
    """What keeping a failure needs of the store."""


class FailureReport(Protocol):
    """A run's report: the plans that failed and what each said, and whether a retry may mend them."""

    failed: list[tuple[str, str]]
    passing: bool


def plan_failed(
    store: FailureStore,
    record: PlanRecord,
    job: str,
    exc: Exception,
    at: datetime,
    report: FailureReport,
    *,
    keep: bool = True,
) -> None:
    """Log a plan's failure, report it, and (unless keep is False: a dry run) keep it for the home card and
    flag the owner's account when Google no longer takes their grant."""
    if isinstance(exc, MutualplanError):
        said = str(exc)
        logger.warning("%s of plan %s failed: %s", job, record.id, said)
    else:  # a bug: its traceback is for the team, its name for the seller
        said = f"mutualplan hit an internal error ({type(exc).__name__}); it is logged for mutualplan's team"
        logger.error("%s of plan %s failed", job, record.id, exc_info=exc)
    if keep:
        store.record_failure(record.id, job, at, said)
        if isinstance(exc, GrantRevokedError):
            store.set_account_status(record.owner, AccountStatus.RECONNECT, at)
    report.failed.append((record.id, said))
    passing = isinstance(exc, GoogleApiError) and exc.passing
    report.passing |= passing or isinstance(exc, StoreUnreachableError)
