"""The `mutualplan` command: one module per command group; bootstrap hands in the wiring."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from mutualplan import __version__
from mutualplan.app.lookalikes import screen
from mutualplan.cli.audit import audit, db
from mutualplan.cli.common import (
    DAY,
    EXIT_UNUSABLE,
    Wiring,
    clear_errors,
    day_of,
    exit_for,
    json_option,
    locale_option,
    wiring,
)
from mutualplan.cli.crm import crm
from mutualplan.cli.pipeline import pipeline, score
from mutualplan.cli.plans import (
    confirm_link,
    new,
    operator_show_link,
    plan_link,
    plans,
    sheet,
    templates,
    validate,
)
from mutualplan.cli.remind import remind
from mutualplan.cli.server import demo, google_check, secret_key, serve
from mutualplan.cli.tasks import tasks
from mutualplan.plan.checks.review import review


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mutualplan")
def main() -> None:
    """Mutual Action Plans that both sides keep: check, stamp and follow them."""


@main.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=True))
@click.option("--sheet", help="The tab to read (default: MAP, else the first tab).")
@click.option("--today", type=DAY, help="Check as of this day (default: today).")
@locale_option
@json_option
@clear_errors
def check(file: Path, sheet: str | None, today: datetime | None, locale: str | None, as_json: bool) -> None:
    """Check a MAP in FILE (.xlsx or .csv): every row, the plan, its health (an .xlsx file's
    Stakeholders and Risks tabs are read too).

    Exits 0 with no error-level finding, 1 with one, 2 when FILE can't be used.
    """
    found = wiring().read_file(file, sheet)
    report = review(
        found.plan, day_of(today), locale, stakeholders=found.stakeholders, risks=found.risks, screen=screen
    )
    exit_for(report, as_json)


for command in (
    templates,
    new,
    plans,
    sheet,
    validate,
    confirm_link,
    plan_link,
    operator_show_link,
    audit,
    db,
    remind,
    pipeline,
    score,
    crm,
    tasks,
    demo,
    serve,
    secret_key,
    google_check,
):
    main.add_command(command)


def run(wired: Wiring) -> None:
    """The console script over its wiring: a bug shows as one line, never a traceback."""
    try:
        main(obj=wired)
    except Exception as exc:  # the last guard between a bug and the user's terminal
        click.echo(
            f"mutualplan: unexpected error ({type(exc).__name__}: {exc}) — please report it",
            err=True,
        )
        sys.exit(EXIT_UNUSABLE)
