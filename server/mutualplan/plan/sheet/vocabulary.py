"""The words MAP templates use for columns, head labels, tracks and statuses."""

from __future__ import annotations

from enum import StrEnum
from functools import cache

from mutualplan.plan.sheet.text import label_key, value_key


class Column(StrEnum):
    """A column of the plan table (DESIGN.md, the sheet contract)."""

    ID = "ID"
    TRACK = "Track"
    STEP = "Step"
    CUSTOMER_OWNER = "Customer owner"
    VENDOR_OWNER = "Vendor owner"
    OWNER = "Owner"
    START = "Start"
    DUE = "Due"
    EVIDENCE = "Exit evidence"
    STATUS = "Status"
    GATE = "Gate"
    DEPENDS_ON = "Depends on"
    CONFIRMED = "Customer confirmed"
    CONFIRMED_BY = "Confirmed by"
    NOTES = "Notes"
    CHECK = "Check"


class HeadField(StrEnum):
    """A label of the head block above the plan table."""

    DEAL = "Deal"
    CUSTOMER = "Customer"
    CUSTOMER_DOMAIN = "Customer domain"
    VENDOR_DOMAIN = "Vendor domain"
    OUTCOME = "Outcome"
    GO_LIVE = "Go-live"
    EXTERNAL_DEADLINE = "External deadline"
    TARGET_SIGNATURE = "Target signature"
    SIGNED_OFF_BY = "Signed off by"
    SIGNED_OFF_ON = "Signed off on"


COLUMN_ALIASES: dict[Column, tuple[str, ...]] = {
    Column.ID: ("ID", "Row ID", "Step ID", "#", "No", "Ref"),
    Column.TRACK: ("Track", "Workstream", "Stream", "Phase", "Category"),
    Column.STEP: ("Step", "Task", "Milestone", "Activity", "Action", "Deliverable step", "Item"),
    Column.CUSTOMER_OWNER: (
        "Customer owner",
        "Buyer owner",
        "Client owner",
        "Customer lead",
        "Customer",
        "Buyer",
        "Client",
        "Customer responsible",
        "Their owner",
    ),
    Column.VENDOR_OWNER: (
        "Vendor owner",
        "Seller owner",
        "Our owner",
        "Vendor lead",
        "Vendor",
        "Seller",
        "Supplier owner",
        "Our lead",
    ),
    Column.OWNER: ("Owner", "Owners", "Who", "Responsible", "Assignee", "Lead"),
    Column.START: ("Start", "Start date", "Begin", "Begins", "From"),
    Column.DUE: (
        "Due",
        "Due date",
        "Deadline",
        "End date",
        "Target date",
        "When",
        "Date",
        "Due by",
        "Finish",
        "End",
    ),
    Column.EVIDENCE: (
        "Exit evidence",
        "Evidence",
        "Proof",
        "Exit criteria",
        "Deliverable",
        "Deliverables",
        "Outcome evidence",
        "Definition of done",
        "Result",
        "Results",
        "Expected result",
        "Outcome",
        "Expected outcome",
        "Success criteria",
    ),
    Column.STATUS: ("Status", "Progress", "State"),
    Column.GATE: ("Gate", "Go/no-go", "Go no go", "Decision gate", "Gating"),
    Column.DEPENDS_ON: ("Depends on", "Dependency", "Dependencies", "Depends", "After", "Predecessor"),
    Column.CONFIRMED: (
        "Customer confirmed",
        "Confirmed",
        "Buyer confirmed",
        "Client confirmed",
        "Agreed",
        "Customer agreed",
        "Dates confirmed",
    ),
    Column.CONFIRMED_BY: ("Confirmed by", "Agreed by", "Customer confirmed by"),
    Column.NOTES: ("Notes", "Comments", "Status notes", "Progress notes", "Remarks"),
    Column.CHECK: ("Check", "mutualplan check"),
}

HEAD_ALIASES: dict[HeadField, tuple[str, ...]] = {
    HeadField.DEAL: ("Deal", "Deal name", "Opportunity", "Project", "Plan"),
    HeadField.CUSTOMER: ("Customer", "Customer name", "Buyer", "Client", "Account", "Company"),
    HeadField.CUSTOMER_DOMAIN: ("Customer domain", "Buyer domain", "Client domain", "Customer email domain"),
    HeadField.VENDOR_DOMAIN: ("Vendor domain", "Seller domain", "Our domain"),
    HeadField.OUTCOME: (
        "Outcome",
        "Business outcome",
        "Statement of value",
        "Outcome statement",
        "Value statement",
        "Why",
        "Goal",
        "Objective",
    ),
    HeadField.GO_LIVE: (
        "Go-live",
        "Go live date",
        "Production go-live",
        "Go-live date",
        "Value date",
        "Launch date",
        "Customer go-live",
        "Value milestone",
    ),
    HeadField.EXTERNAL_DEADLINE: (
        "External deadline",
        "Deadline",
        "Driver",
        "External driver",
        "Compelling event",
    ),
    HeadField.TARGET_SIGNATURE: (
        "Target signature",
        "Target close",
        "Signature date",
        "Close date",
        "Target signature date",
        "Signature",
    ),
    HeadField.SIGNED_OFF_BY: ("Signed off by", "Sign-off", "Sign off by", "Accepted by", "Approved by"),
    HeadField.SIGNED_OFF_ON: ("Signed off on", "Sign-off date", "Signed off", "Accepted on", "Approved on"),
}


class Track(StrEnum):
    """A track value of the sheet contract."""

    TECHNICAL = "Technical"
    BUSINESS = "Business"
    SECURITY = "Security"
    LEGAL = "Legal"
    PROCUREMENT = "Procurement"
    EXECUTIVE_APPROVAL = "Executive approval"
    SIGNATURE = "Signature"
    SUCCESS = "Success"

    @property
    def family(self) -> str:
        """technical, business, paper or success."""
        return TRACK_FAMILIES[self]


