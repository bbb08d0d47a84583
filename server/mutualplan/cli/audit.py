"""Commands on the store: the audit log (show, verify) and the schema (db upgrade)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from mutualplan.cli.common import EXIT_FINDINGS, echo_json, fail, json_option
from mutualplan.cli.plans import clear_errors, open_local, workspace_option
from mutualplan.config import Config
from mutualplan.plan.audit import StoredEvent, first_broken
from mutualplan.plan.write_back import when_text
from mutualplan.store.base import make_engine
from mutualplan.store.schema import upgrade as upgrade_schema
from mutualplan.store.sql import SqlStore


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
    store = open_local(data).store
    if store.plan(plan) is None:
        fail(f"the store knows no plan '{plan}' (mutualplan plans lists them)")
    stored = store.events(plan)
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
    store = open_local(data).store
    plan_ids = [plan] if plan else [record.id for record in store.plans()]
    if plan and store.plan(plan) is None:
        fail(f"the store knows no plan '{plan}' (mutualplan plans lists them)")
    broken = False
    for plan_id in plan_ids:
        stored = store.events(plan_id)
        found = first_broken(item.link() for item in stored)
        if found is None:
            click.echo(f"{plan_id}: {len(stored)} events, chain whole")
        else:
            broken = True
            click.echo(f"{plan_id}: event {found[0]} is broken: {found[1]}")
    if broken:
        sys.exit(EXIT_FINDINGS)


@click.group()
def db() -> None:
    """The store's schema."""


@db.command("upgrade")
@workspace_option
@clear_errors
def db_upgrade(data: Path) -> None:
    """Create the store's tables, or bring them up to this version's schema."""
    config = Config.from_env(data=data)
    store = SqlStore(make_engine(config.database_url))
    start, end = upgrade_schema(store.engine)
    click.echo(
        f"store at schema version {end}" + (f" (was {start})" if start != end else ", already up to date")
    )
