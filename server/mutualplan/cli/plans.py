"""Commands on templates and plans: templates, new, plans, sheet show/set, validate."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import click

from mutualplan.adapters.templates import TemplateFolder
from mutualplan.adapters.xlsx_workbook import XlsxWorkbook
from mutualplan.app.stamping import adopt_copy, new_plan_id, plan_tab, set_cell, stamp
from mutualplan.app.stamping import validate as validate_plan
from mutualplan.app.sync import SyncResult, history_of
from mutualplan.bootstrap.local import Local
from mutualplan.cli.common import DAY, day_of, echo_json, exit_for, fail, json_option, locale_option
from mutualplan.config import Config
from mutualplan.errors import MutualplanError
from mutualplan.plan.cells import cell_text
from mutualplan.plan.stamp import Deal

P = ParamSpec("P")
R = TypeVar("R")


def clear_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn the project's own errors into one line on stderr and exit status 2."""

    @wraps(command)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except MutualplanError as exc:
            fail(str(exc))

    return guarded


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


def open_local(data: Path) -> Local:
    """The local workspace and store of a folder (MUTUALPLAN_DATABASE_URL may put the store elsewhere)."""
    return Local.open(Config.from_env(data=data))


def echo_recorded(result: SyncResult) -> None:
    """Say what a sync recorded, a line an event."""
    for stored in result.events:
        row = f"{stored.event.row}: " if stored.event.row else ""
        click.echo(f"  recorded {stored.event.kind.value} — {row}{stored.event.describe()}")


@click.command()
@json_option
def templates(as_json: bool) -> None:
    """List the plan templates."""
    listed = [
        {"name": item.name, "title": item.title, "description": item.description, "rows": len(item.rows)}
        for item in TemplateFolder().all()
    ]
    if as_json:
        echo_json(listed)
        return
    for item in listed:
        click.echo(f"{item['name']:<18} {item['title']} ({item['rows']} steps)")
        click.echo(f"{'':<18} {item['description']}")


@click.command()
@click.argument("out", type=click.Path(path_type=Path, dir_okay=False), required=False)
@click.option("--template", "template_name", required=True, help="A template name (mutualplan templates).")
@click.option("--go-live", type=DAY, required=True, help="The customer's go-live, YYYY-MM-DD.")
@click.option("--customer", default="", help="The customer's name.")
@click.option("--customer-domain", default="", help="The customer's email domain, e.g. acme.com.")
@click.option("--deal", default="", help="The deal's name.")
@click.option("--owner", default="", help="The plan owner's (the seller's) email.")
@click.option("--outcome", default="", help="The business outcome, in the customer's words.")
@click.option("--local", is_flag=True, help="Stamp into the embedded local workbook instead of a file.")
@click.option("--today", type=DAY, help="Plan as of this day (default: today).")
@workspace_option
@json_option
@clear_errors
def new(
    out: Path | None,
    template_name: str,
    go_live: datetime,
    customer: str,
    customer_domain: str,
    deal: str,
    owner: str,
    outcome: str,
    local: bool,
    today: datetime | None,
    data: Path,
    as_json: bool,
) -> None:
    """Stamp a new plan from a template, dated backward from the go-live, into OUT.xlsx or --local."""
    if (out is None) == (not local):
        fail("give either OUT.xlsx or --local, not both or neither")
    if out is not None and out.suffix.lower() != ".xlsx":
        fail(f"{out.name}: the plan file must end in .xlsx")
    template = TemplateFolder().named(template_name)
    details = Deal(go_live.date(), deal, customer, customer_domain.strip().lstrip("@"), owner, outcome)
    title = " — ".join(part for part in (customer, deal) if part) or template.title
    if local:
        embedded = open_local(data)
        created = embedded.workspace.create(title)
        marker = stamp(created, template, details, day_of(today), new_plan_id())
        embedded.sync(created)  # registers the plan; its first snapshot is the base of every later sync
    else:
        marker = stamp(XlsxWorkbook(out or Path()), template, details, day_of(today), new_plan_id())
    if as_json:
        echo_json({"plan": marker.plan_id, "tab": marker.tab, **({"file": str(out)} if out else {})})
    elif local:
        click.echo(marker.plan_id)
    else:
        click.echo(f"{out}: {template.title} plan stamped into tab {marker.tab} ({len(template.rows)} steps)")


