"""Endpoints Google calls: Drive push notifications, the cron jobs (cron only), and the units of work
Cloud Tasks runs (its account only). A cron call only enqueues; the units do the work (app/tasks.py)."""

from __future__ import annotations

import json
import logging

from flask import Blueprint, Response, jsonify, request

from mutualplan.app.fanout import start
from mutualplan.app.tasks import TASK_BUDGET, drain, run_unit
from mutualplan.app.units import Job, Outcome, Unit
from mutualplan.app.watch import Notice, on_notification
from mutualplan.web.auth import cron_only, tasks_only
from mutualplan.web.context import services

logger = logging.getLogger(__name__)
hooks = Blueprint("hooks", __name__)
NOTICE_STATUS = {
    Notice.QUEUED: 200,
    Notice.ALREADY_QUEUED: 200,
    Notice.IGNORED: 200,
    Notice.UNKNOWN_CHANNEL: 404,  # Drive stops sending for a channel that answers 404
    Notice.WRONG_TOKEN: 403,
}


@hooks.post("/hooks/drive")
def drive_notification() -> tuple[Response, int]:
    """A Drive push notification: checked against its channel, then one sync queued per window."""
    notice = on_notification(
        services(),
        request.headers.get("X-Goog-Channel-ID", ""),
        request.headers.get("X-Goog-Channel-Token", ""),
        request.headers.get("X-Goog-Resource-State", ""),
    )
    return jsonify(result=notice.value), NOTICE_STATUS[notice]


@hooks.post("/tasks/run")
@tasks_only
def task_run() -> tuple[Response, int]:
    """Run the unit a Cloud Task carries: 503 asks the queue to retry it (a quota, an outage), with its
    own backoff; 200 ends it, a failure no retry can mend included (said in the answer)."""
    try:
        unit = Unit.from_body(json.loads(request.get_data(as_text=True) or "null"))
    except ValueError as exc:  # json's errors are ValueErrors too
        logger.error("a task body that is no unit: %s", exc)
        return jsonify(error=str(exc)), 200
    run = run_unit(services(), unit)
    return jsonify(run.said), 503 if run.outcome is Outcome.RETRY else 200


@hooks.get("/cron/sync-due")
@cron_only
def cron_sync_due() -> Response:
    """Where no Cloud Tasks queue is set: run the store's due syncs and units, for at most TASK_BUDGET."""
    wired = services()
    return jsonify(drain(wired, until=wired.now() + TASK_BUDGET).as_json())


def _started(job: Job) -> Response:
    return jsonify(enqueued=start(services(), job))


@hooks.get("/cron/reconcile")
@cron_only
def cron_reconcile() -> Response:
    """Enqueue the sweep for plans whose spreadsheet changed without a notification: a unit per owner."""
    return _started(Job.RECONCILE)


@hooks.get("/cron/channels")
@cron_only
def cron_channels() -> Response:
    """Enqueue the renewal of the push channels that lapse soon: a unit per batch of channels."""
    return _started(Job.RENEW)


@hooks.get("/cron/reminders")
@cron_only
def cron_reminders() -> Response:
    """Enqueue the reminders of the owners whose plans have reached 08:00 local: a unit per owner and day."""
    return _started(Job.REMIND)
