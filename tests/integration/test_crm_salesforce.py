"""Salesforce over its fake REST API: connecting with PKCE (and a fresh session on 401), linking by URL
and by search, pushing exactly the owned fields and Next Step (never the close date), a push that changes
nothing writing nothing, the close date set once on the seller's click, `crm check`, contacts added only
when picked, a revoked sign-in stopping its seller alone, and a 429 retried through the queue."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from mutualplan.adapters.crm.platform import ConfiguredCrms
from mutualplan.app.crm import session_of
from mutualplan.app.crm_deals import check, link_plan, offered, search_deals, set_close_date
from mutualplan.app.crm_push import preview_of, push_links, push_unit
from mutualplan.app.records import AccountStatus
from mutualplan.app.units import Outcome
from mutualplan.errors import CrmError
from mutualplan.plan.crm import NEVER_WRITTEN, OWNED_FIELDS, Crm
from mutualplan.plan.history.events import EventKind
from mutualplan.plan.sheet.model import Side, Stakeholder
from mutualplan.plan.sheet.stakeholders import read_stakeholders
from tests.integration.addon_world import SELLER, notification, texts
from tests.integration.crm_world import CrmWorld, another_plan, crm_world

SAM_ID, LEA_ID = "0055g00000SamAAA", "0055g00000LeaAAA"
OPPORTUNITY = "0065g00000NwBnkAAB"
LIGHTNING = f"https://vendor.lightning.force.com/lightning/r/Opportunity/{OPPORTUNITY}/view"
OWNED = {item.salesforce for item in OWNED_FIELDS} | {"NextStep"}


def wanted(sf: CrmWorld) -> dict[str, object]:
    """What a push of the plan writes to an opportunity that holds none of it."""
    return {
        name: value
        for name, value in preview_of(sf.services, sf.plan).salesforce.items()
        if value is not None
    }


@pytest.fixture
def sf(tmp_path: Path) -> Iterator[CrmWorld]:
    """Sam, connected to his org, with an open opportunity for Northwind."""
    with crm_world(tmp_path) as made:
        made.salesforce.add_user(SAM_ID, SELLER)
        made.salesforce.add_opportunity(
            OPPORTUNITY,
            "Northwind — model monitoring",
            SAM_ID,
            account="Northwind Bank",
            CloseDate="2027-03-31",
        )
        assert "Connected" in made.connect(Crm.SALESFORCE, user_id=SAM_ID)
        yield made


def test_connecting_keeps_the_refresh_token_encrypted_and_only_with_the_consents_own_verifier(
    sf: CrmWorld,
) -> None:
    kept = sf.services.store.crm_connection(SELLER, Crm.SALESFORCE)
    assert kept is not None
    assert (kept.status, kept.user_id, kept.instance_url) == (
        AccountStatus.CONNECTED,
        SAM_ID,
        "https://vendor.my.salesforce.com",
    )
    assert sf.salesforce.users[SAM_ID].refresh_token not in kept.secret  # sealed, never as it came
    assert sf.services.sealer.decrypt(kept.secret) == sf.salesforce.users[SAM_ID].refresh_token
    card = sf.card()
    assert '"Salesforce"' in texts(card)
    assert "Disconnect Salesforce" in texts(card)


def test_a_code_without_the_consents_verifier_is_refused_and_nothing_is_kept(sf: CrmWorld) -> None:
    sf.services.store.drop_crm_connection(SELLER, Crm.SALESFORCE)
    consent = sf.consent_url(Crm.SALESFORCE, "not-the-challenge")
    code, _ = sf.salesforce.consent(consent, SAM_ID)
    state = sf.services.links.crm_state(SELLER, "salesforce", "a-verifier-of-someone-else")
    page = sf.there.client.get(f"/crm/callback?code={code}&state={state}")
    assert page.status_code == 400
    assert "Salesforce refused the sign-in (400 invalid_grant)" in page.get_data(as_text=True)
    assert sf.services.store.crm_connection(SELLER, Crm.SALESFORCE) is None


def test_a_session_that_expires_mid_push_is_refreshed_once_and_the_write_goes_through(sf: CrmWorld) -> None:
    sf.salesforce.expire_after = 1  # the read is answered, then the session times out
    report = link_plan(sf.services, sf.plan, SELLER, LIGHTNING)
    assert set(report.written[sf.plan.id]) == set(wanted(sf))
    assert sf.salesforce.refreshes == 2  # the push's own session, and a fresh one after the 401
    patch = ("PATCH", f"/sobjects/Opportunity/{OPPORTUNITY}")
    assert sf.salesforce.api_calls() == [("GET", "/query/"), patch, patch]  # the first PATCH answered 401


def test_linking_by_url_pushes_exactly_the_owned_fields_and_next_step_never_the_close_date(
    sf: CrmWorld,
) -> None:
    answered = sf.act("/addon/crm/link", form={"crm_record": [LIGHTNING]})
    assert notification(answered) == f"Linked, and pushed {len(wanted(sf))} fields"
    ((written_id, written),) = sf.salesforce.writes
    assert written_id == OPPORTUNITY
    assert written == wanted(
        sf
    )  # every owned field with a value (the CRM's empty ones hold no value already)
    assert set(written) <= OWNED
    assert not set(written) & set(NEVER_WRITTEN["salesforce"])
    assert sf.salesforce.opportunities[OPPORTUNITY]["CloseDate"] == "2027-03-31"
    assert written["NextStep"].startswith("MAP: ")
    assert "(not yet confirmed)" in written["NextStep"]
    assert written["MAP_URL__c"] == "https://docs.google.com/spreadsheets/d/sheet-1/edit"
    read, write = ("GET", "/query/"), ("PATCH", f"/sobjects/Opportunity/{OPPORTUNITY}")
    assert sf.salesforce.api_calls() == [read, write, read]  # the push, then the card's own read of the deal
    link = sf.services.store.crm_link(sf.plan.id)
    assert link is not None
    assert not link.due


def test_a_push_that_changes_nothing_writes_nothing(sf: CrmWorld) -> None:
    link_plan(sf.services, sf.plan, SELLER, OPPORTUNITY)
    sf.later(3600)  # the last-sync time alone would differ: no change
    report = push_links(sf.services, SELLER, [sf.services.store.crm_link(sf.plan.id)])  # type: ignore[list-item]
    assert report.unchanged == [sf.plan.id]
    assert report.written == {}
    assert len(sf.salesforce.writes) == 1
    assert sf.salesforce.api_calls("PATCH") == [("PATCH", f"/sobjects/Opportunity/{OPPORTUNITY}")]


def test_linking_by_search_finds_the_sellers_own_open_opportunities_named_like_the_customer(
    sf: CrmWorld,
) -> None:
    sf.salesforce.add_user(LEA_ID, "lea@vendor.io")
    sf.salesforce.add_opportunity("0065g00000LeaOpAAB", "Northwind — Lea's", LEA_ID, account="Northwind Bank")
    sf.salesforce.add_opportunity(
        "0065g00000ClosdAAB", "Northwind — lost", SAM_ID, account="Northwind Bank", IsClosed=True
    )
    found = search_deals(sf.services, sf.plan, SELLER, Crm.SALESFORCE)
    assert [(deal.id, deal.account) for deal in found] == [(OPPORTUNITY, "Northwind Bank")]
    card = sf.card("/addon/crm/search", parameters={"crm": "salesforce"})
    assert "Northwind — model monitoring" in texts(card)
    linked = sf.act("/addon/crm/link", parameters={"record": OPPORTUNITY})
    assert notification(linked).startswith("Linked, and pushed")
    assert "Northwind — model monitoring (0065g00000NwBnkAAB)" in texts(sf.card())


def test_salesforce_refuses_a_next_step_over_255_characters_and_the_refusal_is_told(sf: CrmWorld) -> None:
    session = session_of(sf.services, SELLER, Crm.SALESFORCE)
    with pytest.raises(CrmError, match="STRING_TOO_LONG"):
        session.write({OPPORTUNITY: {"NextStep": "x" * 256}})
    other = "0065g00000OtherAAB"
    sf.salesforce.add_opportunity(other, "Another", SAM_ID)
    refused = session.write({OPPORTUNITY: {"NextStep": "y" * 256}, other: {"NextStep": "fits"}})
    assert "STRING_TOO_LONG" in refused[OPPORTUNITY]
    assert refused[other] == ""
    assert sf.salesforce.api_calls("PATCH")[-1] == ("PATCH", "/composite/sobjects")


def test_an_unknown_field_is_refused_by_name_and_the_push_stays_owed(sf: CrmWorld) -> None:
    sf.salesforce.fields = [field for field in sf.salesforce.fields if field["name"] != "MAP_Slips__c"]
    report = link_plan(sf.services, sf.plan, SELLER, OPPORTUNITY)
    assert report.written == {}
    assert "INVALID_FIELD" in report.failed[0][1]
    assert "MAP_Slips__c" in report.failed[0][1]
    link = sf.services.store.crm_link(sf.plan.id)
    assert link is not None
    assert link.due
    assert check(sf.services, SELLER, Crm.SALESFORCE) == [("MAP_Slips__c", "Number(18, 0)")]
    assert [failure.job for failure in sf.services.store.failures(sf.plan.id)] == ["crm"]
    sf.salesforce.fields.append({"name": "MAP_Slips__c", "type": "double", "length": 0})  # the admin made it
    assert push_links(sf.services, SELLER, [link]).written
    assert sf.services.store.failures(sf.plan.id) == []


def test_crm_check_names_each_missing_field_with_its_setup_type(sf: CrmWorld) -> None:
    assert check(sf.services, SELLER, Crm.SALESFORCE) == []
    sf.salesforce.fields = [field for field in sf.salesforce.fields if not field["name"].startswith("MAP_")]
    missing = check(sf.services, SELLER, Crm.SALESFORCE)
    assert missing[:3] == [
        ("MAP_URL__c", "URL(255)"),
        ("MAP_Status__c", "Text(20)"),
        ("MAP_Signature_Supported__c", "Checkbox"),
    ]
    assert len(missing) == len(OWNED_FIELDS)


def test_the_close_date_is_set_once_on_the_sellers_click_and_the_history_says_so(sf: CrmWorld) -> None:
    link_plan(sf.services, sf.plan, SELLER, OPPORTUNITY)
    card = sf.card()
    assert "Set the CRM close date to the plan's signature" in texts(card)
    said = notification(sf.act("/addon/crm/close-date"))
    signature = sf.salesforce.opportunities[OPPORTUNITY]["CloseDate"]
    assert signature != "2027-03-31"
    assert said.startswith("The Salesforce close date is now")
    refreshes, calls = sf.salesforce.refreshes, len(sf.salesforce.calls)
    again = set_close_date(sf.services, sf.plan, SELLER)
    assert again.endswith("nothing written")
    assert (sf.salesforce.refreshes - refreshes, sf.salesforce.calls[calls:]) == (1, [("GET", "/query/")])
    close_writes = [fields for _, fields in sf.salesforce.writes if "CloseDate" in fields]
    assert close_writes == [{"CloseDate": signature}]
    events = [
        item.event
        for item in sf.services.store.events(sf.plan.id)
        if item.event.kind is EventKind.CRM_CLOSE_DATE_SET
    ]
    assert [(event.old, event.new, event.who) for event in events] == [("2027-03-31", signature, SELLER)]


def test_a_close_date_before_the_plans_signature_is_a_finding_on_the_card(sf: CrmWorld) -> None:
    link_plan(sf.services, sf.plan, SELLER, OPPORTUNITY)
    card = texts(sf.card())
    assert "last pushed 23 Nov 2026, 15:00 UTC" in card
    assert "P-CRM-CLOSE-UNSUPPORTED" in card
    assert "close date, 31 Mar 2027, is before the plan" in card


def test_contacts_are_offered_and_only_those_picked_are_added_to_the_stakeholders_tab(sf: CrmWorld) -> None:
    sf.salesforce.contact_roles[OPPORTUNITY] = [
        {
            "Role": "Economic Buyer",
            "Contact": {"Name": "Omar Haddad", "Email": "omar@northwind.com", "Title": "CFO"},
        },
        {
            "Role": "Technical Buyer",
            "Contact": {"Name": "Ivy Chen", "Email": "ivy@northwind.com", "Title": "CTO"},
        },
    ]
    link_plan(sf.services, sf.plan, SELLER, OPPORTUNITY)
    assert [person.email for person in offered(sf.services, sf.plan, SELLER)] == [
        "omar@northwind.com",
        "ivy@northwind.com",
    ]
    card = texts(sf.card("/addon/crm/contacts"))
    assert "Omar Haddad <omar@northwind.com>, Economic Buyer" in card
    added = sf.act("/addon/crm/contacts/add", form={"crm_contacts": ["ivy@northwind.com"]})
    assert notification(added) == "Added 1 person to the Stakeholders tab"
    assert [person.email for person in offered(sf.services, sf.plan, SELLER)] == ["omar@northwind.com"]
    listed = read_stakeholders(sf.there.workbook("sheet-1").read("Stakeholders"))
    assert Stakeholder("Ivy Chen", "ivy@northwind.com", Side.CUSTOMER, "Technical Buyer") in listed
    assert "omar@northwind.com" not in {person.email for person in listed}


def test_a_revoked_sign_in_flags_its_seller_and_stops_their_pushes_alone(sf: CrmWorld) -> None:
    lea = another_plan(sf.there, "p-lea", "lea@vendor.io")
    sf.salesforce.add_user(LEA_ID, "lea@vendor.io")
    sf.salesforce.add_opportunity("0065g00000LeaOpAAB", "Globex pilot", LEA_ID)
    assert "Connected" in sf.connect(Crm.SALESFORCE, who="lea@vendor.io", user_id=LEA_ID)
    sf.link(Crm.SALESFORCE, OPPORTUNITY)
    sf.link(Crm.SALESFORCE, "0065g00000LeaOpAAB", lea)
    sf.salesforce.revoke(SAM_ID)
    sf.services.unit_queue.enqueue(
        [push_unit(SELLER, sf.there.now, "now"), push_unit("lea@vendor.io", sf.there.now, "now")]
    )
    runs = sf.drain().runs
    assert [run.outcome for run in runs] == [Outcome.DONE, Outcome.DONE]
    sam = sf.services.store.crm_connection(SELLER, Crm.SALESFORCE)
    assert sam is not None
    assert sam.status is AccountStatus.RECONNECT
    assert [written_id for written_id, _ in sf.salesforce.writes] == ["0065g00000LeaOpAAB"]
    assert "Reconnect Salesforce" in texts(sf.card())
    home = texts(sf.card("/addon/home"))  # the seller's home card says so until a push succeeds
    assert "Updating your CRM" in home
    assert "Salesforce no longer takes the sign-in: connect again" in home
    sf.services.unit_queue.enqueue([push_unit(SELLER, sf.there.now, "again")])
    calls = len(sf.salesforce.calls)
    sf.drain()
    assert len(sf.salesforce.calls) == calls  # a flagged seller's pushes call nobody


def test_a_429_goes_back_to_the_queue_and_is_pushed_after_what_salesforce_asked(sf: CrmWorld) -> None:
    sf.link(Crm.SALESFORCE, OPPORTUNITY)
    sf.salesforce.limited = 1
    sf.services.unit_queue.enqueue([push_unit(SELLER, sf.there.now, "now")])
    (run,) = sf.drain().runs
    assert run.outcome is Outcome.RETRY
    assert sf.salesforce.writes == []
    sf.later(20)
    assert sf.drain().runs == []  # not before the 30 s Salesforce asked for
    sf.later(11)
    (again,) = sf.drain().runs
    assert again.outcome is Outcome.DONE
    assert [written_id for written_id, _ in sf.salesforce.writes] == [OPPORTUNITY]


def public_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)


@pytest.fixture
def integration(tmp_path: Path) -> Iterator[CrmWorld]:
    """A deployment whose pushes go as one integration user, through the JWT bearer flow."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = tmp_path / "connected-app.key"
    pem.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    with crm_world(tmp_path) as made:
        services = made.services
        services.config = replace(
            services.config, salesforce_jwt_user="integration@vendor.io", salesforce_jwt_key=str(pem)
        )
        services.crms = ConfiguredCrms(services.config)
        made.salesforce.jwt_key = public_pem(key)
        made.salesforce.add_user("0055g00000IntAAA", "integration@vendor.io")
        made.salesforce.add_user(SAM_ID, SELLER)
        made.salesforce.add_opportunity(OPPORTUNITY, "Northwind", SAM_ID, account="Northwind Bank")
        yield made


