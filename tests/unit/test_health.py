"""Deal-health figures on a fixed day."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from mutualplan.plan import Health, History, Slip, measure, parse
from mutualplan.plan.history.diff import Editors, diff
from mutualplan.plan.history.past import ConfirmedDates
from tests.support import TODAY, Row, confirmers_ticked, healthy_rows, sheet


def health_of(rows: list[Row], history: History | None = None, today: date = TODAY) -> Health:
    return measure(parse(sheet(rows)).plan, today, history)


def test_the_healthy_plan_scores_full_marks() -> None:
    health = health_of(healthy_rows())
    assert health.confirmation_rate_30d == 1.0
    assert (health.dates_next_30d, health.confirmed_next_30d) == (5, 5)
    assert health.distinct_customer_owners == 5
    assert health.tracks == ("business", "paper", "success", "technical")
    assert health.customer_internal_steps == 1
    assert health.rows_with_evidence == 6
    assert health.overdue_open == 0
    assert health.slips is None
    assert (health.days_to_signature, health.days_to_go_live, health.runway_days) == (23, 72, 49)


def test_the_confirmation_rate_counts_only_open_dates_in_the_next_30_days() -> None:
    rows = healthy_rows()
    rows[0]["Customer confirmed"] = False  # due 27 Nov: in the window
    rows[1]["Status"] = "Done"  # done rows leave the window
    rows[5]["Customer confirmed"] = False  # due 2 Feb: outside the window
    health = health_of(rows)
    assert (health.dates_next_30d, health.confirmed_next_30d) == (4, 3)
    assert health.confirmation_rate_30d == 0.75


def test_the_window_includes_today_and_the_thirtieth_day() -> None:
    rows = healthy_rows()[:2]
    rows[0]["Due"] = TODAY.isoformat()
    rows[1]["Due"] = (TODAY + timedelta(days=30)).isoformat()
    rows[1]["Start"] = rows[0]["Due"]
    assert health_of(rows).dates_next_30d == 2
    assert health_of(rows, today=TODAY + timedelta(days=1)).dates_next_30d == 1


def test_the_confirmation_rate_decays_as_the_customer_goes_quiet() -> None:
    rows = healthy_rows()
    for row in rows:
        row["Customer confirmed"] = False
    assert health_of(rows).confirmation_rate_30d == 0.0


def test_no_dates_in_the_window_gives_no_rate_rather_than_zero() -> None:
    assert health_of(healthy_rows(), today=date(2027, 6, 1)).confirmation_rate_30d is None


def test_a_tick_by_a_vendor_person_is_not_a_confirmation() -> None:
    rows = healthy_rows()
    rows[0]["Confirmed by"] = "Sam Lee"
    assert health_of(rows).confirmed_next_30d == 4


def verified_history(rows: list[Row]) -> History:
    """The history of a followed plan whose confirmers each ticked their own row (all verified)."""
    plan = parse(sheet(rows)).plan
    return diff(None, plan, confirmers_ticked(plan)).snapshot.history()


def test_a_stale_confirmation_is_not_counted() -> None:
    history = verified_history(healthy_rows())
    moved = {
        **history.confirmations,
        "S1": ConfirmedDates(date(2026, 11, 23), date(2026, 11, 25), trust="verified"),
    }
    assert health_of(healthy_rows(), replace(history, confirmations=moved)).confirmed_next_30d == 4


def test_a_followed_plan_counts_verified_confirmations_and_a_file_counts_the_sheet() -> None:
    sheet_only = health_of(healthy_rows())
    assert (sheet_only.confirmed_next_30d, sheet_only.confirmation_basis) == (5, "sheet")
    verified = health_of(healthy_rows(), verified_history(healthy_rows()))
    assert (verified.confirmed_next_30d, verified.confirmation_basis) == (5, "verified")
    plan = parse(sheet(healthy_rows())).plan
    claims = diff(None, plan, Editors(last="sam@vendor.io")).snapshot.history()
    claimed = health_of(healthy_rows(), claims)
    assert (claimed.confirmed_next_30d, claimed.claimed_next_30d, claimed.confirmation_rate_30d) == (
        0,
        5,
        0.0,
    )


def test_a_tick_naming_nobody_or_a_vendor_counts_nowhere() -> None:
    rows = healthy_rows()
    rows[0]["Confirmed by"] = None
    rows[1]["Confirmed by"] = "Sam Lee <sam@vendor.io>"
    assert health_of(rows).confirmed_next_30d == 3


def test_overdue_counts_past_open_steps_only() -> None:
    rows = healthy_rows()
    rows[0].update(Start="2026-11-10", Due="2026-11-20")
    rows[1].update(Start="2026-11-10", Due="2026-11-21", Status="Done")
    assert health_of(rows).overdue_open == 1


def test_slips_are_known_only_with_history_and_count_later_dates() -> None:
    history = History(
        slips=(
            Slip("S1", date(2026, 11, 20), date(2026, 11, 27)),
            Slip("S4", date(2026, 12, 1), date(2026, 12, 10)),
            Slip("S5", date(2026, 12, 20), date(2026, 12, 15)),  # moved earlier: not a slip
        )
    )
    slips = health_of(healthy_rows(), history).slips
    assert slips is not None
    assert (slips.count, slips.total_days, slips.longest_days) == (2, 16, 9)


def test_distinct_customer_owners_ignore_teams_and_count_each_person_once() -> None:
    rows = healthy_rows()
    rows[1]["Customer owner"] = "Legal"
    rows[2]["Customer owner"] = "JANE DOE <Jane@Acme.com>"
    assert health_of(rows).distinct_customer_owners == 3


def test_figures_are_json_ready() -> None:
    figures = health_of(healthy_rows()).as_dict()
    assert figures["tracks"] == ["business", "paper", "success", "technical"]
    assert set(figures) == {
        "confirmation_rate_30d", "dates_next_30d", "confirmed_next_30d", "claimed_next_30d",
        "confirmation_basis", "distinct_customer_owners",
        "tracks", "customer_internal_steps", "rows_with_evidence", "overdue_open", "slips",
        "days_to_signature", "days_to_go_live", "runway_days",
    }  # fmt: skip
