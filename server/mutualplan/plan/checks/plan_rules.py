"""Plan rules: outcome, go-live, sign-off, tracks, customer steps, threads, ending, gates."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from mutualplan.plan.checks.context import Context
from mutualplan.plan.checks.dates import reading_problem
from mutualplan.plan.findings import Finding, finding
from mutualplan.plan.model import Side
from mutualplan.plan.vocabulary import CORE_FAMILIES, HeadField, Track

# P-SINGLE-THREADED: from this many customer rows, one person owning this share is a warning.
SINGLE_THREAD_MIN_ROWS = 3
SINGLE_THREAD_SHARE = 0.8


def plan_findings(context: Context) -> Iterator[Finding]:
    """Every plan-level rule."""
    yield from _head_findings(context)
    yield from _coverage_findings(context)
    yield from _threading_findings(context)


def _at_head(context: Context, code: str, name: HeadField, message: str) -> Finding:
    row, cell = context.plan.head_cell(name)
    return finding(code, message, row=row, cell=cell)


def _head_findings(context: Context) -> Iterator[Finding]:
    head = context.plan.head
    if not head.outcome:
        yield _at_head(
            context,
            "P-OUTCOME-MISSING",
            HeadField.OUTCOME,
            "No outcome statement — write the business result the customer is buying, in their words",
        )
    if head.go_live.is_blank:
        yield _at_head(
            context,
            "P-GOLIVE-MISSING",
            HeadField.GO_LIVE,
            "No customer go-live date — add it to the head (Go-live) and plan backward from it",
        )
    dates = (
        (HeadField.GO_LIVE, head.go_live),
        (HeadField.EXTERNAL_DEADLINE, head.external_deadline),
        (HeadField.TARGET_SIGNATURE, head.target_signature),
        (HeadField.SIGNED_OFF_ON, head.signed_off_on),
    )
    for name, reading in dates:
        problem = reading_problem(name.value, reading)
        if problem:
            row, cell = context.plan.head_cell(name)
            yield finding(problem[0], problem[1], row=row, cell=cell)
    signers = [party for party in head.signed_off_by if party.is_person]
    if not signers or head.signed_off_on.value is None:
        missing = "who signed it off" if not signers else "the sign-off date"
        yield _at_head(
            context,
            "P-SIGNOFF-MISSING",
            HeadField.SIGNED_OFF_BY,
            f"No buyer-side sign-off ({missing}) — get the plan accepted in writing by the customer",
        )


def _coverage_findings(context: Context) -> Iterator[Finding]:
    rows = context.plan.rows
    covered = {row.track.family for row in rows if row.track}
    for family in CORE_FAMILIES:
        if family not in covered:
            yield finding(
                "P-TRACK-MISSING",
                f"No {family} step — " + _TRACK_ADVICE[family],
            )
    if rows and not any(row.is_customer_internal for row in rows):
        yield finding(
            "P-CUSTOMER-STEPS-MISSING",
            "Only vendor activities — add the customer's internal steps (approvals, review "
            "boards, committee dates, vendor registration) with their owners",
        )
    if not any(row.gate and row.due.value for row in rows):
        yield finding("P-NO-GATES", "No go/no-go gate with a date — mark the decision points as Gate")
    dated = [row for row in rows if row.due.value]
    last = max(dated, key=lambda row: (row.due.value, row.sheet_row)) if dated else None
    if last is not None and last.track is Track.SIGNATURE:
        yield finding(
            "P-ENDS-AT-SIGNATURE",
            "The plan ends at the signature — add onboarding, implementation and first value",
            row=last.sheet_row,
        )


_TRACK_ADVICE = {
    "technical": "add the technical evaluation (success criteria, POC, architecture review)",
    "business": "add the business case and executive approval steps",
    "paper": "add security, legal and procurement steps; paper is the commonest late surprise",
}


def _threading_findings(context: Context) -> Iterator[Finding]:
    owners_per_row = [
        {party.key: party.label for party in row.owners_on(Side.CUSTOMER) if party.is_person}
        for row in context.plan.rows
    ]
    customer_rows = [owners for owners in owners_per_row if owners]
    if len(customer_rows) < SINGLE_THREAD_MIN_ROWS:
        return
    counts = Counter(key for owners in customer_rows for key in owners)
    key, owned = counts.most_common(1)[0]
    if owned / len(customer_rows) >= SINGLE_THREAD_SHARE:
        label = next(owners[key] for owners in customer_rows if key in owners)
        yield finding(
            "P-SINGLE-THREADED",
            f"{label} owns {owned} of {len(customer_rows)} customer rows — bring in the economic "
            "buyer, security owner, sourcing lead and committee presenter as owners",
        )
