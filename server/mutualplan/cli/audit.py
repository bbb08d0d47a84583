"""Commands on the store: the audit log (show, verify) and the schema (db upgrade)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from mutualplan.app import audit as audit_log
from mutualplan.cli.common import (
    EXIT_FINDINGS,
    clear_errors,
    echo_json,
    json_option,
    wiring,
    workspace_option,
)
from mutualplan.plan.history.audit import ChainKey, StoredEvent
from mutualplan.plan.history.write_back import when_text


@click.group()
def audit() -> None:
    """The audit log: who confirmed which dates, and when; what moved."""


@audit.command("show")
@click.argument("plan")
@workspace_option
@json_option
@clear_errors
def audit_show(plan: str, data: Path, as_json: bool) -> None:
    """Print a plan's history, oldest first."""
    store = wiring().local(data).store
    stored = audit_log.history(store, store, plan)
    if as_json:
        echo_json({"events": [_event_json(item) for item in stored]})
        return
    if not stored:
        click.echo(f"{plan}: nothing recorded yet")
    for item in stored:
        event = item.event
        change = f" ({event.old or '—'} → {event.new or '—'})" if event.old or event.new else ""
        who = f" · {event.who}" + (f" [{event.trust.value}]" if event.trust else "") if event.who else ""
        click.echo(
            f"{item.seq:>4}  {when_text(item.at)}  {event.row or 'plan':<5} {event.describe()}{change}{who}"
        )


def _event_json(item: StoredEvent) -> dict[str, object]:
    event = item.event
    return {
        "seq": item.seq, "at": item.at.isoformat(), "kind": event.kind.value, "row": event.row,
        "who": event.who, "trust": event.trust.value if event.trust else None, "old": event.old,
        "new": event.new, "hash": item.hash, "prev": item.prev,
    }  # fmt: skip


@audit.command("verify")
@click.argument("plan", required=False)
@workspace_option
@clear_errors
def audit_verify(plan: str | None, data: Path) -> None:
    """Recompute every plan's hash chain (or one plan's); exit 1 naming the first broken link."""
    services = wiring().local(data)
    store = services.store
    key = ChainKey.of(services.config.secret_key)
    checks = audit_log.verify(store, store, store, key, plan, sheet_marks=services.sheet_mark)
    for check in checks:
        if check.problem is None:
            click.echo(f"{check.plan_id}: {check.events} events, chain whole")
        else:
            click.echo(f"{check.plan_id}: {check.problem}")
    if any(check.problem for check in checks):
        sys.exit(EXIT_FINDINGS)


@click.group()
def db() -> None:
    """The store's schema."""


@db.command("upgrade")
@workspace_option
@clear_errors
def db_upgrade(data: Path) -> None:
    """Create the store's tables, or bring them up to this version's schema."""
    start, end = wiring().upgrade_store(data)
    click.echo(
        f"store at schema version {end}" + (f" (was {start})" if start != end else ", already up to date")
    )
