"""HubSpot over its fake portal on loopback, through hubspot-api-client's own HTTP stack: connecting
with PKCE (and a fresh access token on 401), linking by URL and by search, pushing exactly the owned
properties and hs_next_step (never the close date), a push that changes nothing writing nothing, the
close date set once on the seller's click, `crm setup` and `crm check`, contacts added only when picked,
a revoked sign-in stopping its seller alone, and 429s: one retried by urllib3 at once, a second by the
queue after Retry-After."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from mutualplan.adapters.crm.platform import ConfiguredCrms
from mutualplan.app.crm import session_of
from mutualplan.app.crm_deals import check, link_plan, offered, search_deals, set_close_date, set_up
from mutualplan.app.crm_ports import CrmLink
from mutualplan.app.crm_push import preview_of, push_links, push_unit
from mutualplan.app.records import AccountStatus
from mutualplan.app.units import Outcome
from mutualplan.plan.crm import NEVER_WRITTEN, OWNED_FIELDS, Crm
from mutualplan.plan.history.events import EventKind
from mutualplan.plan.sheet.model import Side, Stakeholder
from mutualplan.plan.sheet.stakeholders import read_stakeholders
from tests.integration.addon_world import SELLER, notification, texts
from tests.integration.crm_world import CrmWorld, another_plan, crm_world

LEA = "lea@vendor.io"
DEAL = "9001"
DEAL_URL = f"https://app.hubspot.com/contacts/4242/record/0-3/{DEAL}"
OWNED = {item.hubspot for item in OWNED_FIELDS} | {"hs_next_step"}


def wanted(hs: CrmWorld) -> dict[str, str]:
    """What a push of the plan writes to a deal that holds none of it."""
    return {name: value for name, value in preview_of(hs.services, hs.plan).hubspot.items() if value}


@pytest.fixture
def hs(tmp_path: Path) -> Iterator[CrmWorld]:
    """Sam, connected to his portal, with an open deal for Northwind."""
    with crm_world(tmp_path) as made:
        made.hubspot.owners = {SELLER: "77", LEA: "78"}
        made.hubspot.add_deal(
            DEAL, "Northwind Bank — model monitoring", SELLER, closedate="2027-03-31T00:00:00Z"
        )
        assert "Connected" in made.connect(Crm.HUBSPOT)
        assert made.hubspot.api_calls() == [("GET", "/crm/v3/owners/")]  # who Sam is, once, at connect
        made.hubspot.calls.clear()
        yield made


def test_connecting_keeps_the_refresh_token_encrypted_and_the_sellers_owner_id(hs: CrmWorld) -> None:
    kept = hs.services.store.crm_connection(SELLER, Crm.HUBSPOT)
    assert kept is not None
    assert (kept.status, kept.user_id) == (AccountStatus.CONNECTED, "77")
    assert hs.services.sealer.decrypt(kept.secret) in hs.hubspot._refresh
    assert "Disconnect HubSpot" in texts(hs.card())


def test_a_code_without_the_consents_verifier_is_refused(hs: CrmWorld) -> None:
    consent = hs.consent_url(Crm.HUBSPOT, "not-the-challenge")
    code, _ = hs.hubspot.consent(consent, LEA)
    state = hs.services.links.crm_state(LEA, "hubspot", "someone-elses-verifier")
    page = hs.there.client.get(f"/crm/callback?code={code}&state={state}")
    assert page.status_code == 400
    assert "HubSpot refused the sign-in (400 BAD_AUTH_CODE)" in page.get_data(as_text=True)
    assert hs.services.store.crm_connection(LEA, Crm.HUBSPOT) is None


def test_an_expired_access_token_is_refreshed_once_and_the_call_goes_through(hs: CrmWorld) -> None:
    session = session_of(hs.services, SELLER, Crm.HUBSPOT)
    assert list(session.read([DEAL])) == [DEAL]
    hs.hubspot.expire_tokens()
    assert list(session.read([DEAL])) == [DEAL]
    assert hs.hubspot.refreshes == 2
    assert hs.hubspot.api_calls() == [("POST", "/crm/v3/objects/deals/batch/read")] * 3  # one answered 401


def test_linking_by_url_pushes_exactly_the_owned_properties_and_next_step_never_the_close_date(
    hs: CrmWorld,
) -> None:
    answered = hs.act("/addon/crm/link", form={"crm_record": [DEAL_URL]})
    assert notification(answered) == f"Linked, and pushed {len(wanted(hs))} fields"
    ((written_id, written),) = hs.hubspot.writes
    assert written_id == DEAL
    assert written == wanted(hs)
    assert set(written) <= OWNED
    assert not set(written) & set(NEVER_WRITTEN["hubspot"])
    assert hs.hubspot.deals[DEAL]["closedate"] == "2027-03-31T00:00:00Z"
    assert written["mutualplan_signature_supported"] in {"true", "false"}
    read, write = ("POST", "/crm/v3/objects/deals/batch/read"), ("PATCH", f"/crm/v3/objects/deals/{DEAL}")
    assert hs.hubspot.api_calls() == [read, write, read]  # the push, then the card's own read


def test_a_push_that_changes_nothing_writes_nothing(hs: CrmWorld) -> None:
    link_plan(hs.services, hs.plan, SELLER, DEAL_URL)
    hs.later(3600)
    report = push_links(hs.services, SELLER, [hs.services.store.crm_link(hs.plan.id)])  # type: ignore[list-item]
    assert (report.unchanged, report.written) == ([hs.plan.id], {})
    assert len(hs.hubspot.writes) == 1


def test_linking_by_search_finds_the_sellers_own_open_deals_named_like_the_customer(hs: CrmWorld) -> None:
    hs.hubspot.add_deal("9002", "Northwind Bank — Lea's", LEA)
    hs.hubspot.add_deal("9003", "Northwind Bank — lost", SELLER, hs_is_closed="true")
    assert [deal.id for deal in search_deals(hs.services, hs.plan, SELLER, Crm.HUBSPOT)] == [DEAL]
    assert "Northwind Bank — model monitoring" in texts(
        hs.card("/addon/crm/search", parameters={"crm": "hubspot"})
    )
    linked = hs.act("/addon/crm/link", parameters={"record": DEAL})
    assert notification(linked).startswith("Linked, and pushed")


def test_setup_creates_the_missing_properties_in_a_mutualplan_group_and_check_then_finds_none(
    hs: CrmWorld,
) -> None:
    hs.hubspot.properties -= OWNED - {"hs_next_step"}
    missing = check(hs.services, SELLER, Crm.HUBSPOT)
    assert ("mutualplan_status", "enumeration/select") in missing
    assert len(missing) == len(OWNED_FIELDS)
    made = set_up(hs.services, SELLER, Crm.HUBSPOT)
    assert set(made) == OWNED - {"hs_next_step"}
    assert hs.hubspot.groups == {"mutualplan"}
    status = next(item for item in hs.hubspot.created if item["name"] == "mutualplan_status")
    assert [option["value"] for option in status["options"]] == ["on track", "at risk", "stalled"]
    assert check(hs.services, SELLER, Crm.HUBSPOT) == []
    assert set_up(hs.services, SELLER, Crm.HUBSPOT) == []


def test_an_unknown_property_is_refused_and_the_push_stays_owed(hs: CrmWorld) -> None:
    hs.hubspot.properties.discard("mutualplan_slips")
    report = link_plan(hs.services, hs.plan, SELLER, DEAL)
    assert report.written == {}
    assert "VALIDATION_ERROR" in report.failed[0][1]
    link = hs.services.store.crm_link(hs.plan.id)
    assert link is not None
    assert link.due


def test_the_close_date_is_set_once_on_the_sellers_click_and_the_history_says_so(hs: CrmWorld) -> None:
    link_plan(hs.services, hs.plan, SELLER, DEAL)
    assert "P-CRM-CLOSE-UNSUPPORTED" in texts(hs.card())
    said = notification(hs.act("/addon/crm/close-date"))
    assert said.startswith("The HubSpot close date is now")
    assert set_close_date(hs.services, hs.plan, SELLER).endswith("nothing written")
    close_writes = [fields for _, fields in hs.hubspot.writes if "closedate" in fields]
    assert len(close_writes) == 1
    events = [
        item.event
        for item in hs.services.store.events(hs.plan.id)
        if item.event.kind is EventKind.CRM_CLOSE_DATE_SET
    ]
    assert [(event.old, event.new) for event in events] == [("2027-03-31", close_writes[0]["closedate"])]
    assert "P-CRM-CLOSE-UNSUPPORTED" not in texts(hs.card())  # the close date now rests on the plan


def test_contacts_are_offered_and_only_those_picked_are_added(hs: CrmWorld) -> None:
    hs.hubspot.contacts = {
        "501": {"firstname": "Omar", "lastname": "Haddad", "email": "omar@northwind.com", "jobtitle": "CFO"},
        "502": {"firstname": "Ivy", "lastname": "Chen", "email": "ivy@northwind.com", "jobtitle": "CTO"},
    }
    hs.hubspot.deal_contacts[DEAL] = ["501", "502"]
    link_plan(hs.services, hs.plan, SELLER, DEAL)
    assert [person.email for person in offered(hs.services, hs.plan, SELLER)] == [
        "omar@northwind.com",
        "ivy@northwind.com",
    ]
    added = hs.act("/addon/crm/contacts/add", form={"crm_contacts": ["omar@northwind.com"]})
    assert notification(added) == "Added 1 person to the Stakeholders tab"
    listed = read_stakeholders(hs.there.workbook("sheet-1").read("Stakeholders"))
    assert Stakeholder("Omar Haddad", "omar@northwind.com", Side.CUSTOMER, "CFO") in listed
    assert "ivy@northwind.com" not in {person.email for person in listed}


def test_a_revoked_sign_in_flags_its_seller_and_stops_their_pushes_alone(hs: CrmWorld) -> None:
    lea = another_plan(hs.there, "p-lea", LEA)
    hs.hubspot.add_deal("9002", "Globex pilot", LEA)
    assert "Connected" in hs.connect(Crm.HUBSPOT, who=LEA)
    hs.link(Crm.HUBSPOT, DEAL)
    hs.link(Crm.HUBSPOT, "9002", lea)
    hs.hubspot.revoke(SELLER)
    hs.services.unit_queue.enqueue(
        [push_unit(SELLER, hs.there.now, "now"), push_unit(LEA, hs.there.now, "now")]
    )
    assert [run.outcome for run in hs.drain().runs] == [Outcome.DONE, Outcome.DONE]
    sam = hs.services.store.crm_connection(SELLER, Crm.HUBSPOT)
    assert sam is not None
    assert sam.status is AccountStatus.RECONNECT
    assert [deal for deal, _ in hs.hubspot.writes] == ["9002"]
    assert "Reconnect HubSpot" in texts(hs.card())


def test_one_429_is_retried_at_once_by_urllib3(hs: CrmWorld) -> None:
    hs.link(Crm.HUBSPOT, DEAL)
    hs.hubspot.limited = 1
    hs.services.unit_queue.enqueue([push_unit(SELLER, hs.there.now, "now")])
    (run,) = hs.drain().runs
    assert run.outcome is Outcome.DONE
    assert [deal for deal, _ in hs.hubspot.writes] == [DEAL]
    assert hs.hubspot.api_calls().count(("POST", "/crm/v3/objects/deals/batch/read")) == 2


def test_a_second_429_goes_back_to_the_queue_and_is_pushed_after_retry_after(hs: CrmWorld) -> None:
    hs.link(Crm.HUBSPOT, DEAL)
    hs.hubspot.limited, hs.hubspot.retry_after = 2, 40
    hs.services.unit_queue.enqueue([push_unit(SELLER, hs.there.now, "now")])
    (run,) = hs.drain().runs
    assert run.outcome is Outcome.RETRY
    assert hs.hubspot.writes == []
    hs.later(30)
    assert hs.drain().runs == []
    hs.later(11)
    assert [run.outcome for run in hs.drain().runs] == [Outcome.DONE]
    assert [deal for deal, _ in hs.hubspot.writes] == [DEAL]


@pytest.fixture
def private_app(tmp_path: Path) -> Iterator[CrmWorld]:
    """A deployment whose pushes go through a HubSpot private app's token."""
    with crm_world(tmp_path) as made:
        services = made.services
        services.config = replace(services.config, hubspot_private_app_token="pat-na1-mutualplan")
        services.crms = ConfiguredCrms(services.config, hubspot_host=made.hubspot.host)
        made.hubspot.private_tokens.add("pat-na1-mutualplan")
        made.hubspot.owners = {SELLER: "77"}
        made.hubspot.add_deal(DEAL, "Northwind Bank — model monitoring", SELLER)
        yield made


