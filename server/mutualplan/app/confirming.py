"""The buyer's own page: a customer person, proven by their personal link, confirms dates or proposes
others. A GET shows the plan as the store last saw it and changes nothing; an answer is a sync of the
sheet as the plan's owner, carrying the answer, so that it is checked against the sheet as it is now,
written into the sheet and stored in one transaction — once, however often the form is posted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from mutualplan.app.days import local_day
from mutualplan.app.links import CONFIRM_DAYS, ConfirmTicket
from mutualplan.app.records import PlanRecord
from mutualplan.app.services import Services
from mutualplan.app.sync import sync
from mutualplan.errors import InputError, LinkExpiredError, LinkRefusedError, NotFoundError
from mutualplan.plan.answers import Answer, Outcome
from mutualplan.plan.model import Side
from mutualplan.plan.snapshot import RowState, Snapshot
from mutualplan.plan.vocabulary import HeadField, Status

SOON_DAYS = 30
MAX_REASON = 500


@dataclass(frozen=True, slots=True)
class PageRow:
    """A row as the buyer's page shows it."""

    state: RowState
    soon: bool  # due in the next 30 days: shown first
    can_answer: bool  # open, dated: the person may confirm it or propose another date
    confirmed_by_them: bool


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


@dataclass(frozen=True, slots=True)
class Reply:
    """One answer as the form sent it: the row, the dates the page showed, and what to do."""

    row_id: str
    start: date | None
    due: date | None
    proposed: date | None = None
    reason: str = ""


def confirmation_link(
    services: Services, plan_id: str, email: str, days: int = CONFIRM_DAYS
) -> tuple[str, datetime]:
    """A customer person's own link to the plan's confirmation page, and when it expires."""
    record = _plan(services, plan_id)
    snapshot = _snapshot(services, record)
    if snapshot.side_of(email) is not Side.CUSTOMER:
        raise LinkRefusedError(
            f"{email} is not on the customer side of this plan: links go to the customer's people "
            "(the customer's email domain, an owner in a customer column, or the champion)"
        )
    if not 1 <= days <= 90:
        raise InputError("a confirmation link lasts from 1 to 90 days")
    expires = services.now() + timedelta(days=days)
    generation = services.store.link_generation(plan_id, email)
    url = services.links.confirm(ConfirmTicket(plan_id, email.casefold(), generation, expires))
    return url, expires


def reissue_links(services: Services, plan_id: str, email: str) -> int:
    """Revoke every link a person holds for the plan (the next one they get works); the new generation."""
    return services.store.revoke_links(_plan(services, plan_id).id, email)


def confirmation_page(services: Services, token: str) -> ConfirmPage:
    """The page a link opens: the plan as last synced, the next 30 days first. Changes nothing."""
    ticket, record = _admitted(services, token)
    snapshot = _snapshot(services, record)
    today = local_day(services.now(), record.time_zone)
    soon_until = today + timedelta(days=SOON_DAYS)
    rows = [
        PageRow(
            row,
            bool(row.due and today <= row.due <= soon_until and row.status != Status.DONE.value),
            bool(row.due and row.status != Status.DONE.value),
            bool(row.verified and row.confirmation and row.confirmation.email.casefold() == ticket.email),
        )
        for row in snapshot.rows
    ]
    rows.sort(key=lambda item: (not item.soon, item.state.due or date.max, item.state.sheet_row))
    head = dict(snapshot.head)
    title = " — ".join(
        part for part in (head.get(HeadField.CUSTOMER.value), head.get(HeadField.DEAL.value)) if part
    )
    person = snapshot.customer_people().get(ticket.email) or ticket.email
    return ConfirmPage(
        person, ticket.email, title or record.title, head, tuple(rows), services.links.form_token(token),
        ticket.expires, today,
    )  # fmt: skip


def answer(services: Services, token: str, form_token: str, replies: list[Reply]) -> tuple[Outcome, ...]:
    """The person's answers, checked against the sheet as it is now and recorded once each."""
    services.links.check_form_token(form_token, token)
    ticket, record = _admitted(services, token)
    if not replies:
        raise InputError("choose a row to confirm, or a date to propose")
    snapshot = _snapshot(services, record)
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
            Answer(reply.row_id, named, ticket.email, reply.start, reply.due, reply.proposed, reason)
        )
    access = services.platform.plan_for_owner(record, None)
    result = sync(services.store, access.workbook, record, access.editors, services.now, answers)
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
    if _snapshot(services, record).side_of(ticket.email) is not Side.CUSTOMER:
        raise LinkRefusedError("this link is not for someone on the customer side of the plan")
    return ticket, record


def _plan(services: Services, plan_id: str) -> PlanRecord:
    record = services.store.plan(plan_id)
    if record is None:
        raise NotFoundError(f"the store knows no plan '{plan_id}' (mutualplan plans lists them)")
    return record


def _snapshot(services: Services, record: PlanRecord) -> Snapshot:
    found = services.store.latest_snapshot(record.id).snapshot
    if found is None:
        raise NotFoundError("this plan has not been synced yet: try again in a minute")
    return found
