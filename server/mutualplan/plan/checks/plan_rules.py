"""Plan rules: outcome, go-live and deadline, sign-off, tracks, customer steps, threads, ending, gates,
risks, and two of the three review questions (what must be true three weeks before signature; which
customer-internal step is assumed rather than seen)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import timedelta

from mutualplan.plan.checks.context import Context
from mutualplan.plan.checks.dates import implausible, reading_problem
from mutualplan.plan.checks.findings import Finding, finding
from mutualplan.plan.checks.health import SIGNATURE_LEAD_DAYS
from mutualplan.plan.dates.reading import format_day
from mutualplan.plan.dates.stamp import COMPRESSED
from mutualplan.plan.history.confirmation import Confirmation, confirmation_of
from mutualplan.plan.people.freemail import is_freemail
from mutualplan.plan.sheet.cells import domains
from mutualplan.plan.sheet.model import Side
from mutualplan.plan.sheet.text import quote
from mutualplan.plan.sheet.vocabulary import CORE_FAMILIES, Column, HeadField

# P-SINGLE-THREADED: at least this many customer people own the open steps, none more than this share.
THREADS_WANTED = 3
SINGLE_THREAD_SHARE = 0.5
LISTED = 4  # steps named in one message; the rest are counted
RISKS_WANTED_DAYS = 60  # P-RISKS-MISSING: from this close to the signature, a plan names its risks
# P-ASSUMED-INTERNAL-STEPS: the customer-internal steps a regulated or enterprise deal needs, by kind,
# each a word or phrase of the step ("onboarding" holds no "board"): one search of the casefolded step.
INTERNAL_KINDS = {
    "committee": ("committee", "board", "steering", "readout"),
    "security review": ("security", "infosec", "tprm", "penetration", "third-party risk"),
    "vendor registration": (
        "vendor registration", "supplier registration", "vendor registered", "supplier registered",
        "vendor onboarding", "supplier onboarding", "vendor setup", "supplier setup", "vendor set-up",
        "supplier id", "vendor id",
    ),
    "legal review": ("legal", "redline", "redlines", "msa", "dpa", "contract review"),
}  # fmt: skip
_KINDS = tuple(INTERNAL_KINDS)
_INTERNAL_STEP = re.compile(
    r"\b(?:"
    + "|".join(
        f"(?P<k{index}>{'|'.join(map(re.escape, words))})"
        for index, words in enumerate(INTERNAL_KINDS.values())
    )
    + r")\b"
)


def plan_findings(context: Context) -> Iterator[Finding]:
    """Every plan-level rule."""
    yield from _head_findings(context)
    yield from _coverage_findings(context)
    yield from _threading_findings(context)
    yield from _signature_findings(context)
    yield from _assumed_findings(context)
    yield from _runway_findings(context)
    yield from _risk_findings(context)


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
    freemail = sorted(domain for domain in domains(head.customer_domain) if is_freemail(domain))
    if freemail:
        yield _at_head(
            context,
            "P-CUSTOMER-DOMAIN-FREEMAIL",
            HeadField.CUSTOMER_DOMAIN,
            f"The customer domain {', '.join(freemail)} is a freemail provider's, where anyone can make an "
            "address: nobody there can confirm for the customer — write the customer's own domain",
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
        problem = reading_problem(name.value, reading) or implausible(
            name.value, reading.value, context.today
        )
        if problem:
            row, cell = context.plan.head_cell(name)
            yield finding(problem[0], problem[1], row=row, cell=cell)
    go_live, deadline = head.go_live.value, head.external_deadline.value
    if go_live and deadline and go_live > deadline:
        yield _at_head(
            context,
            "P-GOLIVE-AFTER-DEADLINE",
            HeadField.GO_LIVE,
            f"Go-live {format_day(go_live)} is after the external deadline {format_day(deadline)} it "
            "exists to meet — agree with the customer what runs in parallel to land before it",
        )
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
    if rows and not any(row.is_customer_internal for row in rows):  # done ones count: they were seen
        yield finding(
            "P-CUSTOMER-STEPS-MISSING",
            "Only vendor activities — add the customer's internal steps (approvals, review "
            "boards, committee dates, vendor registration) with their owners",
        )
    if not any(row.gate and row.due.value for row in rows):
        yield finding("P-NO-GATES", "No go/no-go gate with a date — mark the decision points as Gate")
    dated = [row for row in rows if row.due.value]
    last = max(dated, key=lambda row: (row.due.value, row.sheet_row)) if dated else None
    if last is not None and last.is_signature:
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
    """P-SINGLE-THREADED: fewer than three customer people own the open steps, or one owns over half."""
    open_rows = [row for row in context.plan.rows if not row.is_done]
    owned = [
        {party.key: party.label for party in row.owners_on(Side.CUSTOMER) if party.is_person}
        for row in open_rows
    ]
    customer_rows = [owners for owners in owned if owners]
    if not open_rows:
        return
    counts = Counter(key for owners in customer_rows for key in owners)
    advice = "bring in the champion, committee presenter, security owner, sourcing lead and economic buyer"
    if len(counts) < THREADS_WANTED:
        people = len(counts)
        yield finding(
            "P-SINGLE-THREADED",
            f"{people} customer {'person owns' if people == 1 else 'people own'} the open steps — {advice}",
        )
        return
    key, most = counts.most_common(1)[0]
    if most / len(customer_rows) > SINGLE_THREAD_SHARE:
        label = next(owners[key] for owners in customer_rows if key in owners)
        yield finding(
            "P-SINGLE-THREADED", f"{label} owns {most} of {len(customer_rows)} customer steps — {advice}"
        )


def _signature_findings(context: Context) -> Iterator[Finding]:
    """P-SIGNATURE-MISMATCH and P-SIGNATURE-AT-RISK, from the head's target signature."""
    plan, today = context.plan, context.today
    signature = plan.target_signature
    if signature is None:
        return
    signing = [row for row in plan.rows if row.is_signature and row.due.value]
    if signing:
        row = max(signing, key=lambda item: (item.due.value or signature, item.sheet_row))
        due = row.due.value
        if due and due != signature:
            yield context.at(
                "P-SIGNATURE-MISMATCH",
                row,
                Column.DUE,
                f"The signature step is due {format_day(due)} but the head says the target signature is "
                f"{format_day(signature)} — make them one date",
            )
    lead = signature - timedelta(days=SIGNATURE_LEAD_DAYS)
    at_risk = [
        (row, "overdue" if due < today else "not confirmed")
        for row in plan.rows
        if not row.is_done and not row.is_signature and (due := row.due.value) and lead <= due <= signature
        if due < today or confirmation_of(row, plan, context.history) is not Confirmation.CONFIRMED
    ]
    if at_risk:
        yield finding(
            "P-SIGNATURE-AT-RISK",
            f"If signature is on {format_day(signature)}, these must be true by then and are not: "
            + _listed(f"{quote(row.step)} ({why})" for row, why in at_risk),
        )


