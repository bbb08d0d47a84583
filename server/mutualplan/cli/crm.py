"""The crm commands: a plan linked to its opportunity or deal, a push (or what one would write), and a
seller's CRM checked for the fields mutualplan writes (HubSpot's created)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from mutualplan.app.confirming import plan_of
from mutualplan.app.crm import crm_of
from mutualplan.app.crm_deals import check as check_fields
from mutualplan.app.crm_deals import link_plan, linked, set_up, unlink_plan
from mutualplan.app.crm_push import PushReport, preview_of, push_links
from mutualplan.cli.common import (
    EXIT_FINDINGS,
    clear_errors,
    echo_json,
    json_option,
    wiring,
    workspace_option,
)
from mutualplan.plan.crm import Crm

CRM_CHOICE = click.Choice([crm.value for crm in Crm])


@click.group()
def crm() -> None:
    """CRM sync: the plan's buyer-verified figures in its Salesforce opportunity or HubSpot deal."""


@crm.command()
@click.argument("plan")
@click.argument("url")
@workspace_option
@json_option
@clear_errors
def link(plan: str, url: str, data: Path, as_json: bool) -> None:
    """Link PLAN to the opportunity or deal at URL (or its id), as its owner; pushed at once when its
    owner is connected."""
    services = wiring().local(data)
    record = plan_of(services, plan)
    _echo_report(link_plan(services, record, record.owner, url), as_json, "linked")


@crm.command()
@click.argument("plan")
@workspace_option
@clear_errors
def unlink(plan: str, data: Path) -> None:
    """Unlink PLAN: nothing more is pushed (what the CRM holds stays)."""
    services = wiring().local(data)
    record = plan_of(services, plan)
    click.echo(unlink_plan(services, record, record.owner))


@crm.command()
@click.argument("plan")
@click.option("--dry-run", is_flag=True, help="Print what a push would write; needs no CRM.")
@workspace_option
@json_option
@clear_errors
def push(plan: str, dry_run: bool, data: Path, as_json: bool) -> None:
    """Push PLAN's fields to its opportunity or deal now (one read, and a write only of what differs)."""
    services = wiring().local(data)
    record = plan_of(services, plan)
    if dry_run:
        preview = preview_of(services, record)
        if as_json:
            echo_json(preview.as_json())
            return
        for crm_name, fields in ((Crm.SALESFORCE, preview.salesforce), (Crm.HUBSPOT, preview.hubspot)):
            click.echo(f"{crm_name.label}:")
            for name, value in fields.items():
                click.echo(f"  {name}: {'' if value is None else value}")
        return
    _echo_report(push_links(services, record.owner, [linked(services, record)]), as_json, "pushed")


@crm.command()
@click.option("--for", "seller", required=True, help="The seller whose CRM connections are checked.")
@click.option("--crm", "crm_name", type=CRM_CHOICE, help="One CRM (default: each the seller connected).")
@workspace_option
@json_option
@clear_errors
def check(seller: str, crm_name: str | None, data: Path, as_json: bool) -> None:
    """Name each field mutualplan writes that the seller's CRM lacks, with its type; exit 1 when one is."""
    services = wiring().local(data)
    chosen = [crm_of(crm_name)] if crm_name else [
        each for each in Crm if services.store.crm_connection(seller, each) is not None
    ]  # fmt: skip
    if not chosen:
        raise click.UsageError(f"{seller} has connected no CRM: connect one from the sidebar's CRM card")
    missing = {each.value: check_fields(services, seller, each) for each in chosen}
    if as_json:
        echo_json(
            {
                name: [{"field": field, "type": kind} for field, kind in found]
                for name, found in missing.items()
            }
        )
    else:
        for name, found in missing.items():
            said = "; ".join(f"{field} ({kind})" for field, kind in found) or "every field is there"
            click.echo(f"{name}: {'missing ' if found else ''}{said}")
    if any(missing.values()):
        sys.exit(EXIT_FINDINGS)


@crm.command()
@click.option("--for", "seller", required=True, help="The seller whose CRM connection creates them.")
@click.option("--crm", "crm_name", type=CRM_CHOICE, default=Crm.HUBSPOT.value, show_default=True)
@workspace_option
@clear_errors
def setup(seller: str, crm_name: str, data: Path) -> None:
    """Create the deal properties mutualplan writes, in a `mutualplan` group (HubSpot's Properties API);
    for Salesforce, name the fields an administrator creates in Setup."""
    made = set_up(wiring().local(data), seller, crm_of(crm_name))
    click.echo(f"created {', '.join(made)}" if made else "every field is there already")


def _echo_report(report: PushReport, as_json: bool, done: str) -> None:
    if as_json:
        echo_json(report.as_json())
        return
    for plan_id, fields in report.written.items():
        click.echo(f"{plan_id}: {done}; wrote {', '.join(fields)}")
    for plan_id in report.unchanged:
        click.echo(f"{plan_id}: {done}; nothing changed, nothing written")
    for plan_id, said in report.waiting:
        click.echo(f"{plan_id}: {done}; not pushed: {said}")
    for plan_id, said in report.failed:
        click.echo(f"{plan_id}: {said}", err=True)
    for plan_id, found in report.findings.items():
        click.echo(f"{plan_id}: {found.code}: {found.message}")
    if report.failed:
        sys.exit(EXIT_FINDINGS)
