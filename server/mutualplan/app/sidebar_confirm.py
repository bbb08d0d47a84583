"""The sidebar's side of the buyer's page: sending each customer person their own link (or reissuing
it), the plan link to paste into a chat, and accepting a date the customer proposed."""

from __future__ import annotations

from dataclasses import dataclass

from mutualplan.app.editing import set_cell
from mutualplan.app.link_mail import reissue_and_send, send_link
from mutualplan.app.remind import reminding, title_of
from mutualplan.app.services import Services
from mutualplan.app.sidebar import owned, sellers_plan, today_of
from mutualplan.app.sidebar_views import Opening
from mutualplan.app.sync import sync
from mutualplan.errors import InputError
from mutualplan.plan.dates import implausible_date
from mutualplan.plan.parse import parse
from mutualplan.plan.reminders import date_accepted
from mutualplan.plan.snapshot import Snapshot
from mutualplan.plan.vocabulary import Column


@dataclass(frozen=True, slots=True)
class Person:
    """A customer person who may be sent their own confirmation link."""

    name: str
    email: str


@dataclass(frozen=True, slots=True)
class LinksView:
    """Whom the seller can send a link to, and the plan's link with no identity in it (for a chat)."""

    people: tuple[Person, ...]
    plan_link: str


def people_links(services: Services, opening: Opening) -> LinksView:
    """Each customer person the plan names (as the sheet is now) who may be sent their own link — never
    the link itself: only its person ever sees it — and the plan link to paste into a chat."""
    access, record = sellers_plan(services, opening)
    owner = owned(services, opening, access, record)
    sync(services.store, owner.workbook, record, owner.editors, services.now)
    people = _snapshot(services, record.id).confirming_people()
    ordered = sorted(people.items(), key=lambda item: (item[1] or item[0]).casefold())
    return LinksView(
        tuple(Person(name or email, email) for email, name in ordered), services.links.plan_invite(record.id)
    )


def send(services: Services, opening: Opening, email: str) -> str:
    """Mail one person their own link now (at most once an hour); what happened, in a sentence."""
    _, record = sellers_plan(services, opening)
    return send_link(services, record.id, email).said


def reissue(services: Services, opening: Opening, email: str) -> str:
    """Revoke a person's links (a lost or forwarded one), then mail them a fresh one."""
    _, record = sellers_plan(services, opening)
    return reissue_and_send(services, record.id, email).said


def accept_proposal(services: Services, opening: Opening, row_id: str) -> str:
    """Move a row's due date to the one the customer proposed (the slip is logged, any confirmation of the
    old date voided), then ask the proposer to confirm the new date; what happened, in a sentence."""
    access, record = sellers_plan(services, opening)
    owner = owned(services, opening, access, record)
    sync(services.store, owner.workbook, record, owner.editors, services.now)  # the sheet as it is now
    snapshot = _snapshot(services, record.id)
    row = snapshot.row(row_id)
    if row is None or row.proposal is None:
        raise InputError(f"{row_id} has no proposed date to accept (it may have moved meanwhile)")
    proposal = row.proposal
    problem = implausible_date(proposal.due, today_of(services, opening, access))
    if problem:
        raise InputError(f"{row_id}'s proposed date is not accepted: {problem}")
    plan = parse(access.workbook.read(record.tabs[0])).plan
    cell = next((plan.cell(item, Column.DUE) for item in plan.rows if item.id == row_id), None)
    if cell is None:
        raise InputError(f"{row_id} is no longer in the plan, or it has no Due column")
    user = services.platform.user_email(opening.token)
    set_cell(access.workbook, cell, proposal.due.isoformat(), user, record.tabs[0])  # the user's edit
    sync(services.store, owner.workbook, record, owner.editors, services.now)
    asked = date_accepted(
        record.id, title_of(snapshot, record), row, proposal, today_of(services, opening, access)
    )
    why_not = reminding(services).send(record, asked, sender_name=snapshot.name_of(record.owner))
    moved = f"{row_id} is now due {proposal.due.isoformat()}"
    return (
        f"{moved}; {proposal.by} was asked to confirm it"
        if why_not is None
        else f"{moved} (not sent: {why_not})"
    )


def _snapshot(services: Services, plan_id: str) -> Snapshot:
    found = services.store.latest_snapshot(plan_id).snapshot
    if found is None:
        raise InputError("This plan has not been synced yet: open it again in a minute")
    return found
