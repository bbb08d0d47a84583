"""Reminder planning with a fixed today: every kind and rule."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from mutualplan.plan.checks.review import review
from mutualplan.plan.history.diff import Editors, diff
from mutualplan.plan.reminders.planner import PlanToRemind, ReminderKind, name_of, plan_reminders
from mutualplan.plan.reminders.settings import ReminderSettings
from mutualplan.plan.sheet.parse import parse
from mutualplan.plan.sheet.vocabulary import Column
from tests.reminding import NO_WEEKLY, S1_DUE, SELLER, STAKEHOLDERS, remind, row_sent, snapshot_of
from tests.support import healthy_rows, risks_sheet, sheet


def test_owners_on_both_sides_hear_days_ahead_of_a_confirmed_due_date() -> None:
    found = remind(S1_DUE - timedelta(days=3), settings=NO_WEEKLY)
    assert row_sent(found) == [
        (ReminderKind.UPCOMING, "jane@acme.com"),
        (ReminderKind.UPCOMING, "sam@vendor.io"),
    ]
    reminder = found[0][0]
    assert reminder.subject == "Acme: due in 3 days — POC success criteria agreed"
    assert reminder.key == "plan-1|S1|upcoming|jane@acme.com|2026-11-27|upcoming"
    assert "Signed criteria document" in "\n".join(reminder.lines)


def test_nothing_before_the_days_ahead_and_the_setting_moves_it() -> None:
    assert row_sent(remind(S1_DUE - timedelta(days=4), settings=NO_WEEKLY)) == []
    five = ReminderSettings(days_ahead=5, champion=False, digest=False)
    assert len(row_sent(remind(S1_DUE - timedelta(days=5), settings=five))) == 2


def test_on_the_day_it_is_due() -> None:
    found = remind(S1_DUE, settings=NO_WEEKLY)
    assert {kind for kind, _ in row_sent(found)} == {ReminderKind.DUE}
    assert found[0][0].subject == "Acme: due today — POC success criteria agreed"


@pytest.mark.parametrize(
    ("late", "period", "to"),
    [
        (1, "overdue-1", {"jane@acme.com", "sam@vendor.io"}),
        (4, "overdue-2", {"jane@acme.com", "sam@vendor.io"}),
        (7, "overdue-3", {"jane@acme.com", "sam@vendor.io"}),
        (10, "overdue-4", {"sam@vendor.io"}),  # after three rounds, the seller alone
        (13, "overdue-5", {"sam@vendor.io"}),
    ],
)
def test_overdue_comes_every_three_days_three_times_to_owners_then_to_the_seller(
    late: int, period: str, to: set[str]
) -> None:
    found = remind(S1_DUE + timedelta(days=late), settings=NO_WEEKLY)
    s1 = [item for item in found[0] if item.row == "S1"]
    assert {item.period for item in s1} == {period}
    assert {item.to.email for item in s1} == to
    assert "don't roll it silently" in "\n".join(s1[0].lines)


def test_a_missed_day_still_sends_the_round_once_and_never_twice() -> None:
    day_five = S1_DUE + timedelta(days=5)
    (first, *_), _ = remind(day_five, settings=NO_WEEKLY)
    assert first.period == "overdue-2"
    claimed = dict.fromkeys((item.key for item in remind(day_five, settings=NO_WEEKLY)[0]), "sent")
    sent, skipped = remind(day_five, settings=NO_WEEKLY, claimed=claimed)
    assert sent == []
    assert {item.why for item in skipped} == {"already sent"}


def test_customer_owners_hear_only_about_dates_they_confirmed() -> None:
    rows = healthy_rows()
    rows[0]["Customer confirmed"], rows[0]["Confirmed by"] = False, None
    found = remind(S1_DUE, rows, NO_WEEKLY)
    assert row_sent(found) == [(ReminderKind.DUE, "sam@vendor.io")]
    assert ("jane@acme.com", "a customer-side owner who has not verifiably confirmed these dates") in {
        (item.to, item.why) for item in found[1]
    }


def claimed_plan(today: date) -> PlanToRemind:
    """Healthy rows whose ticks were made in a Google Sheet: each is a claim, not a confirmation."""
    plan = replace(parse(sheet(healthy_rows())).plan, stakeholders=STAKEHOLDERS)
    snapshot = diff(None, plan, Editors(last=SELLER)).snapshot
    return PlanToRemind("plan-1", "Acme", SELLER, snapshot, ReminderSettings(champion=False, digest=False))


def test_a_claimed_date_is_not_reminded_to_the_customer_owner_as_if_confirmed() -> None:
    sent, skipped = plan_reminders(claimed_plan(S1_DUE), S1_DUE, {}, frozenset())
    assert (ReminderKind.DUE, "jane@acme.com") not in [(item.kind, item.to.email) for item in sent]
    assert ("jane@acme.com", "S1") in {(item.to, item.row) for item in skipped}


def test_each_person_a_sheet_claims_confirmed_is_asked_once_to_verify_their_claims() -> None:
    today = date(2026, 11, 23)
    sent, _ = plan_reminders(claimed_plan(today), today, {}, frozenset())
    asked = {item.to.email: item for item in sent if item.kind is ReminderKind.VERIFY_REQUEST}
    assert set(asked) == {
        "jane@acme.com",
        "omar@acme.com",
        "grace@acme.com",
        "luis@acme.com",
        "sara@acme.com",
    }
    jane = asked["jane@acme.com"]
    assert jane.subject == "Acme: did you confirm 2 dates?"
    assert "• S1 POC success criteria agreed, due 27 Nov 2026" in jane.lines
    assert jane.kind.carries_link
    again, skipped = plan_reminders(
        claimed_plan(today), today + timedelta(days=1), {jane.key: "sent"}, frozenset()
    )
    assert jane.key not in {item.key for item in again}
    assert (ReminderKind.VERIFY_REQUEST, "jane@acme.com", "already sent") in {
        (item.kind, item.to, item.why) for item in skipped
    }


def test_done_rows_placeholders_bad_addresses_and_unsubscribed_people_get_nothing() -> None:
    rows = healthy_rows()
    rows[0]["Status"] = "Done"
    rows[2]["Customer owner"], rows[2]["Vendor owner"] = "[Champion]", "Noor Aziz"  # no email anywhere
    found = remind(date(2026, 12, 4), rows, NO_WEEKLY, unsubscribed=frozenset({"omar@acme.com"}))
    assert row_sent(found) == []
    assert row_sent(found, "S3") == []
    whys = {(item.row, item.why) for item in found[1]}
    assert ("S3", "not a person: name someone in the plan") in whys
    assert ("S3", "no email address for this owner in the plan") in whys
    assert ("S2", "unsubscribed") in whys


def test_addresses_that_differ_only_in_case_are_one_person() -> None:
    rows = healthy_rows()
    rows[0]["Vendor owner"] = "Sam Lee <SAM@vendor.io>, sam@Vendor.io"
    assert row_sent(remind(S1_DUE, rows, NO_WEEKLY)).count((ReminderKind.DUE, "sam@vendor.io")) == 1


def test_reminders_to_owners_can_be_switched_off() -> None:
    found = remind(S1_DUE, settings=ReminderSettings(owners=False, champion=False, digest=False))
    assert found == ([], [])


def test_the_champion_is_asked_weekly_about_the_next_30_days_unconfirmed_dates() -> None:
    rows = healthy_rows()
    for row in rows[:3]:
        row["Customer confirmed"], row["Confirmed by"] = False, None
    today = date(2026, 11, 23)  # a Monday
    sent, _ = remind(today, rows, ReminderSettings(owners=False, digest=False))
    (ask,) = sent
    assert (ask.kind, ask.to.email, ask.period) == (ReminderKind.CONFIRM_REQUEST, "jane@acme.com", "2026-W48")
    assert ask.lines[0].startswith("Can you confirm these dates work on your side")
    assert [line for line in ask.lines if line.startswith("•")] == [
        "• 27 Nov 2026: POC success criteria agreed",
        "• 4 Dec 2026: Business case approved by the CFO",
        "• 4 Dec 2026: Security review passed",
    ]
    later_that_week = remind(today + timedelta(days=3), rows, ReminderSettings(owners=False, digest=False),
                             claimed={ask.key: "sent"})  # fmt: skip
    assert later_that_week[0] == []
    next_week, _ = remind(today + timedelta(days=7), rows, ReminderSettings(owners=False, digest=False))
    assert next_week[0].period == "2026-W49"


def test_no_champion_means_no_confirm_request_and_says_so() -> None:
    rows = healthy_rows()
    rows[0]["Customer confirmed"] = False
    sent, skipped = remind(
        date(2026, 11, 23), rows, ReminderSettings(owners=False, digest=False), champion=False
    )
    assert sent == []
    assert [item.why for item in skipped] == ["no champion with an email on the Stakeholders tab"]


def test_an_owner_cell_smuggling_a_second_address_is_a_finding_and_never_a_recipient() -> None:
    rows = healthy_rows()
    rows[0]["Customer owner"] = "Jane Doe <jane@acme.com>\r\nBcc: evil@evil.example"
    findings = review(sheet(rows), S1_DUE).findings
    assert ("R-OWNER-NOT-A-PERSON", "D13") in {(item.code, item.cell) for item in findings}
    sent, _ = remind(S1_DUE, rows, NO_WEEKLY)
    recipients = {item.to.email for item in sent}
    assert "jane@acme.com" in recipients
    assert not any("evil" in email for email in recipients)


def test_a_confirmer_whose_confirmation_a_move_voided_is_told_once_with_what_moved_and_who_moved_it() -> None:
    rows = healthy_rows()
    before = snapshot_of(rows)
    rows[0]["Due"] = "2026-11-30"
    rows[0]["Customer confirmed"] = False
    plan = parse(sheet(rows), risks=risks_sheet()).plan
    moved = Editors(cells={(plan.rows[0].sheet_row - 1, plan.columns[Column.DUE]): "omar@acme.com"})
    snapshot = diff(before, replace(plan, stakeholders=STAKEHOLDERS), moved).snapshot
    quiet = ReminderSettings(owners=False, champion=False, digest=False)
    found = plan_reminders(
        PlanToRemind("plan-1", "Acme", SELLER, snapshot, quiet), date(2026, 11, 23), {}, ()
    )
    (told,) = [item for item in found[0] if item.kind is ReminderKind.CONFIRMATION_VOIDED]
    assert (told.to.email, told.to.customer, told.row) == ("jane@acme.com", True, "S1")
    assert told.subject == "Acme: the dates you confirmed for “POC success criteria agreed” moved"
    assert told.lines[:2] == (
        "You confirmed 23 Nov 2026 – 27 Nov 2026 for S1 “POC success criteria agreed”.",
        "They were moved to 23 Nov 2026 – 30 Nov 2026 by Omar Haddad, so your confirmation no longer holds.",
    )
    again = plan_reminders(
        PlanToRemind("plan-1", "Acme", SELLER, snapshot, quiet), date(2026, 11, 24), {told.key: "sent"}, ()
    )
    assert [item.why for item in again[1] if item.kind is ReminderKind.CONFIRMATION_VOIDED] == [
        "already sent"
    ]


@pytest.mark.parametrize(("count", "words"), [(1, "1 date to confirm"), (2, "2 dates to confirm")])
def test_the_request_to_confirm_counts_its_dates_in_good_english(count: int, words: str) -> None:
    rows = healthy_rows()
    for row in rows[:count]:
        row["Customer confirmed"] = False
    sent, _ = remind(date(2026, 11, 23), rows, ReminderSettings(owners=False, digest=False))
    (asked,) = [item for item in sent if item.kind is ReminderKind.CONFIRM_REQUEST]
    assert asked.subject == f"Acme: {words}"


@pytest.mark.parametrize(
    ("by", "email", "name"),
    [
        ("Jane Doe <jane@acme.com>", "jane@acme.com", "Jane Doe"),
        ("jane@acme.com", "jane@acme.com", ""),  # the log knew only the address: no "jane@…" <jane@…>
        ("Jane@Acme.com", "jane@acme.com", ""),
        ("", "jane@acme.com", ""),
    ],
)
def test_a_recipient_is_named_only_by_a_name_never_by_their_address(by: str, email: str, name: str) -> None:
    assert name_of(by, email) == name
