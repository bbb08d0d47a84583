"""The buyer's own page: a customer person, proven by their personal link, confirms dates or proposes
others. A GET shows the plan as the store last saw it and changes nothing; an answer is a sync of the
sheet as the plan's owner, carrying the answer, so that it is checked against the sheet as it is now,
written into the sheet and stored in one transaction — once, however often the form is posted."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from mutualplan.app.days import local_day
from mutualplan.app.links import CONFIRM_DAYS, ConfirmTicket
from mutualplan.app.records import PlanRecord
from mutualplan.app.services import Services
from mutualplan.app.syncing import sync_now
from mutualplan.errors import InputError, LinkExpiredError, LinkRefusedError, NotFoundError
from mutualplan.plan.dates.reading import implausible_date
from mutualplan.plan.history.answers import Answer, Outcome
from mutualplan.plan.history.snapshot import RowState, Snapshot
from mutualplan.plan.people.confirmers import address_key
from mutualplan.plan.sheet.vocabulary import HeadField, Status

SOON_DAYS = 30
MAX_REASON = 500


@dataclass(frozen=True, slots=True)
class PageRow:
    """A row as the buyer's page shows it."""

    state: RowState
    soon: bool  # due in the next 30 days: shown first
    can_answer: bool  # open, dated: the person may confirm it or propose another date
    confirmed_by_them: bool
    theirs: bool = False  # the person owns the step: their own steps come first
    proposed_by_them: bool = False  # their proposal is open: the page offers no confirm of the old dates


@dataclass(frozen=True, slots=True)
class ConfirmPage:
    """The plan as the buyer needs it, and what their forms must send back."""

    person: str
    email: str
    title: str
    head: dict[str, str]
    rows: tuple[PageRow, ...]
    form_token: str
    expires: datetime
    today: date
    verifiers: tuple[tuple[str, str], ...] = ()  # (name, domain) of each person who verified dates


@dataclass(frozen=True, slots=True)
class Reply:
    """One answer as the form sent it: the row, the dates the page showed, and what to do."""

    row_id: str
    start: date | None
    due: date | None
    proposed: date | None = None
    reason: str = ""


def confirmation_link(
    services: Services, plan_id: str, email: str, days: int = CONFIRM_DAYS, shown_to: str = ""
) -> tuple[str, datetime]:
    """A customer person's own link to the plan's confirmation page, and when it expires. It is only
    ever mailed to its person (link_mail, reminders) or, marked as shown, to an operator (show_link):
    a link anyone else has seen proves nothing."""
    record = plan_of(services, plan_id)
    snapshot = snapshot_of(services, record)
    if not snapshot.may_confirm(email):
        raise LinkRefusedError(f"No confirmation link: {snapshot.confirmers.why_not(email)}")
    if not 1 <= days <= 90:
        raise InputError("a confirmation link lasts from 1 to 90 days")
    expires = services.now() + timedelta(days=days)
    generation = services.store.link_generation(plan_id, email)
    ticket = ConfirmTicket(plan_id, address_key(email), generation, expires, shown_to)
    return services.links.confirm(ticket), expires


def reissue_links(services: Services, plan_id: str, email: str) -> int:
    """Revoke every link a person holds for the plan (the next one they get works); the new generation."""
    return services.store.revoke_links(plan_of(services, plan_id).id, email)


def confirmation_page(services: Services, token: str) -> ConfirmPage:
    """The page a link opens: the plan as last synced, the next 30 days first. Changes nothing."""
    ticket, record = _admitted(services, token)
    snapshot = snapshot_of(services, record)
    today = local_day(services.now(), record.time_zone)
    soon_until = today + timedelta(days=SOON_DAYS)
    rows = [
        PageRow(
            row,
            bool(row.due and today <= row.due <= soon_until and row.status != Status.DONE.value),
            can_answer(row),
            bool(row.verified and row.confirmation and row.confirmation.email.casefold() == ticket.email),
            any(address_key(owner.email or "") == ticket.email for owner in row.owners),
            bool(row.proposal and address_key(row.proposal.email) == ticket.email),
        )
        for row in snapshot.rows
    ]
    rows.sort(
        key=lambda item: (not item.theirs, not item.soon, item.state.due or date.max, item.state.sheet_row)
    )
    head = dict(snapshot.head)
    title = " — ".join(
        part for part in (head.get(HeadField.CUSTOMER.value), head.get(HeadField.DEAL.value)) if part
    )
    person = snapshot.customer_people().get(ticket.email) or ticket.email
    return ConfirmPage(
        person, ticket.email, title or record.title, head, tuple(rows), services.links.form_token(token),
        ticket.expires, today, verifiers_of(snapshot),
    )  # fmt: skip