def _assumed_findings(context: Context) -> Iterator[Finding]:
    """P-ASSUMED-INTERNAL-STEPS: the customer-internal steps the customer has not confirmed."""
    plan = context.plan
    assumed = [
        f"{kind}: {quote(row.step)}"
        for row in plan.rows
        if not row.is_done and Side.CUSTOMER in row.owner_sides and (kind := _internal_kind(row.step))
        if confirmation_of(row, plan, context.history) is not Confirmation.CONFIRMED
    ]
    if assumed:
        yield finding(
            "P-ASSUMED-INTERNAL-STEPS",
            "Assumed rather than seen — the customer has not confirmed "
            + _listed(assumed)
            + "; ask who owns each inside the customer and when it really happens",
        )


_RUNWAY = re.compile(re.escape(COMPRESSED) + r" \(runway short by (\d+) days\)")


def _runway_findings(context: Context) -> Iterator[Finding]:
    """P-RUNWAY-SHORT: a plan stamped mid-deal, its open compressed steps (their Notes say so)."""
    compressed = [
        (row, int(found.group(1)))
        for row in context.plan.rows
        if COMPRESSED in row.notes and not row.is_done and (found := _RUNWAY.search(row.notes))
    ]
    if compressed:
        short_by = max(days for _, days in compressed)
        yield finding(
            "P-RUNWAY-SHORT",
            f"The go-live is {short_by} days closer than this plan needs; compressed: "
            + _listed(quote(row.step) for row, _ in compressed)
            + " — agree with the customer what runs in parallel, or a new go-live they commit to; "
            "never move the go-live alone",
        )


def _risk_findings(context: Context) -> Iterator[Finding]:
    """P-RISKS-MISSING: signature is near and the Risks tab names no risk."""
    signature, today = context.plan.target_signature, context.today
    if (
        context.plan.risks
        or signature is None
        or not today <= signature <= today + timedelta(days=RISKS_WANTED_DAYS)
    ):
        return
    yield finding(
        "P-RISKS-MISSING",
        f"Signature is {format_day(signature)} and the plan lists no risks — name them on the Risks tab "
        "with an owner, a mitigation and a date (a security queue, procurement onboarding, a holiday "
        "freeze, a reorganisation)",
    )


def _internal_kind(step: str) -> str | None:
    """Which customer-internal step a step is, by its words; None for any other."""
    found = _INTERNAL_STEP.search(step.casefold())
    return _KINDS[int(found.lastgroup[1:])] if found and found.lastgroup else None


def _listed(items: Iterable[str]) -> str:
    """Some names, the rest counted: "A; B; C; D and 3 more"."""
    names = list(items)
    shown = "; ".join(names[:LISTED])
    return shown + (f" and {len(names) - LISTED} more" if len(names) > LISTED else "")
