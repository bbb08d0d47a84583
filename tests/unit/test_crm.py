"""The CRM's side of a plan, pure: the owned fields and what a push writes in each CRM, Next Step in 255
characters cut at a word, what the plan says of the CRM's close date (P-CRM-CLOSE-UNSUPPORTED), a pasted
record's CRM and id, values compared as each CRM spells them, contacts offered, and the CRM card in each
state parsed strictly."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from google.apps import card_v1

from mutualplan.app.crm import CrmAccount
from mutualplan.app.crm_ports import CrmLink
from mutualplan.app.crm_push import Preview, changed_fields
from mutualplan.app.records import AccountStatus
from mutualplan.app.sidebar_crm import CrmCardView
from mutualplan.plan.crm import (
    NEVER_WRITTEN,
    OWNED_FIELDS,
    Crm,
    CrmContact,
    CrmDeal,
    FieldType,
    clip_words,
    close_finding,
    hubspot_properties,
    next_step,
    offered_contacts,
    owned_values,
    record_of,
    salesforce_fields,
    same_value,
)
from mutualplan.plan.crm.fields import shown_value
from mutualplan.plan.pipeline import WeeklyScore, score_week
from mutualplan.plan.sheet.grid import grid_of
from mutualplan.plan.sheet.model import Side, Stakeholder
from mutualplan.plan.sheet.stakeholders import adding_writes, read_stakeholders
from mutualplan.web.addon import ENDPOINTS
from mutualplan.web.crm_cards import crm_card
from tests.deals import signed_plan

TODAY = date(2027, 1, 4)
SIGNATURE = date(2027, 4, 5)
URLS = {name: f"https://mp.example/addon/{name}" for name in ENDPOINTS} | {
    "home": "https://mp.example/addon/home"
}
NOW = datetime(2027, 1, 4, 9, 30, tzinfo=UTC)


def supported() -> WeeklyScore:
    return score_week(signed_plan(date(2027, 3, 15)), (), TODAY)


def unsupported() -> WeeklyScore:
    return score_week(signed_plan(date(2027, 3, 15), legal_verified=False), (), TODAY)


def test_the_scores_under_test_are_supported_and_not() -> None:
    assert supported().figures.signature_supported
    assert not unsupported().figures.signature_supported
    assert supported().figures.target_signature == SIGNATURE


@pytest.mark.parametrize(
    ("close", "forecast", "score", "flagged"),
    [
        (
            SIGNATURE - timedelta(days=1),
            "Pipeline",
            supported,
            "is before the plan's target signature, 5 Apr 2027",
        ),
        (SIGNATURE, "Pipeline", supported, ""),
        (SIGNATURE + timedelta(days=30), "Best Case", unsupported, ""),
        (SIGNATURE, "Commit", unsupported, "forecasts Commit, but the customer has not verified"),
        (SIGNATURE, "COMMIT", unsupported, "forecasts Commit"),  # HubSpot's hs_forecast_category
        (SIGNATURE, "Commit", supported, ""),
        (None, "Pipeline", supported, ""),
    ],
)
def test_a_close_date_the_plan_does_not_support_is_p_crm_close_unsupported(
    close: date | None, forecast: str, score: object, flagged: str
) -> None:
    found = close_finding(CrmDeal("006x", "Deal", close, forecast), score())  # type: ignore[operator]
    if not flagged:
        assert found is None
        return
    assert found is not None
    assert (found.code, found.severity.value) == ("P-CRM-CLOSE-UNSUPPORTED", "warning")
    assert flagged in found.message


def test_a_commit_forecast_says_what_the_signature_waits_on() -> None:
    found = close_finding(CrmDeal("006x", "Deal", SIGNATURE, "Commit"), unsupported())
    assert found is not None
    assert unsupported().figures.signature_waits_on in found.message


def test_a_push_writes_every_owned_field_and_next_step_and_never_the_sellers_own() -> None:
    values = owned_values(supported(), "https://docs.google.com/spreadsheets/d/s/edit", NOW)
    step = next_step(supported())
    salesforce, hubspot = salesforce_fields(values, step), hubspot_properties(values, step)
    assert set(salesforce) == {item.salesforce for item in OWNED_FIELDS} | {"NextStep"}
    assert set(hubspot) == {item.hubspot for item in OWNED_FIELDS} | {"hs_next_step"}
    assert not set(salesforce) & set(NEVER_WRITTEN["salesforce"])
    assert not set(hubspot) & set(NEVER_WRITTEN["hubspot"])
    assert all(isinstance(value, str) for value in hubspot.values())  # HubSpot takes strings
    assert salesforce["MAP_Signature_Supported__c"] is True
    assert hubspot["mutualplan_signature_supported"] == "true"
    assert salesforce["MAP_Target_Signature__c"] == "2027-04-05" == hubspot["mutualplan_target_signature"]
    assert salesforce["MAP_Last_Sync__c"] == "2027-01-04T09:30:00Z"
    assert salesforce["MAP_Status__c"] == supported().status.value


def test_next_step_names_the_milestone_its_date_and_whether_the_customer_confirmed_it() -> None:
    score = supported()
    assert next_step(score) == "MAP: Order form signed by 5 Apr 2027 (confirmed by the customer)"
    unconfirmed = score.figures._replace(next_milestone_confirmed=False)
    assert (
        next_step(replace(score, figures=unconfirmed))
        == "MAP: Order form signed by 5 Apr 2027 (not yet confirmed)"
    )
    untrue = score.figures._replace(must_be_true=("Legal review (not confirmed)", "DPA signed (overdue)"))
    assert next_step(replace(score, figures=untrue)).endswith(
        "(confirmed by the customer); 2 steps before signature not yet true"
    )
    nothing = score.figures._replace(next_milestone="")
    assert next_step(replace(score, figures=nothing)) == "MAP: no open milestone in the plan"


def test_a_long_milestone_is_cut_at_a_word_and_next_step_keeps_its_date_and_its_word_on_confirmation() -> (
    None
):
    score = supported()
    long_name = " ".join(["Enterprise-wide information security questionnaire"] * 12)
    figures = score.figures._replace(next_milestone=long_name)
    step = next_step(replace(score, figures=figures))
    assert len(step) <= 255
    assert step.endswith("… by 5 Apr 2027 (confirmed by the customer)")
    cut = step.removeprefix("MAP: ").split("…")[0]
    assert long_name.startswith(cut)
    assert long_name[len(cut)] == " "


@pytest.mark.parametrize(
    ("text", "limit", "clipped"),
    [
        ("short enough", 20, "short enough"),
        ("one two three four", 12, "one two…"),
        ("unbroken" * 5, 10, "unbrokenu…"),
    ],
)
def test_clipping_cuts_at_a_word_and_marks_the_cut(text: str, limit: int, clipped: str) -> None:
    assert clip_words(text, limit) == clipped
    assert len(clipped) <= limit


@pytest.mark.parametrize(
    ("pasted", "crm", "record_id"),
    [
        (
            "https://acme.lightning.force.com/lightning/r/Opportunity/0065g00000NwBnkAAB/view",
            Crm.SALESFORCE,
            "0065g00000NwBnkAAB",
        ),
        ("https://acme.my.salesforce.com/0065g00000NwBnk", Crm.SALESFORCE, "0065g00000NwBnk"),
        (" 0065g00000NwBnkAAB ", Crm.SALESFORCE, "0065g00000NwBnkAAB"),
        ("https://app.hubspot.com/contacts/4242/deal/9001/", Crm.HUBSPOT, "9001"),
        ("https://app-eu1.hubspot.com/contacts/4242/record/0-3/9001", Crm.HUBSPOT, "9001"),
        ("9001", Crm.HUBSPOT, "9001"),
    ],
)
def test_a_pasted_url_or_id_names_its_crm_and_record(pasted: str, crm: Crm, record_id: str) -> None:
    assert record_of(pasted) == (crm, record_id)


@pytest.mark.parametrize(
    "pasted",
    [
        "",
        "https://example.com/0065g00000NwBnkAAB",
        "0015g00000AccntAAB",
        "https://app.hubspot.com/contacts/4242/company/1",
    ],
)
def test_anything_else_pasted_says_what_to_paste(pasted: str) -> None:
    with pytest.raises(ValueError, match="paste the opportunity's Salesforce URL or id"):
        record_of(pasted)


@pytest.mark.parametrize(
    ("kind", "value", "shown"),
    [
        (FieldType.PERCENT, 67, "67%"),
        (FieldType.PERCENT, None, "–"),
        (FieldType.YES_NO, False, "no"),
        (FieldType.DATE, date(2027, 4, 5), "5 Apr 2027"),
        (FieldType.MOMENT, NOW, "4 Jan 2027, 09:30 UTC"),
        (FieldType.COUNT, 3, "3"),
    ],
)
def test_the_card_shows_each_value_as_a_seller_reads_it(kind: FieldType, value: object, shown: str) -> None:
    assert shown_value(kind, value) == shown  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "wanted", "found", "same"),
    [
        (FieldType.YES_NO, True, "true", True),
        (FieldType.YES_NO, False, True, False),
        (FieldType.PERCENT, 67, 67.0, True),
        (FieldType.COUNT, "3", "3.0", True),
        (FieldType.DATE, "2027-04-05", "2027-04-05T00:00:00Z", True),
        (FieldType.MOMENT, "2027-01-04T09:30:00Z", "2027-01-04T09:30:00.000+0000", True),
        (FieldType.TEXT, None, "", True),
        (FieldType.TEXT, "on track", "at risk", False),
    ],
)
def test_values_read_back_compare_as_each_crm_spells_them(
    kind: FieldType, wanted: object, found: object, same: bool
) -> None:
    assert same_value(kind, wanted, found) is same


def test_only_the_last_sync_time_differing_is_no_change() -> None:
    assert (
        changed_fields({"MAP_Last_Sync__c": "2027-01-04T10:00:00Z", "MAP_Slips__c": 2}, {"MAP_Slips__c": 2.0})
        == {}
    )
    assert changed_fields({"MAP_Last_Sync__c": "x", "MAP_Slips__c": 3}, {"MAP_Slips__c": 2}) == {
        "MAP_Last_Sync__c": "x",
        "MAP_Slips__c": 3,
    }


def test_contacts_offered_are_those_with_an_address_not_on_the_tab_each_once() -> None:
    listed = [Stakeholder("Jane Doe", "JANE@acme.com", Side.CUSTOMER, "Champion")]
    contacts = [
        CrmContact("Jane Doe", "jane@acme.com", "Champion"), CrmContact("No Mail", "", "CFO"),
        CrmContact("Omar", "omar@acme.com", "CFO"), CrmContact("Omar again", "OMAR@acme.com"),
    ]  # fmt: skip
    assert offered_contacts(contacts, listed) == [Stakeholder("Omar", "omar@acme.com", Side.CUSTOMER, "CFO")]


def test_contacts_are_added_below_the_tabs_last_row_in_its_own_columns_as_text() -> None:
    grid = grid_of([["Email", "Name", "Role", "Side"], ["a@acme.com", "Ann", "", "Customer"]])
    people = [Stakeholder("=cmd()", "ivy@acme.com", Side.CUSTOMER, "CTO")]
    writes = adding_writes(grid, "Stakeholders", people)
    assert {(write.row, write.col, write.value.kind.value, write.value.value) for write in writes} == {
        (2, 0, "text", "ivy@acme.com"),
        (2, 1, "text", "=cmd()"),
        (2, 2, "text", "CTO"),
        (2, 3, "text", "Customer"),
    }
    assert read_stakeholders(grid)[0].email == "a@acme.com"


def _view(**changes: object) -> CrmCardView:
    score = unsupported()
    values = owned_values(score, "https://mp.example/?sheet=s", NOW)
    step = next_step(score)
    preview = Preview(score, values, salesforce_fields(values, step), hubspot_properties(values, step))
    accounts = (
        CrmAccount(Crm.SALESFORCE, "oauth", None, "https://mp.example/crm/start?ticket=t"),
        CrmAccount(Crm.HUBSPOT, "", None),
    )
    return replace(CrmCardView("Northwind <Bank>", preview, accounts), **changes)  # type: ignore[arg-type]


LINK = CrmLink("p1", Crm.SALESFORCE, "0065g00000NwBnkAAB", "sam@vendor.io", NOW)
DEAL = CrmDeal(
    "0065g00000NwBnkAAB", "Northwind <renewal>", SIGNATURE - timedelta(days=3), "Commit", "Negotiation"
)


@pytest.mark.parametrize(
    ("view", "shown"),
    [
        (
            _view(),
            [
                '"subtitle": "CRM preview · Northwind <Bank>"',  # plain text, never markup
                "What a push writes",
                "MAP_Status__c · mutualplan_status",
                "Connect Salesforce",
                "not set up on this server",
                "Check a close date",
            ],
        ),
        (
            _view(checked="That close date and forecast rest on the plan's buyer-verified dates."),
            ["rest on the plan"],
        ),
        (
            _view(link=LINK, deal=DEAL, finding="The CRM forecasts <Commit>"),
            [
                "P-CRM-CLOSE-UNSUPPORTED",
                "The CRM forecasts &lt;Commit&gt;",
                "Northwind &lt;renewal&gt;",
                "Set the CRM close date",
                "Push now",
            ],
        ),
        (
            _view(link=LINK, problem="Connect Salesforce to read and push this opportunity"),
            ["Connect Salesforce to read", "Unlink", "not pushed yet"],
        ),
        (
            _view(found=(DEAL, replace(DEAL, id="9001", account="Northwind"))),
            ["Your open deals", "Link this one"],
        ),
        (
            _view(link=LINK, deal=DEAL, offered=(Stakeholder("Ivy", "ivy@acme.com", Side.CUSTOMER, "CTO"),)),
            ["Add the ticked people", "Ivy <ivy@acme.com>, CTO"],
        ),
        (
            _view(
                accounts=(
                    CrmAccount(Crm.SALESFORCE, "oauth", AccountStatus.RECONNECT, "https://x"),
                    CrmAccount(Crm.HUBSPOT, "token", None),
                )
            ),
            ["Reconnect Salesforce", "Connect HubSpot", "pushes have stopped"],
        ),
        (
            _view(accounts=(CrmAccount(Crm.SALESFORCE, "oauth", AccountStatus.CONNECTED),)),
            ["Disconnect Salesforce", "Find in Salesforce"],
        ),
    ],
)
def test_the_crm_card_parses_strictly_in_each_state(view: CrmCardView, shown: list[str]) -> None:
    card = crm_card(view, URLS)
    card_v1.Card.from_json(json.dumps(card), ignore_unknown_fields=False)
    text = json.dumps(card, ensure_ascii=False)
    for words in shown:
        assert words in text, words
