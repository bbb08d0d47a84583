"""The CRM fields mutualplan owns, declared once as data: what each holds, its name and type in Salesforce
and in HubSpot, and the values a push writes. Besides them it writes the standard Next Step, and nothing
else: the close date, stage, amount and forecast category are the seller's."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import NamedTuple

from mutualplan.plan.dates.reading import format_day
from mutualplan.plan.pipeline import WeeklyScore

NEXT_STEP_CHARS = 255  # Salesforce's NextStep is a string(255); HubSpot's hs_next_step is held to the same
SALESFORCE_NEXT_STEP, HUBSPOT_NEXT_STEP = "NextStep", "hs_next_step"
HUBSPOT_GROUP = "mutualplan"  # the deal property group `mutualplan crm setup` creates
STATUSES = ("on track", "at risk", "stalled")


class FieldType(StrEnum):
    """What a field holds, and so how each CRM types it and how a value read back is compared."""

    URL = "url"
    TEXT = "text"
    STATUS = "status"
    YES_NO = "yes/no"
    PERCENT = "percent"
    COUNT = "count"
    DATE = "date"
    MOMENT = "date and time"


class HubSpotType(NamedTuple):
    """A property's type as HubSpot names it: its type and its fieldType."""

    type: str
    field_type: str

    def __str__(self) -> str:
        return f"{self.type}/{self.field_type}"


# Each type as Salesforce Setup names it (Object Manager › Opportunity › Fields): what to create a field as.
SALESFORCE_TYPES = {
    FieldType.URL: "URL(255)",
    FieldType.TEXT: "Text(255)",
    FieldType.STATUS: "Text(20)",
    FieldType.YES_NO: "Checkbox",
    FieldType.PERCENT: "Percent(3, 0)",
    FieldType.COUNT: "Number(18, 0)",
    FieldType.DATE: "Date",
    FieldType.MOMENT: "Date/Time",
}
HUBSPOT_TYPES = {
    FieldType.URL: HubSpotType("string", "text"),
    FieldType.TEXT: HubSpotType("string", "text"),
    FieldType.STATUS: HubSpotType("enumeration", "select"),
    FieldType.YES_NO: HubSpotType("bool", "booleancheckbox"),
    FieldType.PERCENT: HubSpotType("number", "number"),
    FieldType.COUNT: HubSpotType("number", "number"),
    FieldType.DATE: HubSpotType("date", "date"),
    FieldType.MOMENT: HubSpotType("datetime", "date"),
}


@dataclass(frozen=True, slots=True)
class CrmField:
    """One field mutualplan owns in the CRM: written by every push, never by a person."""

    key: str  # the value's name in mutualplan
    label: str
    kind: FieldType
    salesforce: str  # the Opportunity custom field's API name
    hubspot: str  # the deal property's internal name
    help: str


OWNED_FIELDS: tuple[CrmField, ...] = (
    CrmField("plan_url", "MAP URL", FieldType.URL, "MAP_URL__c", "mutualplan_map_url", "where the plan's spreadsheet opens"),
    CrmField("status", "MAP status", FieldType.STATUS, "MAP_Status__c", "mutualplan_status", "on track, at risk or stalled, by the pipeline's status rule"),
    CrmField("signature_supported", "Signature supported", FieldType.YES_NO, "MAP_Signature_Supported__c", "mutualplan_signature_supported", "whether every step the signature rests on is confirmed by the customer at its current date"),
    CrmField("confirmation_rate_30d", "Confirmed next 30 days", FieldType.PERCENT, "MAP_Confirmation_Rate_30d__c", "mutualplan_confirmation_rate_30d", "the share of the next 30 days' dates the customer verified, in percent (empty when none fall due)"),
    CrmField("slips", "Slips", FieldType.COUNT, "MAP_Slips__c", "mutualplan_slips", "dates moved later, in all"),
    CrmField("slip_days", "Days slipped", FieldType.COUNT, "MAP_Slip_Days__c", "mutualplan_slip_days", "the days those slips added up to"),
    CrmField("next_milestone", "Next milestone", FieldType.TEXT, "MAP_Next_Milestone__c", "mutualplan_next_milestone", "the next open milestone's step"),
    CrmField("next_milestone_date", "Next milestone date", FieldType.DATE, "MAP_Next_Milestone_Date__c", "mutualplan_next_milestone_date", "its date"),
    CrmField("next_milestone_confirmed", "Next milestone confirmed", FieldType.YES_NO, "MAP_Next_Milestone_Confirmed__c", "mutualplan_next_milestone_confirmed", "whether the customer verified that date"),
    CrmField("target_signature", "Target signature", FieldType.DATE, "MAP_Target_Signature__c", "mutualplan_target_signature", "the plan's target signature date"),
    CrmField("go_live", "Go-live", FieldType.DATE, "MAP_Go_Live__c", "mutualplan_go_live", "the plan's customer go-live date"),
    CrmField("last_sync", "MAP last sync", FieldType.MOMENT, "MAP_Last_Sync__c", "mutualplan_last_sync", "when mutualplan last wrote a change to these fields (a push that changes nothing else leaves it)"),
)  # fmt: skip
# The standard fields mutualplan never writes on its own (the seller's own judgement): shown so, and read
# only to find a close date the plan does not support.
NEVER_WRITTEN = {
    "salesforce": ("CloseDate", "StageName", "Amount", "ForecastCategoryName"),
    "hubspot": ("closedate", "dealstage", "amount", "hs_forecast_category"),
}

