"""Mail that cannot be turned into a hose (BAD_INPUTS 49): outside addresses are not mailed, and a
person gets one message a plan a day, whatever the number of rows."""

from __future__ import annotations

from datetime import date

from mutualplan.plan.reminders.bundles import ITEMS_SHOWN, bundle
from mutualplan.plan.reminders.planner import OUTSIDE
from tests.reminding import NO_WEEKLY, remind
from tests.support import Row, healthy_rows


def test_1600_rows_naming_one_outside_address_send_it_nothing_and_the_real_reminders_still_go() -> None:
    hose: list[Row] = [
        {"ID": f"X{index}", "Track": "Technical", "Step": f"Step {index}", "Customer owner": "",
         "Vendor owner": "Victim <victim@elsewhere.example>", "Start": "2026-11-23", "Due": "2026-11-27",
         "Exit evidence": "Anything"}
        for index in range(1600)
    ]  # fmt: skip
    sent, skipped = remind(date(2026, 11, 24), [*healthy_rows(), *hose], NO_WEEKLY)
    assert [item for item in sent if item.to.email == "victim@elsewhere.example"] == []
    outside = {item.why for item in skipped if item.to == "victim@elsewhere.example"}
    assert outside == {OUTSIDE}
    assert ("S1", "sam@vendor.io") in {(item.row, item.to.email) for item in sent}


def test_a_buyer_on_600_rows_gets_one_message_that_shows_ten_and_covers_them_all() -> None:
    many: list[Row] = [
        {"ID": f"B{index}", "Track": "Technical", "Step": f"Step {index}",
         "Customer owner": "Jane Doe <jane@acme.com>", "Vendor owner": "", "Start": "2026-11-23",
         "Due": "2026-11-27", "Exit evidence": "Anything", "Status": "Not started",
         "Customer confirmed": True, "Confirmed by": "Jane Doe <jane@acme.com>"}
        for index in range(600)
    ]  # fmt: skip
    day = date(2026, 11, 24)
    sent, _ = remind(day, [*healthy_rows(), *many], NO_WEEKLY)
    messages = bundle(sent, day, "Acme")
    (jane,) = [message for message in messages if message.to.email == "jane@acme.com"]
    assert len(jane.parts) == 601  # S1 and the 600
    assert jane.key == "plan-1|jane@acme.com|2026-11-24|day"
    assert len({part.key for part in jane.parts}) == 601
    assert jane.lines[0] == "601 things in the plan for you today:"
    assert sum(line.startswith("■ ") for line in jane.lines) == ITEMS_SHOWN
    assert jane.lines[-1] == "…and 591 more: the plan shows them all."
    assert len(messages) == len({message.to.email for message in sent})  # one a person
    (alone,) = [message for message in messages if message.to.email == "sam@vendor.io"]
    assert (alone.subject, alone.lines) == (
        alone.parts[0].subject,
        alone.parts[0].lines,
    )  # one reminder: as is
