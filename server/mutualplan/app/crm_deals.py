"""A plan and its opportunity or deal: linking it (a pasted URL or id, or one of the seller's own open
deals found by the customer's name), the close date set on the seller's click, the deal's contacts
offered as Stakeholders rows, and the CRM's fields checked and set up.

Invariants:
- the link lives in the server's store, never in the sheet the buyer sees;
- only the plan's owner links it, and their own sign-in reads and writes the deal;
- the close date is written only by set_close_date, once per click that changes it, and the plan's
  history records it; a contact becomes a Stakeholders row only when the seller picks it."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from mutualplan.app.crm import session_of
from mutualplan.app.crm_ports import CrmClient, CrmLink
from mutualplan.app.crm_push import PushReport, preview_of, push_links
from mutualplan.app.reading import read_plan
from mutualplan.app.records import PlanRecord
from mutualplan.app.services import Services
from mutualplan.app.syncing import sync_now
from mutualplan.errors import InputError
from mutualplan.plan.crm import Crm, CrmDeal, close_finding, offered_contacts, record_of
from mutualplan.plan.dates.reading import format_day
from mutualplan.plan.history.events import Event, EventKind
from mutualplan.plan.pipeline import WeeklyScore
from mutualplan.plan.sheet.model import Stakeholder
from mutualplan.plan.sheet.stakeholders import adding_writes
from mutualplan.plan.sheet.vocabulary import HeadField


def owned_by(record: PlanRecord, seller: str) -> None:
    """Only the plan's owner links it to their CRM; an InputError says whose it is."""
    if record.owner.casefold() != seller.casefold():
        raise InputError(f"Only the plan's owner, {record.owner}, links it to their CRM")


def link_plan(services: Services, record: PlanRecord, seller: str, pasted: str) -> PushReport:
    """Link the plan to the opportunity or deal a URL or id names, and push it now when the seller is
    connected (what was written, or why not)."""
    owned_by(record, seller)
    try:
        crm, record_id = record_of(pasted)
    except ValueError as exc:
        raise InputError(f"Paste {str(exc).removeprefix('paste ')}") from exc
    link = CrmLink(record.id, crm, record_id, record.owner, services.now(), due=True)
    services.store.save_crm_link(link)
    return push_links(services, record.owner, [link])


def unlink_plan(services: Services, record: PlanRecord, seller: str) -> str:
    """Unlink the plan: nothing more is pushed (what the CRM holds stays)."""
    owned_by(record, seller)
    if not services.store.drop_crm_link(record.id):
        raise InputError("The plan is not linked to a CRM")
    return "Unlinked: mutualplan no longer writes to that record"


def customer_of(services: Services, record: PlanRecord) -> str:
    """The customer's name, as the plan's head says it (the plan's title when it names none)."""
    found = services.store.plan_input(record.id)
    head = found.snapshot.head if found else {}
    return head.get(HeadField.CUSTOMER.value, "").strip() or record.title


def search_deals(
    services: Services, record: PlanRecord, seller: str, crm: Crm, text: str = ""
) -> list[CrmDeal]:
    """The seller's own open opportunities or deals named like the customer (or the text given)."""
    owned_by(record, seller)
    wanted = text.strip() or customer_of(services, record)
    if len(wanted) < 2:
        raise InputError("Type at least two letters of the customer's or the deal's name")
    return session_of(services, record.owner, crm).search(wanted[:80])


def linked(services: Services, record: PlanRecord) -> CrmLink:
    """The plan's link; an InputError says to link it first."""
    link = services.store.crm_link(record.id)
    if link is None:
        raise InputError("Link the plan to its opportunity or deal first")
    return link


@dataclass(frozen=True, slots=True)
class CrmDealView:
    """The linked deal as the CRM holds it now, with what the plan says of its close date."""

    link: CrmLink
    deal: CrmDeal
    score: WeeklyScore  # the plan's, as of today
    finding: str  # P-CRM-CLOSE-UNSUPPORTED's message, "" when the close date rests on the plan


def deal_view(services: Services, record: PlanRecord, session: CrmClient | None = None) -> CrmDealView:
    """The linked deal, read once (through the seller's session, when one is open already)."""
    link = linked(services, record)
    session = session or session_of(services, record.owner, link.crm)
    deal = session.read([link.record_id]).get(link.record_id)
    if deal is None:
        raise InputError(
            f"{link.crm.label} has no {link.crm.record} {link.record_id} you can see: link the plan again"
        )
    score = preview_of(services, record).score
    found = close_finding(deal, score)
    return CrmDealView(link, deal, score, found.message if found else "")


def set_close_date(services: Services, record: PlanRecord, seller: str) -> str:
    """The seller's click: the CRM's close date set to the plan's target signature, once (a second click
    writes nothing), and the plan's history says so."""
    owned_by(record, seller)
    session = session_of(services, record.owner, linked(services, record).crm)
    view = deal_view(services, record, session)
    signature = view.score.figures.target_signature
    if signature is None:
        raise InputError("The plan has no target signature date: set it in the sheet's head first")
    if view.deal.close_date == signature:
        return f"The {view.link.crm.label} close date is already {format_day(signature)}: nothing written"
    session.set_close_date(view.link.record_id, signature)
    was = view.deal.close_date.isoformat() if view.deal.close_date else ""
    noted = Event(
        EventKind.CRM_CLOSE_DATE_SET,
        None,
        f"{view.link.crm.label} close date",
        was,
        signature.isoformat(),
        seller,
    )
    access = services.platform.plan_for_owner(record, None)
    sync_now(services, access.workbook, access.editors, record, noted=(noted,))
    return f"The {view.link.crm.label} close date is now {format_day(signature)}, the plan's signature"


def offered(services: Services, record: PlanRecord, seller: str) -> list[Stakeholder]:
    """The deal's contacts not on the Stakeholders tab yet, offered as customer-side rows."""
    owned_by(record, seller)
    link = linked(services, record)
    contacts = session_of(services, record.owner, link.crm).contacts(link.record_id)
    access = services.platform.plan_for_owner(record, None)
    listed = read_plan(access.workbook, record.tabs).plan().stakeholders
    return offered_contacts(contacts, listed)


def add_contacts(services: Services, record: PlanRecord, seller: str, picked: Collection[str]) -> str:
    """Add the picked contacts (by address) as Stakeholders rows, in one write, then sync."""
    wanted = {email.casefold() for email in picked if email.strip()}
    if not wanted:
        raise InputError("Tick the people to add, then Add")
    people = [person for person in offered(services, record, seller) if person.email.casefold() in wanted]
    if not people:
        raise InputError("Those people are on the Stakeholders tab already, or no longer on the deal")
    access = services.platform.plan_for_owner(record, None)
    grids = read_plan(access.workbook, record.tabs)
    access.workbook.apply(adding_writes(grids.stakeholders, record.tabs.stakeholders, people), editor=seller)
    sync_now(services, access.workbook, access.editors, record)
    return f"Added {len(people)} {'person' if len(people) == 1 else 'people'} to the Stakeholders tab"


def check(services: Services, owner: str, crm: Crm) -> list[tuple[str, str]]:
    """The fields mutualplan writes that the seller's CRM lacks, each with its type."""
    return session_of(services, owner, crm).missing_fields()


def set_up(services: Services, owner: str, crm: Crm) -> list[str]:
    """Create what the CRM lacks where its API allows (HubSpot's properties): their names."""
    return session_of(services, owner, crm).set_up()
