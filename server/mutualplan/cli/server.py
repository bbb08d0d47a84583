"""Commands for running the add-on's server: serve, secret-key."""

from __future__ import annotations

import click

from mutualplan.adapters.sealing import new_secret_key
from mutualplan.cli.plans import clear_errors


@click.command()
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True, help="The port.")
@clear_errors
def serve(port: int) -> None:
    """Run the production app (the add-on's endpoints) on 127.0.0.1, from MUTUALPLAN_* settings."""
    # Loaded here, not at the top: Flask and Google's clients would slow every other command by 0.4 s.
    from mutualplan.bootstrap.google import production_app

    production_app().run(host="127.0.0.1", port=port)


@click.command("secret-key")
def secret_key() -> None:
    """Print a new key for MUTUALPLAN_SECRET_KEY."""
    click.echo(new_secret_key())