def test_with_a_private_app_a_seller_connects_without_a_window_and_a_token_withdrawn_flags_them(
    private_app: CrmWorld,
) -> None:
    connected = private_app.act("/addon/crm/connect", parameters={"crm": "hubspot"})
    assert notification(connected) == f"Connected to HubSpot as {SELLER}"
    kept = private_app.services.store.crm_connection(SELLER, Crm.HUBSPOT)
    assert kept is not None
    assert (kept.user_id, kept.secret) == ("77", "")
    report = link_plan(private_app.services, private_app.plan, SELLER, DEAL)
    assert report.written[private_app.plan.id] == wanted(private_app)
    assert private_app.hubspot.refreshes == 0
    private_app.hubspot.private_tokens.clear()  # the app's token rotated, and not yet here
    private_app.hubspot.deals[DEAL]["mutualplan_status"] = "edited by hand"
    again = push_links(private_app.services, SELLER, [hs_link(private_app)])
    assert again.revoked == [Crm.HUBSPOT]
    assert private_app.hubspot.refreshes == 0  # a private app's token is never refreshed
    flagged = private_app.services.store.crm_connection(SELLER, Crm.HUBSPOT)
    assert flagged is not None
    assert flagged.status is AccountStatus.RECONNECT


def test_disconnecting_forgets_the_sign_in_and_keeps_the_link(hs: CrmWorld) -> None:
    link_plan(hs.services, hs.plan, SELLER, DEAL)
    said = notification(hs.act("/addon/crm/disconnect", parameters={"crm": "hubspot"}))
    assert said == "Disconnected from HubSpot: mutualplan no longer writes to it as you"
    assert hs.services.store.crm_connection(SELLER, Crm.HUBSPOT) is None
    assert hs.services.store.crm_link(hs.plan.id) is not None
    assert "Connect HubSpot to read and push this deal" in texts(hs.card())


def hs_link(world: CrmWorld) -> CrmLink:
    link = world.services.store.crm_link(world.plan.id)
    assert link is not None
    return link