TRACK_FAMILIES: dict[Track, str] = {
    Track.TECHNICAL: "technical",
    Track.BUSINESS: "business",
    Track.EXECUTIVE_APPROVAL: "business",
    Track.SECURITY: "paper",
    Track.LEGAL: "paper",
    Track.PROCUREMENT: "paper",
    Track.SIGNATURE: "paper",
    Track.SUCCESS: "success",
}
CORE_FAMILIES = ("technical", "business", "paper")

TRACK_ALIASES: dict[Track, tuple[str, ...]] = {
    Track.TECHNICAL: (
        "Technical",
        "Tech",
        "Technical evaluation",
        "POC",
        "Pilot",
        "Evaluation",
        "Integration",
    ),
    Track.BUSINESS: ("Business", "Commercial", "Value", "Business case", "Champion"),
    Track.SECURITY: (
        "Security",
        "InfoSec",
        "Security review",
        "Risk",
        "Third-party risk",
        "Compliance",
        "Privacy",
    ),
    Track.LEGAL: ("Legal", "Contract", "Contracting", "Paper", "Paper process"),
    Track.PROCUREMENT: ("Procurement", "Sourcing", "Purchasing", "Vendor registration", "Vendor onboarding"),
    Track.EXECUTIVE_APPROVAL: (
        "Executive approval",
        "Executive",
        "Exec",
        "Approval",
        "Exec approval",
        "Committee",
    ),
    Track.SIGNATURE: ("Signature", "Signing", "Close", "Closing", "Order form"),
    Track.SUCCESS: (
        "Success",
        "Onboarding",
        "Implementation",
        "Rollout",
        "Post-sale",
        "Post signature",
        "Customer success",
        "Adoption",
        "Go-live",
    ),
}

# Words in a step that tell its track when the Track cell is blank; the first
# track whose word is found wins, so the more specific tracks come first.
STEP_TRACK_HINTS: tuple[tuple[Track, tuple[str, ...]], ...] = (
    (
        Track.SIGNATURE,
        ("signature", "sign ", "signed", "countersign", "order form", "po executed", "purchase order"),
    ),
    (
        Track.SECURITY,
        (
            "security",
            "infosec",
            "risk assessment",
            "third-party risk",
            "soc 2",
            "soc2",
            "pen test",
            "dpa",
            "privacy",
        ),
    ),
    (Track.LEGAL, ("legal", "msa", "redline", "contract", "terms", "nda")),
    (Track.PROCUREMENT, ("procurement", "sourcing", "vendor registration", "supplier", "purchasing", "rfp")),
    (Track.EXECUTIVE_APPROVAL, ("committee", "executive", "board", "approval", "sign-off", "steering")),
    (
        Track.SUCCESS,
        (
            "kickoff",
            "kick-off",
            "onboarding",
            "go-live",
            "go live",
            "rollout",
            "implementation",
            "first value",
            "training",
            "launch",
        ),
    ),
    (
        Track.TECHNICAL,
        (
            "poc",
            "pilot",
            "technical",
            "architecture",
            "integration",
            "demo",
            "sandbox",
            "model-risk",
            "trial",
            "test",
        ),
    ),
    (Track.BUSINESS, ("business case", "roi", "value", "budget", "success criteria", "pricing", "proposal")),
)


class Status(StrEnum):
    """A status value of the sheet contract."""

    NOT_STARTED = "Not started"
    IN_PROGRESS = "In progress"
    DONE = "Done"
    BLOCKED = "Blocked"


STATUS_ALIASES: dict[Status, tuple[str, ...]] = {
    Status.NOT_STARTED: ("Not started", "To do", "Todo", "Open", "Planned", "Pending", "New", "Scheduled"),
    Status.IN_PROGRESS: (
        "In progress",
        "Started",
        "Ongoing",
        "WIP",
        "Doing",
        "Underway",
        "Active",
        "On track",
        "At risk",
    ),
    Status.DONE: (
        "Done",
        "Complete",
        "Completed",
        "Finished",
        "Closed",
        "Signed",
        "Delivered",
        "Yes",
        "✓",
        "✔",
        "100%",
    ),
    Status.BLOCKED: ("Blocked", "On hold", "Stuck", "Waiting", "Delayed", "Off track"),
}

TRUE_WORDS = (
    "TRUE",
    "yes",
    "y",
    "x",
    "confirmed",
    "agreed",
    "checked",
    "✓",
    "✔",
    "☑",
    "1",
    "gate",
    "go/no-go",
)
FALSE_WORDS = ("FALSE", "no", "n", "0", "unchecked", "-", "☐")


@cache
def boolean_index() -> dict[str, bool]:
    """Value key → truth, for the words people type into a checkbox column."""
    index = {value_key(word): False for word in FALSE_WORDS}
    index.update({value_key(word): True for word in TRUE_WORDS})
    return index


@cache
def column_index() -> dict[str, Column]:
    """Label key → column, for every alias of every column."""
    return {label_key(alias): column for column, words in COLUMN_ALIASES.items() for alias in words}


@cache
def head_index() -> dict[str, HeadField]:
    """Label key → head field, for every alias of every head label."""
    return {label_key(alias): field for field, words in HEAD_ALIASES.items() for alias in words}


@cache
def track_index() -> dict[str, Track]:
    """Value key → track, for every alias of every track."""
    return {value_key(alias): track for track, words in TRACK_ALIASES.items() for alias in words}


@cache
def status_index() -> dict[str, Status]:
    """Value key → status, for every alias of every status."""
    return {value_key(alias): status for status, words in STATUS_ALIASES.items() for alias in words}
