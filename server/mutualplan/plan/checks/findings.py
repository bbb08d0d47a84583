"""Findings and the rules that raise them, declared once as data."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple


class Severity(StrEnum):
    """How much a finding matters: an error blocks a clean plan."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for errors, 1 for warnings, 2 for information: for sorting."""
        return _RANKS[self]


_RANKS = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule of MAP_METHOD.md (or of reading a sheet) and what it asks for."""

    code: str
    severity: Severity
    summary: str


class Finding(NamedTuple):  # a NamedTuple: a big plan makes thousands
    """One thing validation found: a rule broken at a row or cell of the sheet."""

    code: str
    severity: Severity
    message: str
    row: int | None = None
    cell: str | None = None
    step: str | None = None

    def as_dict(self) -> dict[str, str | int | None]:
        """The finding as the JSON report shows it."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "row": self.row,
            "cell": self.cell,
            "step": self.step,
            "message": self.message,
        }


ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        Rule("R-OWNER-MISSING", ERROR, "Every row has an owner."),
        Rule(
            "R-OWNER-PLACEHOLDER",
            ERROR,
            "A role placeholder ('[Champion]') is named as a person within 30 days of the due date "
            "(information before then).",
        ),
        Rule(
            "R-OWNER-NOT-A-PERSON",
            ERROR,
            "An owner is a named person, not a team, role, company or placeholder (from evidence — an email or "
            "chip — then the words' shape; an unknown shape is a warning).",
        ),
        Rule(
            "R-OWNER-NO-EMAIL",
            INFO,
            "An owner's email is somewhere in the plan (the cell, another row, the Stakeholders tab).",
        ),
        Rule(
            "R-OWNER-ONE-SIDED",
            WARNING,
            "Rows where the customer acts too (paper, approvals, gates) name an owner on each side.",
        ),
        Rule(
            "R-OWNER-WRONG-SIDE",
            WARNING,
            "An owner's email domain belongs to the side of the column they stand in.",
        ),
        Rule(
            "R-CUSTOMER-OUTSIDE",
            WARNING,
            "A customer owner's address is at the customer's own domain: one elsewhere (or at a freemail "
            "provider) is named and reminded, but is sent no confirmation link and never counts.",
        ),
        Rule(
            "R-ADDRESS-LOOKALIKE",
            ERROR,
            "No address mixes scripts or is confusable (Unicode TR 39) with another person's address or "
            "the customer's domain: such an address is refused everywhere.",
        ),
        Rule("R-DATE-MISSING", ERROR, "Every row has a due date."),
        Rule("R-DATE-UNREADABLE", ERROR, "A date can be read as a date."),
        Rule(
            "R-DATE-AMBIGUOUS",
            ERROR,
            "A date reads one way only (03/04 needs the sheet's locale: `--locale`, or the Google Sheet's own).",
        ),
        Rule("R-DATE-NO-YEAR", INFO, "A date without a year takes the year nearest the go-live."),
        Rule(
            "R-DATE-FORMULA",
            WARNING,
            "A date is typed, not computed: a formula is not a date anyone confirmed.",
        ),
        Rule("R-DATE-ORDER", ERROR, "Start is not after due."),
        Rule(
            "R-DATE-IMPLAUSIBLE",
            ERROR,
            "A date is after 2000 and within five years of today: anything else is a typo, not a slip.",
        ),
        Rule(
            "R-DATE-AFTER-GOLIVE",
            WARNING,
            "Only post-go-live success steps land after the customer's go-live.",
        ),
        Rule(
            "R-DATE-PAST-OPEN",
            WARNING,
            "A past due date on an open step is a slip to discuss, never silently rolled.",
        ),
        Rule("R-DEPENDENCY", WARNING, "A step does not start before what it depends on is due."),
        Rule(
            "R-DEPENDENCY-UNKNOWN", WARNING, "Depends on names a step, ID or row that exists, without cycles."
        ),
        Rule("R-EVIDENCE-MISSING", WARNING, "Every milestone names its exit evidence."),
        Rule("R-EVIDENCE-DONE-WITHOUT", WARNING, "A step marked done has its evidence recorded."),
        Rule("R-UNCONFIRMED", WARNING, "The customer has confirmed this row's dates, in writing."),
        Rule("R-CONFIRMATION-STALE", WARNING, "The dates have not moved since the customer confirmed them."),
        Rule("R-TRACK-UNKNOWN", WARNING, "Track is one of the plan's tracks."),
        Rule("R-STATUS-UNKNOWN", WARNING, "Status is Not started, In progress, Done or Blocked."),
        Rule("R-STEP-MISSING", WARNING, "A row with content names its step."),
        Rule("R-CELL-MERGED", WARNING, "Plan cells are not merged across rows."),
        Rule("P-OUTCOME-MISSING", WARNING, "The outcome statement says what the customer is buying."),
        Rule(
            "P-CUSTOMER-DOMAIN-FREEMAIL",
            ERROR,
            "The customer domain is the customer's own, not a freemail provider's (nobody there can confirm).",
        ),
        Rule("P-GOLIVE-MISSING", ERROR, "The plan has a customer go-live date to plan backward from."),
        Rule("P-SIGNOFF-MISSING", WARNING, "A buyer-side person signed the plan off, with a date."),
        Rule("P-TRACK-MISSING", WARNING, "Technical, business and paper tracks each have a row."),
        Rule("P-CUSTOMER-STEPS-MISSING", WARNING, "The customer's internal steps are rows of the plan."),
        Rule(
            "P-SINGLE-THREADED",
            WARNING,
            "At least three customer people own the open steps, and none owns more than half of them.",
        ),
        Rule("P-ENDS-AT-SIGNATURE", WARNING, "The plan goes past signature to onboarding and first value."),
        Rule("P-NO-GATES", WARNING, "The plan has a dated go/no-go gate."),
        Rule(
            "P-RUNWAY-SHORT",
            WARNING,
            "The go-live leaves the runway this kind of plan needs; if not, agree with the customer what "
            "runs in parallel or a new go-live — never move it alone.",
        ),
        Rule(
            "P-GOLIVE-AFTER-DEADLINE", ERROR, "The go-live is before the external deadline it exists to meet."
        ),
        Rule(
            "P-SIGNATURE-MISMATCH",
            WARNING,
            "The head's target signature is the due date of the signature step.",
        ),
        Rule(
            "P-SIGNATURE-AT-RISK",
            WARNING,
            "The open steps due in the 21 days before the target signature are confirmed and not overdue.",
        ),
        Rule(
            "P-ASSUMED-INTERNAL-STEPS",
            WARNING,
            "The customer's internal steps (committee, security review, vendor registration, legal review) "
            "are confirmed by the customer, not assumed.",
        ),
        Rule(
            "P-RISKS-MISSING",
            WARNING,
            "Within 60 days of signature, the plan lists its risks, each with an owner, a mitigation and a date.",
        ),
        Rule(
            "P-CRM-CLOSE-UNSUPPORTED",
            WARNING,
            "The CRM's close date is not before the plan's target signature, and a Commit forecast rests on "
            "a signature the customer's verified dates support.",
        ),
        Rule("S-HEADER-DUPLICATE", WARNING, "Each plan column appears once in the header row."),
        Rule("S-HEADER-REPEATED", INFO, "The header row is not repeated inside the table."),
        Rule("S-ROW-SKIPPED", INFO, "Totals and notes rows below the plan are not steps."),
    )
}


def finding(
    code: str,
    message: str,
    *,
    row: int | None = None,
    cell: str | None = None,
    step: str | None = None,
    severity: Severity | None = None,
) -> Finding:
    """A finding of a declared rule, with the rule's severity (or a milder one the rule allows)."""
    return Finding(code, severity or RULES[code].severity, message, row, cell, step)


def sort_key(item: Finding) -> tuple[int, int, str, str]:
    """Plan-wide findings first, then by sheet row, severity and code."""
    return (item.row or 0, item.severity.rank, item.code, item.cell or "")
