"""The `mutualplan` command."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path

import click

from mutualplan import __version__
from mutualplan.adapters.files import read_grid
from mutualplan.errors import MutualplanError
from mutualplan.plan.dates import is_locale
from mutualplan.plan.review import review
from mutualplan.render import report_lines

EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2
TODAY = click.DateTime(formats=["%Y-%m-%d"])


def _locale(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not is_locale(value):
        raise click.BadParameter(f"'{value}' is not a locale like en_US or en_GB")
    return value


def fail(message: str) -> None:
    """Say what is wrong on one line and stop with the unusable-input status."""
    click.echo(f"mutualplan: {message}", err=True)
    sys.exit(EXIT_UNUSABLE)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mutualplan")
def main() -> None:
    """Mutual Action Plans that both sides keep: check, stamp and follow them."""


@main.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=True))
@click.option("--sheet", help="The tab to read (default: MAP, else the first tab).")
@click.option("--today", type=TODAY, help="Check as of this day (default: today).")
@click.option("--locale", callback=_locale, help="How the sheet writes dates: en_US, en_GB …")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def check(file: Path, sheet: str | None, today: datetime | None, locale: str | None, as_json: bool) -> None:
    """Check a MAP in FILE (.xlsx or .csv): every row, the plan, its health.

    Exits 0 with no error-level finding, 1 with one, 2 when FILE can't be used.
    """
    try:
        grid = read_grid(file, sheet)
        report = review(grid, today.date() if today else date.today(), locale)
    except MutualplanError as exc:
        fail(str(exc))
        return
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        for line in report_lines(report):
            click.echo(line)
    sys.exit(EXIT_FINDINGS if report.has_errors else EXIT_CLEAN)


def run() -> None:
    """The console script: a bug shows as one line, never a traceback."""
    try:
        main()
    except Exception as exc:  # the last guard between a bug and the user's terminal
        click.echo(
            f"mutualplan: unexpected error ({type(exc).__name__}: {exc}) — please report it",
            err=True,
        )
        sys.exit(EXIT_UNUSABLE)