@click.command()
@workspace_option
@json_option
@clear_errors
def plans(data: Path, as_json: bool) -> None:
    """List the plans in the local workspace."""
    listed = [
        {"plan": item.plan_id, "spreadsheet": item.id, "title": item.title}
        for item in open_local(data).workspace.spreadsheets()
        if item.plan_id
    ]
    if as_json:
        echo_json(listed)
        return
    if not listed:
        click.echo("No local plans yet: mutualplan new --template NAME --go-live DATE --local")
    for item in listed:
        click.echo(f"{item['plan']}  {item['title']}")


@click.group()
def sheet() -> None:
    """Look at and edit a local plan's sheet, as a person would."""


@sheet.command("show")
@click.argument("plan")
@click.option("--tab", help="The tab to show (default: the plan's MAP tab).")
@workspace_option
@json_option
@clear_errors
def sheet_show(plan: str, tab: str | None, data: Path, as_json: bool) -> None:
    """Print a tab of a local plan, row 1 first."""
    workbook = open_local(data).workspace.open(plan)
    shown = tab or plan_tab(workbook)
    rows = [[cell_text(cell) for cell in row] for row in workbook.read(shown).rows]
    if as_json:
        echo_json({"tabs": workbook.tabs(), "tab": shown, "rows": rows})
        return
    for number, row in enumerate(rows, 1):
        click.echo(f"{number:>4}  " + " | ".join(row).rstrip(" |"))


@sheet.command("set")
@click.argument("plan")
@click.argument("cell")
@click.argument("value")
@click.option("--as", "editor", required=True, help="The email of the person making the edit.")
@click.option("--tab", help="The tab to edit (default: the plan's MAP tab).")
@workspace_option
@clear_errors
def sheet_set(plan: str, cell: str, value: str, editor: str, tab: str | None, data: Path) -> None:
    """Type VALUE into CELL (such as G12) as a person; it is typed by its column, and the plan synced."""
    embedded = open_local(data)
    workbook = embedded.workspace.open(plan)
    written = set_cell(workbook, cell.upper(), value, editor, tab)
    click.echo(f"{cell.upper()} = {written.value if written.value is not None else '(blank)'}")
    echo_recorded(embedded.sync(workbook))


@sheet.command("copy")
@click.argument("plan")
@click.option("--owner", help="The copy's plan owner (default: the original's).")
@click.option("--title", help="The copy's title (default: 'Copy of' the original's).")
@workspace_option
@json_option
@clear_errors
def sheet_copy(plan: str, owner: str | None, title: str | None, data: Path, as_json: bool) -> None:
    """Copy a local plan's spreadsheet, as Drive's Make a copy does, and adopt the copy as a new plan."""
    embedded = open_local(data)
    workspace = embedded.workspace
    original = workspace.open(plan)
    if original.marker() is None:
        fail(f"'{plan}' holds no stamped plan to copy")
    name = title or f"Copy of {workspace.title(original.spreadsheet_id)}"
    copy = workspace.copy(original.spreadsheet_id, name)
    adopted = adopt_copy(copy, new_plan_id(), owner)
    assert adopted is not None  # the copy carries the original's marker
    embedded.sync(copy)
    if as_json:
        echo_json({"plan": adopted.plan_id, "copy_of": plan, "owner": adopted.owner})
    else:
        click.echo(adopted.plan_id)


@click.command()
@click.argument("plan")
@click.option("--today", type=DAY, help="Check as of this day (default: today).")
@locale_option
@workspace_option
@json_option
@clear_errors
def validate(plan: str, today: datetime | None, locale: str | None, data: Path, as_json: bool) -> None:
    """Validate a local plan, as the sidebar's Validate does, and mark its sheet."""
    embedded = open_local(data)
    workbook = embedded.workspace.open(plan)
    history = history_of(embedded.store, embedded.record_of(workbook).id)
    exit_for(validate_plan(workbook, day_of(today), locale, history), as_json)
