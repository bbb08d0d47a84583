"""The remind command: today's reminders for the local plans, into the local outbox."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from mutualplan.app.remind import plans_to_remind
from mutualplan.app.remind import remind as remind_plans
from mutualplan.cli.common import DAY, clear_errors, echo_json, json_option, wiring, workspace_option
from mutualplan.plan.sheet.text import plural


@click.command()
@click.option("--today", type=DAY, help="Remind as of this day (default: today in each plan's time zone).")
@click.option("--dry-run", is_flag=True, help="Say what would be sent; send and record nothing.")
@click.option("--plan", "plan_id", help="One plan (default: every plan).")
@workspace_option
@json_option
@clear_errors
def remind(today: datetime | None, dry_run: bool, plan_id: str | None, data: Path, as_json: bool) -> None:
    """Send today's reminders (to the local outbox), each at most once."""
    services = wiring().local(data)
    plans = list(plans_to_remind(services.store, plan_id))
    hidden = as_json or not sys.stderr.isatty()  # a bar on a terminal only
    with click.progressbar(length=len(plans), label="Reminding", file=sys.stderr, hidden=hidden) as bar:
        report = remind_plans(
            services, plans, today.date() if today else None, dry_run, lambda: bar.update(1)
        )
    if as_json:
        echo_json(report.as_json())
        return
    verb = "would send" if dry_run else "sent"
    for item in report.sent:
        click.echo(f"{verb} {item['kind']:<15} to {item['to']}: {item['subject']}")
    for item in report.skipped:
        click.echo(f"skipped {item['kind']:<12} to {item['to'] or '—'}: {item['why']}")
    for key in report.unknown:
        click.echo(f"unknown (a run was cut off while sending; never resent): {key}")
    messages = f" in {plural(report.messages, 'message')}" if report.sent else ""
    click.echo(f"{len(report.sent)} {verb}{messages}, {len(report.skipped)} skipped")
