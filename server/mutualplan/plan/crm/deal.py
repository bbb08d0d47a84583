"""A deal as the CRM holds it, what the plan says of its close date, and the people it offers as
Stakeholders rows."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from mutualplan.plan.checks.findings import Finding, finding
from mutualplan.plan.dates.reading import format_day
from mutualplan.plan.pipeline import WeeklyScore
from mutualplan.plan.sheet.model import Side, Stakeholder

CLOSE_CODE = "P-CRM-CLOSE-UNSUPPORTED"
COMMIT = "commit"  # Salesforce's ForecastCategoryName "Commit"; HubSpot's hs_forecast_category "COMMIT"


class Crm(StrEnum):
    """The CRMs a plan can be linked to."""

    SALESFORCE = "salesforce"
    HUBSPOT = "hubspot"

    @property
    def label(self) -> str:
        """The CRM's name as people write it."""
        return "Salesforce" if self is Crm.SALESFORCE else "HubSpot"

    @property
    def record(self) -> str:
        """What the CRM calls a deal."""
        return "opportunity" if self is Crm.SALESFORCE else "deal"


@dataclass(frozen=True, slots=True)
class CrmContact:
    """A person the CRM links to a deal (a contact role, a contact association)."""

    name: str
    email: str
    role: str = ""


@dataclass(frozen=True, slots=True)
class CrmDeal:
    """An opportunity or deal as one read of it found it: the seller's fields, and what mutualplan wrote."""

    id: str
    name: str
    close_date: date | None = None
    forecast: str = ""  # the forecast category, as the CRM names it
    stage: str = ""
    written: Mapping[str, object] = field(default_factory=dict)  # mutualplan's fields, and Next Step
    account: str = ""  # the customer's name, where the CRM has one


def close_finding(deal: CrmDeal, score: WeeklyScore) -> Finding | None:
    """P-CRM-CLOSE-UNSUPPORTED: the CRM's close date before the plan's target signature, or a Commit
    forecast the buyer's verified dates do not support; None when the CRM's word rests on the plan's."""
    figures = score.figures
    signature = figures.target_signature
    if deal.close_date is not None and signature is not None and deal.close_date < signature:
        return finding(
            CLOSE_CODE,
            f"The CRM's close date, {format_day(deal.close_date)}, is before the plan's target signature, "
            f"{format_day(signature)}: set the close date to the plan's signature, or agree an earlier "
            "signature with the customer in the plan.",
        )
    if deal.forecast.strip().casefold() == COMMIT and not figures.signature_supported:
        waits = f" ({figures.signature_waits_on})" if figures.signature_waits_on else ""
        return finding(
            CLOSE_CODE,
            f"The CRM forecasts Commit, but the customer has not verified the dates the signature rests "
            f"on{waits}: ask them to confirm, or forecast it lower.",
        )
    return None


def offered_contacts(contacts: Sequence[CrmContact], listed: Sequence[Stakeholder]) -> list[Stakeholder]:
    """The deal's contacts a seller may add as Stakeholders rows, on the customer's side: those with an
    address not on the tab already, each once."""
    seen = {person.email.casefold() for person in listed if person.email}
    offered: list[Stakeholder] = []
    for contact in contacts:
        email = contact.email.strip()
        if "@" not in email or email.casefold() in seen:
            continue
        seen.add(email.casefold())
        offered.append(Stakeholder(contact.name.strip() or email, email, Side.CUSTOMER, contact.role.strip()))
    return offered


_SALESFORCE_ID = re.compile(r"\b(006[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?)\b")
_HUBSPOT_DEAL = re.compile(r"hubspot\.com/contacts/\d+/(?:deal|record/0-3)/(\d+)")


def record_of(text: str) -> tuple[Crm, str]:
    """Which CRM record a pasted URL or id names: a Salesforce Opportunity (id 006…, 15 or 18 characters)
    or a HubSpot deal (its URL, or its number); a ValueError says what to paste."""
    text = text.strip()
    hubspot = _HUBSPOT_DEAL.search(text)
    if hubspot:
        return Crm.HUBSPOT, hubspot.group(1)
    if text.isdigit() and len(text) <= 20:
        return Crm.HUBSPOT, text
    salesforce = _SALESFORCE_ID.search(text) if "hubspot" not in text else None
    if salesforce and (text == salesforce.group(1) or "force.com" in text):
        return Crm.SALESFORCE, salesforce.group(1)
    raise ValueError(
        "paste the opportunity's Salesforce URL or id (006…), or the deal's HubSpot URL or number"
    )
