"""Commands on templates and plans: templates, new, plans, sheet show/set/copy, validate, confirm-link."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from mutualplan.app.confirming import plan_of
from mutualplan.app.link_mail import reissue_and_send, send_link, show_link
from mutualplan.app.links import CONFIRM_DAYS
from mutualplan.app.local import (
    copy_local_plan,
    edit_cell,
    local_plans,
    new_local_plan,
    show_tab,
    validate_local,
)
from mutualplan.app.stamping import new_plan_id, stamp
from mutualplan.app.sync import SyncResult
from mutualplan.cli.common import (
    DAY,
    clear_errors,
    day_of,
    echo_json,
    exit_for,
    fail,
    json_option,
    locale_option,
    wiring,
    workspace_option,
)
from mutualplan.plan.dates.stamp import Deal
from mutualplan.plan.sheet.cells import cell_text, email_domain


def echo_recorded(result: SyncResult | None) -> None:
    """Say what a sync recorded, a line an event."""
    for stored in result.events if result else ():
        row = f"{stored.event.row}: " if stored.event.row else ""
        click.echo(f"  recorded {stored.event.kind.value} — {row}{stored.event.describe()}")


@click.command()
@json_option
def templates(as_json: bool) -> None:
    """List the plan templates."""
    listed = [
        {"name": item.name, "title": item.title, "description": item.description, "rows": len(item.rows)}
        for item in wiring().templates().all()
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
@click.option(
    "--done-before-today",
    is_flag=True,
    help="A deal under way: the steps the template puts before today are Done (else they are squeezed "
    "between today and the go-live).",
)
@click.option(
    "--deadline", type=DAY, help="The external deadline behind the go-live (a regulator's date), YYYY-MM-DD."
)
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
    done_before_today: bool,
    deadline: datetime | None,
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
    wired = wiring()
    template = wired.templates().named(template_name)
    domain = email_domain(customer_domain)
    if local and not owner:
        fail("give --owner YOU@COMPANY: a plan's owner sends its reminders, and alone edits its Log")
    details = Deal(
        go_live.date(), deal, customer, domain, owner, outcome, done_before_today,
        deadline.date() if deadline else None,
    )  # fmt: skip
    if out is None:
        title = " — ".join(part for part in (customer, deal) if part) or template.title
        record = new_local_plan(wired.local(data), template_name, details, day_of(today), title)
        plan_id, tab = record.id, record.tabs.map
    else:
        marker = stamp(wired.xlsx(out), template, details, day_of(today), new_plan_id())
        plan_id, tab = marker.plan_id, marker.tab
    if as_json:
        echo_json({"plan": plan_id, "tab": tab, **({"file": str(out)} if out else {})})
    elif out is None:
        click.echo(plan_id)
    else:
        click.echo(f"{out}: {template.title} plan stamped into tab {tab} ({len(template.rows)} steps)")


@click.command()
@workspace_option
@json_option
@clear_errors
def plans(data: Path, as_json: bool) -> None:
    """List the plans in the local workspace."""
    listed = [
        {"plan": item.plan_id, "spreadsheet": item.id, "title": item.title}
        for item in local_plans(wiring().local(data))
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
    workbook, shown = show_tab(wiring().local(data), plan, tab)
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
    done = edit_cell(wiring().local(data), plan, cell, value, editor, tab)
    click.echo(f"{cell.upper()} = {done.value.value if done.value.value is not None else '(blank)'}")
    echo_recorded(done.synced)
    if done.queued:
        click.echo("  saved; other edits were syncing: the next sync of the plan records this one")


@sheet.command("copy")
@click.argument("plan")
@click.option("--owner", help="The copy's plan owner (default: the original's).")
@click.option("--title", help="The copy's title (default: 'Copy of' the original's).")
@workspace_option
@json_option
@clear_errors
def sheet_copy(plan: str, owner: str | None, title: str | None, data: Path, as_json: bool) -> None:
    """Copy a local plan's spreadsheet, as Drive's Make a copy does, and adopt the copy as a new plan."""
    adopted = copy_local_plan(wiring().local(data), plan, owner, title)
    if as_json:
        echo_json({"plan": adopted.id, "copy_of": plan, "owner": adopted.owner})
    else:
        click.echo(adopted.id)


@click.command()
@click.argument("plan")
@click.option("--today", type=DAY, help="Check as of this day (default: today).")
@locale_option
@workspace_option
@json_option
@clear_errors
def validate(plan: str, today: datetime | None, locale: str | None, data: Path, as_json: bool) -> None:
    """Validate a local plan, as the sidebar's Validate does, and mark its sheet."""
    exit_for(validate_local(wiring().local(data), plan, day_of(today), locale), as_json)


@click.command("confirm-link")
@click.argument("plan")
@click.option("--for", "email", required=True, help="The customer person's email.")
@click.option("--reissue", is_flag=True, help="Revoke the links they hold first (a lost or forwarded one).")
@workspace_option
@json_option
@clear_errors
def confirm_link(plan: str, email: str, reissue: bool, data: Path, as_json: bool) -> None:
    """Mail a customer person their own confirmation link to PLAN (it goes to their inbox alone: nobody
    else sees it), and say where it went and until when it works."""
    services = wiring().local(data)
    sent = (reissue_and_send if reissue else send_link)(services, plan, email)
    if as_json:
        echo_json({"sent_to": sent.email, "expires": sent.expires.isoformat(), "not_sent": sent.why_not})
    else:
        click.echo(sent.said)
    if sent.why_not is not None:
        raise SystemExit(1)


@click.command("plan-link")
@click.argument("plan")
@workspace_option
def plan_link(plan: str, data: Path) -> None:
    """Print PLAN's link with no identity in it, to paste into a chat: whoever opens it types their
    address, and a customer person's own link is mailed to them."""
    click.echo(wiring().local(data).links.plan_invite(plan_of(wiring().local(data), plan).id))


@click.command("operator-show-link")
@click.argument("plan")
@click.option("--for", "email", required=True, help="The customer person's email.")
@click.option("--operator", required=True, help="Your own email, as the operator: the audit log names you.")
@click.option(
    "--days", type=click.IntRange(1, 90), default=CONFIRM_DAYS, show_default=True, help="How long it works."
)
@workspace_option
@json_option
@clear_errors
def operator_show_link(plan: str, email: str, operator: str, days: int, data: Path, as_json: bool) -> None:
    """For an operator, never the plan's seller: print a person's link. The audit log records that it was
    shown, and a confirmation through it counts only as a claim until they verify."""
    url, expires = show_link(wiring().local(data), plan, email, operator, days)
    if as_json:
        echo_json({"url": url, "expires": expires.isoformat(), "shown_to": operator})
    else:
        click.echo(url)
        click.echo(
            f"shown to operator {operator}: a confirmation through it counts only as a claim", err=True
        )
