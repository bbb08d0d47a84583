"""Templates are data: each shipped one is well formed; a stamped plan leaves only names and confirmations."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mutualplan.adapters.templates import TemplateFolder
from mutualplan.errors import InputError
from mutualplan.plan import Severity, review
from mutualplan.plan.dates.stamp import Deal, dated, expand, layouts, soonest_go_live
from mutualplan.plan.dates.template import Offset, TemplateError, add_business_days, template_of
from mutualplan.plan.sheet.vocabulary import CORE_FAMILIES, Status
from tests.support import TODAY

SHIPPED = TemplateFolder().all()
# The rules a freshly stamped plan must not break: what remains is naming people and confirming dates.
STAMP_CLEAN_PREFIXES = ("R-DATE", "R-DEPENDENCY", "R-EVIDENCE", "R-TRACK", "R-STATUS", "R-STEP")
STAMP_CLEAN_CODES = {"P-TRACK-MISSING", "P-NO-GATES", "P-CUSTOMER-STEPS-MISSING", "P-ENDS-AT-SIGNATURE"}
DEAL = Deal(go_live=date(2027, 9, 1), customer="Acme", customer_domain="acme.com", owner="sam@vendor.io")


def raw(name: str) -> dict[str, Any]:
    """A shipped template's data, to break one thing at a time."""
    return tomllib.loads(TemplateFolder().folder.joinpath(f"{name}.toml").read_text(encoding="utf-8"))


def test_four_templates_ship_with_the_names_the_docs_use() -> None:
    assert {template.name for template in SHIPPED} >= {
        "enterprise-saas",
        "regulated-buyer",
        "mid-market",
        "success-plan",
    }


@pytest.mark.parametrize("template", SHIPPED, ids=lambda template: template.name)
def test_a_shipped_template_has_11_to_20_rows_every_core_track_and_a_gate(template: Any) -> None:
    assert 11 <= len(template.rows) <= 20
    assert {row.track.family for row in template.rows} >= set(CORE_FAMILIES)
    assert any(row.gate for row in template.rows)


@pytest.mark.parametrize("template", SHIPPED, ids=lambda template: template.name)
def test_every_template_stamps_two_or_three_typical_risks_owned_by_a_role_and_dated(template: Any) -> None:
    assert 2 <= len(template.risks) <= 3
    (risks_tab,) = [tab for tab in layouts(template, DEAL, TODAY) if tab.title == "Risks"]
    header, *rows = risks_tab.grid().rows
    assert [cell.value for cell in header] == ["Risk", "Owner", "Mitigation", "Due", "Status"]
    assert len(rows) == len(template.risks)
    for row in rows:
        assert str(row[1].value).startswith("[")
        assert row[4].value == "Open"
        assert isinstance(row[3].value, date)
        assert TODAY <= row[3].value < DEAL.go_live


def test_the_regulated_buyer_plans_a_business_case_data_protection_and_a_six_week_security_queue() -> None:
    template = TemplateFolder().named("regulated-buyer")
    steps = {row.key: row for row in template.rows}
    assert steps["business-case"].track.value == "Business"
    assert "data residency" in steps["data-protection"].step
    assert (steps["third-party-risk"].duration.amount, steps["third-party-risk"].duration.unit.value) == (
        6,
        "w",
    )
    assert "business-case" in {row.key for row in TemplateFolder().named("mid-market").rows}


def test_no_template_invents_an_external_deadline_the_seller_gives_the_customers() -> None:
    for template in SHIPPED:
        plan = review(layouts(template, DEAL, TODAY)[0].grid(), TODAY).plan
        assert plan.head.external_deadline.value is None
    given_deadline = replace(DEAL, external_deadline=date(2027, 10, 1))
    template = TemplateFolder().named("regulated-buyer")
    plan = review(layouts(template, given_deadline, TODAY)[0].grid(), TODAY).plan
    assert plan.head.external_deadline.value == date(2027, 10, 1)


@pytest.mark.parametrize("template", SHIPPED, ids=lambda template: template.name)
@settings(max_examples=40, deadline=None)
@given(days_ahead=st.integers(min_value=200, max_value=900))
def test_a_stamped_plan_breaks_no_date_evidence_track_gate_or_shape_rule(
    template: Any, days_ahead: int
) -> None:
    deal = Deal(go_live=TODAY + timedelta(days=days_ahead), customer="Acme", customer_domain="acme.com")
    report = review(layouts(template, deal, TODAY)[0].grid(), TODAY)
    broken = {
        item.code
        for item in report.findings
        if item.code.startswith(STAMP_CLEAN_PREFIXES) or item.code in STAMP_CLEAN_CODES
    }
    assert broken == set()
    row_codes = {item.code for item in report.findings if item.code.startswith("R-")}
    assert row_codes == {"R-OWNER-PLACEHOLDER", "R-UNCONFIRMED"}