def verifiers_of(snapshot: Snapshot) -> tuple[tuple[str, str], ...]:
    """Who has verified dates in the plan, with their domain, so that a buyer sees an impostor."""
    found: dict[str, str] = {}
    for row in snapshot.rows:
        record = row.confirmation
        if record is not None and record.verified and record.email:
            found.setdefault(address_key(record.email), record.by.partition(" <")[0] or record.email)
    return tuple((name, email.rpartition("@")[2]) for email, name in sorted(found.items()))


def can_answer(row: RowState) -> bool:
    """Whether the page offers a row to confirm, or to propose another date for: open and dated."""
    return bool(row.due and row.status != Status.DONE.value)


def answer(services: Services, token: str, form_token: str, replies: list[Reply]) -> tuple[Outcome, ...]:
    """The person's answers, checked against the sheet as it is now and recorded once each; a row the page
    does not offer (done, undated) is refused, and so is a proposed date that can't be meant."""
    services.links.check_form_token(form_token, token)
    ticket, record = _admitted(services, token)
    if not replies:
        raise InputError("choose a row to confirm, or a date to propose")
    snapshot = snapshot_of(services, record)
    today = local_day(services.now(), record.time_zone)
    for reply in replies:
        row = snapshot.row(reply.row_id)
        if row is not None and not can_answer(row):
            raise InputError(
                f"{row.id} is done or has no due date: there is nothing to confirm; nothing was recorded"
            )
        problem = implausible_date(reply.proposed, today) if reply.proposed else None
        if problem:
            raise InputError(problem)
    person = snapshot.customer_people().get(ticket.email)
    named = f"{person} <{ticket.email}>" if person and person != ticket.email else ticket.email
    answers = []
    for reply in replies:
        if reply.proposed is not None and not reply.reason.strip():
            raise InputError("say why the other date: the seller sees your reason with the proposal")
        if reply.proposed is not None and reply.proposed == reply.due:
            raise InputError("the proposed date is the date the plan has: confirm it instead")
        reason = " ".join(reply.reason.split())[:MAX_REASON]
        answers.append(
            Answer(
                reply.row_id,
                named,
                ticket.email,
                reply.start,
                reply.due,
                reply.proposed,
                reason,
                ticket.trust,
            )
        )
    answers = [replace(item, trust=ticket.trust) for item in answers]  # a link someone else saw: a claim
    access = services.platform.plan_for_owner(record, None)
    result = sync_now(services, access.workbook, access.editors, record, answers)
    return result.outcomes


def _admitted(services: Services, token: str) -> tuple[ConfirmTicket, PlanRecord]:
    """The ticket of a link that is ours, current, not revoked, and for a customer person of a known plan."""
    ticket = services.links.confirming(token, services.now())
    record = services.store.plan(ticket.plan_id)
    if record is None:
        raise NotFoundError("this plan is no longer followed by mutualplan: ask the seller")
    if ticket.generation != services.store.link_generation(record.id, ticket.email):
        raise LinkExpiredError(
            "this confirmation link was replaced by a newer one: use the newest, or ask the seller"
        )
    snapshot = snapshot_of(services, record)
    if not snapshot.may_confirm(ticket.email):
        raise LinkRefusedError(
            f"This link no longer counts for the customer: {snapshot.confirmers.why_not(ticket.email)}"
        )
    return ticket, record


def plan_of(services: Services, plan_id: str) -> PlanRecord:
    record = services.store.plan(plan_id)
    if record is None:
        raise NotFoundError(f"the store knows no plan '{plan_id}' (mutualplan plans lists them)")
    return record


def snapshot_of(services: Services, record: PlanRecord) -> Snapshot:
    found = services.store.latest_snapshot(record.id).snapshot
    if found is None:
        raise NotFoundError("this plan has not been synced yet: try again in a minute")
    return found
