"""What every command shares: exit statuses, the day option, failing in one line, printing JSON."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from typing import NoReturn

import click

from mutualplan.cli.render import report_lines
from mutualplan.plan.dates import is_locale
from mutualplan.plan.review import Report

EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2
DAY = click.DateTime(formats=["%Y-%m-%d"])


def fail(message: str) -> NoReturn:
    """Say what is wrong on one line and stop with the unusable-input status."""
    click.echo(f"mutualplan: {message}", err=True)
    sys.exit(EXIT_UNUSABLE)


def day_of(value: datetime | None) -> date:
    """The day an option gave, else today."""
    return value.date() if value else date.today()


def echo_json(data: object) -> None:
    """Print one JSON document."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _locale(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not is_locale(value):
        raise click.BadParameter(f"'{value}' is not a locale like en_US or en_GB")
    return value


locale_option = click.option("--locale", callback=_locale, help="How the sheet writes dates: en_US, en_GB …")
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


def exit_for(report: Report, as_json: bool) -> None:
    """Print a report as text or JSON and exit 1 when it has an error-level finding."""
    if as_json:
        echo_json(report.as_json())
    else:
        for line in report_lines(report):
            click.echo(line)
    sys.exit(EXIT_FINDINGS if report.has_errors else EXIT_CLEAN)
