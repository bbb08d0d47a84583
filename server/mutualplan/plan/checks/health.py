"""Deal-health figures: the confirmation rate and the plan's shape, on a given day."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta

from mutualplan.plan.history.confirmation import Confirmation, confirmation_of
from mutualplan.plan.history.past import History
from mutualplan.plan.sheet.model import Plan, Side

WINDOW_DAYS = 30
SIGNATURE_LEAD_DAYS = 21  # "if signature is on D, what must be true three weeks before, and is it"
BASIS_SHEET, BASIS_VERIFIED = "sheet", "verified"


@dataclass(frozen=True, slots=True)
class SlipSummary:
    """Dates moved later: how often, and by how far."""

    count: int
    total_days: int
    longest_days: int


@dataclass(frozen=True, slots=True)
class Health:
    """The figures a seller reviews on every call."""

    confirmation_rate_30d: float | None
    dates_next_30d: int
    confirmed_next_30d: int
    claimed_next_30d: int  # ticked in the sheet for a customer person who has not verified yet
    confirmation_basis: (
        str  # "verified" for a plan the server follows; "sheet" for a file, which has no one to ask
    )
    distinct_customer_owners: int
    tracks: tuple[str, ...]
    customer_internal_steps: int
    rows_with_evidence: int
    overdue_open: int
    slips: SlipSummary | None
    days_to_signature: int | None
    days_to_go_live: int | None
    runway_days: int | None

    def as_dict(self) -> dict[str, object]:
        """The figures as the JSON report shows them."""
        figures = asdict(self)
        figures["tracks"] = list(self.tracks)
        return figures


def measure(plan: Plan, today: date, history: History | None = None) -> Health:
    """The plan's health on a day; slips are known only when history is given."""
    window_end = today + timedelta(days=WINDOW_DAYS)
    upcoming = [
        row for row in plan.rows if not row.is_done and row.due.value and today <= row.due.value <= window_end
    ]
    states = [confirmation_of(row, plan, history) for row in upcoming]
    confirmed = states.count(Confirmation.CONFIRMED)
    customer_owners = {
        party.key for row in plan.rows for party in row.owners_on(Side.CUSTOMER) if party.is_person
    }
    go_live, signature = plan.go_live, plan.target_signature
    return Health(
        confirmation_rate_30d=round(confirmed / len(upcoming), 3) if upcoming else None,
        dates_next_30d=len(upcoming),
        confirmed_next_30d=confirmed,
        claimed_next_30d=states.count(Confirmation.CLAIMED),
        confirmation_basis=BASIS_SHEET if history is None else BASIS_VERIFIED,
        distinct_customer_owners=len(customer_owners),
        tracks=tuple(sorted({row.track.family for row in plan.rows if row.track})),
        customer_internal_steps=sum(1 for row in plan.rows if row.is_customer_internal),
        rows_with_evidence=sum(1 for row in plan.rows if row.evidence or row.evidence_link),
        overdue_open=sum(
            1 for row in plan.rows if row.due.value and row.due.value < today and not row.is_done
        ),
        slips=_slips(history, today),
        days_to_signature=(signature - today).days if signature else None,
        days_to_go_live=(go_live - today).days if go_live else None,
        runway_days=(go_live - signature).days if go_live and signature else None,
    )


def _slips(history: History | None, today: date) -> SlipSummary | None:
    if history is None:
        return None
    days = [slip.days for slip in history.slips if slip.days > 0 and slip.counts(today)]
    return SlipSummary(len(days), sum(days), max(days, default=0))
