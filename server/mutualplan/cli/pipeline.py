"""The pipeline commands: every visible deal's weekly score, and one deal's series."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from mutualplan.app.pipeline import Pipeline, Place, deal_series, operator_pipeline, pipeline_of
from mutualplan.cli.common import DAY, clear_errors, echo_json, json_option, wiring, workspace_option
from mutualplan.plan.pipeline import trend_of


@click.command()
@click.option("--for", "viewer", help="The deals this person may see (default: every plan, as the operator).")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV: the export for a team with another CRM.")
@click.option("--today", type=DAY, help="As of this day (default: today).")
@workspace_option
@json_option
@clear_errors
def pipeline(viewer: str | None, as_csv: bool, today: datetime | None, data: Path, as_json: bool) -> None:
    """Every deal's status, signature supported, confirmation rate and trend, what needs attention first."""
    if as_csv and as_json:
        raise click.UsageError("choose one of --json and --csv")
    services = wiring().local(data)
    now = _as_of(services.now(), today)
    found = (
        pipeline_of(services.store, services.config, viewer, now, Place.CLI)
        if viewer
        else operator_pipeline(services.store, now)
    )
    if as_json:
        echo_json(found.as_json())
    elif as_csv:
        click.echo(found.as_csv(), nl=False)
    else:
        _echo_pipeline(found)


def _as_of(now: datetime, today: datetime | None) -> datetime:
    """Now, or the given day at the same time of day (in UTC)."""
    return now if today is None else datetime.combine(today.date(), now.timetz())


def _echo_pipeline(found: Pipeline) -> None:
    if not found.deals:
        click.echo("No deals to show: no plan this person may see has been synced yet.")
        return
    for deal in found.deals:
        figures = deal.score.figures
        signature = "signature supported" if deal.supported else "signature NOT supported"
        milestone = (
            f"next: {figures.next_milestone} {figures.next_milestone_due or ''}".rstrip()
            if figures.next_milestone
            else "no milestone ahead"
        )
        click.echo(
            f"{deal.score.status.value:<9} {deal.record.title}: {signature}; "
            f"{figures.confirmation_percent} confirmed {deal.trend.arrow}; {milestone}; "
            f"{figures.slips_this_week} slipped this week"
        )
        for reason in deal.score.reasons:
            click.echo(f"          · {reason}")


@click.command()
@click.argument("plan")
@click.option(
    "--weeks", type=click.IntRange(1, 520), default=12, show_default=True, help="How many weeks back."
)
@click.option("--today", type=DAY, help="The last week shown is this day's (default: today).")
@workspace_option
@json_option
@clear_errors
def score(plan: str, weeks: int, today: datetime | None, data: Path, as_json: bool) -> None:
    """One deal's weekly scores, week by week: the trend."""
    services = wiring().local(data)
    series = deal_series(services.store, plan, weeks, _as_of(services.now(), today).date())
    if as_json:
        echo_json(
            {"plan": plan, "weeks": [item.as_json() for item in series], "trend": trend_of(series).arrow}
        )
        return
    if not series:
        click.echo(f"No weekly score kept for {plan} yet: the weekly reminder run keeps one.")
        return
    for item in series:
        figures = item.figures
        supported = "yes" if figures.signature_supported else "no"
        click.echo(
            f"{item.week.isoformat()}  {item.status.value:<9} confirmed {figures.confirmation_percent:>4}"
            f"  signature supported: {supported:<3}  slips this week: {figures.slips_this_week}"
        )