CrmValue = str | bool | float | int | date | datetime | None


def owned_values(score: WeeklyScore, plan_url: str, last_sync: datetime) -> dict[str, CrmValue]:
    """The owned fields' values for a plan's score as of today, by key."""
    figures = score.figures
    rate = figures.confirmation_rate_30d
    return {
        "plan_url": plan_url,
        "status": score.status.value,
        "signature_supported": figures.signature_supported,
        "confirmation_rate_30d": None if rate is None else round(rate * 100),
        "slips": figures.slips_total,
        "slip_days": figures.slip_days_total,
        "next_milestone": clip_words(figures.next_milestone, NEXT_STEP_CHARS) or None,
        "next_milestone_date": figures.next_milestone_due,
        "next_milestone_confirmed": figures.next_milestone_confirmed if figures.next_milestone else None,
        "target_signature": figures.target_signature,
        "go_live": figures.go_live,
        "last_sync": last_sync.astimezone(UTC).replace(microsecond=0),
    }


def next_step(score: WeeklyScore) -> str:
    """The standard Next Step: the next milestone, its date, and whether the customer confirmed it; and,
    when some are not, how many steps must be true three weeks before signature (MAP_METHOD: the
    review's question, mirrored into the CRM). At most 255 characters: the milestone's name is shortened
    at a word, never the rest."""
    figures = score.figures
    if not figures.next_milestone:
        return "MAP: no open milestone in the plan"
    when = f" by {format_day(figures.next_milestone_due)}" if figures.next_milestone_due else ""
    said = "confirmed by the customer" if figures.next_milestone_confirmed else "not yet confirmed"
    untrue = len(figures.must_be_true)
    before = (
        f"; {untrue} {'step' if untrue == 1 else 'steps'} before signature not yet true" if untrue else ""
    )
    tail = f"{when} ({said}){before}"
    return f"MAP: {clip_words(figures.next_milestone, NEXT_STEP_CHARS - len('MAP: ') - len(tail))}{tail}"


def clip_words(text: str, limit: int) -> str:
    """Text in at most limit characters, cut at a word and marked "…" when it had to be cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    head = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return head.rstrip(" ,;:-—") + "…"


def shown_value(kind: FieldType, value: CrmValue) -> str:
    """A value as a seller reads it on the card: 67%, yes, 5 Apr 2027, – for none."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return f"{format_day(value.date())}, {value.astimezone(UTC):%H:%M} UTC"
    if isinstance(value, date):
        return format_day(value)
    return f"{value}%" if kind is FieldType.PERCENT else str(value)


def salesforce_fields(values: Mapping[str, CrmValue], next_step_text: str) -> dict[str, object]:
    """What a Salesforce push writes: the owned fields by API name, JSON-ready, and NextStep."""
    body: dict[str, object] = {item.salesforce: _json(values[item.key]) for item in OWNED_FIELDS}
    return {**body, SALESFORCE_NEXT_STEP: next_step_text}


def hubspot_properties(values: Mapping[str, CrmValue], next_step_text: str) -> dict[str, str]:
    """What a HubSpot push writes: the owned properties by name, as HubSpot's strings, and hs_next_step."""
    body = {item.hubspot: _hubspot_text(values[item.key]) for item in OWNED_FIELDS}
    return {**body, HUBSPOT_NEXT_STEP: next_step_text}


def _json(value: CrmValue) -> object:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _hubspot_text(value: CrmValue) -> str:
    """HubSpot's property values are strings: "" clears one."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def same_value(kind: FieldType | None, wanted: object, found: object) -> bool:
    """Whether a value read back from a CRM is the one a push would write (each CRM spells some values its
    own way: "true", 67.0, "2026-01-05T00:00:00.000Z")."""
    return _canonical(kind, wanted) == _canonical(kind, found)


def _canonical(kind: FieldType | None, value: object) -> object:
    if value is None or value == "":
        return None
    text = str(value).strip()
    if kind is FieldType.YES_NO:
        return text.casefold() in {"true", "1", "yes"}
    if kind in (FieldType.PERCENT, FieldType.COUNT):
        try:
            number = float(text)
        except ValueError:
            return text
        return round(number, 6) if math.isfinite(number) else text
    if kind is FieldType.DATE:
        return text[:10]
    if kind is FieldType.MOMENT:
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("+0000", "+00:00"))
        except ValueError:
            return text
        return moment.astimezone(UTC).replace(microsecond=0) if moment.tzinfo else moment
    return text


# The last-sync time's names: a change to it alone is no change.
LAST_SYNC_NAMES = frozenset(
    name for item in OWNED_FIELDS if item.key == "last_sync" for name in (item.salesforce, item.hubspot)
)


def kind_of(name: str) -> FieldType | None:
    """The type of a written field or property, by its name in either CRM (None: Next Step, text)."""
    return _KINDS.get(name)


_KINDS = {name: item.kind for item in OWNED_FIELDS for name in (item.salesforce, item.hubspot)}
