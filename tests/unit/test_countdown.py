"""The weekly countdown the planner writes to the seller and the champion: its figures, its words for a
buyer, and once in seven days."""

from __future__ import annotations

from datetime import date, timedelta

from mutualplan.plan.history.past import Slip
from mutualplan.plan.reminders.planner import ReminderKind
from tests.reminding import COUNTDOWN_ONLY, SELLER, remind
from tests.support import healthy_rows


def test_the_weekly_digest_goes_to_the_seller_and_the_champion_with_the_countdown() -> None:
    rows = healthy_rows()
    rows[4]["Customer confirmed"] = False
    slips = (Slip("S2", date(2026, 11, 30), date(2026, 12, 4)),)
    sent, _ = remind(date(2026, 11, 23), rows, COUNTDOWN_ONLY, slips=slips)
    assert [(item.kind, item.to.email) for item in sent] == [
        (ReminderKind.DIGEST, "sam@vendor.io"),
        (ReminderKind.DIGEST, "jane@acme.com"),
    ]
    text = "\n".join(sent[0].lines)
    assert "Signature: 15 Dec 2026, in 22 days" in text
    assert "Go-live: 2 Feb 2027, in 71 days" in text
    assert "This week:\n• 27 Nov 2026: POC success criteria agreed" in text
    assert "• S2: 30 Nov 2026 → 4 Dec 2026 (+4 days)" in text
    assert "Confirmed by the customer, next 30 days: 80% (4 of 5)" in text
    assert "Unconfirmed: 15 Dec 2026: Order form and PO executed" in text
    assert "Single-threaded" not in text
    assert "No open steps are due" not in text
    later, _ = remind(date(2027, 3, 10), rows, COUNTDOWN_ONLY)
    assert "No open steps are due in the next 30 days." in "\n".join(later[0].lines)


def test_the_digest_warns_when_one_customer_name_owns_every_customer_step() -> None:
    rows = healthy_rows()
    for row in rows:
        row["Customer owner"] = "Jane Doe <jane@acme.com>"
        row["Confirmed by"] = "Jane Doe <jane@acme.com>"
    sent, _ = remind(date(2026, 11, 23), rows, COUNTDOWN_ONLY)
    assert "Single-threaded" in "\n".join(sent[0].lines)


def test_the_digest_says_what_must_be_true_three_weeks_before_signature_and_is_not() -> None:
    rows = healthy_rows()
    rows[3]["Customer confirmed"] = False  # MSA redlines, due 10 Dec: five days before the signature
    rows[4]["Customer confirmed"] = False  # the signature itself is not listed
    slipped = (Slip("S2", date(2026, 11, 30), date(304, 12, 4)),)  # a typo, never a slip
    sent, _ = remind(date(2026, 11, 23), rows, COUNTDOWN_ONLY, slips=slipped)
    text = "\n".join(sent[0].lines)
    assert (
        "If signature is on 15 Dec 2026, these must be true by then and are not:\n"
        "• 10 Dec 2026: MSA redlines returned (not confirmed)\n"
    ) in text
    assert "Order form and PO executed (not confirmed)" not in text
    assert "Slipped so far" not in text
    healthy, _ = remind(date(2026, 11, 23), healthy_rows(), COUNTDOWN_ONLY)
    assert "If signature is on" not in "\n".join(healthy[0].lines)


def test_the_digest_lists_the_open_risks_past_their_date_or_due_within_two_weeks() -> None:
    risks = (
        (
            "Security queue runs long",
            "Grace Chen",
            "Questionnaire sent early",
            "2026-11-20",
            "Open",
        ),
        ("Year-end change freeze", "Jane Doe", "Cut-over booked outside it", "2026-12-04", ""),
        ("Budget reorganisation", "Omar Haddad", "", "2026-12-08", "Open"),  # 15 days out: not yet
        ("Procurement onboarding", "Luis Ortega", "Started early", "2026-11-25", "Mitigated"),
        ("Typed year", "Jane Doe", "Fix the year", "0304-11-25", "Open"),  # a typo, never raised
    )
    sent, _ = remind(date(2026, 11, 23), settings=COUNTDOWN_ONLY, risks=risks)
    text = "\n".join(sent[0].lines)
    assert (
        "Risks to act on:\n"
        "• 20 Nov 2026 (past its date): Security queue runs long — Grace Chen: Questionnaire sent early\n"
        "• 4 Dec 2026: Year-end change freeze — Jane Doe: Cut-over booked outside it\n"
    ) in text
    assert "Budget reorganisation" not in text
    assert "Procurement onboarding" not in text
    assert "Typed year" not in text
    quiet, _ = remind(date(2026, 11, 23), settings=COUNTDOWN_ONLY, risks=())
    assert "Risks to act on" not in "\n".join(quiet[0].lines)


def test_one_countdown_goes_out_per_seven_days_whatever_day_the_job_first_ran() -> None:
    settings = COUNTDOWN_ONLY
    sunday = date(2026, 12, 6)
    first, _ = remind(sunday, settings=settings)
    assert [item.kind for item in first] == [ReminderKind.DIGEST, ReminderKind.DIGEST]
    claimed = {item.key: "sent" for item in first}
    for days in range(1, 7):  # Monday is a new ISO week: still no second countdown
        again, skipped = remind(sunday + timedelta(days=days), settings=settings, claimed=claimed)
        assert again == []
        assert {item.why for item in skipped} == {"already sent"}
    week_on, _ = remind(sunday + timedelta(days=7), settings=settings, claimed=claimed)
    assert [item.kind for item in week_on] == [ReminderKind.DIGEST, ReminderKind.DIGEST]


def test_a_countdown_sent_under_an_iso_week_key_still_counts_for_that_week() -> None:
    settings = COUNTDOWN_ONLY
    claimed = {f"plan-1|-|digest|{SELLER.casefold()}|-|2026-W49": "sent"}  # the week of Monday 30 Nov
    midweek, _ = remind(date(2026, 12, 3), settings=settings, claimed=claimed)
    assert [item.to.email for item in midweek] == ["jane@acme.com"]


def test_the_buyers_countdown_puts_their_own_steps_first_and_carries_no_seller_figures() -> None:
    rows = healthy_rows()
    rows[4]["Customer confirmed"] = False
    slips = (Slip("S2", date(2026, 11, 30), date(2026, 12, 4)),)
    sent, _ = remind(date(2026, 11, 23), rows, COUNTDOWN_ONLY, slips=slips)
    seller, champion = sent
    assert (seller.to.name, champion.to.name) == ("Sam Lee", "Jane Doe")  # greeted by name, both
    theirs = "\n".join(champion.lines)
    assert "Your steps in the next 30 days:\n• 27 Nov 2026: POC success criteria agreed" in theirs
    assert "Go-live: 2 Feb 2027, in 71 days" in theirs
    for figure in ("Confirmed by the customer, next 30 days", "Slipped so far", "Single-threaded", "%"):
        assert figure not in theirs
    assert "Not yet confirmed by your side" in theirs
    assert "Confirmed by the customer, next 30 days: 80% (4 of 5)" in "\n".join(seller.lines)
