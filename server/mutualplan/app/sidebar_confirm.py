"""The sidebar's side of the buyer's page: sending each customer person their own link (or reissuing
it), the plan link to paste into a chat, and accepting a date the customer proposed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mutualplan.app.confirming import MAX_REASON
from mutualplan.app.editing import set_cell
from mutualplan.app.link_mail import reissue_and_send, send_link
from mutualplan.app.remind import reminding, title_of
from mutualplan.app.services import Services
from mutualplan.app.sidebar import owned, sellers_plan, today_of
from mutualplan.app.sidebar_views import Opening
from mutualplan.app.syncing import sync_now
from mutualplan.errors import InputError
from mutualplan.plan.dates.reading import format_day, implausible_date
from mutualplan.plan.history.answers import Decline
from mutualplan.plan.history.snapshot import Snapshot
from mutualplan.plan.reminders.notices import date_accepted, proposal_declined
from mutualplan.plan.sheet.parse import parse
from mutualplan.plan.sheet.vocabulary import Column


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
    sync_now(services, owner.workbook, owner.editors, record)
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
    return _answer_proposal(services, opening, row_id, None, "")


def counter_proposal(services: Services, opening: Opening, row_id: str, counter: date | None) -> str:
    """Move a row's due date to another date than the customer proposed, and ask the proposer to confirm
    it (or propose again); what happened, in a sentence."""
    if counter is None:
        raise InputError("Pick the date you can offer instead, then Counter")
    return _answer_proposal(services, opening, row_id, counter, "")


def decline_proposal(services: Services, opening: Opening, row_id: str, reason: str, seen: str) -> str:
    """Keep a row's due date and close the customer's proposal (the one the seller saw), telling the
    proposer why; what happened, in a sentence."""
    said = " ".join(reason.split())[:MAX_REASON]
    if not said:
        raise InputError("Say why the date stays: the customer reads your reason")
    return _answer_proposal(services, opening, row_id, None, said, seen)


def _answer_proposal(
    services: Services, opening: Opening, row_id: str, counter: date | None, declined: str, seen: str = ""
) -> str:
    access, record = sellers_plan(services, opening)
    owner = owned(services, opening, access, record)
    sync_now(services, owner.workbook, owner.editors, record)  # the sheet as it is now
    snapshot = _snapshot(services, record.id)
    row = snapshot.row(row_id)
    if row is None or row.proposal is None:
        raise InputError(f"{row_id} has no proposed date to answer (it may have moved meanwhile)")
    proposal, today = row.proposal, today_of(services, opening, access)
    if seen and seen != proposal.due.isoformat():
        raise InputError(f"{row_id}'s proposal changed since you opened it: look at it again")
    user = services.platform.user_email(opening.token)
    title, sender = title_of(snapshot, record), snapshot.name_of(record.owner)
    if declined:
        sync_now(
            services, owner.workbook, owner.editors, record, [Decline(row_id, user, proposal.due, declined)]
        )
        answered = proposal_declined(record.id, title, row, proposal, declined, today)
        done = f"{row_id} keeps its date; {proposal.by.partition(' <')[0]} was told why"
    else:
        due = counter or proposal.due
        problem = implausible_date(due, today)
        if problem:
            what = "date you offered" if counter else "proposed date"
            raise InputError(f"{row_id}'s {what} is not accepted: {problem}")
        plan = parse(access.workbook.read(record.tabs[0])).plan
        cell = next((plan.cell(item, Column.DUE) for item in plan.rows if item.id == row_id), None)
        if cell is None:
            raise InputError(f"{row_id} is no longer in the plan, or it has no Due column")
        set_cell(access.workbook, cell, due.isoformat(), user, record.tabs[0])  # the user's edit
        sync_now(services, owner.workbook, owner.editors, record)
        answered = date_accepted(record.id, title, row, proposal, today, counter)
        done = (
            f"{row_id} is now due {format_day(due)}; {proposal.by.partition(' <')[0]} was asked to confirm it"
        )
    why_not = reminding(services).send(record, answered, sender_name=sender)
    return done if why_not is None else f"{done.partition(';')[0]} (not sent: {why_not})"


def _snapshot(services: Services, plan_id: str) -> Snapshot:
    found = services.store.latest_snapshot(plan_id).snapshot
    if found is None:
        raise InputError("This plan has not been synced yet: open it again in a minute")
    return found
