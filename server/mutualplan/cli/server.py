"""Commands that serve: demo (the sandbox), serve (the production app), secret-key, and google-check
(the live check of a deployment)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from mutualplan.app.google_check import Outcome
from mutualplan.cli.common import EXIT_CLEAN, EXIT_FINDINGS, clear_errors, wiring, workspace_option

MARKS = {Outcome.PASS: "PASS", Outcome.FAIL: "FAIL", Outcome.WARN: "WARN", Outcome.SKIP: "skip"}


@click.command()
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True, help="The port.")
@workspace_option
@clear_errors
def demo(port: int, data: Path) -> None:
    """Seed a sample deal (once) and serve the sandbox on 127.0.0.1: a spreadsheet beside the sidebar."""
    wiring().demo(data, port, click.echo)


@click.command()
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True, help="The port.")
@clear_errors
def serve(port: int) -> None:
    """Run the production app (the add-on's endpoints) on 127.0.0.1, from MUTUALPLAN_* settings."""
    wiring().serve(port)


@click.command("secret-key")
def secret_key() -> None:
    """Print a new key for MUTUALPLAN_SECRET_KEY."""
    click.echo(wiring().new_secret_key())


@click.command("google-check")
@click.option("--email", required=True, help="Your Google account: you Connected it in the sidebar.")
@click.option("--spreadsheet", "granted", help="The id of a spreadsheet you opened with the add-on.")
@click.option(
    "--shared-drive-spreadsheet", "shared", help="The id of one in a shared drive, opened with the add-on."
)
@clear_errors
def google_check(email: str, granted: str | None, shared: str | None) -> None:
    """Try your Google deployment for real, as your offline grant: one PASS, FAIL or skip line a step.

    It makes two scratch spreadsheets in your Drive and sends you one email. Run it once after deploying,
    with the deployment's MUTUALPLAN_* settings (the guide: Deploying to Google); exit status 1 when a step
    fails."""
    failed = False
    for line in wiring().google_check(email, granted, shared):
        failed = failed or line.outcome is Outcome.FAIL
        click.echo(f"{MARKS[line.outcome]}  {line.step}: {line.answer}")
    sys.exit(EXIT_FINDINGS if failed else EXIT_CLEAN)
