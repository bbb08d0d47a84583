"""Endpoints Google calls: Drive push notifications, and the cron jobs (cron only)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from mutualplan.app.remind import Remind
from mutualplan.app.services import services
from mutualplan.app.watch import (
    Notice,
    RunReport,
    receive_notification,
    reconcile,
    renew_channels,
    run_due_syncs,
)
from mutualplan.web.auth import cron_only
from mutualplan.web.unsubscribe import unsubscribe_link

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
    wired = services()
    notice = receive_notification(
        wired.store,
        request.headers.get("X-Goog-Channel-ID", ""),
        request.headers.get("X-Goog-Channel-Token", ""),
        request.headers.get("X-Goog-Resource-State", ""),
        wired.now(),
        wired.sync_window,
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
    wired = services()
    return _report(run_due_syncs(wired.store, wired.open_plan, wired.now))


@hooks.get("/cron/reconcile")
@cron_only
def cron_reconcile() -> Response:
    """Sync the plans whose spreadsheet changed since their last sync (lost notifications)."""
    wired = services()
    return _report(reconcile(wired.store, wired.drive_for_owner, wired.open_plan, wired.now))


@hooks.get("/cron/channels")
@cron_only
def cron_channels() -> Response:
    """Replace the push channels that lapse soon."""
    wired = services()
    opened = renew_channels(wired.store, wired.drive_for_plan, wired.hook_address, wired.now())
    return jsonify(renewed=len(opened))


@hooks.get("/cron/reminders")
@cron_only
def cron_reminders() -> Response:
    """Send today's reminders, each at most once, as each plan's owner."""
    wired = services()
    run = Remind(wired.store, wired.mailer_for, unsubscribe_link, wired.now())
    report = run.run(wired.store.plans())
    return jsonify(sent=len(report.sent), skipped=len(report.skipped), unknown=len(report.unknown))
