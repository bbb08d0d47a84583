"""A date the customer proposed, answered from the sidebar: accepted, countered with another date, or
declined with a reason, the proposer told each time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from mutualplan.app.confirming import confirmation_link
from mutualplan.app.records import PlanRecord
from mutualplan.plan.dates.reading import format_day
from mutualplan.plan.history.events import EventKind
from mutualplan.plan.sheet.parse import parse
from tests.buyer_page import first_row_form
from tests.integration.addon_world import PUBLIC, World, answer, notification, only_card, stamped, texts


def proposed_by_jane(there: World) -> tuple[PlanRecord, str, str]:
    """Jane proposes, from her page, a due date ten days after her first row's: the plan, row and date."""
    stamped(there)
    (record,) = there.store.plans()
    url, _ = confirmation_link(there.wired, record.id, "jane@northwind.com")
    page = there.client.get(url.removeprefix(PUBLIC)).get_data(as_text=True)
    fields = first_row_form(page)
    row_id, shown = fields["row"], fields[f"shown_{fields['row']}"]
    proposed = (date.fromisoformat(shown.partition("|")[2]) + timedelta(days=10)).isoformat()
    posted = there.client.post(
        url.removeprefix(PUBLIC),
        data={**fields, "action": "propose", "date": proposed, "reason": "Audit week"},
    )
    assert posted.status_code == 303  # redirected to the page: a refresh sends nothing again
    return record, row_id, proposed


def test_a_proposal_whose_date_can_no_longer_be_meant_is_not_accepted(there: World) -> None:
    _, row_id, proposed = proposed_by_jane(there)
    there.now += timedelta(days=6 * 366)  # years on, the proposed date lies past the plausible window
    refused = answer(there, "/addon/proposal/accept", parameters={"row": row_id})
    said = notification(refused)
    assert said.startswith(f"{row_id}'s proposed date is not accepted: {proposed} can't be meant")
    plan = parse(there.workbook("sheet-1").read("MAP")).plan
    assert next(row for row in plan.rows if row.id == row_id).due.value != date.fromisoformat(proposed)
    assert there.mailer.sent == []


def test_a_date_the_customer_proposed_is_shown_at_home_and_accepting_it_moves_the_date(there: World) -> None:
    record, row_id, proposed = proposed_by_jane(there)
    home = texts(only_card(answer(there, "/addon/home")))
    assert "Proposed by the customer" in home
    assert "Audit week" in home
    accepted = answer(there, "/addon/proposal/accept", parameters={"row": row_id})
    said = notification(accepted)
    moved = format_day(date.fromisoformat(proposed))
    assert said == f"{row_id} is now due {moved}; jane@northwind.com was asked to confirm it"
    plan = parse(there.workbook("sheet-1").read("MAP")).plan
    assert next(row for row in plan.rows if row.id == row_id).due.value == date.fromisoformat(proposed)
    kinds = [stored.event.kind for stored in there.store.events(record.id)]
    assert kinds[-2:] == [EventKind.DATE_PROPOSED, EventKind.DATE_MOVED]
    (asked,) = there.mailer.sent
    body = asked.get_body(("plain",))
    assert body is not None
    assert "/confirm/" in body.get_content()
    assert "Proposed by the customer" not in texts(only_card(answer(there, "/addon/home")))


def test_the_seller_counters_a_proposal_with_another_date_and_the_proposer_is_asked_to_confirm_it(
    there: World,
) -> None:
    _, row_id, proposed = proposed_by_jane(there)
    card = texts(only_card(answer(there, "/addon/proposal", parameters={"row": row_id})))
    assert "Counter with this date" in card
    assert "Audit week" in card
    counter = date.fromisoformat(proposed) + timedelta(days=4)
    midnight = int(datetime(counter.year, counter.month, counter.day, tzinfo=UTC).timestamp() * 1000)
    countered = answer(
        there, "/addon/proposal/counter", parameters={"row": row_id}, dates={"counter": midnight}
    )
    said = notification(countered)
    assert said.startswith(f"{row_id} is now due {format_day(counter)}")
    plan = parse(there.workbook("sheet-1").read("MAP")).plan
    assert next(row for row in plan.rows if row.id == row_id).due.value == counter
    (asked,) = there.mailer.sent
    body = asked.get_body(("plain",))
    assert body is not None
    assert f"offers {format_day(counter)} instead" in body.get_content()
    assert "/confirm/" in body.get_content()


def test_declining_a_proposal_keeps_the_date_closes_it_and_tells_the_proposer_why(there: World) -> None:
    record, row_id, proposed = proposed_by_jane(there)
    due_before = next(
        row for row in parse(there.workbook("sheet-1").read("MAP")).plan.rows if row.id == row_id
    )
    no_reason = answer(there, "/addon/proposal/decline", parameters={"row": row_id, "proposed": proposed})
    assert "Say why the date stays" in notification(no_reason)
    stale = answer(
        there, "/addon/proposal/decline", parameters={"row": row_id, "proposed": "2030-01-01"},
        form={"reason": ["The regulator's deadline"]},
    )  # fmt: skip
    assert "changed since you opened it" in notification(stale)
    declined = answer(
        there, "/addon/proposal/decline", parameters={"row": row_id, "proposed": proposed},
        form={"reason": ["The regulator's deadline"]},
    )  # fmt: skip
    assert "keeps its date" in notification(declined)
    row = next(row for row in parse(there.workbook("sheet-1").read("MAP")).plan.rows if row.id == row_id)
    assert row.due.value == due_before.due.value
    (stored,) = [
        item for item in there.store.events(record.id) if item.event.kind is EventKind.PROPOSAL_DECLINED
    ]
    assert (stored.event.old, stored.event.note) == (proposed, "The regulator's deadline")
    (told,) = there.mailer.sent
    body = told.get_body(("plain",))
    assert body is not None
    assert "The regulator's deadline" in body.get_content()
    assert "Proposed by the customer" not in texts(only_card(answer(there, "/addon/home")))
