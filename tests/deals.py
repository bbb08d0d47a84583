"""Deals built by hand, as snapshots: for the pipeline's tests and the sandbox's checks."""

from __future__ import annotations

from datetime import date, timedelta

from mutualplan.plan.history.past import ConfirmedDates
from mutualplan.plan.history.snapshot import Person, RowState, Snapshot
from mutualplan.plan.sheet.model import Side

MONDAY = date(2027, 1, 4)
ANA = Person("Ana Ruiz", "ana@acme.com", Side.CUSTOMER)
BEN = Person("Ben Ode", "ben@acme.com", Side.CUSTOMER)
SAM = Person("Sam Seller", "sam@vendor.io", Side.VENDOR)


def step(
    row_id: str,
    name: str,
    due: date,
    *owners: Person,
    verified: bool = False,
    track: str = "",
    depends_on: tuple[str, ...] = (),
    status: str = "",
) -> RowState:
    """A row due on a day, verified by the customer at that day when asked."""
    record = (
        ConfirmedDates(due, due, "Ana Ruiz <ana@acme.com>", "verified", "ana@acme.com") if verified else None
    )
    return RowState(
        row_id, 10 + int(row_id[1:]), name, track, owners, due, due, status=status, confirmation=record,
        depends_on=depends_on,
    )  # fmt: skip


def weekly_plan() -> Snapshot:
    """Twelve weekly steps owned by two customer people, the first four confirmed; signature in week 13."""
    rows = [
        step(f"M{k}", f"Step {k}", MONDAY + timedelta(weeks=k), ANA if k % 2 else BEN, SAM, verified=k <= 4)
        for k in range(1, 13)
    ]
    signature = MONDAY + timedelta(weeks=13)
    rows.append(step("M13", "Contract signed", signature, ANA, SAM, track="Signature"))
    return Snapshot(rows=tuple(rows), target_signature=signature, go_live=signature + timedelta(weeks=4))


def signed_plan(legal_due: date, *, legal_verified: bool = True, review_verified: bool = True) -> Snapshot:
    """Signature on 5 Apr 2027, depending on a legal review; a customer-internal security review before."""
    signature = date(2027, 4, 5)
    rows = (
        step("M1", "Security review", date(2027, 3, 1), ANA, verified=review_verified),
        step("M2", "Legal review", legal_due, BEN, SAM, verified=legal_verified),
        step(
            "M3",
            "Order form signed",
            signature,
            ANA,
            SAM,
            verified=True,
            track="Signature",
            depends_on=("M2",),
        ),
        step("M4", "Kickoff", date(2027, 4, 19), BEN, SAM),
    )
    return Snapshot(rows=rows, target_signature=signature, go_live=date(2027, 6, 1))
