"""Commands that serve: demo (the sandbox), serve (the production app), and secret-key."""

from __future__ import annotations

from pathlib import Path

import click

from mutualplan.cli.common import clear_errors, wiring, workspace_option


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
