"""Validate answers "what do I do first?": findings grouped by what fixes them, the most urgent first."""

from __future__ import annotations

import json

from google.apps import card_v1

from mutualplan.plan.checks.fixes import Action, fixes
from mutualplan.plan.checks.review import review
from mutualplan.web.plan_cards import findings_card
from tests.support import TODAY, Row, healthy_rows, sheet
from tests.unit.test_cards import URLS


def unconfirmed_plan() -> list[Row]:
    rows = healthy_rows()
    for row in rows:
        row["Customer confirmed"], row["Confirmed by"] = False, None
    rows[1]["Customer owner"] = "Legal"
    return rows


def test_every_unconfirmed_step_is_one_thing_to_do_with_its_rows_and_the_send_links_action() -> None:
    report = review(sheet(unconfirmed_plan()), TODAY)
    todo = fixes(report)
    unconfirmed = [item for item in report.findings if item.code == "R-UNCONFIRMED"]
    assert len(unconfirmed) > 2
    (links,) = [fix for fix in todo if fix.action is Action.SEND_LINKS]
    assert links.title.startswith(f"{len(unconfirmed)} steps wait for the customer's confirmation")
    assert links.rows == tuple(sorted(item.row for item in unconfirmed if item.row))
    assert sum(len(fix.findings) for fix in todo) == len(report.findings)  # nothing lost in the grouping


def test_errors_come_first_and_within_them_the_soonest_row() -> None:
    todo = fixes(review(sheet(unconfirmed_plan()), TODAY))
    ranks = [fix.severity_rank for fix in todo]
    assert ranks == sorted(ranks)
    first = todo[0]
    assert (first.severity_rank, first.action, first.cell) == (0, Action.OPEN_ROW, "D14")  # the team owner


def test_the_validate_card_shows_one_button_per_thing_to_do_and_opens_a_row_at_its_cell() -> None:
    report = review(sheet(unconfirmed_plan()), TODAY)
    built = findings_card(report, URLS, "https://docs.google.com/spreadsheets/d/s1/edit#gid=7&range=")
    card_v1.Card.from_json(json.dumps(built), ignore_unknown_fields=False)
    shown = json.dumps(built)
    assert shown.count('"text": "Send links"') == 1
    assert '"url": "https://docs.google.com/spreadsheets/d/s1/edit#gid=7&range=D14"' in shown
    assert "silence is not agreement" not in shown  # one line for the group, not one per row