def test_owner_roles_are_stamped_as_placeholders_that_must_be_named_30_days_before_the_step() -> None:
    template = TemplateFolder().named("regulated-buyer")
    grid = layouts(template, DEAL, TODAY)[0].grid()
    dues = sorted(day for row in review(grid, TODAY).plan.rows if (day := row.due.value))
    for today in (TODAY, dues[0] - timedelta(days=10)):  # a fresh stamp; the first steps near
        report = review(grid, today)
        due_of = {row.sheet_row: row.due.value for row in report.plan.rows}
        flagged = [item for item in report.findings if item.code == "R-OWNER-PLACEHOLDER"]
        assert any("[Champion]" in item.message for item in flagged)
        for item in flagged:
            due = due_of[item.row or 0]
            assert due is not None
            near = (due - today).days <= 30
            assert item.severity is (Severity.ERROR if near else Severity.INFO), (item, due)
        assert not [item for item in report.findings if item.code == "R-OWNER-NOT-A-PERSON"]
    assert {item.severity for item in flagged} == {Severity.ERROR, Severity.INFO}
    assert not review(grid, TODAY).has_errors  # the day it is stamped: roles are fine


def test_a_stamped_plan_is_dated_backward_from_the_go_live() -> None:
    template = TemplateFolder().named("regulated-buyer")
    rows = {row.source.key: row for row in expand(template, DEAL, TODAY)}
    assert rows["go-live"].due == DEAL.go_live
    assert rows["order"].due == DEAL.go_live - timedelta(weeks=9)  # the signature, a Wednesday
    assert rows["kickoff"].depends_on == (rows["order"].id,)


@pytest.mark.parametrize("template", SHIPPED, ids=lambda template: template.name)
@settings(max_examples=30, deadline=None)
@given(days_ahead=st.integers(min_value=1, max_value=400))
def test_a_go_live_too_soon_is_stamped_squeezed_between_today_and_the_go_live_in_order(
    template: Any, days_ahead: int
) -> None:
    deal = Deal(go_live=TODAY + timedelta(days=days_ahead), customer="Acme", customer_domain="acme.com")
    rows = expand(template, deal, TODAY)
    assert all(row.start >= TODAY for row in rows if row.due <= deal.go_live)  # never before today
    assert all(risk.due >= TODAY for risk in dated(template, deal, TODAY).risks)
    assert all(row.start <= row.due for row in rows)
    by_id = {row.id: row for row in rows}
    original = {row.id: row.planned or (row.start, row.due) for row in rows}
    for row in rows:  # the squeeze is monotonic: whatever waited for a step still does
        for before in row.depends_on:
            if original[row.id][0] >= original[before][1]:
                assert row.start >= by_id[before].due
    dues = [row.due for row in sorted(rows, key=lambda row: (row.planned or (row.start, row.due))[1])]
    assert dues == sorted(dues)
    short_by = dated(template, deal, TODAY).short_by
    report = review(layouts(template, deal, TODAY)[0].grid(), TODAY)
    codes = {item.code for item in report.findings}
    assert not codes & {"R-DATE-ORDER", "R-DEPENDENCY", "R-DATE-PAST-OPEN", "P-SIGNATURE-MISMATCH"}
    signature = report.plan.target_signature
    assert signature is not None
    assert signature >= TODAY  # the head's signature is squeezed with the signature step
    if short_by:
        (runway,) = [item for item in report.findings if item.code == "P-RUNWAY-SHORT"]
        assert runway.message.startswith(f"The go-live is {short_by} days closer than this plan needs")
    else:
        assert "P-RUNWAY-SHORT" not in codes


def test_a_deal_under_way_marks_the_steps_already_past_done_and_starts_the_rest_today() -> None:
    template = TemplateFolder().named("regulated-buyer")
    deal = Deal(go_live=TODAY + timedelta(days=60), done_before_today=True)
    rows = expand(template, deal, TODAY)
    done = [row for row in rows if row.done]
    assert done
    assert all(row.due < TODAY for row in done)
    assert all(row.start >= TODAY for row in rows if not row.done)
    report = review(layouts(template, deal, TODAY)[0].grid(), TODAY)
    assert {row.status for row in report.plan.rows if row.id in {item.id for item in done}} == {Status.DONE}
    assert "P-RUNWAY-SHORT" not in {item.code for item in report.findings}


