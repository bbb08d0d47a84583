"""The demo command: the whole add-on in a browser, on this machine, with no Google account."""

from __future__ import annotations

from pathlib import Path

import click

from mutualplan.cli.plans import clear_errors, workspace_option
from mutualplan.config import Config


@click.command()
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True, help="The port.")
@workspace_option
@clear_errors
def demo(port: int, data: Path) -> None:
    """Seed a sample deal (once) and serve the sandbox on 127.0.0.1: a spreadsheet beside the sidebar."""
    # Loaded here: Flask and the sandbox would slow every other command.
    from werkzeug.serving import run_simple

    from mutualplan.app.records import AccountRecord, AccountStatus
    from mutualplan.bootstrap.demo import SELLER, seed
    from mutualplan.bootstrap.local import Local
    from mutualplan.bootstrap.sandbox import SandboxClock
    from mutualplan.web.sandbox_routes import create_sandbox_app

    config = Config.from_env(data=data)
    clock = SandboxClock()
    url = f"http://127.0.0.1:{port}"
    local = Local.open(config, clock.now)
    local.base_url = url
    if not local.workspace.spreadsheets():
        seed(local, clock.now().date())
        local.store.save_account(AccountRecord(SELLER, None, AccountStatus.CONNECTED, clock.now()))
        click.echo(f"A sample deal is ready in {data}.")
    click.echo(f"mutualplan sandbox: {url}  (Ctrl-C stops it)")
    run_simple("127.0.0.1", port, create_sandbox_app(local, clock, config), threaded=True)
