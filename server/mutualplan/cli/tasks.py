"""The tasks commands: the store's own queue of units, run from a shell (where no Cloud Tasks queue is)."""

from __future__ import annotations

import time
from pathlib import Path

import click

from mutualplan.app.fanout import start as start_job
from mutualplan.app.services import Services
from mutualplan.app.tasks import drain
from mutualplan.app.units import Job
from mutualplan.cli.common import clear_errors, echo_json, json_option, wiring, workspace_option

JOBS = {"reminders": Job.REMIND, "reconcile": Job.RECONCILE, "channels": Job.RENEW}


@click.group()
def tasks() -> None:
    """The store's own queue of background work (where no Cloud Tasks queue is set)."""


@tasks.command()
@click.argument("job", type=click.Choice(sorted(JOBS)))
@workspace_option
@clear_errors
def start(job: str, data: Path) -> None:
    """Enqueue what JOB's cron call would, now (reminders: the owners whose plans are at 08:00–10:00)."""
    made = start_job(wiring().local(data), JOBS[job])
    click.echo(f"{job}: {made} new {'unit' if made == 1 else 'units'} queued")


@tasks.command()
@click.option("--until-empty", is_flag=True, help="Wait for units due later, and run them too.")
@workspace_option
@json_option
@clear_errors
def run(until_empty: bool, data: Path, as_json: bool) -> None:
    """Run the queue's due syncs and units (and, with --until-empty, every unit left)."""
    services = wiring().local(data)
    total = drain(services)
    while until_empty and (due := services.store.next_task_at()) is not None:
        time.sleep(max(0.0, (due - services.now()).total_seconds()))
        more = drain(services)
        total.add(more.syncs, more.runs)
    said = total.as_json()
    if as_json:
        echo_json(said)
        return
    click.echo(_summary(said, services))


def _summary(said: dict[str, object], services: Services) -> str:
    waiting = services.store.next_task_at()
    later = f"; the next unit is due at {waiting:%Y-%m-%d %H:%M} UTC" if waiting else "; the queue is empty"
    return f"ran {said['units']} units and {said['synced']} syncs, {said['retried']} to retry{later}"
