"""Endpoints Google calls: Drive push notifications, the cron jobs (cron only), and the queued syncs
Cloud Tasks runs (its account only)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from mutualplan.app.remind import remind
from mutualplan.app.watch import (
    Notice,
    RunReport,
    on_notification,
    reconcile_all,
    renew_all,
    sync_due,
    sync_queued,
)
from mutualplan.web.auth import cron_only, tasks_only
from mutualplan.web.context import services

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


def _report(report: RunReport, **extra: Any) -> Response:
    events = sum(len(result.events) for result in report.synced)
    failed = [{"plan": plan_id, "error": message} for plan_id, message in report.failed]
    return jsonify(synced=len(report.synced), events=events, failed=failed, **extra)


@hooks.get("/cron/sync-due")
@cron_only
def cron_sync_due() -> Response:
    """Run the syncs whose window has closed."""
    return _report(sync_due(services()))


@hooks.post("/tasks/sync")
@tasks_only
def task_sync() -> Response | tuple[Response, int]:
    """Run the sync a Cloud Task was queued for. A failed sync answers 200 all the same (it is reported):
    the reconcile sweep catches the plan's changes, and a retry would only repeat what failed."""
    body = request.get_json(silent=True)
    plan_id = body.get("plan") if isinstance(body, dict) else None
    if not isinstance(plan_id, str):
        return jsonify(error='a sync task names its plan: {"plan": "…"}'), 400
    return _report(sync_queued(services(), plan_id))


@hooks.get("/cron/reconcile")
@cron_only
def cron_reconcile() -> Response:
    """Sync the plans whose spreadsheet changed since their last sync (lost notifications)."""
    return _report(reconcile_all(services()))


@hooks.get("/cron/channels")
@cron_only
def cron_channels() -> Response:
    """Replace the push channels that lapse soon."""
    renewal = renew_all(services())
    failed = [{"plan": plan_id, "error": message} for plan_id, message in renewal.failed]
    return jsonify(renewed=len(renewal.opened), failed=failed)


@hooks.get("/cron/reminders")
@cron_only
def cron_reminders() -> Response:
    """Send today's reminders, each at most once, as each plan's owner."""
    wired = services()
    report = remind(wired, wired.store.plans())
    return jsonify(
        sent=len(report.sent),
        messages=report.messages,
        skipped=len(report.skipped),
        unknown=len(report.unknown),
    )
