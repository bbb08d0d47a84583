"""What every command shares: the wiring bootstrap hands in, exit statuses, options, failing in one line."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from datetime import date, datetime
from functools import wraps
from pathlib import Path
from typing import Any, NoReturn, ParamSpec, Protocol, TypeVar

import click

from mutualplan.app.google_check import CheckLine
from mutualplan.app.ports import TemplateLibrary, Workbook
from mutualplan.app.records import PlanFile
from mutualplan.app.services import Services
from mutualplan.cli.render import report_lines
from mutualplan.errors import MutualplanError
from mutualplan.plan.checks.review import Report
from mutualplan.plan.dates.reading import is_locale

EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2
DAY = click.DateTime(formats=["%Y-%m-%d"])
P = ParamSpec("P")
R = TypeVar("R")


class Wiring(Protocol):
    """What the commands need from bootstrap: the embedded default, files, templates and the servers."""

    def local(self, data: Path) -> Services:
        """The embedded default in a folder (MUTUALPLAN_DATABASE_URL may put the store elsewhere)."""
        ...

    def templates(self) -> TemplateLibrary:
        """The shipped templates."""
        ...

    def read_file(self, path: Path, sheet: str | None) -> PlanFile:
        """A plan file's tab (.xlsx or .csv)."""
        ...

    def xlsx(self, path: Path) -> Workbook:
        """An .xlsx file as a workbook to stamp into."""
        ...

    def upgrade_store(self, data: Path) -> tuple[int, int]:
        """Bring the store up to this version's schema: (from, to)."""
        ...

    def new_secret_key(self) -> str:
        """A fresh key for MUTUALPLAN_SECRET_KEY."""
        ...

    def serve(self, port: int) -> None:
        """Run the production app on 127.0.0.1."""
        ...

    def demo(self, data: Path, port: int, say: Callable[[str], None]) -> None:
        """Seed the sample deal (once) and serve the sandbox on 127.0.0.1."""
        ...

    def google_check(self, email: str, granted: str | None, shared: str | None = None) -> Iterator[CheckLine]:
        """The live check of a Google deployment, one line a step."""
        ...


def wiring() -> Wiring:
    """The wiring the console script (or a test) handed to the command group."""
    found: Wiring = click.get_current_context().find_root().obj
    return found


def fail(message: str) -> NoReturn:
    """Say what is wrong on one line and stop with the unusable-input status."""
    click.echo(f"mutualplan: {message}", err=True)
    sys.exit(EXIT_UNUSABLE)


def clear_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn the project's own errors into one line on stderr and exit status 2."""

    @wraps(command)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except MutualplanError as exc:
            fail(str(exc))

    return guarded


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


def workspace_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """--data DIR, from MUTUALPLAN_DATA by default: where local plans live."""
    return click.option(
        "--data",
        "data",
        type=click.Path(path_type=Path, file_okay=False),
        envvar="MUTUALPLAN_DATA",
        default=lambda: click.get_app_dir("mutualplan"),
        show_default="MUTUALPLAN_DATA, else the user's app folder",
        help="The folder of the local workspace.",
    )(command)


def exit_for(report: Report, as_json: bool) -> None:
    """Print a report as text or JSON and exit 1 when it has an error-level finding."""
    if as_json:
        echo_json(report.as_json())
    else:
        for line in report_lines(report):
            click.echo(line)
    sys.exit(EXIT_FINDINGS if report.has_errors else EXIT_CLEAN)
