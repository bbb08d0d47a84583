"""The customer domain is pinned by the first verification (BAD_INPUTS 44): a seller who makes a domain
they control the customer's is seen, and nothing they confirm from it counts unseen."""

from __future__ import annotations

from dataclasses import dataclass

from mutualplan.plan.history.diff import Diff, diff
from mutualplan.plan.history.events import EventKind
from mutualplan.plan.history.past import Slip
from mutualplan.plan.history.snapshot import Snapshot
from mutualplan.plan.reminders.digest import digest_lines
from mutualplan.plan.sheet.parse import parse
from tests.support import HEAD, TODAY, Row, confirmers_ticked, healthy_rows, sheet

MOVED = "The customer domain changed from acme.com to evil.example after people at acme.com had verified"


@dataclass(frozen=True)
class Digest:
    """A plan as the digest reads it."""

    snapshot: Snapshot
    slips: tuple[Slip, ...] = ()


def synced(base: Snapshot | None, rows: list[Row], customer_domain: str = "acme.com") -> Diff:
    plan = parse(sheet(rows, {**HEAD, "Customer domain": customer_domain})).plan
    return diff(base, plan, confirmers_ticked(plan), TODAY)


def counted(snapshot: Snapshot) -> list[str]:
    return [row.id for row in snapshot.rows if row.verified]


def test_the_first_verification_pins_the_customer_domain() -> None:
    unconfirmed: list[Row] = [{**row, "Customer confirmed": False} for row in healthy_rows()]
    assert synced(None, unconfirmed).snapshot.pinned == frozenset()  # nobody verified: nothing pinned
    assert synced(None, healthy_rows()).snapshot.pinned == {"acme.com"}


def test_moving_the_customer_domain_after_verifying_is_recorded_once_flagged_and_stops_counting() -> None:
    first = synced(None, healthy_rows()).snapshot
    assert len(counted(first)) == 6
    moved = synced(first, healthy_rows(), "evil.example")
    (event,) = [item for item in moved.events if item.kind is EventKind.CUSTOMER_DOMAIN_MOVED]
    assert (event.old, event.new) == ("acme.com", "evil.example")
    assert event.note == "confirmations from acme.com stop counting until someone at evil.example verifies"
    assert counted(moved.snapshot) == []
    assert all(row.suspended is not None for row in moved.snapshot.rows)
    assert moved.snapshot.domain_moved.startswith(MOVED)
    digest = list(digest_lines(Digest(moved.snapshot), TODAY, []))
    assert digest[0].startswith(f"⚠ {MOVED}")
    again = synced(moved.snapshot, healthy_rows(), "evil.example")
    assert [item.kind for item in again.events if item.kind is EventKind.CUSTOMER_DOMAIN_MOVED] == []
    assert counted(again.snapshot) == []  # still suspended, still flagged
    assert again.snapshot.domain_moved


def test_a_verification_at_the_new_domain_pins_it_and_the_old_confirmations_count_again() -> None:
    first = synced(None, healthy_rows()).snapshot
    moved = synced(first, healthy_rows(), "evil.example").snapshot
    rows = healthy_rows()
    eve = "Eve Kaye <eve@evil.example>"
    rows[1] = {**rows[1], "Customer owner": eve, "Confirmed by": eve}
    verified = synced(moved, rows, "evil.example").snapshot
    assert verified.pinned == {"evil.example"}
    assert verified.domain_moved == ""
    assert "S2" in counted(verified)
    assert len(counted(verified)) == 6  # the suspended acme.com confirmations whose dates stand count again


def test_a_snapshot_keeps_its_pin_and_suspended_confirmations() -> None:
    moved = synced(synced(None, healthy_rows()).snapshot, healthy_rows(), "evil.example").snapshot
    assert Snapshot.from_json(moved.to_json()) == moved
