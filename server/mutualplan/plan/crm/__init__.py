"""The CRM's side of a plan: the fields mutualplan owns and the values a push writes, Next Step, what the
plan says of the CRM's close date, and the deal's contacts offered as Stakeholders rows. Pure: the app
reads and writes the CRMs."""

from mutualplan.plan.crm.deal import Crm, CrmContact, CrmDeal, close_finding, offered_contacts, record_of
from mutualplan.plan.crm.fields import (
    HUBSPOT_NEXT_STEP,
    NEVER_WRITTEN,
    OWNED_FIELDS,
    SALESFORCE_NEXT_STEP,
    CrmField,
    FieldType,
    clip_words,
    hubspot_properties,
    next_step,
    owned_values,
    salesforce_fields,
    same_value,
)

__all__ = [
    "HUBSPOT_NEXT_STEP",
    "NEVER_WRITTEN",
    "OWNED_FIELDS",
    "SALESFORCE_NEXT_STEP",
    "Crm",
    "CrmContact",
    "CrmDeal",
    "CrmField",
    "FieldType",
    "clip_words",
    "close_finding",
    "hubspot_properties",
    "next_step",
    "offered_contacts",
    "owned_values",
    "record_of",
    "salesforce_fields",
    "same_value",
]