def test_the_soonest_go_live_is_the_first_with_nothing_compressed() -> None:
    template = TemplateFolder().named("enterprise-saas")
    soonest = soonest_go_live(template, TODAY)
    assert not any(row.planned for row in expand(template, Deal(soonest), TODAY))
    assert any(row.planned for row in expand(template, Deal(soonest - timedelta(days=1)), TODAY))


def test_an_unknown_template_name_lists_the_names_there_are() -> None:
    with pytest.raises(InputError, match=r"choose one of .*regulated-buyer"):
        TemplateFolder().named("no-such-template")


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (lambda data: data.update(colour="blue"), "unknown key 'colour'"),
        (lambda data: data["rows"][2].update(owner="Jane"), r"row 3: unknown key 'owner'"),
        (lambda data: data["rows"][2].pop("track"), r"row 3: 'track' is missing"),
        (lambda data: data["rows"][2].update(track="Vibes"), "track 'Vibes' is not one of"),
        (lambda data: data["rows"][2].update(when="13 weeks"), "'13 weeks' is not an offset"),
        (
            lambda data: data["rows"][2].update(depends_on=[data["rows"][3]["key"]]),
            "depends on the later row",
        ),
        (lambda data: data["rows"][1].update(depends_on=[data["rows"][1]["key"]]), "dependency cycle"),
        (
            lambda data: (
                data["rows"][0].update(depends_on=[data["rows"][1]["key"]]),
                data["rows"][1].update(depends_on=[data["rows"][0]["key"]]),
            ),
            "dependency cycle",
        ),
        (lambda data: data["rows"][1].update(depends_on=["nowhere"]), "'nowhere', which is no row's key"),
        (lambda data: data["rows"][1].update(key=data["rows"][0]["key"]), "two rows have the key"),
        (lambda data: data["rows"][1].update(gate="yes"), "gate is true or false"),
        (lambda data: data["rows"][1].update(anchor="kickoff"), "anchor 'kickoff' is not"),
        (lambda data: data.update(rows=[]), r"no \[\[rows\]\]"),
        (lambda data: data["risks"][0].update(likelihood="high"), r"risk 1: unknown key 'likelihood'"),
        (lambda data: data["risks"][1].pop("mitigation"), r"risk 2: 'mitigation' is missing"),
        (lambda data: data["risks"][0].update(when="soon"), r"risk 1: when: 'soon' is not an offset"),
        (lambda data: data.update(risks={"risk": "x"}), r"risks are \[\[risks\]\] tables"),
        (lambda data: data.update(external_deadline="+8w"), "unknown key 'external_deadline'"),
    ],
)
def test_a_broken_template_is_refused_with_where_and_what(breakage: Any, message: str) -> None:
    data = raw("mid-market")
    breakage(data)
    with pytest.raises(TemplateError, match=message):
        template_of("mid-market", data)


@pytest.mark.parametrize(
    ("text", "start", "expected"),
    [
        ("-13w", date(2027, 2, 2), date(2026, 11, 3)),
        ("-5bd", date(2027, 2, 2), date(2027, 1, 26)),  # Tuesday back over a weekend
        ("+1bd", date(2027, 1, 29), date(2027, 2, 1)),  # Friday → Monday
        ("-1w", date(2027, 2, 7), date(2027, 1, 29)),  # a Sunday lands on the Friday before
        ("0d", date(2027, 2, 6), date(2027, 2, 5)),  # a Saturday go-live: Friday
        ("+2d", date(2027, 2, 4), date(2027, 2, 5)),  # Saturday → Friday
    ],
)
def test_offsets_count_weeks_days_and_business_days(text: str, start: date, expected: date) -> None:
    assert Offset.parse(text).from_day(start) == expected


@given(day=st.dates(date(2020, 1, 1), date(2035, 1, 1)), count=st.integers(-300, 300))
def test_business_days_land_on_a_weekday_and_count_only_weekdays(day: date, count: int) -> None:
    landed = add_business_days(day, count)
    assert landed.weekday() < 5
    low, high = sorted((day, landed))
    weekdays_between = sum(
        1 for offset in range(1, (high - low).days + 1) if (low + timedelta(days=offset)).weekday() < 5
    )
    if count and day.weekday() < 5:
        assert weekdays_between == abs(count)
