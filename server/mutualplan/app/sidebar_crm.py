"""The sidebar's CRM card: what a push writes for this plan, the linked opportunity or deal and what the
plan says of its close date, the seller's connections, and the deal's contacts offered as Stakeholders
rows. Who the seller is is Google's word (their token), never a field of the card."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date

from mutualplan.app import crm_deals
from mutualplan.app.crm import CrmAccount, accounts_of, connect_with_token, crm_of, disconnect
from mutualplan.app.crm_ports import CrmLink
from mutualplan.app.crm_push import Preview, preview_of, push_links
from mutualplan.app.records import AccountStatus, PlanRecord
from mutualplan.app.services import Services
from mutualplan.app.sidebar import sellers_plan
from mutualplan.app.sidebar_views import Opening
from mutualplan.errors import CrmError, InputError
from mutualplan.plan.crm import CrmDeal, close_finding
from mutualplan.plan.sheet.model import Stakeholder


@dataclass(frozen=True, slots=True)
class CrmCardView:
    """What the CRM card shows of one plan."""

    title: str
    preview: Preview
    accounts: tuple[CrmAccount, ...]
    link: CrmLink | None = None
    deal: CrmDeal | None = None  # the linked deal, as one read found it
    finding: str = ""  # P-CRM-CLOSE-UNSUPPORTED's message, "" when the close date rests on the plan
    problem: str = ""  # why the linked deal could not be read (not connected, refused …)
    found: tuple[CrmDeal, ...] = ()  # the seller's own open deals a search found
    offered: tuple[Stakeholder, ...] = ()  # the deal's contacts not on the Stakeholders tab
    checked: str = ""  # a close date checked by hand and supported by the plan: what to say of it

    @property
    def can_set_close_date(self) -> bool:
        """Whether the close-date button has anything to do."""
        signature = self.preview.score.figures.target_signature
        return self.deal is not None and signature is not None and self.deal.close_date != signature


def _seller(services: Services, opening: Opening) -> tuple[PlanRecord, str]:
    _, record = sellers_plan(services, opening)
    return record, services.platform.user_email(opening.token).casefold()


def crm_card(services: Services, opening: Opening) -> CrmCardView:
    """The plan's CRM card: the preview always; the linked deal read once, when its CRM is connected."""
    record, seller = _seller(services, opening)
    return _view(services, record, seller)


def _view(services: Services, record: PlanRecord, seller: str) -> CrmCardView:
    view = CrmCardView(record.title, preview_of(services, record), tuple(accounts_of(services, seller)))
    link = services.store.crm_link(record.id)
    if link is None:
        return view
    view = replace(view, link=link)
    if not services.config.crm_mode(link.crm.value):
        said = f"This server is not set up for {link.crm.label}: a push would write what is below"
        return replace(view, problem=said)
    connection = services.store.crm_connection(record.owner, link.crm)
    if connection is None or connection.status is AccountStatus.RECONNECT:
        return replace(view, problem=f"Connect {link.crm.label} to read and push this {link.crm.record}")
    try:
        read = crm_deals.deal_view(services, record)
    except (CrmError, InputError) as exc:
        return replace(view, problem=str(exc))
    return replace(view, deal=read.deal, finding=read.finding)


def link(services: Services, opening: Opening, pasted: str) -> str:
    """Link the plan to a pasted URL or id (or a deal a search found), and push it when connected."""
    record, seller = _seller(services, opening)
    report = crm_deals.link_plan(services, record, seller, pasted)
    if report.waiting:
        return f"Linked. {report.waiting[0][1]}"
    if report.failed:
        return f"Linked, but not pushed: {report.failed[0][1]}"
    written = report.written.get(record.id)
    return (
        f"Linked, and pushed {len(written)} fields"
        if written
        else "Linked: the CRM holds these values already"
    )


def search(services: Services, opening: Opening, crm_name: str, text: str) -> CrmCardView:
    """The card, with the seller's own open deals named like the customer (or the text)."""
    record, seller = _seller(services, opening)
    found = crm_deals.search_deals(services, record, seller, crm_of(crm_name), text)
    if not found:
        raise InputError("No open deal of yours is named like that: paste its URL instead")
    return replace(_view(services, record, seller), found=tuple(found))


def push_now(services: Services, opening: Opening) -> str:
    """Push the plan now: what was written, or that nothing changed."""
    record, seller = _seller(services, opening)
    crm_deals.owned_by(record, seller)
    report = push_links(services, record.owner, [crm_deals.linked(services, record)])
    problems = report.waiting or report.failed
    if problems:
        return problems[0][1]
    written = report.written.get(record.id)
    return f"Pushed {len(written)} changed fields" if written else "Nothing changed: nothing written"


def close_date(services: Services, opening: Opening) -> str:
    """The seller's click: the CRM's close date set to the plan's signature."""
    record, seller = _seller(services, opening)
    return crm_deals.set_close_date(services, record, seller)


def check_close_date(services: Services, opening: Opening, close: date | None, forecast: str) -> CrmCardView:
    """The card, with what the plan says of a close date and forecast typed by hand (no CRM here)."""
    record, seller = _seller(services, opening)
    if close is None:
        raise InputError("Pick your CRM's close date, then Check")
    view = _view(services, record, seller)
    found = close_finding(CrmDeal("", "", close, forecast), view.preview.score)
    if found is not None:
        return replace(view, finding=found.message)
    return replace(view, checked="That close date and forecast rest on the plan's buyer-verified dates.")


def contacts(services: Services, opening: Opening) -> CrmCardView:
    """The card, with the deal's contacts not on the Stakeholders tab offered."""
    record, seller = _seller(services, opening)
    offered = crm_deals.offered(services, record, seller)
    if not offered:
        raise InputError("Every contact of the deal with an address is on the Stakeholders tab already")
    return replace(_view(services, record, seller), offered=tuple(offered))


def add_contacts(services: Services, opening: Opening, picked: Collection[str]) -> str:
    """Add the picked contacts as Stakeholders rows."""
    record, seller = _seller(services, opening)
    return crm_deals.add_contacts(services, record, seller, picked)


def unlink(services: Services, opening: Opening) -> str:
    """Unlink the plan from its deal."""
    record, seller = _seller(services, opening)
    return crm_deals.unlink_plan(services, record, seller)


def connect(services: Services, opening: Opening, crm_name: str) -> str:
    """Connect through the deployment's own token (its sign-in needs no window)."""
    _, seller = _seller(services, opening)
    return connect_with_token(services, seller, crm_of(crm_name))


def disconnect_crm(services: Services, opening: Opening, crm_name: str) -> str:
    """Forget the seller's sign-in to a CRM."""
    _, seller = _seller(services, opening)
    return disconnect(services, seller, crm_of(crm_name))
