"""The pipeline's domain: a deal's weekly score, its status by the rule, and "signature supported"."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from mutualplan.plan.history.past import Slip
from mutualplan.plan.history.snapshot import Snapshot
from mutualplan.plan.pipeline import (
    STATUS_RULE,
    DealStatus,
    StatusRule,
    WeeklyScore,
    attention_key,
    score_week,
    signature_support,
    trend_of,
    week_of,
)
from tests.deals import ANA, MONDAY, SAM, signed_plan, step, weekly_plan


def weeks_of(snapshot: Snapshot, count: int, slips: tuple[Slip, ...] = ()) -> list[WeeklyScore]:
    """The scores of a plan nobody touches, week after week."""
    scores: list[WeeklyScore] = []
    for week in range(count):
        scores.append(
            score_week(snapshot, slips, MONDAY + timedelta(weeks=week), scores[-1] if scores else None)
        )
    return scores


def test_a_silent_buyer_decays_a_deal_from_on_track_to_at_risk_to_stalled() -> None:
    statuses = [score.status for score in weeks_of(weekly_plan(), 8)]
    assert statuses[0] is DealStatus.ON_TRACK
    first_at_risk = statuses.index(DealStatus.AT_RISK)
    first_stalled = statuses.index(DealStatus.STALLED)
    assert 0 < first_at_risk < first_stalled
    assert all(status is DealStatus.STALLED for status in statuses[first_stalled:])  # it stays stalled


def test_the_decay_is_the_confirmation_rate_falling_as_confirmed_dates_pass() -> None:
    rates = [score.figures.confirmation_rate_30d for score in weeks_of(weekly_plan(), 6)]
    assert rates == [1.0, 0.8, 0.6, 0.4, 0.2, 0.0]
    assert trend_of(weeks_of(weekly_plan(), 3)).arrow == "↓"


def test_a_stalled_deal_says_nothing_moved_while_steps_sat_overdue() -> None:
    stalled = next(score for score in weeks_of(weekly_plan(), 8) if score.status is DealStatus.STALLED)
    assert any("nothing confirmed, done or moved for 3 weeks" in reason for reason in stalled.reasons)


def test_a_week_in_which_the_buyer_confirms_a_date_is_not_quiet() -> None:
    plan, scores = weekly_plan(), weeks_of(weekly_plan(), 4)
    assert scores[-1].figures.quiet_weeks == 2
    answered = replace(
        plan,
        rows=tuple(
            step("M7", "Step 7", row.due, ANA, SAM, verified=True) if row.id == "M7" and row.due else row
            for row in plan.rows
        ),
    )
    after = score_week(answered, (), MONDAY + timedelta(weeks=4), scores[-1])
    assert after.figures.quiet_weeks == 0
    assert after.status is not DealStatus.STALLED


def test_a_step_marked_done_is_activity_but_not_a_confirmation() -> None:
    plan, scores = weekly_plan(), weeks_of(weekly_plan(), 4)
    done = replace(
        plan, rows=tuple(row._replace(status="Done") if row.id == "M1" else row for row in plan.rows)
    )
    after = score_week(done, (), MONDAY + timedelta(weeks=4), scores[-1])
    assert after.figures.quiet_weeks == 0
    assert after.figures.confirmed_steps == scores[-1].figures.confirmed_steps


def test_a_customer_who_confirms_nothing_for_two_weeks_stalls_the_deal() -> None:
    plan = weekly_plan()
    unconfirmed = replace(plan, rows=tuple(row._replace(confirmation=None) for row in plan.rows))
    first = score_week(unconfirmed, (), MONDAY)
    second = score_week(unconfirmed, (), MONDAY + timedelta(weeks=1), first)
    assert (first.status, second.status) == (DealStatus.AT_RISK, DealStatus.STALLED)
    assert "confirmed none of the next 30 days' dates for 2 weeks" in second.reasons[0]


def test_a_signature_whose_steps_are_all_confirmed_is_supported() -> None:
    support = signature_support(signed_plan(date(2027, 3, 22)))
    assert support.supported
    assert support.why_not == ""


def test_a_legal_step_slipping_past_signature_makes_the_signature_unsupported() -> None:
    plan = signed_plan(date(2027, 3, 22))
    # the diff keeps the confirmation of the old dates: a moved date no longer matches it
    slipped = replace(
        plan, rows=tuple(row._replace(due=date(2027, 4, 12)) if row.id == "M2" else row for row in plan.rows)
    )
    support = signature_support(slipped)
    assert not support.supported
    assert support.why_not == "Legal review (past signature)"
    score = score_week(slipped, (Slip("M2", date(2027, 3, 22), date(2027, 4, 12)),), date(2027, 3, 1))
    assert not score.figures.signature_supported
    assert score.status is DealStatus.AT_RISK
    assert any("depends on steps overdue or past it: Legal review" in reason for reason in score.reasons)


def test_a_customer_internal_step_before_signature_must_be_confirmed_though_nothing_depends_on_it() -> None:
    support = signature_support(signed_plan(date(2027, 3, 22), review_verified=False))
    assert support.why_not == "Security review (not confirmed)"


def test_a_step_the_seller_marks_done_does_not_support_the_signature() -> None:
    plan = signed_plan(date(2027, 3, 22), legal_verified=False)
    done = replace(
        plan, rows=tuple(row._replace(status="Done") if row.id == "M2" else row for row in plan.rows)
    )
    assert not signature_support(done).supported


def test_dependencies_are_followed_through_their_own_dependencies_by_id_or_step_name() -> None:
    plan = signed_plan(date(2027, 3, 22))
    procurement = step(
        "M5", "Vendor registration", date(2027, 3, 8), SAM
    )  # a vendor step: internal to no one
    rows = tuple(
        row._replace(depends_on=("vendor registration",)) if row.id == "M2" else row for row in plan.rows
    )
    support = signature_support(replace(plan, rows=(*rows, procurement)))
    assert support.why_not == "Vendor registration (not confirmed)"


def test_a_plan_without_a_dated_signature_step_has_no_supported_signature() -> None:
    plan = signed_plan(date(2027, 3, 22))
    support = signature_support(replace(plan, rows=tuple(row for row in plan.rows if row.id != "M3")))
    assert (support.supported, support.why_not) == (False, "the plan has no dated signature step")


def test_a_single_threaded_deal_is_at_risk_and_says_so() -> None:
    plan = weekly_plan()
    one_owner = replace(plan, rows=tuple(row._replace(owners=(ANA, SAM)) for row in plan.rows))
    score = score_week(one_owner, (), MONDAY)
    assert score.figures.single_threaded
    assert score.status is DealStatus.AT_RISK
    assert score.reasons == ("single-threaded: 1 customer owner",)


def test_the_rule_is_data_a_team_may_tune() -> None:
    plan = weekly_plan()
    one_owner = replace(plan, rows=tuple(row._replace(owners=(ANA, SAM)) for row in plan.rows))
    lenient = StatusRule(single_threaded_owners=0)
    assert score_week(one_owner, (), MONDAY, rule=lenient).status is DealStatus.ON_TRACK
    names = [name for name, _, _ in StatusRule.documented()]
    assert names == ["stalled_quiet_weeks", "stalled_unconfirmed_weeks", "at_risk_confirmation_rate",
                     "signature_question_within_days", "single_threaded_owners"]  # fmt: skip
    assert STATUS_RULE.at_risk_confirmation_rate == 0.5


def test_the_three_weeks_before_signature_question_counts_once_signature_is_near() -> None:
    plan = signed_plan(date(2027, 3, 22), legal_verified=False)
    far, near = score_week(plan, (), date(2027, 1, 4)), score_week(plan, (), date(2027, 3, 1))
    assert far.figures.must_be_true == near.figures.must_be_true == ("Legal review (not confirmed)",)
    assert not any("three weeks before signature" in reason for reason in far.reasons)
    assert any("three weeks before signature" in reason for reason in near.reasons)


def test_slips_this_week_are_those_not_counted_the_week_before() -> None:
    plan = weekly_plan()
    first = score_week(plan, (Slip("M5", date(2027, 2, 1), date(2027, 2, 8)),), MONDAY)
    both = (Slip("M5", date(2027, 2, 1), date(2027, 2, 8)), Slip("M6", date(2027, 2, 8), date(2027, 2, 22)))
    second = score_week(plan, both, MONDAY + timedelta(weeks=1), first)
    assert (second.figures.slips_total, second.figures.slip_days_total) == (2, 21)
    assert (second.figures.slips_this_week, second.figures.slip_days_this_week) == (1, 14)


def test_the_next_milestone_is_the_next_gate_or_signature_with_whether_it_is_confirmed() -> None:
    score = score_week(signed_plan(date(2027, 3, 22)), (), date(2027, 3, 2))
    assert (score.figures.next_milestone, score.figures.next_milestone_due) == (
        "Order form signed",
        date(2027, 4, 5),
    )
    assert score.figures.next_milestone_confirmed


def test_a_score_is_named_by_its_weeks_monday_and_survives_the_stores_form() -> None:
    score = score_week(signed_plan(date(2027, 3, 22)), (), date(2027, 3, 4))
    assert score.week == week_of(date(2027, 3, 4)) == date(2027, 3, 1)
    assert WeeklyScore.from_stored(score.to_stored()) == score
    assert score.as_json()["week"] == "2027-03-01"


def test_what_needs_attention_sorts_first() -> None:
    on_track = score_week(signed_plan(date(2027, 3, 22)), (), date(2027, 1, 4))
    at_risk = score_week(signed_plan(date(2027, 3, 22), legal_verified=False), (), date(2027, 3, 1))
    stalled = weeks_of(weekly_plan(), 8)[-1]
    ordered = sorted([on_track, stalled, at_risk], key=attention_key)
    assert [score.status for score in ordered] == [
        DealStatus.STALLED,
        DealStatus.AT_RISK,
        DealStatus.ON_TRACK,
    ]


def test_a_trend_shows_no_arrow_without_two_weeks_to_compare() -> None:
    assert trend_of(weeks_of(weekly_plan(), 1)).arrow == ""
    two = trend_of(weeks_of(weekly_plan(), 2))
    assert (two.weeks, two.rates) == ((MONDAY, MONDAY + timedelta(weeks=1)), (1.0, 0.8))