def test_with_an_integration_user_a_seller_connects_without_a_window_and_pushes_go_as_that_user(
    integration: CrmWorld,
) -> None:
    (connect,) = [
        button["onClick"]
        for section in integration.card()["sections"]
        for widget in section["widgets"]
        for button in widget.get("buttonList", {}).get("buttons", [])
        if button["text"] == "Connect Salesforce"
    ]
    assert "action" in connect  # a button of the card: no consent window
    connected = integration.act("/addon/crm/connect", parameters={"crm": "salesforce"})
    assert notification(connected) == f"Connected to Salesforce as {SELLER}"
    kept = integration.services.store.crm_connection(SELLER, Crm.SALESFORCE)
    assert kept is not None
    assert (kept.user_id, kept.secret) == (SAM_ID, "")  # found by address; no token of the seller's kept
    found = search_deals(integration.services, integration.plan, SELLER, Crm.SALESFORCE)
    assert [deal.id for deal in found] == [OPPORTUNITY]  # the seller's own opportunities, whoever signs in
    report = link_plan(integration.services, integration.plan, SELLER, OPPORTUNITY)
    assert set(report.written[integration.plan.id]) == set(wanted(integration))
    assert integration.salesforce.refreshes == 0  # no refresh token: a fresh assertion a session


def test_an_integration_user_the_org_refuses_flags_the_connection(integration: CrmWorld) -> None:
    integration.act("/addon/crm/connect", parameters={"crm": "salesforce"})
    integration.salesforce.jwt_key = public_pem(
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    report = link_plan(integration.services, integration.plan, SELLER, OPPORTUNITY)
    assert report.revoked == [Crm.SALESFORCE]
    assert (
        "Salesforce refused the integration user (Authentication failed (code: invalid_grant): invalid "
        "assertion)" in report.failed[0][1]
    )


def test_a_write_refused_for_its_rate_leaves_owed_only_the_plans_whose_fields_differ(sf: CrmWorld) -> None:
    other = another_plan(sf.there, "p-sam-2", SELLER)
    sf.salesforce.add_opportunity("0065g00000GlobxAAB", "Globex", SAM_ID)
    sf.link(Crm.SALESFORCE, OPPORTUNITY)
    sf.link(Crm.SALESFORCE, "0065g00000GlobxAAB", other)
    links = sf.services.store.crm_links_of(SELLER)
    assert set(push_links(sf.services, SELLER, links).written) == {sf.plan.id, other.id}
    sf.salesforce.opportunities[OPPORTUNITY]["MAP_Status__c"] = "edited by hand"
    sf.salesforce.limited_writes = 1
    report = push_links(sf.services, SELLER, sf.services.store.crm_links_of(SELLER))
    assert report.unchanged == [other.id]
    assert [plan_id for plan_id, _ in report.failed] == [sf.plan.id]
    assert report.retry_after == 30
    assert [failure.job for failure in sf.services.store.failures(sf.plan.id)] == ["crm"]
    assert sf.services.store.failures(other.id) == []


def test_only_the_plans_owner_links_it_and_a_record_they_cannot_see_is_said(sf: CrmWorld) -> None:
    colleague = sf.act("/addon/crm/link", form={"crm_record": [LIGHTNING]}, user="lea@vendor.io")
    assert notification(colleague) == f"Only the plan's owner, {SELLER}, links it to their CRM"
    assert sf.services.store.crm_link(sf.plan.id) is None
    gone = sf.act("/addon/crm/link", form={"crm_record": ["0065g00000GoneXAAB"]})
    assert notification(gone) == (
        "Linked, but not pushed: Salesforce has no opportunity 0065g00000GoneXAAB you can see: "
        "link the plan again"
    )
    account = sf.act(
        "/addon/crm/link",
        form={
            "crm_record": ["https://vendor.lightning.force.com/lightning/r/Account/0015g00000AcmeAAB/view"]
        },
    )
    assert notification(account).startswith("Paste the opportunity's Salesforce URL or id (006…)")


def test_each_push_hears_retry_after_on_its_own_http_session_so_none_piles_up(sf: CrmWorld) -> None:
    crms = sf.services.crms
    assert isinstance(crms, ConfiguredCrms)
    shared = len(crms.session.hooks["response"])
    for _ in range(3):
        link_plan(sf.services, sf.plan, SELLER, OPPORTUNITY)
    assert len(crms.session.hooks["response"]) == shared  # a long-lived server's session stays as it was
