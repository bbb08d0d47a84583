"""The crm commands through the installed console script, on a workspace with no CRM: what a push would
write (the same fields and values the CRM preview card shows), a link kept and waiting for a connection,
and every mistake said in one line."""

from __future__ import annotations

import json
from pathlib import Path

from mutualplan.plan.crm import OWNED_FIELDS
from tests.integration.test_cli import mutualplan
from tests.integration.test_cli_plans import new_local_plan

OPPORTUNITY_URL = "https://vendor.lightning.force.com/lightning/r/Opportunity/0065g00000NwBnkAAB/view"


def test_a_dry_run_prints_what_a_push_would_write_to_each_crm_with_no_crm_connected(data: Path) -> None:
    plan = new_local_plan(data)
    result = mutualplan("crm", "push", plan, "--dry-run", "--json", "--data", data)
    assert result.returncode == 0, result.stderr
    written = json.loads(result.stdout)
    assert set(written) == {"salesforce", "hubspot"}
    assert set(written["salesforce"]) == {item.salesforce for item in OWNED_FIELDS} | {"NextStep"}
    assert set(written["hubspot"]) == {item.hubspot for item in OWNED_FIELDS} | {"hs_next_step"}
    assert written["salesforce"]["MAP_Status__c"] in {"on track", "at risk", "stalled"}
    assert written["hubspot"]["mutualplan_status"] == written["salesforce"]["MAP_Status__c"]
    assert written["salesforce"]["NextStep"] == written["hubspot"]["hs_next_step"]
    assert written["salesforce"]["MAP_URL__c"].startswith("http://127.0.0.1:")  # the sandbox page's sheet
    assert "/?sheet=" in written["salesforce"]["MAP_URL__c"]
    text = mutualplan("crm", "push", plan, "--dry-run", "--data", data).stdout
    assert text.startswith("Salesforce:\n  MAP_URL__c: http")
    assert "\nHubSpot:\n  mutualplan_map_url: http" in text


def test_a_link_is_kept_and_waits_for_its_seller_to_connect(data: Path) -> None:
    plan = new_local_plan(data)
    linked = mutualplan("crm", "link", plan, OPPORTUNITY_URL, "--data", data)
    assert linked.returncode == 0, linked.stderr
    assert linked.stdout.startswith(f"{plan}: linked; not pushed: This server is not set up for Salesforce")
    pushed = mutualplan("crm", "push", plan, "--json", "--data", data)
    assert json.loads(pushed.stdout)["waiting"][0]["plan"] == plan
    assert mutualplan("crm", "unlink", plan, "--data", data).stdout.startswith("Unlinked")
    again = mutualplan("crm", "unlink", plan, "--data", data)
    assert again.returncode == 2
    assert "The plan is not linked to a CRM" in again.stderr


def test_mistakes_are_said_in_one_line(data: Path) -> None:
    plan = new_local_plan(data)
    garbage = mutualplan("crm", "link", plan, "https://example.com/deal", "--data", data)
    assert garbage.returncode == 2
    assert garbage.stderr.strip().endswith(
        "Paste the opportunity's Salesforce URL or id (006…), or the deal's HubSpot URL or number"
    )
    unlinked = mutualplan("crm", "push", plan, "--data", data)
    assert "Link the plan to its opportunity or deal first" in unlinked.stderr
    nobody = mutualplan("crm", "check", "--for", "sam@vendor.io", "--data", data)
    assert nobody.returncode == 2
    assert "sam@vendor.io has connected no CRM" in nobody.stderr
    setup = mutualplan("crm", "setup", "--for", "sam@vendor.io", "--data", data)
    assert (
        "This server is not set up for HubSpot: its administrator sets MUTUALPLAN_HUBSPOT_CLIENT_ID"
        in setup.stderr
    )
    for result in (garbage, unlinked, nobody, setup):
        assert "Traceback" not in result.stderr
